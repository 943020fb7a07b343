"""Running test jobs in worker processes, N at a time, each under a hard deadline.

A worker that dies gives its test CRASH; one that does not answer in time is killed and its
test gets TIMEOUT. Either way a new worker takes the next job, so the run always goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import selectors
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jsapi.host.clock import Deadline
from jsapi.wpt.discovery import TestJob, WptRoot
from jsapi.wpt.execute import hard_limit, job_timeout
from jsapi.wpt.results import TestResult

# Starting Python, importing mini-racer and creating the isolate; a reused worker needs less.
STARTUP_ALLOWANCE = 15.0
REUSE_ALLOWANCE = 3.0


@dataclass(frozen=True)
class RunConfig:
    root: WptRoot
    engine: str
    timeout_multiplier: float = 1.0


class _Worker:
    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jsapi.wpt.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
        )
        self.buffer = b""
        self.jobs_done = 0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, request: dict[str, object], deadline: Deadline) -> bytes | None | str:
        """The answer line; None at EOF (the worker died); "timeout" past the deadline.

        The deadline counts real waiting (jsapi.host.clock): a select cut short by a jump of
        the machine's clock just waits again."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                if deadline.expired():
                    return "timeout"
                if not sel.select(deadline.step()):
                    continue
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def stderr_tail(self, limit: int = 2000) -> str:
        self.stderr.seek(0)
        data = self.stderr.read().decode("utf-8", "replace")
        return data[-limit:].strip()

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        self.close()

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.stderr.close()


def run_jobs(
    jobs: list[TestJob],
    config: RunConfig,
    processes: int,
    on_result: Callable[[TestResult], None],
) -> list[TestResult]:
    """Runs the jobs; results come back in the jobs' order, on_result sees them as they finish."""
    pending: queue.Queue[tuple[int, TestJob]] = queue.Queue()
    for item in enumerate(jobs):
        pending.put(item)
    results: list[TestResult | None] = [None] * len(jobs)
    lock = threading.Lock()

    def drive() -> None:
        worker: _Worker | None = None
        try:
            while True:
                try:
                    index, job = pending.get_nowait()
                except queue.Empty:
                    return
                if worker is None or not worker.alive():
                    if worker is not None:
                        worker.kill()
                    worker = _Worker()
                result, worker_ok = _run_one(worker, job, config)
                if not worker_ok:
                    worker.kill()
                    worker = None
                with lock:
                    results[index] = result
                    on_result(result)
        finally:
            if worker is not None:
                worker.close()
                worker.proc.wait()

    threads = [threading.Thread(target=drive, daemon=True) for _ in range(max(1, processes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def _run_one(worker: _Worker, job: TestJob, config: RunConfig) -> tuple[TestResult, bool]:
    timeout = job_timeout(job, config.timeout_multiplier)
    request = {
        "job": job.to_json(),
        "root": str(config.root.path),
        "harness_dir": None if config.root.harness_dir is None else str(config.root.harness_dir),
        "engine": config.engine,
        "timeout": timeout,
    }
    allowance = REUSE_ALLOWANCE if worker.jobs_done else STARTUP_ALLOWANCE
    worker.jobs_done += 1
    deadline = Deadline(hard_limit(timeout) + allowance)
    answer = worker.ask(request, deadline)
    elapsed = int(deadline.elapsed() * 1000)
    if answer == "timeout":
        message = f"no answer within {hard_limit(timeout):g} s; the test was stopped"
        return TestResult(job.test_id, "TIMEOUT", message, duration_ms=elapsed), False
    if answer is None or isinstance(answer, str):
        worker.proc.wait()
        code = worker.proc.returncode
        tail = worker.stderr_tail()
        message = f"the test process exited with status {code}" + (f": {tail}" if tail else "")
        return TestResult(job.test_id, "CRASH", message, duration_ms=elapsed), False
    return TestResult.from_json(json.loads(answer)), True
