"""Atomic memory instructions (threads proposal) and vector memory access."""

from __future__ import annotations

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap

ATOMICS = """
(module
  (memory (export "mem") 1 1 shared)
  (func (export "rmw") (result i32 i32 i32 i32 i64)
    (i32.atomic.store (i32.const 0) (i32.const 10))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 5)))
    (i32.atomic.rmw.sub (i32.const 0) (i32.const 1))
    (i32.atomic.rmw8.xchg_u (i32.const 0) (i32.const 0x1FF))
    (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0xFF) (i32.const 77))
    (i32.atomic.load (i32.const 0))
    (i64.atomic.rmw32.or_u (i32.const 8) (i64.const 0x1_0000_0003)))
  (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2)))
  (func (export "oob") (result i32) (i32.atomic.load (i32.const 65536)))
  (func (export "wait") (param i32 i64) (result i32)
    (memory.atomic.wait32 (i32.const 16) (local.get 0) (local.get 1)))
  (func (export "notify") (result i32) (memory.atomic.notify (i32.const 16) (i32.const 3)))
  (func (export "fence") (atomic.fence))
)
"""


def test_rmw_and_cmpxchg() -> None:
    w = Wasm(ATOMICS)
    assert w.call("rmw") == [15, 14, 0xFF, 77, 0]
    w.call("fence")


def test_atomic_traps() -> None:
    w = Wasm(ATOMICS)
    with pytest.raises(Trap) as e:
        w.call("unaligned")
    assert e.value.message == "unaligned atomic"
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("oob")


def test_wait_and_notify_without_hooks() -> None:
    w = Wasm(ATOMICS)
    assert w.one("wait", 1, 0) == 1  # not equal
    assert w.one("wait", 0, 1000) == 2  # times out: nobody can notify
    with pytest.raises(Trap):
        w.one("wait", 0, 2**64 - 1)  # waits forever
    assert w.one("notify") == 0


def test_wait_and_notify_hooks() -> None:
    w = Wasm(ATOMICS)
    seen: list[tuple[int, int, int, bool]] = []
    w.store.wait_hook = lambda mem, addr, exp, timeout, is64: (
        seen.append((addr, exp, timeout, is64)) or 0
    )
    w.store.notify_hook = lambda mem, addr, count: count - 1
    assert w.one("wait", 0, 5) == 0
    assert seen == [(16, 0, 5, False)]
    assert w.one("notify") == 2


def test_wait_on_unshared_memory() -> None:
    w = Wasm(
        """(module (memory 1)
             (func (export "wait") (result i32)
               (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0))))"""
    )
    with pytest.raises(Trap, match="expected shared memory"):
        w.call("wait")


SIMD = """
(module
  (memory (export "mem") 1)
  (func (export "copy") (param i32 i32) (v128.store (local.get 0) (v128.load (local.get 1))))
  (func (export "lane") (param i32) (result i32)
    (i32x4.extract_lane 2 (v128.load (local.get 0))))
  (func (export "widen") (param i32) (result i32)
    (i16x8.extract_lane_s 1 (v128.load8x8_s (local.get 0))))
  (func (export "splat") (param i32) (result i64)
    (i64x2.extract_lane 1 (v128.load32_splat (local.get 0))))
  (func (export "add") (param i32) (result i32)
    (i32x4.extract_lane 0 (i32x4.add (v128.load (local.get 0)) (v128.const i32x4 1 2 3 4))))
)
"""


def test_vector_memory() -> None:
    w = Wasm(SIMD)
    mem = w.export("mem").data
    mem[0:16] = bytes(range(1, 17))
    w.call("copy", 100, 0)
    assert bytes(mem[100:116]) == bytes(range(1, 17))
    assert w.one("lane", 0) == int.from_bytes(bytes([9, 10, 11, 12]), "little")
    mem[32:40] = bytes([0, 0x80, 2, 3, 4, 5, 6, 7])
    assert w.one("widen", 32) == 0xFFFFFF80
    assert w.one("splat", 0) == int.from_bytes(bytes([1, 2, 3, 4] * 2), "little")
    assert w.one("add", 0) == int.from_bytes(bytes([1, 2, 3, 4]), "little") + 1
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("copy", 65530, 0)
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("widen", 65530)
