import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jsapi.bridge import Bridge
from jsapi.modules.loader import ModuleLoader, served_root


class Page:
    """A bridge with the module loader installed over a temporary served root."""

    def __init__(self, root: Path, bridge: Bridge, loader: ModuleLoader) -> None:
        self.root = root
        self.bridge = bridge
        self.loader = loader

    def write(self, name: str, source: str | bytes) -> None:
        path = self.root / name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, bytes):
            path.write_bytes(source)
        else:
            path.write_text(textwrap.dedent(source), "utf-8")

    def run(self, expr: str, timeout: float = 10) -> Any:
        """Awaits a JS expression (a promise or value); returns JSON-decoded result, or
        {"error": name, "message": ...} when it rejects."""
        code = f"""Promise.resolve().then(() => ({expr})).then(
            (v) => JSON.stringify({{ ok: v === undefined ? null : v }}),
            (e) => JSON.stringify({{ error: e && e.name, message: e && e.message,
                                    stack: e && String(e.stack) }}))"""
        out = json.loads(self.bridge.eval(code).get(timeout=timeout))
        return out["ok"] if "ok" in out else out

    def js(self, code: str) -> Any:
        return self.bridge.eval(code)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    bridge = Bridge()
    loader = ModuleLoader(bridge, served_root(tmp_path)).install()
    try:
        yield Page(tmp_path, bridge, loader)
    finally:
        bridge.close()
