"""Agent rows: the page-side report is parsed into samples, and a page without workers says so."""

from __future__ import annotations

import json

from jsapi.bench import agents
from jsapi.bench.report import Missing
from jsapi.bench.sampler import Samples, Settings


def bench_line(obj: dict[str, object]) -> str:
    return "BENCH " + json.dumps(obj)


def test_parse_samples_and_reasons() -> None:
    lines = [
        "unrelated console output",
        bench_line(
            {"id": "agents/post-shared", "perOpNs": [300000.0, 310000.0, 290000.0], "ops": 20}
        ),
        bench_line({"id": "agents/pingpong", "na": "needs shared mode (crossOriginIsolated)"}),
        bench_line({"id": "done"}),
    ]
    got = agents._parse(lines, "shared")
    post = got["agents/post-shared"]
    assert isinstance(post, Samples) and post.ops == 20
    assert post.measurement().median_ns == 300000.0
    assert got["agents/pingpong"] == Missing("na", "needs shared mode (crossOriginIsolated)")


def test_parse_missing_report_is_an_error() -> None:
    got = agents._parse(
        [bench_line({"id": "agents/pingpong", "error": "TypeError: x"})], "isolated"
    )
    assert got["agents/pingpong"] == Missing("error", "TypeError: x")
    post = got["agents/post-isolated"]
    assert isinstance(post, Missing) and post.kind == "error"


def test_page_without_workers_reports_not_available() -> None:
    from jsapi.page.page import Page

    def plain_page(path: object, mode: str, timeout: float, engine: str | None) -> object:
        return Page.open(path, timeout=timeout, engine="v8"), lambda: None

    got = agents._run_mode(plain_page, "shared", Settings(1.0, 3), True, "v8")
    for rid in ("agents/post-shared", "agents/pingpong"):
        cell = got[rid]
        assert isinstance(cell, Missing)
        assert cell.kind == "na" and "Worker" in cell.reason, cell


def test_with_workers_both_modes() -> None:
    assert agents._opener() is not None
    got = agents.measure_agents(Settings(1.0, 3), True, "v8")
    assert set(got) == set(agents.AGENT_IDS)
    for rid, cell in got.items():
        if isinstance(cell, Samples):
            assert len(cell.per_op_ns) == 3 and all(v > 0 for v in cell.per_op_ns), rid
        else:
            # A mode the workers cannot do must say why, never a number.
            assert cell.reason, rid
    # A postMessage round trip in shared mode is the workers' basic promise.
    assert isinstance(got["agents/post-shared"], Samples), got["agents/post-shared"]
