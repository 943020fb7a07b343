// WebAssembly.Instance (JS-API 5.2), exported function objects (5.6) and host functions (the
// JS side of "create a host function"): reading the imports, building the frozen exports object.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const instanceSlots = new R.WeakMap();

// Exported Function objects: name is the function index, length the parameter count; the engine
// keeps one object per function instance (wasm.bind), so re-exports are the same object.
function exportedFunction(py, meta) {
  const [name, params] = meta;
  const n = params.length;
  const f = {
    [name](...args) {
      const converted = new Array(n);
      for (let i = 0; i < n; i++) converted[i] = W.toWasm(args[i], params[i]);
      return W.results(S["wasm.call"](py, converted));
    },
  }[name];
  R.defineProperty(f, "length", { value: n, writable: false, enumerable: false, configurable: true });
  W.pyOf.set(f, py);
  return f;
}
W.makers.func = exportedFunction;

// GC objects are opaque to JS (GC JS API): no properties, null prototype, not extensible, and
// every attempt to change them throws.
const refuse = () => { throw new R.TypeError("WebAssembly objects are opaque"); };
const opaqueHandler = R.freeze({
  get: () => undefined,
  has: () => false,
  set: refuse,
  defineProperty: refuse,
  deleteProperty: refuse,
  setPrototypeOf: refuse,
  preventExtensions: refuse,
  getOwnPropertyDescriptor: () => undefined,
  ownKeys: () => [],
  getPrototypeOf: () => null,
  isExtensible: () => false,
});
W.makers.gc = (py) => {
  const target = R.create(null);
  Object.preventExtensions(target);
  const obj = new Proxy(target, opaqueHandler);
  W.pyOf.set(obj, py);
  return obj;
};

// [0, results] or [1, exception]: a wasm exception that is not a JS value surfaces as the
// WebAssembly.Exception object of that exception instance.
W.results = (r) => {
  if (r[0] === 1) throw W.fromWasm(r[1]);
  const rs = r[1];
  if (rs.length === 0) return undefined;
  if (rs.length === 1) return W.fromWasm(rs[0]);
  const out = [];
  for (let i = 0; i < rs.length; i++) out.push(W.fromWasm(rs[i]));
  return out;
};

// Runs a JS function imported by wasm (called by Python through bridge.call_js). Never throws:
// a thrown value comes back as [1, value] so the engine can unwind wasm frames with it.
W.callImport = (fn, args, results) => {
  try {
    const jsArgs = new Array(args.length);
    for (let i = 0; i < args.length; i++) jsArgs[i] = W.fromWasm(args[i]);
    const ret = R.apply(fn, undefined, jsArgs);
    if (results.length === 0) return [0, []];
    if (results.length === 1) return [0, [W.toWasm(ret, results[0])]];
    const values = W.listOf(ret, "the result of an imported function");
    if (values.length !== results.length) throw new R.TypeError("multi-return length mismatch");
    return [0, values.map((v, i) => W.toWasm(v, results[i]))];
  } catch (e) {
    return [1, W.refToWasm(e)];
  }
};

// "Read the imports" (JS-API 5.2): Get in import order, kind checks as LinkError.
W.readImports = (py, importObject) => {
  const imports = S["wasm.moduleImportTypes"](py);
  if (imports.length > 0 && importObject === undefined) {
    throw new R.TypeError("WebAssembly.Instance(): Imports argument must be present and must be an object");
  }
  const out = [];
  for (const [moduleName, name, kind, info] of imports) {
    // Imported string constants and builtins are supplied by the engine, never looked up.
    if (kind === "string") { out.push(["value", name]); continue; }
    if (kind === "builtin") { out.push(["js", W.jsStringBuiltin(name)]); continue; }
    const o = importObject[moduleName];
    if (!W.isObject(o)) {
      throw new R.TypeError("WebAssembly.Instance(): Import #" + out.length + " \"" + moduleName + "\": module is not an object or function");
    }
    const v = o[name];
    const where = "WebAssembly.Instance(): Import #" + out.length + " \"" + moduleName + "\" \"" + name + "\": ";
    switch (kind) {
      case "function":
        if (typeof v !== "function") throw new W.LinkError(where + "function import requires a callable");
        out.push(W.pyOf.has(v) ? W.pyOf.get(v) : ["js", v]);
        break;
      case "global": {
        if (W.globalSlots.has(v)) { out.push(W.globalSlots.get(v).py); break; }
        const [valtype] = info;
        if (valtype === "i64" && typeof v !== "bigint") throw new W.LinkError(where + "global import must be a BigInt or WebAssembly.Global object");
        if ((valtype === "i32" || valtype === "f32" || valtype === "f64") && typeof v !== "number") {
          throw new W.LinkError(where + "global import must be a number or WebAssembly.Global object");
        }
        if (valtype === "v128") throw new W.LinkError(where + "global import of type v128 must be a WebAssembly.Global object");
        out.push(["value", W.toWasm(v, valtype)]);
        break;
      }
      case "memory":
        if (!W.memorySlots.has(v)) throw new W.LinkError(where + "memory import must be a WebAssembly.Memory object");
        out.push(W.memorySlots.get(v).py);
        break;
      case "table":
        if (!W.tableSlots.has(v)) throw new W.LinkError(where + "table import requires a WebAssembly.Table");
        out.push(W.tableSlots.get(v).py);
        break;
      case "tag":
        if (!W.tagSlots.has(v)) throw new W.LinkError(where + "tag import requires a WebAssembly.Tag");
        out.push(W.tagSlots.get(v).py);
        break;
    }
  }
  return out;
};

// Instantiates the core module and builds the exports object (frozen, null prototype).
W.instantiateCore = (py, imports, proto) => {
  const r = S["wasm.instantiate"](py, imports);
  if (r[0] === 1) throw W.fromWasm(r[1]);
  const exportsObject = R.create(null);
  for (const [name, value] of r[1]) {
    R.defineProperty(exportsObject, name, { value: W.fromWasm(value), writable: true, enumerable: true, configurable: true });
  }
  R.freeze(exportsObject);
  const inst = R.create(proto || W.Instance.prototype);
  instanceSlots.set(inst, { exports: exportsObject });
  return inst;
};

W.checkImportObject = (importObject, what) => {
  if (importObject !== undefined && !W.isObject(importObject)) {
    throw new R.TypeError(what + ": Argument 1 must be an object");
  }
};

function Instance(module, importObject) {
  W.requireNew(new.target, "Instance");
  const what = "WebAssembly.Instance()";
  if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
  const m = W.slotsOf(W.moduleSlots, module, "WebAssembly.Module (" + what + ")");
  W.checkImportObject(importObject, what);
  const imports = W.readImports(m.py, importObject);
  return W.instantiateCore(m.py, imports, W.protoFrom(new.target, W.Instance));
}
W.Instance = Instance;

W.installInstance = (ns) => {
  W.defineInterface(ns, "Instance", Instance, 1, {
    attributes: {
      exports: {
        get: W.getter("exports", function () {
          return W.slotsOf(instanceSlots, this, "WebAssembly.Instance (exports)").exports;
        }),
      },
    },
  });
};
