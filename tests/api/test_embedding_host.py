"""Host functions (Caller, exceptions both ways), the Linker, memories, tables, tags and
module metadata of the embedding API."""

from __future__ import annotations

import ctypes

import pytest

from engine import (
    Caller,
    CompileError,
    Engine,
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
    TagType,
    Trap,
    ValType,
    WasmError,
    WasmException,
    wat2wasm,
)
from engine.errors import InvalidError, MalformedError

I32, I64 = ValType.i32(), ValType.i64()

CALLS_HOST = """
(module $user
  (import "env" "host" (func $host (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "wasm")
  (func (export "call") (param i32) (result i32) (call $host (local.get 0)))
  (func (export "nested") (param i32) (result i32)
    (i32.add (i32.const 1000) (call $host (local.get 0)))))
"""


def test_caller_reaches_the_calling_instance() -> None:
    store = Store()
    store.data = "per-store data"
    seen: list[object] = []

    def host(caller: Caller, n: int) -> int:
        seen.append(caller)
        assert caller.data == "per-store data" and caller.store is store
        mem = caller["memory"]
        assert isinstance(mem, Memory)
        assert caller.get("nope") is None
        with pytest.raises(KeyError):
            caller["nope"]
        return len(mem.read(caller, 0, n))

    f = Func(store, FuncType([I32], [I32]), host, access_caller=True)
    ex = Instance(store, Module(CALLS_HOST), [f]).exports(store)
    assert ex["call"](store, 4) == 4
    assert ex["nested"](store, 2) == 1002
    assert seen[0].get("memory") is None  # only valid during the call
    # called straight from Python there is no calling instance
    with pytest.raises(KeyError, match="failed to find export memory"):
        f(store, 1)


def test_caller_can_call_back_into_wasm() -> None:
    store = Store()
    m = Module(
        '(module (import "env" "host" (func $h (param i32) (result i32)))'
        ' (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))'
        ' (func (export "run") (param i32) (result i32) (call $h (local.get 0))))'
    )

    def host(caller: Caller, x: int) -> int:
        return caller["sq"](caller, x) + 1

    linker = Linker()  # no store: the Caller finds it
    linker.define_func("env", "host", FuncType([I32], [I32]), host, access_caller=True)
    assert linker.instantiate(store, m).exports(store)["run"](store, 7) == 50


def test_host_exception_propagates_unchanged_through_wasm_frames() -> None:
    store = Store()

    class Custom(Exception):
        pass

    err = Custom("boom")

    def host(n: int) -> int:
        raise err

    ex = Instance(store, Module(CALLS_HOST), [Func(store, FuncType([I32], [I32]), host)]).exports(
        store
    )
    with pytest.raises(Custom) as e:
        ex["nested"](store, 1)
    assert e.value is err
    # a Trap raised by the host is a trap like any other
    trap_host = Func(store, FuncType([I32], [I32]), lambda n: (_ for _ in ()).throw(Trap("host")))
    ex2 = Instance(store, Module(CALLS_HOST), [trap_host]).exports(store)
    with pytest.raises(Trap, match="host"):
        ex2["call"](store, 0)


EXN = """
(module
  (import "e" "tag" (tag $t (param i32 i64)))
  (import "e" "host" (func $h (param i32)))
  (func (export "catch") (param i32) (result i32 i64)
    (block $c (result i32 i64)
      (try_table (catch $t $c) (call $h (local.get 0)))
      (i32.const 0) (i64.const 0)))
  (func (export "throw") (param i32) (throw $t (local.get 0) (i64.const -1))))
"""


def test_wasm_exceptions_both_ways() -> None:
    store = Store()
    tag = Tag(store, FuncType([I32, I64], []))
    assert tag.type(store) == TagType(FuncType([I32, I64], []))

    def host(x: int) -> None:
        if x:
            raise WasmException(tag, [x, -x])

    ex = Instance(store, Module(EXN), [tag, Func(store, FuncType([I32], []), host)]).exports(store)
    assert ex["catch"](store, 0) == (0, 0)
    assert ex["catch"](store, -9) == (-9, 9)
    with pytest.raises(WasmException) as e:
        ex["throw"](store, -4)
    assert e.value.tag == tag and e.value.payload == [-4, -1]
    with pytest.raises(TypeError):
        WasmException(tag, [1])
    with pytest.raises(WasmError):
        Tag(store, FuncType([], [I32]))


def test_wasm_exception_from_a_start_function() -> None:
    store = Store()
    m = Module(
        '(module (tag $t (export "t") (param i32)) (func $s (throw $t (i32.const 3))) (start $s))'
    )
    with pytest.raises(WasmException) as e:
        Instance(store, m, [])
    assert e.value.payload == [3]


def test_linker_shadowing_get_and_define_module() -> None:
    store = Store()
    linker = Linker(Engine())
    linker.define_func("env", "host", FuncType([I32], [I32]), lambda x: x + 1)
    with pytest.raises(LinkError, match="defined twice"):
        linker.define_func("env", "host", FuncType([I32], [I32]), lambda x: x + 2)
    linker.allow_shadowing = True
    linker.define_func("env", "host", FuncType([I32], [I32]), lambda x: x + 2)
    assert isinstance(linker.get(store, "env", "host"), Func)
    with pytest.raises(LinkError, match="unknown import"):
        linker.get("env", "missing")
    user = linker.define_module(store, "user", Module(CALLS_HOST))
    assert user.exports(store)["call"](store, 1) == 3
    mem = linker.get("user", "memory")
    assert isinstance(mem, Memory) and mem.read(store, 0, 4) == b"wasm"
    with pytest.raises(LinkError, match="no store"):
        Linker().instantiate(Module("(module)"))
    g = Global(store, GlobalType(I32, False), 5)
    linker.define(store, "g", "five", g)
    inst = linker.instantiate(
        store,
        Module(
            '(module (import "g" "five" (global $f i32))'
            ' (func (export "get") (result i32) global.get $f))'
        ),
    )
    assert inst.exports(store)["get"](store) == 5


def test_link_errors_name_the_import() -> None:
    store = Store()
    m = Module(CALLS_HOST)
    with pytest.raises(LinkError, match='unknown import "env"."host"'):
        Linker(store).instantiate(m)
    with pytest.raises(LinkError, match="wrong number of imports"):
        Instance(store, m, [])
    with pytest.raises(TypeError):
        Instance(store, m, [lambda x: x])
    wrong = Func(store, FuncType([I64], [I32]), lambda x: 0)
    with pytest.raises(LinkError, match="incompatible import type"):
        Instance(store, m, [wrong])


def test_memory_indexing_ptr_and_views_across_grow() -> None:
    store = Store()
    mem = Memory(store, MemoryType(Limits(1, 4)))
    mem[10:15] = b"hello"
    assert mem[10:15] == b"hello" and mem[10] == ord("h")
    mem[0] = 7
    assert mem.read(store, 0, 1) == b"\x07"
    with pytest.raises(ValueError):
        mem[0:3] = b"toolong"
    with pytest.raises(ValueError):
        mem[0:10:2]
    ptr = mem.data_ptr(store)
    assert ptr[10] == ord("h")
    ptr[11] = ord("a")
    assert mem.read(store, 10, 15) == b"hallo"
    del ptr
    view = mem.buffer(store)
    assert mem.grow(store, 1) == 1
    fresh = mem.buffer(store)
    assert len(fresh) == 2 * 65536 and bytes(fresh[10:15]) == b"hallo"
    del view, fresh
    assert bytes(mem)[10:15] == b"hallo"
    with pytest.raises(WasmError):
        mem.grow(store, -1)
    with pytest.raises(WasmError):
        mem.grow(store, 3)
    with pytest.raises(IndexError):
        mem.read(store, -1, 3)
    with pytest.raises(WasmError):
        Memory(store, MemoryType(Limits(2, 1)))
    with pytest.raises(WasmError):
        Memory(store, MemoryType(Limits(1), shared=True))
    assert Memory(store, MemoryType(Limits(1, 2), shared=True)).type(store).shared
    assert isinstance(
        ctypes.addressof(Memory(store, MemoryType(Limits(1))).data_ptr().contents), int
    )


def test_imported_memory_is_shared_with_the_host() -> None:
    store = Store()
    mem = Memory(store, MemoryType(Limits(1)))
    m = Module(
        '(module (import "m" "mem" (memory 1))'
        ' (func (export "grow") (result i32) (memory.grow (i32.const 1)))'
        ' (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))'
    )
    ex = Instance(store, m, [mem]).exports(store)
    mem.write(store, b"\x2a", 70000 - 65536)
    assert ex["load"](store, 70000 - 65536) == 42
    assert ex["grow"](store) == 1 and mem.size(store) == 2
    mem.write(store, b"\x2b", 70000)
    assert ex["load"](store, 70000) == 43


def test_table_new_grow_and_type() -> None:
    store = Store()
    f = Func(store, FuncType([], [I32]), lambda: 9)
    t = Table(store, TableType(ValType.funcref(), Limits(1, 3)), f)
    assert t.type(store) == TableType(ValType.funcref(), Limits(1, 3))
    assert t.get(store, 0)(store) == 9
    assert t.grow(store, 2, None) == 1 and t.size(store) == 3
    with pytest.raises(WasmError):
        t.grow(store, 1)
    with pytest.raises(WasmError):
        t.grow(store, -1)
    m = Module(
        '(module (import "t" "tab" (table 1 funcref)) (type $r (func (result i32)))'
        ' (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))'
    )
    ex = Instance(store, m, [t]).exports(store)
    assert ex["call"](store, 0) == 9
    with pytest.raises(Trap) as e:
        ex["call"](store, 1)
    assert e.value.trap_code == "indirect_call_to_null"


def test_global_types_and_immutability() -> None:
    store = Store()
    g = Global(store, GlobalType(ValType.f64(), False), 2.5)
    assert g.type(store) == GlobalType(ValType.f64(), False)
    with pytest.raises(WasmError, match="immutable global cannot be set"):
        g.set_value(store, 1.0)


def test_module_metadata() -> None:
    m = Module(
        Engine(),
        "(module $meta"
        ' (import "a" "t" (tag (param i64)))'
        ' (import "a" "g" (global (mut i32)))'
        ' (import "a" "tab" (table 2 10 externref))'
        ' (tag (export "tag") (param i32))'
        ' (global (export "g2") i64 (i64.const 1)))',
    )
    assert m.name == "meta"
    types = [(i.module, i.name, i.type) for i in m.imports]
    assert types == [
        ("a", "t", TagType(FuncType([I64], []))),
        ("a", "g", GlobalType(I32, True)),
        ("a", "tab", TableType(ValType.externref(), Limits(2, 10))),
    ]
    assert [(e.name, e.type) for e in m.exports] == [
        ("tag", TagType(FuncType([ValType.i32()], []))),
        ("g2", GlobalType(I64, False)),
    ]


def test_module_sources_and_compile_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = '(module (func (export "f") (result i32) i32.const 3))'
    binary = wat2wasm(text)
    assert binary[:4] == b"\0asm"
    (tmp_path / "m.wasm").write_bytes(binary)
    (tmp_path / "m.wat").write_text(text)
    store = Store()
    for m in (
        Module.from_file(tmp_path / "m.wasm"),
        Module.from_file(None, str(tmp_path / "m.wat")),
    ):
        assert Instance(store, m, []).exports(store)["f"](store) == 3
    Module.validate(Engine(), binary)
    with pytest.raises(MalformedError) as e:
        Module(binary[:-3])
    assert e.value.offset > 8 and "byte offset" in str(e.value)
    with pytest.raises(InvalidError, match="type mismatch"):
        Module("(module (func (result i32) (i64.const 0)))")
    with pytest.raises(CompileError):
        Module(b"\xff\xfe")
    with pytest.raises(TypeError):
        Module(42)
    with pytest.raises(TypeError):
        Module()
