"""The store and the extern objects of the embedding API: ``Func``, ``Memory``, ``Table``,
``Global``, ``Tag``.

Each wraps one runtime object of engine/runtime/instances.py; wrappers of the same runtime
object compare equal.  Python values cross the boundary converted by the declared types:
i32/i64 accept any int in range (negative values wrap) and come back signed, floats are
floats (f32 rounded to single precision), funcref is a ``Func`` or ``None``, externref any
Python object or ``None``.
"""

from __future__ import annotations

import math
import struct
import time
from collections.abc import Callable, Sequence
from typing import Any

from engine.api.types import FuncType, GlobalType, MemoryType, TableType, TagType, ValType, _raw
from engine.errors import WasmError
from engine.runtime import host as H
from engine.runtime.instances import FuncInst, GlobalInst, MemoryInst, TableInst, TagInst
from engine.runtime.instantiate import call
from engine.runtime.store import Store as _RuntimeStore
from engine.runtime.values import to_signed
from engine.syntax import types as T


class Store:
    """Owns everything instances create, and the limits under which their code runs."""

    def __init__(self, engine: Any = None, *, max_call_depth: int = 10_000) -> None:
        self._store = _RuntimeStore(max_call_depth=max_call_depth)

    def set_fuel(self, fuel: int | None) -> None:
        """Limit execution to ``fuel`` units (None: unlimited); running out traps."""
        self._store.fuel = fuel

    def get_fuel(self) -> int | None:
        return self._store.fuel

    def add_fuel(self, amount: int) -> None:
        self._store.add_fuel(amount)

    def set_deadline(self, seconds: float | None) -> None:
        """Interrupt running code (trap "interrupted") ``seconds`` from now; None: never."""
        self._store.deadline = None if seconds is None else time.monotonic() + seconds

    def interrupt(self) -> None:
        """Make running code trap with "interrupted" (safe to call from another thread)."""
        self._store.interrupt = True


# --- value conversion ------------------------------------------------------------------

_F32 = struct.Struct("<f")


def _to_f32(x: float) -> float:
    try:
        return float(_F32.unpack(_F32.pack(x))[0])
    except OverflowError:  # rounds past the largest finite f32
        return math.copysign(math.inf, x)


def to_wasm(v: Any, t: T.ValType) -> Any:
    """A Python value as a runtime value of type ``t``."""
    if t == "i32" or t == "i64":
        bits = 32 if t == "i32" else 64
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"expected an int for {t}, got {type(v).__name__}")
        if not -(1 << (bits - 1)) <= v < (1 << bits):
            raise ValueError(f"{v} out of range for {t}")
        return v & ((1 << bits) - 1)
    if t == "f32" or t == "f64":
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise TypeError(f"expected a float for {t}, got {type(v).__name__}")
        return _to_f32(float(v)) if t == "f32" else float(v)
    if t == "v128":
        if not isinstance(v, int):
            raise TypeError("expected an int for v128")
        return v & ((1 << 128) - 1)
    if v is None:
        if isinstance(t, T.RefType) and not t.nullable:
            raise TypeError(f"null is not a value of {t}")
        return None
    if isinstance(v, (Func, Memory, Table, Global, Tag)):
        return v._inst
    return v


def from_wasm(v: Any, t: T.ValType) -> Any:
    """A runtime value of type ``t`` as a Python value."""
    if t == "i32":
        return to_signed(v, 32)
    if t == "i64":
        return to_signed(v, 64)
    if isinstance(v, FuncInst):
        return Func._wrap(v)
    return v


def wrap_extern(x: Any) -> Any:
    """The API object for a runtime extern."""
    if isinstance(x, FuncInst):
        return Func._wrap(x)
    if isinstance(x, MemoryInst):
        return Memory._wrap(x)
    if isinstance(x, TableInst):
        return Table._wrap(x)
    if isinstance(x, GlobalInst):
        return Global._wrap(x)
    if isinstance(x, TagInst):
        return Tag._wrap(x)
    raise TypeError(f"not an extern: {x!r}")


def unwrap_extern(x: Any) -> Any:
    if isinstance(x, (Func, Memory, Table, Global, Tag)):
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


class Func(_Extern):
    """A function: defined by a module, or a host function ``Func(store, ty, callable)``.

    A host callable receives the arguments as Python values and returns None (no results), a
    value (one result) or a sequence (several).  Whatever it raises propagates unchanged
    through the wasm frames to the Python code that called into wasm.
    """

    __slots__ = ()

    def __init__(self, store: Store, ty: FuncType, fn: Callable[..., Any]) -> None:
        params = ty._t.params
        results = ty._t.results

        def host(*args: Any) -> list[Any]:
            r = fn(*(from_wasm(a, t) for a, t in zip(args, params)))
            if not results:
                return []
            if len(results) == 1:
                return [to_wasm(r, results[0])]
            if not isinstance(r, Sequence) or len(r) != len(results):
                raise TypeError(f"host function must return {len(results)} values")
            return [to_wasm(x, t) for x, t in zip(r, results)]

        self._inst = H.host_func(ty._canonical(), host)

    def type(self, store: Store | None = None) -> FuncType:
        return FuncType._from_deftype(self._inst.type)

    def __call__(self, store: Store, *args: Any) -> Any:
        ft = self._inst.type.comp
        if len(args) != len(ft.params):
            raise TypeError(f"expected {len(ft.params)} arguments, got {len(args)}")
        vals = [to_wasm(a, t) for a, t in zip(args, ft.params)]
        out = call(store._store, self._inst, vals)
        res = [from_wasm(v, t) for v, t in zip(out, ft.results)]
        if not res:
            return None
        return res[0] if len(res) == 1 else tuple(res)


class Memory(_Extern):
    __slots__ = ()

    def __init__(self, store: Store, ty: MemoryType) -> None:
        mt = ty._raw()
        if mt.limits.max is not None and mt.limits.min > mt.limits.max:
            raise WasmError("size minimum must not be greater than maximum")
        if mt.limits.min > 65536 and mt.address == "i32":
            raise WasmError("memory size must be at most 65536 pages (4GiB)")
        self._inst = H.new_memory(mt)

    def type(self, store: Store | None = None) -> MemoryType:
        return MemoryType._from_raw(self._inst.type)

    def size(self, store: Store | None = None) -> int:
        """Current size in pages."""
        return int(self._inst.pages)

    def data_len(self, store: Store | None = None) -> int:
        """Current size in bytes."""
        return len(self._inst.data)

    def grow(self, store: Store | None, delta: int) -> int:
        """Grow by ``delta`` pages and return the old size; WasmError if it cannot."""
        if delta < 0:
            raise ValueError("delta must not be negative")
        old = self._inst.grow(delta)
        if old < 0:
            raise WasmError("failed to grow memory")
        return int(old)

    def read(self, store: Store | None, start: int = 0, stop: int | None = None) -> bytes:
        data = self._inst.data
        n = len(data)
        stop = n if stop is None else stop
        if not 0 <= start <= stop <= n:
            raise IndexError("out of bounds memory access")
        return bytes(data[start:stop])

    def write(
        self, store: Store | None, value: bytes | bytearray | memoryview, start: int = 0
    ) -> int:
        data = self._inst.data
        b = bytes(value)
        if not 0 <= start or start + len(b) > len(data):
            raise IndexError("out of bounds memory access")
        data[start : start + len(b)] = b
        return len(b)

    def buffer(self, store: Store | None = None) -> memoryview:
        """A writable view of the current bytes.  Growing may replace the buffer, so take a
        fresh view after anything that can grow the memory."""
        return memoryview(self._inst.data)

    def __buffer__(self, flags: int) -> memoryview:
        return memoryview(self._inst.data)


class Table(_Extern):
    __slots__ = ()

    def __init__(self, store: Store, ty: TableType, init: Any = None) -> None:
        tt = ty._raw()
        if tt.limits.max is not None and tt.limits.min > tt.limits.max:
            raise WasmError("size minimum must not be greater than maximum")
        if tt.limits.min > 10_000_000:
            raise WasmError("table too large")
        self._inst = H.new_table(tt, to_wasm(init, tt.elem))

    def type(self, store: Store | None = None) -> TableType:
        return TableType._from_raw(self._inst.type)

    def size(self, store: Store | None = None) -> int:
        return len(self._inst.elements)

    def get(self, store: Store | None, idx: int) -> Any:
        els = self._inst.elements
        if not 0 <= idx < len(els):
            raise IndexError("out of bounds table access")
        return from_wasm(els[idx], self._inst.type.elem)

    def set(self, store: Store | None, idx: int, val: Any) -> None:
        els = self._inst.elements
        if not 0 <= idx < len(els):
            raise IndexError("out of bounds table access")
        els[idx] = self._check_ref(val)

    def grow(self, store: Store | None, delta: int, init: Any = None) -> int:
        old = self._inst.grow(delta, self._check_ref(init))
        if old < 0:
            raise WasmError("failed to grow table")
        return int(old)

    def _check_ref(self, val: Any) -> Any:
        elem = self._inst.type.elem
        v = to_wasm(val, elem)
        if elem.heap == "func" and v is not None and not isinstance(v, FuncInst):
            raise TypeError("a funcref table holds Func objects or None")
        return v


class Global(_Extern):
    __slots__ = ()

    def __init__(self, store: Store, ty: GlobalType, value: Any) -> None:
        gt = ty._raw()
        self._inst = H.new_global(gt, to_wasm(value, gt.type))

    def type(self, store: Store | None = None) -> GlobalType:
        return GlobalType._from_raw(self._inst.type)

    def value(self, store: Store | None = None) -> Any:
        return from_wasm(self._inst.value, self._inst.type.type)

    def set_value(self, store: Store | None, value: Any) -> None:
        gt = self._inst.type
        if not gt.mutable:
            raise WasmError("immutable global cannot be set")
        self._inst.value = to_wasm(value, gt.type)


class Tag(_Extern):
    """An exception tag; ``ty`` is the payload's function type (no results)."""

    __slots__ = ()

    def __init__(self, store: Store, ty: FuncType | TagType) -> None:
        ft = ty.functype if isinstance(ty, TagType) else ty
        if ft._t.results:
            raise WasmError("a tag's function type must have no results")
        self._inst = H.new_tag(ft._canonical())

    def type(self, store: Store | None = None) -> TagType:
        return TagType(FuncType._from_deftype(self._inst.type))


__all__ = ["Func", "Global", "Memory", "Store", "Table", "Tag", "ValType", "_raw"]
