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

    got = agents._run_mode(Page, "", "shared", Settings(1.0, 3), True, "v8")
    if isinstance(got["agents/post-shared"], Samples):
        return  # this build's pages have workers: the numbers came from the page itself
    for rid in ("agents/post-shared", "agents/pingpong"):
        cell = got[rid]
        assert isinstance(cell, Missing)
        assert cell.kind == "na" and "Worker" in cell.reason, cell
