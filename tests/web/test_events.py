from tests.web.conftest import Page


def test_event_defaults_and_init(page: Page) -> None:
    r = page.js(
        """
        const e = new Event('x', {cancelable: true, bubbles: true});
        const own = Object.getOwnPropertyDescriptor(e, 'isTrusted');
        return [e.type, e.bubbles, e.cancelable, e.composed, e.defaultPrevented, e.eventPhase,
                e.target, e.isTrusted, typeof own.get, own.configurable, Event.AT_TARGET, e.NONE,
                typeof e.timeStamp, Event.length, String(e), e.returnValue];
        """
    )
    assert r == [
        "x",
        True,
        True,
        False,
        False,
        0,
        None,
        False,
        "function",
        False,
        2,
        0,
        "number",
        1,
        "[object Event]",
        True,
    ]
    assert page.error("new Event()")[0] == "TypeError"
    assert page.error("Event('x')")[0] == "TypeError"
    assert page.value("new CustomEvent('c', {detail: {a: 1}}).detail.a") == 1
    assert page.value("new CustomEvent('c').detail") is None
    assert page.value("new CustomEvent('c') instanceof Event") is True


def test_dispatch_order_once_and_handle_event(page: Page) -> None:
    r = page.js(
        """
        const t = new EventTarget(); const log = [];
        const f = (e) => log.push('f:' + (e.currentTarget === t) + e.eventPhase);
        t.addEventListener('x', f);
        t.addEventListener('x', f);  // duplicates are ignored
        t.addEventListener('x', {handleEvent(e) { log.push('obj:' + (this !== t)); }});
        t.addEventListener('x', () => log.push('once'), {once: true});
        const ok = t.dispatchEvent(new Event('x'));
        t.dispatchEvent(new Event('x'));
        t.removeEventListener('x', f);
        t.dispatchEvent(new Event('x'));
        return [ok, log];
        """
    )
    assert r == [True, ["f:true2", "obj:true", "once", "f:true2", "obj:true", "obj:true"]]


def test_prevent_default_passive_and_stop_immediate(page: Page) -> None:
    r = page.js(
        """
        const t = new EventTarget(); const log = [];
        t.addEventListener('a', (e) => e.preventDefault(), {passive: true});
        const r1 = t.dispatchEvent(new Event('a', {cancelable: true}));
        t.addEventListener('b',
            (e) => { e.preventDefault(); e.stopImmediatePropagation(); log.push(1); });
        t.addEventListener('b', () => log.push(2));
        const ev = new Event('b', {cancelable: true});
        const r2 = t.dispatchEvent(ev);
        return [r1, r2, ev.defaultPrevented, log, ev.eventPhase, ev.currentTarget, ev.target === t];
        """
    )
    assert r == [True, False, True, [1], 0, None, True]


def test_dispatch_errors(page: Page) -> None:
    assert page.error("new EventTarget().dispatchEvent({type: 'x'})")[0] == "TypeError"
    err = page.error(
        "const t = new EventTarget(); const e = new Event('x');"
        "t.addEventListener('x', () => t.dispatchEvent(e)); let inner;"
        "t.addEventListener('x', () => {}); t.dispatchEvent(e);"
        # the nested dispatch threw inside a listener: reported, not propagated
    )
    assert err is None
    inner = page.js(
        "const t = new EventTarget(); const e = new Event('x'); let name = null;"
        "t.addEventListener('x', () => { try { t.dispatchEvent(e) } catch (x) { name = x.name } });"
        "t.dispatchEvent(e); return name;"
    )
    assert inner == "InvalidStateError"
    assert page.error("new EventTarget().addEventListener('x')")[0] == "TypeError"
    assert page.error("new EventTarget().addEventListener('x', 5)")[0] == "TypeError"
    # A throwing listener does not stop the others.
    assert (
        page.js(
            "const t = new EventTarget(); let n = 0; globalThis.console = {error() {}};"
            "t.addEventListener('x', () => { throw new Error('boom') });"
            "t.addEventListener('x', () => n++); t.dispatchEvent(new Event('x')); return n;"
        )
        == 1
    )


def test_signal_removes_listener(page: Page) -> None:
    r = page.js(
        """
        const t = new EventTarget(); const c = new AbortController(); let n = 0;
        t.addEventListener('x', () => n++, {signal: c.signal});
        t.dispatchEvent(new Event('x')); c.abort(); t.dispatchEvent(new Event('x'));
        t.addEventListener('x', () => n += 100, {signal: c.signal});  // already aborted: not added
        t.dispatchEvent(new Event('x'));
        return n;
        """
    )
    assert r == 1
    assert (
        page.error("new EventTarget().addEventListener('x', () => {}, {signal: {}})")[0]
        == "TypeError"
    )


def test_event_handler_attribute_helper(page: Page) -> None:
    r = page.js(
        """
        const c = new AbortController(); const log = [];
        c.signal.addEventListener('abort', () => log.push('first'));
        c.signal.onabort = (e) => { log.push('handler:' + e.isTrusted); return false; };
        c.signal.addEventListener('abort', () => log.push('last'));
        const before = c.signal.onabort !== null;
        c.abort();
        return [before, log, 'onabort' in AbortSignal.prototype];
        """
    )
    assert r == [True, ["first", "handler:true", "last"], True]
