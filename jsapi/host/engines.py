"""Which `WebAssembly` namespace a realm exposes.

`v8` keeps V8's native namespace. `jsapi` installs the namespace backed by this project's
engine through `jsapi.webassembly.install_webassembly(realm)`; until that module exists the
choice fails with a clear message instead of silently testing V8.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsapi.host.realm import Realm

ENGINES = ("jsapi", "v8")
DEFAULT_ENGINE = "jsapi"


class EngineUnavailable(RuntimeError):
    """The requested WebAssembly engine cannot be installed in this build."""


def engine_available(name: str) -> bool:
    if name == "v8":
        return True
    if name == "jsapi":
        try:
            module = importlib.import_module("jsapi.webassembly")
        except ModuleNotFoundError as e:
            if e.name in ("jsapi.webassembly", "jsapi"):
                return False
            raise
        return hasattr(module, "install_webassembly")
    return False


def install_engine(realm: Realm, name: str) -> None:
    if name == "v8":
        return
    if name != "jsapi":
        raise EngineUnavailable(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
    if not engine_available("jsapi"):
        raise EngineUnavailable(
            "the jsapi engine's WebAssembly namespace is not available yet "
            "(jsapi.webassembly.install_webassembly); use --engine v8 for V8's native one"
        )
    module = importlib.import_module("jsapi.webassembly")
    bridge = getattr(realm, "bridge", None)
    if bridge is None:
        module.install_webassembly(realm)
        return
    # A realm served by a bridge (a page) shares that bridge's context: the namespace must be
    # installed through it, or it would land in a context of its own and the page would keep
    # V8's namespace.
    realm.webassembly = module.install_webassembly(bridge)
