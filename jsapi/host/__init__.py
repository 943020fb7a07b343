"""The browser host around the embedded V8: event loop, timers, console.

The JavaScript lives in .js files beside this package; Python only installs it, starts the
event loop once and waits for it (JS drives, Python serves).
"""

from jsapi.host.engines import ENGINES, EngineUnavailable, install_engine
from jsapi.host.realm import ConsoleMessage, LoopOutcome, Realm, ScriptError

__all__ = [
    "ENGINES",
    "ConsoleMessage",
    "EngineUnavailable",
    "LoopOutcome",
    "Realm",
    "ScriptError",
    "install_engine",
]
