"""The V8 bridge: the only code that touches mini-racer's private API.

See docs/bridge.md for the design and its invariants.
"""

from jsapi.bridge.core import Bridge
from jsapi.bridge.errors import BridgeError, BridgeTimeout, JSError, ThrowJS
from jsapi.bridge.values import UNDEFINED, BigInt, JSHandle
from jsapi.bridge.views import BufferView

__all__ = [
    "UNDEFINED",
    "BigInt",
    "Bridge",
    "BridgeError",
    "BridgeTimeout",
    "BufferView",
    "JSError",
    "JSHandle",
    "ThrowJS",
]
