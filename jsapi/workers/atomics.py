"""Wasm `memory.atomic.wait32/64` and `notify` of this project's engine, for workers.

The engine calls the store's hooks (engine/runtime/store.py); the wait hook compares the value
itself (threads proposal, memory.atomic.wait: "not-equal" before any blocking), queues the waiter
on the scheduler's waiter list (`W.wasmPark`, the list `Atomics.wait` uses too) and parks the
bridge request the wasm code runs in (`Bridge.park`): the waiting agent's Python frames are set
aside until the scheduler resumes them, from whatever JS frame is then on top, with "ok" or
"timed-out". So workers waiting in wasm are resumed in the order they are notified, not in the
order their JS frames happen to be stacked. In isolated mode a worker's store gets `wait_alone`
instead: nothing in its own isolate can notify it.
"""

from __future__ import annotations

import time
from typing import Any

from engine.errors import Trap
from jsapi.bridge import Bridge

_FOREVER = 1 << 63  # an i64 timeout at or above this is negative: no time limit
OK, NOT_EQUAL, TIMED_OUT = 0, 1, 2
_TERMINATED = -2


class AgentTerminated(Exception):
    """Unwinds the wasm frames of a worker that was terminated while it waited."""


class WasmAtomics:
    """The wait/notify hooks of one engine store, bound to one page's worker scheduler."""

    def __init__(self, bridge: Bridge, store: Any, services: Any) -> None:
        self.bridge = bridge
        self.store = store
        self.services = services
        self._park = bridge.handle("__jsapiHost.workers.wasmPark")
        self._notify = bridge.handle("__jsapiHost.workers.wasmNotify")
        self._previous = (store.wait_hook, store.notify_hook)
        store.wait_hook = self.wait
        store.notify_hook = self.notify

    def _native(self, mem: Any) -> Any:
        # Every agent shares the page's isolate and store: one native memory per shared memory.
        view, _kind = self.services.native_memory(mem)
        return view.owner

    def wait(self, mem: Any, ea: int, expected: int, timeout: int, is64: bool) -> int:
        n = 8 if is64 else 4
        if int.from_bytes(mem.data[ea : ea + n], "little") != expected:
            return NOT_EQUAL
        ms = -1.0 if timeout >= _FOREVER else timeout / 1e6
        token = self.bridge.park_token()
        what = f"memory.atomic.wait{n * 8}(address {ea}, expected {expected})"
        if int(self.bridge.call_js(self._park, self._native(mem), ea, ms, token, what)) == 0:
            outcome = self._park_request(token)
            if outcome == _TERMINATED:
                raise AgentTerminated("the worker was terminated")
            return OK if outcome == 0 else TIMED_OUT
        # The page's main thread cannot block (HTML: [[CanBlock]] is false for a window).
        if timeout >= _FOREVER:
            raise Trap("wait would block forever")
        return TIMED_OUT

    def _park_request(self, token: int) -> int:
        # store.depth counts the wasm frames of the code running now. While this agent is set
        # aside, other agents enter wasm on stacks of their own, from depth 0.
        depth = self.store.depth
        self.store.depth = 0
        try:
            return int(self.bridge.park(token))
        finally:
            self.store.depth = depth

    def notify(self, mem: Any, ea: int, count: int) -> int:
        return int(self.bridge.call_js(self._notify, self._native(mem), ea, count))

    def close(self) -> None:
        if self.store.wait_hook == self.wait:
            self.store.wait_hook, self.store.notify_hook = self._previous


def connect_wasm_atomics(bridge: Bridge, namespace: Any) -> WasmAtomics | None:
    """Hooks the engine store of ``namespace`` (a realm's ``webassembly``) to the scheduler.

    None when the realm runs V8's own WebAssembly (its native waits block the whole isolate).
    """
    store = store_of(namespace)
    if store is None:
        return None
    return WasmAtomics(bridge, store, namespace.services)


def store_of(namespace: Any) -> Any:
    """The engine store behind a realm's ``webassembly`` namespace (None for V8's own)."""
    return getattr(getattr(namespace, "services", None), "store", None)


def wait_alone(mem: Any, ea: int, expected: int, timeout: int, is64: bool) -> int:
    """The wait hook of a worker in its own isolate (isolated mode): its memories are its own,
    so no other agent can notify it. A wait sleeps out its timeout (what `usleep` of a wasm
    thread library does), and a wait without one traps rather than hang."""
    n = 8 if is64 else 4
    if int.from_bytes(mem.data[ea : ea + n], "little") != expected:
        return NOT_EQUAL
    if timeout >= _FOREVER:
        raise Trap("wait would block forever")
    time.sleep(timeout / 1e9)
    return TIMED_OUT
