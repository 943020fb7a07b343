"""Exception handling: throw, try_table catch clauses, exnref, throw_ref, and exceptions that
cross host frames."""

from __future__ import annotations

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap, WasmException
from engine.exec import WasmThrow, invoke
from engine.runtime.host import host_func
from engine.runtime.instances import ExnInst
from engine.runtime.instantiate import call
from engine.syntax.types import FuncType

EXN = """
(module
  (import "host" "callback" (func $callback (param i32)))
  (tag $e (export "e") (param i32))
  (tag $e2 (param i64 i32))
  (func $thrower (export "throw") (param i32)
    (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e2 (i64.const 5) (i32.const 6))))
    (if (i32.eq (local.get 0) (i32.const 3)) (then (unreachable)))
    (throw $e (local.get 0)))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $thrower (local.get 0)))
      (i32.const -1)))
  (func (export "catch-multi") (param i32) (result i64 i32)
    (block $h (result i64 i32)
      (try_table (catch $e2 $h) (call $thrower (local.get 0)))
      (i64.const 0) (i32.const 0)))
  (func (export "catch-all") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (call $thrower (local.get 0)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "rethrow") (param i32) (result i32)
    (local $x exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $thrower (local.get 0)))
      (return (i32.const 0)))
    (local.set $x) (drop) (throw_ref (local.get $x)))
  (func (export "catch-all-ref") (param i32) (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
      (return (i32.const 0)))
    (ref.is_null))
  (func (export "throw-null") (throw_ref (ref.null exn)))
  (func (export "through-host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $callback (local.get 0)) (i32.const 100))))
  (func (export "result-in-try") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (i32.add (local.get 0) (i32.const 1)))))
  (func (export "nested") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $inner (result i64 i32)
          (try_table (catch $e2 $inner) (call $thrower (local.get 0)))
          (return (i32.const 0)))
        (drop) (drop) (i32.const 50))))
)
"""


def make(callback=None) -> Wasm:  # type: ignore[no-untyped-def]
    cb = host_func(FuncType(("i32",), ()), callback or (lambda x: []))
    return Wasm(EXN, [cb])


def test_catch_with_payload() -> None:
    w = make()
    assert w.one("catch", 7) == 7
    assert w.call("catch-multi", 2) == [5, 6]
    assert w.call("catch-multi", 2) == [5, 6]
    assert w.one("catch-all", 7) == 1
    assert w.one("catch-all-ref", 2) == 0
    assert w.one("result-in-try", 4) == 5


def test_uncaught_exception_reaches_embedder() -> None:
    w = make()
    with pytest.raises(WasmThrow) as e:
        w.call("catch", 2)
    assert isinstance(e.value.exn, ExnInst)
    assert e.value.exn.fields == [5, 6]
    with pytest.raises(WasmException) as e2:
        call(w.store, w.export("throw"), [4])
    assert e2.value.payload == [4]
    assert e2.value.tag is w.export("e")


def test_rethrow_keeps_identity() -> None:
    w = make()
    with pytest.raises(WasmThrow) as e:
        w.call("rethrow", 11)
    assert e.value.exn.fields == [11]
    with pytest.raises(Trap, match="null exception reference"):
        w.call("throw-null")


def test_traps_are_not_caught() -> None:
    w = make()
    with pytest.raises(Trap, match="unreachable"):
        w.call("catch-all", 3)
    assert w.store.depth == 0


def test_nested_handlers() -> None:
    w = make()
    assert w.one("nested", 2) == 50
    assert w.one("nested", 8) == 8


def test_exceptions_cross_host_frames() -> None:
    holder: dict[str, Wasm] = {}

    def callback(x: int) -> list[int]:
        # Re-enter wasm from the host: the exception thrown there crosses this frame.
        invoke(holder["w"].store, holder["w"].export("throw"), [x])
        return []

    w = make(callback)
    holder["w"] = w
    assert w.one("through-host", 42) == 42
    assert w.store.depth == 0

    def raising(x: int) -> list[int]:
        raise WasmThrow(ExnInst(holder["w2"].export("e"), [x * 2]))

    w2 = make(raising)
    holder["w2"] = w2
    assert w2.one("through-host", 21) == 42
