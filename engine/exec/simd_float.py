"""Float-lane v128 instructions and the lane conversions (spec 4.3.2, reference v128.ml).

f64 lanes are read with struct 'd', which is bit-exact.  f32 lanes read with struct 'f' come
out as doubles, and a signalling NaN comes out quieted: harmless for arithmetic, whose NaN
results are quieted anyway, but the bit-preserving operations (abs, neg, pmin, pmax, lane
moves) therefore work on the lane bits.  Writing a lane back with struct 'f' rounds a double
to f32 once (ties-to-even), which is the rounding of the f32 operation (see floats.py); it
keeps the top payload bits of a NaN.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from engine.exec import convert, floats
from engine.exec.simd_int import M128, ST, rep, unrolled
from engine.runtime.float_bits import f32_round, fma32, fma64

_fb = int.from_bytes
_F4 = struct.Struct("<4f")
_F2 = struct.Struct("<2d")
_f4u = _F4.unpack
_f2u = _F2.unpack
_U4 = ST[32][1]
_U2 = ST[64][1]
_S4 = ST[32][0]

SIGN32 = rep(0x8000_0000, 32)
SIGN64 = rep(0x8000_0000_0000_0000, 64)

Op = Callable[..., int]


def pack_f32(rs: list[float]) -> int:
    try:
        return _fb(_F4.pack(*rs), "little")
    except OverflowError:  # a lane rounds to infinity: struct refuses, f32_round does not
        return _fb(_F4.pack(*map(f32_round, rs)), "little")


def pack_f64(rs: list[float]) -> int:
    return _fb(_F2.pack(*rs), "little")


def _pk32(*rs: float) -> bytes:
    try:
        return _F4.pack(*rs)
    except OverflowError:  # a lane rounds to infinity: struct refuses, f32_round does not
        return _F4.pack(*map(f32_round, rs))


_ENV: dict[str, Any] = {
    "_fdiv": floats.fdiv,
    "_fmin": floats.fmin,
    "_fmax": floats.fmax,
    "_fsqrt": floats.fsqrt,
    "_fceil": floats.fceil,
    "_ffloor": floats.ffloor,
    "_ftrunc": floats.ftrunc,
    "_fnearest": floats.fnearest,
}


def _f_bin(w: int, expr: str) -> Op:
    """A lane-wise float op from an expression over the lanes ``{x}``, ``{y}`` (doubles); the
    f32 results are rounded to f32 by the pack."""
    up, pk = (_f4u, _pk32) if w == 32 else (_f2u, _F2.pack)
    return unrolled(128 // w, 2, [up, up], pk, expr, _ENV)


def _f_un(w: int, expr: str) -> Op:
    up, pk = (_f4u, _pk32) if w == 32 else (_f2u, _F2.pack)
    return unrolled(128 // w, 1, [up], pk, expr, _ENV)


def _cmp(w: int, cmp: str) -> Op:
    up = _f4u if w == 32 else _f2u
    pk = (_U4 if w == 32 else _U2).pack
    m = (1 << w) - 1
    return unrolled(128 // w, 2, [up, up], pk, f"({m} if {{x}} {cmp} {{y}} else 0)")


def _pminmax(w: int, is_min: bool) -> Op:
    """pmin is ``b < a ? b : a``, pmax ``a < b ? b : a``, returning an operand's exact bits."""
    fu = _f4u if w == 32 else _f2u
    bits = _U4 if w == 32 else _U2
    bu = bits.unpack
    pk = bits.pack

    def op(a: int, b: int) -> int:
        ab, bb = a.to_bytes(16, "little"), b.to_bytes(16, "little")
        xs, ys = fu(ab), fu(bb)
        xb, yb = bu(ab), bu(bb)
        if is_min:
            r = [yb[i] if ys[i] < xs[i] else xb[i] for i in range(len(xs))]
        else:
            r = [yb[i] if xs[i] < ys[i] else xb[i] for i in range(len(xs))]
        return _fb(pk(*r), "little")

    return op


def _f32_abs(a: int) -> int:
    return a & (M128 ^ SIGN32)


def _f32_neg(a: int) -> int:
    return a ^ SIGN32


def _f64_abs(a: int) -> int:
    return a & (M128 ^ SIGN64)


def _f64_neg(a: int) -> int:
    return a ^ SIGN64


def _trunc_sat_f32x4(f: Callable[[float], int]) -> Op:
    def op(a: int) -> int:
        return _fb(_U4.pack(*map(f, _f4u(a.to_bytes(16, "little")))), "little")

    return op


def _trunc_sat_f64x2_zero(f: Callable[[float], int]) -> Op:
    def op(a: int) -> int:
        x, y = _f2u(a.to_bytes(16, "little"))
        return f(x) | (f(y) << 32)

    return op


def _convert_i32x4_s(a: int) -> int:
    return pack_f32([float(x) for x in _S4.unpack(a.to_bytes(16, "little"))])


def _convert_i32x4_u(a: int) -> int:
    return pack_f32([float(x) for x in _U4.unpack(a.to_bytes(16, "little"))])


def _convert_low_s(a: int) -> int:
    x = _S4.unpack(a.to_bytes(16, "little"))
    return pack_f64([float(x[0]), float(x[1])])


def _convert_low_u(a: int) -> int:
    return pack_f64([float(a & 0xFFFF_FFFF), float((a >> 32) & 0xFFFF_FFFF)])


def _demote_zero(a: int) -> int:
    # struct 'f' of a NaN keeps its sign and top payload bits, quieted: the reference's demote.
    x, y = _f2u(a.to_bytes(16, "little"))
    return pack_f32([x, y, 0.0, 0.0])


def _promote_low(a: int) -> int:
    # Reading with struct 'f' quiets a NaN and keeps its payload: the reference's promote.
    x = _f4u(a.to_bytes(16, "little"))
    return pack_f64([x[0], x[1]])


def _madd32(a: int, b: int, c: int) -> int:
    xs, ys, zs = (_f4u(v.to_bytes(16, "little")) for v in (a, b, c))
    return pack_f32([fma32(x, y, z) for x, y, z in zip(xs, ys, zs)])


def _nmadd32(a: int, b: int, c: int) -> int:
    xs, ys, zs = (_f4u(v.to_bytes(16, "little")) for v in (a, b, c))
    return pack_f32([fma32(-x, y, z) for x, y, z in zip(xs, ys, zs)])


def _madd64(a: int, b: int, c: int) -> int:
    xs, ys, zs = (_f2u(v.to_bytes(16, "little")) for v in (a, b, c))
    return pack_f64([fma64(x, y, z) for x, y, z in zip(xs, ys, zs)])


def _nmadd64(a: int, b: int, c: int) -> int:
    xs, ys, zs = (_f2u(v.to_bytes(16, "little")) for v in (a, b, c))
    return pack_f64([fma64(-x, y, z) for x, y, z in zip(xs, ys, zs)])


def _float_ops(n: str, w: int) -> dict[str, Op]:
    ops: dict[str, Op] = {
        f"{n}.add": _f_bin(w, "{x} + {y}"),
        f"{n}.sub": _f_bin(w, "{x} - {y}"),
        f"{n}.mul": _f_bin(w, "{x} * {y}"),
        f"{n}.div": _f_bin(w, "_fdiv({x}, {y})"),
        f"{n}.min": _f_bin(w, "_fmin({x}, {y})"),
        f"{n}.max": _f_bin(w, "_fmax({x}, {y})"),
        f"{n}.relaxed_min": _f_bin(w, "_fmin({x}, {y})"),
        f"{n}.relaxed_max": _f_bin(w, "_fmax({x}, {y})"),
        f"{n}.pmin": _pminmax(w, True),
        f"{n}.pmax": _pminmax(w, False),
        f"{n}.sqrt": _f_un(w, "_fsqrt({x})"),
        f"{n}.ceil": _f_un(w, "_fceil({x})"),
        f"{n}.floor": _f_un(w, "_ffloor({x})"),
        f"{n}.trunc": _f_un(w, "_ftrunc({x})"),
        f"{n}.nearest": _f_un(w, "_fnearest({x})"),
    }
    for name, cmp in (
        ("eq", "=="),
        ("ne", "!="),
        ("lt", "<"),
        ("gt", ">"),
        ("le", "<="),
        ("ge", ">="),
    ):
        ops[f"{n}.{name}"] = _cmp(w, cmp)
    return ops


_t32s = _trunc_sat_f32x4(convert.i32_trunc_sat_s)
_t32u = _trunc_sat_f32x4(convert.i32_trunc_sat_u)
_t64s = _trunc_sat_f64x2_zero(convert.i32_trunc_sat_s)
_t64u = _trunc_sat_f64x2_zero(convert.i32_trunc_sat_u)

FLOAT_OPS: dict[str, Any] = {
    **_float_ops("f32x4", 32),
    **_float_ops("f64x2", 64),
    "f32x4.abs": _f32_abs,
    "f32x4.neg": _f32_neg,
    "f64x2.abs": _f64_abs,
    "f64x2.neg": _f64_neg,
    "i32x4.trunc_sat_f32x4_s": _t32s,
    "i32x4.trunc_sat_f32x4_u": _t32u,
    "i32x4.trunc_sat_f64x2_s_zero": _t64s,
    "i32x4.trunc_sat_f64x2_u_zero": _t64u,
    # The reference interpreter's relaxed truncations are the saturating ones.
    "i32x4.relaxed_trunc_f32x4_s": _t32s,
    "i32x4.relaxed_trunc_f32x4_u": _t32u,
    "i32x4.relaxed_trunc_f64x2_s_zero": _t64s,
    "i32x4.relaxed_trunc_f64x2_u_zero": _t64u,
    "f32x4.convert_i32x4_s": _convert_i32x4_s,
    "f32x4.convert_i32x4_u": _convert_i32x4_u,
    "f64x2.convert_low_i32x4_s": _convert_low_s,
    "f64x2.convert_low_i32x4_u": _convert_low_u,
    "f32x4.demote_f64x2_zero": _demote_zero,
    "f64x2.promote_low_f32x4": _promote_low,
    # Relaxed madd: the fused result (one rounding), one of the results the spec allows.
    "f32x4.relaxed_madd": _madd32,
    "f32x4.relaxed_nmadd": _nmadd32,
    "f64x2.relaxed_madd": _madd64,
    "f64x2.relaxed_nmadd": _nmadd64,
}
