// META: global=jsshell,window,dedicatedworker
// META: script=/wasm/resources/bytes.js
// META: title=WebAssembly namespace basics

test(() => {
  const desc = Object.getOwnPropertyDescriptor(globalThis, "WebAssembly");
  assert_equals(typeof desc.value, "object");
  assert_true(desc.writable, "writable");
  assert_false(desc.enumerable, "enumerable");
  assert_true(desc.configurable, "configurable");
  assert_equals(String(WebAssembly), "[object WebAssembly]");
}, "the WebAssembly namespace is a non-enumerable global");

test(() => {
  for (const name of ["Module", "Instance", "Memory", "Table", "Global", "CompileError", "LinkError",
    "RuntimeError"]) {
    assert_equals(typeof WebAssembly[name], "function", name);
  }
  for (const name of ["validate", "compile", "instantiate"]) {
    assert_equals(typeof WebAssembly[name], "function", name);
  }
}, "the namespace's constructors and functions");

test(() => {
  assert_true(WebAssembly.validate(emptyModule()));
  assert_false(WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])));
}, "validate");

test(() => {
  assert_throws_js(WebAssembly.CompileError, () => new WebAssembly.Module(new Uint8Array([1, 2, 3])));
  assert_throws_js(TypeError, () => WebAssembly.Module(emptyModule()));
}, "the Module constructor");

promise_test(async () => {
  const { module, instance } = await WebAssembly.instantiate(addModule());
  assert_true(module instanceof WebAssembly.Module);
  assert_equals(instance.exports.add(2, 40), 42);
  assert_equals(instance.exports.add(0x7fffffff, 1), -0x80000000);
}, "instantiate and call an export");

promise_test(async (t) => {
  await promise_rejects_js(t, WebAssembly.CompileError, WebAssembly.compile(new Uint8Array([0])));
}, "compile rejects malformed bytes");

test(() => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  assert_equals(memory.buffer.byteLength, 65536);
  assert_equals(memory.grow(1), 1);
  assert_equals(memory.buffer.byteLength, 131072);
  assert_throws_js(RangeError, () => memory.grow(1));
}, "Memory grows up to its maximum");
