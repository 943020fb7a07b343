import gc

from jsapi.bridge import Bridge, JSHandle


def test_handles_released_after_python_drops_them(bridge: Bridge) -> None:
    kept: list[JSHandle] = []
    bridge.expose("keep", lambda o: kept.append(o))
    bridge.expose("noop", lambda: None)
    base = bridge.js_handle_count()
    bridge.eval("for (let i = 0; i < 500; i++) S.keep({i});")
    assert bridge.js_handle_count() == base + 500
    assert bridge.handles.live_count() == 500
    kept.clear()
    gc.collect()
    # Releases ride on the next crossing, never on a finalizer.
    bridge.eval("S.noop()")
    assert bridge.js_handle_count() == base


def test_transient_handles_do_not_accumulate(bridge: Bridge) -> None:
    bridge.expose("touch", lambda o: isinstance(o, JSHandle))
    bridge.eval("for (let i = 0; i < 5000; i++) S.touch({i});")
    bridge.eval("S.touch(1)")
    assert bridge.js_handle_count() == 0


def test_same_value_counted_per_transfer(bridge: Bridge) -> None:
    kept: list[JSHandle] = []
    bridge.expose("keep", lambda o: kept.append(o))
    bridge.eval("globalThis.o = {}; S.keep(o); S.keep(o); S.keep(o);")
    assert kept[0] is kept[1] is kept[2]
    del kept[:2]
    gc.collect()
    bridge.eval("S.keep(1)")
    assert bridge.js_handle_count() == 1  # kept[0] still alive
    kept.clear()
    gc.collect()
    bridge.eval("S.keep(2)")
    assert bridge.js_handle_count() == 0


def test_handle_reacquired_after_release_is_valid(bridge: Bridge) -> None:
    kept: list[JSHandle] = []
    bridge.expose("keep", lambda o: kept.append(o))
    bridge.expose("call", lambda: bridge.call_js(kept[-1]))
    bridge.eval("globalThis.fn = () => 7; S.keep(fn);")
    kept.clear()
    gc.collect()
    assert bridge.eval("S.keep(fn); S.call()") == 7


def test_python_objects_released_when_js_drops_them(bridge: Bridge) -> None:
    class Big:
        pass

    bridge.expose("make", lambda: Big())
    bridge.expose("noop", lambda: None)
    bridge.eval("globalThis.hold = []; for (let i = 0; i < 100; i++) hold.push(S.make());")
    assert len(bridge.pyobjs) == 100
    bridge.eval("hold = null;")
    mr = bridge._racer.mr
    assert mr is not None
    for _ in range(10):
        mr.low_memory_notification()
        bridge.eval("S.noop()")
        if len(bridge.pyobjs) == 0:
            break
    assert len(bridge.pyobjs) == 0
