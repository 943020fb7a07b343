"""Random structured control run with and without regions and guard mode: same results, same
fuel.  Low thresholds force nearly every construct into a region or guard mode."""

from __future__ import annotations

import random
from typing import Any

import pytest
from wasm_helpers import Wasm

from engine.exec import WasmThrow, codegen_outline, compile
from engine.runtime.store import Store


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.n = 0

    def label(self) -> str:
        self.n += 1
        return f"$x{self.n}"

    def body(self, labels: list[tuple[str, str]], depth: int) -> str:
        r = self.r
        out = []
        for _ in range(r.randint(1, 3)):
            k = r.random()
            if depth > 0 and k < 0.6:
                out.append(self.construct(labels, depth - 1))
            elif k < 0.75 and labels:
                out.append(self.branch(labels))
            elif k < 0.8:
                out.append(
                    "(if (i32.eq (i32.and (local.get 1) (i32.const 7)) (i32.const 3))"
                    " (then (throw $t (local.get 0))))"
                )
            else:
                v = r.randint(1, 99)
                out.append(
                    f"(local.set 0 (i32.add (i32.mul (local.get 0) (i32.const 31))"
                    f" (i32.const {v})))"
                )
        return " ".join(out)

    def branch(self, labels: list[tuple[str, str]]) -> str:
        r = self.r
        name, kind = r.choice(labels)
        if kind == "loop":
            # Back-edges are bounded by the step counter l1.
            return (
                f"(br_if {name} (i32.lt_u (local.tee 1 (i32.add (local.get 1)"
                f" (i32.const 1))) (i32.const 40)))"
            )
        if kind == "func":
            # The function's label by depth: the number of enclosing constructs.
            bound = r.randint(20, 60)
            return (
                f"(drop (br_if {len(labels) - 1} (local.get 0)"
                f" (i32.gt_u (local.get 1) (i32.const {bound}))))"
            )
        if kind == "value":
            return (
                f"(drop (br_if {name} (local.get 0)"
                f" (i32.and (local.get 0) (i32.const {r.randint(1, 15)}))))"
            )
        return f"(br_if {name} (i32.and (local.get 0) (i32.const {r.randint(1, 15)})))"

    def construct(self, labels: list[tuple[str, str]], depth: int) -> str:
        r = self.r
        lab = self.label()
        kind = r.choice(["block", "loop", "if", "try_table", "block", "value"])
        tag = f"(local.set 0 (i32.add (local.get 0) (i32.const {self.n})))"
        if kind == "if":
            inner = labels + [(lab, "block")]
            return (
                f"(if {lab} (i32.and (local.get 0) (i32.const 1)) (then {tag}"
                f" {self.body(inner, depth)}) (else {self.body(inner, depth)}))"
            )
        if kind == "value":
            # An i32 block inside an expression: a value below it on the stack.
            body = self.body(labels + [(lab, "value")], depth)
            return (
                f"(local.set 0 (i32.xor (i32.const {r.randint(1, 1 << 20)})"
                f" (block {lab} (result i32) {tag} {body} (local.get 0))))"
            )
        if kind == "try_table":
            values = [n for n, k in labels if k == "value"]
            if values and r.random() < 0.5:
                catch = f"(catch $t {r.choice(values)})"
                return (
                    f"(try_table {lab} {catch} {tag} {self.body(labels + [(lab, 'block')], depth)})"
                )
            blocks = [n for n, k in labels if k == "block"]
            if blocks:
                catch = f"(catch_all {r.choice(blocks)})"
                return (
                    f"(try_table {lab} {catch} {tag} {self.body(labels + [(lab, 'block')], depth)})"
                )
            kind = "block"
        return f"({kind} {lab} {tag} {self.body(labels + [(lab, kind)], depth)})"

    def module(self, depth: int) -> str:
        body = self.body([("", "func")], depth)
        return (
            '(module (tag $t (param i32)) (func (export "f") (result i32) (local i32 i32)'
            f" {body} (local.get 0)))"
        )


def _run(wat: str) -> tuple[Any, int]:
    store = Store(fuel=100_000)
    w = Wasm(wat, store=store)
    try:
        r: Any = w.one("f")
    except WasmThrow as e:
        r = ("throw", e.exn.fields)
    return r, store.fuel


@pytest.mark.parametrize("seed", range(150))
def test_regions_and_guards_preserve_behaviour(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    wat = Gen(seed).module(depth=5 + seed % 5)
    expected = _run(wat)
    monkeypatch.setattr(codegen_outline, "MAX_BLOCKS", 1)
    monkeypatch.setattr(codegen_outline, "MAX_INDENT", 4)
    monkeypatch.setattr(compile, "GUARD_DEPTH", 1)
    assert _run(wat) == expected
    monkeypatch.setattr(codegen_outline, "MAX_BLOCKS", 3)
    monkeypatch.setattr(codegen_outline, "MAX_INDENT", 9)
    monkeypatch.setattr(compile, "GUARD_DEPTH", 2)
    assert _run(wat) == expected
