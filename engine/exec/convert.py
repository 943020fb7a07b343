"""Conversions between number types (spec 4.3.4, reference interpreter convert.ml)."""

from __future__ import annotations

import struct

from engine.errors import Trap
from engine.runtime.float_bits import (
    demote_nan,
    f32_from_bits,
    f32_round,
    f32_to_bits,
    quiet,
    round_to_odd53,
)

_D = struct.Struct("<d")
_Q = struct.Struct("<Q")

M32 = 0xFFFF_FFFF
M64 = 0xFFFF_FFFF_FFFF_FFFF


def _invalid() -> int:
    raise Trap("invalid conversion to integer")


def _overflow() -> int:
    raise Trap("integer overflow")


# The bounds are exclusive and exact doubles: the operand must lie strictly between them.  The
# lower bound of a signed conversion is the first value whose truncation is below INT_MIN
# (-2**31 - 1; for i64 the double below -2**63).  No f32 lies strictly between those and INT_MIN,
# so the same bounds serve f32 operands.


def _make_trunc(lo: float, hi: float, mask: int):  # type: ignore[no-untyped-def]
    def trunc(x: float) -> int:
        if lo < x < hi:
            return int(x) & mask
        if x != x:
            return _invalid()
        return _overflow()

    return trunc


def _make_trunc_sat(lo: int, hi: int, mask: int):  # type: ignore[no-untyped-def]
    flo = float(lo)
    fhi = float(hi)

    def trunc_sat(x: float) -> int:
        if flo < x < fhi:
            return int(x) & mask
        if x != x:
            return 0
        return (lo if x <= flo else hi) & mask

    return trunc_sat


i32_trunc_s = _make_trunc(-2147483649.0, 2147483648.0, M32)
i32_trunc_u = _make_trunc(-1.0, 4294967296.0, M32)
i64_trunc_s = _make_trunc(-9223372036854777856.0, 9223372036854775808.0, M64)
i64_trunc_u = _make_trunc(-1.0, 18446744073709551616.0, M64)
i32_trunc_sat_s = _make_trunc_sat(-(2**31), 2**31 - 1, M32)
i32_trunc_sat_u = _make_trunc_sat(0, 2**32 - 1, M32)
i64_trunc_sat_s = _make_trunc_sat(-(2**63), 2**63 - 1, M64)
i64_trunc_sat_u = _make_trunc_sat(0, 2**64 - 1, M64)


def f32_convert_i32_s(x: int) -> float:
    return f32_round(float((x ^ 0x8000_0000) - 0x8000_0000))


def f32_convert_i32_u(x: int) -> float:
    return f32_round(float(x))


def f32_convert_i64_s(x: int) -> float:
    x = (x ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000
    if x < 0:
        return -f32_round(round_to_odd53(-x))
    return f32_round(round_to_odd53(x))


def f32_convert_i64_u(x: int) -> float:
    return f32_round(round_to_odd53(x))


def f32_demote_f64(x: float) -> float:
    return f32_round(x) if x == x else demote_nan(x)


def f64_promote_f32(x: float) -> float:
    return x if x == x else quiet(x)


def f64_reinterpret_i64(x: int) -> float:
    return _D.unpack(_Q.pack(x))[0]


def i64_reinterpret_f64(x: float) -> int:
    return _Q.unpack(_D.pack(x))[0]


FUNCS: dict[str, object] = {
    "i32.trunc_f32_s": i32_trunc_s,
    "i32.trunc_f64_s": i32_trunc_s,
    "i32.trunc_f32_u": i32_trunc_u,
    "i32.trunc_f64_u": i32_trunc_u,
    "i64.trunc_f32_s": i64_trunc_s,
    "i64.trunc_f64_s": i64_trunc_s,
    "i64.trunc_f32_u": i64_trunc_u,
    "i64.trunc_f64_u": i64_trunc_u,
    "i32.trunc_sat_f32_s": i32_trunc_sat_s,
    "i32.trunc_sat_f64_s": i32_trunc_sat_s,
    "i32.trunc_sat_f32_u": i32_trunc_sat_u,
    "i32.trunc_sat_f64_u": i32_trunc_sat_u,
    "i64.trunc_sat_f32_s": i64_trunc_sat_s,
    "i64.trunc_sat_f64_s": i64_trunc_sat_s,
    "i64.trunc_sat_f32_u": i64_trunc_sat_u,
    "i64.trunc_sat_f64_u": i64_trunc_sat_u,
    "f32.convert_i32_s": f32_convert_i32_s,
    "f32.convert_i32_u": f32_convert_i32_u,
    "f32.convert_i64_s": f32_convert_i64_s,
    "f32.convert_i64_u": f32_convert_i64_u,
    "f32.demote_f64": f32_demote_f64,
    "f64.promote_f32": f64_promote_f32,
    "f32.reinterpret_i32": f32_from_bits,
    "i32.reinterpret_f32": f32_to_bits,
    "f64.reinterpret_i64": f64_reinterpret_i64,
    "i64.reinterpret_f64": i64_reinterpret_f64,
}

HELPERS: dict[str, object] = {
    "_i32_trunc_s": i32_trunc_s,
    "_i32_trunc_u": i32_trunc_u,
    "_i64_trunc_s": i64_trunc_s,
    "_i64_trunc_u": i64_trunc_u,
    "_i32_trunc_sat_s": i32_trunc_sat_s,
    "_i32_trunc_sat_u": i32_trunc_sat_u,
    "_i64_trunc_sat_s": i64_trunc_sat_s,
    "_i64_trunc_sat_u": i64_trunc_sat_u,
    "_f32r": f32_round,
    "_rto": round_to_odd53,
    "_quiet": quiet,
    "_f32_from_bits": f32_from_bits,
    "_f32_to_bits": f32_to_bits,
    "_unpack_d": _D.unpack,
    "_pack_d": _D.pack,
    "_unpack_q": _Q.unpack,
    "_pack_q": _Q.pack,
}

CONVERT_TEMPLATES: dict[str, str] = {
    "i32.trunc_f32_s": "_i32_trunc_s({0})",
    "i32.trunc_f64_s": "_i32_trunc_s({0})",
    "i32.trunc_f32_u": "_i32_trunc_u({0})",
    "i32.trunc_f64_u": "_i32_trunc_u({0})",
    "i64.trunc_f32_s": "_i64_trunc_s({0})",
    "i64.trunc_f64_s": "_i64_trunc_s({0})",
    "i64.trunc_f32_u": "_i64_trunc_u({0})",
    "i64.trunc_f64_u": "_i64_trunc_u({0})",
    "i32.trunc_sat_f32_s": "_i32_trunc_sat_s({0})",
    "i32.trunc_sat_f64_s": "_i32_trunc_sat_s({0})",
    "i32.trunc_sat_f32_u": "_i32_trunc_sat_u({0})",
    "i32.trunc_sat_f64_u": "_i32_trunc_sat_u({0})",
    "i64.trunc_sat_f32_s": "_i64_trunc_sat_s({0})",
    "i64.trunc_sat_f64_s": "_i64_trunc_sat_s({0})",
    "i64.trunc_sat_f32_u": "_i64_trunc_sat_u({0})",
    "i64.trunc_sat_f64_u": "_i64_trunc_sat_u({0})",
    "f64.convert_i32_s": "float(({0} ^ 0x80000000) - 0x80000000)",
    "f64.convert_i32_u": "float({0})",
    # int -> float in CPython rounds correctly (ties-to-even).
    "f64.convert_i64_s": "float(({0} ^ 0x8000000000000000) - 0x8000000000000000)",
    "f64.convert_i64_u": "float({0})",
    "f32.convert_i32_s": "_f32r(float(({0} ^ 0x80000000) - 0x80000000))",
    "f32.convert_i32_u": "_f32r(float({0}))",
    "f32.convert_i64_u": "_f32r(_rto({0}))",
    "f64.promote_f32": "({0} if {0} == {0} else _quiet({0}))",
    "f64.reinterpret_i64": "_unpack_d(_pack_q({0}))[0]",
    "i64.reinterpret_f64": "_unpack_q(_pack_d({0}))[0]",
    "f32.reinterpret_i32": "_f32_from_bits({0})",
    "i32.reinterpret_f32": "_f32_to_bits({0})",
}
