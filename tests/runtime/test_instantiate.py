"""Instantiation (spec 4.5.4): allocation, constant expressions, segments and the order of
effects when instantiation fails part way.  Modules are built as ASTs so these tests depend
only on the runtime and the canonical types."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engine.errors import LinkError, Trap
from engine.runtime.host import host_func
from engine.runtime.instances import (
    I31,
    GlobalInst,
    MemoryInst,
    StructInst,
    TableInst,
)
from engine.runtime.instantiate import instantiate
from engine.runtime.link import Registry
from engine.runtime.store import Store
from engine.syntax.ast import (
    Active,
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
from engine.syntax.types import (
    FUNCREF,
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
)
from engine.valid.match import canonicalize


def info(m: Module) -> SimpleNamespace:
    return SimpleNamespace(types=canonicalize(m.types))


def i32(v: int) -> Instr:
    return Instr("i32.const", (v & 0xFFFFFFFF,))


def ftype(params: tuple = (), results: tuple = ()) -> RecType:
    return RecType((SubType(FuncType(params, results)),))


def run(m: Module, externs: list) -> object:
    return instantiate(Store(), m, externs, info(m))


def test_extended_constant_globals_and_global_get_of_earlier_globals() -> None:
    m = Module(
        imports=[Import("env", "g", GlobalType("i32"))],
        globals=[
            Global(GlobalType("i32"), [Instr("global.get", (0,)), i32(3), Instr("i32.mul")]),
            Global(
                GlobalType("i64"),
                [Instr("i64.const", (5,)), Instr("i64.const", (7,)), Instr("i64.sub")],
            ),
            Global(GlobalType("i32", True), [Instr("global.get", (1,)), i32(-1), Instr("i32.add")]),
        ],
        exports=[Export("g", "global", 3)],
    )
    inst = run(m, [GlobalInst(GlobalType("i32"), 14)])
    assert [g.value for g in inst.globals] == [14, 42, 2**64 - 2, 41]
    assert inst.exports["g"].value is inst.globals[3]


def test_gc_constants_struct_and_i31() -> None:
    st = RecType(
        (
            SubType(
                StructType((FieldType(False, "i8"), FieldType(True, "i64"))),
            ),
        )
    )
    m = Module(
        types=[st],
        globals=[
            Global(
                GlobalType(RefType(False, 0)),
                [i32(0x1FF), Instr("i64.const", (9,)), Instr("struct.new", (0,))],
            ),
            Global(GlobalType(RefType(False, "i31")), [i32(-1), Instr("ref.i31")]),
        ],
    )
    inst = run(m, [])
    s = inst.globals[0].value
    assert isinstance(s, StructInst) and s.type is inst.types[0]
    assert s.fields == [0xFF, 9]  # the packed i8 field keeps its low 8 bits
    assert inst.globals[1].value == I31(0x7FFFFFFF)


def _table_module(elem_offsets: list[int], data_offset: int | None) -> Module:
    m = Module(
        types=[ftype()],
        imports=[
            Import("env", "t", TableType(Limits(4), FUNCREF)),
            Import("env", "m", MemoryType(Limits(1))),
        ],
        funcs=[Func(0, [], [])],
    )
    for off in elem_offsets:
        m.elems.append(Elem(FUNCREF, [[Instr("ref.func", (0,))]], Active(0, [i32(off)])))
    if data_offset is not None:
        m.datas.append(Data(b"\x01\x02", Active(0, [i32(data_offset)])))
    return m


def _env() -> tuple[TableInst, MemoryInst]:
    return TableInst(TableType(Limits(4), FUNCREF)), MemoryInst(MemoryType(Limits(1)))


def test_segments_written_before_a_trapping_data_segment_stay_written() -> None:
    table, mem = _env()
    m = _table_module([1], 65535)  # 2 bytes at 65535: one past the end
    with pytest.raises(Trap) as e:
        run(m, [table, mem])
    assert e.value.message == "out of bounds memory access"
    assert table.elements[1] is not None  # the element segment ran first and stays
    assert mem.data[65535] == 0  # nothing of the failing segment was written


def test_element_segments_apply_in_order_and_stop_at_the_first_out_of_bounds() -> None:
    table, mem = _env()
    m = _table_module([0, 4, 2], 0)
    with pytest.raises(Trap) as e:
        run(m, [table, mem])
    assert e.value.message == "out of bounds table access"
    assert table.elements[0] is not None
    assert table.elements[2] is None  # after the failing segment: not applied
    assert bytes(mem.data[:2]) == b"\0\0"  # data segments run after all element segments


def test_successful_segments_drop_active_and_declarative_keep_passive() -> None:
    table, mem = _env()
    m = _table_module([3], 10)
    m.elems.append(Elem(FUNCREF, [[Instr("ref.func", (0,))]], "declarative"))
    m.elems.append(Elem(FUNCREF, [[Instr("ref.null", ("func",))]], "passive"))
    m.datas.append(Data(b"xyz", "passive"))
    inst = run(m, [table, mem])
    assert table.elements[3] is inst.funcs[0]
    assert bytes(mem.data[10:12]) == b"\x01\x02"
    assert [len(e.elements) for e in inst.elems] == [0, 0, 1]
    assert [d.data for d in inst.datas] == [b"", b"xyz"]


def test_zero_length_segment_at_the_end_is_in_bounds_but_past_it_traps() -> None:
    m = Module(memories=[MemoryType(Limits(1))], datas=[Data(b"", Active(0, [i32(65536)]))])
    run(m, [])
    m.datas = [Data(b"", Active(0, [i32(65537)]))]
    with pytest.raises(Trap, match="out of bounds memory access"):
        run(m, [])


def test_table_initialiser_expression_fills_every_entry() -> None:
    m = Module(
        types=[ftype()],
        funcs=[Func(0)],
        tables=[Table(TableType(Limits(3), RefType(False, "func")), [Instr("ref.func", (0,))])],
    )
    inst = run(m, [])
    assert inst.tables[0].elements == [inst.funcs[0]] * 3


@pytest.mark.parametrize(
    "desc, ext",
    [
        (MemoryType(Limits(2)), MemoryInst(MemoryType(Limits(1)))),  # too small
        (MemoryType(Limits(1, 1)), MemoryInst(MemoryType(Limits(1)))),  # no max
        (MemoryType(Limits(1), shared=True), MemoryInst(MemoryType(Limits(1)))),
        (TableType(Limits(1), RefType(True, "extern")), TableInst(TableType(Limits(1), FUNCREF))),
        (GlobalType("i32", True), GlobalInst(GlobalType("i32"), 0)),
        (GlobalType("i64"), GlobalInst(GlobalType("i32"), 0)),
        (MemoryType(Limits(1)), GlobalInst(GlobalType("i32"), 0)),  # wrong kind
    ],
)
def test_incompatible_imports(desc: object, ext: object) -> None:
    m = Module(imports=[Import("env", "x", desc)])  # type: ignore[arg-type]
    with pytest.raises(LinkError) as e:
        run(m, [ext])
    assert e.value.message.startswith('incompatible import type for "env" "x"')


def test_compatible_imports_use_subtyping_and_current_sizes() -> None:
    mem = MemoryInst(MemoryType(Limits(1, 5)))
    assert mem.grow(2) == 1  # now 3 pages: matches an import asking for at least 3
    m = Module(
        imports=[
            Import("env", "m", MemoryType(Limits(3, 6))),
            Import("env", "g", GlobalType(RefType(True, "func"))),
        ]
    )
    g = GlobalInst(GlobalType(RefType(True, "nofunc")), None)  # immutable: covariant
    inst = run(m, [mem, g])
    assert inst.memories == [mem] and inst.globals == [g]


def test_function_import_type_is_checked() -> None:
    m = Module(types=[ftype(("i32",), ())], imports=[Import("env", "f", FuncImportType(0))])
    good = host_func(FuncType(("i32",), ()), lambda x: [])
    bad = host_func(FuncType(("i64",), ()), lambda x: [])
    inst = run(m, [good])
    assert inst.funcs == [good]
    with pytest.raises(LinkError, match="incompatible import type"):
        run(m, [bad])


def test_registry_reports_unknown_imports_by_name() -> None:
    reg = Registry()
    reg.register_externs("env", {"m": MemoryInst(MemoryType(Limits(1)))})
    ok = Import("env", "m", MemoryType(Limits(1)))
    assert len(reg.resolve([ok])) == 1
    with pytest.raises(LinkError) as e:
        reg.resolve([ok, Import("env", "nope", MemoryType(Limits(1)))])
    assert e.value.message == 'unknown import "env"."nope"'
    with pytest.raises(LinkError, match='unknown import "other"."m"'):
        reg.resolve([Import("other", "m", MemoryType(Limits(1)))])


def test_wrong_number_of_imports() -> None:
    m = Module(imports=[Import("env", "m", MemoryType(Limits(1)))])
    with pytest.raises(LinkError, match="wrong number of imports"):
        run(m, [])
