// META: global=window,dedicatedworker
// META: script=/webassembly/resources/modules.js
// META: title=WebAssembly.compileStreaming / instantiateStreaming over a Response

const wasmResponse = (bytes, init = {}) =>
  new Response(bytes, { headers: { "Content-Type": "application/wasm" }, ...init });

promise_test(async () => {
  const module = await WebAssembly.compileStreaming(wasmResponse(memoryModule()));
  assert_true(module instanceof WebAssembly.Module);
}, "compileStreaming compiles a Response with Content-Type application/wasm");

promise_test(async () => {
  const { module, instance } =
    await WebAssembly.instantiateStreaming(Promise.resolve(wasmResponse(memoryModule())));
  assert_true(module instanceof WebAssembly.Module);
  assert_true(instance instanceof WebAssembly.Instance);
}, "instantiateStreaming accepts a promise of a Response");

promise_test((t) => promise_rejects_js(t, TypeError,
  WebAssembly.compileStreaming(new Response(memoryModule()))),
  "a Response without application/wasm is a TypeError");

promise_test((t) => promise_rejects_js(t, TypeError,
  WebAssembly.compileStreaming(wasmResponse(memoryModule(), { status: 500 }))),
  "a Response whose status is not ok is a TypeError");

promise_test(async (t) => {
  const r = wasmResponse(memoryModule());
  await r.arrayBuffer();
  await promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(r));
}, "a used body is a TypeError");

promise_test((t) => promise_rejects_js(t, WebAssembly.CompileError,
  WebAssembly.compileStreaming(wasmResponse(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])))),
  "bad bytes are a CompileError");

promise_test((t) => promise_rejects_js(t, TypeError, WebAssembly.compileStreaming("hello.wasm")),
  "a non-Response is a TypeError");
