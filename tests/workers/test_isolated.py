# ruff: noqa: E501  (JavaScript sources inline)
"""Isolated mode: one isolate per worker on its own thread, messages as msgpack records."""

import pytest

from engine.api.module import wat2wasm
from jsapi.host.engines import engine_available
from jsapi.workers import run_page


def test_round_trip_clone_and_transfer(run):
    out = run(
        {
            "w.js": "onmessage = (e) => { const d = e.data; postMessage({back: d.list.length, same: d.a === d.list[0], bytes: new Uint8Array(d.buf)[2], name, coi: crossOriginIsolated}); };",
            "page.js": """
const w = new Worker("w.js", {name: "iso"});
const a = {x: 1};
const buf = new Uint8Array([5, 6, 7]).buffer;
w.onmessage = (e) => { console.log(JSON.stringify(e.data), buf.byteLength); w.terminate(); };
w.postMessage({a, list: [a, a], buf}, [buf]);
""",
        },
        mode="isolated",
    )
    assert out.logs == ['{"back":2,"same":true,"bytes":7,"name":"iso","coi":false} 0']


def test_shared_memory_cannot_cross_isolates_but_ports_can(run):
    out = run(
        {
            "w.js": "",
            "page.js": """
const w = new Worker("w.js");
for (const v of [new SharedArrayBuffer(4), new WebAssembly.Memory({initial: 1, maximum: 1, shared: true}), new MessageChannel().port1]) {
  try { w.postMessage(v, v instanceof MessagePort ? [v] : []); console.log("sent"); } catch (e) { console.log(e.name); }
}
console.log(crossOriginIsolated);
w.terminate();
""",
        },
        mode="isolated",
    )
    # Shared memory cannot cross isolates; a MessagePort can (test_ports_cross_isolates).
    assert out.logs == ["DataCloneError", "DataCloneError", "sent", "false"]


def test_errors_reach_onerror(run):
    out = run(
        {
            "w.js": "onmessage = () => { throw new TypeError('bad'); };",
            "page.js": """
const w = new Worker("w.js");
w.onerror = (e) => { console.log(e.message, e.filename.endsWith("w.js")); e.preventDefault(); w.terminate(); };
w.postMessage(0);
""",
        },
        mode="isolated",
    )
    assert out.logs == ["Uncaught TypeError: bad true"]


def test_page_becomes_idle_while_workers_wait(run):
    out = run(
        {
            "w.js": "onmessage = (e) => postMessage(e.data + 1);",
            "page.js": "const w = new Worker('w.js'); w.onmessage = (e) => console.log(e.data); w.postMessage(1);",
        },
        mode="isolated",
    )
    assert out.logs == ["2"]
    assert out.result.reason == "idle"


def test_worker_console_and_rejections_reach_the_page(run):
    worker = """
console.log("hello from the worker");
console.warn("careful");
self.addEventListener("unhandledrejection", (e) => postMessage(`worker event: ${e.reason.message}`));
async function f() { throw new Error("from async"); }
f();
Promise.reject(new Error("caught")).catch(() => {});
"""
    page = """
addEventListener("unhandledrejection", (e) => console.log(`page event: ${e.reason.message}`));
new Worker("w.js").onmessage = (e) => console.log(e.data);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert "hello from the worker" in out.logs
    assert "worker event: from async" in out.logs
    assert not any(line.startswith("page event") for line in out.logs)
    assert [e.level for e in out.result.console if e.text == "careful"] == ["warn"]
    assert [e.split("\n")[0] for e in out.errors] == ["Uncaught (in promise) Error: from async"]
    assert out.result.status == 1


def test_ports_cross_isolates(run):
    worker = """
onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    port.postMessage(`worker got ${m.data}`);
    if (m.data === "second") postMessage("done");
  };
};
"""
    page = """
const w = new Worker("w.js");
const { port1, port2 } = new MessageChannel();
port1.postMessage("queued before the transfer");
w.postMessage("here is a port", [port2]);
port1.onmessage = (m) => console.log(m.data);
port1.postMessage("first");
port1.postMessage("second");
w.onmessage = (e) => console.log(`page: ${e.data}`);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert [line for line in out.logs if line.startswith("worker got")] == [
        "worker got queued before the transfer",
        "worker got first",
        "worker got second",
    ]
    assert "page: done" in out.logs


def test_two_workers_talk_through_a_channel_of_the_page(run):
    ping = """
onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => postMessage(`ping heard ${m.data}`);
  port.postMessage("ping");
};
"""
    pong = """
onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage(`pong to ${m.data}`);
};
"""
    page = """
const a = new Worker("ping.js"), b = new Worker("pong.js");
const channel = new MessageChannel();
b.postMessage(null, [channel.port2]);
a.postMessage(null, [channel.port1]);
a.onmessage = (e) => console.log(e.data);
"""
    out = run({"ping.js": ping, "pong.js": pong, "page.js": page}, mode="isolated")
    assert out.logs == ["ping heard pong to ping"]


def test_a_port_sent_back_to_the_page_keeps_working(run):
    worker = """
onmessage = (e) => {
  const port = e.ports[0];
  postMessage("returning it", [port]);
};
"""
    page = """
const w = new Worker("w.js");
const { port1, port2 } = new MessageChannel();
port1.onmessage = (m) => console.log(`port1 got ${m.data}`);
w.onmessage = (e) => e.ports[0].postMessage(`back home: ${e.data}`);
w.postMessage(null, [port2]);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert out.logs == ["port1 got back home: returning it"]


def test_a_port_sent_over_a_port_to_another_isolate(run):
    worker = """
onmessage = (e) => {
  e.ports[0].onmessage = (m) => m.ports[0].postMessage(`reply on the second port: ${m.data}`);
};
"""
    page = """
const w = new Worker("w.js");
const first = new MessageChannel(), second = new MessageChannel();
w.postMessage(null, [first.port2]);
second.port1.onmessage = (m) => console.log(m.data);
first.port1.postMessage("hello", [second.port2]);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert out.logs == ["reply on the second port: hello"]


def test_both_ends_of_a_channel_sent_to_one_worker(run):
    worker = """
onmessage = (e) => {
  const [a, b] = e.ports;
  b.onmessage = (m) => postMessage(`b got ${m.data}`);
  a.postMessage("from a");
};
"""
    page = """
const w = new Worker("w.js");
const { port1, port2 } = new MessageChannel();
w.onmessage = (e) => console.log(e.data);
w.postMessage(null, [port1, port2]);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert out.logs == ["b got from a"]


def test_a_port_moved_within_the_page_still_gets_the_workers_messages(run):
    worker = (
        "onmessage = (e) => { for (let i = 0; i < 3; i++) e.ports[0].postMessage(`hi ${i}`); };"
    )
    page = """
const w = new Worker("w.js");
const remote = new MessageChannel(), local = new MessageChannel();
local.port2.onmessage = (m) => { m.ports[0].onmessage = (x) => console.log(x.data); };
w.postMessage(null, [remote.port2]);
local.port1.postMessage(null, [remote.port1]);
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert out.logs == ["hi 0", "hi 1", "hi 2"]


def test_nested_workers(run):
    outer = """
const inner = new Worker("inner.js", { name: "inner" });
inner.onmessage = (e) => postMessage(`outer relays: ${e.data}`);
inner.onerror = (e) => { postMessage(`outer saw the inner error: ${e.message}`); e.preventDefault(); };
onmessage = (e) => inner.postMessage(e.data);
"""
    inner = """
onmessage = (e) => {
  if (e.data === "fail") throw new Error("inner failure");
  console.log(`inner logs ${e.data}`);
  postMessage(`${self.name} got ${e.data}`);
};
"""
    page = """
const w = new Worker("outer.js");
w.onmessage = (e) => console.log(e.data);
w.postMessage("hello");
w.postMessage("fail");
"""
    out = run({"outer.js": outer, "inner.js": inner, "page.js": page}, mode="isolated")
    assert "inner logs hello" in out.logs
    assert "outer relays: inner got hello" in out.logs
    assert "outer saw the inner error: Uncaught Error: inner failure" in out.logs
    assert out.errors == []


def test_an_unhandled_error_of_a_nested_worker_reaches_the_page(run):
    # Reported in the parent's global first (its onerror sees it and lets it go on up).
    outer = """
const inner = new Worker('inner.js');
onerror = (message) => { console.log(`outer onerror: ${message}`); return false; };
"""
    inner = "throw new RangeError('deep');"
    page = """
const w = new Worker("outer.js");
w.onerror = (e) => { console.log(`page: ${e.message}`); e.preventDefault(); };
"""
    out = run({"outer.js": outer, "inner.js": inner, "page.js": page}, mode="isolated")
    assert out.logs == [
        "outer onerror: Uncaught RangeError: deep",
        "page: Uncaught RangeError: deep",
    ]


def test_terminating_a_worker_terminates_its_workers(run):
    outer = "const inner = new Worker('inner.js'); inner.onmessage = (e) => postMessage(e.data);"
    inner = "let n = 0; setInterval(() => postMessage(`tick ${n++}`), 5);"
    page = """
const w = new Worker("outer.js");
let ticks = 0;
w.onmessage = () => {
  if (++ticks === 3) {
    w.terminate();
    setTimeout(() => console.log(`ticks after terminate: ${ticks - 3}`), 100);
  }
};
"""
    out = run({"outer.js": outer, "inner.js": inner, "page.js": page}, mode="isolated")
    assert out.logs == ["ticks after terminate: 0"]


def test_timers_fire_in_a_worker_and_on_a_page_that_polls_its_workers(run):
    # A worker's poll task re-queues itself; due timers still get their turn on both sides.
    worker = "setTimeout(() => postMessage('worker timer'), 5);"
    page = """
const w = new Worker("w.js");
w.onmessage = (e) => { console.log(e.data); setTimeout(() => { console.log("page timer"); w.terminate(); }, 5); };
"""
    out = run({"w.js": worker, "page.js": page}, mode="isolated")
    assert out.logs == ["worker timer", "page timer"]


@pytest.mark.skipif(not engine_available("jsapi"), reason="needs this project's engine")
def test_a_wasm_module_reaches_another_isolate(tmp_path):
    wasm = wat2wasm('(module (func (export "answer") (result i32) (i32.const 42)))')
    (tmp_path / "page.js").write_text(
        f"const module = new WebAssembly.Module(new Uint8Array([{','.join(map(str, wasm))}]));\n"
        "const w = new Worker('w.js');\n"
        "w.onmessage = (e) => { console.log(e.data); w.terminate(); };\n"
        "w.postMessage(module);\n"
    )
    (tmp_path / "w.js").write_text(
        "onmessage = (e) => {\n"
        "  const m = e.data;\n"
        "  const names = WebAssembly.Module.exports(m).map((x) => x.name).join();\n"
        "  const answer = new WebAssembly.Instance(m).exports.answer();\n"
        "  postMessage(`${m instanceof WebAssembly.Module} ${names} ${answer}`);\n"
        "};\n"
    )
    result, _ = run_page(tmp_path / "page.js", mode="isolated", engine="jsapi")
    assert [e.text for e in result.console] == ["true answer 42"]
    assert result.status == 0


def test_v8s_own_module_cannot_reach_another_isolate(run):
    page = """
const module = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
const w = new Worker("w.js");
try { w.postMessage(module); } catch (e) { console.log(e.name); }
w.terminate();
"""
    out = run({"w.js": "", "page.js": page}, mode="isolated")
    assert out.logs == ["DataCloneError"]


@pytest.mark.skipif(not engine_available("jsapi"), reason="needs this project's engine")
def test_a_wasm_wait_in_an_isolated_worker_sleeps_out_its_timeout(tmp_path):
    wasm = wat2wasm(
        '(module (memory 1 1 shared) (func (export "wait") (param i64) (result i32)'
        " (memory.atomic.wait32 (i32.const 0) (i32.const 0) (local.get 0))))"
    )
    (tmp_path / "page.js").write_text(
        f"const bytes = new Uint8Array([{','.join(map(str, wasm))}]);\n"
        "const w = new Worker('w.js');\n"
        "w.onmessage = (e) => { console.log(e.data); w.terminate(); };\n"
        "w.postMessage(bytes);\n"
    )
    (tmp_path / "w.js").write_text(
        "onmessage = (e) => {\n"
        "  const k = new WebAssembly.Instance(new WebAssembly.Module(e.data)).exports;\n"
        "  const t = performance.now();\n"
        "  const r = k.wait(50000000n);\n"  # 50 ms
        "  const slept = performance.now() - t >= 45;\n"
        "  let trapped = false;\n"
        "  try { k.wait(-1n); } catch (err) { trapped = err instanceof WebAssembly.RuntimeError; }\n"
        "  postMessage(`${r} ${slept} ${trapped}`);\n"
        "};\n"
    )
    result, _ = run_page(tmp_path / "page.js", mode="isolated", engine="jsapi")
    # timed-out (2) after sleeping out the 50 ms; a wait without a timeout traps.
    assert [e.text for e in result.console] == ["2 true true"]
