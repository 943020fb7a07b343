"""Instructions: plain, folded and structured forms, and their immediates."""

import pytest

from engine.errors import MalformedError
from engine.syntax.ast import Catch, Instr
from engine.syntax.types import FuncType, RecType, RefType, SubType
from engine.text import parse_wat


def body(src: str, prefix: str = "") -> list[Instr]:
    return parse_wat(f"{prefix} (func {src})").funcs[-1].body


def test_folded_order_is_operands_first() -> None:
    assert body("(i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))") == [
        Instr("i32.const", (1,)),
        Instr("i32.const", (2,)),
        Instr("i32.const", (3,)),
        Instr("i32.mul"),
        Instr("i32.add"),
    ]


def test_folded_if_then_else_and_labels() -> None:
    b = body(
        "(block $out (if $l (result i32) (local.get 0) (then (br $l (i32.const 1))) "
        "(else (br $out (i32.const 2)))) drop)",
        "",
    )
    # The parameterless function has no locals; index 0 is still accepted syntactically.
    blk = b[0]
    cond, iff = blk.imm[1][0], blk.imm[1][1]
    assert cond == Instr("local.get", (0,))
    assert iff.op == "if" and iff.imm[0] == "i32"
    assert iff.imm[1] == [Instr("i32.const", (1,)), Instr("br", (0,))]
    assert iff.imm[2] == [Instr("i32.const", (2,)), Instr("br", (1,))]


def test_unfolded_block_loop_if_with_end_labels() -> None:
    b = body("block $a loop $b br $a br $b end $b i32.const 0 if $c else $c br $c end $c end $a")
    loop = b[0].imm[1][0]
    assert loop.op == "loop" and loop.imm[1] == [Instr("br", (1,)), Instr("br", (0,))]
    iff = b[0].imm[1][2]
    assert iff.imm == (None, [], [Instr("br", (0,))])


def test_label_shadowing() -> None:
    b = body("(block $l (block $l (br $l)) (br $l))")
    assert b[0].imm[1][0].imm[1] == [Instr("br", (0,))]
    assert b[0].imm[1][1] == Instr("br", (0,))


def test_br_table_and_br_on() -> None:
    b = body("(block $a (block $b (br_table $a $b 0 (i32.const 0))))")
    assert b[0].imm[1][0].imm[1][1] == Instr("br_table", ((1, 0), 0))
    b = body("(block $l (result anyref) (br_on_cast $l anyref (ref null i31) (ref.null any)))")
    assert b[0].imm[1][1] == Instr("br_on_cast", (0, RefType(True, "any"), RefType(True, "i31")))


def test_try_table_catches_resolve_outside() -> None:
    b = body(
        "(block $h (result exnref) (try_table $t (catch $e $h) (catch_all_ref $h) "
        "(catch_ref 0 $h) (catch_all 0) (throw $e)) unreachable)",
        "(tag $e)",
    )
    tt = b[0].imm[1][0]
    assert tt.op == "try_table"
    bt, catches, inner = tt.imm
    assert bt is None
    assert catches == [
        Catch("catch", 0, 0),
        Catch("catch_all_ref", None, 0),
        Catch("catch_ref", 0, 0),
        Catch("catch_all", None, 0),
    ]
    assert inner == [Instr("throw", (0,))]


def test_select_forms() -> None:
    b = body("(select (i32.const 1) (i32.const 2) (i32.const 0)) select (result f32) (result)")
    assert b[3] == Instr("select")
    assert b[4] == Instr("select", (("f32",),))


def test_call_indirect_forms_and_type_order() -> None:
    m = parse_wat(
        "(type $v (func)) (table 1 funcref) (table $t2 1 funcref)"
        "(func call_indirect (param i64) call_indirect $t2 (type $v)"
        " (call_indirect (param f32) (result f32) (f32.const 0) (i32.const 0)) drop"
        " block (result i32 i32) unreachable end drop drop)"
    )
    b = m.funcs[0].body
    # The unfolded form's implicit type comes after the rest of its sequence.
    assert b[1] == Instr("call_indirect", (1, 0))
    assert b[4] == Instr("call_indirect", (0, 1))
    assert b[0] == Instr("call_indirect", (0, 3))
    assert m.types[1:] == [
        RecType((SubType(FuncType(("f32",), ("f32",))),)),
        RecType((SubType(FuncType((), ("i32", "i32"))),)),
        RecType((SubType(FuncType(("i64",), ())),)),
    ]


def test_memargs() -> None:
    b = body(
        "(i64.store32 offset=4 align=2 (i32.const 0) (i64.const 0))"
        " (f64.load $m1 offset=0x10 (i32.const 0)) drop"
        " (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)) drop"
        " (v128.store16_lane $m1 offset=2 7 (i32.const 0) (v128.const i64x2 0 0))"
        " (memory.atomic.notify (i32.const 0) (i32.const 1)) drop",
        "(memory 1) (memory $m1 1)",
    )
    assert b[2] == Instr("i64.store32", (0, 1, 4))
    assert b[4] == Instr("f64.load", (1, 3, 16))
    assert b[8] == Instr("v128.load8_lane", (0, 0, 0, 1))
    assert b[12] == Instr("v128.store16_lane", (1, 1, 2, 7))
    assert b[15] == Instr("memory.atomic.notify", (0, 2, 0))


def test_constants() -> None:
    b = body(
        "i32.const -1 i64.const 0xffff_ffff_ffff_ffff f32.const -0x1p-1 f64.const nan:0x4"
        " v128.const i8x16 -1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 255"
        " v128.const f32x4 1 -0 inf nan v128.const i16x8 0 0 0 0 0 0 0 -0x8000"
    )
    assert b[0].imm == (0xFFFFFFFF,)
    assert b[1].imm == (0xFFFFFFFFFFFFFFFF,)
    assert b[2].imm == (0xBF000000,)
    assert b[3].imm == (0x7FF0000000000004,)
    lanes = [0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 255]
    assert b[4].imm == (int.from_bytes(bytes(lanes), "little"),)
    f32s = [0x3F800000, 0x80000000, 0x7F800000, 0x7FC00000]
    assert b[5].imm == (sum(v << (32 * i) for i, v in enumerate(f32s)),)
    assert b[6].imm == (0x8000 << 112,)


def test_simd_lane_and_shuffle() -> None:
    b = body(
        "(i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0)"
        " (v128.const i64x2 0 0)) (i32x4.extract_lane 3) drop"
    )
    assert b[2] == Instr("i8x16.shuffle", (tuple(range(15)) + (31,),))
    assert b[3] == Instr("i32x4.extract_lane", (3,))


def test_reference_and_gc_instructions() -> None:
    b = body(
        "(ref.null $s) (ref.test (ref $s)) drop (ref.cast (ref null 0) (ref.null none)) drop"
        " (array.new_fixed $a 2 (i32.const 1) (i32.const 2)) drop"
        " (array.copy $a $a (ref.null $a) (i32.const 0) (ref.null $a) (i32.const 0)"
        "  (i32.const 0)) (ref.func $f) drop (table.copy (i32.const 0) (i32.const 0)"
        "  (i32.const 0)) (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))",
        "(type $s (struct)) (type $a (array (mut i32))) (func $f) (table 1 funcref)"
        " (memory 1) (elem declare func $f)",
    )
    assert b[0] == Instr("ref.null", (0,))
    assert b[1] == Instr("ref.test", (RefType(False, 0),))
    assert b[4] == Instr("ref.cast", (RefType(True, 0),))
    assert b[8] == Instr("array.new_fixed", (1, 2))
    assert b[15] == Instr("array.copy", (1, 1))
    assert b[16] == Instr("ref.func", (0,))
    assert b[21] == Instr("table.copy", (0, 0))
    assert b[25] == Instr("memory.copy", (0, 0))


def test_locals_params_and_type_use() -> None:
    m = parse_wat(
        "(type $t (func (param i32 i64)))"
        "(func (type $t) (local $x f32) (local.get $x))"
        "(func (param $a i32) (param i64) (local f32) (local $b f64) (local.get $b))"
    )
    assert m.funcs[0].body == [Instr("local.get", (2,))]
    assert m.funcs[1].locals == ["f32", "f64"]
    assert m.funcs[1].body == [Instr("local.get", (3,))]
    assert m.names.locals == {0: {2: "x"}, 1: {0: "a", 3: "b"}}


@pytest.mark.parametrize(
    "src",
    [
        "(block (result i32) (param i32))",
        "(if (i32.const 0))",
        "(i32.const 0) (i32.load 0 0)",
        "(select (param i32))",
        "(then)",
        "nop end",
    ],
)
def test_syntax_errors(src: str) -> None:
    with pytest.raises(MalformedError, match="unexpected token"):
        body(src)
