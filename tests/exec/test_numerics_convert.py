"""Conversions: trunc traps at the exact boundaries, saturation, int -> float rounding, NaN bits."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from numerics_oracle import f32_bits, f32_val, f64_bits, f64_val, round_f32, round_f64, sample

from engine.errors import Trap
from engine.exec.numerics import SCALAR

S = SCALAR
RANGES = {
    ("i32", "s"): (-(2**31), 2**31 - 1),
    ("i32", "u"): (0, 2**32 - 1),
    ("i64", "s"): (-(2**63), 2**63 - 1),
    ("i64", "u"): (0, 2**64 - 1),
}


def trap_message(f, x):  # type: ignore[no-untyped-def]
    with pytest.raises(Trap) as e:
        f(x)
    return e.value.message


@pytest.mark.parametrize("it", ["i32", "i64"])
@pytest.mark.parametrize("ft", ["f32", "f64"])
@pytest.mark.parametrize("sg", ["s", "u"])
def test_trunc_and_trunc_sat(it: str, ft: str, sg: str) -> None:
    lo, hi = RANGES[(it, sg)]
    mask = (1 << int(it[1:])) - 1
    trunc = S[f"{it}.trunc_{ft}_{sg}"]
    sat = S[f"{it}.trunc_sat_{ft}_{sg}"]
    xs = sample(ft, random.Random(it + ft + sg), 400)
    xs += [float(lo), float(hi), float(lo) - 1, float(hi) + 1, -0.9, -1.0, 0.9, -0.0]
    xs += [f64_val(f64_bits(float(lo)) + 1), f64_val(f64_bits(float(hi + 1)) - 1)]
    for x in xs:
        if ft == "f32" and x == x:
            x = f32_val(f32_bits(x)) if math.isinf(x) or abs(x) < 3.4e38 else x
        if x != x:
            assert trap_message(trunc, x) == "invalid conversion to integer"
            assert sat(x) == 0
            continue
        t = math.trunc(x) if math.isfinite(x) else (math.inf if x > 0 else -math.inf)
        if lo <= t <= hi:
            assert trunc(x) == t & mask, x
            assert sat(x) == t & mask, x
        else:
            assert trap_message(trunc, x) == "integer overflow", x
            assert sat(x) == (lo if t < lo else hi) & mask, x


def test_trunc_boundaries() -> None:
    assert S["i32.trunc_f64_s"](-2147483648.9) == 0x8000_0000
    assert trap_message(S["i32.trunc_f64_s"], -2147483649.0) == "integer overflow"
    assert S["i32.trunc_f64_s"](2147483647.9) == 0x7FFF_FFFF
    assert trap_message(S["i32.trunc_f64_s"], 2147483648.0) == "integer overflow"
    assert S["i32.trunc_f32_s"](-2147483648.0) == 0x8000_0000
    assert S["i32.trunc_f64_u"](4294967295.9) == 0xFFFF_FFFF
    assert S["i32.trunc_f64_u"](-0.99) == 0
    assert trap_message(S["i32.trunc_f64_u"], -1.0) == "integer overflow"
    assert S["i64.trunc_f64_s"](-9223372036854775808.0) == 1 << 63
    assert trap_message(S["i64.trunc_f64_s"], 9223372036854775808.0) == "integer overflow"
    assert S["i64.trunc_f64_u"](18446744073709549568.0) == 18446744073709549568
    assert trap_message(S["i64.trunc_f32_u"], 18446744073709551616.0) == "integer overflow"
    assert S["i64.trunc_sat_f64_u"](math.inf) == 2**64 - 1
    assert S["i64.trunc_sat_f64_s"](-math.inf) == 1 << 63
    assert S["i32.trunc_sat_f32_u"](-0.0) == 0


@pytest.mark.parametrize("it", ["i32", "i64"])
@pytest.mark.parametrize("sg", ["s", "u"])
def test_convert_rounds_once(it: str, sg: str) -> None:
    bits = int(it[1:])
    rng = random.Random(it + sg)
    xs = sample(it, rng, 500)
    # Values just around f32 and f64 ties, where rounding twice would go wrong.
    for e in range(24, bits):
        for d in (-1, 0, 1):
            xs += [((1 << e) + (1 << (e - 24)) + d) & ((1 << bits) - 1)]
            xs += [((1 << e) + (1 << (e - 53)) + d) & ((1 << bits) - 1)] if e > 53 else []
    xs += [0x20_0000_2000_0001, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FF7F_FFFF_FFFF]
    for x in xs:
        if x >> bits:
            continue
        v = x - (1 << bits) if sg == "s" and x >> (bits - 1) else x
        r32 = S[f"f32.convert_{it}_{sg}"](x)
        r64 = S[f"f64.convert_{it}_{sg}"](x)
        assert r32 == round_f32(Fraction(v)), (x, r32)
        assert r64 == round_f64(Fraction(v)), (x, r64)
    assert S["f32.convert_i64_u"](0x20_0000_2000_0001) == 9007200328482816.0
    assert S["f32.convert_i64_s"](2**64 - 1) == -1.0


def test_demote_promote() -> None:
    d, p = S["f32.demote_f64"], S["f64.promote_f32"]
    assert d(f64_val(0x3FF0_0000_1000_0000)) == 1.0  # a tie goes to even
    assert d(f64_val(0x3FF0_0000_3000_0000)) == 1.0 + 2.0**-22
    assert d(f64_val(0x3FF0_0000_1000_0001)) == 1.0 + 2.0**-23
    assert d(3.5e38) == math.inf and d(-3.5e38) == -math.inf
    assert d(f64_val(0x47EF_FFFF_F000_0000)) == math.inf  # halfway past FLT_MAX
    assert d(f64_val(0x47EF_FFFF_EFFF_FFFF)) == f32_val(0x7F7F_FFFF)
    assert d(1e-50) == 0.0 and math.copysign(1, d(-1e-50)) == -1
    assert d(f64_val(0x36A0_0000_0000_0000)) == f32_val(1)  # smallest subnormal
    assert d(f64_val(0x3690_0000_0000_0000)) == 0.0  # half of it: tie to even
    assert f32_bits(d(f64_val(0x7FF4_0000_0000_0001))) == 0x7FE0_0000
    assert f32_bits(d(f64_val(0xFFF0_0000_0000_0001))) == 0xFFC0_0000
    assert f32_bits(d(f64_val(0x7FF8_0000_0000_0000))) == 0x7FC0_0000
    for x in sample("f64", random.Random(3), 500):
        r = d(x)
        if x == x:
            assert r == round_f32(Fraction(x)) if math.isfinite(x) else r == x
    assert f64_bits(p(f32_val(0x7FA0_0000))) == 0x7FFC_0000_0000_0000
    assert f64_bits(p(f32_val(0xFF80_0001))) == 0xFFF8_0000_2000_0000
    assert f64_bits(p(f32_val(0x7FC0_0000))) == 0x7FF8_0000_0000_0000
    for x in sample("f32", random.Random(4), 500):
        if x == x:
            assert f64_bits(p(x)) == f64_bits(x)


def test_reinterpret_is_bit_exact() -> None:
    for b in [0x7FA0_0001, 0xFF80_0001, 0x7FC0_0000, 0x8000_0000, 1, 0x7F80_0000]:
        x = S["f32.reinterpret_i32"](b)
        assert S["i32.reinterpret_f32"](x) == b
        assert f32_bits(x) == b
    for b in [0x7FF0_0000_0000_0001, 0xFFF4_0000_0000_0000, 1 << 63, 0x7FEF_FFFF_FFFF_FFFF]:
        x = S["f64.reinterpret_i64"](b)
        assert S["i64.reinterpret_f64"](x) == b
    for b in random.Random(9).sample(range(2**32), 2000):
        assert S["i32.reinterpret_f32"](S["f32.reinterpret_i32"](b)) == b
