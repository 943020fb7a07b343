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
  compileStreaming: W.method("compileStreaming", function compileStreaming(source) {
    return R.Promise.reject(new R.TypeError("WebAssembly.compileStreaming(): no Response support in this host"));
  }),
  instantiateStreaming: W.method("instantiateStreaming", function instantiateStreaming(source, importObject) {
    return R.Promise.reject(new R.TypeError("WebAssembly.instantiateStreaming(): no Response support in this host"));
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
