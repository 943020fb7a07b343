"""The embedding API: modules, instances, host functions, memories, tables, globals, tags,
the linker and value conversion."""

from __future__ import annotations

import pytest

from engine.api import (
    CompileError,
    Func,
    FuncType,
    Global,
    GlobalType,
    Instance,
    Limits,
    Linker,
    LinkError,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    Tag,
    Trap,
    ValType,
    WasmError,
    WasmException,
)

I32, I64, F32, F64 = ValType.i32(), ValType.i64(), ValType.f32(), ValType.f64()

CALC = """
(module
  (import "env" "log" (func $log (param i32) (result i32)))
  (memory (export "mem") 1 3)
  (global (export "counter") (mut i64) (i64.const 0))
  (global (export "const") f32 (f32.const 1.5))
  (table (export "tab") 2 funcref)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "via_host") (param i32) (result i32) (call $log (local.get 0)))
  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "half") (param f32) (result f32) (f32.div (local.get 0) (f32.const 2)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "bump") (global.set 0 (i64.add (global.get 0) (i64.const 1))))
  (func (export "boom") (result i32) unreachable)
  (elem (i32.const 0) $add)
)
"""


def make(log=lambda x: x * 2):  # type: ignore[no-untyped-def]
    store = Store()
    module = Module(CALC)
    f = Func(store, FuncType([I32], [I32]), log)
    inst = Instance(store, module, [f])
    return store, inst.exports(store)


def test_module_imports_exports_and_custom_sections() -> None:
    m = Module(CALC)
    [(mod, name, ty)] = m.imports
    assert (mod, name) == ("env", "log") and ty == FuncType([I32], [I32])
    names = [e.name for e in m.exports]
    assert names[:4] == ["mem", "counter", "const", "tab"]
    kinds = {e.name: e.type for e in m.exports}
    assert kinds["mem"] == MemoryType(Limits(1, 3))
    assert kinds["counter"] == GlobalType(I64, True)
    assert kinds["tab"] == TableType(ValType.funcref(), Limits(2))
    assert kinds["swap"] == FuncType([I64, F64], [F64, I64])
    assert m.custom_sections("nothing") == []


def test_custom_sections_of_a_binary() -> None:
    # magic, version, custom section "hi" with payload b"\x01\x02"
    data = b"\0asm\x01\0\0\0" + b"\x00\x05\x02hi\x01\x02"
    assert Module(data).custom_sections("hi") == [b"\x01\x02"]


def test_compile_errors() -> None:
    with pytest.raises(CompileError):
        Module(b"\0asm\x02\0\0\0")
    with pytest.raises(CompileError):
        Module("(module (func (result i32) (i64.const 0)))")
    with pytest.raises(CompileError):
        Module.validate(b"not wasm at all")
    Module.validate(b"\0asm\x01\0\0\0")


def test_calls_convert_by_declared_types() -> None:
    store, ex = make()
    assert ex["add"](store, 2, 3) == 5
    assert ex["add"](store, -1, 0) == -1  # i32 results come back signed
    assert ex["add"](store, 0xFFFFFFFF, 1) == 0  # unsigned spelling of -1 accepted
    assert ex["swap"](store, -5, 0.25) == (0.25, -5)  # multi-value: a tuple
    assert ex["half"](store, 0.1) == pytest.approx(0.05, rel=1e-6)
    assert ex["half"](store, 3) == 1.5
    with pytest.raises(TypeError):
        ex["add"](store, 1)
    with pytest.raises(TypeError):
        ex["add"](store, 1, "x")
    with pytest.raises(ValueError):
        ex["add"](store, 2**32, 0)


def test_host_function_is_called_and_its_exception_propagates() -> None:
    seen = []

    def log(x: int) -> int:
        seen.append(x)
        if x == 13:
            raise KeyError("unlucky")
        return x + 100

    store, ex = make(log)
    assert ex["via_host"](store, -7) == 93
    assert seen == [-7]  # the host sees signed ints
    with pytest.raises(KeyError, match="unlucky"):
        ex["via_host"](store, 13)


def test_trap_carries_message_and_code() -> None:
    store, ex = make()
    with pytest.raises(Trap) as e:
        ex["boom"](store)
    assert e.value.message == "unreachable executed"
    assert e.value.trap_code == "unreachable"


def test_memory_read_write_grow_and_buffer() -> None:
    store, ex = make()
    mem = ex["mem"]
    assert isinstance(mem, Memory)
    assert mem.size(store) == 1 and mem.data_len(store) == 65536
    mem.write(store, b"\x07\x08", 100)
    assert mem.read(store, 100, 102) == b"\x07\x08"
    assert ex["load"](store, 101) == 8
    buf = mem.buffer(store)
    buf[5] = 0xAB
    assert ex["load"](store, 5) == 0xAB
    assert mem.grow(store, 2) == 1
    assert mem.size(store) == 3
    with pytest.raises(WasmError):
        mem.grow(store, 1)  # past the maximum of 3
    with pytest.raises(IndexError):
        mem.read(store, 3 * 65536 - 1, 3 * 65536 + 1)
    with pytest.raises(IndexError):
        mem.write(store, b"xx", 3 * 65536 - 1)
    assert bytes(memoryview(mem.buffer(store))[100:102]) == b"\x07\x08"


def test_globals_value_and_mutability() -> None:
    store, ex = make()
    counter, const = ex["counter"], ex["const"]
    ex["bump"](store)
    assert counter.value(store) == 1
    counter.set_value(store, -3)
    ex["bump"](store)
    assert counter.value(store) == -2
    assert const.value(store) == 1.5
    with pytest.raises(WasmError, match="immutable"):
        const.set_value(store, 2.0)
    g = Global(store, GlobalType(F32, False), 0.1)
    assert g.value(store) == pytest.approx(0.1, rel=1e-7) and g.value(store) != 0.1


def test_tables_get_set_grow() -> None:
    store, ex = make()
    tab = ex["tab"]
    assert isinstance(tab, Table) and tab.size(store) == 2
    f = tab.get(store, 0)
    assert isinstance(f, Func) and f == ex["add"]
    assert f(store, 4, 5) == 9
    assert tab.get(store, 1) is None
    tab.set(store, 1, ex["add"])
    assert tab.get(store, 1) == ex["add"]
    assert tab.grow(store, 3, None) == 2 and tab.size(store) == 5
    with pytest.raises(IndexError):
        tab.get(store, 5)
    with pytest.raises(TypeError):
        tab.set(store, 0, 42)
    t2 = Table(store, TableType(ValType.externref(), Limits(1, 2)), "hello")
    assert t2.get(store, 0) == "hello"
    with pytest.raises(WasmError):
        t2.grow(store, 2, None)


def test_linker_defines_and_links_by_name() -> None:
    store = Store()
    linker = Linker(store)
    linker.define_func("env", "log", FuncType([I32], [I32]), lambda x: x + 1)
    inst = linker.instantiate(Module(CALC))
    ex = inst.exports(store)
    assert ex["via_host"](store, 1) == 2
    user = Module(
        '(module (import "calc" "add" (func $a (param i32 i32) (result i32)))'
        ' (import "calc" "mem" (memory 1))'
        ' (func (export "twice") (param i32) (result i32) (call $a (local.get 0) (local.get 0))))'
    )
    linker.define_instance("calc", inst)
    assert linker.instantiate(store, user).exports(store)["twice"](store, 21) == 42
    with pytest.raises(LinkError, match="unknown import"):
        Linker(store).instantiate(user)
    with pytest.raises(LinkError, match="defined twice"):
        linker.define(store, "calc", "add", ex["add"])


def test_instance_import_type_mismatch() -> None:
    store = Store()
    wrong = Func(store, FuncType([I64], [I32]), lambda x: 0)
    with pytest.raises(LinkError, match="incompatible import type"):
        Instance(store, Module(CALC), [wrong])
    mem = Memory(store, MemoryType(Limits(1)))
    with pytest.raises(LinkError, match="incompatible import type"):
        Instance(store, Module(CALC), [mem])


def test_uncaught_wasm_exception_and_tags() -> None:
    store = Store()
    tag = Tag(store, FuncType([I32], []))
    m = Module(
        '(module (import "env" "e" (tag $e (param i32)))'
        ' (func (export "throw") (param i32) (throw $e (local.get 0))))'
    )
    inst = Instance(store, m, [tag])
    with pytest.raises(WasmException) as e:
        inst.exports(store)["throw"](store, 5)
    assert e.value.payload == [5]
    assert e.value.tag == tag and e.value.exn.tag is tag._inst


def test_start_function_trap_fails_instantiation() -> None:
    store = Store()
    m = Module("(module (func $s unreachable) (start $s))")
    with pytest.raises(Trap, match="unreachable"):
        Instance(store, m, [])


def test_fuel_limits_execution() -> None:
    store = Store()
    m = Module('(module (func (export "spin") (loop (br 0))))')
    spin = Instance(store, m, []).exports(store)["spin"]
    store.set_fuel(1000)
    with pytest.raises(Trap, match="out of fuel"):
        spin(store)


def test_deadline_interrupts() -> None:
    store = Store()
    m = Module('(module (func (export "spin") (loop (br 0))))')
    spin = Instance(store, m, []).exports(store)["spin"]
    store.set_deadline(0.2)
    with pytest.raises(Trap, match="interrupted"):
        spin(store)


def test_exports_by_index_and_iteration() -> None:
    store, ex = make()
    assert list(ex)[:2] == ["mem", "counter"]
    assert ex[0] == ex["mem"]
    assert "add" in ex and "nope" not in ex
