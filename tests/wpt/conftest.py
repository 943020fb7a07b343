from __future__ import annotations

import json
from pathlib import Path

import pytest

from jsapi.cli import main
from jsapi.wpt.discovery import find_bundled_harness

REPO = Path(__file__).resolve().parents[2]

needs_harness = pytest.mark.skipif(
    find_bundled_harness() is None, reason="node_modules/wpt-runner is not installed (npm ci)"
)


class Run:
    def __init__(self, code: int, out: str, err: str, report: dict | None) -> None:
        self.code = code
        self.err = err
        self.out = out
        self.report = report
        self.lines = out.rstrip("\n").splitlines()

    def result(self, test: str) -> dict:
        assert self.report is not None
        (entry,) = [r for r in self.report["results"] if r["test"] == test]
        return entry


@pytest.fixture
def run_wpt(tmp_path, capsys):
    def run(root: Path, *args: str) -> Run:
        report = tmp_path / "report.json"
        code = main(["wpt", "--wpt-root", str(root), "--log-wptreport", str(report), *args])
        captured = capsys.readouterr()
        data = json.loads(report.read_text()) if report.exists() else None
        return Run(code, captured.out, captured.err, data)

    return run


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
