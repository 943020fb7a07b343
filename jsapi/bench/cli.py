"""`jsapi bench [--quick] [--json FILE] [--html FILE]`: crossing costs, ours beside V8's."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from jsapi.bench.html import render_html
from jsapi.bench.report import format_markdown, format_table
from jsapi.bench.session import measure

HELP = "measure JS/wasm/Python crossing costs in our engine and in V8's own WebAssembly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick", action="store_true", help="a fast smoke run (a few seconds, noisy numbers)"
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write the report as JSON (- for stdout)"
    )
    parser.add_argument("--html", metavar="FILE", help="also write an HTML report with SVG charts")
    parser.add_argument(
        "--only", metavar="REGEX", help="only the rows whose id matches (e.g. '^call/|^loop/')"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown instead"
    )
    parser.add_argument("--verbose", action="store_true", help="print each case as it runs")


def run(args: argparse.Namespace) -> int:
    pattern = re.compile(args.only) if args.only else None
    only = (lambda row_id: bool(pattern.search(row_id))) if pattern is not None else None

    def progress(text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    report = measure(args.quick, progress=progress if args.verbose else None, only=only)
    argv = ["jsapi", "bench", *sys.argv[2:]] if sys.argv[1:2] == ["bench"] else None
    if argv is not None:
        report.meta["command"] = " ".join(argv)
    text = json.dumps(report.to_json(), indent=2)
    if args.json == "-":
        print(text)
    else:
        m = report.meta["machine"]
        print(
            f"jsapi bench {report.meta['date']}: {m['nproc']} x {m['cpu']}, Python {m['python']}, "
            f"V8 {m['v8']} (mini-racer {m['mini_racer']}), load {m['load_average_1m']}"
        )
        print("median per operation, ±IQR as % of the median; ours/V8 = ratio of medians\n")
        print(format_markdown(report) if args.markdown else format_table(report))
        print(f"\n{report.meta['seconds']} s")
        if args.json:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.html:
        Path(args.html).write_text(render_html(report), encoding="utf-8")
    return 0
