"""The crossing observatory behind `jsapi run --trace-crossings`.

A `CrossingTracer` counts crossings per boundary (JS -> wasm, wasm -> JS, JS -> Python,
Python -> JS) and per function, with the time spent on the far side of each crossing. It costs
nothing when off: nothing is wrapped until `attach(bridge)`, and explicit hooks test one module
global (`ACTIVE is not None`).

How crossings are seen (docs/performance.md, "Crossings"):
- every JS -> Python request goes through the bridge's service table; `attach` wraps each
  handler. Services named in `WASM_ENTRY_SERVICES` are calls of wasm exports, so they count as
  JS -> wasm (the namespace's `wasm.call`); the others count as JS -> Python;
- every Python -> JS call from inside a request goes through `Bridge.call_js`; `attach` wraps it.
  While a wasm entry is running, such a call is wasm calling a JS import (the namespace runs
  imports through `call_js`), so it counts as wasm -> JS; otherwise as Python -> JS;
- a namespace or runner can also report crossings itself: `record(boundary, name, ns)` or
  `with span(boundary, name):` when `ACTIVE` is set, and JS code can count through
  `bridge.trace.count(boundary, name)` (trace.js) when `bridge.trace.on` is true.

Times are taken in Python with perf_counter_ns around the served side and include nested
crossings (a JS -> wasm call that calls a JS import contains that import's time); the transit
through the mailbox itself (tens of microseconds, see `jsapi bench`) is outside them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsapi.bridge.values import JSHandle

if TYPE_CHECKING:
    from jsapi.bridge import Bridge

JS_TO_WASM = "JS -> wasm"
WASM_TO_JS = "wasm -> JS"
JS_TO_PY = "JS -> Python"
PY_TO_JS = "Python -> JS"
BOUNDARIES = (JS_TO_WASM, WASM_TO_JS, JS_TO_PY, PY_TO_JS)

# Services through which JS calls a wasm export (JS-API 5.6: calling an Exported Function).
WASM_ENTRY_SERVICES = frozenset(["wasm.call"])
# Keys beyond this many distinct functions per boundary are counted under "(others)".
MAX_KEYS = 4096

ACTIVE: CrossingTracer | None = None


@dataclass
class Stat:
    count: int = 0
    total_ns: int = 0

    def add(self, ns: int) -> None:
        self.count += 1
        self.total_ns += ns

    def to_json(self) -> dict[str, Any]:
        mean = self.total_ns / self.count if self.count else 0.0
        return {
            "count": self.count,
            "total_ms": round(self.total_ns / 1e6, 3),
            "mean_us": round(mean / 1e3, 3),
        }


@dataclass
class CrossingTracer:
    boundaries: dict[str, Stat] = field(default_factory=lambda: {b: Stat() for b in BOUNDARIES})
    functions: dict[str, dict[Any, Stat]] = field(
        default_factory=lambda: {b: {} for b in BOUNDARIES}
    )
    names: dict[Any, str] = field(default_factory=dict)
    wasm_depth: int = 0
    bridge: Bridge | None = None
    js_drain: JSHandle | None = None
    js_name_of: JSHandle | None = None

    def record(self, boundary: str, key: Any, ns: int) -> None:
        self.boundaries[boundary].add(ns)
        per = self.functions[boundary]
        stat = per.get(key)
        if stat is None:
            if len(per) >= MAX_KEYS:
                key = "(others)"
                stat = per.get(key)
            if stat is None:
                stat = per[key] = Stat()
        stat.add(ns)

    @contextmanager
    def span(self, boundary: str, key: Any) -> Iterator[None]:
        t0 = time.perf_counter_ns()
        try:
            yield
        finally:
            self.record(boundary, key, time.perf_counter_ns() - t0)

    # ---- the bridge's two doors ------------------------------------------------------------

    def wrap_service(self, name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(handler, "__traced__", False):
            return handler
        entry = name in WASM_ENTRY_SERVICES
        boundary = JS_TO_WASM if entry else JS_TO_PY
        clock = time.perf_counter_ns
        record = self.record

        def traced(*args: Any) -> Any:
            key = _wasm_key(args) if entry else name
            t0 = clock()
            if entry:
                self.wasm_depth += 1
            try:
                return handler(*args)
            finally:
                if entry:
                    self.wasm_depth -= 1
                record(boundary, key, clock() - t0)

        traced.__traced__ = True  # type: ignore[attr-defined]
        return traced

    def wrap_call_js(self, call_js: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.perf_counter_ns
        record = self.record

        def traced(fn: JSHandle, *args: Any, **kw: Any) -> Any:
            if self.wasm_depth > 0:
                boundary = WASM_TO_JS
                # The namespace runs an import as callImport(importFn, args, results).
                key: Any = args[0] if args and isinstance(args[0], JSHandle) else fn
            else:
                boundary, key = PY_TO_JS, fn
            t0 = clock()
            try:
                return call_js(fn, *args, **kw)
            finally:
                record(boundary, key, clock() - t0)

        return traced

    # ---- results ---------------------------------------------------------------------------

    def merge_js_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Counts JS reported through trace.js (no time: JS has no fine clock of its own)."""
        for boundary, per in counts.items():
            if boundary not in self.boundaries:
                continue
            for name, n in per.items():
                self.boundaries[boundary].count += n
                stat = self.functions[boundary].setdefault(f"{name} (JS count)", Stat())
                stat.count += n

    def label(self, key: Any) -> str:
        if isinstance(key, str):
            return key
        if key in self.names:
            return self.names[key]
        if isinstance(key, JSHandle):
            return f"JS function #{key.id}"
        return _describe(key)

    def top(self, boundary: str, n: int = 5) -> list[tuple[str, Stat]]:
        per = self.functions[boundary]
        ranked = sorted(per.items(), key=lambda kv: (-kv[1].count, -kv[1].total_ns))
        return [(self.label(k), s) for k, s in ranked[:n]]

    def to_json(self, top: int = 5) -> dict[str, Any]:
        return {
            b: {
                **self.boundaries[b].to_json(),
                "top": [{"name": name, **s.to_json()} for name, s in self.top(b, top)],
            }
            for b in BOUNDARIES
        }

    def format(self, top: int = 5) -> str:
        lines = [
            "crossings (time on the far side, measured in Python, nested crossings included)",
            f"{'boundary':<14} {'count':>9} {'total ms':>11} {'mean us':>10}",
        ]
        for b in BOUNDARIES:
            s = self.boundaries[b].to_json()
            lines.append(f"{b:<14} {s['count']:>9} {s['total_ms']:>11.3f} {s['mean_us']:>10.3f}")
            for name, stat in self.top(b, top):
                j = stat.to_json()
                lines.append(
                    f"    {j['count']:>9} {j['total_ms']:>11.3f} {j['mean_us']:>10.3f}  {name}"
                )
        return "\n".join(lines)


def _wasm_key(args: tuple[Any, ...]) -> Any:
    return args[0] if args else "(export)"


def _describe(obj: Any) -> str:
    # An engine function: the name it is exported under, else its index (spec 2.5.1).
    module = getattr(obj, "module", None)
    index = getattr(obj, "index", None)
    exports = getattr(module, "exports", None)
    if isinstance(exports, dict):
        for name, ex in exports.items():
            if getattr(ex, "value", None) is obj:
                return f'export "{name}"'
    if isinstance(index, int) and index >= 0:
        return f"func[{index}]"
    for attr in ("name", "debug_name"):
        v = getattr(obj, attr, None)
        if isinstance(v, str) and v:
            return v
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


def attach(bridge: Bridge) -> CrossingTracer:
    """Starts tracing every crossing of `bridge` (call at a top-level point)."""
    global ACTIVE
    tracer = CrossingTracer(bridge=bridge)
    services = bridge._services  # the bridge's table: sid -> (name, handler, raw)
    for sid, (name, handler, raw) in list(services.items()):
        services[sid] = (name, tracer.wrap_service(name, handler), raw)
    original_expose = bridge.expose

    def expose(name: str, handler: Callable[..., Any], *, raw: bool = False) -> None:
        original_expose(name, tracer.wrap_service(name, handler), raw=raw)

    bridge.expose = expose  # type: ignore[method-assign]
    bridge.call_js = tracer.wrap_call_js(bridge.call_js)  # type: ignore[method-assign]

    def ready(drain: JSHandle, name_of: JSHandle) -> None:
        tracer.js_drain, tracer.js_name_of = drain, name_of

    original_expose("trace.ready", ready)
    bridge.load_js(Path(__file__).with_name("trace.js"))
    ACTIVE = tracer
    return tracer


def finish(tracer: CrossingTracer) -> CrossingTracer:
    """At a top-level point after the run: merges JS counts and names JS functions."""
    global ACTIVE
    if ACTIVE is tracer:
        ACTIVE = None
    bridge = tracer.bridge
    if bridge is None or bridge.closed:
        return tracer
    try:
        if tracer.js_drain is not None:
            tracer.merge_js_counts(json.loads(str(bridge.call(tracer.js_drain))))
        name_of = tracer.js_name_of
        for boundary in (WASM_TO_JS, PY_TO_JS):
            ranked = sorted(tracer.functions[boundary].items(), key=lambda kv: -kv[1].count)
            for k, _ in ranked[:20]:
                if name_of is not None and isinstance(k, JSHandle) and k not in tracer.names:
                    tracer.names[k] = str(bridge.call(name_of, k))
    except Exception:  # noqa: BLE001 - names are a nicety; the counts stand without them
        pass
    return tracer


def record(boundary: str, name: str, ns: int) -> None:
    """The explicit hook: a no-op unless tracing."""
    if ACTIVE is not None:
        ACTIVE.record(boundary, name, ns)


@contextmanager
def span(boundary: str, name: str) -> Iterator[None]:
    if ACTIVE is None:
        yield
        return
    with ACTIVE.span(boundary, name):
        yield
