"""The bench's statistics, table and HTML, on hand-made measurements (no timing involved)."""

from __future__ import annotations

import xml.dom.minidom

import pytest

from jsapi.bench.html import chart, render_html
from jsapi.bench.report import Measurement, Missing, Report, Row, format_ns, format_table
from jsapi.bench.sampler import Samples, Settings, collect


def test_measurement_median_and_quartiles() -> None:
    m = Measurement.of([5.0, 1.0, 3.0, 2.0, 4.0], ops_per_sample=10)
    assert m.median_ns == 3.0
    assert (m.q1_ns, m.q3_ns) == (2.0, 4.0)
    assert m.iqr_ns == 2.0
    assert m.samples == 5 and m.ops_per_sample == 10
    single = Measurement.of([7.0], 1)
    assert single.iqr_ns == 0.0


def test_throughput_from_bytes_per_operation() -> None:
    m = Measurement.of([1000.0], 1, bytes_per_op=1000)
    assert m.mb_per_s == pytest.approx(1000.0)
    assert "mb_per_s" in m.to_json()
    assert "mb_per_s" not in Measurement.of([1.0], 1).to_json()


def test_ratio_only_when_both_engines_measured() -> None:
    row = Row("x", "g", "x", cells={"jsapi": Measurement.of([300.0], 1)})
    assert row.ratio is None
    row.cells["v8"] = Measurement.of([3.0], 1)
    assert row.ratio == pytest.approx(100.0)
    row.cells["v8"] = Missing("na", "not available yet")
    assert row.ratio is None
    assert row.to_json()["results"]["v8"] == {"na": "not available yet"}


class FakeClock:
    """A sample function whose operations cost `per_op` ns each."""

    def __init__(self, per_op: float) -> None:
        self.per_op = per_op
        self.calls: list[int] = []

    def __call__(self, n: int) -> float:
        self.calls.append(n)
        return n * self.per_op


def test_paired_baseline_is_subtracted_per_sample() -> None:
    case = FakeClock(30.0)
    base = FakeClock(10.0)
    got = collect(case, Settings(target_ms=0.5, samples=3), base=base)
    assert isinstance(got, Samples)
    assert got.per_op_ns == [20.0] * 3
    # The baseline runs only for the samples, right after each case sample, at the same n.
    assert base.calls == [got.ops] * 3


def test_paired_baseline_never_makes_a_negative_cost() -> None:
    got = collect(FakeClock(10.0), Settings(target_ms=0.5, samples=2), base=FakeClock(12.0))
    assert isinstance(got, Samples) and got.per_op_ns == [0.0, 0.0]


def test_collect_calibrates_to_the_target() -> None:
    clock = FakeClock(1000.0)
    got = collect(clock, Settings(target_ms=1.0, samples=4))
    assert isinstance(got, Samples)
    assert got.ops * 1000.0 >= 1e6
    assert got.per_op_ns == [1000.0] * 4
    # Calibration, one warm-up, then the samples, all at the calibrated n.
    assert clock.calls[-5:] == [got.ops] * 5


def test_collect_respects_the_case_limit_and_units() -> None:
    clock = FakeClock(10.0)
    got = collect(clock, Settings(target_ms=5.0, samples=3), max_n=16, units=2.0)
    assert isinstance(got, Samples)
    assert got.ops == 16 and max(clock.calls) == 16
    assert got.per_op_ns == [5.0] * 3


def test_collect_passes_a_missing_reason_through() -> None:
    reason = Missing("error", "RangeError: out of memories")
    calls = []

    def failing(n: int) -> float | Missing:
        calls.append(n)
        return reason if len(calls) > 2 else 10.0

    assert collect(failing, Settings(target_ms=1.0, samples=3)) is reason


def test_format_ns_units() -> None:
    assert format_ns(3.25) == "3.2 ns" or format_ns(3.25) == "3.3 ns"
    assert format_ns(1500) == "1.50 us"
    assert format_ns(2_500_000) == "2.50 ms"


def _report() -> Report:
    a = Row("call/0", "JS -> wasm", "0 arguments <&>", reference="0.4-2 us")
    a.cells = {
        "jsapi": Measurement.of([40_000.0, 42_000.0, 41_000.0], 10),
        "v8": Measurement.of([8.0, 9.0, 10.0], 100000),
        "engine.api": Missing("error", "Trap: boom"),
    }
    b = Row("clone/1k", "agents", "structuredClone 1 KB", "ns/clone")
    b.cells = {"jsapi": Missing("na", "not available yet (x)"), "v8": Missing("na", "none")}
    meta = {
        "date": "d",
        "command": "jsapi bench",
        "machine": {
            "nproc": 2,
            "cpu": "c",
            "python": "3",
            "v8": "14",
            "mini_racer": "0.14.1",
            "load_average_1m": 1.0,
        },
    }
    return Report(meta, [a, b])


def test_table_shows_ratio_reference_and_reasons() -> None:
    text = format_table(_report())
    line = next(ln for ln in text.splitlines() if ln.startswith("0 arguments"))
    assert "41.0 us" in line and "9.0 ns" in line and "4.56e+03x" in line and "0.4-2 us" in line
    assert "not available yet (x)" in text
    assert "Trap: boom" in text


def test_html_is_self_contained_with_log_scale_svg() -> None:
    page = render_html(_report())
    assert page.count("<svg") == 2
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "0 arguments &lt;&amp;&gt;" in page
    svg = chart("g", _report().rows[:1])
    doc = xml.dom.minidom.parseString(svg)
    rects = doc.getElementsByTagName("rect")
    # Two measured cells give two bars; the error cell is text, not a bar.
    assert len(rects) == 2
    widths = sorted(float(r.getAttribute("width")) for r in rects)
    # 9 ns and 41 us are 3.66 decades apart: on a log axis the bars differ by far less than
    # the 4500x a linear axis would show.
    assert widths[1] / widths[0] < 100


def test_saved_json_reads_back() -> None:
    report = _report()
    again = Report.from_json(report.to_json())
    assert format_table(again) == format_table(report)
    assert again.row("call/0").ratio == report.row("call/0").ratio
