// META: global=jsshell
// META: script=/webassembly/resources/modules.js
// META: title=WebAssembly namespace: memory, nested imports, exceptions, traps (any engine)

function instance(bytes, imports) {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

test(() => {
  const e = instance(memoryModule());
  const before = e.mem.buffer;
  assert_equals(e.mem.buffer, before, "same buffer until grow");
  e.store(10, 77);
  assert_equals(new Uint8Array(e.mem.buffer)[10], 77, "wasm store seen by JS");
  new Uint8Array(e.mem.buffer)[11] = 99;
  assert_equals(e.load(11), 99, "JS store seen by wasm");
  assert_equals(e.grow(1), 1);
  assert_true(before.detached, "wasm memory.grow detaches the old buffer");
  assert_equals(e.mem.buffer.byteLength, 2 * 65536);
  assert_equals(e.load(10), 77, "contents survive growth");
  assert_equals(e.grow(3), -1, "maximum enforced");
  assert_throws_js(TypeError, () => e.mem.buffer.transfer());
}, "memory bytes are shared between wasm and JS, and growth detaches");

test(() => {
  const m = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
  assert_true(m.buffer instanceof SharedArrayBuffer);
  assert_equals(m.grow(1), 1);
  assert_equals(m.buffer.byteLength, 2 * 65536);
  assert_throws_js(RangeError, () => m.grow(1));
}, "shared memories");

test(() => {
  let e;
  let depth = 0;
  e = instance(depthModule(), { env: { down: (n) => { depth++; return e.count(n); } } });
  assert_equals(e.count(25), 25);
  assert_equals(depth, 25);
}, "JS -> wasm -> JS -> wasm ... nests");

test(() => {
  let thrown = { marker: 1 };
  const e = instance(throwModule(), { env: { throw: () => { throw thrown; } } });
  try {
    e.run();
    assert_unreached("run() should throw");
  } catch (x) {
    assert_equals(x, thrown, "the same object comes out");
  }
  assert_equals(e.catchAll(), 1, "wasm catch_all catches a JS exception");
  thrown = "a string";
  assert_throws_exactly("a string", () => e.run());
}, "JS exceptions keep their identity through wasm frames");

test(() => {
  const e = instance(trapModule());
  assert_equals(e.div(1), 1);
  assert_throws_js(WebAssembly.RuntimeError, () => e.div(0));
  // The message is the engine's own (the reference interpreter's text for this engine,
  // V8's for V8): tests/jsapi checks it exactly.
  try { e.div(0); } catch (x) { assert_true(x.message.length > 0); }
}, "traps are RuntimeErrors");

test(() => {
  const e = instance(trapModule());
  assert_equals(e.div, e.div, "same function object");
  assert_equals(e.div.name, "0");
  assert_equals(e.div.length, 1);
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  table.set(0, e.div);
  assert_equals(table.get(0), e.div, "a table hands back the same function");
}, "exported function identity");

promise_test(async () => {
  const order = [];
  const p = WebAssembly.instantiate(trapModule()).then(() => order.push("instantiated"));
  order.push("sync");
  await p;
  assert_array_equals(order, ["sync", "instantiated"]);
}, "instantiate resolves asynchronously");
