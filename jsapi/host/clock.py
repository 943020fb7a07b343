"""Time limits that survive jumps of the machine's clocks.

On virtual machines the system clocks, `time.monotonic` included, can leap forward by minutes
(a paused or migrated guest). A deadline taken from one reading then passes at once and a test
that ran for a second is reported as timed out. `steady()` is a clock that cannot leap: it
folds the source clock's advance into a count in small steps, none adding more than
`MAX_STEP` seconds, and a background thread takes a step every `TICK` seconds so that a long
legitimate wait is counted in full. A jump therefore costs at most `MAX_STEP` seconds of a time
limit, never the whole limit.

Waits on the operating system (select, joins, futures) still use the system clock, so a jump
can end one of them early; callers wait in a loop until `Deadline.expired()` says so.
"""

from __future__ import annotations

import os
import threading
import time

TICK = 0.1
MAX_STEP = 0.5


def source() -> float:
    """The clock that is read; tests replace it to simulate a jump."""
    return time.monotonic()


class SteadyClock:
    """Seconds counted from the source clock, each observed advance capped at `max_step`."""

    def __init__(self, max_step: float = MAX_STEP) -> None:
        self.max_step = max_step
        self._lock = threading.Lock()
        self._counted = 0.0
        self._last = source()

    def now(self) -> float:
        with self._lock:
            reading = source()
            # A backwards step (a clock set back, or a test restoring the real clock) adds 0.
            self._counted += min(max(reading - self._last, 0.0), self.max_step)
            self._last = reading
            return self._counted


_clock = SteadyClock()
_ticker: threading.Thread | None = None
_ticker_lock = threading.Lock()


def _tick() -> None:
    while True:
        _clock.now()
        time.sleep(TICK)


def _ensure_ticker() -> None:
    global _ticker
    if _ticker is not None:
        return
    with _ticker_lock:
        if _ticker is None:
            _ticker = threading.Thread(target=_tick, name="jsapi-steady-clock", daemon=True)
            _ticker.start()


def _after_fork() -> None:
    # Threads do not survive fork: the child starts its own count and its own ticker.
    global _clock, _ticker, _ticker_lock
    _clock = SteadyClock()
    _ticker = None
    _ticker_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def steady() -> float:
    """Seconds since an arbitrary origin, advancing with real waiting and never leaping."""
    _ensure_ticker()
    return _clock.now()


class Deadline:
    """A time limit of `seconds` (None: none) counted on `steady()` from its creation."""

    def __init__(self, seconds: float | None) -> None:
        self.start = steady()
        self.seconds = seconds

    def elapsed(self) -> float:
        return steady() - self.start

    def left(self) -> float:
        """Seconds still to wait (infinity without a limit, 0.0 once expired)."""
        if self.seconds is None:
            return float("inf")
        return max(self.seconds - self.elapsed(), 0.0)

    def expired(self) -> bool:
        return self.left() <= 0.0

    def step(self, longest: float = MAX_STEP) -> float:
        """How long the next operating-system wait may last: the time left, at most `longest`."""
        return min(self.left(), longest)
