"""`jsapi run --trace-crossings`: the report at exit, in text and in the --json record."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from engine.api import wat2wasm
from jsapi.bench import trace
from jsapi.cli import main

PAGE = """<!doctype html><script>
for (let i = 0; i < 3; i++) console.log("line " + i);
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
console.log(WebAssembly.validate(bytes));
</script>"""


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(args)
    return status, out.getvalue()


def test_text_report_after_the_console(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE)
    status, text = run(["run", "--engine", "v8", "--trace-crossings", str(page)])
    assert status == 0
    lines = text.splitlines()
    assert lines[:4] == ["line 0", "line 1", "line 2", "true"]
    head = lines.index(next(ln for ln in lines if ln.startswith("crossings")))
    assert head == 4
    rows = {ln.split("  ")[0].strip(): ln for ln in lines[head + 2 :] if not ln.startswith(" ")}
    assert set(rows) == set(trace.BOUNDARIES)
    # Each console message reached Python once (the page runner's console service).
    console_line = next(ln for ln in lines if ln.rstrip().endswith("page.console"))
    assert int(console_line.split()[0]) == 4
    assert trace.ACTIVE is None


def test_json_record_carries_crossings(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE)
    status, text = run(["run", "--engine", "v8", "--json", "--trace-crossings", str(page)])
    assert status == 0
    record = json.loads(text)
    crossings = record["crossings"]
    assert list(crossings) == list(trace.BOUNDARIES)
    js_to_py = crossings[trace.JS_TO_PY]
    assert js_to_py["count"] >= 4
    names = {t["name"]: t["count"] for t in js_to_py["top"]}
    assert names["page.console"] == 4
    assert crossings[trace.JS_TO_WASM]["count"] == 0  # V8's own wasm never reaches Python


def test_without_the_flag_no_report(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE)
    status, text = run(["run", "--engine", "v8", "--json", str(page)])
    assert status == 0 and "crossings" not in json.loads(text)


WAT = """(module (import "js" "f" (func $f (param i32) (result i32)))
  (func (export "run") (param i32) (result i32) (call $f (local.get 0))))"""


def test_our_engine_js_to_wasm_and_back(tmp_path: Path) -> None:
    data = list(wat2wasm(WAT))
    page = tmp_path / "w.html"
    page.write_text(
        "<!doctype html><script>"
        f"const bytes = new Uint8Array({data});"
        "const imports = {js: {f: function double(x) { return 2 * x; }}};"
        "const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);"
        "let s = 0; for (let i = 0; i < 5; i++) s += inst.exports.run(i);"
        "console.log(s);</script>"
    )
    status, text = run(["run", "--engine", "jsapi", "--json", "--trace-crossings", str(page)])
    assert status == 0, text
    record = json.loads(text)
    assert record["engine"] == "jsapi"
    assert [c["text"] for c in record["console"]] == ["20"]
    crossings = record["crossings"]
    served = [t["name"] for t in crossings[trace.JS_TO_PY]["top"]]
    into = crossings[trace.JS_TO_WASM]
    assert any(name.startswith("wasm.") for name in served), served
    assert into["count"] == 5
    assert into["top"][0]["name"] == 'export "run"' and into["top"][0]["count"] == 5
    out = crossings[trace.WASM_TO_JS]
    assert out["count"] == 5
    assert out["top"][0]["name"] == "double()"
    # Each export call contains its import call.
    assert into["total_ms"] >= out["total_ms"]
