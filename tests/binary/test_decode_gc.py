"""A large decoded module goes straight to the collector's oldest generation, unfrozen."""

from __future__ import annotations

import gc
import weakref

from binary_helpers import func_module

from engine.binary import decode_module
from engine.binary.sections import PROMOTE_SIZE
from engine.syntax.ast import Instr

# i32.const 1, drop: 3 bytes each.
BIG = func_module(b"\x41\x01\x1a" * (PROMOTE_SIZE // 3 + 1) + b"\x0b")


def test_large_module_leaves_young_generation_empty() -> None:
    assert gc.isenabled()
    m = decode_module(BIG)
    count = gc.get_count()
    assert count[0] < 100 and count[1] == 0
    assert gc.get_freeze_count() == 0  # promoted, not frozen
    body = m.funcs[0].body
    assert len(body) == 2 * (PROMOTE_SIZE // 3 + 1)
    assert body[0] == Instr("i32.const", (1,)) and body[1] == Instr("drop")
    assert gc.is_tracked(body[0])


class Node:
    def __init__(self) -> None:
        self.me = self


def test_promoted_garbage_cycles_are_still_collected() -> None:
    gc.collect()  # young generation empty: no collection before the decode
    node = Node()
    ref = weakref.ref(node)
    del node
    decode_module(BIG)  # promotes the unreachable cycle to the oldest generation
    assert ref() is not None
    gc.collect()
    assert ref() is None


def test_objects_frozen_by_the_program_stay_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        decode_module(BIG)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_small_module_is_left_to_the_collector() -> None:
    small = func_module(b"\x41\x01\x1a\x0b")
    before = gc.get_freeze_count()
    decode_module(small)
    assert gc.get_freeze_count() == before == 0
