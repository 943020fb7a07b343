"""The engine a page asks for is the one its wasm runs in (the page's own V8 context)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsapi.host.engines import engine_available
from jsapi.page import Page

# (module (func (export "f") (result i32) (i32.const 42)))
ANSWER = bytes.fromhex(
    "0061736d01000000010501600001 7f03020100070501016600000a06010400412a0b".replace(" ", "")
)
SCRIPT = (
    "try {\n"
    "  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(["
    + ",".join(str(b) for b in ANSWER)
    + "])));\n"
    "  console.log(String(exports.f()));\n"
    "} catch (e) { console.log(e.constructor.name + ': ' + e.message); }\n"
)

needs_engine = pytest.mark.skipif(not engine_available("jsapi"), reason="no jsapi.webassembly")


@needs_engine
def test_page_namespace_shares_the_page_context(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text(SCRIPT)
    with Page.open(tmp_path / "p.js", engine="jsapi") as page:
        assert page.realm.webassembly.bridge is page.bridge
        result = page.run()
    assert [m.text for m in result.console] == ["42"]


@needs_engine
def test_page_wasm_runs_in_our_engine(tmp_path: Path) -> None:
    # The engine's store limits apply only when our engine executes the call.
    (tmp_path / "p.js").write_text(SCRIPT)
    with Page.open(tmp_path / "p.js", engine="jsapi") as page:
        page.realm.webassembly.services.store.fuel = 0
        result = page.run()
    [text] = [m.text for m in result.console]
    assert text.endswith(": out of fuel")


def test_v8_page_is_unaffected_by_our_store(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text(SCRIPT)
    with Page.open(tmp_path / "p.js", engine="v8") as page:
        assert not hasattr(page.realm, "webassembly")
        result = page.run()
    assert [m.text for m in result.console] == ["42"]


@pytest.mark.parametrize("engine", ["jsapi", "v8"])
def test_page_wasm_errors_are_the_namespace_classes(tmp_path: Path, engine: str) -> None:
    if engine == "jsapi" and not engine_available("jsapi"):
        pytest.skip("no jsapi.webassembly")
    (tmp_path / "p.js").write_text(
        "try { new WebAssembly.Module(new Uint8Array([1, 2, 3])); }\n"
        "catch (e) { console.log(e instanceof WebAssembly.CompileError, e.name); }\n"
        "console.log(Object.keys(globalThis).filter((k) => k.startsWith('__jsapi')).length);\n"
    )
    with Page.open(tmp_path / "p.js", engine=engine) as page:
        result = page.run()
    assert [m.text for m in result.console] == ["true CompileError", "0"]
