"""The runner end to end, on small fixture tests, with V8's native WebAssembly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wpt.conftest import REPO, needs_harness, write

pytestmark = needs_harness

SHELL = "// META: global=jsshell\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    write(
        r,
        "a/pass.any.js",
        SHELL + 'test(() => assert_equals(1 + 1, 2), "adds");\n'
        'promise_test(async () => { await null; }, "awaits");\n',
    )
    write(
        r,
        "a/fail.any.js",
        SHELL + 'test(() => assert_equals(1, 2, "numbers"), "differs");\ntest(() => {}, "fine");\n',
    )
    return r


def test_pass_and_fail_counts_and_last_line(root, run_wpt):
    run = run_wpt(root, "--engine", "v8", "a")
    assert run.lines[-1] == "3 passed, 1 failed"
    assert run.code == 1
    fail = run.result("/a/fail.any.js")
    assert fail["status"] == "OK"
    differs = [s for s in fail["subtests"] if s["name"] == "differs"][0]
    assert differs["status"] == "FAIL"
    assert "numbers" in differs["message"]
    assert differs["expected"] == "PASS"
    assert "Unexpected results (1):" in run.out


def test_wptreport_shape(root, run_wpt):
    run = run_wpt(root, "--engine", "v8", "a/pass.any.js")
    report = run.report
    assert set(report) == {"time_start", "time_end", "run_info", "results"}
    assert report["time_start"] <= report["time_end"]
    assert report["run_info"]["engine"] == "v8"
    entry = run.result("/a/pass.any.js")
    assert set(entry) == {"test", "subtests", "status", "message", "duration"}
    assert entry["status"] == "OK"
    assert isinstance(entry["duration"], int)
    assert [(s["name"], s["status"]) for s in entry["subtests"]] == [
        ("adds", "PASS"),
        ("awaits", "PASS"),
    ]
    assert run.code == 0
    assert run.lines[-1] == "2 passed, 0 failed"


def test_async_hang_times_out_with_subtest_statuses(tmp_path, run_wpt):
    root = tmp_path / "r"
    write(
        root,
        "t.any.js",
        SHELL + 'test(() => {}, "quick");\n'
        'promise_test(() => new Promise(() => {}), "never settles");\n'
        'promise_test(async () => {}, "queued behind");\n',
    )
    run = run_wpt(root, "--engine", "v8", "--timeout", "0.5")
    entry = run.result("/t.any.js")
    assert entry["status"] == "TIMEOUT"
    statuses = {s["name"]: s["status"] for s in entry["subtests"]}
    assert statuses == {"quick": "PASS", "never settles": "TIMEOUT", "queued behind": "NOTRUN"}
    assert run.lines[-1] == "1 passed, 3 failed"


def test_synchronous_hang_is_stopped_and_the_run_goes_on(tmp_path, run_wpt):
    root = tmp_path / "r"
    write(root, "a.any.js", SHELL + 'test(() => { while (true) {} }, "spins");\n')
    write(root, "b.any.js", SHELL + 'test(() => {}, "after");\n')
    run = run_wpt(root, "--engine", "v8", "--timeout", "0.5")
    assert run.result("/a.any.js")["status"] == "TIMEOUT"
    assert run.result("/b.any.js")["status"] == "OK"
    assert run.lines[-1] == "1 passed, 1 failed"


def test_uncaught_error_is_harness_error(tmp_path, run_wpt):
    root = tmp_path / "r"
    write(root, "e.any.js", SHELL + 'test(() => {}, "first");\nnull.boom;\n')
    write(root, "s.any.js", SHELL + "function (\n")
    run = run_wpt(root, "--engine", "v8")
    entry = run.result("/e.any.js")
    assert entry["status"] == "ERROR"
    assert "TypeError" in entry["message"]
    assert run.result("/s.any.js")["status"] == "ERROR"
    assert "SyntaxError" in run.result("/s.any.js")["message"]


def test_meta_scripts_variants_and_title(tmp_path, run_wpt):
    root = tmp_path / "r"
    write(root, "lib/helper.js", "const helperValue = 42;\n")
    write(root, "dir/near.js", "function near() { return 'near'; }\n")
    write(
        root,
        "dir/v.any.js",
        "// META: global=window,dedicatedworker,jsshell,shadowrealm\n"
        "// META: script=/lib/helper.js\n// META: script=near.js\n// META: title=Titled\n"
        "test(function () { assert_equals(helperValue, 42); });\n"
        'test(() => assert_equals(near(), "near"), "relative script");\n',
    )
    write(root, "dir/w.any.js", 'test(() => {}, "default scopes do not include jsshell");\n')
    write(root, "dir/x.window.js", 'test(() => {}, "window only");\n')
    run = run_wpt(root, "--engine", "v8")
    entry = run.result("/dir/v.any.js")
    assert [s["name"] for s in entry["subtests"]] == ["Titled", "relative script"]
    assert all(s["status"] == "PASS" for s in entry["subtests"])
    skipped = {r["test"] for r in run.report["results"] if r["status"] == "SKIP"}
    assert skipped == {
        "/dir/v.any.html",
        "/dir/v.any.worker.html",
        "/dir/v.any.shadowrealm.html",
        "/dir/w.any.html",
        "/dir/w.any.worker.html",
        "/dir/x.window.html",
    }
    assert "Not run: 6 variants" in run.out
    assert run.code == 0


def test_long_timeout_meta(tmp_path, run_wpt):
    root = tmp_path / "r"
    # With --timeout 0.3 a long test gets 6x as long, enough for a 0.6 s timer.
    write(
        root,
        "l.any.js",
        SHELL + "// META: timeout=long\n"
        'promise_test(() => new Promise((r) => setTimeout(r, 600)), "slow");\n',
    )
    run = run_wpt(root, "--engine", "v8", "--timeout", "0.3")
    assert run.result("/l.any.js")["status"] == "OK"


def test_expectations_file(root, run_wpt, tmp_path):
    expectations = tmp_path / "expected.ini"
    expectations.write_text(
        "[/a/fail.any.js]\n  [differs]\n    expected: FAIL\n    reason: known\n"
        "  [fine]\n    expected: FAIL\n"
    )
    run = run_wpt(root, "--engine", "v8", "a", "--expectations", str(expectations))
    assert run.code == 1  # "fine" passing is unexpected
    assert "Unexpected passes (1):" in run.out
    assert "Unexpected results" not in run.out
    fine = [s for s in run.result("/a/fail.any.js")["subtests"] if s["name"] == "fine"][0]
    assert fine["expected"] == "FAIL"
    differs = [s for s in run.result("/a/fail.any.js")["subtests"] if s["name"] == "differs"][0]
    assert "expected" not in differs

    expectations.write_text("[/a/fail.any.js]\n  [differs]\n    expected: FAIL\n")
    run = run_wpt(root, "--engine", "v8", "a", "--expectations", str(expectations))
    assert run.code == 0
    assert "All results were as expected." in run.out


def test_write_expectations_round_trip(root, run_wpt, tmp_path):
    out = tmp_path / "baseline.ini"
    first = run_wpt(root, "--engine", "v8", "a", "--write-expectations", str(out))
    assert first.code == 1
    second = run_wpt(root, "--engine", "v8", "a", "--expectations", str(out))
    assert second.code == 0


def test_parallel_run_matches_serial(root, run_wpt):
    serial = run_wpt(root, "--engine", "v8", "a")
    parallel = run_wpt(root, "--engine", "v8", "a", "-j", "2")
    assert parallel.lines[-1] == serial.lines[-1] == "3 passed, 1 failed"
    assert [r["test"] for r in parallel.report["results"]] == [
        r["test"] for r in serial.report["results"]
    ]


def test_default_engine_is_a_clear_error_until_installed(root, run_wpt, capsys, monkeypatch):
    from jsapi.host import engines

    monkeypatch.setattr(engines, "engine_available", lambda name: name == "v8")
    monkeypatch.setattr("jsapi.wpt.cli.engine_available", lambda name: name == "v8")
    run = run_wpt(root, "a")
    assert run.code == 2
    assert "--engine v8" in run.err


def test_project_wpt_tests_pass_on_v8(run_wpt):
    run = run_wpt(REPO / "wpt_tests", "--engine", "v8", "-j", "2")
    assert run.code == 0, run.out
    passed, failed = run.lines[-1].split(", ")
    assert failed == "0 failed"
    assert int(passed.split()[0]) >= 20


@pytest.mark.parametrize("engine", ["jsapi", "v8"])
def test_project_wpt_tests_pass_in_shell_and_worker_scopes(run_wpt, engine):
    run = run_wpt(
        REPO / "wpt_tests",
        "--engine", engine, "--scope", "jsshell", "--scope", "dedicatedworker", "-j", "2",
    )  # fmt: skip
    assert run.code == 0, run.out
    statuses = {r["test"]: r["status"] for r in run.report["results"]}
    # Every file runs in at least one scope, none is left only as a skipped window variant.
    assert statuses["/webassembly/streaming.any.worker.html"] == "OK"
    assert statuses["/webassembly/engine.any.js"] == "OK"
    assert all(s in ("OK", "SKIP") for s in statuses.values()), statuses
    assert run.lines[-1].endswith(", 0 failed")
