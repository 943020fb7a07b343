"""The WebAssembly JS API namespace, backed by this project's engine (docs/jsapi.md).

``install_webassembly(realm_or_bridge)`` replaces V8's own ``WebAssembly`` in the context with
ours; V8's native namespace stays reachable internally (it provides the memory byte store).
"""

from jsapi.webassembly.realm import WebAssemblyNamespace, install_webassembly

__all__ = ["WebAssemblyNamespace", "install_webassembly"]
