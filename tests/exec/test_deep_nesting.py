"""Deeply nested control: generated Python stays within CPython's static limits (regions)."""

from __future__ import annotations

from typing import Any

import pytest
from wasm_helpers import Wasm

from engine.binary import decode_module, encode_module
from engine.errors import CompileError, Trap
from engine.exec import invoke, source_of
from engine.exec.module_code import module_code
from engine.runtime.instantiate import instantiate
from engine.runtime.store import Store
from engine.text import parse_wat
from engine.valid import validate_module

N = 10_000


def _loops(n: int) -> str:
    # Every loop is a branch target: from the innermost body, back to the outermost loop
    # four times, then to the middle loop four times, then out.
    inner = (
        "(local.set 0 (i32.add (local.get 0) (i32.const 1)))"
        "(br_if $L0 (i32.lt_u (local.get 0) (i32.const 5)))"
        f"(br_if $L{n // 2} (i32.lt_u (local.get 0) (i32.const 9)))"
        f"(br_if $L{n - 1} (i32.lt_u (local.get 0) (i32.const 12)))"
    )
    body = "".join(f"(loop $L{i} (br_if $L{i} (i32.const 0))" for i in range(n)) + inner
    body += ")" * n
    return f'(module (func (export "f") (result i32) (local i32) {body} (local.get 0)))'


@pytest.mark.parametrize("n", [3, 30, N])
def test_nested_loops_branching_far_out(n: int) -> None:
    w = Wasm(_loops(n))
    assert w.one("f") == 12
    assert ("__o" in source_of(w.store, w.export("f"))) == (n > 10)


def test_nested_loops_fuel_is_exact_across_regions() -> None:
    used = []
    for n in (3, 300):
        store = Store(fuel=10_000)
        w = Wasm(_loops(n), store=store)
        assert w.one("f") == 12
        used.append(10_000 - store.fuel)
    # One unit at entry and one per back-edge (11), whatever the nesting.
    assert used == [12, 12]


def _blocks(n: int) -> str:
    # br_table leaves the innermost block for $B0, $B1 or (default) $B2 with 0; every block's
    # result is then added to its own depth.
    s = "(br_table $B0 $B1 $B2 (i32.const 0) (local.get 0))"
    for i in reversed(range(n)):
        s = f"(i32.add (block $B{i} (result i32) {s}) (i32.const {i}))"
    return f'(module (func (export "f") (param i32) (result i32) {s}))'


@pytest.mark.parametrize("n", [5, 60, N])
def test_nested_blocks_with_results(n: int) -> None:
    w = Wasm(_blocks(n))
    # br $Bk skips the additions of blocks deeper than k, keeps k's own and outer ones.
    for k in (0, 1, 2):
        assert w.one("f", k) == sum(range(k + 1))
    assert w.one("f", 7) == 3


def _ifs(n: int) -> str:
    s = "(i32.const -1)"
    for i in reversed(range(n)):
        s = (
            f"(if (result i32) (i32.ge_u (local.get 0) (i32.const {i + 1}))"
            f" (then {s}) (else (i32.const {i})))"
        )
    return f'(module (func (export "f") (param i32) (result i32) {s}))'


@pytest.mark.parametrize("n", [10, N])
def test_nested_ifs(n: int) -> None:
    w = Wasm(_ifs(n))
    assert w.one("f", 0) == 0
    assert w.one("f", 3) == 3
    assert w.one("f", n // 2) == n // 2
    assert w.one("f", n) == 0xFFFFFFFF


def test_nested_try_tables_catch_at_each_level() -> None:
    n = 2000
    s = "(throw $e (local.get 0))"
    for i in reversed(range(n)):
        s = (
            f"(block $H{i} (result i32) (try_table (catch $e $H{i}) {s}) (unreachable))"
            f"(local.set 0) (if (i32.eq (local.get 0) (i32.const {i}))"
            " (then (return (local.get 0)))) (throw $e (local.get 0))"
        )
    wat = f'(module (tag $e (param i32)) (func (export "f") (param i32) (result i32) {s}))'
    w = Wasm(wat)
    # Thrown innermost, caught by every try_table in turn until the level equal to the value.
    assert w.one("f", 5) == 5
    assert w.one("f", n - 1) == n - 1
    assert w.one("f", 0) == 0


def test_locals_set_in_a_region_are_seen_by_a_catching_handler() -> None:
    n = 60
    wat = (
        '(module (tag $e) (func (export "f") (result i32) (local i32)'
        " (block $h (try_table (catch $e $h)"
        + "".join(f"(loop $L{i} (br_if $L{i} (i32.const 0))" for i in range(n))
        + "(local.set 0 (i32.const 42)) (throw $e)"
        + ")" * n
        + ")) (local.get 0)))"
    )
    w = Wasm(wat)
    assert "__o" in source_of(w.store, w.export("f"))
    assert w.one("f") == 42


def _mixed(n: int) -> str:
    opens, closes = [], []
    for i in range(n):
        k = i % 4
        if k == 0:
            opens.append(f"(block $X{i} ")
            closes.append(")")
        elif k == 1:
            opens.append(f"(loop $X{i} ")
            closes.append(")")
        elif k == 2:
            opens.append(f"(if $X{i} (i32.ge_s (local.get 1) (i32.const 0)) (then ")
            closes.append("))")
        else:
            opens.append(f"(try_table $X{i} (catch_all $X{i - 3}) ")
            closes.append(")")
    inner = (
        "(local.set 0 (i32.add (local.get 0) (i32.const 1)))"
        "(br_if $X1 (i32.lt_u (local.get 0) (i32.const 3)))"
        f"(br_if $X{n - 3} (i32.lt_u (local.get 0) (i32.const 6)))"
        "(if (i32.lt_u (local.get 0) (i32.const 8)) (then (throw $t)))"
    )
    body = "".join(opens) + inner + "".join(reversed(closes))
    return (
        '(module (tag $t) (func (export "f") (param i32) (result i32) (local i32 i32)'
        f" {body} (local.get 0)))"
    )


@pytest.mark.parametrize("n", [8, 64, N])
def test_mixed_nesting(n: int) -> None:
    w = Wasm(_mixed(n))
    # Back to $X1 twice, to the innermost loop three times, then a throw caught by the
    # innermost try_table's catch_all, which leaves its unit's block and so reaches the end.
    assert w.one("f", 0) == 6


def test_trap_offset_inside_region() -> None:
    n = 200
    wat = (
        '(module (func (export "f") (param i32) (result i32) '
        + "".join(f"(loop $L{i} (br_if $L{i} (i32.const 0))" for i in range(n))
        + "(br_if $L0 (i32.eqz (local.get 0))) (drop (i32.div_u (i32.const 1) (local.get 0)))"
        + "(br_if $L3 (i32.const 0))"
        + ")" * n
        + " (i32.const 0)))"
    )
    w = Wasm(wat)
    src = source_of(w.store, w.export("f"))
    assert "__o" in src
    assert w.one("f", 1) == 0
    wat = wat.replace("(i32.eqz (local.get 0))", "(i32.const 0)")
    # Through the binary format, so that instructions have their byte offsets.
    module = decode_module(encode_module(parse_wat(wat)))
    store = Store()
    inst = instantiate(store, module, [], validate_module(module))
    with pytest.raises(Trap) as ei:
        invoke(store, inst.exports["f"].value, [0])
    assert str(ei.value).startswith("integer divide by zero")
    div = _find(module.funcs[0].body, "i32.div_u")
    assert div.offset > 0
    assert ei.value.frames[0].module_offset == div.offset


def _find(body: list[Any], op: str) -> Any:
    todo = [body]
    while todo:
        for ins in todo.pop():
            if ins.op == op:
                return ins
            if ins.op in ("block", "loop"):
                todo.append(ins.imm[1])
            elif ins.op == "if":
                todo += [ins.imm[1], ins.imm[2]]
            elif ins.op == "try_table":
                todo.append(ins.imm[2])
    raise AssertionError(op)


def test_tail_call_from_inside_region() -> None:
    n = 100
    wat = (
        "(module (func $g (param i32) (result i32) (i32.add (local.get 0) (i32.const 100)))"
        '(func (export "f") (param i32) (result i32) '
        + "".join(f"(loop $L{i} (br_if $L{i} (i32.const 0))" for i in range(n))
        + "(br_if $L5 (i32.eqz (local.get 0)))"
        + "(return_call $g (local.get 0))"
        + ")" * n
        + " (unreachable)))"
    )
    w = Wasm(wat)
    assert w.one("f", 3) == 103


def test_internal_compile_failure_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    w = Wasm('(module (func (export "f") (result i32) (i32.const 1)))')
    mc = module_code(w.inst, w.store)

    def broken(j: int) -> tuple[str, list[int]]:
        return "def f0(:\n", [0]

    monkeypatch.setattr(mc, "source", broken)
    with pytest.raises(CompileError, match="could not be compiled: SyntaxError"):
        invoke(w.store, w.export("f"), [])

    def deep(j: int) -> tuple[str, list[int]]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(mc, "source", deep)
    with pytest.raises(CompileError, match="RecursionError"):
        invoke(w.store, w.export("f"), [])


@pytest.mark.parametrize(("n", "loops"), [(N, False), (3000, True)])
def test_br_table_to_every_level(n: int, loops: bool) -> None:
    # One br_table in the innermost block targets every enclosing block: each region hands
    # branches to labels further out on in one return, so the code stays linear in n.
    labels = " ".join(f"$B{i}" for i in range(n))
    s = f"(br_table {labels} (local.get 0))"
    for i in reversed(range(n)):
        if loops:
            s = f"(loop $L{i} (block $B{i} (br_if $L{i} (i32.const 0)) {s}))"
        else:
            s = f"(block $B{i} {s})"
        s += " (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
    w = Wasm(f'(module (func (export "f") (param i32) (result i32) (local i32) {s} (local.get 1)))')
    for x in (0, 1, n // 2, n - 1, n + 5):
        assert w.one("f", x) == min(x, n - 1) + 1
    assert len(source_of(w.store, w.export("f"))) < 3000 * n
