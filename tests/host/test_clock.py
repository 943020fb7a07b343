"""Time limits under a leaping clock: a jump of the machine's clock must not end a wait early,
and a wait that really runs out still ends."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jsapi.host import Realm, clock
from jsapi.host.clock import MAX_STEP, Deadline, SteadyClock, steady
from jsapi.page import Page
from jsapi.page import page as page_module
from jsapi.workers.isolated import IsolatedHub
from jsapi.wpt.scheduler import _Worker

JUMP = 600.0


class LeapingSource:
    """The real monotonic clock plus an offset that a test raises to simulate a jump."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def leap(self, seconds: float = JUMP) -> None:
        self.offset += seconds

    def leap_later(self, delay: float, seconds: float = JUMP) -> threading.Timer:
        timer = threading.Timer(delay, self.leap, (seconds,))
        timer.start()
        return timer


@pytest.fixture
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[LeapingSource]:
    fake = LeapingSource()
    steady()  # the ticker runs before the clock is replaced
    monkeypatch.setattr(clock, "source", fake)
    yield fake


def test_steady_clock_caps_each_step(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = iter([100.0, 100.25, 100.25 + JUMP, 100.5 + JUMP, 50.0, 50.1])
    monkeypatch.setattr(clock, "source", lambda: next(readings))
    c = SteadyClock(max_step=0.5)
    assert c.now() == pytest.approx(0.25)
    assert c.now() == pytest.approx(0.75)  # the jump counts as one capped step
    assert c.now() == pytest.approx(1.0)
    assert c.now() == pytest.approx(1.0)  # backwards: nothing
    assert c.now() == pytest.approx(1.1)


def test_steady_counts_real_waiting() -> None:
    start, real = steady(), time.monotonic()
    time.sleep(0.3)
    assert steady() - start == pytest.approx(time.monotonic() - real, abs=0.05)


def test_a_jump_does_not_expire_a_deadline(source: LeapingSource) -> None:
    limit = Deadline(1.2)
    source.leap()
    assert not limit.expired()
    assert limit.left() >= 1.2 - MAX_STEP - 0.05
    began = time.monotonic()
    while not limit.expired():
        time.sleep(limit.step())
    # The real wait made up what the jump did not count: the limit ends after real time.
    assert time.monotonic() - began >= 1.2 - MAX_STEP - 0.05


def test_deadline_without_limit_never_expires(source: LeapingSource) -> None:
    limit = Deadline(None)
    source.leap()
    assert not limit.expired() and limit.left() == float("inf")
    assert limit.step() == MAX_STEP


# ---- the WPT runner's wait for a worker's answer -------------------------------------------


def _child(code: str) -> _Worker:
    worker = _Worker.__new__(_Worker)
    worker.stderr = subprocess.DEVNULL  # type: ignore[assignment]
    worker.proc = subprocess.Popen(
        [sys.executable, "-c", f"import sys, time\nsys.stdin.readline()\n{code}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    worker.buffer = b""
    worker.jobs_done = 0
    return worker


def _finish(worker: _Worker) -> None:
    worker.proc.kill()
    worker.proc.wait()
    for stream in (worker.proc.stdin, worker.proc.stdout):
        assert stream is not None
        stream.close()


def test_scheduler_answer_survives_a_jump(source: LeapingSource) -> None:
    worker = _child("time.sleep(0.6)\nprint('{}', flush=True)")
    try:
        source.leap_later(0.1)
        assert worker.ask({}, Deadline(1.5)) == b"{}"
    finally:
        _finish(worker)


def test_scheduler_still_times_out(source: LeapingSource) -> None:
    worker = _child("time.sleep(30)")
    try:
        began = time.monotonic()
        assert worker.ask({}, Deadline(0.4)) == "timeout"
        assert 0.35 <= time.monotonic() - began < 1.5
    finally:
        _finish(worker)


# ---- the event loop's backstop --------------------------------------------------------------

BUSY = "const t = Date.now(); while (Date.now() - t < {ms});"


def test_run_loop_is_not_hung_by_a_jump(source: LeapingSource) -> None:
    with Realm("v8") as realm:
        realm.eval(f"setTimeout(() => {{ {BUSY.format(ms=400)} __jsapiHost.loop.stop(); }}, 50)")
        source.leap_later(0.1)
        outcome = realm.run_loop(0.1, grace=0.0, backstop=0.9)
        assert outcome.reason in ("stopped", "deadline")
        assert outcome.seconds < 1.5


def test_run_loop_deadline_survives_a_jump(source: LeapingSource) -> None:
    with Realm("v8") as realm:
        realm.eval("setTimeout(() => __jsapiHost.loop.stop('done'), 400)")
        source.leap_later(0.1)
        outcome = realm.run_loop(1.0, on_deadline="() => __jsapiHost.loop.stop('late')")
        assert outcome.reason == "done"


def test_run_loop_deadline_still_fires() -> None:
    with Realm("v8") as realm:
        realm.eval("setInterval(() => {}, 10)")
        began = time.monotonic()
        outcome = realm.run_loop(0.3, on_deadline="() => __jsapiHost.loop.stop('called')")
        assert outcome.reason == "called"
        assert 0.28 <= time.monotonic() - began < 0.8
        assert realm.run_loop(0.1).reason == "deadline"


def test_run_loop_backstop_still_fires() -> None:
    realm = Realm("v8")
    realm.eval(f"setTimeout(() => {{ {BUSY.format(ms=1000)} }}, 20)")
    began = time.monotonic()
    outcome = realm.run_loop(0.3, grace=0.1, backstop=0.2)
    assert outcome.reason == "hung"
    assert 0.45 <= time.monotonic() - began < 0.95
    time.sleep(0.8)  # let the busy task end before the isolate is closed
    realm.close()


# ---- the page runner's --timeout -------------------------------------------------------------


def _page(tmp_path: Path, script: str, timeout: float) -> Page:
    (tmp_path / "index.html").write_text(f"<script>{script}</script>", "utf-8")
    return Page.open(tmp_path / "index.html", timeout=timeout, engine="v8")


def test_page_timeout_survives_a_jump(tmp_path: Path, source: LeapingSource) -> None:
    page = _page(tmp_path, "setTimeout(() => console.log('late timer'), 500)", 1.5)
    try:
        source.leap()
        result = page.run()
    finally:
        page.close()
    assert result.reason == "idle"
    assert "late timer" in [m.text for m in result.console]


def test_page_timeout_still_fires(tmp_path: Path) -> None:
    page = _page(tmp_path, "setInterval(() => {}, 50)", 0.4)
    try:
        began = time.monotonic()
        result = page.run()
    finally:
        page.close()
    assert result.reason == "timeout"
    assert time.monotonic() - began < 1.5


# ---- joining isolated workers ----------------------------------------------------------------


class _FakeWorker:
    def __init__(self, run: Callable[[], None]) -> None:
        self.terminated = False
        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()


def _hub(*workers: _FakeWorker) -> IsolatedHub:
    hub = IsolatedHub.__new__(IsolatedHub)
    hub.workers = dict(enumerate(workers))
    hub.terminate = lambda wid: None  # type: ignore[method-assign]
    return hub


def test_worker_join_survives_a_jump(source: LeapingSource) -> None:
    worker = _FakeWorker(lambda: time.sleep(0.9))
    source.leap_later(0.1)
    _hub(worker).close(timeout=1.5)
    assert not worker.thread.is_alive()


def test_worker_join_still_gives_up() -> None:
    stop = threading.Event()
    worker = _FakeWorker(lambda: stop.wait(10))
    began = time.monotonic()
    _hub(worker).close(timeout=0.3)
    assert worker.thread.is_alive()
    assert 0.25 <= time.monotonic() - began < 1.0
    stop.set()


def test_page_with_a_task_that_never_yields_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_module, "LOOP_BACKSTOP", 0.3)
    monkeypatch.setattr(page_module, "HUNG_ANSWER", 0.2)
    page = _page(tmp_path, f"setTimeout(() => {{ {BUSY.format(ms=1200)} }}, 0)", 0.2)
    try:
        began = time.monotonic()
        result = page.run()
        assert time.monotonic() - began < 1.1
    finally:
        time.sleep(0.6)  # let the busy task end before the isolate is closed
        page.close()
    assert result.reason == "hung"
    assert [e.kind for e in result.errors] == ["timeout"]
