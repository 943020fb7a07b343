"""Independent reference arithmetic for the numerics tests: exact rationals, explicit rounding."""

from __future__ import annotations

import math
import random
import struct
from fractions import Fraction


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f64_val(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def f32_val(b: int) -> float:
    """An f32 bit pattern in the engine's representation (NaN payload in the top bits)."""
    if b & 0x7F80_0000 == 0x7F80_0000 and b & 0x7F_FFFF:
        return f64_val(((b >> 31) << 63) | (0x7FF << 52) | ((b & 0x7F_FFFF) << 29))
    return struct.unpack("<f", struct.pack("<I", b))[0]


def f32_bits(x: float) -> int:
    if x != x:
        b = f64_bits(x)
        return ((b >> 63) << 31) | 0x7F80_0000 | ((b >> 29) & 0x7F_FFFF)
    if math.isinf(x):
        return 0xFF80_0000 if x < 0 else 0x7F80_0000
    return struct.unpack("<I", struct.pack("<f", x))[0]


def round_to(q: Fraction, mant: int, emin: int, emax: int) -> float:
    """q rounded to nearest-even with ``mant`` significand bits; overflow gives infinity."""
    if q == 0:
        return 0.0
    neg = q < 0
    a = -q if neg else q
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    e = max(e, emin)
    scale = Fraction(2) ** (e - (mant - 1))
    n = round(a / scale)  # Fraction.__round__ is ties-to-even
    v = n * scale
    r = math.inf if v >= Fraction(2) ** (emax + 1) else float(v)
    return -r if neg else r


def round_f32(q: Fraction) -> float:
    return round_to(q, 24, -126, 127)


def round_f64(q: Fraction) -> float:
    return round_to(q, 53, -1022, 1023)


def is_nan(x: float) -> bool:
    return x != x


def is_canonical_nan64(x: float) -> bool:
    return x != x and f64_bits(x) & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000


def is_arith_nan64(x: float) -> bool:
    return x != x and bool(f64_bits(x) & 0x0008_0000_0000_0000)


def is_canonical_nan32(x: float) -> bool:
    return x != x and f32_bits(x) & 0x7FFF_FFFF == 0x7FC0_0000


def is_arith_nan32(x: float) -> bool:
    return x != x and bool(f32_bits(x) & 0x40_0000)


F32_EDGE_BITS = [
    0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x3F00_0000, 0xBF00_0000,
    0x3FC0_0000, 0xBFC0_0000, 0x4020_0000, 0xC020_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,
    0x0000_0001, 0x8000_0001, 0x0080_0000, 0x007F_FFFF, 0x7F80_0000, 0xFF80_0000,
    0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFFA0_0001, 0x7F80_0001, 0x7FFF_FFFF,
    0x4F00_0000, 0xCF00_0000, 0x5F00_0000, 0xDF00_0000, 0x4F80_0000, 0x5F80_0000,
    0x4B00_0000, 0x4B00_0001, 0x4AFF_FFFF, 0x3EFF_FFFF, 0xBF7F_FFFF, 0x3F7F_FFFF,
]  # fmt: skip

F64_EDGE_BITS = [
    0x0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000,
    0x3FE0_0000_0000_0000, 0xBFE0_0000_0000_0000, 0x3FF8_0000_0000_0000,
    0x4004_0000_0000_0000, 0xC004_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF,
    0x0000_0000_0000_0001, 0x8000_0000_0000_0001, 0x0010_0000_0000_0000,
    0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
    0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0x7FF0_0000_0000_0001,
    0xFFF4_0000_0000_0001, 0x41E0_0000_0000_0000, 0xC1E0_0000_0000_0000,
    0xC1E0_0000_0020_0000, 0x41EF_FFFF_FFE0_0000, 0x41F0_0000_0000_0000,
    0x43E0_0000_0000_0000, 0xC3E0_0000_0000_0000, 0x43F0_0000_0000_0000,
    0x4330_0000_0000_0000, 0x4330_0000_0000_0001, 0x432F_FFFF_FFFF_FFFF,
    0x3FF0_0000_1000_0000, 0x47EF_FFFF_F000_0000, 0x47EF_FFFF_E000_0000,
    0x3690_0000_0000_0000, 0x3680_0000_0000_0000, 0xC1E0_0000_0000_0001,
]  # fmt: skip

INT32_EDGE = [0, 1, 2, 3, 7, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF,
              0x8000_0000, 0x8000_0001, 0xFFFF_FFFE, 0xFFFF_FFFF, 31, 32, 33, 63, 64]  # fmt: skip
INT64_EDGE = INT32_EDGE + [0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
                           0x8000_0000_0000_0001, 0xFFFF_FFFF_FFFF_FFFF, 0x20_0000_2000_0001,
                           0xFFFF_FFFF_FFFF_FFFE, 0x0020_0000_0000_0001]  # fmt: skip


def sample(t: str, rng: random.Random, n: int) -> list:
    """Edge values and random values of a number type, in the engine's representation."""
    if t == "i32":
        return INT32_EDGE + [rng.getrandbits(32) for _ in range(n)]
    if t == "i64":
        return INT64_EDGE + [rng.getrandbits(64) for _ in range(n)]
    if t == "f32":
        out = [f32_val(b) for b in F32_EDGE_BITS]
        out += [f32_val(rng.getrandbits(32)) for _ in range(n)]
        out += [float(rng.randint(-100, 100)) / 4 for _ in range(n // 4)]
        return out
    out = [f64_val(b) for b in F64_EDGE_BITS]
    out += [f64_val(rng.getrandbits(64)) for _ in range(n)]
    out += [float(rng.randint(-100, 100)) / 4 for _ in range(n // 4)]
    return out
