"""Running one jsshell-scope test in a fresh realm, in this process.

The scripts run in the order wptserve's generated wrappers load them: the shell prelude,
/resources/testharness.js, the runner's testharnessreport.js, the META scripts, the test.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsapi.host import Realm
from jsapi.host.clock import Deadline
from jsapi.host.realm import load_js
from jsapi.wpt.discovery import RootError, TestJob, WptRoot
from jsapi.wpt.results import HARNESS_STATUS, SUBTEST_STATUS, SubtestResult, TestResult

NORMAL_TIMEOUT = 10.0
LONG_TIMEOUT = 60.0
# After the deadline the harness's timeout() needs a moment to report.
GRACE = 2.0


def hard_limit(timeout: float) -> float:
    """Seconds after which a test that never yields to the event loop is abandoned.

    The harness's timeout is a timer, so (as in a browser) it cannot fire while a script runs
    synchronously; a slow synchronous test may overrun its timeout and still complete. Only a
    test still running at twice its timeout is cut off.
    """
    return 2 * timeout + GRACE + 5.0


def job_timeout(job: TestJob, multiplier: float = 1.0) -> float:
    return (LONG_TIMEOUT if job.long_timeout else NORMAL_TIMEOUT) * multiplier


def default_title(url: str) -> str:
    # What testharness.js derives from location.pathname in a browser: the name up to its first dot.
    name = url.rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def run_job(job: TestJob, root: WptRoot, *, engine: str, timeout: float) -> tuple[TestResult, bool]:
    """Runs the job; the flag is False when V8 never answered and the process must not be reused."""
    # Counted on the jump-proof clock: a leap of the machine's clock must not eat the timeout.
    limit = Deadline(timeout)
    if job.scope == "dedicatedworker":
        result = _run_in_worker(job, root, engine, timeout)
        result.duration_ms = int(limit.elapsed() * 1000)
        return result, True
    realm = Realm(engine)
    result, healthy = _run_in(realm, job, root, timeout, limit)
    result.duration_ms = int(limit.elapsed() * 1000)
    if healthy:
        realm.close()
    return result, healthy


def _run_in(
    realm: Realm, job: TestJob, root: WptRoot, timeout: float, limit: Deadline
) -> tuple[TestResult, bool]:
    title = job.title if job.title is not None else default_title(job.url)
    realm.eval(
        f"globalThis.__wptScope = {json.dumps(job.scope)};var META_TITLE = {json.dumps(title)};"
    )
    realm.run_script(load_js("shell_prelude.js", "jsapi.wpt"), "jsapi:wpt/shell_prelude.js")
    try:
        harness = root.resolve("/resources/testharness.js")
    except RootError as e:
        return TestResult(job.test_id, "ERROR", str(e)), True
    failed = realm.run_script(_read(harness), "/resources/testharness.js")
    realm.eval("__wptLoad.harnessEvaluated()")
    if failed is not None:
        return TestResult(job.test_id, "ERROR", f"testharness.js: {failed.message}"), True
    realm.run_script(
        load_js("testharnessreport.js", "jsapi.wpt"), "/resources/testharnessreport.js"
    )
    for url in job.scripts:
        try:
            source = _read(root.resolve(url))
        except RootError:
            # A script that fails to load is an error event at the global, as in a page.
            source = f"throw new Error({json.dumps(f'failed to load script {url}')});"
        realm.run_script(source, url)
    realm.run_script(_read(Path(job.path)), job.url)
    realm.eval("__wptLoad.allLoaded()")

    # The timeout runs from the start of the test, as the harness's timer does in a page.
    outcome = realm.run_loop(
        limit.left(),
        on_deadline="() => __wptReport.onDeadline()",
        grace=GRACE,
        backstop=max(hard_limit(timeout) - timeout - GRACE, 1.0),
    )
    if outcome.reason == "hung":
        return TestResult(
            job.test_id,
            "TIMEOUT",
            f"the test did not return to the event loop within {timeout:g} s",
        ), False
    report = json.loads(str(realm.eval("__wptReport.json()")))
    console = [(m.level, m.text) for m in realm.drain_console()]
    subtests = [
        SubtestResult(s["name"], SUBTEST_STATUS[s["status"]], s["message"])
        for s in report["subtests"]
    ]
    harness_state = report["harness"]
    if harness_state is None:
        status = "TIMEOUT" if outcome.reason == "deadline" else "ERROR"
        message = "the harness did not complete"
    else:
        status = HARNESS_STATUS[harness_state["status"]]
        message = harness_state["message"]
    return TestResult(job.test_id, status, message, subtests=subtests, console=console), True


def _run_in_worker(job: TestJob, root: WptRoot, engine: str, timeout: float) -> TestResult:
    """The `.any.worker.html` variant: the test runs in a dedicated worker of a page."""
    from jsapi.workers.wpt import run_in_worker

    try:
        harness = root.resolve("/resources/testharness.js")
    except RootError as e:
        return TestResult(job.test_id, "ERROR", str(e))
    outcome = run_in_worker(
        Path(job.path),
        root=root.path,
        harness=harness,
        scripts=job.scripts,
        engine=engine,
        timeout=timeout + GRACE,
        url=job.url,
    )
    console = [("log", text) for text in outcome.console if not text.startswith("__jsapi_wpt")]
    subtests = [
        SubtestResult(s["name"], SUBTEST_STATUS[s["status"]], s["message"])
        for s in outcome.subtests
    ]
    if outcome.harness_status is None:
        status = "ERROR" if outcome.error != "the worker did not report" else "TIMEOUT"
        return TestResult(job.test_id, status, outcome.error, subtests=subtests, console=console)
    return TestResult(
        job.test_id,
        HARNESS_STATUS[outcome.harness_status],
        outcome.harness_message,
        subtests=subtests,
        console=console,
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
