import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jsapi.bridge import Bridge
from jsapi.web import install

PAGE = "http://localhost/dir/page.html?q=1#top"


class Page:
    """A bridge with the web APIs installed; evaluates JS and returns JSON-decoded results."""

    def __init__(self, bridge: Bridge, root: Path) -> None:
        self.bridge = bridge
        self.root = root

    def js(self, code: str) -> Any:
        text = self.bridge.eval(f"JSON.stringify((() => {{ {code} }})())")
        return None if text is None or not isinstance(text, str) else json.loads(text)

    def value(self, expr: str) -> Any:
        return self.js(f"return ({expr});")

    def error(self, code: str) -> list[Any]:
        """[constructor name, name, message] of what the code throws (or None)."""
        return self.js(
            f"try {{ {code}; return null; }} catch (e) {{"
            " return [e && e.constructor && e.constructor.name, e && e.name, e && e.message]; }"
        )

    def run(self, body: str, timeout: float = 5.0) -> Any:
        """Runs an async function body; returns its JSON-decoded result or raises on rejection."""
        self.bridge.eval(
            "globalThis.__done = undefined; (async () => {" + body + "})().then("
            "(v) => { globalThis.__done = {ok: true, v: JSON.stringify(v === undefined ? null"
            " : v)}; },"
            "(e) => { globalThis.__done = {ok: false, v: String(e && e.name) + ': ' +"
            " String(e && e.message)}; });"
        )
        deadline = time.monotonic() + timeout
        while True:
            state = self.bridge.eval(
                "globalThis.__done === undefined ? null : JSON.stringify(__done)"
            )
            if state is not None:
                done = json.loads(state)
                if not done["ok"]:
                    raise RejectedError(done["v"])
                return json.loads(done["v"])
            if time.monotonic() > deadline:
                raise TimeoutError(body)
            time.sleep(0.005)


class RejectedError(Exception):
    pass


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    root = tmp_path / "root"
    root.mkdir()
    b = Bridge()
    install(b, root=root, page_url=PAGE, hardware_concurrency=4)
    try:
        yield Page(b, root)
    finally:
        b.close()
