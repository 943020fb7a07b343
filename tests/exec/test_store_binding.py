"""Run-time call depth limit, the store an instance's code is bound to, and host functions
that receive their calling instance."""

from __future__ import annotations

from typing import Any

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap, WasmError
from engine.exec import invoke
from engine.runtime.host import host_func
from engine.runtime.instances import ModuleInst
from engine.runtime.store import Store
from engine.syntax.types import FuncType

REC = """(module
  (import "env" "h" (func $h))
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (call $h) (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1))))))))"""


def _noop_host() -> Any:
    return host_func(FuncType((), ()), lambda: [])


def test_max_call_depth_changes_take_effect_after_compilation() -> None:
    store = Store(max_call_depth=1000)
    w = Wasm(REC, [_noop_host()], store)
    assert w.one("rec", 100) == 100  # compiled under the limit 1000
    store.max_call_depth = 50
    with pytest.raises(Trap, match="call stack exhausted"):
        w.call("rec", 100)
    assert store.depth == 0
    assert w.one("rec", 40) == 40
    store.max_call_depth = 500
    assert w.one("rec", 400) == 400


def test_max_call_depth_lowered_by_a_host_while_running() -> None:
    store = Store(max_call_depth=1000)

    def lower() -> list[Any]:
        store.max_call_depth = 10
        return []

    w = Wasm(REC, [host_func(FuncType((), ()), lower)], store)
    assert w.one("rec", 30) == 30  # the host runs at the deepest point: nothing deeper
    w2 = Wasm(
        '(module (import "env" "h" (func $h)) (import "env" "rec" (func $r (param i32)'
        ' (result i32))) (func (export "f") (result i32) (call $h) (call $r (i32.const 30))))',
        [host_func(FuncType((), ()), lower), w.export("rec")],
        store,
    )
    store.max_call_depth = 1000
    with pytest.raises(Trap, match="call stack exhausted"):
        w2.call("f")


def test_instance_used_from_another_store_is_rejected() -> None:
    s1, s2 = Store(), Store()
    w = Wasm(REC, [_noop_host()], s1)
    assert w.one("rec", 3) == 3
    with pytest.raises(WasmError, match="object used with the wrong store"):
        invoke(s2, w.export("rec"), [3])
    # The instance still works in its own store.
    assert w.one("rec", 2) == 2


def test_import_from_an_instance_of_another_store_is_rejected() -> None:
    s1, s2 = Store(), Store()
    a = Wasm(REC, [_noop_host()], s1)
    assert a.one("rec", 1) == 1
    b = Wasm(
        '(module (import "a" "rec" (func $r (param i32) (result i32)))'
        ' (func (export "f") (result i32) (call $r (i32.const 2))))',
        [a.export("rec")],
        s2,
    )
    with pytest.raises(WasmError, match="object used with the wrong store"):
        b.call("f")


def _caller_host(seen: list[Any]) -> Any:
    def host(caller: ModuleInst | None, store: Any, x: int) -> list[Any]:
        seen.append((caller, store))
        return [x + 1]

    host.wants_caller = True  # type: ignore[attr-defined]
    return host_func(FuncType(("i32",), ("i32",)), host)


def test_host_receives_calling_instance_direct_indirect_and_from_embedder() -> None:
    seen: list[Any] = []
    h = _caller_host(seen)
    store = Store()
    a = Wasm(
        '(module (import "env" "h" (func $h (param i32) (result i32)))'
        ' (table (export "t") 1 funcref) (elem (i32.const 0) $h)'
        ' (func (export "f") (param i32) (result i32) (call $h (local.get 0))))',
        [h],
        store,
    )
    b = Wasm(
        '(module (import "a" "t" (table 1 funcref)) (type $t (func (param i32) (result i32)))'
        ' (func (export "g") (param i32) (result i32)'
        " (call_indirect (type $t) (local.get 0) (i32.const 0))))",
        [a.export("t")],
        store,
    )
    assert a.one("f", 1) == 2
    assert b.one("g", 5) == 6
    assert invoke(store, h, [9]) == [10]
    assert a.one("f", 2) == 3
    assert [c for c, _ in seen] == [a.inst, b.inst, None, a.inst]
    assert all(s is store for _, s in seen)


def test_call_depth_is_exact_for_direct_and_indirect_calls() -> None:
    store = Store(max_call_depth=10)
    depths: list[int] = []

    def probe() -> list[Any]:
        depths.append(store.depth)
        return []

    w = Wasm(
        REC.replace(
            "(call $rec (i32.sub (local.get 0) (i32.const 1)))",
            "(if (result i32) (i32.and (local.get 0) (i32.const 1))"
            " (then (call $rec (i32.sub (local.get 0) (i32.const 1))))"
            " (else (call_indirect (param i32) (result i32)"
            " (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))",
        ).replace("(func $rec", "(table 1 funcref) (elem (i32.const 0) $rec) (func $rec"),
        [host_func(FuncType((), ()), probe)],
        store,
    )
    assert w.one("rec", 5) == 5
    assert depths == [6]  # rec(5) .. rec(0) are frames 1 .. 6
    assert w.one("rec", 9) == 9
    with pytest.raises(Trap, match="call stack exhausted"):
        w.call("rec", 10)
    assert store.depth == 0
    assert w.one("rec", 8) == 8
    assert depths == [6, 10, 9]
