"""Validation rules on modules written in the text format (one small module per rule)."""

from __future__ import annotations

import pytest

from engine.errors import InvalidError
from engine.text import parse_wat
from engine.valid import validate_module

VALID = [
    # 3.0: a global initialiser may read an earlier immutable global of the same module.
    "(global $a i32 (i32.const 1)) (global $b i32 (global.get $a))",
    # Extended constant expressions.
    "(global i64 (i64.mul (i64.const 2) (i64.sub (i64.const 5) (i64.const 1))))",
    # A non-defaultable local set before use, in the same block.
    "(func (local (ref extern)) (local.set 0 (ref.as_non_null (ref.null extern)))"
    " (drop (local.get 0)))",
    # A non-defaultable local set inside a block may be read inside that block.
    "(func (local (ref any)) (block (local.set 0 (ref.i31 (i32.const 0))) (drop (local.get 0))))",
    # ref.func declared by an elem segment.
    "(func $f) (elem declare func $f) (func (drop (ref.func $f)))",
    # A subtype passes where its supertype is expected.
    "(type $s (sub (struct (field i32)))) (type $t (sub $s (struct (field i32) (field i64))))"
    " (func (param (ref $t)) (result (ref null $s)) (local.get 0))",
    # br_on_cast narrows the branch type, the fallthrough keeps the input type.
    "(type $s (struct)) (func (param anyref) (result (ref $s))"
    " (block $l (result (ref $s)) (br_on_cast $l anyref (ref $s) (local.get 0))"
    " (unreachable)))",
    # Casts of the right hierarchy; the br_on_cast_fail branch keeps the input type.
    "(func (param anyref) (result anyref) (block $l (result anyref)"
    " (br_on_cast_fail $l anyref i31ref (local.get 0)) (drop) (ref.null any)))",
    # Tail calls with a subtype result.
    "(type $f (func (result (ref func)))) (func $g (type $f) (ref.func $g))"
    " (func (result funcref) (return_call $g)) (elem declare func $g)",
    # call_ref through a typed function reference.
    "(type $t (func (param i32) (result i32)))"
    " (func (param (ref $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0)))",
    # Multi-memory, memory64 and table64.
    "(memory 1) (memory i64 1) (func (i64.store (i32.const 0) (i64.load 1 (i64.const 0))))",
    "(table i64 1 funcref) (func (drop (table.get (i64.const 0))))",
    # Exceptions: the catch target receives the tag's parameters.
    "(tag $e (param i32 i64)) (func (result i32 i64)"
    " (block $h (result i32 i64) (try_table (catch $e $h) (throw $e (i32.const 1)"
    " (i64.const 2))) (unreachable)))",
    # Atomics on a shared memory, with natural alignment.
    "(memory 1 1 shared) (func (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))",
    # Unreachable code is checked, but operands are bottom.
    "(func (result i32) (unreachable) (i64.eqz) (drop) (ref.is_null) )",
]

INVALID = [
    ("(func (local (ref extern)) (drop (local.get 0)))", "uninitialized local"),
    (
        "(func (local (ref any)) (block (local.set 0 (ref.i31 (i32.const 0))))"
        " (drop (local.get 0)))",
        "uninitialized local",
    ),
    (
        "(func (local (ref any)) (if (i32.const 1) (then (local.set 0 (ref.i31 (i32.const 0))))"
        " (else (drop (local.get 0)))))",
        "uninitialized local",
    ),
    (
        "(global $a (mut i32) (i32.const 1)) (global i32 (global.get $a))",
        "constant expression required",
    ),  # fmt: skip
    ("(global i32 (global.get 1)) (global i32 (i32.const 0))", "unknown global 1"),
    ("(global i32 (i32.clz (i32.const 1)))", "constant expression required"),
    ("(global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))", "immutable global"),
    ("(func $f) (func (drop (ref.func $f)))", "undeclared function reference"),
    (
        "(memory 1) (func (drop (i64.load align=16 (i32.const 0))))",
        "alignment must not be larger than natural",
    ),  # fmt: skip
    (
        "(memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0))))",
        "atomic alignment must be natural",
    ),  # fmt: skip
    ("(memory 1) (func (drop (i32.load (i64.const 0))))", "type mismatch"),
    ("(memory i64 1) (func (drop (i32.load (i32.const 0))))", "type mismatch"),
    ("(memory 65537)", "memory size must be at most"),
    ("(memory 2 1)", "size minimum must not be greater than maximum"),
    ('(func (export "a")) (func (export "a"))', 'duplicate export name "a"'),
    ("(func $s (param i32)) (start $s)", "start function"),
    ("(tag (param i32) (result i32))", "non-empty tag result type"),
    ("(func (drop (v128.const i64x2 0 0) (i64x2.extract_lane 2)))", "invalid lane index"),
    (
        "(func (result i32) (select (ref.null func) (ref.null func) (i32.const 1)) drop"
        " (i32.const 0))",
        "type mismatch",
    ),  # fmt: skip
    (
        "(type $s (struct (field i32))) (func (param (ref $s))"
        " (struct.set $s 0 (local.get 0) (i32.const 1)))",
        "immutable field",
    ),  # fmt: skip
    (
        "(type $s (struct (field i8))) (func (param (ref $s)) (result i32)"
        " (struct.get $s 0 (local.get 0)))",
        "field is packed",
    ),  # fmt: skip
    (
        "(type $a (array (ref any))) (func (drop (array.new_default $a (i32.const 1))))",
        "array type is not defaultable",
    ),  # fmt: skip
    (
        "(type $a (array i8)) (func (param (ref $a))"
        " (array.set $a (local.get 0) (i32.const 0) (i32.const 1)))",
        "immutable array",
    ),  # fmt: skip
    ("(type $s (sub final (struct))) (type (sub $s (struct)))", "sub type 1 has final super"),
    (
        "(type $s (sub (struct (field i32)))) (type (sub $s (struct (field i64))))",
        "sub type 1 does not match super type 0",
    ),  # fmt: skip
    ("(table 1 (ref func))", "type mismatch"),
    ("(table 1 externref) (elem (table 0) (i32.const 0) func)", "type mismatch"),
    ("(func (block (br 1)) (br 2))", "unknown label"),
    ("(func (result i32) (block (result i32) (i32.const 1) (i32.const 2)))", "type mismatch"),
    (
        "(tag $e (param i32)) (func (block $h (try_table (catch $e $h))))",
        "type mismatch: catch handler",
    ),  # fmt: skip
    ("(func (throw_ref (ref.null extern)))", "type mismatch"),
    (
        "(table 1 externref) (type $t (func)) (func (call_indirect (type $t) (i32.const 0)))",
        "type mismatch: instruction requires table of function type",
    ),  # fmt: skip
    ("(func (param anyref) (drop (ref.cast externref (local.get 0))))", "type mismatch"),
    ("(func (data.drop 0))", "unknown data segment 0"),
    ("(func (elem.drop 0))", "unknown elem segment 0"),
]


@pytest.mark.parametrize("src", VALID)
def test_valid(src: str) -> None:
    validate_module(parse_wat(f"(module {src})"))


@pytest.mark.parametrize(("src", "message"), INVALID)
def test_invalid(src: str, message: str) -> None:
    m = parse_wat(f"(module {src})")
    with pytest.raises(InvalidError) as e:
        validate_module(m)
    assert e.value.message.startswith(message), e.value.message


def _message(src: str) -> str:
    with pytest.raises(InvalidError) as e:
        validate_module(parse_wat(f"(module {src})"))
    return e.value.message


def test_block_body_is_checked_before_its_inputs() -> None:
    assert _message("(func (block (param i32) (br 5)))") == "unknown label 5"
    assert _message("(func (block (param i32) (drop)))") == (
        "type mismatch: instruction requires [i32] but stack has []"
    )


def test_defined_types_print_like_the_reference() -> None:
    msg = _message("(type $s (struct (field i32))) (func (result i32) (struct.new_default $s))")
    assert (
        msg
        == "type mismatch: instruction requires [i32] but stack has [(ref (struct (field i32)))]"
    )
    msg = _message("(type $f (func (param i32))) (func (result i32) (ref.null $f))")
    assert msg.endswith("but stack has [(ref null (func [i32] -> []))]")
