"""Encoding: decode(encode(m)) == m, and encode(decode(b)) == b for canonical b."""

from __future__ import annotations

from binary_helpers import HEADER, TYPE_VOID, func_module, leb, module, section, vec
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.binary import decode_module, encode_module
from engine.binary.encode import s, u
from engine.binary.reader import read_sN, read_uN
from engine.syntax.ast import (
    Active,
    Catch,
    Custom,
    Data,
    Elem,
    Export,
    Func,
    Global,
    Import,
    Instr,
    Module,
    Table,
)
from engine.syntax.opcodes import OPCODES
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

VOID = RecType((SubType(FuncType()),))


def roundtrip(m: Module) -> Module:
    m2 = decode_module(encode_module(m))
    for f in m2.funcs:
        f.offset = -1  # positions, set by decoding
    return m2


def sample_imm(kind: str) -> tuple:
    """A representative immediate for each immediate kind."""
    return {
        "": (),
        "label": (1,),
        "br_table": ((0, 1, 300), 2),
        "table_type": (1, 2),
        "type_field": (3, 4),
        "type_u32": (3, 70000),
        "type_data": (3, 0),
        "type_elem": (3, 1),
        "type_type": (3, 4),
        "memory_memory": (1, 0),
        "memory_data": (1, 0),
        "table_table": (0, 1),
        "table_elem": (2, 1),
        "memarg": (1, 3, 2**40),
        "memarg_lane": (0, 2, 8, 3),
        "lane": (5,),
        "shuffle": (tuple(range(16, 32)),),
        "i32": (0x80000000,),
        "i64": (2**64 - 1,),
        "f32": (0x7FA00001,),
        "f64": (0xFFF8000000000123,),
        "v128": (2**128 - 2,),
        "heaptype": (7,),
        "reftype": (RefType(False, "eq"),),
        "br_on_cast": (0, RefType(True, "any"), RefType(False, 2)),
        "fence": (),
    }.get(kind, (9,))


def every_instruction() -> list[Instr]:
    out = []
    for op, (_, _, kind) in OPCODES.items():
        if op in ("select_t", "ref.test_null", "ref.cast_null"):
            continue
        if kind == "block":
            imm: tuple = (
                (None, [Instr("nop")], [Instr("drop")]) if op == "if" else ("i32", [Instr("nop")])
            )
        elif kind == "try_table":
            imm = (0, [Catch("catch", 1, 0), Catch("catch_all_ref", None, 1)], [Instr("nop")])
        else:
            imm = sample_imm(kind)
        out.append(Instr(op, imm))
    out.append(Instr("select", (("i32", RefType(True, 3)),)))
    out.append(Instr("ref.test", (RefType(True, "i31"),)))
    out.append(Instr("ref.cast", (RefType(True, 0),)))
    return out


def test_every_instruction_roundtrips() -> None:
    body = every_instruction()
    m = Module(types=[VOID], funcs=[Func(0, ["i32", RefType(False, 0)], body)], data_count=1)
    m.datas = [Data(b"x")]
    assert roundtrip(m) == m
    assert encode_module(decode_module(encode_module(m))) == encode_module(m)


def test_full_module_roundtrips() -> None:
    fields = (FieldType(True, "i8"), FieldType(False, RefType(True, 1)))
    rec = RecType(
        (
            SubType(StructType(fields), (), False),
            SubType(ArrayType(FieldType(True, "f64")), (0,), True),
        )
    )
    const = [Instr("i32.const", (4,))]
    m = Module(
        types=[VOID, rec, RecType((SubType(FuncType(("i32",), ("i64",))),))],
        imports=[
            Import("env", "f", FuncImportType(0)),
            Import("env", "mem", MemoryType(Limits(1, 10), shared=True)),
            Import("env", "g", GlobalType(RefType(True, "extern"), True)),
            Import("env", "tag", TagType(0)),
            Import("env", "t", TableType(Limits(0), RefType(True, "func"), "i64")),
        ],
        funcs=[Func(3, ["i64", "i64", "v128"], [Instr("i64.const", (1,))]), Func(0, [], [])],
        tables=[
            Table(TableType(Limits(2, 5), RefType(True, "func"))),
            Table(TableType(Limits(1), RefType(False, 0)), [Instr("ref.func", (1,))]),
        ],
        memories=[MemoryType(Limits(0, 2**33), address="i64")],
        globals=[Global(GlobalType("f32", False), [Instr("f32.const", (0x7F800001,))])],
        tags=[TagType(0)],
        exports=[Export("run", "func", 1), Export("ünïcode", "memory", 0)],
        start=2,
        elems=[
            Elem(RefType(False, "func"), [[Instr("ref.func", (1,))]], Active(0, const)),
            Elem(RefType(False, "func"), [[Instr("ref.func", (2,))]], Active(1, const)),
            Elem(RefType(False, "func"), [], "passive"),
            Elem(RefType(False, "func"), [[Instr("ref.func", (1,))]], "declarative"),
            Elem(RefType(True, "func"), [[Instr("ref.null", ("func",))]], Active(0, const)),
            Elem(RefType(True, "any"), [[Instr("ref.i31")]], "passive"),
            Elem(RefType(False, "func"), [[Instr("global.get", (0,))]], Active(0, const)),
            Elem(RefType(True, "func"), [], "declarative"),
        ],
        datas=[Data(b"abc", Active(0, const)), Data(b"", "passive"), Data(b"z", Active(1, const))],
        data_count=3,
        customs=[Custom("first", b"\x01", 0), Custom("mid", b"", 5), Custom("last", b"x", 11)],
    )
    m.funcs[0].body = [Instr("local.get", (0,)), Instr("drop"), Instr("i64.const", (1,))]
    assert roundtrip(m) == m
    b = encode_module(m)
    assert encode_module(decode_module(b)) == b


def test_canonical_bytes_reencode_identically() -> None:
    samples = [
        HEADER,
        func_module(b"\x41\x7f\x1a\x0b", locals_=b"\x02\x03\x7f\x01\x7e"),
        func_module(b"\x02\x40\x03\x40\x0c\x01\x0b\x0b\x0b"),
        func_module(b"\x41\x00\x04\x7f\x41\x01\x05\x41\x02\x0b\x1a\x0b"),
        module(section(5, vec([b"\x05\x01\x80\x02"])), section(0, b"\x02hi!")),
        module(section(0, b"\x01a"), section(1, vec([TYPE_VOID])), section(0, b"\x01b")),
    ]
    for data in samples:
        assert encode_module(decode_module(data)) == data


def test_custom_after_empty_section_keeps_its_place() -> None:
    data = module(section(1, b"\x00"), section(0, b"\x01c"), section(3, vec([])))
    m = decode_module(data)
    assert m.customs[0].after == 1
    assert decode_module(encode_module(m)).customs[0].after == 1


def test_data_count_emitted_when_code_needs_it() -> None:
    m = Module(
        types=[VOID],
        funcs=[Func(0, [], [Instr("data.drop", (0,))])],
        datas=[Data(b"x")],
    )
    m2 = decode_module(encode_module(m))
    assert m2.data_count == 1


def test_br_table_label_count_and_nested_if_else() -> None:
    inner = [Instr("br_table", ((0,) * 200, 0))]
    body = [Instr("i32.const", (0,)), Instr("if", (None, [Instr("nop")], inner))]
    m = Module(types=[VOID], funcs=[Func(0, [], body)])
    assert roundtrip(m) == m


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_leb128_minimal_and_exact(n: int) -> None:
    assert read_uN(u(n), 0, 64) == (n, len(u(n)))
    assert len(u(n)) == max(1, (n.bit_length() + 6) // 7)
    signed = n - 2**64 if n >= 2**63 else n
    assert read_sN(s(signed), 0, 64) == (signed, len(s(signed)))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1), st.integers(0, 2**32 - 1))
def test_constants_roundtrip(i32: int, i64: int, f32: int) -> None:
    body = [
        Instr("i32.const", (i32,)),
        Instr("i64.const", (i64,)),
        Instr("f32.const", (f32,)),
        Instr("f64.const", (i64,)),
        Instr("v128.const", ((i64 << 64) | i32,)),
    ]
    m = Module(types=[VOID], funcs=[Func(0, [], body)])
    assert roundtrip(m).funcs[0].body == body


def test_instruction_offsets_after_encoding() -> None:
    body = [Instr("nop"), Instr("i32.const", (1000,)), Instr("drop")]
    data = encode_module(Module(types=[VOID], funcs=[Func(0, [], body)]))
    decoded = decode_module(data).funcs[0].body
    assert [data[i.offset] for i in decoded] == [0x01, 0x41, 0x1A]
    assert decoded[2].offset - decoded[1].offset == 1 + len(leb(1000))


def test_text_identifiers_become_a_name_section() -> None:
    from engine.text import parse_wat

    m = parse_wat(
        '(module $m (func $foo (param $x i32) (local $y i64) unreachable) (export "f" (func $foo)))'
    )
    d = decode_module(encode_module(m))
    assert d.names.module == "m"
    assert d.names.funcs == {0: "foo"}
    assert d.names.locals == {0: {0: "x", 1: "y"}}
    assert [c.name for c in d.customs] == ["name"]
    # A module that already carries a name section keeps it byte for byte, with no second one.
    again = encode_module(d)
    assert again == encode_module(m)
    assert again.count(b"\x04name") == 1


def test_data_count_section_for_data_use_in_a_constant_expression() -> None:
    from engine.text import parse_wat

    m = parse_wat(
        '(module (type $a (array i8)) (data $d "abc")'
        " (global (ref $a) (array.new_data $a $d (i32.const 0) (i32.const 3))))"
    )
    d = decode_module(encode_module(m))
    assert d.data_count == 1
