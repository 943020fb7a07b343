"""Integer-lane v128 instructions against a lane-by-lane oracle."""

from __future__ import annotations

import random

import pytest

from engine.exec.simd import VEC_LOAD, VECTOR, lane_get, lane_set
from engine.syntax.opcodes import OPCODES

SHAPES = {8: "i8x16", 16: "i16x8", 32: "i32x4", 64: "i64x2"}


def lanes(v: int, w: int, signed: bool = False) -> list[int]:
    out = []
    for i in range(128 // w):
        x = (v >> (i * w)) & ((1 << w) - 1)
        out.append(x - (1 << w) if signed and x >> (w - 1) else x)
    return out


def pack(xs: list[int], w: int) -> int:
    v = 0
    for i, x in enumerate(xs):
        v |= (x & ((1 << w) - 1)) << (i * w)
    return v


def vectors(seed: str, n: int = 60) -> list[int]:
    rng = random.Random(seed)
    edge = [0, (1 << 128) - 1, pack([0x80] * 16, 8), pack([0x7F] * 16, 8),
            pack([0x8000] * 8, 16), pack([0x7FFF] * 8, 16), pack([1, 0xFF] * 8, 8),
            pack([0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0] * 1, 32),
            pack([1 << 63, (1 << 63) - 1], 64), pack(list(range(16)), 8),
            pack([0xFFFF, 1, 0x8000, 0x7FFF, 0, 2, 0xFFFE, 0x8001], 16)]  # fmt: skip
    return edge + [rng.getrandbits(128) for _ in range(n)]


def sat(x: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, x))


def lanewise_oracle(name: str, w: int):  # type: ignore[no-untyped-def]
    m = (1 << w) - 1
    smin, smax = -(1 << (w - 1)), (1 << (w - 1)) - 1
    table = {
        "add": (False, lambda x, y: x + y),
        "sub": (False, lambda x, y: x - y),
        "mul": (False, lambda x, y: x * y),
        "add_sat_s": (True, lambda x, y: sat(x + y, smin, smax)),
        "add_sat_u": (False, lambda x, y: sat(x + y, 0, m)),
        "sub_sat_s": (True, lambda x, y: sat(x - y, smin, smax)),
        "sub_sat_u": (False, lambda x, y: sat(x - y, 0, m)),
        "min_s": (True, min),
        "max_s": (True, max),
        "min_u": (False, min),
        "max_u": (False, max),
        "avgr_u": (False, lambda x, y: (x + y + 1) // 2),
        "eq": (False, lambda x, y: -int(x == y)),
        "ne": (False, lambda x, y: -int(x != y)),
        "lt_s": (True, lambda x, y: -int(x < y)),
        "gt_s": (True, lambda x, y: -int(x > y)),
        "le_s": (True, lambda x, y: -int(x <= y)),
        "ge_s": (True, lambda x, y: -int(x >= y)),
        "lt_u": (False, lambda x, y: -int(x < y)),
        "gt_u": (False, lambda x, y: -int(x > y)),
        "le_u": (False, lambda x, y: -int(x <= y)),
        "ge_u": (False, lambda x, y: -int(x >= y)),
        "q15mulr_sat_s": (True, lambda x, y: sat((x * y + 0x4000) >> 15, smin, smax)),
        "relaxed_q15mulr_s": (True, lambda x, y: sat((x * y + 0x4000) >> 15, smin, smax)),
    }
    return table.get(name)


BIN_NAMES = sorted(
    op
    for op, (p, _c, k) in OPCODES.items()
    if p == 0xFD
    and k == ""
    and op[:1] == "i"
    and lanewise_oracle(op.split(".")[1], int(op[1:].split("x")[0])) is not None
)


@pytest.mark.parametrize("op", BIN_NAMES)
def test_lanewise_binary(op: str) -> None:
    shape, name = op.split(".")
    w = int(shape[1:].split("x")[0])
    signed, f = lanewise_oracle(name, w)
    fn = VECTOR[op]
    vs = vectors(op, 30)
    for a in vs:
        for b in vs:
            want = pack([f(x, y) for x, y in zip(lanes(a, w, signed), lanes(b, w, signed))], w)
            assert fn(a, b) == want, (op, hex(a), hex(b))


@pytest.mark.parametrize("w", [8, 16, 32, 64])
def test_unary_shift_and_reductions(w: int) -> None:
    n = SHAPES[w]
    m = (1 << w) - 1
    for v in vectors(n, 80):
        s = lanes(v, w, True)
        u = lanes(v, w)
        assert VECTOR[f"{n}.abs"](v) == pack([abs(x) for x in s], w)
        assert VECTOR[f"{n}.neg"](v) == pack([-x for x in s], w)
        assert VECTOR[f"{n}.all_true"](v) == int(all(u))
        assert VECTOR[f"{n}.bitmask"](v) == sum(1 << i for i, x in enumerate(s) if x < 0)
        for c in (0, 1, w - 1, w, w + 3, 2 * w + 1, 0xFFFF_FFFF):
            k = c % w
            assert VECTOR[f"{n}.shl"](v, c) == pack([x << k for x in u], w)
            assert VECTOR[f"{n}.shr_u"](v, c) == pack([x >> k for x in u], w)
            assert VECTOR[f"{n}.shr_s"](v, c) == pack([x >> k for x in s], w)
        x = v & 0xFFFF_FFFF_FFFF_FFFF
        assert VECTOR[f"{n}.splat"](x) == pack([x & m] * (128 // w), w)
        for lane in range(128 // w):
            if w <= 16:
                ext = s[lane] & 0xFFFF_FFFF
                assert VECTOR[f"{n}.extract_lane_s"](v, lane) == ext
                assert VECTOR[f"{n}.extract_lane_u"](v, lane) == u[lane]
            else:
                assert VECTOR[f"{n}.extract_lane"](v, lane) == u[lane]
            new = list(u)
            new[lane] = x & m
            assert VECTOR[f"{n}.replace_lane"](v, x, lane) == pack(new, w)
            assert lane_get(v, lane, w) == u[lane]
            assert lane_set(v, lane, w, x & m) == pack(new, w)


def test_i8x16_specials() -> None:
    for v in vectors("i8", 100):
        b = lanes(v, 8)
        assert VECTOR["i8x16.popcnt"](v) == pack([bin(x).count("1") for x in b], 8)
        assert VECTOR["v128.any_true"](v) == int(v != 0)
    assert VECTOR["i8x16.abs"](pack([0x80] * 16, 8)) == pack([0x80] * 16, 8)
    assert VECTOR["i16x8.q15mulr_sat_s"](pack([0x8000] * 8, 16), pack([0x8000] * 8, 16)) == pack(
        [0x7FFF] * 8, 16
    )


@pytest.mark.parametrize("w", [16, 32, 64])
def test_widening(w: int) -> None:
    n, src = SHAPES[w], SHAPES[w // 2]
    h = w // 2
    k = 128 // w
    for a in vectors(n, 25):
        for b in vectors(n + "b", 5):
            for sg in ("s", "u"):
                xa, xb = lanes(a, h, sg == "s"), lanes(b, h, sg == "s")
                for half, sl in (("low", slice(0, k)), ("high", slice(k, 2 * k))):
                    assert VECTOR[f"{n}.extend_{half}_{src}_{sg}"](a) == pack(xa[sl], w)
                    want = pack([x * y for x, y in zip(xa[sl], xb[sl])], w)
                    assert VECTOR[f"{n}.extmul_{half}_{src}_{sg}"](a, b) == want
                if w <= 32:
                    want = pack([xa[i] + xa[i + 1] for i in range(0, 2 * k, 2)], w)
                    assert VECTOR[f"{n}.extadd_pairwise_{src}_{sg}"](a) == want


@pytest.mark.parametrize("w", [16, 32])
def test_narrow(w: int) -> None:
    h = w // 2
    n = SHAPES[h]
    for a in vectors("narrow", 30):
        for b in vectors("narrow2", 10):
            xs = lanes(a, w, True) + lanes(b, w, True)
            smin, smax = -(1 << (h - 1)), (1 << (h - 1)) - 1
            assert VECTOR[f"{n}.narrow_{SHAPES[w]}_s"](a, b) == pack(
                [sat(x, smin, smax) for x in xs], h
            )
            assert VECTOR[f"{n}.narrow_{SHAPES[w]}_u"](a, b) == pack(
                [sat(x, 0, (1 << h) - 1) for x in xs], h
            )


def test_dot_products() -> None:
    for a in vectors("dot", 30):
        for b in vectors("dot2", 10):
            x, y = lanes(a, 16, True), lanes(b, 16, True)
            want = pack([x[i] * y[i] + x[i + 1] * y[i + 1] for i in range(0, 8, 2)], 32)
            assert VECTOR["i32x4.dot_i16x8_s"](a, b) == want
            x8, y8 = lanes(a, 8, True), lanes(b, 8, True)
            want16 = pack([x8[i] * y8[i] + x8[i + 1] * y8[i + 1] for i in range(0, 16, 2)], 16)
            assert VECTOR["i16x8.relaxed_dot_i8x16_i7x16_s"](a, b) == want16
            c = a ^ b
            z = lanes(c, 32)
            want32 = pack(
                [sum(x8[4 * j + i] * y8[4 * j + i] for i in range(4)) + z[j] for j in range(4)],
                32,
            )
            assert VECTOR["i32x4.relaxed_dot_i8x16_i7x16_add_s"](a, b, c) == want32
    # -128 * -128 twice exceeds i16: the reference interpreter wraps.
    v = pack([0x80] * 16, 8)
    assert VECTOR["i16x8.relaxed_dot_i8x16_i7x16_s"](v, v) == pack([0x8000] * 8, 16)


def test_bitwise_swizzle_shuffle_laneselect() -> None:
    M = (1 << 128) - 1
    rng = random.Random(7)
    for a in vectors("bits", 30):
        b, c = rng.getrandbits(128), rng.getrandbits(128)
        assert VECTOR["v128.not"](a) == a ^ M
        assert VECTOR["v128.andnot"](a, b) == a & ~b & M
        assert VECTOR["v128.and"](a, b) == a & b
        assert VECTOR["v128.or"](a, b) == a | b
        assert VECTOR["v128.xor"](a, b) == a ^ b
        sel = (a & c) | (b & ~c & M)
        assert VECTOR["v128.bitselect"](a, b, c) == sel
        for w in (8, 16, 32, 64):
            assert VECTOR[f"{SHAPES[w]}.relaxed_laneselect"](a, b, c) == sel
        picks = [0, 1, 15, 16, 17, 31, 0x80, 0xFF, rng.randrange(256)]
        idx = [rng.choice(picks) for _ in range(16)]
        s = pack(idx, 8)
        src = lanes(a, 8)
        want = pack([src[i] if i < 16 else 0 for i in idx], 8)
        assert VECTOR["i8x16.swizzle"](a, s) == want
        assert VECTOR["i8x16.relaxed_swizzle"](a, s) == want
        sh = tuple(rng.randrange(32) for _ in range(16))
        both = lanes(a, 8) + lanes(b, 8)
        assert VECTOR["i8x16.shuffle"](a, b, sh) == pack([both[i] for i in sh], 8)


def test_loads() -> None:
    rng = random.Random(11)
    for _ in range(200):
        x = rng.getrandbits(64)
        for w, name in ((16, "8x8"), (32, "16x4"), (64, "32x2")):
            h = w // 2
            for sg in ("s", "u"):
                src = lanes(x, h, sg == "s")[: 128 // w]
                assert VEC_LOAD[f"v128.load{name}_{sg}"](x) == pack(src, w)
        for w in (8, 16, 32, 64):
            y = x & ((1 << w) - 1)
            assert VEC_LOAD[f"v128.load{w}_splat"](y) == pack([y] * (128 // w), w)
        assert VEC_LOAD["v128.load32_zero"](x & 0xFFFF_FFFF) == x & 0xFFFF_FFFF
        assert VEC_LOAD["v128.load64_zero"](x) == x


def test_every_vector_instruction_is_covered() -> None:
    names = {op for op, (p, _c, k) in OPCODES.items() if p == 0xFD and k in ("", "lane", "shuffle")}
    assert names == set(VECTOR)
    loads = {op for op, (p, _c, k) in OPCODES.items() if p == 0xFD and k == "memarg"}
    assert loads - set(VEC_LOAD) == {"v128.load", "v128.store"}
