# ruff: noqa: E501  (JavaScript sources inline)
"""postMessage between the page and workers in shared mode: ordering, cloning, transfer, ports."""


def test_messages_arrive_in_order_both_ways(run):
    out = run(
        {
            "w.js": "onmessage = (e) => postMessage(e.data * 10);",
            "page.js": """
const w = new Worker("w.js");
const got = [];
w.onmessage = (e) => { got.push(e.data); if (got.length === 5) { console.log(got.join(",")); w.terminate(); } };
for (let i = 1; i <= 5; i++) w.postMessage(i);
""",
        }
    )
    assert out.logs == ["10,20,30,40,50"]
    assert out.errors == []


def test_message_event_fields(run):
    out = run(
        {
            "w.js": "postMessage('hi');",
            "page.js": """
const w = new Worker("w.js");
w.addEventListener("message", (e) => {
  console.log(e instanceof MessageEvent, e.type, e.data, JSON.stringify(e.origin), e.ports.length, e.target === w);
});
""",
        }
    )
    assert out.logs == ['true message hi "" 0 true']


def test_transfer_detaches_the_senders_buffer(run):
    out = run(
        {
            "w.js": "onmessage = (e) => postMessage(e.data.byteLength + ':' + new Uint8Array(e.data)[3]);",
            "page.js": """
const w = new Worker("w.js");
const buf = new Uint8Array([1, 2, 3, 4]).buffer;
w.onmessage = (e) => console.log(e.data, buf.byteLength, buf.detached);
w.postMessage(buf, [buf]);
console.log("after", buf.byteLength);
""",
        }
    )
    assert out.logs == ["after 0", "4:4 0 true"]


def test_cycles_and_identity_survive(run):
    out = run(
        {
            "w.js": """onmessage = (e) => {
  const o = e.data;
  postMessage([o.self === o, o.list[0] === o.list[1], o.map.get("k") === o, o.date instanceof Date].join());
};""",
            "page.js": """
const w = new Worker("w.js");
const shared = {x: 1};
const o = {list: [shared, shared], map: new Map(), date: new Date(0)};
o.self = o; o.map.set("k", o);
w.onmessage = (e) => console.log(e.data);
w.postMessage(o);
""",
        }
    )
    assert out.logs == ["true,true,true,true"]


def test_data_clone_errors(run):
    out = run(
        {
            "w.js": "",
            "page.js": """
const w = new Worker("w.js");
const tries = {
  fn: () => w.postMessage(() => 1),
  symbol: () => w.postMessage(Symbol("s")),
  port: () => w.postMessage(new MessageChannel().port1),
  memory: () => w.postMessage(new WebAssembly.Memory({initial: 1})),
  detached: () => { const b = new ArrayBuffer(1); b.transfer(); w.postMessage(b, [b]); },
};
for (const [k, f] of Object.entries(tries)) {
  try { f(); console.log(k, "no error"); } catch (e) { console.log(k, e.name); }
}
""",
        }
    )
    assert out.logs == [
        "fn DataCloneError",
        "symbol DataCloneError",
        "port DataCloneError",
        "memory DataCloneError",
        "detached DataCloneError",
    ]


def test_nested_message_channel_ports(run):
    out = run(
        {
            "w.js": """onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    const inner = new MessageChannel();
    inner.port1.onmessage = (x) => port.postMessage("inner says " + x.data);
    port.postMessage("take", [inner.port2]);
    port.postMessage("echo " + m.data);
  };
};""",
            "page.js": """
const w = new Worker("w.js");
const ch = new MessageChannel();
const seen = [];
ch.port1.onmessage = (e) => {
  seen.push(e.data);
  if (e.ports.length) e.ports[0].postMessage("deep");
  if (seen.length === 3) { console.log(seen.join(" | ")); w.terminate(); }
};
w.postMessage("port", [ch.port2]);
ch.port1.postMessage("hello");
""",
        }
    )
    assert out.logs == ["take | echo hello | inner says deep"]


def test_port_queue_waits_for_start(run):
    out = run(
        {
            "page.js": """
const ch = new MessageChannel();
const got = [];
ch.port2.addEventListener("message", (e) => got.push(e.data));
ch.port1.postMessage(1);
setTimeout(() => {
  console.log("before start", got.length);
  ch.port2.start();
  setTimeout(() => console.log("after start", got.join()), 0);
}, 10);
""",
        }
    )
    assert out.logs == ["before start 0", "after start 1"]


def test_wasm_module_clone_shares_the_compiled_module(run):
    # (module (func (export "f") (result i32) i32.const 42))
    wasm = "0,97,115,109,1,0,0,0,1,5,1,96,0,1,127,3,2,1,0,7,5,1,1,102,0,0,10,6,1,4,0,65,42,11"
    out = run(
        {
            "w.js": "onmessage = (e) => postMessage(new WebAssembly.Instance(e.data).exports.f());",
            "page.js": f"""
const m = new WebAssembly.Module(new Uint8Array([{wasm}]));
const w = new Worker("w.js");
w.onmessage = (e) => console.log("result", e.data);
w.postMessage(m);
""",
        }
    )
    assert out.logs == ["result 42"]
