"""The benchmark's results: rows of crossings, each measured in up to three engines.

Engines (columns): `jsapi` is our engine behind the jsapi WebAssembly namespace in a realm,
`v8` is V8's own WebAssembly in the same isolate, `engine.api` is our engine driven from Python
without JS. A cell is a `Measurement` (median and quartiles of per-operation nanoseconds over
the samples) or the reason it has no number (`na`: not applicable / not available yet; `error`:
the run failed). Numbers are never invented: a missing piece is a reason, not a zero.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

ENGINES = ("jsapi", "v8", "engine.api")
ENGINE_TITLES = {
    "jsapi": "ours (jsapi)",
    "v8": "V8 wasm",
    "engine.api": "engine.api",
}


@dataclass(frozen=True)
class Measurement:
    """Per-operation nanoseconds: median and quartiles over the samples."""

    median_ns: float
    q1_ns: float
    q3_ns: float
    samples: int
    ops_per_sample: int
    bytes_per_op: int = 0

    @property
    def iqr_ns(self) -> float:
        return self.q3_ns - self.q1_ns

    @property
    def mb_per_s(self) -> float | None:
        if not self.bytes_per_op or self.median_ns <= 0:
            return None
        return self.bytes_per_op / self.median_ns * 1e9 / 1e6

    @classmethod
    def of(cls, per_op_ns: list[float], ops_per_sample: int, bytes_per_op: int = 0) -> Measurement:
        values = sorted(per_op_ns)
        if len(values) >= 2:
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            q1 = q3 = values[0]
        return cls(statistics.median(values), q1, q3, len(values), ops_per_sample, bytes_per_op)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "median_ns": round(self.median_ns, 3),
            "q1_ns": round(self.q1_ns, 3),
            "q3_ns": round(self.q3_ns, 3),
            "iqr_ns": round(self.iqr_ns, 3),
            "samples": self.samples,
            "ops_per_sample": self.ops_per_sample,
        }
        if self.mb_per_s is not None:
            out["mb_per_s"] = round(self.mb_per_s, 2)
        return out


@dataclass(frozen=True)
class Missing:
    """Why a cell has no number: `na` (does not apply / not available yet) or `error`."""

    kind: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {self.kind: self.reason}


Cell = Measurement | Missing


@dataclass
class Row:
    id: str
    group: str
    label: str
    unit: str = "ns/op"
    reference: str = ""
    cells: dict[str, Cell] = field(default_factory=dict)

    def measured(self, engine: str) -> Measurement | None:
        cell = self.cells.get(engine)
        return cell if isinstance(cell, Measurement) else None

    @property
    def ratio(self) -> float | None:
        """Ours over V8, both taken in the same run."""
        ours, v8 = self.measured("jsapi"), self.measured("v8")
        if ours is None or v8 is None or v8.median_ns <= 0:
            return None
        return ours.median_ns / v8.median_ns

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "id": self.id,
            "group": self.group,
            "label": self.label,
            "unit": self.unit,
            "reference": self.reference,
            "results": {e: self.cells[e].to_json() for e in ENGINES if e in self.cells},
            "ratio_to_v8": None if ratio is None else round(ratio, 3),
        }


@dataclass
class Report:
    meta: dict[str, Any]
    rows: list[Row]

    def to_json(self) -> dict[str, Any]:
        return {"meta": self.meta, "rows": [r.to_json() for r in self.rows]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """A saved `--json` report, to print or chart again."""
        rows = []
        for r in data["rows"]:
            row = Row(r["id"], r["group"], r["label"], r["unit"], r["reference"])
            for engine, cell in r["results"].items():
                if "median_ns" in cell:
                    mbs = cell.get("mb_per_s")
                    per_op = round(mbs * cell["median_ns"] / 1e3) if mbs else 0
                    row.cells[engine] = Measurement(
                        cell["median_ns"],
                        cell["q1_ns"],
                        cell["q3_ns"],
                        cell["samples"],
                        cell["ops_per_sample"],
                        per_op,
                    )
                else:
                    kind = "na" if "na" in cell else "error"
                    row.cells[engine] = Missing(kind, cell[kind])
            rows.append(row)
        return cls(data["meta"], rows)

    def row(self, row_id: str) -> Row:
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)


def format_ns(ns: float) -> str:
    if ns < 1_000:
        return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.2f} us" if ns < 10_000 else f"{ns / 1_000:.1f} us"
    return f"{ns / 1_000_000:.2f} ms"


def format_cell(cell: Cell | None) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, Missing):
        return "n/a" if cell.kind == "na" else "error"
    text = format_ns(cell.median_ns)
    if cell.median_ns > 0:
        text += f" ±{cell.iqr_ns / cell.median_ns * 100:.0f}%"
    return text


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.3g}x" if ratio < 1000 else f"{ratio:.2e}x"


def format_table(report: Report) -> str:
    """The console table: median per operation (±IQR as a percentage of it), ours/V8, reference."""
    head = ["crossing", "unit", *(ENGINE_TITLES[e] for e in ENGINES), "ours/V8", "reference"]
    lines: list[list[str]] = []
    notes: list[str] = []
    group = None
    for row in report.rows:
        if row.group != group:
            group = row.group
            lines.append([f"[{group}]"] + [""] * (len(head) - 1))
        cells = [format_cell(row.cells.get(e)) for e in ENGINES]
        lines.append([row.label, row.unit, *cells, format_ratio(row.ratio), row.reference])
        for e in ENGINES:
            cell = row.cells.get(e)
            if isinstance(cell, Missing) and cell.kind == "error":
                notes.append(f"{row.label} [{ENGINE_TITLES[e]}]: {cell.reason}")
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    out.append("  ".join("-" * w for w in widths))
    for r in lines:
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    reasons = sorted(
        {
            f"{ENGINE_TITLES[e]}: {c.reason}"
            for row in report.rows
            for e, c in row.cells.items()
            if isinstance(c, Missing) and c.kind == "na"
        }
    )
    if reasons:
        out.append("")
        out.append("n/a:")
        out.extend(f"  {r}" for r in reasons)
    if notes:
        out.append("")
        out.append("errors:")
        out.extend(f"  {n}" for n in notes)
    return "\n".join(out)


def format_markdown(report: Report) -> str:
    """The table as Markdown (what docs/performance.md records)."""
    head = ["crossing", "unit", *(ENGINE_TITLES[e] for e in ENGINES), "ours/V8", "reference"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 3) + "---|"]
    for row in report.rows:
        cells = [format_cell(row.cells.get(e)) for e in ENGINES]
        label = f"{row.group}: {row.label}"
        out.append(
            "| "
            + " | ".join([label, row.unit, *cells, format_ratio(row.ratio), row.reference])
            + " |"
        )
    return "\n".join(out)
