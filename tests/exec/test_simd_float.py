"""Float-lane v128 instructions: lane by lane equal to the scalar instructions (themselves checked
against exact oracles), NaN rules per lane, bit-exact sign operations and pmin/pmax."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from numerics_oracle import (
    F32_EDGE_BITS,
    F64_EDGE_BITS,
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
)

from engine.exec.numerics import SCALAR
from engine.exec.simd import VECTOR


def lanes(v: int, w: int) -> list[int]:
    return [(v >> (i * w)) & ((1 << w) - 1) for i in range(128 // w)]


def pack(xs: list[int], w: int) -> int:
    return sum((x & ((1 << w) - 1)) << (i * w) for i, x in enumerate(xs))


def vecs(w: int, seed: str, n: int) -> list[int]:
    rng = random.Random(seed)
    edge = F32_EDGE_BITS if w == 32 else F64_EDGE_BITS
    k = 128 // w
    out = [pack(edge[i : i + k], w) for i in range(0, len(edge) - k + 1)]
    out += [pack([rng.choice(edge) for _ in range(k)], w) for _ in range(n)]
    out += [rng.getrandbits(128) for _ in range(n)]
    return out


def same_lane(w: int, got: int, want: float, *inputs: int) -> bool:
    """Equal bits, or for a NaN result a NaN of the kind the spec requires: canonical when
    every NaN operand is canonical, else arithmetic."""
    if want != want:
        val = fval(w, got)
        canon = is_canonical_nan32 if w == 32 else is_canonical_nan64
        arith = is_arith_nan32 if w == 32 else is_arith_nan64
        if all(canon(fval(w, b)) for b in inputs if fval(w, b) != fval(w, b)):
            return canon(val)
        return arith(val)
    return got == (f32_bits(want) if w == 32 else f64_bits(want))


def fval(w: int, b: int) -> float:
    return f32_val(b) if w == 32 else f64_val(b)


BIN = ["add", "sub", "mul", "div", "min", "max"]
UN = ["sqrt", "ceil", "floor", "trunc", "nearest", "abs", "neg"]


@pytest.mark.parametrize("shape", ["f32x4", "f64x2"])
@pytest.mark.parametrize("op", BIN + ["relaxed_min", "relaxed_max"])
def test_binary_matches_scalar(shape: str, op: str) -> None:
    w = int(shape[1:3])
    t = shape[:3]
    scalar = SCALAR[f"{t}.{op.removeprefix('relaxed_')}"]
    vs = vecs(w, shape + op, 25)
    for a in vs:
        for b in vs[::3]:
            r = lanes(VECTOR[f"{shape}.{op}"](a, b), w)
            for x, y, got in zip(lanes(a, w), lanes(b, w), r):
                want = scalar(fval(w, x), fval(w, y))
                assert same_lane(w, got, want, x, y), (op, hex(x), hex(y), hex(got))


@pytest.mark.parametrize("shape", ["f32x4", "f64x2"])
def test_unary_and_compare_match_scalar(shape: str) -> None:
    w = int(shape[1:3])
    t = shape[:3]
    vs = vecs(w, shape, 60)
    for a in vs:
        for op in UN:
            r = lanes(VECTOR[f"{shape}.{op}"](a), w)
            for x, got in zip(lanes(a, w), r):
                want = SCALAR[f"{t}.{op}"](fval(w, x))
                if op in ("abs", "neg"):
                    assert got == (f32_bits(want) if w == 32 else f64_bits(want))
                else:
                    assert same_lane(w, got, want, x), (op, hex(x), hex(got))
        for b in vs[::7]:
            for op in ("eq", "ne", "lt", "gt", "le", "ge"):
                r = lanes(VECTOR[f"{shape}.{op}"](a, b), w)
                for x, y, got in zip(lanes(a, w), lanes(b, w), r):
                    want = SCALAR[f"{t}.{op}"](fval(w, x), fval(w, y))
                    assert got == (want and (1 << w) - 1)


@pytest.mark.parametrize("shape", ["f32x4", "f64x2"])
def test_pmin_pmax_return_operand_bits(shape: str) -> None:
    w = int(shape[1:3])
    vs = vecs(w, "p" + shape, 30)
    for a in vs:
        for b in vs[::4]:
            mn = lanes(VECTOR[f"{shape}.pmin"](a, b), w)
            mx = lanes(VECTOR[f"{shape}.pmax"](a, b), w)
            for x, y, gmin, gmax in zip(lanes(a, w), lanes(b, w), mn, mx):
                fx, fy = fval(w, x), fval(w, y)
                assert gmin == (y if fy < fx else x)
                assert gmax == (y if fx < fy else x)


def test_f32x4_lane_moves_keep_nan_bits() -> None:
    v = pack([0x7FA0_0001, 0xFF80_0001, 0x3F80_0000, 0x7FC0_0000], 32)
    for i, b in enumerate(lanes(v, 32)):
        x = VECTOR["f32x4.extract_lane"](v, i)
        assert f32_bits(x) == b
        assert VECTOR["f32x4.replace_lane"](0, x, i) == b << (32 * i)
    assert VECTOR["f32x4.splat"](f32_val(0x7FA0_0001)) == pack([0x7FA0_0001] * 4, 32)
    assert VECTOR["f32x4.neg"](v) == pack([0xFFA0_0001, 0x7F80_0001, 0xBF80_0000, 0xFFC0_0000], 32)
    assert VECTOR["f32x4.abs"](v) == pack([0x7FA0_0001, 0x7F80_0001, 0x3F80_0000, 0x7FC0_0000], 32)
    d = pack([0x7FF0_0000_0000_0001, 0xFFF4_0000_0000_0000], 64)
    assert f64_bits(VECTOR["f64x2.extract_lane"](d, 0)) == 0x7FF0_0000_0000_0001
    assert VECTOR["f64x2.replace_lane"](d, 1.0, 1) == pack([0x7FF0_0000_0000_0001, 0x3FF << 52], 64)
    assert VECTOR["f64x2.splat"](-0.0) == pack([1 << 63] * 2, 64)


def test_f32x4_arith_rounds_to_f32() -> None:
    a = pack([f32_bits(1.0), f32_bits(3.4028234663852886e38), f32_bits(1e-45), 0], 32)
    b = pack([f32_bits(2.0**-24), f32_bits(3.4028234663852886e38), f32_bits(0.5), 0], 32)
    r = lanes(VECTOR["f32x4.add"](a, b), 32)
    assert r[0] == f32_bits(1.0)  # a tie rounds to even
    assert r[1] == 0x7F80_0000  # overflow to infinity
    r = lanes(VECTOR["f32x4.mul"](a, b), 32)
    assert r[2] == 0  # 2**-150 is a tie between 0 and the smallest subnormal


def test_conversions() -> None:
    rng = random.Random(3)
    for a in vecs(32, "conv", 80):
        fs = [f32_val(b) for b in lanes(a, 32)]
        for sg in ("s", "u"):
            want = [SCALAR[f"i32.trunc_sat_f32_{sg}"](x) for x in fs]
            assert lanes(VECTOR[f"i32x4.trunc_sat_f32x4_{sg}"](a), 32) == want
            assert lanes(VECTOR[f"i32x4.relaxed_trunc_f32x4_{sg}"](a), 32) == want
            got = [f32_val(b) for b in lanes(VECTOR[f"f32x4.convert_i32x4_{sg}"](a), 32)]
            assert got == [SCALAR[f"f32.convert_i32_{sg}"](x) for x in lanes(a, 32)]
            got64 = [f64_val(b) for b in lanes(VECTOR[f"f64x2.convert_low_i32x4_{sg}"](a), 64)]
            assert got64 == [SCALAR[f"f64.convert_i32_{sg}"](x) for x in lanes(a, 32)[:2]]
        p = lanes(VECTOR["f64x2.promote_low_f32x4"](a), 64)
        for x, got in zip(fs[:2], p):
            assert got == f64_bits(SCALAR["f64.promote_f32"](x))  # payload kept exactly
    for a in vecs(64, "conv64", 80):
        ds = [f64_val(b) for b in lanes(a, 64)]
        for sg in ("s", "u"):
            want = [SCALAR[f"i32.trunc_sat_f64_{sg}"](x) for x in ds] + [0, 0]
            assert lanes(VECTOR[f"i32x4.trunc_sat_f64x2_{sg}_zero"](a), 32) == want
            assert lanes(VECTOR[f"i32x4.relaxed_trunc_f64x2_{sg}_zero"](a), 32) == want
        r = lanes(VECTOR["f32x4.demote_f64x2_zero"](a), 32)
        assert r[2:] == [0, 0]
        for x, got in zip(ds, r[:2]):
            want = SCALAR["f32.demote_f64"](x)
            if want != want:
                assert got == f32_bits(want)  # the payload is kept exactly
            else:
                assert same_lane(32, got, want, f64_bits(x))
    assert rng is not None


def test_relaxed_madd_is_fused() -> None:
    rng = random.Random(17)
    for w, shape in ((32, "f32x4"), (64, "f64x2")):
        rnd = round_f32 if w == 32 else round_f64
        edge = F32_EDGE_BITS if w == 32 else F64_EDGE_BITS
        for _ in range(300):
            k = 128 // w
            vs = [
                pack([rng.choice(edge) if rng.random() < 0.3 else rng.getrandbits(w)
                      for _ in range(k)], w)
                for _ in range(3)
            ]  # fmt: skip
            m = lanes(VECTOR[f"{shape}.relaxed_madd"](*vs), w)
            nm = lanes(VECTOR[f"{shape}.relaxed_nmadd"](*vs), w)
            for i, (x, y, z) in enumerate(zip(*(lanes(v, w) for v in vs))):
                fx, fy, fz = fval(w, x), fval(w, y), fval(w, z)
                if not all(map(math.isfinite, (fx, fy, fz))):
                    continue
                for sgn, got in ((1, m[i]), (-1, nm[i])):
                    q = sgn * Fraction(fx) * Fraction(fy) + Fraction(fz)
                    want = rnd(q)
                    if q == 0:
                        assert fval(w, got) == 0
                    else:
                        assert fval(w, got) == want, (shape, sgn, fx, fy, fz)
    # 1 + 2**-23 times 1 - 2**-24 plus 2**-48: the unfused f32 result differs from the fused.
    a = pack([f32_bits(1.0 + 2.0**-23)] * 4, 32)
    b = pack([f32_bits(1.0 - 2.0**-24)] * 4, 32)
    c = pack([f32_bits(-1.0)] * 4, 32)
    got = f32_val(lanes(VECTOR["f32x4.relaxed_madd"](a, b, c), 32)[0])
    assert got == 2.0**-24 - 2.0**-47
