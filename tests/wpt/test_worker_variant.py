"""`jsapi wpt --scope dedicatedworker`: .any.js tests as .any.worker.html, and .worker.js tests,
in a page's worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsapi.host.engines import engine_available
from tests.wpt.conftest import needs_harness, write

pytestmark = needs_harness

WORKER = "// META: global=jsshell,dedicatedworker\n"
ENGINES = ["v8"] + (["jsapi"] if engine_available("jsapi") else [])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    write(r, "lib/helper.js", "var HELPER = 'from META';\n")
    write(
        r,
        "w/scope.any.js",
        WORKER + "// META: script=/lib/helper.js\n"
        "test(() => {\n"
        "  const inWorker = typeof WorkerGlobalScope === 'function';\n"
        "  assert_equals(inWorker, typeof document === 'undefined');\n"
        "  assert_equals(HELPER, 'from META');\n"
        "}, 'scope');\n"
        "promise_test(async () => {\n"
        "  const { instance } = await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109,\n"
        "    1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 6, 1,\n"
        "    4, 0, 65, 42, 11]));\n"
        "  assert_equals(instance.exports.f(), 42);\n"
        "}, 'wasm');\n"
        "test(() => assert_throws_js(WebAssembly.CompileError,\n"
        "  () => new WebAssembly.Module(new Uint8Array([1, 2, 3]))), 'compile error class');\n",
    )
    write(
        r,
        "w/fail.any.js",
        WORKER + "test(() => assert_equals(1, 2, 'numbers'), 'differs');\n",
    )
    write(r, "w/throws.any.js", "// META: global=dedicatedworker\nthrow new Error('at load');\n")
    write(
        r,
        "w/only.worker.js",
        "importScripts('/resources/testharness.js');\n"
        "test(() => assert_equals(typeof postMessage, 'function'), 'in a worker');\n"
        "test(() => assert_equals(typeof done, 'function'), 'the harness, loaded once');\n"
        "done();\n",
    )
    return r


def test_default_run_leaves_the_worker_variant_out(root: Path, run_wpt) -> None:
    run = run_wpt(root, "--engine", "v8")
    tests = {r["test"] for r in run.report["results"] if r["status"] != "SKIP"}
    assert tests == {"/w/scope.any.js", "/w/fail.any.js"}
    assert any(line.startswith("Not run: 4 variants (4 dedicatedworker)") for line in run.lines)


@pytest.mark.parametrize("engine", ENGINES)
def test_worker_variant_runs_and_is_reported(root: Path, run_wpt, engine: str) -> None:
    run = run_wpt(root, "--engine", engine, "--scope", "jsshell", "--scope", "dedicatedworker")
    scope = run.result("/w/scope.any.worker.html")
    assert scope["status"] == "OK"
    assert [(s["name"], s["status"]) for s in scope["subtests"]] == [
        ("scope", "PASS"),
        ("wasm", "PASS"),
        ("compile error class", "PASS"),
    ]
    fail = run.result("/w/fail.any.worker.html")
    assert fail["status"] == "OK"
    assert [s["status"] for s in fail["subtests"]] == ["FAIL"]
    assert "numbers" in fail["subtests"][0]["message"]
    assert run.result("/w/throws.any.worker.html")["status"] == "ERROR"
    # A .worker.js test imports the harness and calls done() itself.
    only = run.result("/w/only.worker.html")
    assert only["status"] == "OK"
    assert [(s["name"], s["status"]) for s in only["subtests"]] == [
        ("in a worker", "PASS"),
        ("the harness, loaded once", "PASS"),
    ]
    assert "By scope: 4 dedicatedworker, 2 jsshell" in run.lines
    assert run.result("/w/scope.any.js")["status"] == "OK"


def test_worker_variant_alone(root: Path, run_wpt) -> None:
    run = run_wpt(root, "--engine", "v8", "--scope", "dedicatedworker", "w/scope.any.js")
    ran = [r["test"] for r in run.report["results"] if r["status"] != "SKIP"]
    assert ran == ["/w/scope.any.worker.html"]
    assert run.code == 0
