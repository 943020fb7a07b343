"""Code generation for memory instructions (spec 4.4.7), vector memory access and atomics.

Plain loads and stores go straight to ``struct.Struct.unpack_from`` / ``pack_into`` (or a byte
index) on the function's cached ``m<k> = M<k>.data``; the bounds check is the one those calls
already make: a ``struct.error`` / ``IndexError`` becomes "out of bounds memory access" in the
function's handler, so an in-bounds access costs no explicit comparison.
"""

from __future__ import annotations

import re
from typing import Any

from engine.syntax.ast import Instr

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF

# op -> (struct format or "byte", post-processing template of the raw value)
LOADS: dict[str, tuple[str, str | None]] = {
    "i32.load": ("I", None),
    "i64.load": ("Q", None),
    "f32.load": ("I", "_f32fb({})"),
    "f64.load": ("d", None),
    "i32.load8_s": ("b", "({} & 0xFFFFFFFF)"),
    "i32.load8_u": ("byte", None),
    "i32.load16_s": ("h", "({} & 0xFFFFFFFF)"),
    "i32.load16_u": ("H", None),
    "i64.load8_s": ("b", "({} & 0xFFFFFFFFFFFFFFFF)"),
    "i64.load8_u": ("byte", None),
    "i64.load16_s": ("h", "({} & 0xFFFFFFFFFFFFFFFF)"),
    "i64.load16_u": ("H", None),
    "i64.load32_s": ("i", "({} & 0xFFFFFFFFFFFFFFFF)"),
    "i64.load32_u": ("I", None),
}

# op -> (struct format or "byte", template turning the value into what is packed)
STORES: dict[str, tuple[str, str]] = {
    "i32.store": ("I", "{}"),
    "i64.store": ("Q", "{}"),
    "f32.store": ("I", "_f32tb({})"),
    "f64.store": ("d", "{}"),
    "i32.store8": ("byte", "({} & 0xFF)"),
    "i32.store16": ("H", "({} & 0xFFFF)"),
    "i64.store8": ("byte", "({} & 0xFF)"),
    "i64.store16": ("H", "({} & 0xFFFF)"),
    "i64.store32": ("I", "({} & 0xFFFFFFFF)"),
}

# v128 loads that read n raw bytes and hand them to simd.VEC_LOAD
VEC_RAW_LOADS = {
    "v128.load8x8_s": 8, "v128.load8x8_u": 8, "v128.load16x4_s": 8, "v128.load16x4_u": 8,
    "v128.load32x2_s": 8, "v128.load32x2_u": 8, "v128.load8_splat": 1, "v128.load16_splat": 2,
    "v128.load32_splat": 4, "v128.load64_splat": 8, "v128.load32_zero": 4,
    "v128.load64_zero": 8,
}  # fmt: skip

_LANE_OP = re.compile(r"^v128\.(load|store)(8|16|32|64)_lane$")
_ATOMIC = re.compile(r"^(i32|i64)\.atomic\.(load|store|rmw)(8|16|32)?(?:\.(\w+?))?(?:_u)?$")


def cached_memory(ins: Instr) -> int | None:
    """The memory whose ``data`` a function caches for this instruction, if any."""
    op = ins.op
    if op in LOADS or op in STORES or op in VEC_RAW_LOADS or op in ("v128.load", "v128.store"):
        return int(ins.imm[0])
    if op == "memory.size" or _LANE_OP.match(op):
        return int(ins.imm[0])
    return None


def _ea(c: Any, addr: str, offset: int) -> str:
    if offset == 0:
        return addr
    if addr.isdigit():
        return str(int(addr) + offset)
    return f"{addr} + {offset}"


def handle(c: Any, ins: Instr) -> bool:
    op = ins.op
    if op in LOADS:
        fmt, post = LOADS[op]
        m, _, off = ins.imm
        ea = _ea(c, c.pop_expr(), off)
        if fmt == "byte":
            c.push_stmt(f"m{m}[{ea}]")
        else:
            c.push_stmt(f"{c.mc.unpacker(fmt)}(m{m}, {ea})[0]")
        if post is not None:
            e, d = c.pop()
            c.push(post.format(e), d)
        return True
    if op in STORES:
        fmt, pre = STORES[op]
        m, _, off = ins.imm
        v = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        if fmt == "byte":
            c.emit(f"m{m}[{ea}] = {pre.format(v)}")
        else:
            c.emit(f"{c.mc.packer(fmt)}(m{m}, {ea}, {pre.format(v)})")
        return True
    if op.startswith("memory.") or op == "data.drop":
        return _bulk(c, ins)
    if op.startswith("v128.") and ins.imm and op != "v128.const":
        return _vector(c, ins)
    if ".atomic." in op or op == "atomic.fence":
        return _atomic(c, ins)
    return False


def _mem(c: Any, k: int) -> str:
    return str(c.name_of(c.inst.memories[k], "M"))


def _bulk(c: Any, ins: Instr) -> bool:
    op = ins.op
    if op == "memory.size":
        k = ins.imm[0]
        c.push_stmt(f"len(m{k}) >> 16")
    elif op == "memory.grow":
        k = ins.imm[0]
        mask = M64 if c.inst.memories[k].type.address == "i64" else M32
        n = c.pop_expr()
        c.push_stmt(f"_mem_grow({_mem(c, k)}, {n}, {mask})")
        if k in c.mems_used:
            c.emit(f"m{k} = M{k}.data")
    elif op == "memory.fill":
        n, v, d = c.pop_expr(), c.pop_expr(), c.pop_expr()
        c.emit(f"_mem_fill({_mem(c, ins.imm[0])}, {d}, {v}, {n})")
    elif op == "memory.copy":
        dst, src = ins.imm
        n, s, d = c.pop_expr(), c.pop_expr(), c.pop_expr()
        c.emit(f"_mem_copy({_mem(c, dst)}, {_mem(c, src)}, {d}, {s}, {n})")
    elif op == "memory.init":
        k, x = ins.imm
        n, s, d = c.pop_expr(), c.pop_expr(), c.pop_expr()
        seg = c.name_of(c.inst.datas[x], "D")
        c.emit(f"_mem_init({_mem(c, k)}, {seg}, {d}, {s}, {n})")
    elif op == "data.drop":
        c.emit(f"{c.name_of(c.inst.datas[ins.imm[0]], 'D')}.data = b''")
    elif op.startswith("memory.atomic."):
        return _atomic(c, ins)
    else:
        return False
    return True


def _vector(c: Any, ins: Instr) -> bool:
    op = ins.op
    if op == "v128.load":
        m, _, off = ins.imm
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"_v128_load(m{m}, {ea})")
        return True
    if op == "v128.store":
        m, _, off = ins.imm
        v = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        c.emit(f"_v128_store(m{m}, {ea}, {v})")
        return True
    if op in VEC_RAW_LOADS:
        m, _, off = ins.imm
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"{c.mc.vec_load(op)}(_load_raw(m{m}, {ea}, {VEC_RAW_LOADS[op]}))")
        return True
    lane = _LANE_OP.match(op)
    if lane is not None:
        m, _, off, idx = ins.imm
        bits = int(lane.group(2))
        v = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        if lane.group(1) == "load":
            raw = f"_load_raw(m{m}, {ea}, {bits // 8})"
            c.push_stmt(f"_lane_set({v}, {idx}, {bits}, {raw})")
        else:
            c.emit(f"_store_raw(m{m}, {ea}, {bits // 8}, _lane_get({v}, {idx}, {bits}))")
        return True
    return False


def _atomic(c: Any, ins: Instr) -> bool:
    op = ins.op
    if op == "atomic.fence":
        return True
    if op == "memory.atomic.notify":
        m, _, off = ins.imm
        n = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"_atomic_notify(S, {_mem(c, m)}, {ea}, {n})")
        return True
    if op in ("memory.atomic.wait32", "memory.atomic.wait64"):
        m, _, off = ins.imm
        timeout, expected = c.pop_expr(), c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        size = 4 if op.endswith("32") else 8
        c.push_stmt(f"_atomic_wait(S, {_mem(c, m)}, {ea}, {expected}, {timeout}, {size})")
        if m in c.mems_used:
            c.emit(f"m{m} = M{m}.data")
        return True
    mt = _ATOMIC.match(op)
    if mt is None:
        return False
    ty, kind, bits, rmw = mt.groups()
    size = int(bits) // 8 if bits else (4 if ty == "i32" else 8)
    m, _, off = ins.imm
    mem = _mem(c, m)
    if kind == "load":
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"_atomic_load({mem}, {ea}, {size})")
    elif kind == "store":
        v = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        c.emit(f"_atomic_store({mem}, {ea}, {size}, {v})")
    elif rmw == "cmpxchg":
        repl, expected = c.pop_expr(), c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"_atomic_cmpxchg({mem}, {ea}, {size}, {expected}, {repl})")
    else:
        v = c.pop_expr()
        ea = _ea(c, c.pop_expr(), off)
        c.push_stmt(f"_atomic_rmw({mem}, {ea}, {size}, {rmw!r}, {v})")
    return True
