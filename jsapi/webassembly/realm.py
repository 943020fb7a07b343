"""Installing the WebAssembly namespace into a bridge context or a host realm."""

from __future__ import annotations

from importlib import resources
from typing import Any

from jsapi.bridge import Bridge
from jsapi.webassembly.pool import MemoryPool
from jsapi.webassembly.service import Services

# Load order: each file attaches to the internal object the previous ones built.
JS_FILES = (
    "webidl.js",
    "errors.js",
    "module.js",
    "memory.js",
    "table.js",
    "global.js",
    "tag.js",
    "instance.js",
    "builtins.js",
    "namespace.js",
)


class WebAssemblyNamespace:
    """Our `WebAssembly` namespace, installed in one V8 context."""

    def __init__(self, bridge: Bridge, pool_sizes: dict[str, int] | None = None) -> None:
        self.bridge = bridge
        pkg = resources.files("jsapi.webassembly")
        # The services must exist before the JS that calls them is loaded.
        bridge.eval(f"globalThis[{bridge.key!r}].wasm = undefined; 0")
        for name in JS_FILES[:1]:
            bridge.load_js(str(pkg.joinpath(name)))
        self.pool = MemoryPool(bridge, pool_sizes)
        for name in JS_FILES[1:-1]:
            bridge.load_js(str(pkg.joinpath(name)))
        self.services = Services(bridge, self.pool)
        self.services.expose_all()
        bridge.load_js(str(pkg.joinpath(JS_FILES[-1])))
        self.pool.refill()

    def refill(self) -> int:
        """Top level only: tops the memory pool up again."""
        return self.pool.refill()


def install_webassembly(
    target: Any, pool_sizes: dict[str, int] | None = None
) -> WebAssemblyNamespace:
    """Replaces the realm's `WebAssembly` with the engine-backed namespace.

    ``target`` is a ``Bridge`` or a host realm: a realm with a ``bridge`` is served by it,
    otherwise a bridge is attached to the realm's MiniRacer ``racer``; the namespace is kept on
    the realm as ``realm.webassembly``. Closing the realm (its bridge or its MiniRacer) frees
    every native memory of the pool with the context.
    """
    if isinstance(target, Bridge):
        return WebAssemblyNamespace(target, pool_sizes)
    # A realm that lives in a bridge's context (a page) is served by that very bridge: a second
    # bridge would need a context of its own, which nothing would ever close.
    bridge = getattr(target, "bridge", None)
    if bridge is None:
        if getattr(target, "racer", None) is None:
            raise TypeError("install_webassembly: the realm has neither a bridge nor a MiniRacer")
        bridge = Bridge(racer=target.racer)
    ns = WebAssemblyNamespace(bridge, pool_sizes)
    # The realm's event loop runs inside V8: refill between its tasks from another thread.
    ns.pool.start_background()
    target.webassembly = ns
    return ns
