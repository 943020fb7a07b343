import pytest

from jsapi.bridge import Bridge, BridgeError, JSHandle


def test_nested_depth_200(bridge: Bridge) -> None:
    def down(fn: JSHandle, n: int) -> int:
        if n == 0:
            return 0
        return 1 + bridge.call_js(fn, n - 1)

    bridge.expose("down", down)
    assert bridge.eval("globalThis.f = (n) => S.down(B.byRef(f), n) + 1; f(200)") == 401


def test_two_services_interleave(bridge: Bridge) -> None:
    # Python -> JS -> Python (another service) -> JS -> ... with values flowing both ways.
    def outer(cb: JSHandle) -> list[int]:
        return [bridge.call_js(cb, i) for i in range(5)]

    bridge.expose("outer", outer)
    bridge.expose("sq", lambda x: x * x)
    assert bridge.eval("S.outer((i) => S.sq(i) + 1).join()") == "1,2,5,10,17"


def test_repeated_nested_crossings_do_not_leak(bridge: Bridge) -> None:
    def bounce(fn: JSHandle, v: int) -> int:
        return bridge.call_js(fn, v) + 1

    bridge.expose("bounce", bounce)
    bridge.expose("id", lambda v: v)
    bridge.eval("globalThis.g = (v) => S.id(v);")
    assert bridge.eval("let s = 0; for (let i = 0; i < 3000; i++) s += S.bounce(g, 1); s") == 6000
    assert bridge._suspended == {}
    assert bridge.js_handle_count() <= 1  # only the handle of g, until Python drops it


def test_eval_inside_a_request_is_refused(bridge: Bridge) -> None:
    def bad() -> None:
        bridge.eval("1")

    bridge.expose("bad", bad)
    msg = bridge.eval("try { S.bad(); 'no' } catch (e) { e.message }")
    assert "BridgeError" in msg and "serving" in msg


def test_call_js_at_top_level_goes_through_call(bridge: Bridge) -> None:
    fn = bridge.handle("(x) => x + 1")
    assert bridge.call_js(fn, 1) == 2


def test_closed_bridge_refuses(bridge: Bridge) -> None:
    bridge.close()
    with pytest.raises(BridgeError):
        bridge.eval("1")
