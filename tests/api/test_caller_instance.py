"""``Caller`` is the instance whose code made the call, as the execution tier reports it."""

from __future__ import annotations

from typing import Any

from engine import Caller, Func, FuncType, Instance, Module, Store, ValType

I32 = ValType.i32()


def test_caller_is_the_calling_instance_through_a_shared_table() -> None:
    store = Store()
    seen: list[Any] = []

    def host(caller: Caller, x: int) -> int:
        seen.append(caller.get("tag"))
        return x

    f = Func(store, FuncType([I32], [I32]), host, access_caller=True)
    a = Instance(
        store,
        Module(
            '(module (import "env" "h" (func $h (param i32) (result i32)))'
            ' (table (export "t") 1 funcref) (elem (i32.const 0) $h)'
            ' (global (export "tag") i32 (i32.const 1))'
            ' (func (export "f") (param i32) (result i32) (call $h (local.get 0))))'
        ),
        [f],
    )
    t = a.exports(store)["t"]
    b = Instance(
        store,
        Module(
            '(module (import "a" "t" (table 1 funcref)) (type $t (func (param i32) (result i32)))'
            ' (global (export "tag") i32 (i32.const 2))'
            ' (func $g (export "g") (param i32) (result i32)'
            "  (if (result i32) (local.get 0)"
            "   (then (call $g (i32.sub (local.get 0) (i32.const 1))))"
            "   (else (call_indirect (type $t) (i32.const 7) (i32.const 0))))))"
        ),
        [t],
    )
    assert a.exports(store)["f"](store, 3) == 3
    # Deep wasm recursion between the call and the host: the caller is still b.
    assert b.exports(store)["g"](store, 50) == 7
    assert [g.value(store) for g in seen] == [1, 2]
    f(store, 1)
    assert seen[-1] is None


def test_host_called_from_python_inside_a_wasm_call_has_no_calling_instance() -> None:
    store = Store()
    seen: list[Any] = []

    def host(caller: Caller, x: int) -> int:
        seen.append(caller.get("tag"))
        return x

    f = Func(store, FuncType([I32], [I32]), host, access_caller=True)
    # A plain host function that calls f from Python while wasm frames are on the stack.
    relay = Func(store, FuncType([I32], [I32]), lambda x: f(store, x))
    inst = Instance(
        store,
        Module(
            '(module (import "env" "r" (func $r (param i32) (result i32)))'
            ' (global (export "tag") i32 (i32.const 1))'
            ' (func (export "f") (param i32) (result i32) (call $r (local.get 0))))'
        ),
        [relay],
    )
    assert inst.exports(store)["f"](store, 4) == 4
    assert seen == [None]
