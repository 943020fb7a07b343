"""Structured control, calls, call depth, tail calls and trap frames."""

from __future__ import annotations

import pytest
from wasm_helpers import Wasm

from engine.binary import decode_module, encode_module
from engine.errors import Trap
from engine.exec import invoke, source_of
from engine.runtime.instantiate import instantiate
from engine.runtime.store import Store
from engine.syntax.ast import Export, Func, Instr, Module
from engine.syntax.types import FuncType, RecType, SubType
from engine.text import parse_wat

CONTROL = """
(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum") (param i32) (result i64) (local i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
  (func (export "table") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $b $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 11)))
      (return (i32.const 12)))
    (i32.const 13))
  (func (export "multi") (param i32 i32) (result i32 i32)
    (local.get 1) (local.get 0))
  (func (export "swap-loop") (param i32) (result i32 i32)
    (i32.const 1) (i32.const 2)
    (loop $l (param i32 i32) (result i32 i32)
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (if (param i32 i32) (result i32 i32) (local.get 0)
        (then (call $swap) (br $l))
        (else))))
  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func (export "nested-exit") (param i32) (result i32)
    (block $out (result i32)
      (block $mid
        (loop $l
          (block $inner
            (drop (br_if $out (i32.const 7) (i32.eq (local.get 0) (i32.const 3))))
            (br_if $mid (i32.eq (local.get 0) (i32.const 5)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $l))))
      (i32.const 99)))
  (func (export "select") (param i32) (result i64)
    (select (i64.const 5) (i64.const 6) (local.get 0)))
  (func (export "runaway") (call 8))
  (func (export "trap-in-callee") (result i32) (call 10))
  (func (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
  (func (export "unreachable") (unreachable))
)
"""


@pytest.fixture(scope="module")
def w() -> Wasm:
    return Wasm(CONTROL)


def test_recursion_and_loops(w: Wasm) -> None:
    assert w.one("fib", 20) == 6765
    assert w.one("sum", 100000) == 5000050000


@pytest.mark.parametrize("i,expect", [(0, 10), (1, 11), (2, 12), (3, 11), (4, 13), (99, 13)])
def test_br_table(w: Wasm, i: int, expect: int) -> None:
    assert w.one("table", i) == expect


def test_multi_value_and_loop_params(w: Wasm) -> None:
    assert w.call("multi", 1, 2) == [2, 1]
    assert w.call("swap-loop", 4) == [2, 1]
    assert w.call("swap-loop", 3) == [1, 2]


def test_multi_level_exits(w: Wasm) -> None:
    assert w.one("nested-exit", 0) == 7
    assert w.one("nested-exit", 4) == 99


def test_select(w: Wasm) -> None:
    assert w.one("select", 1) == 5
    assert w.one("select", 0) == 6


def test_call_stack_exhausted_and_depth_restored(w: Wasm) -> None:
    with pytest.raises(Trap) as e:
        w.call("runaway")
    assert e.value.message == "call stack exhausted"
    assert w.store.depth == 0
    assert w.one("fib", 10) == 55


def test_small_max_call_depth() -> None:
    w = Wasm(CONTROL, store=Store(max_call_depth=50))
    assert w.one("fib", 10) == 55
    with pytest.raises(Trap, match="call stack exhausted"):
        w.one("fib", 60)


def test_trap_messages_and_frames(w: Wasm) -> None:
    with pytest.raises(Trap) as e:
        w.call("trap-in-callee")
    assert e.value.message == "integer divide by zero"
    assert [f.func_index for f in e.value.frames] == [10, 9]
    with pytest.raises(Trap) as e:
        w.call("unreachable")
    assert e.value.message == "unreachable executed"
    assert e.value.trap_code == "unreachable"


def test_frames_carry_binary_offsets() -> None:
    wat = (
        '(module (func $f (export "f") (result i32) (call $g))'
        " (func $g (result i32) (nop) (unreachable)))"
    )
    module = decode_module(encode_module(parse_wat(wat)))
    store = Store()
    inst = instantiate(store, module, [])
    with pytest.raises(Trap) as e:
        invoke(store, inst.exports["f"].value, [])
    inner, outer = e.value.frames
    assert (inner.func_index, outer.func_index) == (1, 0)
    body_g = module.funcs[1].body
    assert inner.module_offset == body_g[1].offset > 0
    assert outer.module_offset == module.funcs[0].body[0].offset
    assert inner.func_name == "g" or inner.func_name is None


def test_deep_mutual_tail_calls() -> None:
    w = Wasm(
        """
        (module
          (func $even (export "even") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
              (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
          (func $odd (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
              (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
          (type $t (func (param i64 i64) (result i64)))
          (table funcref (elem $acc))
          (func $acc (export "acc") (type $t)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call_indirect (type $t)
                (i64.sub (local.get 0) (i64.const 1))
                (i64.add (local.get 1) (local.get 0)) (i32.const 0))))))
        """,
        store=Store(max_call_depth=200),
    )
    assert w.one("even", 1_000_000) == 1
    assert w.one("even", 77_777) == 0
    assert w.one("acc", 100_000, 0) == 5_000_050_000
    assert w.store.depth == 0


def test_host_function_results_and_errors() -> None:
    from engine.runtime.host import host_func

    seen: list[int] = []

    def add(a: int, b: int) -> list[int]:
        seen.append(a)
        return [(a + b) & 0xFFFFFFFF]

    class Boom(Exception):
        pass

    def boom() -> list[int]:
        raise Boom("host failure")

    f_add = host_func(FuncType(("i32", "i32"), ("i32",)), add)
    f_boom = host_func(FuncType((), ()), boom)
    w = Wasm(
        """
        (module
          (import "h" "add" (func $add (param i32 i32) (result i32)))
          (import "h" "boom" (func $boom))
          (func (export "f") (param i32) (result i32) (call $add (local.get 0) (i32.const 5)))
          (func (export "g") (call $boom)))
        """,
        [f_add, f_boom],
    )
    assert w.one("f", 10) == 15
    assert seen == [10]
    with pytest.raises(Boom):
        w.call("g")
    assert invoke(w.store, f_add, [1, 2]) == [3]


def test_generated_source_is_available(w: Wasm) -> None:
    src = source_of(w.store, w.export("sum"))
    assert src.startswith("def f1(l0):")
    assert "while True:" in src


def test_ast_built_module_runs() -> None:
    m = Module(
        types=[RecType((SubType(FuncType(("i32",), ("i32",))),))],
        funcs=[
            Func(0, [], [Instr("local.get", (0,)), Instr("i32.const", (3,)), Instr("i32.mul")])
        ],  # fmt: skip
        exports=[Export("triple", "func", 0)],
    )
    store = Store()
    inst = instantiate(store, m, [])
    assert invoke(store, inst.exports["triple"].value, [14]) == [42]


def test_deeply_nested_blocks_and_loops() -> None:
    """More nested targeted blocks than Python's 20 static blocks (a br_table switch), and
    16 nested loops left by one branch."""
    n = 60
    switch = f"(br_table {' '.join(str(i) for i in range(n))} (local.get 0))"
    for i in range(n):
        switch = f"(block {switch}) (local.set 1 (i32.add (local.get 1) (i32.const {i + 1})))"
    loops = (
        "(loop (br_if $out (i32.eqz (local.get 0)))"
        " (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0))"
    )
    for _ in range(16):
        loops = f"(loop {loops})"
    w = Wasm(
        f"""(module
          (func (export "switch") (param i32) (result i32) (local i32) {switch} (local.get 1))
          (func (export "deep") (param i32) (result i32)
            (block $out {loops}) (i32.add (local.get 0) (i32.const 7))))"""
    )
    for i in (0, 5, 58, 59, 1000):
        assert w.one("switch", i) == sum(range(min(i, n - 1) + 1, n + 1))
    assert w.one("deep", 30) == 7
