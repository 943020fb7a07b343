"""console formatting: the Console Standard's formatter and DevTools-style previews."""

from __future__ import annotations

import pytest

from jsapi.host import Realm


def log(realm: Realm, args: str) -> str:
    realm.eval(f"console.log({args})")
    (message,) = realm.drain_console()
    return message.text


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ("'%s is %d years', 'Bob', 42.9", "Bob is 42 years"),
        ("'%i|%f', '12.5px', '1.5e3'", "12|1500"),
        ("'%d', {}", "NaN"),
        ("'%c styled', 'color: red'", " styled"),
        ("'100%% sure'", "100% sure"),
        ("'%o and %O', [1], {a: 1}", "(1) [1] and {a: 1}"),
        ("'%s', 10n", "10n"),
        ("'missing %s'", "missing %s"),
        ("'extra', 1, 'two'", "extra 1 two"),
        ("{a: 1, b: 'x', c: [1, {d: null}]}", "{a: 1, b: 'x', c: (2) [1, {d: null}]}"),
        ("{a: {b: {c: {d: 1}}}}", "{a: {b: {c: {…}}}}"),
        ("[[1, [2, [3, [4]]]]]", "(1) [(2) [1, (2) [2, Array(2)]]]"),
        ("new Map([['k', 1]]), new Set([1, 'a'])", "Map(1) {'k' => 1} Set(2) {1, 'a'}"),
        ("new Uint8Array([1, 2]), new ArrayBuffer(8)", "Uint8Array(2) [1, 2] ArrayBuffer(8)"),
        ("-0, undefined, null, Symbol('s')", "-0 undefined null Symbol(s)"),
        ("{'a-b': 1, [Symbol.iterator]: 2}", "{'a-b': 1}"),
        ("new (class Point { constructor() { this.x = 1; } })()", "Point {x: 1}"),
        ("[function named() {}]", "(1) [ƒ named()]"),
        ("Object.create(null)", "{}"),
    ],
)
def test_chrome_previews(chrome: Realm, args: str, text: str) -> None:
    assert log(chrome, args) == text


def test_node_style_stays_the_default_for_test_realms(realm: Realm) -> None:
    assert log(realm, "{k: 1}, [1, 'a']") == '{ k: 1 } [1, "a"]'


def test_circular_structure(chrome: Realm) -> None:
    assert log(chrome, "(() => { const o = {}; o.self = o; return o; })()") == (
        "{self: [Circular *1]}"
    )


def test_error_prints_its_stack_without_host_frames(chrome: Realm) -> None:
    chrome.eval("setTimeout(() => console.log(new Error('bad')), 0); __jsapiHost.loop.stop()")
    chrome.run_loop(5)
    chrome.eval("console.log(new RangeError('x'))")
    texts = [m.text for m in chrome.drain_console()]
    assert texts[-1].startswith("RangeError: x\n    at ")
    assert all("jsapi:host" not in t for t in texts)


def test_levels_count_assert_group_time(chrome: Realm) -> None:
    chrome.eval(
        """
        console.info('i'); console.debug('d'); console.warn('w'); console.error('e');
        console.count(); console.count(); console.count('x'); console.countReset();
        console.count();
        console.assert(true, 'never'); console.assert(false, 'value %d', 5);
        console.assert(false);
        console.group('G'); console.log('inside'); console.groupEnd(); console.log('out');
        console.time('t'); console.timeEnd('t'); console.timeEnd('t');
        """
    )
    messages = [(m.level, m.text) for m in chrome.drain_console()]
    assert messages[:13] == [
        ("info", "i"),
        ("debug", "d"),
        ("warn", "w"),
        ("error", "e"),
        ("info", "default: 1"),
        ("info", "default: 2"),
        ("info", "x: 1"),
        ("info", "default: 1"),
        ("error", "Assertion failed: value 5"),
        ("error", "Assertion failed"),
        ("log", "G"),
        ("log", "  inside"),
        ("log", "out"),
    ]
    level, text = messages[13]
    assert level == "info" and text.startswith("t: ") and text.endswith(" ms")
    assert messages[14] == ("warn", "Timer 't' does not exist")


def test_table(chrome: Realm) -> None:
    chrome.eval("console.table([{a: 1, b: 'x'}, {a: 2}])")
    (message,) = chrome.drain_console()
    assert message.text.split("\n") == [
        "┌─────────┬───┬─────┐",
        "│ (index) │ a │  b  │",
        "├─────────┼───┼─────┤",
        "│    0    │ 1 │ 'x' │",
        "│    1    │ 2 │     │",
        "└─────────┴───┴─────┘",
    ]
    chrome.eval("console.table({x: 1, y: 2})")
    (message,) = chrome.drain_console()
    assert "│ (index) │ Value │" in message.text
    assert "│    y    │   2   │" in message.text
