import re
import time

from tests.web.conftest import Page


def test_now_is_monotonic_and_relative_to_time_origin(page: Page) -> None:
    r = page.js(
        """
        const a = performance.now(); const b = performance.now();
        return [a >= 0, b >= a, Math.abs(performance.timeOrigin + a - Date.now()) < 1000,
                performance.toJSON().timeOrigin === performance.timeOrigin, String(performance),
                performance instanceof EventTarget];
        """
    )
    assert r == [True, True, True, True, "[object Performance]", True]
    first = page.value("performance.now()")
    time.sleep(0.02)
    assert page.value("performance.now()") - first >= 19


def test_mark_measure_entries(page: Page) -> None:
    r = page.js(
        """
        const m1 = performance.mark('a', {startTime: 10, detail: {x: 1}});
        performance.mark('b', {startTime: 30});
        const m = performance.measure('ab', 'a', 'b');
        const o = performance.measure('opt', {start: 5, duration: 7, detail: 'd'});
        const names = performance.getEntries().map((e) => e.name);
        const marks = performance.getEntriesByType('mark').length;
        performance.clearMarks('a');
        return [m1.entryType, m1.detail, m.startTime, m.duration, o.startTime, o.duration, o.detail,
                names, marks, performance.getEntriesByName('a').length,
                performance.getEntriesByName('ab', 'measure').length,
                    m1 instanceof PerformanceEntry,
                m.toJSON().entryType];
        """
    )
    assert r == [
        "mark",
        {"x": 1},
        10,
        20,
        5,
        7,
        "d",
        ["opt", "a", "ab", "b"],
        2,
        0,
        1,
        True,
        "measure",
    ]
    assert page.error("performance.measure('x', 'nope')")[:2] == ["DOMException", "SyntaxError"]
    assert page.error("performance.mark('x', {startTime: -1})")[0] == "TypeError"
    assert page.error("performance.measure('x', {})") is None  # empty options: start 0, end now
    assert page.error("performance.measure('x', {start: 1}, 'b')")[0] == "TypeError"
    assert page.error("new Performance()")[0] == "TypeError"


def test_get_random_values(page: Page) -> None:
    r = page.js(
        """
        const a = new Uint8Array(1024); const same = crypto.getRandomValues(a) === a;
        const distinct = new Set(a).size;
        const b = new BigUint64Array(4); crypto.getRandomValues(b);
        const big = new Uint8Array(65536); crypto.getRandomValues(big);
        return [same, distinct > 200, b.some((x) => x !== 0n), big.some((x) => x !== 0)];
        """
    )
    assert r == [True, True, True, True]
    quota = page.error("crypto.getRandomValues(new Uint8Array(65537))")
    assert quota[:2] == ["DOMException", "QuotaExceededError"]
    for bad in ("new Float64Array(2)", "new DataView(new ArrayBuffer(2))", "new Float32Array(1)"):
        assert page.error(f"crypto.getRandomValues({bad})")[:2] == [
            "DOMException",
            "TypeMismatchError",
        ]
    assert page.error("crypto.getRandomValues([1, 2])")[0] == "TypeError"
    assert page.error("crypto.getRandomValues()")[0] == "TypeError"
    assert page.error("crypto.getRandomValues.call({}, new Uint8Array(1))")[0] == "TypeError"
    assert page.error("new Crypto()")[0] == "TypeError"


def test_random_uuid(page: Page) -> None:
    ids = page.value("Array.from({length: 50}, () => crypto.randomUUID())")
    pattern = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(pattern.match(i) for i in ids)
    assert len(set(ids)) == 50
    assert page.value("String(crypto)") == "[object Crypto]"
