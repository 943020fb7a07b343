"""Parked requests: a served request suspends (Bridge.park) and is resumed later, from any frame,
in any order; its reply waits on the JS side until its own frame is on top again."""

from collections.abc import Iterator

import pytest

from jsapi.bridge import Bridge, BridgeError, JSHandle

# The park hook plays a scheduler: each time a frame waits, it starts the next queued request
# (nested above) or resumes the oldest parked request it was told about.
SCHEDULER = """
globalThis.log = [];
globalThis.tokens = [];
globalThis.starts = [];
B.parkHook = (done) => {
  while (!done()) {
    if (starts.length) {
      const name = starts.shift();
      log.push(`${name} returned ${S.work(name)}`);
      continue;
    }
    if (!tokens.length) throw new Error("nothing left to resume");
    const [name, token] = tokens.shift();
    log.push(`resume ${name}`);
    B.resume(token, name.toUpperCase());
  }
};
"""


def park_once(bridge: Bridge) -> object:
    """Parks the request being served until the scheduler (SCHEDULER) resumes it."""
    token = bridge.park_token()
    bridge.call_js(REGISTER[bridge], token)
    return bridge.park(token)


REGISTER: dict[Bridge, JSHandle] = {}


@pytest.fixture(autouse=True)
def register(bridge: Bridge) -> Iterator[None]:
    REGISTER[bridge] = bridge.handle("(token) => { tokens.push(['x', token]); }")
    yield
    del REGISTER[bridge]


@pytest.fixture
def parking(bridge: Bridge) -> list[str]:
    completed: list[str] = []
    register = bridge.handle("(name, token) => { tokens.push([name, token]); }")

    def work(name: str) -> str:
        token = bridge.park_token()
        bridge.call_js(register, name, token)
        got = bridge.park(token)
        completed.append(name)
        return f"{name}:{got}"

    bridge.expose("work", work)
    bridge.eval(SCHEDULER)
    return completed


def test_parked_requests_resume_out_of_order(bridge: Bridge, parking: list[str]) -> None:
    # a parks, b starts above it and parks, a is resumed first (from b's frame) and completes in
    # Python first, but its reply waits until b's frame has returned.
    got = bridge.eval(
        "starts.push('b'); const r = S.work('a'); log.push(`a returned ${r}`); log.join('|')"
    )
    assert parking == ["a", "b"]
    assert got.split("|") == ["resume a", "resume b", "b returned b:B", "a returned a:A"]
    assert bridge._suspended == {}


def test_resumed_request_can_call_js_from_a_foreign_frame(bridge: Bridge) -> None:
    # The resumed request calls back into JS (an import, say) while another frame is on top.
    echo = bridge.handle("(v) => `js saw ${v}`")

    def slow() -> str:
        park_once(bridge)
        return str(bridge.call_js(echo, "after park"))

    bridge.expose("slow", slow)
    bridge.eval(SCHEDULER)
    got = bridge.eval("S.slow()")
    assert got == "js saw after park"


def test_a_parked_request_that_raises_rejects_its_own_frame(bridge: Bridge) -> None:
    def failing() -> None:
        park_once(bridge)
        raise ValueError("after the park")

    bridge.expose("failing", failing)
    bridge.eval(SCHEDULER)
    got = bridge.eval("try { S.failing(); 'no' } catch (e) { e.message }")
    assert got == "ValueError: after the park"


def test_raw_reply_of_a_parked_request_is_copied(bridge: Bridge) -> None:
    def raw(payload: memoryview) -> bytes:
        data = bytes(payload)  # the request's bytes live in the mailbox until the next crossing
        park_once(bridge)
        return data[::-1] * 100

    bridge.expose("raw", raw, raw=True)
    bridge.expose("echo", lambda v: v)
    bridge.eval(SCHEDULER)
    # Another frame starts above the parked one, and its crossings reuse the mailbox before the
    # parked reply reaches its frame.
    got = bridge.eval(
        "const inner = B.parkHook;"
        "B.parkHook = (done) => { S.echo('x'.repeat(5000)); inner(done); };"
        "Array.from(S.raw(new Uint8Array([1, 2, 3]))).slice(0, 6).join()"
    )
    assert got == "3,2,1,3,2,1"


def test_park_without_a_hook_is_an_error_not_a_hang(bridge: Bridge) -> None:
    def lonely() -> None:
        bridge.park(bridge.park_token())

    bridge.expose("lonely", lonely)
    msg = bridge.eval("try { S.lonely(); 'no' } catch (e) { e.message }")
    assert msg == "bridge: a request was parked and nothing can resume it"


def test_park_outside_a_request_is_refused(bridge: Bridge) -> None:
    with pytest.raises(BridgeError, match="outside of a served request"):
        bridge.park(bridge.park_token())
