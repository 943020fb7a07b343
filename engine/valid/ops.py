"""Instruction signature tables for the validator, derived once from the opcode table.

``SIMPLE`` maps every instruction whose type is fixed (numeric, vector, conversions,
constants) to ``(params, results)`` lists; the body checker handles them all with one code path
(spec 3.4.1 - 3.4.3).  ``MEMOPS`` describes memory accesses: natural access size in bytes,
the value types popped after the address, the results, and whether the access is atomic (which
demands alignment exactly natural, threads proposal) or carries a lane index.
"""

from __future__ import annotations

import re

from engine.syntax.opcodes import OPCODES

_LANE_TYPE = {"i8x16": "i32", "i16x8": "i32", "i32x4": "i32", "i64x2": "i64",
              "f32x4": "f32", "f64x2": "f64"}  # fmt: skip
LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}

_INT_TEST = {"eqz"}
_INT_CMP = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}
_INT_UN = {"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"}
_FLT_UN = {"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"}
_FLT_CMP = {"eq", "ne", "lt", "gt", "le", "ge"}
_CVT = re.compile(r"_(i32|i64|f32|f64)(_[su])?$")

_VEC_UN_PREFIX = ("abs", "neg", "popcnt", "not", "ceil", "floor", "trunc", "nearest", "sqrt",
                  "extend_", "convert_", "demote", "promote", "extadd_pairwise",
                  "relaxed_trunc")  # fmt: skip
_VEC_TERN = {"bitselect", "relaxed_madd", "relaxed_nmadd", "relaxed_laneselect",
             "relaxed_dot_i8x16_i7x16_add_s"}  # fmt: skip
_VEC_TO_I32 = {"any_true", "all_true", "bitmask"}
_VEC_SHIFT = {"shl", "shr_s", "shr_u"}


def _simple_sig(op: str) -> tuple[list[str], list[str]] | None:
    if "." not in op or "atomic" in op:
        return None
    prefix, name = op.split(".", 1)
    if prefix in ("i32", "i64", "f32", "f64"):
        t = prefix
        if name == "const":
            return [], [t]
        if name.startswith(("load", "store")):
            return None
        if prefix[0] == "i":
            if name in _INT_TEST:
                return [t], ["i32"]
            if name in _INT_CMP:
                return [t, t], ["i32"]
            if name in _INT_UN:
                return [t], [t]
        else:
            if name in _FLT_UN:
                return [t], [t]
            if name in _FLT_CMP:
                return [t, t], ["i32"]
        m = _CVT.search(name)
        if m is not None:
            return [m.group(1)], [t]
        return [t, t], [t]
    if prefix == "v128":
        if name == "const":
            return [], ["v128"]
        if name == "not":
            return ["v128"], ["v128"]
        if name == "any_true":
            return ["v128"], ["i32"]
        if name == "bitselect":
            return ["v128", "v128", "v128"], ["v128"]
        if name in ("and", "andnot", "or", "xor"):
            return ["v128", "v128"], ["v128"]
        return None  # loads and stores
    if prefix in LANES:
        if name == "splat":
            return [_LANE_TYPE[prefix]], ["v128"]
        if name == "shuffle" or name.startswith(("extract_lane", "replace_lane")):
            return None  # immediates to check
        if name in _VEC_TO_I32:
            return ["v128"], ["i32"]
        if name in _VEC_SHIFT:
            return ["v128", "i32"], ["v128"]
        if name in _VEC_TERN:
            return ["v128", "v128", "v128"], ["v128"]
        if name.startswith(_VEC_UN_PREFIX):
            return ["v128"], ["v128"]
        return ["v128", "v128"], ["v128"]
    return None


SIMPLE: dict[str, tuple[list[str], list[str]]] = {}
for _op in OPCODES:
    _sig = _simple_sig(_op)
    if _sig is not None:
        SIMPLE[_op] = _sig
SIMPLE["atomic.fence"] = ([], [])
SIMPLE["nop"] = ([], [])

# Lane ops: (lane count, lane value type)
LANE_OPS: dict[str, tuple[int, str]] = {
    op: (LANES[op.split(".")[0]], _LANE_TYPE[op.split(".")[0]])
    for op in OPCODES
    if op.split(".")[0] in LANES and op.split(".")[1].startswith(("extract_lane", "replace_lane"))
}


class MemOp:
    __slots__ = ("size", "args", "results", "atomic", "lane")

    def __init__(
        self, size: int, args: list[str], results: list[str], atomic: bool = False,
        lane: bool = False,
    ) -> None:  # fmt: skip
        self.size = size  # natural access size in bytes
        self.args = args  # operand types after the address
        self.results = results
        self.atomic = atomic
        self.lane = lane


def _width(name: str, default: int) -> int:
    m = re.search(r"(8|16|32|64)", name)
    return int(m.group(1)) // 8 if m else default


_NAT = {"i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16}
MEMOPS: dict[str, MemOp] = {}
for _op in OPCODES:
    _prefix, _, _name = _op.partition(".")
    if _prefix in _NAT and _name.startswith(("load", "store")):
        _t = _prefix
        if _t == "v128" and _name.startswith("load") and _name != "load":
            # load8x8_s & co read 8 bytes; *_splat and *_zero read one lane.
            _size = 8 if "x" in _name else _width(_name, 16)
        else:
            _size = _width(_name, _NAT[_t])
        if _name.startswith("load"):
            MEMOPS[_op] = MemOp(_size, [], [_t])
        else:
            MEMOPS[_op] = MemOp(_size, [_t], [])
    elif "atomic" in _op and _op != "atomic.fence":
        if _prefix == "memory":
            if _name == "atomic.notify":
                MEMOPS[_op] = MemOp(4, ["i32"], ["i32"], atomic=True)
            elif _name == "atomic.wait32":
                MEMOPS[_op] = MemOp(4, ["i32", "i64"], ["i32"], atomic=True)
            else:
                MEMOPS[_op] = MemOp(8, ["i64", "i64"], ["i32"], atomic=True)
            continue
        _t = _prefix
        _rest = _name[len("atomic.") :]
        _size = _width(_rest, _NAT[_t])
        if _rest.startswith("load"):
            MEMOPS[_op] = MemOp(_size, [], [_t], atomic=True)
        elif _rest.startswith("store"):
            MEMOPS[_op] = MemOp(_size, [_t], [], atomic=True)
        elif _rest.endswith(("cmpxchg", "cmpxchg_u")):
            MEMOPS[_op] = MemOp(_size, [_t, _t], [_t], atomic=True)
        else:
            MEMOPS[_op] = MemOp(_size, [_t], [_t], atomic=True)

# The lane-indexed loads and stores (spec 3.4.7, SIMD): immediates (memidx, align, offset, lane).
for _n in (8, 16, 32, 64):
    MEMOPS[f"v128.load{_n}_lane"] = MemOp(_n // 8, ["v128"], ["v128"], lane=True)
    MEMOPS[f"v128.store{_n}_lane"] = MemOp(_n // 8, ["v128"], [], lane=True)

# Instructions allowed in constant expressions (spec 3.4.12), besides global.get.
CONST_OPS = frozenset({
    "i32.const", "i64.const", "f32.const", "f64.const", "v128.const",
    "i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul",
    "ref.null", "ref.func", "ref.i31",
    "struct.new", "struct.new_default", "array.new", "array.new_default", "array.new_fixed",
    "any.convert_extern", "extern.convert_any",
})  # fmt: skip

# The body checker's dispatch table: every instruction with an inlined common case maps to
# (shape, a, b, c); the rest map to nothing and go to their handlers.  Shapes and operands:
#   F_CONST (result)   F_UN (param, result)   F_BIN (param1, param2, result)
#   F_SIMPLE (params, results) for the other fixed signatures
#   F_LOAD (natural size, result)   F_STORE (natural size, value type)   plain memory accesses
#   F_LGET F_LSET F_LTEE F_GGET F_GSET F_BR F_BR_IF F_RETURN F_CALL F_DROP F_SELECT F_BLOCK
#   F_IF (no operands)
(F_OTHER, F_LGET, F_LSET, F_LTEE, F_CONST, F_UN, F_BIN, F_SIMPLE, F_LOAD, F_STORE, F_BR_IF,
 F_CALL, F_DROP, F_BLOCK, F_IF, F_GGET, F_GSET, F_BR, F_RETURN, F_SELECT) = range(20)  # fmt: skip
FastEntry = tuple[int, object, object, object]
FAST_OTHER: FastEntry = (F_OTHER, None, None, None)
FAST: dict[str, FastEntry] = {}
for _op, (_ps, _rs) in SIMPLE.items():
    if not _ps and len(_rs) == 1:
        FAST[_op] = (F_CONST, _rs[0], None, None)
    elif len(_ps) == 1 and len(_rs) == 1:
        FAST[_op] = (F_UN, _ps[0], _rs[0], None)
    elif len(_ps) == 2 and len(_rs) == 1:
        FAST[_op] = (F_BIN, _ps[0], _ps[1], _rs[0])
    else:
        FAST[_op] = (F_SIMPLE, _ps, _rs, None)
for _op, _m in MEMOPS.items():
    if _m.atomic or _m.lane:
        continue
    if not _m.args and len(_m.results) == 1:
        FAST[_op] = (F_LOAD, _m.size, _m.results[0], None)
    elif len(_m.args) == 1 and not _m.results:
        FAST[_op] = (F_STORE, _m.size, _m.args[0], None)
FAST["local.get"] = (F_LGET, None, None, None)
FAST["local.set"] = (F_LSET, None, None, None)
FAST["local.tee"] = (F_LTEE, None, None, None)
FAST["br_if"] = (F_BR_IF, None, None, None)
FAST["call"] = (F_CALL, None, None, None)
FAST["drop"] = (F_DROP, None, None, None)
FAST["block"] = FAST["loop"] = (F_BLOCK, None, None, None)
FAST["if"] = (F_IF, None, None, None)
FAST["global.get"] = (F_GGET, None, None, None)
FAST["global.set"] = (F_GSET, None, None, None)
FAST["br"] = (F_BR, None, None, None)
FAST["return"] = (F_RETURN, None, None, None)
FAST["select"] = (F_SELECT, None, None, None)
for _op in OPCODES:
    FAST.setdefault(_op, FAST_OTHER)
