"""Expected results of known failures: wptrunner's metadata format, all tests in one file.

    # a comment
    [/wasm/jsapi/limits.any.js]
      expected: OK                  # the file's status (default OK)
      [Compile types over limit]
        expected: FAIL              # the subtest's status (default PASS)
        reason: the jsshell harness additions (assert_throws) are not provided
      [Sometimes slow]
        expected: [PASS, TIMEOUT]   # the first is expected, the others are known intermittent
    [/wasm/jsapi/not-yet.any.js]
      disabled: needs a window host # the test is not run at all

A `[...]` line at the start of a line names a test id; an indented one names a subtest of the
test above it. `]` inside a name is written `\\]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jsapi.wpt.results import TestResult


class ExpectationsError(ValueError):
    pass


@dataclass
class Expected:
    status: str
    intermittent: tuple[str, ...] = ()
    reason: str | None = None


@dataclass
class TestExpectation:
    status: Expected | None = None
    disabled: str | None = None
    subtests: dict[str, Expected] = field(default_factory=dict)


_SECTION = re.compile(r"^(\s*)\[((?:[^\]\\]|\\.)*)\]\s*$")
_KEY = re.compile(r"^\s+([a-z_]+)\s*:\s*(.*?)\s*$")


def _unescape(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name)


def _escape(name: str) -> str:
    return name.replace("\\", "\\\\").replace("]", "\\]")


def _statuses(value: str) -> tuple[str, ...]:
    value = value.split("#", 1)[0].strip()
    if value.startswith("[") and value.endswith("]"):
        items = [v.strip() for v in value[1:-1].split(",")]
    else:
        items = [value]
    if not all(items):
        raise ExpectationsError(f"bad status list: {value!r}")
    return tuple(items)


def parse_expectations(text: str, source: str = "<expectations>") -> dict[str, TestExpectation]:
    tests: dict[str, TestExpectation] = {}
    test: TestExpectation | None = None
    target: Expected | None = None
    subtest: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        section = _SECTION.match(raw)
        if section is not None:
            name = _unescape(section.group(2))
            if not section.group(1):
                test = tests.setdefault(name, TestExpectation())
                subtest = None
            elif test is None:
                raise ExpectationsError(f"{where}: a subtest outside a test")
            else:
                subtest = name
            target = None
            continue
        key = _KEY.match(raw)
        if key is None or test is None:
            raise ExpectationsError(f"{where}: cannot read {raw.strip()!r}")
        name, value = key.group(1), key.group(2)
        if name == "expected":
            statuses = _statuses(value)
            target = Expected(statuses[0], statuses[1:])
            if subtest is None:
                test.status = target
            else:
                test.subtests[subtest] = target
        elif name in ("reason", "bug"):
            if target is None:
                raise ExpectationsError(f"{where}: {name} before any expected status")
            target.reason = value
        elif name == "disabled" and subtest is None:
            test.disabled = value or "disabled"
        else:
            raise ExpectationsError(f"{where}: unknown key {name!r}")
    return tests


def load_expectations(path: Path) -> dict[str, TestExpectation]:
    return parse_expectations(path.read_text(encoding="utf-8"), str(path))


def apply_expectations(results: list[TestResult], tests: dict[str, TestExpectation]) -> None:
    for result in results:
        exp = tests.get(result.test)
        if exp is None:
            continue
        if exp.status is not None:
            result.expected = exp.status.status
            result.known_intermittent = exp.status.intermittent
        for sub in result.subtests:
            want = exp.subtests.get(sub.name)
            if want is not None:
                sub.expected = want.status
                sub.known_intermittent = want.intermittent


def format_expectations(results: list[TestResult], reason: str | None = None) -> str:
    """An expectations file that makes every result of this run the expected one."""
    lines: list[str] = []
    for result in results:
        body: list[str] = []
        if result.status not in ("OK", "SKIP"):
            body.append(f"  expected: {result.status}")
        for sub in result.subtests:
            if sub.status != "PASS":
                body.append(f"  [{_escape(sub.name)}]")
                body.append(f"    expected: {sub.status}")
                if reason:
                    body.append(f"    reason: {reason}")
        if body:
            lines.append(f"[{_escape(result.test)}]")
            lines.extend(body)
    return "\n".join(lines) + ("\n" if lines else "")
