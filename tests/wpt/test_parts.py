"""META parsing, script resolution, expectations files and crash handling."""

from __future__ import annotations

import pytest

from jsapi.wpt.discovery import TestJob, WptRoot, resolve_script
from jsapi.wpt.expectations import ExpectationsError, format_expectations, parse_expectations
from jsapi.wpt.meta import expand_scopes, parse_meta, variant_url
from jsapi.wpt.results import SubtestResult, TestResult
from jsapi.wpt.scheduler import RunConfig, _run_one, _Worker


def test_meta_block_stops_at_first_other_line():
    meta = parse_meta(
        "// META: global=window,jsshell\n// META: script=a.js\n// META: timeout=long\n"
        "\n// META: title=T\ncode();\n// META: script=ignored.js\n"
    )
    assert meta.scopes == ("window", "jsshell")
    assert meta.scripts == ("a.js",)
    assert meta.long_timeout and meta.title == "T"


def test_scope_groups_and_exclusions():
    assert expand_scopes([]) == ("window", "dedicatedworker")
    assert expand_scopes(["worker", "!sharedworker"]) == ("dedicatedworker", "serviceworker")
    assert expand_scopes(["default", "jsshell"]) == ("window", "dedicatedworker", "jsshell")
    assert variant_url("/a/b.any.js", "dedicatedworker") == "/a/b.any.worker.html"
    assert variant_url("/a/b.any.js", "jsshell") == "/a/b.any.js"


def test_script_urls_resolve_like_a_browser():
    assert resolve_script("/a/b/t.any.js", "h.js") == "/a/b/h.js"
    assert resolve_script("/a/b/t.any.js", "../c/h.js") == "/a/c/h.js"
    assert resolve_script("/a/b/t.any.js", "/r/h.js") == "/r/h.js"


def test_expectations_parse_and_format():
    tests = parse_expectations(
        "# comment\n[/t.any.js]\n  expected: ERROR\n  [a \\] b]\n    expected: [FAIL, PASS]\n"
        "    reason: flaky\n[/off.any.js]\n  disabled: no host\n"
    )
    t = tests["/t.any.js"]
    assert t.status.status == "ERROR"
    sub = t.subtests["a ] b"]
    assert (sub.status, sub.intermittent, sub.reason) == ("FAIL", ("PASS",), "flaky")
    assert tests["/off.any.js"].disabled == "no host"
    with pytest.raises(ExpectationsError):
        parse_expectations("  expected: FAIL\n")
    with pytest.raises(ExpectationsError):
        parse_expectations("[/t]\n  colour: red\n")
    result = TestResult("/t", "TIMEOUT", subtests=[SubtestResult("x]", "FAIL")])
    again = parse_expectations(format_expectations([result]))
    assert again["/t"].status.status == "TIMEOUT"
    assert again["/t"].subtests["x]"].status == "FAIL"


def test_a_dead_worker_gives_crash(tmp_path):
    test = tmp_path / "t.any.js"
    test.write_text("// META: global=jsshell\n")
    job = TestJob("/t.any.js", "/t.any.js", str(test), "jsshell", (), False, None)
    worker = _Worker()
    worker.proc.kill()
    worker.proc.wait()
    result, healthy = _run_one(worker, job, RunConfig(WptRoot(tmp_path), "v8"))
    worker.close()
    assert result.status == "CRASH" and not healthy
    assert "exited with status" in result.message
