from tests.web.conftest import Page


def test_controller_abort_reason(page: Page) -> None:
    r = page.js(
        """
        const c = new AbortController(); const s = c.signal; let events = 0;
        s.addEventListener('abort', () => events++);
        const before = [s.aborted, s.reason];
        c.abort(); c.abort('again');
        let thrown; try { s.throwIfAborted() } catch (e) { thrown = e }
        return [before, s.aborted, s.reason.name, s.reason.code, events, thrown === s.reason,
                c.signal === s, String(s)];
        """
    )
    assert r == [[False, None], True, "AbortError", 20, 1, True, True, "[object AbortSignal]"]
    assert (
        page.value(
            "(() => { const c = new AbortController(); c.abort(42); return c.signal.reason })()"
        )
        == 42
    )


def test_static_abort_and_constructor(page: Page) -> None:
    assert page.value("AbortSignal.abort().reason.name") == "AbortError"
    assert page.value("AbortSignal.abort('r').reason") == "r"
    assert page.error("new AbortSignal()")[0] == "TypeError"
    assert page.value("AbortSignal.length") == 0
    assert page.value("new AbortController().signal instanceof EventTarget") is True
    assert (
        page.value(
            "(() => { const s = new AbortController().signal; s.throwIfAborted(); return 1 })()"
        )
        == 1
    )


def test_any(page: Page) -> None:
    r = page.js(
        """
        const a = new AbortController(), b = new AbortController();
        const any = AbortSignal.any([a.signal, b.signal]);
        const nested = AbortSignal.any([any]);
        let fired = [];
        any.onabort = () => fired.push('any'); nested.onabort = () => fired.push('nested');
        b.abort('B'); a.abort('A');
        return [any.aborted, any.reason, nested.reason, fired,
                AbortSignal.any([AbortSignal.abort('x')]).reason, AbortSignal.any([]).aborted];
        """
    )
    assert r == [True, "B", "B", ["any", "nested"], "x", False]
    assert page.error("AbortSignal.any([{}])")[0] == "TypeError"


def test_timeout(page: Page) -> None:
    r = page.run(
        """
        const s = AbortSignal.timeout(5);
        const first = s.aborted;
        await new Promise((resolve) => s.addEventListener('abort', resolve));
        return [first, s.reason.name, s.reason.code];
        """
    )
    assert r == [False, "TimeoutError", 23]
    assert page.error("AbortSignal.timeout(-1)")[0] == "TypeError"
