"""The crossing tracer on a bare bridge: boundaries, names, nesting; off leaves it untouched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jsapi.bench import trace
from jsapi.bridge import Bridge, JSHandle


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    b = Bridge()
    b.eval("globalThis.B = __jsapiBridge; globalThis.S = B.services;")
    try:
        yield b
    finally:
        trace.ACTIVE = None
        b.close()


def fake_namespace(b: Bridge) -> None:
    """The shape of the jsapi namespace: exports are served by `wasm.call`, and wasm runs a JS
    import through call_js(callImport, importFn, args)."""
    call_import = b.handle("(f, args) => f(...args)")
    imports: dict[str, JSHandle] = {}

    def register(name: str, fn: JSHandle) -> None:
        imports[name] = fn

    def wasm_call(export: str, args: list[Any]) -> Any:
        if export == "callsImport":
            return b.call_js(call_import, imports["log"], args) + 1
        return sum(args)

    b.expose("wasm.register", register)
    b.expose("wasm.call", wasm_call)
    b.expose("page.echo", lambda v: v)


def test_counts_each_boundary(bridge: Bridge) -> None:
    fake_namespace(bridge)
    bridge.eval("function log(x) { return x * 2; } S['wasm.register']('log', log)")
    tracer = trace.attach(bridge)
    assert trace.ACTIVE is tracer
    bridge.eval(
        "for (let i = 0; i < 5; i++) S['wasm.call']('add', [i, 1]);"
        "for (let i = 0; i < 3; i++) S['wasm.call']('callsImport', [i]);"
        "S['page.echo'](1); S['page.echo'](2);"
    )
    trace.finish(tracer)
    assert trace.ACTIVE is None
    data = tracer.to_json()
    assert data[trace.JS_TO_WASM]["count"] == 8
    assert data[trace.WASM_TO_JS]["count"] == 3
    assert data[trace.JS_TO_PY]["count"] == 2
    assert data[trace.PY_TO_JS]["count"] == 0
    top_wasm = data[trace.JS_TO_WASM]["top"]
    assert [(t["name"], t["count"]) for t in top_wasm] == [("add", 5), ("callsImport", 3)]
    # The import is named by its JS function, resolved at exit.
    assert data[trace.WASM_TO_JS]["top"][0]["name"] == "log()"
    assert data[trace.JS_TO_PY]["top"][0] == {**data[trace.JS_TO_PY]["top"][0], "name": "page.echo"}
    for b in trace.BOUNDARIES:
        assert data[b]["total_ms"] >= 0
    # Nested: each callsImport contains its import call.
    calls_import = next(s for n, s in tracer.top(trace.JS_TO_WASM) if n == "callsImport")
    assert calls_import.total_ns >= tracer.boundaries[trace.WASM_TO_JS].total_ns


def test_python_to_js_outside_wasm(bridge: Bridge) -> None:
    def each(fn: JSHandle, n: int) -> int:
        return sum(bridge.call_js(fn, i) for i in range(n))

    bridge.expose("each", each)
    tracer = trace.attach(bridge)
    assert bridge.eval("S.each(function square(x) { return x * x; }, 4)") == 14
    trace.finish(tracer)
    assert tracer.boundaries[trace.PY_TO_JS].count == 4
    assert tracer.boundaries[trace.JS_TO_PY].count == 1
    assert tracer.top(trace.PY_TO_JS)[0][0] == "square()"


def test_services_exposed_later_and_js_counts(bridge: Bridge) -> None:
    tracer = trace.attach(bridge)
    bridge.expose("late", lambda: 7)
    bridge.eval(
        "S.late(); S.late();"
        "if (B.trace !== undefined && B.trace.on) { B.trace.count('JS -> wasm', 'inline'); }"
    )
    trace.finish(tracer)
    assert tracer.boundaries[trace.JS_TO_PY].count == 2
    assert tracer.boundaries[trace.JS_TO_WASM].count == 1
    assert tracer.top(trace.JS_TO_WASM)[0][0] == "inline (JS count)"
    text = tracer.format()
    for b in trace.BOUNDARIES:
        assert b in text
    assert "late" in text


def test_off_changes_nothing(bridge: Bridge) -> None:
    handler = bridge._services
    before = {sid: h for sid, (_, h, _) in handler.items()}
    assert trace.ACTIVE is None
    trace.record(trace.JS_TO_PY, "x", 10)  # a no-op when off
    with trace.span(trace.JS_TO_PY, "x"):
        pass
    assert {sid: h for sid, (_, h, _) in bridge._services.items()} == before
    assert "call_js" not in vars(bridge)
    assert bridge.eval("B.trace === undefined") is True


def test_distinct_keys_are_capped() -> None:
    tracer = trace.CrossingTracer()
    for i in range(trace.MAX_KEYS + 10):
        tracer.record(trace.JS_TO_PY, f"s{i}", 1)
    assert len(tracer.functions[trace.JS_TO_PY]) == trace.MAX_KEYS + 1
    assert tracer.functions[trace.JS_TO_PY]["(others)"].count == 10
    assert tracer.boundaries[trace.JS_TO_PY].count == trace.MAX_KEYS + 10


def test_with_our_namespace() -> None:
    from engine.api import wat2wasm
    from jsapi.webassembly import install_webassembly

    wat = """(module (import "js" "f" (func $f (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call $f (local.get 0))))"""
    data = list(wat2wasm(wat))
    with Bridge() as b:
        install_webassembly(b)
        tracer = trace.attach(b)
        try:
            total = b.eval(
                f"const bytes = new Uint8Array({data});"
                "const imports = {js: {f: function twice(x) { return 2 * x; }}};"
                "const m = new WebAssembly.Module(bytes);"
                "const inst = new WebAssembly.Instance(m, imports);"
                "let s = 0; for (let i = 0; i < 6; i++) s += inst.exports.run(i); s"
            )
            trace.finish(tracer)
        finally:
            trace.ACTIVE = None
    assert total == 30
    assert tracer.boundaries[trace.JS_TO_WASM].count == 6
    assert tracer.top(trace.JS_TO_WASM)[0][0] == 'export "run"'
    assert tracer.boundaries[trace.WASM_TO_JS].count == 6
    assert tracer.top(trace.WASM_TO_JS)[0][0] == "twice()"
    served = [name for name, _ in tracer.top(trace.JS_TO_PY, 50)]
    assert any(name.startswith("wasm.") for name in served)
