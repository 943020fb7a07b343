"""Installing the worker APIs into a bridge's context (after the host, web APIs and engine)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsapi.bridge import Bridge

if TYPE_CHECKING:
    from jsapi.workers.atomics import WasmAtomics
    from jsapi.workers.isolated import IsolatedHub

MODES = ("shared", "isolated")
HERE = Path(__file__).parent
# Order matters: each file attaches to `bridge.workers`, which scheduler.js creates.
SCRIPTS = ("scheduler.js", "messaging.js", "scope.js")


class WorkerHub:
    """The worker machinery of one page context."""

    def __init__(self, bridge: Bridge, mode: str, seed: int) -> None:
        self.bridge = bridge
        self.mode = mode
        self.seed = seed
        self.isolated: IsolatedHub | None = None
        self.atomics: WasmAtomics | None = None

    def deadlock(self, timeout: float | None = None) -> str | None:
        """The deadlock report, if the run stopped on one (shared mode); ``timeout`` (seconds)
        bounds the question when V8 may still be running a task that never returned."""
        value = self._eval("W.deadlock()", timeout)
        return value if isinstance(value, str) else None

    def trace(self) -> list[int]:
        """The agent id of every task run so far, in order (shared mode)."""
        return list(json.loads(str(self._eval("JSON.stringify(W.trace())"))))

    def _eval(self, expr: str, timeout: float | None = None) -> Any:
        code = f"(() => {{ const W = __jsapiHost.workers; return {expr}; }})()"
        return self.bridge.eval(code, timeout=timeout)

    def close(self) -> None:
        if self.atomics is not None:
            self.atomics.close()
            self.atomics = None
        if self.isolated is not None:
            self.isolated.close()
            self.isolated = None


def install_workers(
    bridge: Bridge,
    mode: str = "shared",
    seed: int = 0,
    *,
    root: Path | str | None = None,
    origin: str = "http://localhost",
    engine: str = "v8",
    namespace: Any = None,
) -> WorkerHub:
    """Installs Worker, MessageChannel, MessagePort, MessageEvent (and ErrorEvent if missing).

    Needs the host scripts (jsapi.host.Realm) and the web APIs (jsapi.web.install) first.
    Isolated mode serves worker isolates the files under ``root`` for ``origin`` with the same
    WebAssembly ``engine``. In shared mode, ``namespace`` (the realm's engine-backed
    ``webassembly``) has its store's wasm wait/notify joined to the agents' scheduler.
    """
    if mode not in MODES:
        raise ValueError(f"unknown workers mode {mode!r} (choose from {', '.join(MODES)})")
    hub = WorkerHub(bridge, mode, seed)
    if mode == "isolated":
        from jsapi.workers.isolated import IsolatedHub

        served = Path(root if root is not None else ".").resolve()
        hub.isolated = IsolatedHub(bridge, root=served, origin=origin, engine=engine)
        scripts = (*SCRIPTS, "isolated_ports.js", "isolated_parent.js", "isolated_main.js")
        load_scripts(bridge, scripts, mode, seed)
    else:
        load_scripts(bridge, SCRIPTS, mode, seed)
        if namespace is not None:
            from jsapi.workers.atomics import connect_wasm_atomics

            hub.atomics = connect_wasm_atomics(bridge, namespace)
    return hub


def load_scripts(bridge: Bridge, names: tuple[str, ...], mode: str, seed: int = 0) -> None:
    from jsapi.modules.rewrite import track_async_functions

    # Worker scripts pass through this before they run, as page scripts do (jsapi/page).
    bridge.expose("workers.trackAsync", track_async_functions)
    for name in names:
        source = (HERE / name).read_text("utf-8")
        _load(bridge, f"{source}\n//# sourceURL=jsapi:workers/{name}\n")
    config = json.dumps({"mode": mode, "seed": seed})
    _load(bridge, f"const W = bridge.workers; const c = {config}; W.mode = c.mode; W.configure(c);")


def _load(bridge: Bridge, source: str) -> Any:
    # Bridge.load_js reads a file; the same entry with a text keeps a sourceURL per script.
    return bridge._top["load"](source)
