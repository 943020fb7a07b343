"""Results of test files and subtests, in wptrunner's vocabulary, and the wptreport JSON."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

# testharness.js's numeric statuses (Test.statuses, TestsStatus.statuses).
SUBTEST_STATUS = ("PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED")
HARNESS_STATUS = ("OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED")


@dataclass
class SubtestResult:
    name: str
    status: str
    message: str | None = None
    expected: str | None = None
    known_intermittent: tuple[str, ...] = ()

    @property
    def unexpected(self) -> bool:
        wanted = self.expected or "PASS"
        return self.status != wanted and self.status not in self.known_intermittent


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class

    test: str
    status: str
    message: str | None = None
    duration_ms: int = 0
    subtests: list[SubtestResult] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    expected: str | None = None
    known_intermittent: tuple[str, ...] = ()

    @property
    def unexpected(self) -> bool:
        if self.status == "SKIP":
            return False
        wanted = self.expected or "OK"
        return self.status != wanted and self.status not in self.known_intermittent

    def to_json(self) -> dict[str, object]:
        return {
            "test": self.test,
            "status": self.status,
            "message": self.message,
            "duration_ms": self.duration_ms,
            "subtests": [
                {"name": s.name, "status": s.status, "message": s.message} for s in self.subtests
            ],
            "console": [list(c) for c in self.console],
        }

    @staticmethod
    def from_json(data: dict[str, object]) -> TestResult:
        subtests = [
            SubtestResult(str(s["name"]), str(s["status"]), s.get("message"))  # type: ignore[arg-type]
            for s in data.get("subtests", [])  # type: ignore[union-attr]
        ]
        console = [(str(c[0]), str(c[1])) for c in data.get("console", [])]  # type: ignore[union-attr]
        return TestResult(
            test=str(data["test"]),
            status=str(data["status"]),
            message=None if data.get("message") is None else str(data["message"]),
            duration_ms=int(data.get("duration_ms", 0)),  # type: ignore[call-overload]
            subtests=subtests,
            console=console,
        )


def _with_expectation(
    entry: dict[str, object], expected: str | None, default: str, intermittent: tuple[str, ...]
) -> dict[str, object]:
    # wptrunner writes "expected" only when it differs from the status it got.
    if expected is not None and expected != entry["status"]:
        entry["expected"] = expected
    elif expected is None and entry["status"] != default:
        entry["expected"] = default
    if intermittent:
        entry["known_intermittent"] = list(intermittent)
    return entry


def wptreport(
    results: list[TestResult],
    run_info: dict[str, object],
    time_start: int,
    time_end: int,
) -> dict[str, object]:
    """wptrunner's --log-wptreport format."""
    out: list[dict[str, object]] = []
    for r in results:
        subtests = [
            _with_expectation(
                {"name": s.name, "status": s.status, "message": s.message},
                s.expected,
                "PASS",
                s.known_intermittent,
            )
            for s in r.subtests
        ]
        entry: dict[str, object] = {
            "test": r.test,
            "subtests": subtests,
            "status": r.status,
            "message": r.message,
            "duration": r.duration_ms,
        }
        default = "SKIP" if r.status == "SKIP" else "OK"
        out.append(_with_expectation(entry, r.expected, default, r.known_intermittent))
    return {"time_start": time_start, "time_end": time_end, "run_info": run_info, "results": out}


def default_run_info(engine: str, v8_version: str | None) -> dict[str, object]:
    return {
        "product": "jsapi",
        "engine": engine,
        "browser_version": v8_version,
        "os": platform.system().lower(),
        "processor": platform.machine(),
        "python_version": platform.python_version(),
        "debug": False,
    }


def write_wptreport(path: Path, report: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
