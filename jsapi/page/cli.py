"""`jsapi run PAGE.html|SCRIPT.js`: run a page headless until it is quiescent."""

from __future__ import annotations

import argparse
import json
import sys

from jsapi.host.engines import ENGINES, EngineUnavailable
from jsapi.page.page import Page, PageLoadError, default_engine, print_message

WORKER_MODES = ("shared", "isolated")

HELP = "run an HTML page or a script headless (console to stdout, exit 1 on an uncaught error)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", help="an .html page, or a .js script (.mjs: a module)")
    parser.add_argument(
        "--root", default=None, help="the folder served at http://localhost/ (default: the page's)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before the page is stopped (30)"
    )
    parser.add_argument(
        "--virtual-time", action="store_true", help="timers fire in order without real waiting"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON record instead of the console"
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="the WebAssembly namespace: jsapi (this project's engine) or v8 (V8's own)",
    )
    parser.add_argument(
        "--workers",
        choices=WORKER_MODES,
        default=None,
        help="give the page Worker: shared (one isolate, SharedArrayBuffer) or isolated",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="the order of the agents' tasks (shared workers)"
    )
    parser.add_argument(
        "--trace-crossings",
        action="store_true",
        help="at exit, print per boundary (JS/wasm/Python) the crossings, time, top functions",
    )


def run(args: argparse.Namespace) -> int:
    echo = None if args.json else print_message
    if args.engine is None and default_engine() != "jsapi":
        print(
            "jsapi run: no jsapi.webassembly in this build; the page gets V8's WebAssembly",
            file=sys.stderr,
        )
    try:
        page = Page.open(
            args.page,
            root=args.root,
            timeout=args.timeout,
            virtual_time=args.virtual_time,
            engine=args.engine,
            echo=echo,
            workers=args.workers,
            seed=args.seed,
        )
    except (PageLoadError, EngineUnavailable) as e:
        print(f"jsapi run: {e}", file=sys.stderr)
        return 2
    tracer = None
    if args.trace_crossings:
        from jsapi.bench import trace

        tracer = trace.attach(page.bridge)
    with page:
        result = page.run()
        if tracer is not None:
            trace.finish(tracer)
    record = result.to_json()
    if tracer is not None:
        if args.json:
            record["crossings"] = tracer.to_json()
        else:
            print(tracer.format())
    if args.json:
        print(json.dumps(record, indent=2, ensure_ascii=False))
    elif result.engine == "jsapi" and any(
        "CompileError" in e.text or "LinkError" in e.text for e in result.errors
    ):
        # The engine may lack a proposal V8 has: say how to tell the page from the engine.
        print(
            "jsapi run: the page's WebAssembly failed to compile or link on this project's "
            "engine (a feature it may not support); compare with --engine v8",
            file=sys.stderr,
        )
    elif result.reason == "timeout":
        print(f"jsapi run: stopped after the {args.timeout:g} s timeout", file=sys.stderr)
    elif result.reason == "hung":
        print(f"jsapi run: {result.errors[-1].text}; V8 stopped the script", file=sys.stderr)
    return result.status
