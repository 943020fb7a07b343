"""memory.atomic.wait/notify of our engine join the shared-mode scheduler of workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.api.module import wat2wasm
from jsapi.host.engines import engine_available
from jsapi.page import Page, PageResult

pytestmark = pytest.mark.skipif(not engine_available("jsapi"), reason="no jsapi.webassembly")

# Word 0: the flag a waiter waits on; word 1: the payload the notifier publishes.
KERNEL = """
(module
  (import "env" "mem" (memory 1 1 shared))
  (func (export "wait") (param $expected i32) (param $ns i64) (result i32)
    (memory.atomic.wait32 (i32.const 0) (local.get $expected) (local.get $ns)))
  (func (export "wait64") (param $expected i64) (param $ns i64) (result i32)
    (memory.atomic.wait64 (i32.const 8) (local.get $expected) (local.get $ns)))
  (func (export "publish") (param $v i32) (result i32)
    (i32.atomic.store (i32.const 4) (local.get $v))
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (memory.atomic.notify (i32.const 0) (i32.const 1)))
  (func (export "payload") (result i32) (i32.atomic.load (i32.const 4))))
"""

SETUP = """
const bytes = new Uint8Array([%s]);
const module = new WebAssembly.Module(bytes);
const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
const kernel = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
"""

WAITER = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage("waiting");
  const r = k.wait(0, -1n);
  postMessage(`woken ${r} payload ${k.payload()}`);
};
"""


def run(tmp_path: Path, page: str, files: dict[str, str], seed: int = 0) -> PageResult:
    wasm = wat2wasm(KERNEL)
    source = SETUP % ",".join(str(b) for b in wasm) + page
    (tmp_path / "p.js").write_text(source)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with Page.open(tmp_path / "p.js", engine="jsapi", workers="shared", seed=seed) as p:
        assert p.workers is not None and p.workers.atomics is not None
        return p.run()


def logs(result: PageResult) -> list[str]:
    return [m.text for m in result.console if m.level == "log"]


def test_worker_waits_in_wasm_and_the_page_notifies(tmp_path: Path) -> None:
    page = """
const w = new Worker("waiter.js");
w.onmessage = (e) => {
  console.log(e.data);
  if (e.data === "waiting") console.log(`notified ${kernel.publish(42)}`);
};
w.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"waiter.js": WAITER})
    assert result.status == 0, result.errors
    assert logs(result) == ["waiting", "notified 1", "woken 0 payload 42"]


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_worker_notifies_another_worker(tmp_path: Path, seed: int) -> None:
    notifier = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage(`notified ${k.publish(7)}`);
};
"""
    page = """
const waiter = new Worker("waiter.js", { name: "waiter" });
const notifier = new Worker("notifier.js", { name: "notifier" });
waiter.onmessage = (e) => {
  console.log(e.data);
  if (e.data === "waiting") notifier.postMessage({ module, memory });
};
notifier.onmessage = (e) => console.log(e.data);
waiter.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"waiter.js": WAITER, "notifier.js": notifier}, seed)
    assert result.status == 0, result.errors
    assert sorted(logs(result)) == ["notified 1", "waiting", "woken 0 payload 7"]
    assert logs(result)[0] == "waiting"


def test_not_equal_and_timeout_do_not_block(tmp_path: Path) -> None:
    worker = """
onmessage = (e) => {
  const { module, memory } = e.data;
  const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  postMessage(`${k.wait(5, -1n)} ${k.wait(0, 1000000n)} ${k.wait64(0n, 0n)} ${k.wait64(3n, -1n)}`);
};
"""
    page = """
const w = new Worker("w.js");
w.onmessage = (e) => console.log(e.data);
w.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"w.js": worker})
    assert result.status == 0, result.errors
    # not-equal, timed-out after 1 ms, timed-out at once, not-equal
    assert logs(result) == ["1 2 2 1"]


def test_main_thread_cannot_block(tmp_path: Path) -> None:
    page = """
console.log(`${kernel.wait(0, 0n)} ${kernel.wait(1, -1n)} ${kernel.publish(1)}`);
try { kernel.wait(1, -1n); } catch (e) { console.log(e.message); }
"""
    result = run(tmp_path, page, {})
    assert result.status == 0, result.errors
    # timed-out, not-equal, nobody woken; then a wait that could never end traps.
    assert logs(result) == ["2 1 0", "wait would block forever"]


def test_wasm_waiter_left_alone_is_a_deadlock(tmp_path: Path) -> None:
    page = """
const w = new Worker("waiter.js", { name: "alone" });
w.onmessage = (e) => console.log(e.data);
w.postMessage({ module, memory });
"""
    result = run(tmp_path, page, {"waiter.js": WAITER})
    assert result.status == 1
    assert result.reason == "deadlock"
    assert 'worker 1 "alone"' in result.errors[0].text
    assert "blocked in memory.atomic.wait" in result.errors[0].text
