"""``timeout`` on top-level scripts: V8 terminates the script, the bridge stays usable."""

from __future__ import annotations

import time

import pytest

from jsapi.bridge import Bridge, BridgeError, BridgeTimeout, JSHandle


def test_runaway_script_is_terminated(bridge: Bridge) -> None:
    bridge.expose("sq", lambda x: x * x)
    start = time.monotonic()
    with pytest.raises(BridgeTimeout, match="did not finish within 0.2 s"):
        bridge.eval("for (;;) {}", timeout=0.2)
    assert time.monotonic() - start < 3
    assert bridge.eval("S.sq(7)") == 49
    assert bridge.call(bridge.handle("(x) => S.sq(x) + 1"), 3) == 10


def test_timeout_is_a_bridge_error_and_a_timeout_error(bridge: Bridge) -> None:
    with pytest.raises(TimeoutError):
        bridge.eval("while (true) {}", timeout=0.1)
    with pytest.raises(BridgeError):
        bridge.eval("while (true) {}", timeout=0.1)
    assert bridge.eval("'still here'") == "still here"


def test_terminated_while_crossing_into_python(bridge: Bridge) -> None:
    calls: list[int] = []

    def sq(x: int) -> int:
        calls.append(x)
        return x * x

    bridge.expose("sq", sq)
    with pytest.raises(BridgeTimeout):
        bridge.eval("let k = 0; for (;;) k += S.sq(2);", timeout=0.3)
    assert calls and set(calls) == {2}
    assert bridge.eval("S.sq(9)") == 81
    assert bridge.call(bridge.handle("(x) => [x, S.sq(x)]"), 5) == [5, 25]
    assert bridge._pending is None


def test_terminated_inside_a_nested_js_call(bridge: Bridge) -> None:
    def nest(fn: JSHandle) -> object:
        return bridge.call_js(fn)

    bridge.expose("nest", nest)
    bridge.expose("sq", lambda x: x * x)
    with pytest.raises(BridgeTimeout):
        bridge.eval("S.nest(() => { for (;;) {} })", timeout=0.3)
    # The service never resumed; the bridge serves new requests all the same.
    assert bridge.eval("S.nest(() => S.sq(11))") == 121


def test_load_js_timeout(bridge: Bridge, tmp_path) -> None:
    script = tmp_path / "spin.js"
    script.write_text("for (;;) {}")
    with pytest.raises(BridgeTimeout):
        bridge.load_js(script, timeout=0.2)
    ok = tmp_path / "ok.js"
    ok.write_text("globalThis.loadedOk = 1;")
    bridge.load_js(ok, timeout=5)
    assert bridge.eval("loadedOk") == 1


def test_fast_script_within_timeout(bridge: Bridge) -> None:
    assert bridge.eval("6 * 7", timeout=5) == 42
