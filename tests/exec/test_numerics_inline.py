"""Every INLINE template, compiled the way generated code is, equals SCALAR on many inputs."""

from __future__ import annotations

import random
import re

import pytest
from numerics_oracle import f64_bits, sample

from engine.errors import Trap
from engine.exec.numerics import INLINE, NAMESPACE, SCALAR


def operand_type(op: str) -> str:
    prefix, rest = op.split(".", 1)
    m = re.search(r"_(i32|i64|f32|f64)", rest)
    return m.group(1) if m else prefix


def compile_template(op: str, template: str):  # type: ignore[no-untyped-def]
    arity = 2 if "{1}" in template else 1
    src = "def f(x0, x1=None):\n    return " + template.format("x0", "x1") + "\n"
    ns = dict(NAMESPACE)
    exec(compile(src, f"<inline {op}>", "exec"), ns)
    return ns["f"], arity


def outcome(fn, args):  # type: ignore[no-untyped-def]
    try:
        r = fn(*args)
    except Trap as e:
        return ("trap", e.message)
    if isinstance(r, float):
        return ("float", f64_bits(r))
    assert type(r) is int, (r, type(r))
    return ("int", r)


def test_templates_are_expressions_over_simple_names() -> None:
    for op, template in INLINE.items():
        assert "{0}" in template, op
        assert op in SCALAR
        compile(template.format("a", "b"), op, "eval")
        for name in re.findall(r"\b_[A-Za-z0-9_]+", template):
            assert name in NAMESPACE, (op, name)


def test_hot_instructions_are_inline() -> None:
    for t in ("i32", "i64"):
        for op in ("add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "eq", "lt_s"):
            assert f"{t}.{op}" in INLINE
    for op in ("add", "sub", "mul", "lt", "eq", "ge", "neg", "abs"):
        assert f"f64.{op}" in INLINE
    assert INLINE["f64.add"] == "({0} + {1})"


@pytest.mark.parametrize("op", sorted(INLINE))
def test_inline_equals_scalar(op: str) -> None:
    fn, arity = compile_template(op, INLINE[op])
    ref = SCALAR[op]
    rng = random.Random(op)
    xs = sample(operand_type(op), rng, 60 if arity == 2 else 400)
    pairs = [(a, b) for a in xs for b in xs] if arity == 2 else [(a,) for a in xs]
    for args in pairs:
        assert outcome(fn, args) == outcome(ref, args), (op, args)
