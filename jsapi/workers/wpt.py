"""The worker side of WPT's `dedicatedworker` tests: `.any.js` in its worker variant, and
`.worker.js`.

`.any.worker.html` in WPT runs the test inside a dedicated worker and reports back to the page.
`run_in_worker` does the same in a page of this host: the worker evaluates testharness.js, the
test's META scripts and the test, and a completion callback posts the results to the page. A
`.worker.js` test imports testharness.js and calls `done()` itself: the harness is already
there (with the reporter attached), so that import is skipped and no `done()` is added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsapi.page import Page
from jsapi.page.page import ORIGIN
from jsapi.workers.install import install_workers

MARK = "__jsapi_wpt_worker__"

# A `.worker.js` test imports the harness the worker already evaluated.
SKIP_HARNESS_IMPORT = """
importScripts = ((load) => function importScripts(...urls) {
  // The worker runs from a blob: URL, which cannot resolve relative URLs: compare the ends.
  const harness = (u) => u.split(/[?#]/)[0].endsWith("/resources/testharness.js");
  return load(...urls.filter((u) => !harness(String(u))));
})(importScripts);
"""

REPORTER = """
add_completion_callback((tests, status) => {
  postMessage({ mark: MARK,
    tests: tests.map((t) => ({ name: t.name, status: t.status, message: t.message })),
    harness: { status: status.status, message: status.message } });
});
"""

PAGE = """
const source = %(source)s;
const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
worker.onmessage = (e) => {
  if (e.data && e.data.mark === %(mark)s) {
    console.log(%(mark)s + JSON.stringify(e.data));
    worker.terminate();
  }
};
worker.onerror = (e) => {
  console.log(%(mark)s + JSON.stringify({ error: e.message }));
  e.preventDefault();
  worker.terminate();
};
"""


@dataclass
class WorkerTestResult:
    """testharness.js statuses: harness 0 OK, 1 ERROR, 2 TIMEOUT; subtests 0 PASS, 1 FAIL..."""

    harness_status: int | None
    harness_message: str | None
    subtests: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    console: list[str] = field(default_factory=list)


def run_in_worker(
    test: Path,
    *,
    root: Path,
    harness: Path,
    scripts: tuple[str, ...] = (),
    mode: str = "shared",
    engine: str = "v8",
    timeout: float = 10.0,
    url: str | None = None,
) -> WorkerTestResult:
    """Runs `test` (under `root`) in a dedicated worker; `scripts` are its META scripts
    (root-relative URLs, as `// META: script=` gives them after resolution). `url` is the
    test's root-relative URL when the file lies under the root through a symbolic link."""
    test = test.resolve()
    root = root.resolve()
    path = url if url is not None else "/" + test.relative_to(root).as_posix()
    standalone = path.endswith(".worker.js")
    test_url = f"{ORIGIN}{path}"
    imports = [f"{ORIGIN}{s}" if s.startswith("/") else s for s in scripts] + [test_url]
    source = "\n".join(
        [
            f"const MARK = {json.dumps(MARK)};",
            harness.read_text("utf-8"),
            REPORTER,
            SKIP_HARNESS_IMPORT if standalone else "",
            f"importScripts(...{json.dumps(imports)});",
            "" if standalone else "done();",
        ]
    )
    script = PAGE % {"source": json.dumps(source), "mark": json.dumps(MARK)}
    markup = f"<!doctype html><script>{script}</script>"
    page = Page(
        test,
        root=root,
        url=f"{ORIGIN}/jsapi-worker-test.html",
        markup=markup,
        timeout=timeout,
        virtual_time=False,
        engine=engine,
        echo=None,
    )
    with page:
        page.workers = install_workers(
            page.bridge,
            mode,
            0,
            root=root,
            engine=engine,
            namespace=getattr(page.realm, "webassembly", None),
        )
        result = page.run()
    texts = [e.text for e in result.console]
    for text in texts:
        if text.startswith(MARK):
            data = json.loads(text[len(MARK) :])
            if "error" in data:
                return WorkerTestResult(None, None, error=data["error"], console=texts)
            h = data["harness"]
            return WorkerTestResult(h["status"], h["message"], data["tests"], console=texts)
    return WorkerTestResult(None, None, error="the worker did not report", console=texts)
