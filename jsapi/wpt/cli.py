"""`jsapi wpt`: run testharness.js tests and report like wptrunner."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from jsapi.host.engines import DEFAULT_ENGINE, ENGINES, engine_available
from jsapi.wpt.discovery import (
    HOSTED_SCOPES,
    RootError,
    TestJob,
    WptRoot,
    discover,
    find_bundled_harness,
)
from jsapi.wpt.expectations import (
    ExpectationsError,
    TestExpectation,
    apply_expectations,
    format_expectations,
    load_expectations,
)
from jsapi.wpt.results import TestResult, default_run_info, wptreport, write_wptreport
from jsapi.wpt.scheduler import RunConfig, run_jobs

HELP = "run web-platform-tests (testharness.js .any.js tests) against a WebAssembly engine"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="tests or folders, root-relative")
    parser.add_argument(
        "--wpt-root",
        type=Path,
        default=Path("."),
        help="the directory URL paths resolve against (default: the current directory); "
        "/resources/testharness.js falls back to node_modules/wpt-runner/testharness",
    )
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    parser.add_argument(
        "--scope",
        action="append",
        choices=HOSTED_SCOPES,
        default=None,
        help="the variants to run (repeatable; default jsshell): dedicatedworker runs each "
        ".any.js test in a worker, as .any.worker.html",
    )
    parser.add_argument("-j", "--processes", type=int, default=1, metavar="N")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="per-test timeout in seconds (default 10, or 60 for META: timeout=long)",
    )
    parser.add_argument("--timeout-multiplier", type=float, default=1.0, metavar="X")
    parser.add_argument("--log-wptreport", type=Path, metavar="FILE")
    parser.add_argument("--expectations", type=Path, metavar="FILE")
    parser.add_argument(
        "--write-expectations",
        type=Path,
        metavar="FILE",
        help="write an expectations file that makes this run's results the expected ones",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print every subtest")
    parser.add_argument("--console", action="store_true", help="print captured console output")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not engine_available(args.engine):
        print(
            f"jsapi wpt: the {args.engine!r} engine is not available yet: its WebAssembly "
            "namespace (jsapi.webassembly.install_webassembly) does not exist; "
            "use --engine v8 to run V8's native WebAssembly",
            file=sys.stderr,
        )
        return 2
    root = WptRoot(args.wpt_root, None)
    expectations: dict[str, TestExpectation] = {}
    try:
        if args.expectations is not None:
            expectations = load_expectations(args.expectations)
        jobs = discover(root, list(args.paths))
    except (RootError, ExpectationsError, OSError) as e:
        print(f"jsapi wpt: {e}", file=sys.stderr)
        return 2
    if find_bundled_harness() is None and not (root.path / "resources/testharness.js").is_file():
        print("jsapi wpt: no testharness.js (run `npm ci` for wpt-runner)", file=sys.stderr)
        return 2

    scopes = tuple(args.scope or ("jsshell",))
    runnable = [j for j in jobs if j.runnable_in(scopes) and not _disabled(j, expectations)]
    skipped = [j for j in jobs if j not in runnable]
    multiplier = args.timeout_multiplier
    if args.timeout is not None:
        # --timeout replaces the normal timeout; long tests keep their 6x ratio.
        multiplier *= args.timeout / 10.0
    config = RunConfig(root=root, engine=args.engine, timeout_multiplier=multiplier)

    time_start = int(time.time() * 1000)
    done = 0

    def progress(result: TestResult) -> None:
        nonlocal done
        done += 1
        passed = sum(s.status == "PASS" for s in result.subtests)
        note = f" {result.message}" if result.status != "OK" and result.message else ""
        print(
            f"[{done}/{len(runnable)}] {result.status:7} {result.test} "
            f"{passed}/{len(result.subtests)} ({result.duration_ms} ms){note[:200]}",
            file=out,
            flush=True,
        )
        for sub in result.subtests:
            if args.verbose or sub.status != "PASS":
                message = f": {sub.message}" if sub.message else ""
                print(f"    {sub.status:7} {sub.name}{message[:300]}", file=out)
        if args.console:
            for level, text in result.console:
                print(f"    console.{level}: {text}", file=out)

    results = run_jobs(runnable, config, args.processes, progress)
    time_end = int(time.time() * 1000)
    results.extend(_skip_result(j, expectations) for j in skipped)
    apply_expectations(results, expectations)

    if args.log_wptreport is not None:
        run_info = default_run_info(args.engine, _v8_version())
        write_wptreport(args.log_wptreport, wptreport(results, run_info, time_start, time_end))
    if args.write_expectations is not None:
        args.write_expectations.write_text(format_expectations(results), encoding="utf-8")
    return _summary(results, skipped, out, Counter(j.scope for j in runnable))


def _disabled(job: TestJob, expectations: dict[str, TestExpectation]) -> bool:
    exp = expectations.get(job.test_id)
    return exp is not None and exp.disabled is not None


def _skip_result(job: TestJob, expectations: dict[str, TestExpectation]) -> TestResult:
    exp = expectations.get(job.test_id)
    if exp is not None and exp.disabled is not None:
        return TestResult(job.test_id, "SKIP", f"disabled: {exp.disabled}")
    return TestResult(job.test_id, "SKIP", f"no {job.scope} host yet")


def _v8_version() -> str | None:
    try:
        from py_mini_racer import MiniRacer

        with MiniRacer() as mr:
            return str(mr.v8_version)
    except Exception:  # noqa: BLE001 - the version is informative only
        return None


def _summary(
    results: list[TestResult],
    skipped: list[TestJob],
    out: TextIO,
    by_scope: Counter[str] | None = None,
) -> int:
    ran = [r for r in results if r.status != "SKIP"]
    statuses = Counter(r.status for r in ran)
    passed = sum(s.status == "PASS" for r in ran for s in r.subtests)
    failed = sum(s.status != "PASS" for r in ran for s in r.subtests)
    # A file that ends in ERROR, TIMEOUT or CRASH is one more failure beyond its subtests.
    failed += sum(r.status not in ("OK",) for r in ran)

    unexpected: list[str] = []
    unexpected_passes: list[str] = []
    for r in ran:
        if r.unexpected:
            target = unexpected_passes if r.status == "OK" else unexpected
            target.append(f"{r.status} {r.test} (expected {r.expected or 'OK'})")
        for s in r.subtests:
            if s.unexpected:
                target = unexpected_passes if s.status == "PASS" else unexpected
                target.append(f"{s.status} {r.test} | {s.name} (expected {s.expected or 'PASS'})")

    print("", file=out)
    print(
        f"Ran {len(ran)} tests: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
        file=out,
    )
    if by_scope is not None and len(by_scope) > 1:
        print("By scope: " + ", ".join(f"{n} {s}" for s, n in sorted(by_scope.items())), file=out)
    if skipped:
        scopes = Counter(j.scope for j in skipped)
        parts = ", ".join(f"{n} {s}" for s, n in sorted(scopes.items()))
        print(
            f"Not run: {len(skipped)} variants ({parts}); hosts exist for "
            f"{' and '.join(HOSTED_SCOPES)} (--scope), not yet for window or shadowrealm",
            file=out,
        )
    if unexpected:
        print(f"Unexpected results ({len(unexpected)}):", file=out)
        for line in unexpected:
            print(f"  {line}", file=out)
    if unexpected_passes:
        print(f"Unexpected passes ({len(unexpected_passes)}):", file=out)
        for line in unexpected_passes:
            print(f"  {line}", file=out)
    if not unexpected and not unexpected_passes:
        print("All results were as expected.", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return 0 if not unexpected and not unexpected_passes else 1
