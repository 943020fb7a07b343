"""A worker process: runs the test jobs it is sent, one fresh realm per job.

Protocol: one JSON request per line on stdin, one JSON result per line on the original stdout
(anything the process prints goes to stderr instead). A job whose JavaScript never returns to
the event loop leaves V8 busy: the worker answers TIMEOUT and exits so that it is replaced.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

from jsapi.wpt.discovery import TestJob, WptRoot
from jsapi.wpt.execute import run_job
from jsapi.wpt.results import TestResult


def serve() -> None:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        job = TestJob.from_json(request["job"])
        harness = request.get("harness_dir")
        root = WptRoot(Path(request["root"]), Path(harness) if harness else None)
        healthy = True
        try:
            result, healthy = run_job(
                job, root, engine=request["engine"], timeout=float(request["timeout"])
            )
        except Exception as e:  # noqa: BLE001 - a runner failure is this test's ERROR
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            result = TestResult(job.test_id, "ERROR", f"runner error: {detail}")
            traceback.print_exc()
        answers.write(json.dumps(result.to_json()) + "\n")
        answers.flush()
        if not healthy:
            os._exit(0)


if __name__ == "__main__":
    serve()
