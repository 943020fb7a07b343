"""The extern objects of the embedding API: ``Func`` (with ``Caller``), ``Memory``, ``Table``,
``Global``, ``Tag``, and the API's ``WasmException``.

Each wraps one runtime object of engine/runtime/instances.py; wrappers of the same runtime
object compare equal.  Python values cross the boundary converted by the declared types (see
engine/api/values.py).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any

from engine import errors
from engine.api import values
from engine.api.store import Store
from engine.api.types import FuncType, GlobalType, MemoryType, TableType, TagType
from engine.api.values import from_wasm, plan_of, to_wasm
from engine.errors import WasmError
from engine.exec import WasmThrow, invoke
from engine.runtime import host as H
from engine.runtime.instances import (
    ExnInst,
    FuncInst,
    GlobalInst,
    MemoryInst,
    ModuleInst,
    TableInst,
    TagInst,
)


class WasmException(errors.WasmException):
    """A wasm exception that reached Python uncaught: ``tag`` (a ``Tag``) and ``payload`` (the
    values it carries, converted like function results).  ``exn`` is the runtime exception.

    Raised from a host function, ``WasmException(tag, [values])`` throws a wasm exception that
    wasm code can catch (``try_table``); one caught in Python can be re-raised the same way.
    """

    def __init__(self, tag_or_exn: Tag | ExnInst, payload: Sequence[Any] = ()) -> None:
        if isinstance(tag_or_exn, Tag):
            params = tag_or_exn._inst.type.comp.params
            if len(payload) != len(params):
                raise TypeError(f"the tag carries {len(params)} values, got {len(payload)}")
            fields = [to_wasm(v, t) for v, t in zip(payload, params)]
            tag_or_exn = ExnInst(tag_or_exn._inst, fields)
        super().__init__(tag_or_exn)

    @property
    def tag(self) -> Tag:  # type: ignore[override]
        return Tag._wrap(self.exn.tag)

    @property
    def payload(self) -> list[Any]:  # type: ignore[override]
        params = self.exn.tag.type.comp.params
        return [from_wasm(v, t) for v, t in zip(self.exn.fields, params)]


def call_func(store: Any, fi: FuncInst, args: list[Any]) -> list[Any]:
    """Run ``fi`` in ``store``; uncaught wasm exceptions surface as the API's WasmException."""
    try:
        return invoke(store._store, fi, args)
    except WasmThrow as e:
        raise WasmException(e.exn) from None


def wrap_extern(x: Any) -> Any:
    """The API object for a runtime extern."""
    cls = _WRAPPERS.get(type(x))
    if cls is None:
        raise TypeError(f"not an extern: {x!r}")
    return cls._wrap(x)


def unwrap_extern(x: Any) -> Any:
    if isinstance(x, _Extern):
        return x._inst
    raise TypeError(f"expected Func, Memory, Table, Global or Tag, got {type(x).__name__}")


class _Extern:
    __slots__ = ("_inst",)
    _inst: Any

    @classmethod
    def _wrap(cls, inst: Any) -> Any:
        obj = cls.__new__(cls)
        obj._inst = inst
        return obj

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._inst is self._inst  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return id(self._inst)


class Caller:
    """What a host function made with ``access_caller=True`` receives first: the exports of
    the instance whose wasm code made the call (``caller["memory"]``, ``caller.get(name)``).

    It can stand in for the store (``mem.read(caller, 0, 4)``, ``func(caller, ...)``), and is
    valid only while the host function runs.
    """

    __slots__ = ("_api_store", "_store", "_instance")

    def __init__(self, store: Store | None, instance: ModuleInst | None, rt_store: Any) -> None:
        if rt_store is None and store is not None:
            rt_store = store._store
        api = getattr(rt_store, "host_data", None)
        self._api_store = api if isinstance(api, Store) else store
        self._store = rt_store
        self._instance = instance

    def get(self, name: str) -> Any:
        """The calling instance's export ``name``, or None (unknown name, no calling wasm
        instance, or the call has returned)."""
        inst = self._instance
        if inst is None:
            return None
        ex = inst.exports.get(name)
        return wrap_extern(ex.value) if ex is not None else None

    def __getitem__(self, name: str) -> Any:
        ext = self.get(name)
        if ext is None:
            raise KeyError(f"failed to find export {name}")
        return ext

    @property
    def store(self) -> Store | None:
        return self._api_store

    @property
    def data(self) -> Any:
        """The store's ``data``."""
        return None if self._api_store is None else self._api_store.data

    def _invalidate(self) -> None:
        self._instance = None


class Func(_Extern):
    """A function: exported by an instance, or a host function ``Func(store, ty, callable)``.

    Calling: ``func(store, *args)`` returns None (no results), the value (one result) or a
    tuple (several).  A host callable receives the arguments as Python values (preceded by a
    ``Caller`` if ``access_caller``) and returns results the same way.  Whatever it raises
    propagates unchanged through the wasm frames to the Python code that called into wasm.
    """

    __slots__ = ()

    def __init__(
        self,
        store: Store | None,
        ty: FuncType,
        fn: Callable[..., Any],
        access_caller: bool = False,
    ) -> None:
        if not isinstance(ty, FuncType):
            raise TypeError("expected a FuncType")
        if not callable(fn):
            raise TypeError("expected a callable")
        self._inst = H.host_func(ty._canonical(), _host_adapter(store, ty, fn, access_caller))

    def type(self, store: Any = None) -> FuncType:
        return FuncType._from_deftype(self._inst.type)

    def param_arity(self, store: Any = None) -> int:
        return len(self._inst.type.comp.params)

    def result_arity(self, store: Any = None) -> int:
        return len(self._inst.type.comp.results)

    def __call__(self, store: Store | Caller, *args: Any) -> Any:
        fi = self._inst
        plan = plan_of(fi.type)
        if len(args) != plan.nparams:
            raise TypeError(f"expected {plan.nparams} arguments, got {len(args)}")
        vals = [c(a) for c, a in zip(plan.args, args)]
        try:
            out = invoke(store._store, fi, vals)
        except WasmThrow as e:
            raise WasmException(e.exn) from None
        return plan.convert_results(out)

    def __repr__(self) -> str:
        return f"<Func {self._inst.type.comp}>"


def _host_adapter(
    store: Store | None, ty: FuncType, fn: Callable[..., Any], access_caller: bool
) -> Callable[..., list[Any]]:
    """The runtime-level host function around a Python callable: converts arguments and
    results, and turns an API WasmException into a wasm throw that wasm code can catch."""
    params = ty._t.params
    results = ty._t.results
    n = len(results)

    def host(*args: Any) -> list[Any]:
        caller = None
        if access_caller:
            # The execution tier passes the calling instance and its store (wants_caller).
            caller = Caller(store, args[0], args[1])
            args = args[2:]
        py = [from_wasm(a, t) for a, t in zip(args, params)]
        if caller is not None:
            py.insert(0, caller)
        try:
            r = fn(*py)
        except errors.WasmException as e:
            raise WasmThrow(e.exn) from None
        finally:
            if caller is not None:
                caller._invalidate()
        if n == 0:
            if r is not None:
                raise TypeError("host function returned a value but its type has no results")
            return []
        if n == 1:
            return [to_wasm(r, results[0])]
        if not isinstance(r, Sequence) or len(r) != n:
            raise TypeError(f"host function must return a sequence of {n} values")
        return [to_wasm(x, t) for x, t in zip(r, results)]

    host.wants_caller = access_caller  # type: ignore[attr-defined]
    return host


class Memory(_Extern):
    """A linear memory: ``Memory(store, MemoryType(Limits(1, 4)))`` or an instance's export.

    Bytes are reached through ``read``/``write``, indexing (``mem[0:5]``, ``mem[3] = 1``), or
    ``buffer(store)``, a live writable ``memoryview``.  Growing the memory may move its bytes:
    take a fresh view after anything that can grow it (a call into wasm, ``grow``).
    """

    __slots__ = ()

    def __init__(self, store: Store, ty: MemoryType) -> None:
        mt = ty._raw()
        if mt.limits.max is not None and mt.limits.min > mt.limits.max:
            raise WasmError("size minimum must not be greater than maximum")
        if mt.limits.min > 65536 and mt.address == "i32":
            raise WasmError("memory size must be at most 65536 pages (4GiB)")
        if mt.shared and mt.limits.max is None:
            raise WasmError("shared memory must have maximum")
        self._inst = H.new_memory(mt)

    def type(self, store: Any = None) -> MemoryType:
        return MemoryType._from_raw(self._inst.type)

    def size(self, store: Any = None) -> int:
        """Current size in pages."""
        return int(self._inst.pages)

    def data_len(self, store: Any = None) -> int:
        """Current size in bytes."""
        return len(self._inst.data)

    def grow(self, store: Any, delta: int) -> int:
        """Grow by ``delta`` pages and return the old size; WasmError if it cannot."""
        if delta < 0:
            raise WasmError("cannot grow by negative amount")
        old = self._inst.grow(delta)
        if old < 0:
            raise WasmError("failed to grow memory")
        return int(old)

    def read(self, store: Any, start: int = 0, stop: int | None = None) -> bytes:
        """A copy of bytes ``start`` to ``stop`` (default: the end); IndexError if outside."""
        data = self._inst.data
        n = len(data)
        stop = n if stop is None else stop
        if not 0 <= start <= stop <= n:
            raise IndexError("out of bounds memory access")
        return bytes(data[start:stop])

    def write(self, store: Any, value: bytes | bytearray | memoryview, start: int = 0) -> int:
        """Copy ``value`` in at ``start``; returns the number of bytes written."""
        data = self._inst.data
        b = bytes(value)
        if start < 0 or start + len(b) > len(data):
            raise IndexError("out of bounds memory access")
        data[start : start + len(b)] = b
        return len(b)

    def buffer(self, store: Any = None) -> memoryview:
        """A writable view of the current bytes."""
        return memoryview(self._inst.data)

    def data_ptr(self, store: Any = None) -> Any:
        """A ``ctypes`` pointer to the first byte (valid until the memory grows; bounds are
        ``data_len``)."""
        data = self._inst.data
        arr = (ctypes.c_ubyte * len(data)).from_buffer(data)
        return ctypes.cast(arr, ctypes.POINTER(ctypes.c_ubyte))

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice) and key.step not in (None, 1):
            raise ValueError("slice with step is not supported")
        data = self._inst.data
        return bytes(data[key]) if isinstance(key, slice) else data[key]

    def __setitem__(self, key: int | slice, value: Any) -> None:
        data = self._inst.data
        if isinstance(key, slice):
            start, stop, step = key.indices(len(data))
            if step != 1:
                raise ValueError("slice with step is not supported")
            b = bytes(value)
            if stop - start != len(b):
                raise ValueError("slice and value lengths differ")
            data[start:stop] = b
        else:
            data[key] = value

    def __bytes__(self) -> bytes:
        return bytes(self._inst.data)

    def __buffer__(self, flags: int) -> memoryview:
        return memoryview(self._inst.data)

    def __repr__(self) -> str:
        return f"<Memory {self.size()} pages>"


class Table(_Extern):
    """A table: ``Table(store, TableType(ValType.funcref(), Limits(2)), None)``."""

    __slots__ = ()

    def __init__(self, store: Store, ty: TableType, init: Any = None) -> None:
        tt = ty._raw()
        if tt.limits.max is not None and tt.limits.min > tt.limits.max:
            raise WasmError("size minimum must not be greater than maximum")
        if tt.limits.min > 10_000_000:
            raise WasmError("table too large")
        self._inst = H.new_table(tt, to_wasm(init, tt.elem))

    def type(self, store: Any = None) -> TableType:
        return TableType._from_raw(self._inst.type)

    def size(self, store: Any = None) -> int:
        return len(self._inst.elements)

    def get(self, store: Any, idx: int) -> Any:
        """Entry ``idx`` (a ``Func``, None, or the externref's object); IndexError outside."""
        els = self._inst.elements
        if not 0 <= idx < len(els):
            raise IndexError("out of bounds table access")
        return from_wasm(els[idx], self._inst.type.elem)

    def set(self, store: Any, idx: int, val: Any) -> None:
        els = self._inst.elements
        if not 0 <= idx < len(els):
            raise IndexError("out of bounds table access")
        els[idx] = to_wasm(val, self._inst.type.elem)

    def grow(self, store: Any, delta: int, init: Any = None) -> int:
        """Add ``delta`` entries set to ``init``; returns the old size.  WasmError if the
        maximum would be exceeded."""
        if delta < 0:
            raise WasmError("cannot grow by negative amount")
        old = self._inst.grow(delta, to_wasm(init, self._inst.type.elem))
        if old < 0:
            raise WasmError("failed to grow table")
        return int(old)

    def __repr__(self) -> str:
        return f"<Table {self._inst.type.elem} size {self.size()}>"


class Global(_Extern):
    """A global: ``Global(store, GlobalType(ValType.i32(), True), 7)``."""

    __slots__ = ()

    def __init__(self, store: Store, ty: GlobalType, value: Any) -> None:
        gt = ty._raw()
        self._inst = H.new_global(gt, to_wasm(value, gt.type))

    def type(self, store: Any = None) -> GlobalType:
        return GlobalType._from_raw(self._inst.type)

    def value(self, store: Any = None) -> Any:
        return from_wasm(self._inst.value, self._inst.type.type)

    def set_value(self, store: Any, value: Any) -> None:
        """Set a mutable global; WasmError "immutable global cannot be set" otherwise."""
        gt = self._inst.type
        if not gt.mutable:
            raise WasmError("immutable global cannot be set")
        self._inst.value = to_wasm(value, gt.type)

    def __repr__(self) -> str:
        return f"<Global {self.type()} = {self.value()!r}>"


class Tag(_Extern):
    """An exception tag; ``ty`` is the payload's function type (no results)."""

    __slots__ = ()

    def __init__(self, store: Store, ty: FuncType | TagType) -> None:
        ft = ty.functype if isinstance(ty, TagType) else ty
        if ft._t.results:
            raise WasmError("non-empty tag result type")
        self._inst = H.new_tag(ft._canonical())

    def type(self, store: Any = None) -> TagType:
        return TagType(FuncType._from_deftype(self._inst.type))

    def __repr__(self) -> str:
        return f"<Tag {self._inst.type.comp}>"


_WRAPPERS: dict[type, Any] = {
    FuncInst: Func,
    MemoryInst: Memory,
    TableInst: Table,
    GlobalInst: Global,
    TagInst: Tag,
}

values.wrap_func = Func._wrap
values.func_class = Func

__all__ = [
    "Caller",
    "Func",
    "Global",
    "Memory",
    "Table",
    "Tag",
    "WasmException",
    "call_func",
    "unwrap_extern",
    "wrap_extern",
]
