"""`jsapi bench --quick`: the report's shape (never a time), JSON and HTML files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jsapi.bench.cases import AGENT_ROWS, cases
from jsapi.bench.pybench import engine_case_ids
from jsapi.bench.report import ENGINES
from jsapi.cli import main

MEASURED_KEYS = {"median_ns", "q1_ns", "q3_ns", "iqr_ns", "samples", "ops_per_sample"}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, str]:
    out = tmp_path_factory.mktemp("bench")
    json_file, html_file = out / "bench.json", out / "bench.html"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = main(["bench", "--quick", "--json", str(json_file), "--html", str(html_file)])
    assert status == 0
    return json.loads(json_file.read_text()), html_file.read_text(), buf.getvalue()


def cell_kind(cell: dict[str, Any]) -> str:
    if "na" in cell:
        return "na"
    if "error" in cell:
        return "error"
    assert MEASURED_KEYS <= cell.keys(), cell
    assert cell["q1_ns"] <= cell["median_ns"] <= cell["q3_ns"]
    assert cell["samples"] >= 3 and cell["ops_per_sample"] >= 1
    return "measured"


def test_every_crossing_has_a_row(quick_run: tuple[dict[str, Any], str, str]) -> None:
    report, _, _ = quick_run
    ids = [r["id"] for r in report["rows"]]
    expected = [c.id for c in cases(quick=True)] + [r[0] for r in AGENT_ROWS]
    assert ids == expected
    for needed in (
        "call/0",
        "call/i64/1",
        "call/externref/4",
        "loop/call",
        "loop/indirect",
        "loop/import",
        "bridge/raw",
        "memory/read",
        "memory/write",
        "memory/grow",
        "table/get",
        "table/set",
        "global/get",
        "global/set",
        "compile",
        "instantiate",
        "clone/1m",
        "agents/post-shared",
        "agents/pingpong",
    ):
        assert needed in ids


def test_cells_are_measured_or_explained(quick_run: tuple[dict[str, Any], str, str]) -> None:
    report, _, _ = quick_run
    jsapi_ready = report["meta"]["engines"]["jsapi"] == "installed"
    for row in report["rows"]:
        assert set(row["results"]) <= set(ENGINES)
        kinds = {e: cell_kind(c) for e, c in row["results"].items()}
        for engine, kind in kinds.items():
            if kind == "na":
                assert row["results"][engine]["na"], row
        if row["id"].startswith(("call/", "loop/", "memory/", "table/", "global/")):
            # V8's own WebAssembly is always there: its column is a number.
            assert kinds["v8"] == "measured", row
            if row["id"] in engine_case_ids():
                assert kinds["engine.api"] == "measured", row
            if not jsapi_ready:
                assert kinds["jsapi"] == "na", row
        if row["id"].startswith("bridge/"):
            assert kinds["jsapi"] == "measured" and kinds["v8"] == "na"
        if row["ratio_to_v8"] is not None:
            assert kinds["jsapi"] == kinds["v8"] == "measured"


def test_reference_figures(quick_run: tuple[dict[str, Any], str, str]) -> None:
    report, _, _ = quick_run
    refs = {r["id"]: r["reference"] for r in report["rows"]}
    assert refs["call/0"] == "0.4-2 us"
    assert refs["loop/call"] == "1-2 ns"
    assert refs["loop/import"] == "0.4-2 us"
    assert refs["agents/post-shared"] == "100-1000 us"
    assert refs["atomics/shared"] == "~0"


def test_meta_names_the_machine(quick_run: tuple[dict[str, Any], str, str]) -> None:
    report, _, _ = quick_run
    meta = report["meta"]
    assert meta["quick"] is True
    assert meta["command"].startswith("jsapi bench")
    machine = meta["machine"]
    assert machine["nproc"] >= 1 and machine["cpu"] and machine["python"].count(".") == 2
    assert machine["v8"].split(".")[0].isdigit()


def test_html_and_console_table(quick_run: tuple[dict[str, Any], str, str]) -> None:
    report, page, console = quick_run
    groups = {r["group"] for r in report["rows"]}
    assert page.startswith("<!doctype html>") and page.count("<svg") == len(groups)
    assert "ours/V8" in console and "reference" in console
    assert "wasm -> wasm call_indirect" in console


def test_only_filters_rows(tmp_path: Path) -> None:
    out = tmp_path / "one.json"
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["bench", "--quick", "--only", "^global/get$", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert [r["id"] for r in report["rows"]] == ["global/get"]
