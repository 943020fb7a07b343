"""i32/i64 instructions against a signed-integer oracle and hand-checked edge cases."""

from __future__ import annotations

import random

import pytest
from numerics_oracle import sample

from engine.errors import Trap
from engine.exec.numerics import SCALAR
from engine.syntax.opcodes import OPCODES


def s(x: int, bits: int) -> int:
    return x - (1 << bits) if x >> (bits - 1) else x


def tdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def oracle(op: str, bits: int, a: int, b: int) -> int:
    m = (1 << bits) - 1
    sa, sb = s(a, bits), s(b, bits)
    k = b % bits
    table = {
        "add": lambda: a + b,
        "sub": lambda: a - b,
        "mul": lambda: a * b,
        "and": lambda: a & b,
        "or": lambda: a | b,
        "xor": lambda: a ^ b,
        "shl": lambda: a << k,
        "shr_u": lambda: a >> k,
        "shr_s": lambda: sa >> k,
        "rotl": lambda: (a << k) | (a >> (bits - k)),
        "rotr": lambda: (a >> k) | (a << (bits - k)),
        "eq": lambda: int(a == b),
        "ne": lambda: int(a != b),
        "lt_u": lambda: int(a < b),
        "gt_u": lambda: int(a > b),
        "le_u": lambda: int(a <= b),
        "ge_u": lambda: int(a >= b),
        "lt_s": lambda: int(sa < sb),
        "gt_s": lambda: int(sa > sb),
        "le_s": lambda: int(sa <= sb),
        "ge_s": lambda: int(sa >= sb),
        "div_u": lambda: a // b,
        "rem_u": lambda: a % b,
        "div_s": lambda: tdiv(sa, sb),
        "rem_s": lambda: sa - sb * tdiv(sa, sb),
    }
    return table[op]() & m


BINOPS = "add sub mul and or xor shl shr_u shr_s rotl rotr eq ne lt_u gt_u le_u ge_u lt_s gt_s"
BINOPS += " le_s ge_s div_u rem_u div_s rem_s"


@pytest.mark.parametrize("t", ["i32", "i64"])
@pytest.mark.parametrize("op", BINOPS.split())
def test_binary_against_oracle(t: str, op: str) -> None:
    bits = int(t[1:])
    rng = random.Random(op + t)
    xs = sample(t, rng, 40)
    f = SCALAR[f"{t}.{op}"]
    for a in xs:
        for b in xs:
            if op in ("div_u", "rem_u", "div_s", "rem_s") and b == 0:
                with pytest.raises(Trap, match="integer divide by zero"):
                    f(a, b)
                continue
            if op == "div_s" and a == 1 << (bits - 1) and b == (1 << bits) - 1:
                with pytest.raises(Trap, match="integer overflow"):
                    f(a, b)
                continue
            r = f(a, b)
            assert r == oracle(op, bits, a, b), (op, a, b)
            assert type(r) is int


@pytest.mark.parametrize("t", ["i32", "i64"])
def test_unary_against_oracle(t: str) -> None:
    bits = int(t[1:])
    m = (1 << bits) - 1
    for a in sample(t, random.Random(t), 300):
        assert SCALAR[f"{t}.eqz"](a) == int(a == 0)
        assert SCALAR[f"{t}.popcnt"](a) == bin(a).count("1")
        clz = next((i for i in range(bits) if a >> (bits - 1 - i) & 1), bits)
        ctz = next((i for i in range(bits) if a >> i & 1), bits)
        assert SCALAR[f"{t}.clz"](a) == clz
        assert SCALAR[f"{t}.ctz"](a) == ctz
        assert SCALAR[f"{t}.extend8_s"](a) == s(a & 0xFF, 8) & m
        assert SCALAR[f"{t}.extend16_s"](a) == s(a & 0xFFFF, 16) & m
    for a in sample("i64", random.Random(1), 300):
        assert SCALAR["i64.extend32_s"](a) == s(a & 0xFFFF_FFFF, 32) & (2**64 - 1)
        assert SCALAR["i32.wrap_i64"](a) == a & 0xFFFF_FFFF
    for a in sample("i32", random.Random(2), 300):
        assert SCALAR["i64.extend_i32_s"](a) == s(a, 32) & (2**64 - 1)
        assert SCALAR["i64.extend_i32_u"](a) == a


def test_division_edges() -> None:
    S = SCALAR
    assert S["i32.rem_s"](0x8000_0000, 0xFFFF_FFFF) == 0
    assert S["i64.rem_s"](1 << 63, 2**64 - 1) == 0
    assert S["i32.div_s"](0x8000_0000, 1) == 0x8000_0000
    assert S["i32.div_s"](-7 & 0xFFFF_FFFF, 2) == -3 & 0xFFFF_FFFF
    assert S["i32.rem_s"](-7 & 0xFFFF_FFFF, 2) == -1 & 0xFFFF_FFFF
    assert S["i32.rem_s"](7, -2 & 0xFFFF_FFFF) == 1
    assert S["i32.div_s"](7, -2 & 0xFFFF_FFFF) == -3 & 0xFFFF_FFFF
    assert S["i32.div_s"](5, 0xFFFF_FFFF) == -5 & 0xFFFF_FFFF
    assert S["i64.div_u"](2**64 - 1, 2) == 2**63 - 1
    assert S["i64.div_s"](0x8000_0000_0000_0001, 2**64 - 1) == 2**63 - 1
    for op in ("i32.div_s", "i64.div_s"):
        bits = int(op[1:3])
        with pytest.raises(Trap) as e:
            S[op](1 << (bits - 1), (1 << bits) - 1)
        assert e.value.message == "integer overflow"
    for op in ("div_s", "div_u", "rem_s", "rem_u"):
        for t in ("i32", "i64"):
            with pytest.raises(Trap) as e:
                S[f"{t}.{op}"](0, 0)
            assert e.value.message == "integer divide by zero"


def test_shift_and_rotate_edges() -> None:
    S = SCALAR
    assert S["i32.shl"](1, 33) == 2
    assert S["i32.shl"](1, 32) == 1
    assert S["i32.shr_s"](0x8000_0000, 31) == 0xFFFF_FFFF
    assert S["i32.shr_s"](0x8000_0000, 63) == 0xFFFF_FFFF
    assert S["i32.shr_u"](0x8000_0000, 0xFFFF_FFFF) == 1
    assert S["i32.rotl"](0x8000_0001, 1) == 3
    assert S["i32.rotr"](1, 1) == 0x8000_0000
    assert S["i32.rotl"](0xABCD_1234, 32) == 0xABCD_1234
    assert S["i64.rotl"](0x8000_0000_0000_0001, 65) == 3
    assert S["i64.rotr"](1, 0xFFFF_FFFF_FFFF_FFFF) == 2
    assert S["i64.shr_s"](1 << 63, 64) == 1 << 63
    assert S["i64.clz"](0) == 64 and S["i64.ctz"](0) == 64 and S["i32.clz"](0) == 32
    assert S["i32.extend8_s"](0x80) == 0xFFFF_FF80
    assert S["i32.extend16_s"](0x1_7FFF) == 0x7FFF
    assert S["i64.extend32_s"](0x8000_0000) == 0xFFFF_FFFF_8000_0000


def test_every_scalar_numeric_instruction_is_covered() -> None:
    names = {
        op
        for op, (_p, _c, kind) in OPCODES.items()
        if op[:4] in ("i32.", "i64.", "f32.", "f64.") and kind == "" and "atomic" not in op
    }
    assert names == set(SCALAR)
    assert len(SCALAR) == 136
