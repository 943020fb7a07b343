"""Module fields, their abbreviations, and index spaces."""

import pytest

from engine.errors import MalformedError
from engine.syntax.ast import Active, Export, Import, Instr
from engine.syntax.types import (
    ArrayType,
    FieldType,
    FuncImportType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    SubType,
    TableType,
    TagType,
)
from engine.text import parse_wat
from engine.text.cursor import Cursor
from engine.text.lexer import Tokens
from engine.text.module import parse_module_fields

FUNCREF = RefType(True, "func")


def ft(params=(), results=()):  # type: ignore[no-untyped-def]
    return RecType((SubType(FuncType(tuple(params), tuple(results))),))


def test_module_forms() -> None:
    assert parse_wat("(module $m)").funcs == []
    assert len(parse_wat("(func) (func)").funcs) == 2
    with pytest.raises(MalformedError, match="unexpected token"):
        parse_wat("(module) (func)")


def test_parse_module_fields_stops_at_close() -> None:
    cur = Cursor(Tokens('(module $m (func (export "f"))) (assert_return)'))
    cur.i = 3
    m = parse_module_fields(cur)
    assert m.exports == [Export("f", "func", 0)]
    assert cur.kinds[cur.i] == ")"


def test_implicit_types_follow_explicit_ones_and_are_shared() -> None:
    m = parse_wat(
        """
        (func (param i32))
        (type $t (func (result i64)))
        (func (param i32))
        (func (type $t))
        (func (result i64))
        """
    )
    assert m.types == [ft((), ("i64",)), ft(("i32",))]
    assert [f.type_index for f in m.funcs] == [1, 1, 0, 0]


def test_block_type_after_body() -> None:
    m = parse_wat(
        "(func (block (param i32) (result i32 i32) (block (result f32 f32) unreachable) "
        "unreachable) )"
    )
    assert m.types == [ft(), ft((), ("f32", "f32")), ft(("i32",), ("i32", "i32"))]
    outer = m.funcs[0].body[0]
    assert outer.imm[0] == 2 and outer.imm[1][0].imm[0] == 1


def test_rec_sub_struct_array_fields() -> None:
    m = parse_wat(
        """
        (rec (type $a (sub (struct (field $x i32) (field (mut i8) i16))))
             (type $b (sub final $a (struct (field $x i32) (field (mut i8) i16) (field (ref $b))))))
        (type $arr (array (mut (ref null $a))))
        (func (param (ref $b)) (result i32) (struct.get $b $x (local.get 0)))
        (func (param (ref $b)) (result i32) (struct.get_u $a 1 (local.get 0)))
        """
    )
    a = SubType(
        StructType((FieldType(False, "i32"), FieldType(True, "i8"), FieldType(False, "i16"))),
        (),
        False,
    )
    b = SubType(StructType(a.comp.fields + (FieldType(False, RefType(False, 1)),)), (0,), True)
    assert m.types[0] == RecType((a, b))
    assert m.types[1] == RecType((SubType(ArrayType(FieldType(True, RefType(True, 0)))),))
    assert m.funcs[0].body[-1] == Instr("struct.get", (1, 0))
    assert m.funcs[1].body[-1] == Instr("struct.get_u", (0, 1))


def test_imports_exports_and_inline_forms() -> None:
    m = parse_wat(
        """
        (import "m" "f" (func $f (param i32)))
        (func $g (import "m" "g") (result i32))
        (table $t (import "m" "t") 1 2 funcref)
        (memory (import "m" "mem") i64 1 shared)
        (global $gl (import "m" "gl") (mut i32))
        (tag (import "m" "tag") (param i64))
        (func $h (export "h1") (export "h2") (call $f (i32.const 0)))
        (export "t" (table $t))
        (export "gl" (global $gl))
        """
    )
    assert m.imports == [
        Import("m", "f", FuncImportType(0)),
        Import("m", "g", FuncImportType(1)),
        Import("m", "t", TableType(Limits(1, 2), FUNCREF)),
        Import("m", "mem", MemoryType(Limits(1), True, "i64")),
        Import("m", "gl", GlobalType("i32", True)),
        Import("m", "tag", TagType(2)),
    ]
    assert m.exports == [
        Export("h1", "func", 2),
        Export("h2", "func", 2),
        Export("t", "table", 0),
        Export("gl", "global", 0),
    ]
    assert m.funcs[0].body == [Instr("i32.const", (0,)), Instr("call", (0,))]
    assert m.names.funcs == {0: "f", 1: "g", 2: "h"}


def test_table_and_memory_abbreviations() -> None:
    m = parse_wat(
        """
        (func $f) (func $g)
        (table $t i64 funcref (elem $g $f $g))
        (table 1 externref (ref.null extern))
        (memory $m (data "ab" "c"))
        """
    )
    assert m.tables[0].type == TableType(Limits(3, 3), FUNCREF, "i64")
    assert m.tables[1].init == [Instr("ref.null", ("extern",))]
    assert m.elems[0].type == FUNCREF
    assert m.elems[0].mode == Active(0, [Instr("i64.const", (0,))])
    assert m.elems[0].init == [[Instr("ref.func", (i,))] for i in (1, 0, 1)]
    assert m.memories == [MemoryType(Limits(1, 1))]
    assert m.datas[0].init == b"abc" and m.datas[0].mode == Active(0, [Instr("i32.const", (0,))])


def test_elem_and_data_forms() -> None:
    m = parse_wat(
        """
        (table $t 10 funcref) (table $u 10 funcref) (memory 1) (memory $m2 1)
        (func $f)
        (elem (i32.const 1) $f 0)
        (elem $e (table $u) (offset (i32.const 2)) funcref (ref.func $f) (item ref.null func))
        (elem declare func $f)
        (elem funcref (ref.null func))
        (elem (i32.const 0))
        (data (i32.const 8) "x")
        (data $d (memory $m2) (offset (i32.const 0) (i32.const 1) i32.add) "y")
        (data "passive")
        (func (elem.drop $e) (data.drop $d) (table.init $u $e (i32.const 0) (i32.const 0)
          (i32.const 0)) (memory.init $m2 $d (i32.const 0) (i32.const 0) (i32.const 0)))
        """
    )
    e = m.elems
    assert e[0].type == RefType(False, "func")
    assert e[0].mode == Active(0, [Instr("i32.const", (1,))])
    assert e[0].init == [[Instr("ref.func", (0,))], [Instr("ref.func", (0,))]]
    assert e[1].mode.index == 1 and e[1].type == FUNCREF
    assert e[1].init == [[Instr("ref.func", (0,))], [Instr("ref.null", ("func",))]]
    assert e[2].mode == "declarative" and e[3].mode == "passive" and e[4].init == []
    d = m.datas
    assert d[1].mode.index == 1 and len(d[1].mode.offset) == 3 and d[2].mode == "passive"
    body = m.funcs[1].body
    assert body[0] == Instr("elem.drop", (1,)) and body[1] == Instr("data.drop", (1,))
    assert body[5] == Instr("table.init", (1, 1))
    assert body[9] == Instr("memory.init", (1, 1))


def test_globals_tags_start() -> None:
    m = parse_wat(
        """
        (global $a i32 (i32.const 1))
        (global (export "b") (mut f64) (global.get $a) (f64.convert_i32_s))
        (tag $e (param i32 f32))
        (func $s)
        (start $s)
        """
    )
    assert m.globals[1].type == GlobalType("f64", True)
    assert m.globals[1].init == [Instr("global.get", (0,)), Instr("f64.convert_i32_s")]
    assert m.tags == [TagType(0)] and m.start == 0
    assert m.types == [ft(("i32", "f32")), ft()]


@pytest.mark.parametrize(
    "src,msg",
    [
        ('(func) (import "" "" (func))', "import after function definition"),
        (
            '(memory 0) (func) (global i32 (i32.const 0)) (import "" "" (memory 0))',
            "import after global definition",
        ),
        ("(func $f) (func $f)", "duplicate func"),
        ("(func (local $x i32) (local $x i64))", "duplicate local $x"),
        ("(type (struct (field $x i32) (field $x i32)))", "duplicate field"),
        ("(func (call $nope))", "unknown function $nope"),
        ("(func (local.get $nope))", "unknown local $nope"),
        ("(func (br $nope))", "unknown label"),
        ("(func block $a end $b)", "mismatching label"),
        ("(func block end $b)", "mismatching label"),
        ("(func (type 0) (param i32))", "unknown type 0"),
        ("(type (func)) (func (type 0) (param i32))", "inline function type"),
        ("(start 0) (start 0) (func)", "multiple start sections"),
        ("(func (i32.const 0x1_0000_0000))", "constant out of range"),
        ("(memory 1) (func (i32.load align=3 (i32.const 0)))", "alignment"),
        ("(func (v128.const i32x4 1 2 3))", "wrong number of lane literals"),
        ("(func (i8x16.shuffle 1 2))", "invalid lane length"),
        ("(func (unreachable) (i32.const)", "unexpected token"),
        ("(func (i32.add i32.const 1))", "unexpected token"),
        ("(func (block (type 0) (result i32) (param i32)))", "unexpected token"),
        ("(memory f32 1)", "malformed address type"),
        ('(import "\\ff" "" (func))', "malformed UTF-8 encoding"),
        ("(func (br $undefined)) (func (i32.const))", "unexpected token"),
    ],
)
def test_errors(src: str, msg: str) -> None:
    with pytest.raises(MalformedError) as e:
        parse_wat(src)
    assert e.value.message.startswith(msg)


def test_deep_nesting_is_bounded() -> None:
    depth = 20000
    src = "(func " + "(block " * depth + ")" * depth + ")"
    m = parse_wat(src)
    ins = m.funcs[0].body[0]
    for _ in range(depth - 1):
        ins = ins.imm[1][0]
    assert ins.op == "block" and ins.imm[1] == []
    with pytest.raises(MalformedError):
        parse_wat("(func " + "(block " * depth)
