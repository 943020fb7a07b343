from tests.web.conftest import Page

INTERFACES = [
    "DOMException", "TextEncoder", "TextDecoder", "Event", "CustomEvent", "EventTarget",
    "AbortController", "AbortSignal", "Performance", "PerformanceEntry", "PerformanceMark",
    "PerformanceMeasure", "Crypto", "Blob", "File", "URL", "URLSearchParams", "Headers",
    "Request", "Response", "Location", "Navigator",
]  # fmt: skip


def test_window_self_global_identity(page: Page) -> None:
    r = page.js(
        """
        const w = Object.getOwnPropertyDescriptor(globalThis, 'window');
        return [window === self, self === globalThis, window.window === window, w.configurable,
                typeof w.get, origin, isSecureContext, crossOriginIsolated];
        """
    )
    assert r == [True, True, True, False, "function", "http://localhost", True, True]
    # [Replaceable] self
    assert page.js("self = 5; return [self, window === globalThis];") == [5, True]


def test_location(page: Page) -> None:
    r = page.js(
        "const l = location; return [l.href, l.origin, l.protocol, l.host, l.hostname, l.port,"
        " l.pathname, l.search, l.hash, String(l), Object.prototype.toString.call(l)];"
    )
    assert r == [
        "http://localhost/dir/page.html?q=1#top", "http://localhost", "http:", "localhost",
        "localhost", "", "/dir/page.html", "?q=1", "#top", "http://localhost/dir/page.html?q=1#top",
        "[object Location]",
    ]  # fmt: skip
    assert page.error("location.assign('/x')")[:2] == ["DOMException", "NotSupportedError"]
    assert page.error("new Location()")[0] == "TypeError"


def test_navigator(page: Page) -> None:
    r = page.js(
        "const n = navigator; return [n.userAgent.includes('jsapi'), n.hardwareConcurrency,"
        " n.language, n.languages, n.languages === n.languages, Object.isFrozen(n.languages),"
        " n.onLine, String(n)];"
    )
    assert r == [True, 4, "en-US", ["en-US", "en"], True, True, True, "[object Navigator]"]


def test_interface_objects(page: Page) -> None:
    for name in INTERFACES:
        r = page.js(
            f"""
            const d = Object.getOwnPropertyDescriptor(globalThis, {name!r});
            const p = Object.getOwnPropertyDescriptor({name}.prototype, Symbol.toStringTag);
            const proto = Object.getOwnPropertyDescriptor({name}, 'prototype');
            const ctor = Object.getOwnPropertyDescriptor({name}.prototype, 'constructor');
            return [d.writable, d.enumerable, d.configurable, {name}.name, p.value, p.writable,
                    p.enumerable, p.configurable, proto.writable, proto.configurable,
                        ctor.enumerable];
            """
        )
        assert r == [True, False, True, name, name, False, False, True, False, False, False], name
        assert page.error(f"{name}()")[0] == "TypeError", name


def test_global_functions(page: Page) -> None:
    for name, length in [("fetch", 1), ("structuredClone", 1), ("atob", 1), ("btoa", 1)]:
        r = page.js(
            f"const d = Object.getOwnPropertyDescriptor(globalThis, {name!r});"
            f"return [typeof d.value, d.writable, d.enumerable, d.configurable, {name}.length];"
        )
        assert r == ["function", True, True, True, length], name


def test_headers(page: Page) -> None:
    r = page.js(
        """
        const h = new Headers({'X-B': ' 2 ', 'x-a': '1'});
        h.append('x-a', '3'); h.append('Set-Cookie', 'a=1'); h.append('set-cookie', 'b=2');
        return [h.get('X-A'), h.get('x-b'), h.has('X-b'), [...h], h.getSetCookie(), h.get('nope')];
        """
    )
    assert r == [
        "1, 3", "2", True,
        [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1, 3"], ["x-b", "2"]],
        ["a=1", "b=2"], None,
    ]  # fmt: skip
    assert page.error("new Headers().append('bad name', 'x')")[0] == "TypeError"
    assert page.error("new Headers().append('x', 'a\\nb')")[0] == "TypeError"
    assert page.error("new Headers().append('x', '\\u0100')")[0] == "TypeError"


def test_response_and_request(page: Page) -> None:
    r = page.run(
        """
        const r = new Response('hi', {status: 201, statusText: 'Made', headers: {a: 'b'}});
        const j = Response.json({k: 1});
        const e = Response.error();
        const red = Response.redirect('/next', 307);
        const q = new Request('/api?x', {method: 'post', body: new URLSearchParams('a=1')});
        return [r.status, r.ok, r.statusText, r.headers.get('content-type'), await r.text(),
            r.bodyUsed,
                await j.json(), j.headers.get('content-type'), e.type, e.status,
                red.headers.get('location'), red.status, q.method, q.url,
                q.headers.get('content-type'), await q.text(), q.signal instanceof AbortSignal,
                new Response(null, {status: 204}).body === undefined];
        """
    )
    assert r == [
        201, True, "Made", "text/plain;charset=UTF-8", "hi", True, {"k": 1}, "application/json",
        "error", 0, "http://localhost/next", 307, "POST", "http://localhost/api?x",
        "application/x-www-form-urlencoded;charset=UTF-8", "a=1", True, True,
    ]  # fmt: skip
    assert page.error("new Response('', {status: 99})")[0] == "RangeError"
    assert page.error("new Response('x', {status: 204})")[0] == "TypeError"
    assert page.error("Response.redirect('/x', 200)")[0] == "RangeError"
    assert page.error("new Request('/x', {method: 'CONNECT'})")[0] == "TypeError"
    assert page.error("new Request('http://a b')")[0] == "TypeError"


def test_works_once_the_bridge_is_hidden(page: Page) -> None:
    (page.root / "a.txt").write_text("text")
    page.bridge.eval("delete globalThis.__jsapiBridge")
    r = page.run(
        """
        const t = await (await fetch('/a.txt')).text();
        return [typeof __jsapiBridge, t, crypto.getRandomValues(new Uint8Array(4)).length,
                performance.now() > 0, structuredClone(new Map([[1, 2]])).get(1)];
        """
    )
    assert r == ["undefined", "text", 4, True, 2]
