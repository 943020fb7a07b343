// The WebAssembly namespace object (JS-API 4): validate, compile, instantiate, the streaming
// entry points (completed by the host's fetch integration), and installation into the realm
// in place of V8's own namespace (kept internally as W.native).
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const newPromise = () => {
  let resolve, reject;
  const promise = new R.Promise((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
};

// "Asynchronously compile a WebAssembly module": the bytes are copied now, the module is
// compiled and the promise settled in a later task.
W.compileAsync = (copy, opts) => {
  const p = newPromise();
  W.queueTask(() => {
    try { p.resolve(W.newModuleObject(W.compileBytes(copy, opts))); } catch (e) { p.reject(e); }
  });
  return p.promise;
};

// "Asynchronously instantiate a WebAssembly module": imports are read now, the instance is
// created in a later task.
W.instantiateAsync = (moduleObject, importObject) => {
  const p = newPromise();
  let imports;
  const py = W.moduleSlots.get(moduleObject).py;
  try {
    imports = W.readImports(py, importObject);
  } catch (e) {
    p.reject(e);
    return p.promise;
  }
  W.queueTask(() => {
    try { p.resolve(W.instantiateCore(py, imports)); } catch (e) { p.reject(e); }
  });
  return p.promise;
};

// The host's Response (Fetch 5.5), taken once, before page code can replace the global; the
// getters brand-check (private fields), so a non-Response is a TypeError.
let fetchApi = null;
const responseApi = () => {
  if (fetchApi !== null) return fetchApi;
  const Resp = globalThis.Response, Hdrs = globalThis.Headers;
  if (typeof Resp !== "function" || typeof Hdrs !== "function") return null;
  const getter = (name) => R.getOwnPropertyDescriptor(Resp.prototype, name).get;
  fetchApi = {
    ok: getter("ok"), type: getter("type"), headers: getter("headers"),
    arrayBuffer: Resp.prototype.arrayBuffer, headerGet: Hdrs.prototype.get,
  };
  return fetchApi;
};
if (bridge.web !== undefined) responseApi();

// "Compile a potential WebAssembly response" (WebAssembly Web API 3): source is a Response or a
// promise of one; its body is consumed as an ArrayBuffer and compiled asynchronously.
W.compileResponse = (source, what, opts) => {
  const p = newPromise();
  const fail = (message) => p.reject(new R.TypeError(what + ": " + message));
  const withResponse = (response) => {
    const api = responseApi();
    if (api === null) return fail("this host has no Response");
    let bodyPromise;
    try {
      let headers;
      try {
        headers = R.apply(api.headers, response, []);
      } catch (e) {
        return fail("Argument 0 must be a Response or a promise resolving to one");
      }
      const type = R.apply(api.type, response, []);
      if (type === "opaque" || type === "opaqueredirect") return fail("the response is not CORS-same-origin");
      let mime = R.apply(api.headerGet, headers, ["content-type"]);
      if (mime !== null) mime = R.apply(R.stringReplace, mime, [/^[\t ]+|[\t ]+$/g, ""]);
      if (mime === null || R.apply(R.stringToLowerCase, mime, []) !== "application/wasm") {
        return fail("Incorrect response MIME type. Expected 'application/wasm'.");
      }
      if (!R.apply(api.ok, response, [])) return fail("HTTP status of the response is not ok");
      bodyPromise = R.apply(api.arrayBuffer, response, []);
    } catch (e) {
      return p.reject(e);
    }
    R.apply(R.promiseThen, R.apply(R.promiseResolve, R.Promise, [bodyPromise]), [
      (buffer) => {
        let copy;
        try { copy = new R.Uint8Array(W.bytesOf(buffer)); } catch (e) { return p.reject(e); }
        p.resolve(W.compileAsync(copy, opts));
      },
      p.reject,
    ]);
  };
  R.apply(R.promiseThen, R.apply(R.promiseResolve, R.Promise, [source]), [withResponse, p.reject]);
  return p.promise;
};

const ns = R.create(Object.prototype);
const functions = {
  validate: W.method("validate", function validate(bytes, options) {
    if (arguments.length < 1) throw new R.TypeError("WebAssembly.validate(): 1 argument required");
    let copy;
    try {
      copy = W.bytesOf(bytes);
    } catch (e) {
      if (e instanceof W.CompileError) return false;
      throw e;
    }
    return S["wasm.validate"](copy, W.compileOptions(options));
  }, 1),
  compile: W.method("compile", function compile(bytes, options) {
    try {
      if (arguments.length < 1) throw new R.TypeError("WebAssembly.compile(): 1 argument required");
      const copy = new R.Uint8Array(W.bytesOf(bytes));
      return W.compileAsync(copy, W.compileOptions(options));
    } catch (e) {
      return R.Promise.reject(e);
    }
  }, 1),
  instantiate: W.method("instantiate", function instantiate(source, importObject, options) {
    try {
      if (arguments.length < 1) throw new R.TypeError("WebAssembly.instantiate(): 1 argument required");
      if (W.moduleSlots.has(source)) {
        W.checkImportObject(importObject, "WebAssembly.instantiate()");
        return W.instantiateAsync(source, importObject);
      }
      const copy = new R.Uint8Array(W.bytesOf(source));
      W.checkImportObject(importObject, "WebAssembly.instantiate()");
      const opts = W.compileOptions(options);
      return R.apply(R.promiseThen, W.compileAsync(copy, opts), [
        (module) => R.apply(R.promiseThen, W.instantiateAsync(module, importObject), [
          (instance) => ({ module, instance }),
        ]),
      ]);
    } catch (e) {
      return R.Promise.reject(e);
    }
  }, 1),
  compileStreaming: W.method("compileStreaming", function compileStreaming(source, options) {
    if (arguments.length < 1) {
      return R.Promise.reject(new R.TypeError("WebAssembly.compileStreaming(): 1 argument required"));
    }
    let opts;
    try { opts = W.compileOptions(options); } catch (e) { return R.Promise.reject(e); }
    return W.compileResponse(source, "WebAssembly.compileStreaming()", opts);
  }, 1),
  instantiateStreaming: W.method("instantiateStreaming", function instantiateStreaming(source, importObject, options) {
    const what = "WebAssembly.instantiateStreaming()";
    let opts;
    try {
      if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
      W.checkImportObject(importObject, what);
      opts = W.compileOptions(options);
    } catch (e) {
      return R.Promise.reject(e);
    }
    return R.apply(R.promiseThen, W.compileResponse(source, what, opts), [
      (module) => R.apply(R.promiseThen, W.instantiateAsync(module, importObject), [
        (instance) => ({ module, instance }),
      ]),
    ]);
  }, 1),
};
for (const name of Object.keys(functions)) {
  R.defineProperty(ns, name, { value: functions[name], writable: true, enumerable: true, configurable: true });
}
W.installModule(ns);
W.installInstance(ns);
W.installMemory(ns);
W.installTable(ns);
W.installGlobal(ns);
W.installTags(ns);
W.installErrors(ns);
R.defineProperty(ns, R.toStringTag, { value: "WebAssembly", writable: false, enumerable: false, configurable: true });
W.namespace = ns;
R.defineProperty(globalThis, "WebAssembly", { value: ns, writable: true, enumerable: false, configurable: true });
