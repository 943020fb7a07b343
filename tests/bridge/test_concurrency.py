"""Top-level calls from Python threads while V8 keeps serving timers on its own thread.

mini-racer's setTimeout resolves through ``Atomics.waitAsync``: each timer callback is a separate
V8 task, so the services it calls run on the V8 thread at arbitrary moments relative to the
main thread's ``eval``/``call``/``handle``... Every result is checked on both sides.
"""

from __future__ import annotations

import gc
import threading
import time

import pytest

from jsapi.bridge import Bridge, BridgeError, JSHandle

# Keeps services busy on the V8 thread: every timer calls `echo` with a payload that depends
# on its sequence number (small, msgpack-large and attachment-sized binaries, handles), checks
# the reply and re-arms itself until `stop` is set.
TIMERS = """
globalThis.tick = { n: 0, bad: [], stop: false, live: 0 };
function payload(i) {
  const bin = new Uint8Array(i % 3 === 0 ? 300 + (i % 700) : i % 40);
  for (let k = 0; k < bin.length; k++) bin[k] = (i + k) & 255;
  return [i, 'v'.repeat(i % 90), bin, { tag: i }];
}
function check(i, r) {
  if (r[0] !== i * 2 || r[1] !== 'v'.repeat(i % 90).toUpperCase()) return false;
  const bin = payload(i)[2];
  if (r[2].length !== bin.length) return false;
  for (let k = 0; k < bin.length; k++) if (r[2][k] !== ((bin[k] + 1) & 255)) return false;
  return r[3] === i;
}
function timer() {
  if (tick.stop) { tick.live--; return; }
  const i = tick.n++;
  try {
    const r = S.echo(...payload(i));
    if (!check(i, r)) tick.bad.push(i);
  } catch (e) { tick.bad.push(String(e)); }
  setTimeout(timer, 1);
}
function startTimers(k) { for (let j = 0; j < k; j++) { tick.live++; setTimeout(timer, 1); } }
"""


def _echo(i: int, s: str, data: bytes | memoryview, obj: JSHandle) -> list[object]:
    assert isinstance(obj, JSHandle)
    return [i * 2, s.upper(), bytes((b + 1) & 255 for b in data), i]


def _start(bridge: Bridge, timers: int = 3) -> None:
    bridge.expose("echo", _echo)
    bridge.eval(TIMERS)
    bridge.eval(f"startTimers({timers})")


def _stop(bridge: Bridge) -> None:
    bridge.eval("tick.stop = true")
    deadline = time.monotonic() + 5
    while bridge.eval("tick.live") and time.monotonic() < deadline:
        time.sleep(0.002)
    assert bridge.eval("tick.live") == 0


def _top_level_round(bridge: Bridge, k: int, tmp_loader: str) -> None:
    """One of each top-level operation, each result checked."""
    fn = bridge.handle("(a, s, b) => [a + 1, s + '!', new Uint8Array(b.length).fill(7), b]")
    blob = bytes(range(256)) * (1 + k % 5)
    a, s, filled, back = bridge.call(fn, k, "x" * (k % 60), blob)
    assert (a, s) == (k + 1, "x" * (k % 60) + "!")
    assert filled == bytes([7]) * len(blob)
    assert back == blob
    assert bridge.eval(f"{k} * 3") == k * 3
    assert bridge.eval(f"'s' + {k}") == f"s{k}"
    obj = bridge.handle(f"({{ k: {k} }})")
    assert bridge.call(bridge.handle("(o) => o.k"), obj) == k
    with pytest.raises(Exception, match=f"boom{k}"):
        bridge.call(bridge.handle(f"() => {{ throw new Error('boom{k}') }}"))
    if k % 10 == 0:
        view = bridge.acquire_view(f"new Uint8Array([{k % 256}, 2, 3]).buffer")
        assert bytes(view.mem) == bytes([k % 256, 2, 3])
        bridge.expose(f"svc{k}", lambda x, k=k: x + k)
        assert bridge.eval(f"S.svc{k}(1)") == k + 1
        assert bridge.load_js(tmp_loader) == 0
        assert bridge.eval("globalThis.loaded") == 5


def test_top_level_calls_while_timers_call_services(bridge: Bridge, tmp_path) -> None:
    loader = tmp_path / "loader.js"
    loader.write_text(
        "globalThis.loaded = bridge.services.echo(2, 'a', new Uint8Array(1), {})[0] + 1;"
    )
    _start(bridge)
    rounds = 0
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline or bridge.eval("tick.n") < 200:
        _top_level_round(bridge, rounds, str(loader))
        rounds += 1
        assert time.monotonic() < deadline + 20, "timers made too little progress"
    _stop(bridge)
    assert bridge.eval("JSON.stringify(tick.bad)") == "[]"
    assert rounds > 20
    assert bridge.eval("tick.n") >= 200
    # Every handle was released exactly once, whichever thread dropped it.
    gc.collect()
    bridge.eval("0")
    assert bridge.js_handle_count() == bridge.handles.live_count()


def test_two_python_threads_and_timers(bridge: Bridge) -> None:
    _start(bridge, timers=2)
    errors: list[BaseException] = []

    def worker(base: int) -> None:
        try:
            f = bridge.handle("(x, s) => [x * x, s.length]")
            for k in range(base, base + 150):
                assert bridge.call(f, k, "q" * (k % 70)) == [k * k, k % 70]
                assert bridge.eval(f"{k} - 1") == k - 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i * 1000,)) for i in range(2)]
    for t in threads:
        t.start()
    worker(5000)
    for t in threads:
        t.join(60)
    _stop(bridge)
    assert errors == []
    assert bridge.eval("JSON.stringify(tick.bad)") == "[]"


def test_main_thread_may_call_while_a_service_runs_on_the_v8_thread(bridge: Bridge) -> None:
    entered, go = threading.Event(), threading.Event()

    def block() -> str:
        entered.set()
        go.wait(10)
        return "served"

    bridge.expose("block", block)
    bridge.expose("sq", lambda x: x * x)
    bridge.eval("globalThis.got = null; setTimeout(() => { got = S.block(); }, 1)")
    assert entered.wait(10)
    # The service is still running on the V8 thread: the call queues behind it.
    threading.Timer(0.05, go.set).start()
    assert bridge.eval("S.sq(3) + ':' + got") == "9:served"


def test_calls_on_the_v8_thread_are_still_refused(bridge: Bridge) -> None:
    seen: list[str] = []

    def bad() -> None:
        for attempt in (
            lambda: bridge.eval("1"),
            lambda: bridge.handle("1"),
            lambda: bridge.acquire_view("new ArrayBuffer(8)"),
            lambda: bridge.expose("x", lambda: 0),
        ):
            try:
                attempt()
            except BridgeError as exc:
                seen.append(str(exc))

    bridge.expose("bad", bad)
    bridge.eval("setTimeout(() => S.bad(), 1); S.bad()")
    deadline = time.monotonic() + 5
    while len(seen) < 8 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert seen == ["cannot drive JS from Python while serving a JS request"] * 8


def test_top_level_binary_results_stay_valid(bridge: Bridge) -> None:
    f = bridge.handle("(n, v) => new Uint8Array(n).fill(v)")
    first = bridge.call(f, 4000, 1)
    second = bridge.call(f, 4000, 2)
    assert isinstance(first, bytes)
    assert first == b"\1" * 4000 and second == b"\2" * 4000


def test_large_top_level_request_grows_the_top_mailbox(bridge: Bridge) -> None:
    f = bridge.handle("(b) => b.length + ':' + b[b.length - 1]")
    blob = bytes(range(256)) * 4096  # 1 MiB
    assert bridge.call(f, blob) == f"{len(blob)}:255"
    assert bridge.call(bridge.handle("(n) => 'ab'.repeat(n)"), 300_000) == "ab" * 300_000
