"""Agents for the script's ``(thread ...)`` commands: ``memory.atomic.wait`` / ``notify``
between Python threads (the threads proposal's wait queues, spec 4.4.7 "atomics").

Every store a script runs code in gets ``wait_hook`` / ``notify_hook`` from one ``WaitQueues``.
A waiter checks the value and enqueues itself under the queues' lock, and a notifier takes the
same lock, so a notify that follows the store a waiter is waiting for cannot be lost.  When no
other script thread is running, nothing could ever notify: a wait then returns "timed-out" at
once, or traps if it would wait forever, as it does in a single-threaded embedding.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from engine.errors import Trap

_FOREVER = 1 << 63  # a negative i64 timeout: wait without a time limit


class _Waiter:
    __slots__ = ("woken",)

    def __init__(self) -> None:
        self.woken = False


class WaitQueues:
    def __init__(self) -> None:
        self.cv = threading.Condition()
        self.queues: dict[tuple[int, int], list[_Waiter]] = {}
        self.running = 0  # script threads started and not finished

    def install(self, store: Any) -> None:
        store.wait_hook = lambda mem, ea, expected, timeout, is64: self.wait(
            store, mem, ea, expected, timeout, is64
        )
        store.notify_hook = self.notify

    def thread_started(self) -> None:
        with self.cv:
            self.running += 1

    def thread_finished(self) -> None:
        with self.cv:
            self.running -= 1
            self.cv.notify_all()

    def wait(self, store: Any, mem: Any, ea: int, expected: int, timeout: int, is64: bool) -> int:
        n = 8 if is64 else 4
        key = (id(mem), ea)
        with self.cv:
            if int.from_bytes(mem.data[ea : ea + n], "little") != expected:
                return 1  # "not-equal"
            if self.running == 0 and threading.current_thread() is threading.main_thread():
                if timeout >= _FOREVER:
                    raise Trap("wait would block forever")
                return 2
            w = _Waiter()
            queue = self.queues.setdefault(key, [])
            queue.append(w)
            until = None if timeout >= _FOREVER else time.monotonic() + timeout / 1e9
            try:
                while not w.woken:
                    now = time.monotonic()
                    if until is not None and now >= until:
                        return 2  # "timed-out"
                    if store.interrupt or (store.deadline is not None and now > store.deadline):
                        raise Trap("interrupted")
                    # Wake up now and then to see the deadline and the interrupt flag.
                    step = 0.05 if until is None else min(0.05, until - now)
                    self.cv.wait(step)
                return 0  # "ok"
            finally:
                if not w.woken:
                    queue.remove(w)

    def notify(self, mem: Any, ea: int, count: int) -> int:
        with self.cv:
            queue = self.queues.get((id(mem), ea))
            if not queue:
                return 0
            k = min(count, len(queue))
            for w in queue[:k]:
                w.woken = True
            del queue[:k]
            self.cv.notify_all()
            return k
