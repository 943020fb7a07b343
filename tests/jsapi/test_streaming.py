"""WebAssembly.compileStreaming / instantiateStreaming (WebAssembly Web API 3) in a page."""

import shutil
from pathlib import Path

import pytest

from jsapi.page import Page

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"

SCRIPT = """
const out = [];
const imports = {};
const outcome = (label, p) => p.then(
  (v) => out.push(label + ": ok " + (v instanceof WebAssembly.Module ? "Module"
    : v && v.instance instanceof WebAssembly.Instance
      ? "Instance " + (v.module instanceof WebAssembly.Module) : String(v))),
  (e) => out.push(label + ": " + e.name));
const wasmBytes = () => fetch("hello.wasm").then((r) => r.arrayBuffer());
const make = (body, init) => new Response(body, init);
Promise.all([
  outcome("fetch", WebAssembly.compileStreaming(fetch("hello.wasm"))),
  outcome("promise", WebAssembly.instantiateStreaming(fetch("hello.wasm"), imports)),
  outcome("response", wasmBytes().then((b) => WebAssembly.compileStreaming(
    make(b, {headers: {"Content-Type": " application/WASM\\t"}})))),
  outcome("no type", wasmBytes().then((b) => WebAssembly.compileStreaming(make(b)))),
  outcome("charset", wasmBytes().then((b) => WebAssembly.compileStreaming(
    make(b, {headers: {"Content-Type": "application/wasm;charset=utf-8"}})))),
  outcome("status", wasmBytes().then((b) => WebAssembly.compileStreaming(
    make(b, {status: 404, headers: {"Content-Type": "application/wasm"}})))),
  outcome("used", (async () => {
    const r = make(await wasmBytes(), {headers: {"Content-Type": "application/wasm"}});
    await r.arrayBuffer();
    return WebAssembly.compileStreaming(r);
  })()),
  outcome("bad bytes", WebAssembly.compileStreaming(
    make(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]),
      {headers: {"Content-Type": "application/wasm"}}))),
  outcome("not a response", WebAssembly.compileStreaming({})),
  outcome("rejected", WebAssembly.compileStreaming(Promise.reject(new RangeError("x")))),
  outcome("bad imports", WebAssembly.instantiateStreaming(fetch("hello.wasm"), 5)),
]).then(() => { globalThis.results = out; });
"""


@pytest.fixture
def page(tmp_path: Path) -> Page:
    shutil.copy(HELLO / "hello.wasm", tmp_path / "hello.wasm")
    (tmp_path / "index.html").write_text("<!doctype html><script src=streaming.js></script>")
    (tmp_path / "streaming.js").write_text(SCRIPT)
    return Page.open(tmp_path / "index.html", engine="jsapi", timeout=60)


def test_streaming_compile_and_instantiate(page: Page) -> None:
    with page:
        result = page.run()
        assert result.status == 0, result.errors
        got = dict(str(x).split(": ", 1) for x in page.evaluate("results"))
    assert got["fetch"] == "ok Module"
    assert got["promise"] == "ok Instance true"
    assert got["response"] == "ok Module"  # HTTP whitespace and case do not matter
    for label in ("no type", "charset", "status", "used", "not a response", "bad imports"):
        assert got[label] == "TypeError", label
    assert got["bad bytes"] == "CompileError"
    assert got["rejected"] == "RangeError"  # the source's own rejection reason
