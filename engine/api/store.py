"""The store of the embedding API, and the ``Engine`` / ``Config`` pair wasmtime-py programs
pass around.

A ``Store`` owns every object instances create and the limits under which their code runs:
fuel, an interrupt flag another thread may raise, a wall-clock deadline and the maximum depth
of nested wasm calls.  Compiled code polls fuel, the flag and the deadline at every loop
back-edge and function entry (see engine/exec/state.py), so a runaway loop stops within a
bounded amount of work.
"""

from __future__ import annotations

import time
from typing import Any

from engine.runtime.store import Store as _RuntimeStore

DEFAULT_MAX_CALL_DEPTH = 10_000


class Config:
    """Settings shared by the stores of an ``Engine``.

    ``consume_fuel``: new stores start with zero fuel, so code runs only once fuel is added
    (wasmtime's behaviour).  ``max_call_depth``: nested wasm calls allowed before the trap
    "call stack exhausted".
    """

    def __init__(
        self, *, consume_fuel: bool = False, max_call_depth: int = DEFAULT_MAX_CALL_DEPTH
    ) -> None:
        self.consume_fuel = consume_fuel
        self.max_call_depth = max_call_depth


class Engine:
    """Holds a ``Config``.  Modules are not tied to an engine here: one ``Module`` may be
    instantiated in any number of stores."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()


class Store:
    """Owns everything instances create, and the limits under which their code runs.

    ``Store()``, ``Store(engine)``, ``Store(max_call_depth=500, fuel=10_000)``.
    """

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        max_call_depth: int | None = None,
        fuel: int | None = None,
    ) -> None:
        config = engine.config if engine is not None else Config()
        depth = max_call_depth if max_call_depth is not None else config.max_call_depth
        if depth < 1:
            raise ValueError("max_call_depth must be at least 1")
        self._store = _RuntimeStore(max_call_depth=depth)
        # Lets a host function find the API store from the runtime one (see Caller).
        self._store.host_data = self
        self.engine = engine
        # Fuel handed out since fuel was enabled, so fuel_consumed() survives set_fuel().
        self._fuel_total = 0
        # Free for the embedder: host functions reach it as ``caller.data``.
        self.data: Any = None
        if fuel is not None:
            self.set_fuel(fuel)
        elif config.consume_fuel:
            self.set_fuel(0)

    # --- fuel -------------------------------------------------------------------------

    def set_fuel(self, fuel: int | None) -> None:
        """Allow ``fuel`` more units of execution (None: unlimited).  One unit is charged at
        every function entry and every loop back-edge; running out traps with "out of fuel"."""
        if fuel is None:
            self._store.fuel = None
            self._fuel_total = 0
            return
        if fuel < 0:
            raise ValueError("fuel must not be negative")
        self._fuel_total = (self.fuel_consumed() or 0) + fuel
        self._store.fuel = fuel

    def get_fuel(self) -> int | None:
        """The fuel left, or None when fuel is not limited."""
        return self._store.fuel

    def add_fuel(self, amount: int) -> None:
        """Add ``amount`` units (enabling fuel if it was unlimited)."""
        if amount < 0:
            raise ValueError("fuel must not be negative")
        if self._store.fuel is None:
            self.set_fuel(amount)
        else:
            self._store.fuel += amount
            self._fuel_total += amount

    def fuel_consumed(self) -> int | None:
        """Units used since fuel was enabled, or None when fuel is not limited."""
        if self._store.fuel is None:
            return None
        return self._fuel_total - self._store.fuel

    # --- interruption -------------------------------------------------------------------

    def interrupt(self) -> None:
        """Make running code trap with "interrupted".  Safe to call from any thread.

        If no code is running, the next call into wasm traps at its first poll; the flag is
        cleared when the trap is raised (or by ``clear_interrupt``)."""
        self._store.interrupt = True

    def clear_interrupt(self) -> None:
        self._store.interrupt = False

    def set_deadline(self, seconds: float | None) -> None:
        """Trap with "interrupted" once ``seconds`` of wall-clock time have passed from now,
        in whichever call is running then (None: no deadline).  The deadline stays set until
        changed."""
        self._store.deadline = None if seconds is None else time.monotonic() + seconds

    def get_deadline(self) -> float | None:
        """Seconds left until the deadline (negative once passed), or None."""
        d = self._store.deadline
        return None if d is None else d - time.monotonic()

    # --- call depth ---------------------------------------------------------------------

    @property
    def max_call_depth(self) -> int:
        """Nested wasm calls allowed before "call stack exhausted" (fixed at creation:
        compiled code embeds it)."""
        return int(self._store.max_call_depth)

    def __repr__(self) -> str:
        return f"Store(fuel={self.get_fuel()}, max_call_depth={self.max_call_depth})"


__all__ = ["Config", "Engine", "Store"]
