"""Agent crossings: postMessage round trips to a worker and an Atomics ping-pong.

These need workers and a running event loop, so they run as a page through the page runner
(agents.js), once per workers mode; the page reports per-round-trip samples on the console.
Without workers in this build every row says so instead of a number.
"""

from __future__ import annotations

import inspect
import json
import tempfile
from pathlib import Path
from typing import Any

from jsapi.bench.report import Missing
from jsapi.bench.sampler import Samples, Settings

ECHO = "onmessage = (e) => postMessage(e.data);\n"
PONG = """onmessage = (e) => {
  const c = new Int32Array(e.data);
  postMessage("ready");
  for (;;) {
    Atomics.wait(c, 0, 0);
    if (Atomics.load(c, 1) === 1) break;
    Atomics.store(c, 0, 0);
    Atomics.notify(c, 0);
  }
};
"""
MODES = ("shared", "isolated")
AGENT_IDS = ("agents/pingpong", "agents/post-shared", "agents/post-isolated")


def _page_options() -> tuple[Any, str]:
    """The page runner and the name of its workers-mode option ("" when it has none)."""
    from jsapi.page.page import Page

    params = inspect.signature(Page.open).parameters
    for name in ("workers", "workers_mode", "mode"):
        if name in params:
            return Page, name
    return Page, ""


def measure_agents(
    settings: Settings, quick: bool, engine: str | None = None
) -> dict[str, Samples | Missing]:
    try:
        import jsapi.workers  # noqa: F401
    except ModuleNotFoundError:
        reason = Missing("na", "not available yet (jsapi.workers)")
        return dict.fromkeys(AGENT_IDS, reason)
    page_cls, option = _page_options()
    out: dict[str, Samples | Missing] = {}
    for mode in MODES:
        if not option and mode != "shared":
            out[f"agents/post-{mode}"] = Missing("na", "the page runner has no workers-mode option")
            continue
        got = _run_mode(page_cls, option, mode, settings, quick, engine)
        for key, value in got.items():
            if key == "agents/pingpong" and mode != "shared":
                continue
            out[key] = value
    return out


def _run_mode(
    page_cls: Any, option: str, mode: str, settings: Settings, quick: bool, engine: str | None
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
        kwargs: dict[str, Any] = {"timeout": 60.0, "engine": engine}
        if option:
            kwargs[option] = mode
        try:
            page = page_cls.open(root / "page.html", **kwargs)
            with page:
                result = page.run()
            lines = [c.text for c in result.console]
        except Exception as e:  # noqa: BLE001 - a failing mode is a row error
            error = Missing("error", f"{type(e).__name__}: {e}")
            return {f"agents/post-{mode}": error, "agents/pingpong": error}
    return _parse(lines, mode)


def _parse(lines: list[str], mode: str) -> dict[str, Samples | Missing]:
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
            out[rid] = every or Missing("error", "the page did not report this measurement")
    return out
