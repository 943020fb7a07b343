"""Workers waiting in wasm are resumed in the order they are notified, whatever the order of their
JS frames: multi-phase barriers inside a wasm kernel, one waiter list shared by Atomics.wait and
memory.atomic.wait, timeouts and termination of parked waiters."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.api.module import wat2wasm
from jsapi.host.engines import engine_available
from jsapi.page import Page, PageResult

pytestmark = pytest.mark.skipif(not engine_available("jsapi"), reason="no jsapi.webassembly")

# Word 0 counts arrivals at the barrier, word 1 is its generation; word 16 + p is the sum of
# phase p, to which every worker adds (id + 1) * (p + 1) before the barrier and which it reads
# after it: a worker that left a barrier early reads a partial sum.
KERNEL = """
(module
  (import "env" "mem" (memory 1 1 shared))
  (func $barrier (param $parties i32)
    (local $gen i32)
    (local.set $gen (i32.atomic.load (i32.const 4)))
    (if (i32.eq (i32.atomic.rmw.add (i32.const 0) (i32.const 1))
                (i32.sub (local.get $parties) (i32.const 1)))
      (then
        (i32.atomic.store (i32.const 0) (i32.const 0))
        (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 4) (i32.const -1))))
      (else
        (block $done
          (loop $again
            (br_if $done (i32.ne (i32.atomic.load (i32.const 4)) (local.get $gen)))
            (drop (memory.atomic.wait32 (i32.const 4) (local.get $gen) (i64.const -1)))
            (br $again))))))
  (func $slot (param $p i32) (result i32)
    (i32.add (i32.const 64) (i32.shl (local.get $p) (i32.const 2))))
  (func (export "run") (param $id i32) (param $parties i32) (param $phases i32) (result i32)
    (local $p i32) (local $seen i32)
    (loop $phase
      (drop (i32.atomic.rmw.add (call $slot (local.get $p))
        (i32.mul (i32.add (local.get $id) (i32.const 1)) (i32.add (local.get $p) (i32.const 1)))))
      (call $barrier (local.get $parties))
      (local.set $seen (i32.add (local.get $seen) (i32.atomic.load (call $slot (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $phase (i32.lt_u (local.get $p) (local.get $phases))))
    (local.get $seen))
  (func (export "wait") (param $addr i32) (param $expected i32) (param $ns i64) (result i32)
    (memory.atomic.wait32 (local.get $addr) (local.get $expected) (local.get $ns)))
  (func (export "notify") (param $addr i32) (param $n i32) (result i32)
    (memory.atomic.notify (local.get $addr) (local.get $n)))
  (func (export "waitThenNotify") (param $addr i32) (param $ns i64) (param $other i32) (result i32)
    (local $r i32)
    (local.set $r (memory.atomic.wait32 (local.get $addr) (i32.const 0) (local.get $ns)))
    (drop (memory.atomic.notify (local.get $other) (i32.const 1)))
    (local.get $r)))
"""

SETUP = """
const module = new WebAssembly.Module(new Uint8Array([%s]));
const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
const words = new Int32Array(memory.buffer);
const kernel = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
"""

WORKER = """
onmessage = (e) => {
  const { module, memory, id, parties, phases } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage(`worker ${id}: ${k.run(id, parties, phases)}`);
};
"""


def run(tmp_path: Path, page: str, files: dict[str, str], seed: int = 0) -> PageResult:
    source = SETUP % ",".join(str(b) for b in wat2wasm(KERNEL)) + page
    (tmp_path / "p.js").write_text(source)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with Page.open(tmp_path / "p.js", engine="jsapi", workers="shared", seed=seed) as p:
        return p.run()


def logs(result: PageResult) -> list[str]:
    return [m.text for m in result.console if m.level == "log"]


BARRIER_PAGE = """
const parties = %d, phases = %d;
for (let id = 0; id < parties; id++) {
  const w = new Worker("w.js");
  w.onmessage = (e) => console.log(e.data);
  w.postMessage({ module, memory, id, parties, phases });
}
"""


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 11])
def test_four_workers_pass_many_barriers_in_wasm(tmp_path: Path, seed: int) -> None:
    result = run(tmp_path, BARRIER_PAGE % (4, 6), {"w.js": WORKER}, seed)
    assert result.status == 0, result.errors
    # Phase p sums (id + 1) * (p + 1) over 4 workers: 10 * (p + 1); six phases: 10 * 21.
    assert sorted(logs(result)) == [f"worker {i}: 210" for i in range(4)]


def test_the_same_seed_replays_the_same_interleaving(tmp_path: Path) -> None:
    first = run(tmp_path, BARRIER_PAGE % (3, 4), {"w.js": WORKER}, 5)
    again = run(tmp_path, BARRIER_PAGE % (3, 4), {"w.js": WORKER}, 5)
    assert first.status == again.status == 0
    assert logs(first) == logs(again)


def test_wasm_notify_wakes_atomics_wait_and_the_reverse(tmp_path: Path) -> None:
    js_waiter = """
onmessage = (e) => {
  const words = new Int32Array(e.data.memory.buffer);
  postMessage("js waiting");
  postMessage(`js woken: ${Atomics.wait(words, 2, 0)}`);
};
"""
    wasm_waiter = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage("wasm waiting");
  postMessage(`wasm woken: ${k.wait(12, 0, -1n)}`);
};
"""
    page = """
const a = new Worker("js.js"), b = new Worker("wasm.js");
let waiting = 0;
const show = (e) => {
  console.log(e.data);
  if (e.data.endsWith("waiting") && ++waiting === 2) {
    console.log(`wasm notify woke ${kernel.notify(8, 1)}`);   // word 2, the JS waiter's
    console.log(`Atomics.notify woke ${Atomics.notify(words, 3)}`);  // byte 12, the wasm one
  }
};
a.onmessage = b.onmessage = show;
a.postMessage({ memory });
b.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"js.js": js_waiter, "wasm.js": wasm_waiter})
    assert result.status == 0, result.errors
    got = logs(result)
    assert "wasm notify woke 1" in got and "Atomics.notify woke 1" in got
    assert "js woken: ok" in got and "wasm woken: 0" in got


def test_wasm_notify_wakes_wait_async_on_the_memory_buffer(tmp_path: Path) -> None:
    page = """
const r = Atomics.waitAsync(words, 5, 0);
r.value.then((v) => console.log(`waitAsync: ${v}`));
console.log(`woke ${kernel.notify(20, 1)}`);
"""
    result = run(tmp_path, page, {})
    assert result.status == 0, result.errors
    assert logs(result) == ["woke 1", "waitAsync: ok"]


def test_a_parked_waiter_times_out_while_another_agent_is_on_top(tmp_path: Path) -> None:
    # "short" waits with a timeout, then releases "long", which started waiting (forever) on top
    # of it: only a buried waiter whose time runs out can release the one above it.
    short = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage("short starts");
  postMessage(`short: ${k.waitThenNotify(24, 200000000n, 32)}`);
};
"""
    long = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage(`long: ${k.wait(32, 0, -1n)}`);
};
"""
    page = """
const short = new Worker("short.js"), long = new Worker("long.js");
short.onmessage = (e) => {
  console.log(e.data);
  if (e.data === "short starts") long.postMessage({ module, memory });
};
long.onmessage = (e) => console.log(e.data);
short.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"short.js": short, "long.js": long})
    assert result.status == 0, result.errors
    # long's frames are on top, so its value reaches JS first; short's wait timed out (2).
    assert logs(result) == ["short starts", "long: 0", "short: 2"]


def test_page_timers_run_while_workers_wait(tmp_path: Path) -> None:
    js_waiter = """
onmessage = (e) => {
  postMessage(`js: ${Atomics.wait(new Int32Array(e.data.memory.buffer), 10, 0)}`);
};
"""
    wasm_waiter = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage(`wasm: ${k.wait(44, 0, -1n)}`);
};
"""
    page = """
const a = new Worker("js.js"), b = new Worker("wasm.js");
a.onmessage = b.onmessage = (e) => console.log(e.data);
a.postMessage({ memory });
b.postMessage({ module, memory });
setTimeout(() => {
  console.log(`timer: ${Atomics.notify(words, 10)} ${kernel.notify(44, 1)}`);
}, 20);
"""
    result = run(tmp_path, page, {"js.js": js_waiter, "wasm.js": wasm_waiter})
    assert result.status == 0, result.errors
    assert logs(result)[0] == "timer: 1 1"
    assert sorted(logs(result)[1:]) == ["js: ok", "wasm: 0"]


def test_waiters_that_nobody_notifies_give_the_deadlock_report(tmp_path: Path) -> None:
    # Three workers at a barrier of four parties: nobody releases it.
    page = """
for (let id = 0; id < 3; id++) {
  new Worker("w.js").postMessage({ module, memory, id, parties: 4, phases: 1 });
}
"""
    result = run(tmp_path, page, {"w.js": WORKER})
    assert result.status == 1
    text = next(e for e in result.errors if e.kind == "deadlock").text
    assert text.startswith("deadlock: no agent can make progress")
    assert text.count("blocked in memory.atomic.wait32(address 4, expected 0)") == 3


def test_terminating_a_worker_parked_in_wasm(tmp_path: Path) -> None:
    waiter = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage("waiting");
  k.wait(28, 0, -1n);
  postMessage("never");
};
"""
    page = """
const w = new Worker("w.js");
w.onmessage = (e) => {
  console.log(e.data);
  w.terminate();
  setTimeout(() => console.log(`page goes on, notify woke ${kernel.notify(28, 1)}`), 10);
};
w.postMessage({ module, memory });
"""
    source = SETUP % ",".join(str(b) for b in wat2wasm(KERNEL)) + page
    (tmp_path / "p.js").write_text(source)
    (tmp_path / "w.js").write_text(waiter)
    with Page.open(tmp_path / "p.js", engine="jsapi", workers="shared") as p:
        result = p.run()
        # The worker's wasm frames were unwound, not left suspended.
        assert p.bridge._suspended == {}
    assert result.status == 0, result.errors
    assert logs(result) == ["waiting", "page goes on, notify woke 0"]


# A futex-based mutex (word 128: 0 free, 1 locked, 2 locked with waiters) around a counter at
# word 132. Inside the lock each worker parks on purpose (a 2 ms wait on word 136), so the others
# run, find the lock taken and wait on it: contention on every round.
MUTEX = """
(module
  (import "env" "mem" (memory 1 1 shared))
  (func $lock
    (local $c i32)
    (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 128) (i32.const 0) (i32.const 1)))
    (if (local.get $c)
      (then
        (if (i32.ne (local.get $c) (i32.const 2))
          (then (local.set $c (i32.atomic.rmw.xchg (i32.const 128) (i32.const 2)))))
        (block $done
          (loop $again
            (br_if $done (i32.eqz (local.get $c)))
            (drop (memory.atomic.wait32 (i32.const 128) (i32.const 2) (i64.const -1)))
            (local.set $c (i32.atomic.rmw.xchg (i32.const 128) (i32.const 2)))
            (br $again))))))
  (func $unlock
    (if (i32.ne (i32.atomic.rmw.sub (i32.const 128) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (i32.const 128) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 128) (i32.const 1))))))
  (func (export "work") (param $rounds i32)
    (local $v i32)
    (loop $round
      (call $lock)
      (local.set $v (i32.load (i32.const 132)))
      (drop (memory.atomic.wait32 (i32.const 136) (i32.const 0) (i64.const 2000000)))
      (i32.store (i32.const 132) (i32.add (local.get $v) (i32.const 1)))
      (call $unlock)
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (br_if $round (local.get $rounds)))))
"""


@pytest.mark.parametrize("seed", [0, 3])
def test_a_wasm_mutex_under_contention(tmp_path: Path, seed: int) -> None:
    worker = """
onmessage = (e) => {
  const { module, memory } = e.data;
  new WebAssembly.Instance(module, { env: { mem: memory } }).exports.work(10);
  postMessage("done");
};
"""
    mutex_bytes = ",".join(str(b) for b in wat2wasm(MUTEX))
    page = """
const mutex = new WebAssembly.Module(new Uint8Array([MUTEX_BYTES]));
let done = 0;
for (let i = 0; i < 4; i++) {
  const w = new Worker("w.js");
  w.onmessage = () => { if (++done === 4) console.log(`counter ${words[33]}`); };
  w.postMessage({ module: mutex, memory });
}
""".replace("MUTEX_BYTES", mutex_bytes)
    result = run(tmp_path, page, {"w.js": worker}, seed)
    assert result.status == 0, result.errors
    # Lost updates would leave less than 4 x 10: the lock excluded every other worker while
    # its holder was parked inside the critical section.
    assert logs(result) == ["counter 40"]
