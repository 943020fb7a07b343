"""Pages with workers (`jsapi run --workers`, `Page.open(workers=)`), on our engine and V8's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jsapi.page import Page
from jsapi.page.page import default_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ENGINES = sorted({default_engine(), "v8"})
SUM = "sum of squares 1..16000 = 1365461336000 (expected 1365461336000) ok"


def jsapi_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jsapi", "run", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize("mode", ["shared", "isolated"])
def test_worker_examples_from_the_command_line(mode: str) -> None:
    out = jsapi_run(str(EXAMPLES / "workers" / f"{mode}.js"), "--workers", mode, "--seed", "1")
    assert out.returncode == 0, out.stderr
    assert SUM in out.stdout.splitlines()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["shared", "isolated"])
def test_worker_examples_through_page(mode: str, engine: str) -> None:
    path = EXAMPLES / "workers" / f"{mode}.js"
    with Page.open(path, engine=engine, timeout=120, workers=mode, seed=2) as page:
        result = page.run()
        assert page.workers is not None and page.workers.mode == mode
    assert result.status == 0, result.errors
    assert result.reason == "idle"
    texts = [m.text for m in result.console]
    assert SUM in texts
    if mode == "shared":
        assert "barrier passes: 1" in texts
    else:
        assert "crossOriginIsolated: false" in texts


def test_without_workers_there_is_no_worker(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text("console.log(typeof Worker, typeof MessageChannel);")
    with Page.open(tmp_path / "p.js", engine="v8") as page:
        result = page.run()
    assert page.workers is None
    assert [m.text for m in result.console] == ["undefined undefined"]


def test_same_seed_same_interleaving(tmp_path: Path) -> None:
    (tmp_path / "w.js").write_text("onmessage = (e) => postMessage(self.name + ':' + e.data);")
    (tmp_path / "p.js").write_text(
        "for (const n of ['a', 'b', 'c']) {\n"
        "  const w = new Worker('w.js', { name: n });\n"
        "  w.onmessage = (e) => console.log(e.data);\n"
        "  for (let i = 0; i < 3; i++) w.postMessage(i);\n"
        "}\n"
    )

    def order(seed: int) -> list[str]:
        with Page.open(tmp_path / "p.js", engine="v8", workers="shared", seed=seed) as page:
            result = page.run()
        assert result.status == 0, result.errors
        return [m.text for m in result.console]

    first = order(5)
    assert sorted(first) == sorted(f"{n}:{i}" for n in "abc" for i in range(3))
    assert order(5) == first


DEADLOCK_PAGE = (
    "const sab = new SharedArrayBuffer(8);\n"
    "const w = new Worker('w.js', { name: 'stuck' });\n"
    "w.postMessage(sab);\n"
)
DEADLOCK_WORKER = "onmessage = (e) => { Atomics.wait(new Int32Array(e.data), 0, 0); };\n"


def test_deadlock_fails_the_page(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text(DEADLOCK_PAGE)
    (tmp_path / "w.js").write_text(DEADLOCK_WORKER)
    with Page.open(tmp_path / "p.js", engine="v8", workers="shared", timeout=20) as page:
        result = page.run()
    assert result.status == 1
    assert result.reason == "deadlock"
    kinds = [e.kind for e in result.errors]
    assert kinds == ["deadlock"]
    report = result.errors[0].text
    assert report.startswith("deadlock: no agent can make progress")
    assert 'worker 1 "stuck"' in report and "Atomics.wait(Int32Array, 0, 0)" in report


def test_deadlock_exit_status_and_report_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text(DEADLOCK_PAGE)
    (tmp_path / "w.js").write_text(DEADLOCK_WORKER)
    out = jsapi_run(str(tmp_path / "p.js"), "--workers", "shared", "--timeout", "20")
    assert out.returncode == 1
    assert "deadlock: no agent can make progress" in out.stderr
    assert "(innermost)" in out.stderr


def test_unknown_workers_mode_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.js").write_text("")
    with pytest.raises(ValueError, match="unknown workers mode"):
        Page.open(tmp_path / "p.js", engine="v8", workers="threads")


@pytest.mark.skipif(default_engine() != "jsapi", reason="no jsapi.webassembly")
def test_compile_failure_on_our_engine_gets_a_hint(tmp_path: Path) -> None:
    (tmp_path / "bad.js").write_text(
        "WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99])).then(() => {});\n"
    )
    out = jsapi_run(str(tmp_path / "bad.js"))
    assert out.returncode == 1
    assert "Uncaught (in promise) CompileError" in out.stderr
    assert "compare with --engine v8" in out.stderr
