"""Zero-copy views of JS buffers, and the rules that keep them from dangling.

A memoryview of a JS buffer is a raw pointer: touching it after the buffer is detached or
collected crashes the process. Invariants (docs/bridge.md):

1. The owner (the WebAssembly.Memory or the buffer) stays in the JS handle table while the
   ``BufferView`` lives, so it is never collected under the view.
2. An ArrayBuffer that Python views is pinned: ``transfer()``/``transferToFixedLength()`` throw a
   TypeError for it and ``resize()`` may not shrink it, so page code cannot detach it.
3. Only buffers whose backing store never moves can be re-sized in place (``resize``):
   SharedArrayBuffers (growable ones reserve their maximum up front), resizable ArrayBuffers
   (reserved up to maxByteLength) and WebAssembly.Memory buffers (V8 reserves the whole address
   range on 64-bit hosts and grows in place). A fixed-length ArrayBuffer view is invalidated
   instead, and must be re-acquired from the top level.
4. ``mem`` is the only way to the bytes; callers must not keep the memoryview it returns across a
   crossing into JS (a grow may happen there), but read ``mem`` again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jsapi.bridge._racer import view_at
from jsapi.bridge.errors import BridgeError
from jsapi.bridge.values import JSHandle

if TYPE_CHECKING:
    from jsapi.bridge.core import Bridge

_STABLE = frozenset({"sab", "resizable", "wasm"})


class BufferView:
    def __init__(
        self,
        bridge: Bridge,
        owner: JSHandle,
        address: int,
        length: int,
        kind: str,
        maximum: int | None,
    ) -> None:
        self.bridge = bridge
        self.owner = owner
        self.address = address
        self.kind = kind
        self.maximum = maximum
        self._length = length
        self._mv: memoryview | None = view_at(address, length)

    @property
    def length(self) -> int:
        return self._length

    @property
    def valid(self) -> bool:
        return self._mv is not None and not self.bridge.closed

    @property
    def mem(self) -> memoryview:
        if self._mv is None or self.bridge.closed:
            raise BridgeError("the buffer view was invalidated; re-acquire it")
        return self._mv

    def resize(self, length: int) -> None:
        """The JS side reports a new byte length (after a grow) of the same backing store."""
        if self.kind not in _STABLE:
            self.invalidate()
            raise BridgeError(f"a {self.kind} ArrayBuffer cannot change length in place")
        if self.maximum is not None and length > self.maximum:
            raise BridgeError(f"length {length} exceeds the reserved {self.maximum} bytes")
        self._length = length
        self._mv = view_at(self.address, length)

    def invalidate(self) -> None:
        self._mv = None
