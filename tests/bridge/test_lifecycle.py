import gc

from jsapi.bridge import Bridge, JSHandle


def test_many_bridges_open_and_close() -> None:
    for i in range(6):
        with Bridge() as b:
            b.expose("f", lambda x, i=i: x + i)
            assert b.eval("__jsapiBridge.services.f(1)") == 1 + i
    gc.collect()


def test_two_bridges_are_independent() -> None:
    with Bridge() as a, Bridge() as b:
        a.expose("who", lambda: "a")
        b.expose("who", lambda: "b")
        assert a.eval("__jsapiBridge.services.who()") == "a"
        assert b.eval("__jsapiBridge.services.who()") == "b"


def test_close_with_a_suspended_request() -> None:
    # A service suspended in call_js when JS is abandoned: closing must not crash.
    b = Bridge()
    b.eval("globalThis.S = __jsapiBridge.services;")

    def wait(fn: JSHandle) -> None:
        b.call_js(fn)

    b.expose("wait", wait)
    b.eval("try { S.wait(() => { throw 1; }) } catch (e) {}")
    b.close()
    b.close()
    gc.collect()


def test_handles_dropped_after_close_are_ignored() -> None:
    b = Bridge()
    kept: list[JSHandle] = []
    b.expose("keep", lambda o: kept.append(o))
    b.eval("__jsapiBridge.services.keep({})")
    b.close()
    kept.clear()
    gc.collect()


def test_internal_object_can_be_hidden_from_page_code(tmp_path) -> None:
    with Bridge() as b:
        b.expose("ping", lambda: "pong")
        script = tmp_path / "host.js"
        script.write_text("const ping = bridge.services.ping; globalThis.hostPing = () => ping();")
        b.load_js(script)
        b.eval("delete globalThis.__jsapiBridge")
        assert b.eval("typeof globalThis.__jsapiBridge") == "undefined"
        assert b.eval("hostPing()") == "pong"
        assert b.call(b.handle("hostPing")) == "pong"
