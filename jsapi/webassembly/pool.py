"""The pool of native V8 memories that back WebAssembly.Memory objects (docs/jsapi.md).

A Python view of a JS buffer can only be acquired at a top-level point (bridge invariant 6),
but memories are created inside served requests (a constructor, an instantiation). So native
memories of 0 pages are created and viewed ahead of time; taking one is synchronous, and growing
it (bridge.call_js -> Memory.prototype.grow) keeps its address, because V8 reserves the whole
address range of a 64-bit wasm memory up front (measured: same base address after growing
0 -> 2 pages, 1 -> 101 pages, for i32, i64 and shared memories). The view is then lengthened at
the same address (BufferView.resize). Refill happens only at top-level points: at install, on
``refill()``, and from a background thread that the bridge serialises with other top-level
calls (its work runs as a V8 task, so between the event loop's tasks, never inside one).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from jsapi.bridge import BufferView

if TYPE_CHECKING:
    from jsapi.bridge import Bridge

# What a native memory of each kind is created with: shared memories must declare a maximum,
# so they reserve the largest (4 GiB); the engine enforces the spec maximum itself.
NATIVE_DESCRIPTORS = {
    "i32": "{initial: 0}",
    "i64": "{initial: 0n, address: 'i64'}",
    "shared": "{initial: 0, maximum: 65536, shared: true}",
}
# Every pool memory holds a V8 address-space reservation until its context is freed, and a
# process has about 1 TiB of them (measured: ~1003 growable SABs of 1 GiB maximum in a fresh
# process). An i32 or shared native memory reserves 4 GiB, an i64 one 16 GiB; i64 memories are
# backed by i32 natives, so the default pool reserves 20 x 4 + 4 x 4 = 96 GiB per realm (the
# former 48/8/8 reserved 352 GiB). 20 is what one synchronous WPT file needs (memory/grow).
DEFAULT_SIZES = {"i32": 20, "i64": 0, "shared": 4}
# A kind found empty inside a task has its target doubled (up to these caps) for the next
# refills: a realm that creates many memories gets a larger pool, and only such a realm.
MAX_SIZES = {"i32": 48, "i64": 0, "shared": 8}
RESERVED_GIB = {"i32": 4, "i64": 16, "shared": 4}


class PoolExhausted(Exception):
    pass


class MemoryPool:
    def __init__(
        self,
        bridge: Bridge,
        sizes: dict[str, int] | None = None,
        max_sizes: dict[str, int] | None = None,
    ) -> None:
        self.bridge = bridge
        self.sizes = dict(DEFAULT_SIZES if sizes is None else sizes)
        limits = MAX_SIZES if max_sizes is None else max_sizes
        self.max_sizes = {k: max(limits.get(k, 0), n) for k, n in self.sizes.items()}
        self.entries: dict[str, deque[BufferView]] = {k: deque() for k in NATIVE_DESCRIPTORS}
        self.taken = 0
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def start_background(self) -> None:
        """Refills from a daemon thread whenever a kind drops below half its target."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._background, daemon=True)
            self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        """Ends the background refills before the context closes (a refill racing the close
        would call into a context that is going away)."""
        self._stopped = True
        self._wanted.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def _background(self) -> None:
        failures = 0
        while failures < 200:
            self._wanted.wait(0.5)
            if self._stopped:
                return
            mr = self.bridge._racer.mr
            # A host realm closes its MiniRacer itself (the bridge never hears of it).
            if self.bridge.closed or mr is None or getattr(mr, "_ctx", True) is None:
                return
            if not self._wanted.is_set():
                continue
            self._wanted.clear()
            try:
                self.refill()
                failures = 0
            except Exception:  # noqa: BLE001 - retried; the context may be closing
                failures += 1
                self._wanted.set()
                time.sleep(0.01)

    def refill(self) -> int:
        """Tops every kind up to its target size; top level only. Returns how many were made."""
        with self._lock:
            return self._refill()

    def _refill(self) -> int:
        made = 0
        slot = f"globalThis[{self.bridge.key!r}].wasm.poolSlot"
        for kind, target in self.sizes.items():
            queue = self.entries[kind]
            while len(queue) < target:
                desc = NATIVE_DESCRIPTORS[kind]
                self.bridge.eval(f"{slot} = new ({slot}Ctor)({desc}); 0")
                queue.append(self.bridge.acquire_view(slot))
                made += 1
        self.bridge.eval(f"{slot} = undefined; 0")
        return made

    def take(self, kind: str) -> BufferView:
        queue = self.entries[kind]
        if not queue:
            self.sizes[kind] = min(max(1, 2 * self.sizes[kind]), self.max_sizes[kind])
            self._wanted.set()
            raise PoolExhausted(kind)
        self.taken += 1
        view = queue.popleft()
        if len(queue) < (self.sizes[kind] + 1) // 2:
            self._wanted.set()
        return view

    def available(self, kind: str) -> int:
        return len(self.entries[kind])

    def reserved_gib(self) -> int:
        """Address space the memories still in the pool reserve (taken ones belong to JS)."""
        return sum(RESERVED_GIB[k] * len(q) for k, q in self.entries.items())

    def bound_gib(self) -> int:
        """The most the pool itself ever reserves at once."""
        return sum(RESERVED_GIB[k] * n for k, n in self.max_sizes.items())
