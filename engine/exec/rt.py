"""Run-time helpers called by compiled code for the instructions that are too big to inline:
bulk memory and table operations, references and casts, GC aggregates, exceptions, atomics.

Every helper raises ``Trap`` with the reference interpreter's message itself, so compiled code
never has to interpret a helper's Python exception.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable
from typing import Any

from engine.errors import Trap
from engine.runtime.const import externalize, field_default, internalize
from engine.runtime.float_bits import f32_from_bits, f64_from_bits
from engine.runtime.instances import (
    I31,
    PAGE_SIZE,
    ArrayInst,
    DataInst,
    ElemInst,
    ExnInst,
    FuncInst,
    MemoryInst,
    StructInst,
    TableInst,
)
from engine.syntax.types import ArrayType, FieldType, RefType
from engine.valid.match import DefType, def_subtype

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF
# Aggregates larger than this fail with "out of memory" instead of exhausting the host.
MAX_AGGREGATE = 1 << 26


def trap(msg: str) -> Any:
    raise Trap(msg)


def oob_mem() -> Any:
    raise Trap("out of bounds memory access")


class WasmThrow(Exception):
    """A wasm exception in flight between wasm (and host) frames; ``exn`` is its ExnInst."""

    def __init__(self, exn: ExnInst) -> None:
        super().__init__("uncaught exception")
        self.exn = exn


def throw(tag: Any, fields: list[Any]) -> Any:
    raise WasmThrow(ExnInst(tag, fields))


def throw_ref(exn: ExnInst | None) -> Any:
    if exn is None:
        raise Trap("null exception reference")
    raise WasmThrow(exn)


# --- Memories (spec 4.4.7) ------------------------------------------------------------------


def mem_grow(mem: MemoryInst, delta: int, mask: int) -> int:
    return mem.grow(delta) & mask


def mem_fill(mem: MemoryInst, d: int, val: int, n: int) -> None:
    data = mem.data
    if d + n > len(data):
        raise Trap("out of bounds memory access")
    if n:
        data[d : d + n] = bytes((val & 0xFF,)) * n


def mem_copy(dst: MemoryInst, src: MemoryInst, d: int, s: int, n: int) -> None:
    ddata = dst.data
    sdata = src.data
    if d + n > len(ddata) or s + n > len(sdata):
        raise Trap("out of bounds memory access")
    if n:
        # A copy of the source, so overlapping ranges move correctly (a bytearray's slice
        # is one; a host memoryview's slice is not).
        chunk = sdata[s : s + n]
        if chunk.__class__ is memoryview:
            chunk = chunk.tobytes()
        ddata[d : d + n] = chunk


def mem_init(mem: MemoryInst, seg: DataInst, d: int, s: int, n: int) -> None:
    data = mem.data
    src = seg.data
    if d + n > len(data) or s + n > len(src):
        raise Trap("out of bounds memory access")
    if n:
        data[d : d + n] = src[s : s + n]


_QQ = struct.Struct("<QQ")


def v128_load(data: Any, ea: int) -> int:
    lo, hi = _QQ.unpack_from(data, ea)
    return lo | (hi << 64)


def v128_store(data: Any, ea: int, v: int) -> None:
    _QQ.pack_into(data, ea, v & M64, v >> 64)


def load_raw(data: Any, ea: int, n: int) -> int:
    """``n`` bytes at ``ea`` as a little-endian unsigned int (bounds-checked)."""
    if ea + n > len(data):
        raise Trap("out of bounds memory access")
    return int.from_bytes(data[ea : ea + n], "little")


def store_raw(data: Any, ea: int, n: int, v: int) -> None:
    if ea + n > len(data):
        raise Trap("out of bounds memory access")
    data[ea : ea + n] = (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little")


# --- Atomics (threads proposal) ---------------------------------------------------------------

_atomic_lock = threading.Lock()


def _atomic_check(data: Any, ea: int, n: int) -> None:
    if ea & (n - 1):
        raise Trap("unaligned atomic")
    if ea + n > len(data):
        raise Trap("out of bounds memory access")


def atomic_load(mem: MemoryInst, ea: int, n: int) -> int:
    data = mem.data
    _atomic_check(data, ea, n)
    return int.from_bytes(data[ea : ea + n], "little")


def atomic_store(mem: MemoryInst, ea: int, n: int, v: int) -> None:
    data = mem.data
    _atomic_check(data, ea, n)
    data[ea : ea + n] = (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little")


_RMW: dict[str, Callable[[int, int], int]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "xchg": lambda a, b: b,
}


def atomic_rmw(mem: MemoryInst, ea: int, n: int, op: str, v: int) -> int:
    data = mem.data
    _atomic_check(data, ea, n)
    mask = (1 << (8 * n)) - 1
    with _atomic_lock:
        old = int.from_bytes(data[ea : ea + n], "little")
        data[ea : ea + n] = (_RMW[op](old, v) & mask).to_bytes(n, "little")
    return old


def atomic_cmpxchg(mem: MemoryInst, ea: int, n: int, expected: int, repl: int) -> int:
    data = mem.data
    _atomic_check(data, ea, n)
    mask = (1 << (8 * n)) - 1
    with _atomic_lock:
        old = int.from_bytes(data[ea : ea + n], "little")
        if old == expected & mask:
            data[ea : ea + n] = (repl & mask).to_bytes(n, "little")
    return old


def atomic_wait(store: Any, mem: MemoryInst, ea: int, expected: int, timeout: int, n: int) -> int:
    data = mem.data
    _atomic_check(data, ea, n)
    if not mem.type.shared:
        raise Trap("expected shared memory")
    hook = store.wait_hook
    if hook is not None:
        return int(hook(mem, ea, expected, timeout, n == 8))
    if int.from_bytes(data[ea : ea + n], "little") != expected:
        return 1
    if timeout >= 1 << 63:  # negative as a signed i64: wait forever, and nobody can notify
        raise Trap("wait would block forever")
    return 2


def atomic_notify(store: Any, mem: MemoryInst, ea: int, count: int) -> int:
    _atomic_check(mem.data, ea, 4)
    hook = store.notify_hook
    if hook is None or not mem.type.shared:
        return 0
    return int(hook(mem, ea, count))


# --- Tables (spec 4.4.6) -------------------------------------------------------------------


def table_get(t: TableInst, i: int) -> Any:
    elems = t.elements
    if i >= len(elems):
        raise Trap("out of bounds table access")
    return elems[i]


def table_set(t: TableInst, i: int, v: Any) -> None:
    elems = t.elements
    if i >= len(elems):
        raise Trap("out of bounds table access")
    elems[i] = v


def table_grow(t: TableInst, v: Any, n: int, mask: int) -> int:
    return t.grow(n, v) & mask


def table_fill(t: TableInst, i: int, v: Any, n: int) -> None:
    elems = t.elements
    if i + n > len(elems):
        raise Trap("out of bounds table access")
    elems[i : i + n] = [v] * n


def table_copy(dst: TableInst, src: TableInst, d: int, s: int, n: int) -> None:
    if d + n > len(dst.elements) or s + n > len(src.elements):
        raise Trap("out of bounds table access")
    if n:
        dst.elements[d : d + n] = src.elements[s : s + n]


def table_init(t: TableInst, seg: ElemInst, d: int, s: int, n: int) -> None:
    if d + n > len(t.elements) or s + n > len(seg.elements):
        raise Trap("out of bounds table access")
    if n:
        t.elements[d : d + n] = seg.elements[s : s + n]


def indirect(t: TableInst, i: int, dt: DefType, entry: Callable[[FuncInst], Any]) -> Any:
    """The callable behind ``call_indirect``: bounds, null and type checks (spec 4.4.8.7)."""
    elems = t.elements
    if i >= len(elems):
        raise Trap(f"undefined element {i}")
    f = elems[i]
    if f is None:
        raise Trap(f"uninitialized element {i}")
    if f.type is not dt and not def_subtype(f.type, dt):
        raise Trap("indirect call type mismatch")
    return f.compiled or entry(f)


def func_ref(f: FuncInst | None, entry: Callable[[FuncInst], Any]) -> Any:
    if f is None:
        raise Trap("null function reference")
    return f.compiled or entry(f)


# --- References (spec 4.4.5) ----------------------------------------------------------------


def ref_eq(a: Any, b: Any) -> int:
    if a is b:
        return 1
    return 1 if type(a) is I31 and a == b else 0


def as_non_null(v: Any) -> Any:
    if v is None:
        raise Trap("null reference")
    return v


def i31_get(v: I31 | None, signed: bool) -> int:
    if v is None:
        raise Trap("null i31 reference")
    x = v.value
    if signed and x & 0x40000000:
        return (x | 0xFFFFFFFF80000000) & M32
    return x


def any_convert_extern(v: Any) -> Any:
    return None if v is None else internalize(v)


def extern_convert_any(v: Any) -> Any:
    return None if v is None else externalize(v)


_ABSTRACT: dict[str, Callable[[Any], bool]] = {
    "any": lambda v: True,
    "eq": lambda v: type(v) in (I31, StructInst, ArrayInst),
    "i31": lambda v: type(v) is I31,
    "struct": lambda v: type(v) is StructInst,
    "array": lambda v: type(v) is ArrayInst,
    "func": lambda v: True,
    "extern": lambda v: True,
    "exn": lambda v: True,
    "none": lambda v: False,
    "nofunc": lambda v: False,
    "noextern": lambda v: False,
    "noexn": lambda v: False,
}


def ref_tester(rt: RefType) -> Callable[[Any], bool]:
    """A predicate for ``ref.test rt`` on a value of the right hierarchy (spec 4.4.5.x)."""
    nullable = rt.nullable
    heap = rt.heap
    if isinstance(heap, DefType):
        d = heap

        def test_def(v: Any) -> bool:
            if v is None:
                return nullable
            t = getattr(v, "type", None)
            if not isinstance(t, DefType) or type(v) is ExnInst:
                return False
            return t is d or def_subtype(t, d)

        return test_def
    pred = _ABSTRACT[heap]  # type: ignore[index]

    def test_abs(v: Any) -> bool:
        return nullable if v is None else pred(v)

    return test_abs


def ref_caster(rt: RefType) -> Callable[[Any], Any]:
    test = ref_tester(rt)

    def cast(v: Any) -> Any:
        if test(v):
            return v
        raise Trap("cast failure")

    return cast


# --- Aggregates (spec 4.4.5 GC instructions) -------------------------------------------------


def _sext(v: int, bits: int) -> int:
    return (v | (-1 << bits)) & M32 if v >> (bits - 1) & 1 else v


def struct_get(s: StructInst | None, i: int) -> Any:
    if s is None:
        raise Trap("null structure reference")
    return s.fields[i]


def struct_get_s(s: StructInst | None, i: int, bits: int) -> int:
    if s is None:
        raise Trap("null structure reference")
    return _sext(s.fields[i], bits)


def struct_set(s: StructInst | None, i: int, v: Any) -> None:
    if s is None:
        raise Trap("null structure reference")
    s.fields[i] = v


def _check_size(n: int) -> None:
    if n > MAX_AGGREGATE:
        raise Trap("out of memory")


def array_new(dt: DefType, v: Any, n: int) -> ArrayInst:
    _check_size(n)
    return ArrayInst(dt, [v] * n)


def array_new_default(dt: DefType, n: int) -> ArrayInst:
    _check_size(n)
    return ArrayInst(dt, [field_default(dt.comp.field)] * n)


_STORAGE_SIZE = {"i8": 1, "i16": 2, "i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16}


def _read_storage(src: bytes, at: int, st: str) -> Any:
    n = _STORAGE_SIZE[st]
    raw = int.from_bytes(src[at : at + n], "little")
    if st == "f32":
        return f32_from_bits(raw)
    if st == "f64":
        return f64_from_bits(raw)
    return raw


def _data_values(ft: FieldType, seg: DataInst, s: int, n: int) -> list[Any]:
    st = ft.storage
    assert isinstance(st, str)
    size = _STORAGE_SIZE[st]
    if s + n * size > len(seg.data):
        raise Trap("out of bounds memory access")
    src = seg.data
    return [_read_storage(src, s + i * size, st) for i in range(n)]


def array_new_data(dt: DefType, seg: DataInst, s: int, n: int) -> ArrayInst:
    comp: ArrayType = dt.comp
    values = _data_values(comp.field, seg, s, n)
    return ArrayInst(dt, values)


def array_new_elem(dt: DefType, seg: ElemInst, s: int, n: int) -> ArrayInst:
    if s + n > len(seg.elements):
        raise Trap("out of bounds table access")
    return ArrayInst(dt, seg.elements[s : s + n])


def array_get(a: ArrayInst | None, i: int) -> Any:
    if a is None:
        raise Trap("null array reference")
    elems = a.elements
    if i >= len(elems):
        raise Trap("out of bounds array access")
    return elems[i]


def array_get_s(a: ArrayInst | None, i: int, bits: int) -> int:
    return _sext(array_get(a, i), bits)


def array_set(a: ArrayInst | None, i: int, v: Any) -> None:
    if a is None:
        raise Trap("null array reference")
    elems = a.elements
    if i >= len(elems):
        raise Trap("out of bounds array access")
    elems[i] = v


def array_len(a: ArrayInst | None) -> int:
    if a is None:
        raise Trap("null array reference")
    return len(a.elements)


def array_fill(a: ArrayInst | None, i: int, v: Any, n: int) -> None:
    if a is None:
        raise Trap("null array reference")
    if i + n > len(a.elements):
        raise Trap("out of bounds array access")
    a.elements[i : i + n] = [v] * n


def array_copy(da: ArrayInst | None, d: int, sa: ArrayInst | None, s: int, n: int) -> None:
    if da is None or sa is None:
        raise Trap("null array reference")
    if s + n > len(sa.elements) or d + n > len(da.elements):
        raise Trap("out of bounds array access")
    if n:
        da.elements[d : d + n] = sa.elements[s : s + n]


def array_init_data(a: ArrayInst | None, seg: DataInst, d: int, s: int, n: int) -> None:
    if a is None:
        raise Trap("null array reference")
    if d + n > len(a.elements):
        raise Trap("out of bounds array access")
    vals = _data_values(a.type.comp.field, seg, s, n)
    a.elements[d : d + n] = vals


def array_init_elem(a: ArrayInst | None, seg: ElemInst, d: int, s: int, n: int) -> None:
    if a is None:
        raise Trap("null array reference")
    if d + n > len(a.elements):
        raise Trap("out of bounds array access")
    if s + n > len(seg.elements):
        raise Trap("out of bounds table access")
    a.elements[d : d + n] = seg.elements[s : s + n]


PAGE = PAGE_SIZE
