"""Fuel (one unit per call and per loop back-edge), interruption from another thread, and
deadlines."""

from __future__ import annotations

import threading
import time

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap
from engine.runtime.store import Store

LOOPS = """
(module
  (func $leaf)
  (func (export "spin") (param i32)
    (loop $l
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0))))
  (func (export "calls") (param i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (call $leaf)
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l))))
  (func (export "forever") (loop $l (br $l))))
"""


def test_fuel_is_exact() -> None:
    store = Store(fuel=10_000)
    w = Wasm(LOOPS, store=store)
    w.call("spin", 100)  # 1 call + 99 back-edges
    assert store.fuel == 10_000 - 100
    w.call("calls", 10)  # 1 + 10 calls + 10 back-edges
    assert store.fuel == 10_000 - 100 - 21


def test_out_of_fuel_and_refuel() -> None:
    store = Store(fuel=5000)
    w = Wasm(LOOPS, store=store)
    with pytest.raises(Trap) as e:
        w.call("spin", 10_000)
    assert e.value.message == "out of fuel"
    assert e.value.trap_code == "out_of_fuel"
    assert store.fuel == 0
    store.add_fuel(50)
    w.call("spin", 50)
    assert store.fuel == 0
    with pytest.raises(Trap, match="out of fuel"):
        w.call("spin", 1)


def test_unlimited_fuel_runs() -> None:
    w = Wasm(LOOPS)
    w.call("spin", 200_000)
    assert w.store.fuel is None


def test_interrupt_from_another_thread() -> None:
    w = Wasm(LOOPS)

    def stop() -> None:
        time.sleep(0.05)
        w.store.interrupt = True

    t = threading.Thread(target=stop)
    t.start()
    start = time.monotonic()
    with pytest.raises(Trap) as e:
        w.call("forever")
    t.join()
    assert e.value.message == "interrupted"
    assert time.monotonic() - start < 5
    assert w.store.interrupt is False
    w.call("spin", 10)  # the store runs again afterwards


def test_deadline() -> None:
    w = Wasm(LOOPS)
    w.store.deadline = time.monotonic() + 0.05
    with pytest.raises(Trap, match="interrupted"):
        w.call("forever")
    w.store.deadline = None
    w.call("spin", 10)
