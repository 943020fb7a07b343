"""Per-store execution state: the fuel / interrupt poll shared by all compiled code of a store.

Compiled code charges one unit at every loop back-edge and at every function entry by
decrementing ``budget[0]``, a one-element list (the cheapest shared counter CPython offers).
When it drops below zero the code calls ``poll()``, which settles the units spent against
``store.fuel``, checks ``store.interrupt`` and ``store.deadline``, and hands out the next
quantum.  So fuel is exact (one unit per back-edge and per call) while interruption is noticed
within ``QUANTUM`` units.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from engine.errors import Trap

QUANTUM = 1000


class ExecState:
    __slots__ = ("store", "budget", "granted", "active", "__weakref__")

    def __init__(self, store: Any) -> None:
        self.store = store
        self.budget = [0]
        self.granted = 0
        self.active = 0  # nesting of invoke() calls on this store

    def _grant(self) -> None:
        fuel = self.store.fuel
        grant = QUANTUM if fuel is None else min(fuel, QUANTUM)
        self.granted = grant
        self.budget[0] = grant

    def begin(self) -> None:
        """Entering wasm from the embedder: hand out a quantum from the current fuel."""
        if self.active == 0:
            self._grant()
        self.active += 1

    def end(self) -> None:
        """Leaving to the embedder: charge the units spent so ``store.fuel`` is exact."""
        self.active -= 1
        if self.active == 0:
            self.settle()

    def settle(self) -> None:
        store = self.store
        used = self.granted - self.budget[0]
        if store.fuel is not None and used > 0:
            store.fuel = max(store.fuel - used, 0)
        self.granted = 0
        self.budget[0] = 0

    def poll(self) -> None:
        store = self.store
        # budget[0] is -1 here: the unit being charged is one past the grant.
        used = self.granted - self.budget[0]
        self.granted = 0
        self.budget[0] = 0
        if store.fuel is not None:
            fuel = store.fuel - used
            if fuel < 0:
                store.fuel = 0
                raise Trap("out of fuel")
            store.fuel = fuel
        if store.interrupt:
            store.interrupt = False
            raise Trap("interrupted")
        if store.deadline is not None and time.monotonic() >= store.deadline:
            raise Trap("interrupted")
        self._grant()


_STATES: weakref.WeakKeyDictionary[Any, ExecState] = weakref.WeakKeyDictionary()


def state_of(store: Any) -> ExecState:
    st = _STATES.get(store)
    if st is None:
        st = _STATES[store] = ExecState(store)
    return st
