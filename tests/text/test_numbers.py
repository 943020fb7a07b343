"""Number literals: integer ranges and exactly rounded float bit patterns."""

import struct

import pytest

from engine.text import numbers


def f32(x: float) -> int:
    return int.from_bytes(struct.pack("<f", x), "little")


def f64(x: float) -> int:
    return int.from_bytes(struct.pack("<d", x), "little")


@pytest.mark.parametrize(
    "lit,bits,value",
    [
        ("0", 32, 0),
        ("4294967295", 32, 0xFFFFFFFF),
        ("-1", 32, 0xFFFFFFFF),
        ("-2147483648", 32, 0x80000000),
        ("0xffff_ffff", 32, 0xFFFFFFFF),
        ("+0x7f", 8, 0x7F),
        ("-0x8000000000000000", 64, 1 << 63),
        ("1_000", 16, 1000),
    ],
)
def test_int_in_range(lit: str, bits: int, value: int) -> None:
    assert numbers.parse_int(lit, bits) == value


@pytest.mark.parametrize(
    "lit,bits", [("4294967296", 32), ("-2147483649", 32), ("256", 8), ("0x1_0000_0000", 32)]
)
def test_int_out_of_range(lit: str, bits: int) -> None:
    with pytest.raises(ValueError):
        numbers.parse_int(lit, bits)


def test_nat_rejects_sign() -> None:
    with pytest.raises(ValueError):
        numbers.parse_nat("+1", 32)


@pytest.mark.parametrize(
    "lit,value",
    [
        ("0.1", 0.1),
        ("-1.5e3", -1500.0),
        ("0x1p-1", 0.5),
        ("0x1.8p1", 3.0),
        ("1_000.000_1", 1000.0001),
        ("3.4028234663852886e38", 3.4028234663852886e38),
    ],
)
def test_f32_f64_rounding(lit: str, value: float) -> None:
    assert numbers.parse_float(lit, "f64") == f64(value)
    assert numbers.parse_float(lit, "f32") == f32(value)


def test_special_floats() -> None:
    assert numbers.parse_float("inf", "f32") == 0x7F800000
    assert numbers.parse_float("-inf", "f64") == 0xFFF0000000000000
    assert numbers.parse_float("nan", "f32") == 0x7FC00000
    assert numbers.parse_float("-nan:0x1", "f32") == 0xFF800001
    assert numbers.parse_float("nan:0x8_0000_0000_0001", "f64") == 0x7FF8000000000001
    assert numbers.parse_float("-0.0", "f64") == 1 << 63


def test_subnormal_and_ties() -> None:
    # The smallest f32 subnormal, and a value halfway below it that rounds to even (zero).
    assert numbers.parse_float("0x1p-149", "f32") == 1
    assert numbers.parse_float("0x1p-150", "f32") == 0
    assert numbers.parse_float("0x1.8p-149", "f32") == 2
    # f32 ties-to-even on the last mantissa bit.
    assert numbers.parse_float("0x1.000001p0", "f32") == 0x3F800000
    assert numbers.parse_float("0x1.000003p0", "f32") == 0x3F800002


@pytest.mark.parametrize("lit,ty", [("0x1p128", "f32"), ("1e309", "f64"), ("nan:0x0", "f32")])
def test_float_out_of_range(lit: str, ty: str) -> None:
    with pytest.raises(ValueError):
        numbers.parse_float(lit, ty)


def test_largest_f32_that_rounds_down() -> None:
    # Just below the rounding boundary to infinity is the largest finite f32.
    assert numbers.parse_float("0x1.fffffefffffffffp127", "f32") == 0x7F7FFFFF
