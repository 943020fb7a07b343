"""Wasm `memory.atomic.wait32/64` and `notify` of this project's engine, on the shared-mode
scheduler: a wasm wait in a worker blocks that agent the way `Atomics.wait` does (its frames stay
on the stack while the other agents run), and a wasm notify wakes it.

The engine calls the store's hooks (engine/runtime/store.py); the hook compares the value
itself (threads proposal, memory.atomic.wait: "not-equal" before any blocking), then hands the
blocking to `W.wasmWait(key, ms)` / `W.wasmNotify(key, count)` in scheduler.js.
"""

from __future__ import annotations

from typing import Any

from engine.errors import Trap
from jsapi.bridge import Bridge

_FOREVER = 1 << 63  # an i64 timeout at or above this is negative: no time limit
OK, NOT_EQUAL, TIMED_OUT = 0, 1, 2


class WasmAtomics:
    """The wait/notify hooks of one engine store, bound to one page's worker scheduler."""

    def __init__(self, bridge: Bridge, store: Any) -> None:
        self.bridge = bridge
        self.store = store
        self._wait = bridge.handle("__jsapiHost.workers.wasmWait")
        self._notify = bridge.handle("__jsapiHost.workers.wasmNotify")
        self._previous = (store.wait_hook, store.notify_hook)
        store.wait_hook = self.wait
        store.notify_hook = self.notify

    @staticmethod
    def key(mem: Any, ea: int) -> str:
        # Every agent shares the page's isolate and store: one MemoryInst per shared memory.
        return f"memory {id(mem):x} @ {ea}"

    def wait(self, mem: Any, ea: int, expected: int, timeout: int, is64: bool) -> int:
        n = 8 if is64 else 4
        if int.from_bytes(mem.data[ea : ea + n], "little") != expected:
            return NOT_EQUAL
        ms = -1.0 if timeout >= _FOREVER else timeout / 1e6
        result = int(self.bridge.call_js(self._wait, self.key(mem, ea), ms))
        if result >= 0:
            return OK if result == 0 else TIMED_OUT
        # The page's main thread cannot block (HTML: [[CanBlock]] is false for a window).
        if timeout >= _FOREVER:
            raise Trap("wait would block forever")
        return TIMED_OUT

    def notify(self, mem: Any, ea: int, count: int) -> int:
        return int(self.bridge.call_js(self._notify, self.key(mem, ea), count))

    def close(self) -> None:
        if self.store.wait_hook == self.wait:
            self.store.wait_hook, self.store.notify_hook = self._previous


def connect_wasm_atomics(bridge: Bridge, namespace: Any) -> WasmAtomics | None:
    """Hooks the engine store of ``namespace`` (a realm's ``webassembly``) to the scheduler.

    None when the realm runs V8's own WebAssembly (its native waits block the whole isolate).
    """
    services = getattr(namespace, "services", None)
    store = getattr(services, "store", None)
    if store is None:
        return None
    return WasmAtomics(bridge, store)
