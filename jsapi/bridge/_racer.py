"""Everything that touches mini-racer's private API, in one place.

mini-racer 0.14.1 (import name ``py_mini_racer``) is pinned: an upgrade that changes any of the
names used here must fail loudly in this module's tests, not somewhere deep in the host.

Private surface used:
- ``MiniRacer._ctx`` (a frozen ``Context`` dataclass) and its ``_dll``/``_ctx`` fields;
- ``_dll.mr_make_js_callback(ctx, id)``: a JS function that calls
  ``Context.handle_callback_from_v8(id, raw)`` synchronously on the V8 thread;
- ``Context._wrap_raw_handle``, ``Context._value_handle_to_python``, ``Context._free``;
- ``Context.event_loop``: mini-racer's asyncio loop, closed at tear-down (results that arrive
  after it closed are dropped).
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import threading
from collections.abc import Callable
from typing import Any

from py_mini_racer import MiniRacer

REQUIRED_VERSION = "0.14.1"

# Far above the ids mini-racer hands out for its own tasks (a counter from 1).
_CALLBACK_ID_BASE = 1 << 62
_next_callback_id = _CALLBACK_ID_BASE


class RacerContext:
    """One MiniRacer context plus a synchronous JS -> Python callback."""

    def __init__(self, mr: MiniRacer | None = None) -> None:
        _racer_version = importlib.metadata.version("mini-racer")
        if _racer_version != REQUIRED_VERSION:
            raise RuntimeError(
                f"jsapi.bridge needs mini-racer {REQUIRED_VERSION}, found {_racer_version}"
            )
        # An existing context (a host realm's) may be adopted instead of a fresh one.
        self.mr: MiniRacer | None = mr if mr is not None else MiniRacer()
        ctx = self.mr._ctx
        if ctx is None or not hasattr(ctx, "handle_callback_from_v8"):
            raise RuntimeError("mini-racer internals changed: no Context.handle_callback_from_v8")
        self._ctx: Any = ctx
        self._original = ctx.handle_callback_from_v8
        self._handlers: dict[int, Callable[[], None]] = {}
        self._pinned_threads: set[int] = set()
        self.v8_thread: int | None = None
        object.__setattr__(ctx, "handle_callback_from_v8", self._on_callback)

    def _on_callback(self, callback_id: int, raw: Any) -> None:
        handler = self._handlers.get(callback_id)
        if handler is None:
            # Id 0 carries the results of eval; every other id belongs to mini-racer too.
            loop = getattr(self._ctx, "event_loop", None)
            if loop is not None and loop.is_closed():
                # Tear-down of a context that was stuck in a task: the results of the calls
                # that timed out meanwhile arrive with nobody left to read them.
                return
            self._original(callback_id, raw)
            return
        # The argument array is never read: reading it needs the isolate, which is busy
        # running the JS that called us (deadlock).
        self._ctx._free(raw)
        ident = threading.get_ident()
        if ident not in self._pinned_threads:
            # ctypes creates and drops a thread state per callback; greenlets suspended in one
            # callback and resumed in a later one need it to persist, so hold one forever.
            ctypes.pythonapi.PyGILState_Ensure()
            self._pinned_threads.add(ident)
            self.v8_thread = ident
        handler()

    def make_callback(self, handler: Callable[[], None]) -> Any:
        """A JS function (mini-racer JSFunction) that runs ``handler()`` synchronously."""
        global _next_callback_id
        _next_callback_id += 1
        cid = _next_callback_id
        self._handlers[cid] = handler
        ctx = self._ctx
        raw = ctx._dll.mr_make_js_callback(ctx._ctx, cid)
        return ctx._value_handle_to_python(ctx._wrap_raw_handle(raw))

    def eval(self, code: str, timeout: float | None = None) -> Any:
        if self.mr is None:
            raise RuntimeError("the JS context is closed")
        return self.mr.eval(code, timeout_sec=timeout)

    def value_count(self) -> int:
        return int(self._ctx.value_count())

    def close(self) -> None:
        mr, self.mr = self.mr, None
        self._handlers.clear()
        if mr is not None:
            mr.close()


def buffer_address(view: memoryview) -> int:
    """Address of the first byte of a memoryview that mini-racer made of a JS buffer."""
    return ctypes.addressof(view.obj)  # type: ignore[arg-type]


def view_at(address: int, length: int) -> memoryview:
    """A writable byte view of ``length`` bytes at ``address`` (no ownership)."""
    if length == 0:
        return memoryview(bytearray())
    return memoryview((ctypes.c_ubyte * length).from_address(address)).cast("B")
