import math

from jsapi.bridge import UNDEFINED, BigInt, Bridge, JSHandle


def test_sync_service_returns_value(bridge: Bridge) -> None:
    bridge.expose("add", lambda a, b: a + b)
    assert bridge.eval("S.add(2, 3)") == 5
    assert bridge.eval("S.add('a', 'b')") == "ab"


def test_values_round_trip(bridge: Bridge) -> None:
    seen: list[object] = []

    def echo(*args: object) -> object:
        seen.extend(args)
        return list(args)

    bridge.expose("echo", echo)
    ok = bridge.eval(
        """
        const input = [undefined, null, true, false, 0, -1, 2 ** 31, 2 ** 40, 1.5, NaN, -0,
                       "h\\u00e9llo \\u{1F600}", "\\ud800", 12345678901234567890n];
        const out = S.echo(...input);
        out.length === input.length && out.every((v, i) => Object.is(v, input[i]))
        """
    )
    assert ok is True
    assert seen[0] is UNDEFINED and seen[1] is None
    assert seen[2] is True and seen[3] is False
    assert seen[4:8] == [0, -1, 2**31, 2**40] and all(type(v) is int for v in seen[4:8])
    assert seen[8] == 1.5 and math.isnan(seen[9]) and math.copysign(1, seen[10]) == -1
    assert seen[11] == "h\u00e9llo \U0001f600"
    assert seen[12] == "\ud800"
    assert isinstance(seen[13], BigInt) and seen[13] == 12345678901234567890


def test_python_ints_and_bytes_to_js(bridge: Bridge) -> None:
    bridge.expose("get", lambda: [2**53 + 1, BigInt(7), b"\x01\x02", (1, 2), -(2**70)])
    assert bridge.eval(
        """
        const [big, b7, bytes, tup, huge] = S.get();
        big === 9007199254740993n && b7 === 7n && bytes instanceof Uint8Array &&
        bytes.length === 2 && bytes[1] === 2 && tup.join() === "1,2" && huge === -(2n ** 70n)
        """
    )


def test_objects_travel_as_handles_with_identity(bridge: Bridge) -> None:
    kept: list[JSHandle] = []

    def keep(a: JSHandle, b: JSHandle) -> bool:
        kept.extend([a, b])
        return a is b

    bridge.expose("keep", keep)
    bridge.expose("back", lambda: kept[0])
    assert bridge.eval("const o = {x: 1}; S.keep(o, o) && S.back() === o") is True
    assert isinstance(kept[0], JSHandle)


def test_python_objects_travel_as_wrappers(bridge: Bridge) -> None:
    class Thing:
        pass

    thing = Thing()
    received: list[object] = []
    bridge.expose("make", lambda: thing)
    bridge.expose("take", lambda t: received.append(t) or (t is thing))
    assert bridge.eval("const t = S.make(); B.isPyObject(t) && Object.isFrozen(t) && S.take(t)")
    assert bridge.eval("S.make() === S.make()") is True
    assert received == [thing]


def test_many_calls_in_a_loop(bridge: Bridge) -> None:
    bridge.expose("inc", lambda n: n + 1)
    assert bridge.eval("let n = 0; for (let i = 0; i < 20000; i++) n = S.inc(n); n") == 20000
    assert bridge.js_handle_count() == 0


def test_raw_service(bridge: Bridge) -> None:
    def rev(payload: memoryview) -> bytes:
        return bytes(payload)[::-1]

    bridge.expose("rev", rev, raw=True)
    assert bridge.eval("Array.from(S.rev(new Uint8Array([1, 2, 3]))).join()") == "3,2,1"


def test_load_js_gets_internal_object(bridge: Bridge, tmp_path) -> None:
    bridge.expose("twice", lambda x: 2 * x)
    script = tmp_path / "m.js"
    script.write_text("globalThis.viaModule = bridge.services.twice(21);")
    bridge.load_js(script)
    assert bridge.eval("viaModule") == 42


def test_top_level_call_and_handle(bridge: Bridge) -> None:
    fn = bridge.handle("(a, b) => [a * b, typeof b]")
    assert bridge.call(fn, 6, 7) == [42, "number"]
    assert (
        bridge.call(
            bridge.handle("(function () { return this.v; })"), this=bridge.handle("({v: 5})")
        )
        == 5
    )
