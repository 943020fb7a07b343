"""The store: the owner of all runtime instances and of the limits under which code runs.

The execution tier reads these attributes on every call (depth), at loop back-edges and calls
(fuel, interrupt, deadline).  A host or another thread may set ``interrupt`` at any time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Store:
    def __init__(self, *, max_call_depth: int = 10_000, fuel: int | None = None) -> None:
        # Depth of nested wasm calls after which "call stack exhausted" traps.
        self.max_call_depth = max_call_depth
        # Instruction budget; None = unlimited.  Exhaustion traps with "out of fuel".
        self.fuel = fuel
        # Set to True (from any thread) to stop running code with the trap "interrupted".
        self.interrupt = False
        # time.monotonic() value after which running code traps with "interrupted".
        self.deadline: float | None = None
        # memory.atomic.wait32/64 on a shared memory: wait_hook(mem, addr, expected, timeout_ns,
        # is64) -> 0 "ok", 1 "not-equal", 2 "timed-out".  None: no other agent can ever
        # notify, so a wait either returns "not-equal" or times out (or waits forever -> trap).
        self.wait_hook: Callable[..., int] | None = None
        # memory.atomic.notify: notify_hook(mem, addr, count) -> number of waiters woken.
        self.notify_hook: Callable[..., int] | None = None
        # Per-store data a host may attach (e.g. the JS realm that owns this store).
        self.host_data: Any = None
        # Current nesting depth of wasm calls, maintained by the execution tier.
        self.depth = 0

    def add_fuel(self, amount: int) -> None:
        self.fuel = (self.fuel or 0) + amount

    def fuel_consumed(self, start: int) -> int:
        return start - (self.fuel or 0)
