"""The host realm: event loop, timers, console capture, script errors."""

from __future__ import annotations

import time

import pytest

from jsapi.host import EngineUnavailable, Realm, install_engine


@pytest.fixture
def realm():
    with Realm("v8") as r:
        yield r


def test_tasks_timers_and_microtasks_order(realm):
    realm.run_script(
        """
        var log = [];
        setTimeout(() => log.push("t5"), 5);
        setTimeout(() => { log.push("t0"); queueMicrotask(() => log.push("m-in-t0")); }, 0);
        setTimeout(() => log.push("t0b"), 0);
        queueMicrotask(() => log.push("m"));
        setTimeout(() => __jsapiHost.loop.stop(), 20);
        """,
        "order.js",
    )
    assert realm.run_loop(5).reason == "stopped"
    assert realm.eval("log.join()") == "m,t0,m-in-t0,t0b,t5"


def test_console_is_captured_with_levels_and_formatting(realm):
    realm.run_script(
        'console.log("%s has %d", "x", 3, [1, "a"]); console.warn({k: 1}); console.error("e")',
        "c.js",
    )
    messages = [(m.level, m.text) for m in realm.drain_console()]
    assert messages == [("log", 'x has 3 [1, "a"]'), ("warn", "{ k: 1 }"), ("error", "e")]
    assert realm.drain_console() == []


def test_uncaught_script_error_reaches_error_listeners(realm):
    realm.run_script(
        'var seen = []; addEventListener("error", (e) => seen.push(e.message));', "l.js"
    )
    error = realm.run_script('throw new RangeError("out")', "bad.js")
    assert error is not None and error.message == "RangeError: out" and not error.syntax
    assert realm.eval("seen.join()") == "Uncaught RangeError: out"
    parse = realm.run_script("let = ;", "parse.js")
    assert parse is not None and parse.syntax


def test_task_exception_is_reported_and_the_loop_goes_on(realm):
    realm.run_script(
        "var after = false;"
        'setTimeout(() => { throw new Error("in task"); }, 0);'
        "setTimeout(() => { after = true; __jsapiHost.loop.stop(); }, 1);",
        "t.js",
    )
    realm.run_loop(5)
    assert realm.eval("after") is True
    assert any("in task" in m.text for m in realm.drain_console())


def test_deadline_runs_the_callback_then_stops(realm):
    realm.run_script("var fired = 0;", "d.js")
    start = time.monotonic()
    outcome = realm.run_loop(0.2, on_deadline="() => { fired++; __jsapiHost.loop.stop('x'); }")
    assert outcome.reason == "x"
    assert realm.eval("fired") == 1
    assert 0.15 < time.monotonic() - start < 3


def test_virtual_time_skips_idle_waits(realm):
    realm.run_script("setTimeout(() => __jsapiHost.loop.stop(), 5000);", "v.js")
    start = time.monotonic()
    assert realm.run_loop(30, virtual_time=True).reason == "stopped"
    assert time.monotonic() - start < 2


def test_unknown_engine_and_missing_jsapi_engine(realm, monkeypatch):
    with pytest.raises(EngineUnavailable):
        install_engine(realm, "spidermonkey")
    monkeypatch.setattr("jsapi.host.engines.engine_available", lambda name: False)
    with pytest.raises(EngineUnavailable, match="--engine v8"):
        install_engine(realm, "jsapi")
