"""Exceptions crossing the bridge."""

from __future__ import annotations

from jsapi.bridge.values import JSHandle


class BridgeError(RuntimeError):
    """Misuse of the bridge (e.g. evaluating JS while serving a JS request, or after close)."""


class BridgeTimeout(BridgeError, TimeoutError):
    """A top-level script ran past its ``timeout``; V8 terminated it."""


class JSError(Exception):
    """A JS value thrown by JS code that Python called.

    ``value`` is the handle of the thrown value itself: if this exception propagates out of a
    served request, JS sees the very same value thrown again.
    """

    def __init__(self, value: JSHandle, text: str) -> None:
        super().__init__(text)
        self.value = value
        self.text = text


class ThrowJS(Exception):
    """Raised by a service to make JS throw ``new <constructor>(message)``, where constructor is a
    dotted path from the global object (e.g. ``"WebAssembly.RuntimeError"``)."""

    def __init__(self, constructor: str, message: str) -> None:
        super().__init__(message)
        self.constructor = constructor
        self.message = message
