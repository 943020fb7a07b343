"""The store's limits: fuel accounting, interruption from another thread, deadlines and the
maximum call depth; Engine and Config."""

from __future__ import annotations

import threading
import time

import pytest

import engine
from engine import Config, Engine, Instance, Module, Store, Trap

LOOPS = """
(module
  (func (export "spin") (loop (br 0)))
  (func (export "count") (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1))))))))
"""


def exports(store: Store) -> engine.InstanceExports:
    return Instance(store, Module(LOOPS), []).exports(store)


def test_fuel_is_unlimited_by_default() -> None:
    store = Store()
    assert store.get_fuel() is None and store.fuel_consumed() is None
    assert exports(store)["count"](store, 5000) == 0


def test_fuel_is_charged_per_entry_and_back_edge() -> None:
    store = Store()
    ex = exports(store)
    store.set_fuel(100)
    assert ex["count"](store, 10) == 0
    # one unit for the call, one per loop iteration (10 decrements + the exit test)
    assert store.fuel_consumed() == 11
    assert store.get_fuel() == 89
    store.add_fuel(11)
    assert store.get_fuel() == 100 and store.fuel_consumed() == 11
    store.set_fuel(5)
    assert store.fuel_consumed() == 11  # set_fuel keeps the running total
    with pytest.raises(Trap) as e:
        ex["count"](store, 10)
    assert e.value.message == "out of fuel" and e.value.trap_code == "out_of_fuel"
    assert store.get_fuel() == 0
    store.set_fuel(None)
    assert store.get_fuel() is None and ex["count"](store, 10) == 0


def test_fuel_validation_and_store_argument() -> None:
    with pytest.raises(ValueError):
        Store().set_fuel(-1)
    with pytest.raises(ValueError):
        Store().add_fuel(-1)
    store = Store(fuel=3)
    assert store.get_fuel() == 3
    store.add_fuel(2)
    assert store.get_fuel() == 5
    fresh = Store()
    fresh.add_fuel(7)  # enables fuel
    assert fresh.get_fuel() == 7 and fresh.fuel_consumed() == 0


def test_engine_config_consume_fuel_starts_empty() -> None:
    eng = Engine(Config(consume_fuel=True))
    store = Store(eng)
    assert store.get_fuel() == 0 and store.engine is eng
    ex = exports(store)
    with pytest.raises(Trap, match="out of fuel"):
        ex["count"](store, 1)
    store.add_fuel(50)
    assert ex["count"](store, 3) == 0


def test_out_of_fuel_unwinds_with_frames() -> None:
    store = Store(fuel=1000)
    with pytest.raises(Trap) as e:
        exports(store)["spin"](store)
    assert [f.func_index for f in e.value.frames] == [0]


def test_interrupt_from_another_thread() -> None:
    store = Store()
    spin = exports(store)["spin"]
    timer = threading.Timer(0.1, store.interrupt)
    start = time.monotonic()
    timer.start()
    with pytest.raises(Trap) as e:
        spin(store)
    timer.join()
    assert e.value.message == "interrupted" and e.value.trap_code == "interrupt"
    assert time.monotonic() - start < 5
    # the flag is consumed by the trap: the store runs code again
    assert exports(store)["count"](store, 100) == 0


def test_pending_interrupt_and_clearing_it() -> None:
    store = Store()
    ex = exports(store)
    store.interrupt()
    with pytest.raises(Trap, match="interrupted"):
        ex["spin"](store)
    store.interrupt()
    store.clear_interrupt()
    assert ex["count"](store, 3000) == 0


def test_deadline() -> None:
    store = Store()
    ex = exports(store)
    assert store.get_deadline() is None
    store.set_deadline(0.05)
    left = store.get_deadline()
    assert left is not None and left <= 0.05
    with pytest.raises(Trap, match="interrupted"):
        ex["spin"](store)
    store.set_deadline(None)
    assert ex["count"](store, 10) == 0


def test_max_call_depth() -> None:
    store = Store(max_call_depth=200)
    assert store.max_call_depth == 200
    rec = exports(store)["rec"]
    assert rec(store, 150) == 150
    with pytest.raises(Trap) as e:
        rec(store, 500)
    assert e.value.message == "call stack exhausted"
    assert e.value.trap_code == "stack_overflow"
    assert rec(store, 10) == 10  # the depth is restored after the trap
    with pytest.raises(ValueError):
        Store(max_call_depth=0)
    assert Store(Engine(Config(max_call_depth=50))).max_call_depth == 50


def test_lazy_reexports() -> None:
    import engine.api as api

    for name in engine._API_NAMES:
        assert getattr(engine, name) is getattr(api, name)
    assert issubclass(engine.WasmException, engine.errors.WasmException)
    with pytest.raises(AttributeError):
        engine.NoSuchThing  # noqa: B018
