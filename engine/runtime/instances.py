"""Runtime instances of the store (spec section 4.2).

These classes are the meeting point of the runtime (instantiation, the embedding API), the
execution tier (engine/exec/) and a host (jsapi/).  They hold state only; behaviour that needs
the instruction semantics lives in engine/exec/.

Value representation, used everywhere at run time:

- i32 / i64: ``int``, unsigned canonical (``0 <= v < 2**32`` / ``2**64``).
- f32 / f64: ``float``.  An f32 is always a double that is exactly an f32 value; an f32 NaN's
  payload sits in the top 23 mantissa bits of the double (what hardware widening does), and
  is converted bit-exactly by ``engine.exec.numerics`` (f32_from_bits / f32_to_bits).
- v128: ``int``, 128-bit unsigned, lane 0 in the low bits.
- references: ``None`` is null of every type; otherwise a ``FuncInst``, ``StructInst``,
  ``ArrayInst``, ``I31``, ``ExnInst``, or a host value for ``externref`` (see ``HostRef``).

A memory's bytes may live in a buffer the engine does not own (a ``memoryview`` of a JavaScript
ArrayBuffer handed in by a host).  Code must read ``mem.data`` afresh after anything that can
grow the memory (calls, memory.grow); never keep a view across them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.syntax.types import GlobalType, MemoryType, RefType, TableType

PAGE_SIZE = 65536


class FuncInst:
    """A wasm function (``code`` set) or a host function (``host`` set).

    ``type`` is the function's defined type as the validator canonicalises it (compared with
    ``is`` / subtype matching, never structurally by hand).  ``compiled`` is filled lazily by the
    execution tier; a host (e.g. a JS tier) may hang its own compiled form on ``host_data``.
    """

    __slots__ = ("type", "module", "index", "code", "host", "compiled", "host_data", "__weakref__")

    def __init__(
        self,
        type: Any,
        module: ModuleInst | None = None,
        index: int = -1,
        code: Any = None,
        host: Callable[..., Any] | None = None,
    ) -> None:
        self.type = type
        self.module = module
        self.index = index  # index in the defining module's function space
        self.code = code  # engine.syntax.ast.Func for wasm functions
        self.host = host  # Python callable for host functions: host(*args) -> result(s)
        self.compiled: Any = None
        self.host_data: Any = None


class TableInst:
    __slots__ = ("type", "elements", "__weakref__")

    def __init__(self, type: TableType, init: Any = None) -> None:
        self.type = type
        self.elements: list[Any] = [init] * type.limits.min

    def grow(self, delta: int, init: Any) -> int:
        """Grow by ``delta`` entries; return the old size, or -1 (spec 4.5.3.10)."""
        old = len(self.elements)
        new = old + delta
        limit = self.type.limits.max
        cap = 2**64 - 1 if self.type.address == "i64" else 2**32 - 1
        if new > cap or (limit is not None and new > limit) or new > 10_000_000:
            return -1
        self.elements.extend([init] * delta)
        return old


class MemoryInst:
    """Linear memory.  ``data`` is a bytearray, or a host-owned writable memoryview.

    ``grow_hook(mem, new_byte_length)`` lets a host supply the new backing store (for instance a
    fresh JS ArrayBuffer); it must return the new buffer with the old contents copied in.
    """

    __slots__ = ("type", "data", "grow_hook", "max_pages", "__weakref__")

    def __init__(
        self,
        type: MemoryType,
        data: bytearray | memoryview | None = None,
        grow_hook: Callable[[MemoryInst, int], bytearray | memoryview] | None = None,
        max_pages: int | None = None,
    ) -> None:
        self.type = type
        self.data: bytearray | memoryview = (
            data if data is not None else bytearray(type.limits.min * PAGE_SIZE)
        )
        self.grow_hook = grow_hook
        # An implementation limit below the spec's (a host may lower it, e.g. JS's 65536 pages).
        self.max_pages = (
            max_pages if max_pages is not None else (2**48 if type.address == "i64" else 65536)
        )

    @property
    def pages(self) -> int:
        return len(self.data) // PAGE_SIZE

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages; return the old size in pages, or -1 (spec 4.5.3.9)."""
        old = self.pages
        new = old + delta
        limit = self.type.limits.max
        if new > self.max_pages or (limit is not None and new > limit):
            return -1
        if delta == 0:
            return old
        try:
            if self.grow_hook is not None:
                self.data = self.grow_hook(self, new * PAGE_SIZE)
            elif isinstance(self.data, bytearray):
                try:
                    self.data.extend(bytes(delta * PAGE_SIZE))
                except BufferError:
                    # A live view pins the bytearray: grow into a new one, so the old view
                    # keeps the old bytes (like a detached ArrayBuffer).
                    grown = bytearray(new * PAGE_SIZE)
                    grown[: len(self.data)] = self.data
                    self.data = grown
            else:
                grown = bytearray(new * PAGE_SIZE)
                grown[: len(self.data)] = self.data
                self.data = grown
        except MemoryError:
            return -1
        return old


class GlobalInst:
    __slots__ = ("type", "value", "__weakref__")

    def __init__(self, type: GlobalType, value: Any) -> None:
        self.type = type
        self.value = value


class TagInst:
    """An exception tag; ``type`` is its canonical function type (params = payload)."""

    __slots__ = ("type", "__weakref__")

    def __init__(self, type: Any) -> None:
        self.type = type


class ExnInst:
    """A thrown exception: its tag and payload values."""

    __slots__ = ("tag", "fields", "host_data", "__weakref__")

    def __init__(self, tag: TagInst, fields: list[Any]) -> None:
        self.tag = tag
        self.fields = fields
        self.host_data: Any = None  # e.g. the JS Exception object a host associates with it


class DataInst:
    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data  # b"" once dropped


class ElemInst:
    __slots__ = ("type", "elements")

    def __init__(self, type: RefType, elements: list[Any]) -> None:
        self.type = type
        self.elements = elements  # [] once dropped


class StructInst:
    __slots__ = ("type", "fields", "host_data", "__weakref__")

    def __init__(self, type: Any, fields: list[Any]) -> None:
        self.type = type  # canonical defined type
        self.fields = fields
        self.host_data: Any = None


class ArrayInst:
    __slots__ = ("type", "elements", "host_data", "__weakref__")

    def __init__(self, type: Any, elements: list[Any]) -> None:
        self.type = type
        self.elements = elements
        self.host_data: Any = None


class I31:
    """An ``i31ref``: ``value`` is the unsigned 31-bit payload."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value & 0x7FFFFFFF

    def __eq__(self, other: object) -> bool:
        return isinstance(other, I31) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("i31", self.value))

    def __repr__(self) -> str:
        return f"I31({self.value})"


class HostRef:
    """An ``externref`` value that is an internal reference converted by ``extern.convert_any``.

    Plain host values (anything a host passes as externref) are carried as themselves; only an
    internal reference (I31, struct, array) made external is boxed, so ``any.convert_extern``
    can unbox it again.
    """

    __slots__ = ("ref",)

    def __init__(self, ref: Any) -> None:
        self.ref = ref

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostRef) and other.ref == self.ref

    def __hash__(self) -> int:
        return hash(("host", id(self.ref)))


class ExportInst:
    __slots__ = ("name", "kind", "value")

    def __init__(self, name: str, kind: str, value: Any) -> None:
        self.name = name
        self.kind = kind  # "func" | "table" | "memory" | "global" | "tag"
        self.value = value


class ModuleInst:
    """A module instance: the index spaces, resolved to store objects (spec 4.2.5)."""

    __slots__ = (
        "module",
        "types",
        "funcs",
        "tables",
        "memories",
        "globals",
        "tags",
        "elems",
        "datas",
        "exports",
        "name",
        "host_data",
        "__weakref__",
    )

    def __init__(self, module: Any) -> None:
        self.module = module  # engine.syntax.ast.Module
        self.types: list[Any] = []  # canonical defined types, by type index
        self.funcs: list[FuncInst] = []
        self.tables: list[TableInst] = []
        self.memories: list[MemoryInst] = []
        self.globals: list[GlobalInst] = []
        self.tags: list[TagInst] = []
        self.elems: list[ElemInst] = []
        self.datas: list[DataInst] = []
        self.exports: dict[str, ExportInst] = {}
        self.name: str | None = None
        self.host_data: Any = None  # room for a host's per-instance state (e.g. a JS tier)
