"""`jsapi run --trace-crossings`: the report at exit, in text and in the --json record."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

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
    status, text = run(["run", "--trace-crossings", str(page)])
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
    status, text = run(["run", "--json", "--trace-crossings", str(page)])
    assert status == 0
    record = json.loads(text)
    crossings = record["crossings"]
    assert list(crossings) == list(trace.BOUNDARIES)
    js_to_py = crossings[trace.JS_TO_PY]
    assert js_to_py["count"] >= 4
    names = {t["name"]: t["count"] for t in js_to_py["top"]}
    assert names["page.console"] == 4
    if record["engine"] == "jsapi":
        # Our namespace validates through the engine: that is a crossing into Python.
        assert js_to_py["count"] > 4


def test_without_the_flag_no_report(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE)
    status, text = run(["run", "--json", str(page)])
    assert status == 0 and "crossings" not in json.loads(text)
