"""The dedicatedworker variant of .any.js tests: testharness.js runs inside a worker."""

from pathlib import Path

import pytest

from jsapi.workers.wpt import run_in_worker
from jsapi.wpt.discovery import find_bundled_harness

HARNESS = find_bundled_harness()
pytestmark = pytest.mark.skipif(HARNESS is None, reason="testharness.js is not installed")

TEST = """// META: global=window,dedicatedworker
test(() => {
  assert_true(self instanceof WorkerGlobalScope, "in a worker");
  assert_equals(typeof document, "undefined");
}, "runs in a worker");
test(() => { assert_equals(helper(), 42); }, "META scripts are imported");
test(() => { assert_equals(1, 2); }, "a failing subtest");
promise_test(async () => {
  const m = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  assert_true(m instanceof WebAssembly.Module);
}, "async subtest with WebAssembly");
"""


@pytest.mark.parametrize("mode", ["shared", "isolated"])
def test_any_js_runs_inside_a_worker(tmp_path: Path, mode: str) -> None:
    assert HARNESS is not None
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "helper.js").write_text("function helper() { return 42; }\n")
    test = tmp_path / "sample.any.js"
    test.write_text(TEST)
    result = run_in_worker(
        test,
        root=tmp_path,
        harness=HARNESS / "testharness.js",
        scripts=("/common/helper.js",),
        mode=mode,
    )
    assert result.error is None, result.console
    assert result.harness_status == 0
    statuses = {t["name"]: t["status"] for t in result.subtests}
    assert statuses == {
        "runs in a worker": 0 if mode == "shared" else 1,
        "META scripts are imported": 0,
        "a failing subtest": 1,
        "async subtest with WebAssembly": 0,
    }
