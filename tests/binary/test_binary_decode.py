"""Decoding: the AST produced for each construct, offsets, and the name section."""

from __future__ import annotations

from binary_helpers import (
    HEADER,
    TYPE_I32_I32,
    TYPE_VOID,
    func_module,
    leb,
    module,
    section,
    vec,
)

from engine.binary import decode_module
from engine.syntax.ast import Active, Catch, Instr
from engine.syntax.types import (
    ArrayType,
    FieldType,
    FuncImportType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    StructType,
    SubType,
    TableType,
    TagType,
)


def body_of(code: bytes, **kw: bytes) -> list[Instr]:
    return decode_module(func_module(code, **kw)).funcs[0].body


def test_empty_module() -> None:
    m = decode_module(HEADER)
    assert m.types == [] and m.funcs == [] and m.start is None and m.data_count is None


def test_types_rec_sub_struct_array() -> None:
    rec = b"\x4e\x02" + b"\x50\x00\x5f\x02\x7f\x01\x78\x00" + b"\x4f\x01\x00\x5e\x77\x01"
    m = decode_module(module(section(1, vec([TYPE_I32_I32, rec]))))
    assert m.types[0].subtypes == (SubType(FuncType(("i32",), ("i32",))),)
    s0, s1 = m.types[1].subtypes
    assert s0 == SubType(
        StructType((FieldType(True, "i32"), FieldType(False, "i8"))), (), final=False
    )
    assert s1 == SubType(ArrayType(FieldType(True, "i16")), (0,), final=True)


def test_reference_value_types() -> None:
    ftype = b"\x60\x04\x70\x64\x00\x63\x6e\x64\x71\x00"
    m = decode_module(module(section(1, vec([ftype]))))
    params = m.types[0].subtypes[0].comp.params
    assert params == (
        RefType(True, "func"),
        RefType(False, 0),
        RefType(True, "any"),
        RefType(False, "none"),
    )


def test_imports_of_every_kind() -> None:
    imports = [
        b"\x01m\x01f\x00\x00",
        b"\x01m\x01t\x01\x70\x01\x01\x02",
        b"\x01m\x02m1\x02\x03\x01\x02",
        b"\x01m\x02m2\x02\x04\x80\x80\x04",
        b"\x01m\x01g\x03\x7e\x01",
        b"\x01m\x01e\x04\x00\x00",
    ]
    m = decode_module(module(section(1, vec([TYPE_VOID])), section(2, vec(imports))))
    assert [(i.module, i.name) for i in m.imports][:2] == [("m", "f"), ("m", "t")]
    assert [i.desc for i in m.imports] == [
        FuncImportType(0),
        TableType(Limits(1, 2), RefType(True, "func")),
        MemoryType(Limits(1, 2), shared=True),
        MemoryType(Limits(0x10000), address="i64"),
        GlobalType("i64", True),
        TagType(0),
    ]


def test_table_with_initializer_and_exports() -> None:
    tables = [b"\x40\x00\x64\x70\x00\x01\xd2\x00\x0b", b"\x6f\x04\x00"]
    exports = [b"\x01a\x00\x00", b"\x01b\x01\x01", b"\x01c\x04\x00"]
    data = module(
        section(1, vec([TYPE_VOID])),
        section(3, vec([b"\x00"])),
        section(4, vec(tables)),
        section(13, vec([b"\x00\x00"])),
        section(7, vec(exports)),
        section(8, b"\x00"),
        section(10, vec([b"\x02\x00\x0b"])),
    )
    m = decode_module(data)
    assert m.tables[0].type == TableType(Limits(1), RefType(False, "func"))
    assert m.tables[0].init == [Instr("ref.func", (0,))]
    assert m.tables[1].init is None and m.tables[1].type.address == "i64"
    assert [(e.name, e.kind, e.index) for e in m.exports] == [
        ("a", "func", 0),
        ("b", "table", 1),
        ("c", "tag", 0),
    ]
    assert m.tags == [TagType(0)] and m.start == 0


def test_element_segment_forms() -> None:
    const0 = b"\x41\x00\x0b"
    elems = [
        b"\x00" + const0 + b"\x01\x00",
        b"\x01\x00\x01\x00",
        b"\x02\x01" + const0 + b"\x00\x01\x00",
        b"\x03\x00\x01\x00",
        b"\x04" + const0 + b"\x01\xd0\x70\x0b",
        b"\x05\x6f\x01\xd0\x6f\x0b",
        b"\x06\x01" + const0 + b"\x70\x01\xd2\x00\x0b",
        b"\x07\x70\x00",
    ]
    data = module(
        section(1, vec([TYPE_VOID])),
        section(3, vec([b"\x00"])),
        section(9, vec(elems)),
        section(10, vec([b"\x02\x00\x0b"])),
    )
    es = decode_module(data).elems
    nonnull, funcref = RefType(False, "func"), RefType(True, "func")
    assert [e.type for e in es] == [
        nonnull,
        nonnull,
        nonnull,
        nonnull,
        funcref,
        RefType(True, "extern"),
        funcref,
        funcref,
    ]
    assert es[0].mode == Active(0, [Instr("i32.const", (0,))])
    assert es[1].mode == "passive" and es[3].mode == "declarative" and es[7].mode == "declarative"
    assert es[2].mode == Active(1, [Instr("i32.const", (0,))])
    assert es[0].init == [[Instr("ref.func", (0,))]]
    assert es[4].init == [[Instr("ref.null", ("func",))]]


def test_data_segments_and_data_count() -> None:
    datas = [b"\x00\x41\x08\x0b\x02hi", b"\x01\x00", b"\x02\x01\x41\x00\x0b\x01z"]
    data = module(section(5, vec([b"\x00\x01"])), section(12, b"\x03"), section(11, vec(datas)))
    m = decode_module(data)
    assert m.data_count == 3
    assert m.datas[0].init == b"hi" and m.datas[0].mode == Active(0, [Instr("i32.const", (8,))])
    assert m.datas[1].mode == "passive" and m.datas[1].init == b""
    assert m.datas[2].mode.index == 1  # type: ignore[union-attr]


def test_locals_are_expanded() -> None:
    m = decode_module(func_module(b"\x0b", locals_=b"\x02\x02\x7f\x01\x7c"))
    assert m.funcs[0].locals == ["i32", "i32", "f64"]


def test_nested_blocks_and_offsets() -> None:
    code = b"\x02\x40\x03\x7f\x41\x01\x0b\x1a\x0b\x41\x00\x04\x40\x01\x05\x00\x0b\x0b"
    data = func_module(code)
    f = decode_module(data).funcs[0]
    block, const, if_ = f.body
    assert block == Instr(
        "block", (None, [Instr("loop", ("i32", [Instr("i32.const", (1,))])), Instr("drop")])
    )
    assert const == Instr("i32.const", (0,))
    assert if_ == Instr("if", (None, [Instr("nop")], [Instr("unreachable")]))
    start = data.index(code)
    assert block.offset == start
    assert block.imm[1][0].offset == start + 2
    assert if_.offset == start + 11
    assert if_.imm[2][0].offset == start + 15
    assert f.offset == start - 2  # the body's size field


def test_if_without_else_has_empty_else() -> None:
    (if_,) = body_of(b"\x41\x01\x04\x40\x01\x0b\x0b")[1:]
    assert if_.imm == (None, [Instr("nop")], [])


def test_immediates_in_reference_order() -> None:
    code = (
        b"\x41\x7f"  # i32.const -1
        b"\x42\x80\x7f"  # i64.const -128
        b"\x43\x00\x00\xc0\x7f"  # f32.const nan
        b"\x44\x01\x00\x00\x00\x00\x00\xf0\x7f"  # f64.const nan:0x1
        b"\x11\x02\x01"  # call_indirect type 2 table 1
        b"\xfc\x0a\x03\x01"  # memory.copy 3 1
        b"\xfc\x0c\x04\x02"  # table.init elem 4 table 2
        b"\xfc\x0e\x01\x02"  # table.copy 1 2
        b"\x28\x42\x01\x10"  # i32.load memory 1 align 2 offset 16
        b"\x0e\x02\x00\x01\x02"  # br_table 0 1 2
        b"\x1c\x01\x7f"  # select (result i32)
        b"\x1b"
        b"\xd0\x6e"  # ref.null any
        b"\xfb\x15\x6c"  # ref.test (ref null i31)
        b"\xfb\x16\x03"  # ref.cast (ref 3)
        b"\xfb\x18\x02\x00\x6e\x03"  # br_on_cast 0 anyref (ref null 3)... flags 2
        b"\xfd\x0c" + bytes(range(16)) + b"\xfd\x0d" + bytes(range(16)) + b"\xfd\x15\x03"
        b"\xfd\x54\x00\x00\x07"  # v128.load8_lane align 0 offset 0 lane 7
        b"\xfe\x03\x00"  # atomic.fence
        b"\xfe\x1e\x02\x04"  # i32.atomic.rmw.add
        b"\xfd\x80\x02"  # i8x16.relaxed_swizzle (0x100)
        b"\x0b"
    )
    ops = body_of(code)
    assert [(i.op, i.imm) for i in ops] == [
        ("i32.const", (0xFFFFFFFF,)),
        ("i64.const", (2**64 - 128,)),
        ("f32.const", (0x7FC00000,)),
        ("f64.const", (0x7FF0000000000001,)),
        ("call_indirect", (1, 2)),
        ("memory.copy", (3, 1)),
        ("table.init", (2, 4)),
        ("table.copy", (1, 2)),
        ("i32.load", (1, 2, 16)),
        ("br_table", ((0, 1), 2)),
        ("select", (("i32",),)),
        ("select", ()),
        ("ref.null", ("any",)),
        ("ref.test", (RefType(True, "i31"),)),
        ("ref.cast", (RefType(False, 3),)),
        ("br_on_cast", (0, RefType(False, "any"), RefType(True, 3))),
        ("v128.const", (int.from_bytes(bytes(range(16)), "little"),)),
        ("i8x16.shuffle", (tuple(range(16)),)),
        ("i8x16.extract_lane_s", (3,)),
        ("v128.load8_lane", (0, 0, 0, 7)),
        ("atomic.fence", ()),
        ("i32.atomic.rmw.add", (0, 2, 4)),
        ("i8x16.relaxed_swizzle", ()),
    ]


def test_try_table_catches() -> None:
    code = b"\x1f\x40\x04\x00\x00\x01\x01\x01\x00\x02\x02\x03\x00\x01\x0b\x0b"
    (tt,) = body_of(code)
    assert tt.op == "try_table"
    assert tt.imm == (
        None,
        [
            Catch("catch", 0, 1),
            Catch("catch_ref", 1, 0),
            Catch("catch_all", None, 2),
            Catch("catch_all_ref", None, 0),
        ],
        [Instr("nop")],
    )


def test_blocktype_type_index() -> None:
    (b,) = body_of(b"\x02\x00\x0b\x0b")
    assert b.imm[0] == 0


def test_custom_sections_and_placement() -> None:
    custom = section(0, b"\x03abc" + b"payload")
    data = module(custom, section(1, vec([TYPE_VOID])), custom, section(3, vec([])), custom)
    m = decode_module(data)
    assert [(c.name, c.data, c.after) for c in m.customs] == [
        ("abc", b"payload", 0),
        ("abc", b"payload", 1),
        ("abc", b"payload", 3),
    ]


def _name_section(*subs: tuple[int, bytes]) -> bytes:
    body = b"\x04name" + b"".join(bytes([i]) + leb(len(s)) + s for i, s in subs)
    return section(0, body)


def test_name_section() -> None:
    names = _name_section(
        (0, b"\x03mod"),
        (1, vec([b"\x00\x04main"])),
        (2, vec([b"\x00" + vec([b"\x00\x01x", b"\x01\x01y"])])),
    )
    data = func_module(b"\x0b") + names
    m = decode_module(data)
    assert m.names.module == "mod"
    assert m.names.funcs == {0: "main"}
    assert m.names.locals == {0: {0: "x", 1: "y"}}
    assert m.customs[0].name == "name"


def test_malformed_name_section_is_ignored() -> None:
    data = func_module(b"\x0b") + _name_section((1, b"\x05\x00\x04ma"))
    m = decode_module(data)
    assert m.names.funcs == {} and m.names.module is None
    assert len(m.customs) == 1


def test_input_types_accepted() -> None:
    data = func_module(b"\x0b")
    assert decode_module(bytearray(data)) == decode_module(memoryview(data))  # type: ignore[arg-type]


def test_memory_init_reads_data_then_memory() -> None:
    code = b"\x00\xfc\x08\x03\x01\xfc\x09\x02\x0b"
    data = module(
        section(1, vec([TYPE_VOID])),
        section(3, vec([b"\x00"])),
        section(12, b"\x00"),
        section(10, vec([leb(len(code)) + code])),
    )
    ops = decode_module(data).funcs[0].body
    assert [(i.op, i.imm) for i in ops] == [("memory.init", (1, 3)), ("data.drop", (2,))]


def test_constant_expressions_do_not_require_data_count() -> None:
    # array.new_data in a global's initializer decodes; validation rejects it later.
    glob = b"\x63\x6a\x00" + b"\x41\x00\x41\x00\xfb\x09\x00\x00\x0b"
    m = decode_module(module(section(6, vec([glob]))))
    assert m.globals[0].init[-1] == Instr("array.new_data", (0, 0))
    assert m.data_count is None


def test_collector_state_is_restored() -> None:
    import gc

    data = func_module(b"\x0b")
    assert gc.isenabled()
    decode_module(data)
    assert gc.isenabled()
    gc.disable()
    try:
        decode_module(data)
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        decode_module(b"\x00asm\x01")
    except Exception:
        pass
    assert gc.isenabled()
