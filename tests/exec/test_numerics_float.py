"""f32/f64 arithmetic, rounding, NaN rules and conversions against exact-rational oracles."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from numerics_oracle import (
    f32_bits,
    f32_val,
    f64_bits,
    f64_val,
    is_arith_nan32,
    is_arith_nan64,
    is_canonical_nan32,
    is_canonical_nan64,
    round_f32,
    round_f64,
    sample,
)

from engine.exec.numerics import SCALAR
from engine.runtime.float_bits import fma32, fma64

S = SCALAR
EXACT = {"add": Fraction.__add__, "sub": Fraction.__sub__, "mul": Fraction.__mul__}


def bits(t: str, x: float) -> int:
    return f32_bits(x) if t == "f32" else f64_bits(x)


def is_arith(t: str, x: float) -> bool:
    return is_arith_nan32(x) if t == "f32" else is_arith_nan64(x)


def is_canon(t: str, x: float) -> bool:
    return is_canonical_nan32(x) if t == "f32" else is_canonical_nan64(x)


def check_nan_result(t: str, r: float, *args: float) -> None:
    """The spec's NaN rule: canonical if every NaN operand is canonical, else arithmetic."""
    assert r != r
    if all(is_canon(t, a) for a in args if a != a):
        assert is_canon(t, r), hex(bits(t, r))
    else:
        assert is_arith(t, r), hex(bits(t, r))


@pytest.mark.parametrize("t", ["f32", "f64"])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_arith_exact_rounding(t: str, op: str) -> None:
    rnd = round_f32 if t == "f32" else round_f64
    xs = sample(t, random.Random(t + op), 50)
    f = S[f"{t}.{op}"]
    for a in xs:
        for b in xs:
            r = f(a, b)
            if t == "f32" and r == r:
                assert f32_val(f32_bits(r)) == r  # an exact f32
            if math.isfinite(a) and math.isfinite(b) and not (op == "div" and b == 0):
                q = (
                    EXACT[op](Fraction(a), Fraction(b))
                    if op != "div"
                    else Fraction(a) / Fraction(b)
                )
                want = rnd(q)
                if want == 0:
                    assert r == 0
                    if q != 0:
                        assert math.copysign(1, r) == math.copysign(1, q)
                else:
                    assert r == want, (a, b, r, want)
            elif r != r:
                check_nan_result(t, r, a, b)


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_division_by_zero(t: str) -> None:
    d = S[f"{t}.div"]
    assert d(1.0, 0.0) == math.inf
    assert d(-1.0, 0.0) == -math.inf
    assert d(1.0, -0.0) == -math.inf
    assert d(-2.0, -0.0) == math.inf
    check_nan_result(t, d(0.0, 0.0), 0.0, 0.0)
    check_nan_result(t, d(-0.0, -0.0), 0.0, 0.0)
    nan = f32_val(0x7FA0_0001) if t == "f32" else f64_val(0x7FF0_0000_0000_0001)
    r = d(nan, 0.0)
    check_nan_result(t, r, nan)
    assert bits(t, r) == bits(t, nan) | (0x40_0000 if t == "f32" else 1 << 51)


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_nan_propagation(t: str) -> None:
    snan = f32_val(0x7FA0_0000) if t == "f32" else f64_val(0x7FF4_0000_0000_0000)
    canon = f32_val(0x7FC0_0000)
    for op in ("add", "sub", "mul", "div", "min", "max"):
        f = S[f"{t}.{op}"]
        for a, b in ((snan, 1.0), (1.0, snan), (canon, 2.0), (canon, snan), (math.inf, -0.0)):
            r = f(a, b)
            if r == r:
                assert a == a and b == b, (op, a, b)
                continue
            check_nan_result(t, r, a, b)
    check_nan_result(t, S[f"{t}.add"](math.inf, -math.inf))
    check_nan_result(t, S[f"{t}.mul"](math.inf, 0.0))
    for op in ("sqrt", "ceil", "floor", "trunc", "nearest"):
        check_nan_result(t, S[f"{t}.{op}"](snan), snan)
        check_nan_result(t, S[f"{t}.{op}"](canon), canon)
    check_nan_result(t, S[f"{t}.sqrt"](-1.0))
    check_nan_result(t, S[f"{t}.sqrt"](-math.inf))


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_bitwise_ops_keep_payloads(t: str) -> None:
    pats = [0x7FA0_0001, 0xFFA0_0001, 0x7FC0_0000, 0x7F80_0001, 0x0000_0001, 0x8000_0000]
    if t == "f64":
        pats = [0x7FF0_0000_0000_0001, 0xFFF4_0000_0000_0003, 0x7FF8_0000_0000_0000, 1, 1 << 63]
    val = f32_val if t == "f32" else f64_val
    sign = 1 << (31 if t == "f32" else 63)
    for p in pats:
        x = val(p)
        assert bits(t, S[f"{t}.neg"](x)) == p ^ sign
        assert bits(t, S[f"{t}.abs"](x)) == p & ~sign
        for q in pats:
            y = val(q)
            assert bits(t, S[f"{t}.copysign"](x, y)) == (p & ~sign) | (q & sign)


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_min_max(t: str) -> None:
    mn, mx = S[f"{t}.min"], S[f"{t}.max"]
    assert math.copysign(1, mn(0.0, -0.0)) == -1 and math.copysign(1, mn(-0.0, 0.0)) == -1
    assert math.copysign(1, mx(0.0, -0.0)) == 1 and math.copysign(1, mx(-0.0, 0.0)) == 1
    assert mn(-math.inf, 1.0) == -math.inf and mx(-math.inf, 1.0) == 1.0
    assert mn(1.0, 2.0) == 1.0 and mx(1.0, 2.0) == 2.0
    for a in sample(t, random.Random(t), 60):
        for b in (0.0, -0.0, 1.5, -math.inf, math.nan):
            for r in (mn(a, b), mx(a, b)):
                if a != a or b != b:
                    check_nan_result(t, r, a, b)


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_rounding_ops(t: str) -> None:
    def same(x: float, y: float) -> bool:
        return x == y and math.copysign(1, x) == math.copysign(1, y)

    cases = {
        "ceil": [(-0.5, -0.0), (0.5, 1.0), (-1.5, -1.0), (-0.0, -0.0), (2.0, 2.0)],
        "floor": [(0.5, 0.0), (-0.5, -1.0), (-0.0, -0.0), (1.9999, 1.0)],
        "trunc": [(-0.9, -0.0), (0.9, 0.0), (-1.5, -1.0), (2.5, 2.0)],
        "nearest": [(0.5, 0.0), (1.5, 2.0), (2.5, 2.0), (-0.5, -0.0), (-1.5, -2.0),
                    (-2.5, -2.0), (3.5, 4.0), (0.49999997, 0.0), (-0.0, -0.0)],
    }  # fmt: skip
    for op, pairs in cases.items():
        f = S[f"{t}.{op}"]
        for x, want in pairs:
            x = f32_val(f32_bits(x)) if t == "f32" else x
            assert same(f(x), want), (op, x, f(x))
        for x in (math.inf, -math.inf, 2.0**60, -(2.0**60), 8388609.0, 4503599627370497.0):
            if t == "f32":
                x = f32_val(f32_bits(x))
            assert same(f(x), x)
    for x in sample(t, random.Random("rnd" + t), 400):
        if not math.isfinite(x):
            continue
        q = Fraction(x)
        fl = math.floor(q)
        want = {
            "floor": fl,
            "ceil": math.ceil(q),
            "trunc": math.trunc(q),
            "nearest": round(q),
        }
        for op, w in want.items():
            r = S[f"{t}.{op}"](x)
            assert r == w and math.copysign(1, r) == math.copysign(1, x), (op, x)


@pytest.mark.parametrize("t", ["f32", "f64"])
def test_sqrt(t: str) -> None:
    rnd = round_f32 if t == "f32" else round_f64
    f = S[f"{t}.sqrt"]
    assert math.copysign(1, f(-0.0)) == -1 and f(math.inf) == math.inf
    to_b, of_b = (f32_bits, f32_val) if t == "f32" else (f64_bits, f64_val)
    for x in sample(t, random.Random("sqrt" + t), 300):
        if math.isfinite(x) and x > 0:
            r = f(x)
            assert rnd(Fraction(r)) == r
            # The exact root lies between the midpoints to r's neighbours.
            lo = (Fraction(r) + Fraction(of_b(to_b(r) - 1))) / 2
            hi = (Fraction(r) + Fraction(of_b(to_b(r) + 1))) / 2
            assert lo * lo <= Fraction(x) <= hi * hi, x


def test_comparisons_with_nan_and_zero() -> None:
    for t in ("f32", "f64"):
        nan = f32_val(0x7FA0_0000)
        assert S[f"{t}.eq"](0.0, -0.0) == 1
        assert S[f"{t}.ne"](nan, nan) == 1
        for op in ("eq", "lt", "gt", "le", "ge"):
            assert S[f"{t}.{op}"](nan, 1.0) == 0
            assert S[f"{t}.{op}"](nan, nan) == 0
        assert S[f"{t}.lt"](-0.0, 0.0) == 0 and S[f"{t}.le"](-0.0, 0.0) == 1


def test_fma() -> None:
    rng = random.Random(5)
    vals = sample("f32", rng, 80)
    for _ in range(3000):
        x, y, z = rng.choice(vals), rng.choice(vals), rng.choice(vals)
        r = fma32(x, y, z)
        if all(map(math.isfinite, (x, y, z))):
            q = Fraction(x) * Fraction(y) + Fraction(z)
            want = round_f32(q)
            assert r == want, (x, y, z)
            if q == 0:
                assert math.copysign(1, r) == math.copysign(1, x * y + z)
        elif r != r:
            assert is_arith_nan32(r) or is_canonical_nan32(r)
    # A case where rounding the double sum to f32 would round twice the wrong way.
    x, y, z = 1.0 + 2.0**-23, 1.0 - 2.0**-24, 2.0**-48
    assert fma32(x, y, z) == round_f32(Fraction(x) * Fraction(y) + Fraction(z))
    v64 = sample("f64", rng, 40)
    for _ in range(500):
        x, y, z = rng.choice(v64), rng.choice(v64), rng.choice(v64)
        r = fma64(x, y, z)
        if all(map(math.isfinite, (x, y, z))):
            assert r == round_f64(Fraction(x) * Fraction(y) + Fraction(z))
