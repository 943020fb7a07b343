# ruff: noqa: E501  (JavaScript sources inline)
"""Shared mode agents: scopes, errors, terminate, SharedArrayBuffer/Atomics, deadlocks, replay."""

import re


def test_worker_global_scope_does_not_leak(run):
    out = run(
        {
            "w.js": """
var workerVar = 1;
implicitGlobal = 2;
function workerFn() { return 3; }
postMessage([typeof pageVar, typeof window, typeof document, self === globalThis,
  typeof workerFn, this === self, crossOriginIsolated, typeof WebAssembly, location.pathname].join());
""",
            "page.js": """
var pageVar = 1;
const w = new Worker("w.js");
w.onmessage = (e) => {
  console.log(e.data);
  console.log([typeof workerVar, typeof implicitGlobal, typeof workerFn].join());
};
""",
        }
    )
    assert out.logs == [
        "undefined,undefined,undefined,true,function,true,true,object,/w.js",
        "undefined,undefined,undefined",
    ]


def test_import_scripts_declarations_are_visible(run):
    out = run(
        {
            "lib.js": "function double(x) { return 2 * x; }\nconst K = 5;\nvar counter = 0;",
            "w.js": "importScripts('lib.js');\ncounter++;\npostMessage(double(K) + counter);",
            "page.js": "new Worker('w.js').onmessage = (e) => console.log(e.data);",
        }
    )
    assert out.logs == ["11"]


def test_worker_error_reaches_onerror(run):
    out = run(
        {
            "w.js": "const a = 1;\n\nthrow new RangeError('boom');\n",
            "page.js": """
const w = new Worker("w.js");
w.onerror = (e) => {
  console.log(e instanceof ErrorEvent, e.message, e.filename.endsWith("/w.js"), e.lineno);
  e.preventDefault();
};
""",
        }
    )
    assert out.logs == ["true Uncaught RangeError: boom true 3"]
    assert out.errors == []


def test_unhandled_worker_error_is_a_page_error(run):
    out = run(
        {"w.js": "onmessage = () => { null.x; };", "page.js": "new Worker('w.js').postMessage(1);"}
    )
    assert len(out.errors) == 1
    assert "TypeError" in out.errors[0]
    assert out.result.status == 1


def test_worker_onerror_handles_its_own_errors(run):
    out = run(
        {
            "w.js": "onerror = (msg, file, line) => { postMessage('own ' + msg + ' ' + line); return true; };\nthrow new Error('x');",
            "page.js": "const w = new Worker('w.js'); w.onmessage = (e) => console.log(e.data); w.onerror = () => console.log('parent saw it');",
        }
    )
    assert out.logs == ["own Uncaught Error: x 2"]


def test_terminate_stops_the_worker(run):
    out = run(
        {
            "w.js": "let n = 0; setInterval(() => postMessage(++n), 1);",
            "page.js": """
const w = new Worker("w.js");
let last = 0;
w.onmessage = (e) => { last = e.data; if (e.data === 3) w.terminate(); };
setTimeout(() => console.log("last", last), 50);
""",
        }
    )
    assert out.logs == ["last 3"]


def test_close_inside_the_worker(run):
    out = run(
        {
            "w.js": "onmessage = (e) => { postMessage('got ' + e.data); close(); };",
            "page.js": """
const w = new Worker("w.js");
w.onmessage = (e) => console.log(e.data);
w.postMessage(1); w.postMessage(2);
""",
        }
    )
    assert out.logs == ["got 1"]


def test_shared_array_buffer_writes_are_visible_across_agents(run):
    out = run(
        {
            "w.js": "onmessage = (e) => { const a = new Int32Array(e.data); a[0] = 7; Atomics.add(a, 1, 5); postMessage('done'); };",
            "page.js": """
const sab = new SharedArrayBuffer(8);
const a = new Int32Array(sab);
a[1] = 10;
const w = new Worker("w.js");
w.onmessage = () => console.log(a[0], a[1]);
w.postMessage(sab);
""",
        }
    )
    assert out.logs == ["7 15"]


def test_notify_wakes_a_waiting_worker(run):
    out = run(
        {
            "waiter.js": """onmessage = (e) => {
  const a = new Int32Array(e.data);
  postMessage("waiting");
  const r = Atomics.wait(a, 0, 0);
  postMessage(r + " " + a[0]);
};""",
            "page.js": """
const a = new Int32Array(new SharedArrayBuffer(4));
const w = new Worker("waiter.js");
w.onmessage = (e) => {
  console.log(e.data);
  if (e.data === "waiting") { Atomics.store(a, 0, 9); console.log("woke", Atomics.notify(a, 0)); }
};
w.postMessage(a.buffer);
""",
        }
    )
    assert out.logs == ["waiting", "woke 1", "ok 9"]


def test_wait_timeout_and_not_equal(run):
    out = run(
        {
            "w.js": "const a = new Int32Array(new SharedArrayBuffer(4));\npostMessage([Atomics.wait(a, 0, 1), Atomics.wait(a, 0, 0, 5), Atomics.wait(a, 0, 0, 0)].join());",
            "page.js": "new Worker('w.js').onmessage = (e) => console.log(e.data);",
        }
    )
    assert out.logs == ["not-equal,timed-out,timed-out"]


def test_atomics_wait_throws_on_the_main_thread_and_wait_async_works(run):
    out = run(
        {
            "page.js": """
const a = new Int32Array(new SharedArrayBuffer(4));
try { Atomics.wait(a, 0, 0, 1); } catch (e) { console.log(e.constructor.name, e.message); }
const r = Atomics.waitAsync(a, 0, 0);
r.value.then((v) => console.log("async", v));
setTimeout(() => { Atomics.store(a, 0, 1); Atomics.notify(a, 0); }, 5);
""",
        }
    )
    assert out.logs == ["TypeError Atomics.wait cannot be called in this context", "async ok"]


BARRIER_WORKER = """onmessage = (e) => {
  const [sab, id, n] = e.data;
  const a = new Int32Array(sab);
  a[4 + id] = (id + 1) * 100;
  if (Atomics.add(a, 0, 1) === n - 1) { Atomics.store(a, 1, 1); Atomics.notify(a, 1); }
  else while (Atomics.load(a, 1) === 0) Atomics.wait(a, 1, 0);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[4 + i];
  postMessage(id + ":" + sum);
};"""


def barrier_page(n: int) -> str:
    return f"""
const n = {n};
const sab = new SharedArrayBuffer(64);
const done = [];
for (let i = 0; i < n; i++) {{
  const w = new Worker("barrier.js", {{name: "b" + i}});
  w.onmessage = (e) => {{ done.push(e.data); if (done.length === n) console.log(done.join(" ")); }};
  w.postMessage([sab, i, n]);
}}
"""


def test_barrier_of_four_workers(run):
    out = run({"barrier.js": BARRIER_WORKER, "page.js": barrier_page(4)})
    assert len(out.logs) == 1
    assert sorted(out.logs[0].split()) == ["0:1000", "1:1000", "2:1000", "3:1000"]
    assert out.deadlock is None


def test_same_seed_same_interleaving(run):
    outs = [
        run({"barrier.js": BARRIER_WORKER, "page.js": barrier_page(4)}, seed=s) for s in (7, 7, 8)
    ]
    assert outs[0].logs == outs[1].logs
    # Different seeds are allowed to agree, but these two do not.
    assert outs[0].logs != outs[2].logs


def test_deadlock_is_reported_not_hung(run):
    out = run(
        {
            "w.js": "onmessage = (e) => {\n  const a = new Int32Array(e.data);\n  Atomics.wait(a, 0, 0);\n};",
            "page.js": """
const w1 = new Worker("w.js", {name: "first"});
const w2 = new Worker("w.js", {name: "second"});
const sab = new SharedArrayBuffer(4);
w1.postMessage(sab); w2.postMessage(sab);
""",
        },
        timeout=10,
    )
    assert out.deadlock is not None
    report = out.deadlock
    assert report.startswith("deadlock: no agent can make progress")
    assert re.search(
        r'worker 1 "first" \(.*/w.js\): blocked in Atomics.wait\(Int32Array, 0, 0\)', report
    )
    assert 'worker 2 "second"' in report
    assert "w.js:3" in report  # the JS stack of each waiter
    assert "main: idle" in report
    assert out.result.reason == "deadlock"


def test_two_js_barriers_in_one_task_report_the_buried_waiters(run):
    # The documented limit of JS waits: the last arrival at barrier 1 reaches barrier 2 on top of
    # the workers it released. The run stops with a report that says so, instead of hanging.
    worker = """
function barrier(words, parties) {
  const gen = Atomics.load(words, 1);
  if (Atomics.add(words, 0, 1) === parties - 1) {
    Atomics.store(words, 0, 0); Atomics.add(words, 1, 1); Atomics.notify(words, 1); return;
  }
  while (Atomics.load(words, 1) === gen) Atomics.wait(words, 1, gen);
}
onmessage = (e) => { const w = new Int32Array(e.data); barrier(w, 2); barrier(w, 2); postMessage("done"); };
"""
    page = """
const sab = new SharedArrayBuffer(8);
for (let i = 0; i < 2; i++) new Worker("w.js").postMessage(sab);
"""
    out = run({"w.js": worker, "page.js": page}, timeout=10)
    report = out.deadlock
    assert report is not None
    assert "notified, but cannot resume until the agents nested above it return" in report
    assert "wait in wasm, one barrier per task, or Atomics.waitAsync" in report


REJECTING_WORKER = """
self.addEventListener("unhandledrejection", (e) => {
  postMessage(`worker event: ${e.reason.message}`);
  if (e.reason.message === "handled here") e.preventDefault();
});
Promise.reject(new Error("plain"));
async function f() { throw new Error("from async"); }
f();
Promise.reject(new Error("handled here"));
Promise.reject(new Error("caught")).catch(() => {});
"""

REJECTION_PAGE = """
addEventListener("unhandledrejection", (e) => console.log(`page event: ${e.reason.message}`));
new Worker("w.js").onmessage = (e) => console.log(e.data);
"""


def test_unhandled_rejections_in_a_worker_belong_to_the_worker(run):
    out = run({"w.js": REJECTING_WORKER, "page.js": REJECTION_PAGE})
    assert sorted(out.logs) == [
        "worker event: from async",
        "worker event: handled here",
        "worker event: plain",
    ]
    assert [e.split("\n")[0] for e in out.errors] == [
        "Uncaught (in promise) Error: plain",
        "Uncaught (in promise) Error: from async",
    ]
    assert all("jsapi:workers" not in e for e in out.errors)  # the worker's frames only
    assert out.result.status == 1


def test_a_native_wasm_wait_that_blocks_the_isolate_ends_as_hung(tmp_path, monkeypatch):
    # V8's own WebAssembly (--engine v8) waits for real and blocks the one isolate every agent
    # shares: the run must still end, within its time limits, as "hung".
    import jsapi.page.page as page_module
    from engine.api.module import wat2wasm
    from jsapi.workers import run_page

    monkeypatch.setattr(page_module, "LOOP_BACKSTOP", 1.0)
    wasm = wat2wasm(
        '(module (import "env" "mem" (memory 1 1 shared)) (func (export "wait") (result i32)'
        " (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))"
    )
    (tmp_path / "page.js").write_text(
        f"const module = new WebAssembly.Module(new Uint8Array([{','.join(map(str, wasm))}]));\n"
        "const memory = new WebAssembly.Memory({initial: 1, maximum: 1, shared: true});\n"
        "new Worker('w.js').postMessage({module, memory});\n"
    )
    (tmp_path / "w.js").write_text(
        "onmessage = (e) => new WebAssembly.Instance(e.data.module,"
        " {env: {mem: e.data.memory}}).exports.wait();\n"
    )
    result, deadlock = run_page(tmp_path / "page.js", mode="shared", timeout=0.5, engine="v8")
    assert result.reason == "hung"
    assert result.status == 1
    assert deadlock is None
