"""Module-level rules (spec 3.5): types, imports, globals, segments, start, exports."""

from __future__ import annotations

from vbuild import I, ft, func_module, invalid, sub, valid

from engine.syntax.ast import Active, Data, Elem, Export, Func, Global, Import, Module, Table
from engine.syntax.types import (
    EXTERNREF,
    FUNCREF,
    I32,
    I64,
    FieldType,
    FuncImportType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    TableType,
    TagType,
)
from engine.valid import ExternFuncType, ExternTagType

MEM = [MemoryType(Limits(1))]


def test_module_info_resolves_index_spaces() -> None:
    m = Module(
        types=[ft((I32,), ()), ft()],
        imports=[
            Import("env", "f", FuncImportType(0)),
            Import("env", "t", TagType(0)),
            Import("env", "g", GlobalType(I64, True)),
        ],  # fmt: skip
        funcs=[Func(1, [I32, RefType(True, 0)], [])],
        globals=[Global(GlobalType(FUNCREF), [I("ref.func", 1)])],
        exports=[Export("run", "func", 1), Export("tag", "tag", 0)],
    )
    info = valid(m)
    assert info.funcs == [info.types[0], info.types[1]]
    assert info.imports[0] == ExternFuncType(info.types[0])
    assert info.imports[1] == ExternTagType(info.types[0])
    assert info.imports[2] == GlobalType(I64, True)
    assert [g.type for g in info.globals] == [I64, FUNCREF]
    assert info.refs == frozenset({1})
    assert info.exports[0] == ("run", "func", ExternFuncType(info.types[1]))
    assert info.locals == [[I32, RefType(True, info.types[0])]]
    assert info.func_type(0).params == (I32,)


def test_identical_types_are_one_object() -> None:
    info = valid(Module(types=[ft((I32,)), ft((I32,))]))
    assert info.types[0] is info.types[1]


def test_type_definitions() -> None:
    invalid(Module(types=[ft((RefType(True, 3),))]), "unknown type")
    final = RecType((sub(StructType(()), (), True),))
    child = RecType((sub(StructType(()), (0,), True),))
    invalid(Module(types=[final, child]), "sub type 1 has final super type 0")
    open_ = RecType((sub(StructType((FieldType(False, I32),)), (), False),))
    wider = RecType((sub(StructType(()), (0,), True),))
    invalid(Module(types=[open_, wider]), "sub type 1 does not match super type 0")
    narrower = RecType((sub(StructType((FieldType(False, I32), FieldType(True, I64))), (0,)),))
    valid(Module(types=[open_, narrower]))


def test_function_declarations() -> None:
    struct = RecType((sub(StructType(())),))
    invalid(Module(types=[struct], funcs=[Func(0)]), "non-function type 0")
    invalid(Module(funcs=[Func(0)]), "unknown type 0")
    invalid(Module(types=[struct], imports=[Import("m", "f", FuncImportType(0))]),
            "non-function type 0")  # fmt: skip


def test_limits() -> None:
    invalid(Module(memories=[MemoryType(Limits(65537))]), "memory size must be at most")
    valid(Module(memories=[MemoryType(Limits(65537), address="i64")]))
    invalid(Module(memories=[MemoryType(Limits(2, 1))]),
            "size minimum must not be greater than maximum")  # fmt: skip
    invalid(Module(memories=[MemoryType(Limits(1), shared=True)]),
            "shared memory must have maximum")  # fmt: skip
    invalid(Module(tables=[Table(TableType(Limits(2**32), FUNCREF))]), "table size")
    valid(Module(tables=[Table(TableType(Limits(2**32), FUNCREF, address="i64"))]))


def test_tables_with_non_defaultable_elements_need_an_initialiser() -> None:
    ref = RefType(False, "func")
    m = func_module(tables=[Table(TableType(Limits(1), ref))])
    invalid(m, "type mismatch")
    m = func_module(tables=[Table(TableType(Limits(1), ref), [I("ref.func", 0)])])
    valid(m)


def test_constant_expressions() -> None:
    g = GlobalType(I32)
    invalid(Module(globals=[Global(g, [I("i32.const", 1), I("i32.const", 2), I("i32.div_s")])]),
            "constant expression required")  # fmt: skip
    valid(Module(globals=[Global(g, [I("i32.const", 1), I("i32.const", 2), I("i32.mul")])]))
    invalid(Module(globals=[Global(g, [I("i64.const", 1)])]), "type mismatch")
    invalid(Module(globals=[Global(g, [])]), "type mismatch")
    invalid(Module(globals=[Global(g, [I("i32.const", 1), I("i32.const", 1)])]), "type mismatch")
    # global.get: only earlier, immutable globals.
    earlier = [Global(g, [I("i32.const", 1)]), Global(g, [I("global.get", 0)])]
    valid(Module(globals=earlier))
    invalid(Module(globals=[Global(g, [I("global.get", 1)]), Global(g, [I("i32.const", 0)])]),
            "unknown global 1")  # fmt: skip
    mut = [Global(GlobalType(I32, True), [I("i32.const", 1)]), Global(g, [I("global.get", 0)])]
    invalid(Module(globals=mut), "constant expression required")
    imported = Import("m", "g", GlobalType(I32, True))
    invalid(Module(imports=[imported], globals=[Global(g, [I("global.get", 0)])]),
            "constant expression required")  # fmt: skip
    # Table initialisers see only imported globals.
    t = Table(TableType(Limits(1), FUNCREF), [I("global.get", 0)])
    invalid(Module(tables=[t], globals=[Global(GlobalType(FUNCREF), [I("ref.null", "func")])]),
            "unknown global 0")  # fmt: skip


def test_global_initialiser_declares_function_references() -> None:
    m = func_module(body=[I("ref.func", 0), I("drop")],
                    globals=[Global(GlobalType(FUNCREF), [I("ref.func", 0)])])  # fmt: skip
    valid(m)
    invalid(Module(globals=[Global(GlobalType(FUNCREF), [I("ref.func", 0)])]),
            "unknown function 0")  # fmt: skip


def test_segments() -> None:
    active = Data(b"x", Active(0, [I("i32.const", 0)]))
    valid(Module(memories=MEM, datas=[active]))
    invalid(Module(datas=[active]), "unknown memory 0")
    bad_offset = Data(b"x", Active(0, [I("i64.const", 0)]))
    invalid(Module(memories=MEM, datas=[bad_offset]), "type mismatch")
    mem64 = [MemoryType(Limits(1), address="i64")]
    valid(Module(memories=mem64, datas=[Data(b"", Active(0, [I("i64.const", 0)]))]))
    tables = [Table(TableType(Limits(1), FUNCREF))]
    elem = Elem(EXTERNREF, [], Active(0, [I("i32.const", 0)]))
    invalid(Module(tables=tables, elems=[elem]),
            "type mismatch: element segment's type (ref null extern) does not")  # fmt: skip
    elem = Elem(FUNCREF, [[I("ref.null", "extern")]], "passive")
    invalid(Module(elems=[elem]), "type mismatch")
    elem = Elem(FUNCREF, [[I("ref.null", "func")]], Active(1, [I("i32.const", 0)]))
    invalid(Module(tables=tables, elems=[elem]), "unknown table 1")


def test_start_function() -> None:
    m = func_module((I32,), ())
    m.start = 0
    invalid(m, "start function must not have parameters or results")
    m = func_module()
    m.start = 1
    invalid(m, "unknown function 1")
    m.start = 0
    valid(m)


def test_tags() -> None:
    invalid(Module(types=[ft((), (I32,))], tags=[TagType(0)]), "non-empty tag result type")
    valid(Module(types=[ft((I32,), ())], tags=[TagType(0)]))


def test_exports() -> None:
    m = func_module(exports=[Export("a", "func", 0), Export("a", "func", 0)])
    invalid(m, 'duplicate export name "a"')
    invalid(func_module(exports=[Export("m", "memory", 0)]), "unknown memory 0")
    e = invalid(func_module(exports=[Export('\u00e9"', "func", 0)] * 2), "duplicate export name")
    assert e.message == 'duplicate export name "\\u{e9}\\""'


def test_order_of_checks_follows_the_reference() -> None:
    # Function bodies are checked after every segment; exports after the bodies.
    m = func_module(body=[I("i32.add")], exports=[Export("x", "memory", 3)],
                    datas=[Data(b"", Active(0, [I("i32.const", 0)]))])  # fmt: skip
    invalid(m, "unknown memory 0")
    m = func_module(body=[I("i32.add")], exports=[Export("x", "memory", 3)])
    invalid(m, "type mismatch")


def test_functype_import_with_type_index_out_of_range() -> None:
    invalid(Module(imports=[Import("m", "f", FuncImportType(0))]), "unknown type 0")
    assert FuncType() == FuncType((), ())
