import pytest

from jsapi.bridge import Bridge, JSError, JSHandle, ThrowJS


def test_js_exception_keeps_identity_through_python(bridge: Bridge) -> None:
    def relay(fn: JSHandle) -> None:
        bridge.call_js(fn)

    bridge.expose("relay", relay)
    assert bridge.eval(
        """
        const boom = {tag: "mine"};
        let caught;
        try { S.relay(() => { throw boom; }); } catch (e) { caught = e; }
        caught === boom
        """
    )


def test_js_exception_seen_in_python_as_jserror(bridge: Bridge) -> None:
    seen: list[JSError] = []

    def probe(fn: JSHandle) -> str:
        try:
            bridge.call_js(fn)
        except JSError as e:
            seen.append(e)
            return "handled"
        return "no"

    bridge.expose("probe", probe)
    bridge.expose("same", lambda v: v is seen[0].value)
    assert (
        bridge.eval("const err = new RangeError('bad'); S.probe(() => { throw err; })") == "handled"
    )
    assert seen[0].text == "RangeError: bad"
    assert bridge.eval("S.same(err)") is True


def test_python_exception_surfaces_as_error(bridge: Bridge) -> None:
    def fail() -> None:
        raise ValueError("nope")

    bridge.expose("fail", fail)
    assert (
        bridge.eval("try { S.fail(); 'x' } catch (e) { (e instanceof Error) + ' ' + e.message }")
        == "true ValueError: nope"
    )


def test_python_type_error_maps_to_js_type_error(bridge: Bridge) -> None:
    def fail() -> None:
        raise TypeError("wrong type")

    bridge.expose("fail", fail)
    assert bridge.eval(
        "try { S.fail() } catch (e) { e.constructor === TypeError && e.message }"
    ) == ("wrong type")


def test_throw_js_with_constructor_path(bridge: Bridge) -> None:
    def trap() -> None:
        raise ThrowJS("WebAssembly.RuntimeError", "unreachable")

    bridge.expose("trap", trap)
    assert (
        bridge.eval(
            "try { S.trap() } catch (e) { (e instanceof WebAssembly.RuntimeError) && e.message }"
        )
        == "unreachable"
    )


def test_python_exception_keeps_identity_through_js(bridge: Bridge) -> None:
    original = KeyError("inner")
    caught: list[BaseException] = []

    def inner() -> None:
        raise original

    def outer(fn: JSHandle) -> str:
        try:
            bridge.call_js(fn)
        except KeyError as e:
            caught.append(e)
            return "caught"
        return "missed"

    bridge.expose("inner", inner)
    bridge.expose("outer", outer)
    assert bridge.eval("S.outer(() => S.inner())") == "caught"
    assert caught[0] is original


def test_exceptions_in_a_loop_do_not_break_the_mailbox(bridge: Bridge) -> None:
    def sometimes(i: int) -> int:
        if i % 3 == 0:
            raise RuntimeError(str(i))
        return i

    bridge.expose("sometimes", sometimes)
    total = bridge.eval(
        """
        let t = 0;
        for (let i = 0; i < 3000; i++) { try { t += S.sometimes(i); } catch (e) { t -= 1; } }
        t
        """
    )
    assert total == sum(i for i in range(3000) if i % 3) - 1000


def test_top_level_call_raises_jserror(bridge: Bridge) -> None:
    fn = bridge.handle("() => { throw new Error('top'); }")
    with pytest.raises(JSError, match="Error: top"):
        bridge.call(fn)
