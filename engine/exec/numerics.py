"""Scalar numeric instructions for the execution tier (spec 4.3.2 - 4.3.4).

The compiler uses three tables, keyed by the text-format mnemonic:

- ``SCALAR[op]``: for every i32/i64/f32/f64 numeric instruction (unary, binary, test, compare,
  conversions, reinterprets, sign extension, trunc and trunc_sat; not const/load/store), a
  function taking the operands, bottom of the stack first, and returning the result.  Traps
  raise ``engine.errors.Trap`` with the reference interpreter's message ("integer divide by
  zero", "integer overflow", "invalid conversion to integer").
- ``INLINE[op]``: for the cheap, hot instructions, a Python expression template in which
  ``{0}``, ``{1}`` stand for the operands (already-evaluated simple names).  Its value equals
  ``SCALAR[op]`` on the same operands, including traps; comparisons and tests give the ints
  0/1.  Templates refer to helpers by names starting with ``_``.
- ``NAMESPACE``: those helper names and their objects; generated code must have them in its
  globals.

Value representation (engine/runtime/instances.py): i32/i64 unsigned canonical ints, f32/f64
floats, an f32 NaN's payload in the top mantissa bits of the double.  ``f32_from_bits`` and
``f32_to_bits`` convert an f32 bit-exactly; ``f64_from_bits`` / ``f64_to_bits`` likewise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.exec import convert, floats, ints
from engine.runtime.float_bits import (
    CANONICAL_NAN,
    f32_from_bits,
    f32_round,
    f32_to_bits,
    f64_from_bits,
    f64_to_bits,
)

__all__ = [
    "SCALAR",
    "INLINE",
    "NAMESPACE",
    "CANONICAL_NAN",
    "f32_from_bits",
    "f32_to_bits",
    "f64_from_bits",
    "f64_to_bits",
    "f32_round",
]

NAMESPACE: dict[str, object] = {
    **ints.HELPERS,
    **floats.HELPERS,
    **convert.HELPERS,
    "_f32_cvt_i64_s": convert.f32_convert_i64_s,
    "_f32_demote": convert.f32_demote_f64,
}

INLINE: dict[str, str] = {
    **ints.INT_TEMPLATES,
    **floats.FLOAT_TEMPLATES,
    **convert.CONVERT_TEMPLATES,
    "f32.convert_i64_s": "_f32_cvt_i64_s({0})",
    "f32.demote_f64": "_f32_demote({0})",
}

_UNARY_HINT = "{1}"


def _from_template(op: str, template: str) -> Callable[..., Any]:
    """A function with the template's exact semantics (so SCALAR and INLINE cannot differ)."""
    params = "a, b" if _UNARY_HINT in template else "a"
    src = f"lambda {params}: " + template.format("a", "b")
    fn: Callable[..., Any] = eval(src, dict(NAMESPACE))  # noqa: S307 - fixed templates only
    fn.__name__ = fn.__qualname__ = op.replace(".", "_")
    return fn


SCALAR: dict[str, Callable[..., Any]] = {
    op: _from_template(op, template) for op, template in INLINE.items()
}
# Direct functions where one exists: one call frame fewer than the template's wrapper.
SCALAR.update(convert.FUNCS)  # type: ignore[arg-type]
for _op, _fn in (
    ("i32.div_s", ints.i32_div_s),
    ("i32.rem_s", ints.i32_rem_s),
    ("i64.div_s", ints.i64_div_s),
    ("i64.rem_s", ints.i64_rem_s),
    ("f32.min", floats.fmin),
    ("f32.max", floats.fmax),
    ("f64.min", floats.fmin),
    ("f64.max", floats.fmax),
    ("f32.sqrt", floats.f32_sqrt),
    ("f64.sqrt", floats.fsqrt),
    ("f32.ceil", floats.fceil),
    ("f64.ceil", floats.fceil),
    ("f32.floor", floats.ffloor),
    ("f64.floor", floats.ffloor),
    ("f32.trunc", floats.ftrunc),
    ("f64.trunc", floats.ftrunc),
    ("f32.nearest", floats.fnearest),
    ("f64.nearest", floats.fnearest),
    ("f32.div", floats.f32_div),
    ("f64.div", floats.fdiv),
):
    SCALAR[_op] = _fn  # type: ignore[assignment]
