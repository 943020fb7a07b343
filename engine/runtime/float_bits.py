"""IEEE 754 bit patterns and exact rounding for the f32/f64 value representation.

An f32 value is held in a Python float that is exactly that f32 value.  An f32 NaN keeps its
23-bit payload in the top mantissa bits of the double (what hardware widening does), so the
quiet bit of either format is double bit 51.  CPython's struct 'f' packing quiets signalling
NaNs and raises OverflowError for out-of-range values, so NaNs and overflow are handled here.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

_D = struct.Struct("<d")
_Q = struct.Struct("<Q")
_F = struct.Struct("<f")
_I = struct.Struct("<I")
_pack_d = _D.pack
_unpack_d = _D.unpack
_pack_q = _Q.pack
_unpack_q = _Q.unpack
_pack_f = _F.pack
_unpack_f = _F.unpack
_pack_i = _I.pack
_unpack_i = _I.unpack
_copysign = math.copysign
_inf = math.inf

QUIET_BIT = 0x0008_0000_0000_0000  # double bit 51 = f32 bit 22 in the representation
CANONICAL_NAN = _unpack_d(_pack_q(0x7FF8_0000_0000_0000))[0]  # also f32 0x7fc00000
_LOW29 = (1 << 29) - 1


def f64_from_bits(bits: int) -> float:
    return _unpack_d(_pack_q(bits))[0]


def f64_to_bits(x: float) -> int:
    return _unpack_q(_pack_d(x))[0]


def f32_from_bits(bits: int) -> float:
    if bits & 0x7F80_0000 == 0x7F80_0000 and bits & 0x7F_FFFF:
        # NaN: move sign and payload into the double by hand (struct would quiet it).
        sign = (bits & 0x8000_0000) << 32
        return _unpack_d(_pack_q(sign | 0x7FF0_0000_0000_0000 | ((bits & 0x7F_FFFF) << 29)))[0]
    return _unpack_f(_pack_i(bits))[0]


def f32_to_bits(x: float) -> int:
    if x != x:
        b = _unpack_q(_pack_d(x))[0]
        payload = (b >> 29) & 0x7F_FFFF
        # A NaN whose payload lives only in the low double bits is not an f32 value; keep it
        # a NaN rather than let it turn into an infinity.
        return ((b >> 32) & 0x8000_0000) | 0x7F80_0000 | (payload or 0x40_0000)
    try:
        return _unpack_i(_pack_f(x))[0]
    except OverflowError:
        return 0xFF80_0000 if x < 0 else 0x7F80_0000


def f32_round(x: float) -> float:
    """Round a double to the nearest f32 (ties-to-even, overflow to infinity).

    A NaN keeps the top 23 bits of its payload, quieted (the hardware conversion)."""
    try:
        return _unpack_f(_pack_f(x))[0]
    except OverflowError:
        return _copysign(_inf, x)


def quiet(x: float) -> float:
    """The NaN ``x`` with its quiet bit set (an arithmetic NaN with the same payload)."""
    return _unpack_d(_pack_q(_unpack_q(_pack_d(x))[0] | QUIET_BIT))[0]


def demote_nan(x: float) -> float:
    """f32.demote_f64 of a NaN: sign and top payload bits kept, quieted (ref. convert.ml)."""
    b = _unpack_q(_pack_d(x))[0]
    return _unpack_d(_pack_q((b & ~_LOW29) | QUIET_BIT))[0]


def round_to_odd53(m: int) -> float:
    """A non-negative int as a double, rounded to odd.

    Rounding to odd at 53 bits and then to nearest at 24 bits equals a single rounding to
    nearest at 24 bits (53 >= 24 + 2), which avoids double rounding in i64 -> f32."""
    sh = m.bit_length() - 53
    if sh <= 0:
        return float(m)
    t = m >> sh
    if m & ((1 << sh) - 1):
        t |= 1
    return math.ldexp(float(t), sh)


def fma64(x: float, y: float, z: float) -> float:
    """x * y + z with a single rounding to f64."""
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(z)):
        return x * y + z  # infinities and NaNs: the unfused result is the fused one
    p = Fraction(x) * Fraction(y) + Fraction(z)
    if not p:
        # An exact zero: a sum of two zeros takes the IEEE sign rule, any other cancellation
        # gives +0 when rounding to nearest.
        return x * y + z if (x == 0 or y == 0) else 0.0
    try:
        return float(p)
    except OverflowError:
        return _inf if p > 0 else -_inf


def fma32(x: float, y: float, z: float) -> float:
    """x * y + z with a single rounding to f32 (operands are f32 values).

    The product of two f32 values is exact in a double; TwoSum gives the error of the double
    sum, from which the sum rounded to odd follows, and rounding that to f32 is the single
    rounding of the exact value (see round_to_odd53)."""
    p = x * y
    s = p + z
    if s - s != 0.0:
        return f32_round(s)  # infinities and NaNs: the unfused result is the fused one
    bp = s - p
    e = (p - (s - bp)) + (z - bp)
    if e:
        b = _unpack_q(_pack_d(s))[0]
        if (e > 0) != (s > 0):
            b -= 1  # s lies beyond the exact value: step back towards zero
        s = _unpack_d(_pack_q(b | 1))[0]
    return f32_round(s)
