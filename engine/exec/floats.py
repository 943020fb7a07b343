"""Floating-point instructions of f32 and f64 (spec 4.3.3, reference interpreter fxx.ml).

Values are Python floats (f32 values exactly representable, see runtime/float_bits.py).  An f32
+ - * / sqrt is computed in double and rounded once to f32: the double result is exact enough
(53 >= 2 * 24 + 2) that this double rounding equals a single rounding.

NaN results follow the reference interpreter: an operation on a NaN returns that NaN quieted
(an arithmetic NaN), an operation creating a NaN returns the canonical NaN (either sign is
allowed; the hardware's default NaN may be negative).  The hardware already does this for
+ - * /; neg, abs and copysign are sign-bit operations and keep NaN payloads bit-exact.
"""

from __future__ import annotations

import math

from engine.runtime.float_bits import CANONICAL_NAN, f32_round, quiet

_copysign = math.copysign
_floor = math.floor
_ceil = math.ceil
_sqrt = math.sqrt
_inf = math.inf
_BIG = 4503599627370496.0  # 2**52: from here on every double is an integer


def fdiv0(x: float, y: float) -> float:
    """x / y for y = +-0 (Python raises where IEEE gives an infinity or a NaN)."""
    if x != x:
        return quiet(x)
    if x == 0.0:
        return CANONICAL_NAN
    return _copysign(_inf, _copysign(1.0, x) * _copysign(1.0, y))


def fdiv(x: float, y: float) -> float:
    return x / y if y else fdiv0(x, y)


def f32_div(x: float, y: float) -> float:
    return f32_round(x / y) if y else fdiv0(x, y)


def fmin(x: float, y: float) -> float:
    if x < y:
        return x
    if y < x:
        return y
    if x == y:
        # min(-0, +0) is -0: pick the operand with the sign bit.
        return y if x == 0.0 and _copysign(1.0, y) < 0 else x
    return quiet(x if x != x else y)


def fmax(x: float, y: float) -> float:
    if x > y:
        return x
    if y > x:
        return y
    if x == y:
        return y if x == 0.0 and _copysign(1.0, y) > 0 else x
    return quiet(x if x != x else y)


def fsqrt(x: float) -> float:
    if x >= 0.0:
        return _sqrt(x)
    if x != x:
        return quiet(x)
    return CANONICAL_NAN  # negative, including -inf


def f32_sqrt(x: float) -> float:
    if x >= 0.0:
        return f32_round(_sqrt(x))
    if x != x:
        return quiet(x)
    return CANONICAL_NAN


# ceil/floor/trunc/nearest keep the operand's sign (ceil(-0.5) is -0), so the sign is copied
# back after Python's integer-valued rounding.  The same code serves f32: an f32 of magnitude
# below 2**23 rounds to an integer of at most 2**23, which is again an f32.


def fceil(x: float) -> float:
    if -_BIG < x < _BIG:
        return _copysign(float(_ceil(x)), x)
    return x if x == x else quiet(x)


def ffloor(x: float) -> float:
    if -_BIG < x < _BIG:
        return _copysign(float(_floor(x)), x)
    return x if x == x else quiet(x)


def ftrunc(x: float) -> float:
    if -_BIG < x < _BIG:
        return _copysign(float(int(x)), x)
    return x if x == x else quiet(x)


def fnearest(x: float) -> float:
    if -_BIG < x < _BIG:
        return _copysign(float(round(x)), x)  # round() on a float is ties-to-even
    return x if x == x else quiet(x)


HELPERS: dict[str, object] = {
    "_f32r": f32_round,
    "_fdiv0": fdiv0,
    "_fmin": fmin,
    "_fmax": fmax,
    "_fsqrt": fsqrt,
    "_f32sqrt": f32_sqrt,
    "_fceil": fceil,
    "_ffloor": ffloor,
    "_ftrunc": ftrunc,
    "_fnearest": fnearest,
    "_copysign": _copysign,
    "_quiet": quiet,
}


def _templates(t: str) -> dict[str, str]:
    r = "_f32r" if t == "f32" else ""

    def cmp(expr: str) -> str:
        return f"(1 if {expr} else 0)"

    return {
        f"{t}.eq": cmp("{0} == {1}"),
        f"{t}.ne": cmp("{0} != {1}"),
        f"{t}.lt": cmp("{0} < {1}"),
        f"{t}.gt": cmp("{0} > {1}"),
        f"{t}.le": cmp("{0} <= {1}"),
        f"{t}.ge": cmp("{0} >= {1}"),
        f"{t}.add": f"{r}({{0}} + {{1}})",
        f"{t}.sub": f"{r}({{0}} - {{1}})",
        f"{t}.mul": f"{r}({{0}} * {{1}})",
        f"{t}.div": f"({r}({{0}} / {{1}}) if {{1}} else _fdiv0({{0}}, {{1}}))",
        f"{t}.min": "_fmin({0}, {1})",
        f"{t}.max": "_fmax({0}, {1})",
        f"{t}.sqrt": "_f32sqrt({0})" if t == "f32" else "_fsqrt({0})",
        f"{t}.ceil": "_fceil({0})",
        f"{t}.floor": "_ffloor({0})",
        f"{t}.trunc": "_ftrunc({0})",
        f"{t}.nearest": "_fnearest({0})",
        f"{t}.neg": "(-{0})",
        f"{t}.abs": "abs({0})",
        f"{t}.copysign": "_copysign({0}, {1})",
    }


FLOAT_TEMPLATES: dict[str, str] = {**_templates("f32"), **_templates("f64")}
