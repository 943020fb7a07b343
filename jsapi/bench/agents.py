"""Agent crossings: postMessage round trips to a worker and an Atomics ping-pong.

These need workers and a running event loop, so they run as a page through the page runner
(agents.js), once per workers mode; the page reports per-round-trip samples on the console.
Without workers in this build every row says so instead of a number.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from jsapi.bench.report import Missing
from jsapi.bench.sampler import Samples, Settings

ECHO = "onmessage = (e) => postMessage(e.data);\n"
# The worker answers with Atomics.waitAsync: a worker blocked in Atomics.wait keeps its frames on
# the one thread in shared mode, and the page (which may not block) could then never run.
PONG = """onmessage = async (e) => {
  const c = new Int32Array(e.data);
  postMessage("ready");
  for (;;) {
    const w = Atomics.waitAsync(c, 0, 0);
    if (w.async) await w.value;
    if (Atomics.load(c, 1) === 1) break;
    Atomics.store(c, 0, 0);
    Atomics.notify(c, 0);
  }
};
"""
MODES = ("shared", "isolated")
AGENT_IDS = ("agents/pingpong", "agents/post-shared", "agents/post-isolated")


def _opener() -> Any:
    """`open(path, mode, timeout, engine) -> (page, closer)` with workers installed, or None."""
    try:
        from jsapi.workers.run import open_page
    except ImportError:
        return None

    def open_with_workers(path: Path, mode: str, timeout: float, engine: str | None) -> Any:
        page, hub = open_page(path, mode=mode, seed=0, timeout=timeout, engine=engine)
        return page, hub.close

    return open_with_workers


def measure_agents(
    settings: Settings, quick: bool, engine: str | None = None
) -> dict[str, Samples | Missing]:
    opener = _opener()
    if opener is None:
        return dict.fromkeys(AGENT_IDS, Missing("na", "not available yet (jsapi.workers)"))
    out: dict[str, Samples | Missing] = {}
    for mode in MODES:
        got = _run_mode(opener, mode, settings, quick, engine)
        out[f"agents/post-{mode}"] = got[f"agents/post-{mode}"]
        if mode == "shared":
            out["agents/pingpong"] = got["agents/pingpong"]
    return out


def _run_mode(
    opener: Any, mode: str, settings: Settings, quick: bool, engine: str | None
) -> dict[str, Samples | Missing]:
    config = {
        "mode": mode,
        "ops": 20 if quick else 200,
        "samples": settings.samples,
        "echoUrl": "echo.js",
        "pongUrl": "pong.js",
    }
    script = (Path(__file__).with_name("agents.js")).read_text("utf-8")
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="jsapi-bench-") as tmp:
        root = Path(tmp)
        (root / "echo.js").write_text(ECHO)
        (root / "pong.js").write_text(PONG)
        (root / "agents.js").write_text(script)
        (root / "page.html").write_text(
            "<!doctype html><script>globalThis.__benchConfig = "
            f"{json.dumps(config)};</script><script src=agents.js></script>"
        )
        try:
            page, close = opener(root / "page.html", mode, 60.0, engine)
            with page:
                try:
                    result = page.run()
                finally:
                    close()
            lines = [c.text for c in result.console]
            errors = [e.message for e in result.errors]
        except Exception as e:  # noqa: BLE001 - a failing mode is a row error
            error = Missing("error", f"{type(e).__name__}: {e}")
            return {f"agents/post-{mode}": error, "agents/pingpong": error}
    return _parse(lines, mode, errors)


def _parse(
    lines: list[str], mode: str, errors: list[str] | None = None
) -> dict[str, Samples | Missing]:
    out: dict[str, Samples | Missing] = {}
    every: Missing | None = None
    for line in lines:
        if not line.startswith("BENCH "):
            continue
        rec = json.loads(line[6:])
        rid = rec["id"]
        if rid == "*":
            every = Missing("na", rec["na"])
        elif "perOpNs" in rec:
            out[rid] = Samples([float(v) for v in rec["perOpNs"]], int(rec["ops"]))
        elif "na" in rec:
            out[rid] = Missing("na", rec["na"])
        elif "error" in rec:
            out[rid] = Missing("error", rec["error"])
    for rid in (f"agents/post-{mode}", "agents/pingpong"):
        if rid not in out:
            why = "; ".join(errors or []) or "the page did not report this measurement"
            out[rid] = every or Missing("error", why)
    return out
