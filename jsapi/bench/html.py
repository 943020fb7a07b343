"""The HTML report: one self-contained file, a log-scale SVG bar chart per group of crossings.

Each row gets one bar per engine (median, with the interquartile range drawn as a whisker); a
missing cell is drawn as a labelled gap, never as a bar.
"""

from __future__ import annotations

import math
from html import escape

from jsapi.bench.report import (
    ENGINE_TITLES,
    ENGINES,
    Measurement,
    Missing,
    Report,
    Row,
    format_cell,
    format_ns,
    format_ratio,
)

COLORS = {"jsapi": "#d9534f", "v8": "#2c7be5", "engine.api": "#7a7a7a"}
LABEL_W = 330
CHART_W = 560
BAR_H = 9
ROW_GAP = 8
TOP = 30


def _decades(rows: list[Row]) -> tuple[int, int]:
    values = [
        c.median_ns
        for r in rows
        for c in r.cells.values()
        if isinstance(c, Measurement) and c.median_ns > 0
    ]
    if not values:
        return 0, 3
    lo = math.floor(math.log10(min(values)))
    hi = math.ceil(math.log10(max(values)))
    return lo, max(hi, lo + 1)


def chart(title: str, rows: list[Row]) -> str:
    lo, hi = _decades(rows)
    span = hi - lo

    def x(ns: float) -> float:
        v = math.log10(max(ns, 10.0**lo))
        return LABEL_W + (v - lo) / span * CHART_W

    per_row = len(ENGINES) * BAR_H + ROW_GAP
    height = TOP + per_row * len(rows) + 24
    width = LABEL_W + CHART_W + 110
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="4" y="16" class="t">{escape(title)} (log scale, per operation)</text>',
    ]
    for d in range(lo, hi + 1):
        gx = x(10.0**d)
        out.append(
            f'<line x1="{gx:.1f}" y1="{TOP - 6}" x2="{gx:.1f}" y2="{height - 20}" class="g"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{height - 6}" class="a">{escape(format_ns(10.0**d))}</text>'
        )
    y = TOP
    for row in rows:
        out.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H * 2}" class="l">{escape(row.label)}</text>'
        )
        for i, engine in enumerate(ENGINES):
            by = y + i * BAR_H
            cell = row.cells.get(engine)
            if isinstance(cell, Measurement) and cell.median_ns > 0:
                w = x(cell.median_ns) - LABEL_W
                out.append(
                    f'<rect x="{LABEL_W}" y="{by}" width="{max(w, 1):.1f}" height="{BAR_H - 2}" '
                    f'fill="{COLORS[engine]}"><title>{escape(ENGINE_TITLES[engine])}: '
                    f"{escape(format_cell(cell))}</title></rect>"
                )
                if cell.q3_ns > cell.q1_ns > 0:
                    out.append(
                        f'<line x1="{x(cell.q1_ns):.1f}" y1="{by + BAR_H / 2 - 1}" '
                        f'x2="{x(cell.q3_ns):.1f}" y2="{by + BAR_H / 2 - 1}" class="w"/>'
                    )
                out.append(
                    f'<text x="{x(cell.median_ns) + 4:.1f}" y="{by + BAR_H - 2}" class="v">'
                    f"{escape(format_ns(cell.median_ns))}</text>"
                )
            elif isinstance(cell, Missing):
                word = "n/a" if cell.kind == "na" else "error"
                out.append(
                    f'<text x="{LABEL_W + 4}" y="{by + BAR_H - 2}" class="m">'
                    f"{escape(ENGINE_TITLES[engine])}: {word}<title>{escape(cell.reason)}</title>"
                    "</text>"
                )
        y += per_row
    out.append("</svg>")
    return "\n".join(out)


STYLE = """
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 12px 0 28px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg text { font: 11px system-ui, sans-serif; }
svg .t { font-weight: 600; font-size: 13px; }
svg .l { text-anchor: end; }
svg .a { text-anchor: middle; fill: #666; }
svg .v { fill: #333; }
svg .m { fill: #999; font-style: italic; }
svg .g { stroke: #e4e4e4; }
svg .w { stroke: #000; stroke-width: 1; }
.key span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 14px; }
"""


def render_html(report: Report) -> str:
    meta = report.meta
    m = meta["machine"]
    groups: dict[str, list[Row]] = {}
    for row in report.rows:
        groups.setdefault(row.group, []).append(row)
    key = "".join(
        f'<span style="background:{COLORS[e]}"></span>{escape(ENGINE_TITLES[e])}' for e in ENGINES
    )
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>jsapi bench</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>jsapi bench: crossing costs</h1>",
        f"<p>{escape(meta['date'])} &middot; <code>{escape(meta['command'])}</code> &middot; "
        f"{m['nproc']} x {escape(str(m['cpu']))}, Python {escape(str(m['python']))}, "
        f"V8 {escape(str(m['v8']))} (mini-racer {escape(str(m['mini_racer']))}), "
        f"load {m['load_average_1m']}</p>",
        f"<p class='key'>{key}</p>",
    ]
    for group, rows in groups.items():
        parts.append(f"<h2>{escape(group)}</h2>")
        parts.append(chart(group, rows))
        parts.append(_table(rows))
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(rows: list[Row]) -> str:
    head = "".join(f"<th>{escape(ENGINE_TITLES[e])}</th>" for e in ENGINES)
    out = [
        f"<table><tr><th>crossing</th><th>unit</th>{head}<th>ours/V8</th><th>reference</th></tr>"
    ]
    for row in rows:
        cells = []
        for e in ENGINES:
            cell = row.cells.get(e)
            tip = f' title="{escape(cell.reason)}"' if isinstance(cell, Missing) else ""
            cells.append(f"<td{tip}>{escape(format_cell(cell))}</td>")
        out.append(
            f"<tr><td>{escape(row.label)}</td><td>{escape(row.unit)}</td>{''.join(cells)}"
            f"<td>{escape(format_ratio(row.ratio))}</td><td>{escape(row.reference)}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)
