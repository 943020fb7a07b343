// Web IDL plumbing shared by the WebAssembly namespace (loaded first): interface objects with the
// exact property descriptors, brand checks, [EnforceRange] conversions, and the conversions between
// JS values and WebAssembly values (JS-API spec 5.4 "ToJSValue" / "ToWebAssemblyValue").
//
// Every file of the namespace runs as `function (bridge) {...}`; they share the internal object
// `bridge.wasm` (W), never reachable from page code. Numeric conversions run here, in JS, so that
// user valueOf/toString calls happen in the spec's order; reference checks run in Python.
"use strict";
const W = (bridge.wasm = Object.create(null));
const S = bridge.services;
W.S = S;
W.bridge = bridge;

// Saved before page code can patch them.
const R = (W.R = {
  apply: Reflect.apply,
  defineProperty: Object.defineProperty,
  freeze: Object.freeze,
  create: Object.create,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  setPrototypeOf: Object.setPrototypeOf,
  isView: ArrayBuffer.isView,
  Promise,
  promiseThen: Promise.prototype.then,
  promiseResolve: Promise.resolve,
  stringReplace: String.prototype.replace,
  stringToLowerCase: String.prototype.toLowerCase,
  BigInt,
  Number,
  String,
  TypeError,
  RangeError,
  Error,
  fround: Math.fround,
  trunc: Math.trunc,
  isFinite: Number.isFinite,
  isNaN: Number.isNaN,
  ArrayBuffer,
  SharedArrayBuffer,
  Uint8Array,
  DataView,
  WeakMap,
  Map,
  Symbol,
  iterator: Symbol.iterator,
  toStringTag: Symbol.toStringTag,
  abSlice: ArrayBuffer.prototype.slice,
  typedArrayBuffer: Object.getOwnPropertyDescriptor(
    Object.getPrototypeOf(Uint8Array.prototype), "buffer").get,
});
W.native = globalThis.WebAssembly;

W.typeError = (msg) => new R.TypeError(msg);

// ---- interface objects (Web IDL 3.7) --------------------------------------------------------------
// Builds a constructor function with `length`/`name`, a prototype with enumerable configurable
// writable operations, accessor attributes and a @@toStringTag, and wires the namespace property.
W.defineInterface = function (ns, name, ctor, length, members, opts) {
  opts = opts || {};
  R.defineProperty(ctor, "length", { value: length, writable: false, enumerable: false, configurable: true });
  R.defineProperty(ctor, "name", { value: name, writable: false, enumerable: false, configurable: true });
  const proto = opts.proto || R.create(opts.protoParent || Object.prototype);
  for (const key of Object.keys(members.methods || {})) {
    R.defineProperty(proto, key, { value: members.methods[key], writable: true, enumerable: true, configurable: true });
  }
  for (const key of Object.keys(members.attributes || {})) {
    const a = members.attributes[key];
    R.defineProperty(proto, key, { get: a.get, set: a.set, enumerable: true, configurable: true });
  }
  for (const key of Object.keys(members.statics || {})) {
    R.defineProperty(ctor, key, { value: members.statics[key], writable: true, enumerable: true, configurable: true });
  }
  R.defineProperty(ctor, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
  R.defineProperty(proto, "constructor", { value: ctor, writable: true, enumerable: false, configurable: true });
  if (!opts.noToStringTag) {
    R.defineProperty(proto, R.toStringTag, { value: "WebAssembly." + name, writable: false, enumerable: false, configurable: true });
  }
  R.defineProperty(ns, name, { value: ctor, writable: true, enumerable: false, configurable: true });
  return proto;
};

// Operations and attribute getters are built-in functions that are not constructors.
W.method = (name, fn, length) => {
  const m = { [name](...args) { return R.apply(fn, this, args); } }[name];
  const n = length === undefined ? fn.length : length;
  R.defineProperty(m, "length", { value: n, writable: false, enumerable: false, configurable: true });
  return m;
};
W.getter = (name, fn) => R.getOwnPropertyDescriptor({ get [name]() { return R.apply(fn, this, []); } }, name).get;
W.setter = (name, fn) => R.getOwnPropertyDescriptor({ set [name](v) { R.apply(fn, this, [v]); } }, name).set;

W.requireNew = (nt, name) => {
  if (nt === undefined) throw new R.TypeError("WebAssembly." + name + " must be invoked with 'new'");
};

// Internal slots: one WeakMap per interface; a missing entry is a failed brand check.
W.slotsOf = (map, obj, what) => {
  const s = (typeof obj === "object" || typeof obj === "function") && obj !== null ? map.get(obj) : undefined;
  if (s === undefined) throw new R.TypeError("Receiver is not a " + what);
  return s;
};

// ---- conversions ----------------------------------------------------------------------------------
W.toNumber = (v) => +v;
W.isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

// [EnforceRange] unsigned long (Web IDL 3.2.4.8, ConvertToInt with EnforceRange).
W.enforceU32 = (v, what) => {
  let x = +v;
  if (R.isNaN(x) || !R.isFinite(x)) throw new R.TypeError(what + " must be convertible to a valid number");
  x = R.trunc(x);
  if (x < 0 || x > 0xffffffff) throw new R.TypeError(what + " is outside the range of unsigned long");
  return x === 0 ? 0 : x;
};

// AddressValueToU64 (JS-API 5.x): [EnforceRange] unsigned long for i32, ToBigInt in range for i64.
W.addressToU64 = (v, addrtype, what) => {
  if (addrtype === "i32") return W.enforceU32(v, what);
  const n = W.toBigInt(v);
  if (n < 0n || n > 0xffffffffffffffffn) throw new R.TypeError(what + " is outside the u64 range");
  return n;
};
W.u64ToAddress = (v, addrtype) => (addrtype === "i32" ? R.Number(v) : R.BigInt(v));

// ECMAScript ToBigInt: numbers are rejected (BigInt(v) would accept them).
W.toBigInt = (v) => {
  if (W.isObject(v)) {
    const p = v[Symbol.toPrimitive];
    if (p !== undefined && p !== null) {
      v = R.apply(p, v, ["number"]);
    } else {
      let prim;
      for (const key of ["valueOf", "toString"]) {
        const f = v[key];
        if (typeof f === "function") {
          prim = R.apply(f, v, []);
          if (!W.isObject(prim)) break;
        }
      }
      if (W.isObject(prim)) throw new R.TypeError("Cannot convert object to a primitive value");
      v = prim;
    }
    if (W.isObject(v)) throw new R.TypeError("Cannot convert object to a primitive value");
  }
  switch (typeof v) {
    case "bigint": return v;
    case "boolean": return v ? 1n : 0n;
    case "string": return R.BigInt(v); // SyntaxError for non-numeric strings, as ToBigInt
    case "number": throw new R.TypeError("Cannot convert " + v + " to a BigInt");
    case "undefined": throw new R.TypeError("Cannot convert undefined to a BigInt");
    case "symbol": throw new R.TypeError("Cannot convert a Symbol value to a BigInt");
  }
  if (v === null) throw new R.TypeError("Cannot convert null to a BigInt");
  return R.BigInt(v);
};

// Values of reference type travel to Python as themselves, except our wrappers of engine objects
// (exported functions, GC objects, tags, exceptions), which travel as the engine object.
W.pyOf = new R.WeakMap();
W.refToWasm = (v) => {
  if (W.isObject(v)) {
    const py = W.pyOf.get(v);
    if (py !== undefined) return py;
  }
  return v;
};

// ToWebAssemblyValue for the numeric types; reference values are checked by the Python side.
// `t` is a type code: "i32" "i64" "f32" "f64" "v128" or a reference type's text ("externref").
W.toWasm = (v, t) => {
  switch (t) {
    case "i32": return (+v) | 0;
    case "i64": return R.BigInt.asIntN(64, W.toBigInt(v));
    case "f32": return R.fround(+v);
    case "f64": return +v;
    case "v128": throw new R.TypeError("type incompatibility when transforming from/to JS");
  }
  return W.refToWasm(v);
};

// ToJSValue: Python sends numbers/BigInts ready; engine objects arrive as Python objects and
// become (cached) JS wrappers.
W.fromWasm = (v) => (bridge.isPyObject(v) ? W.wrap(v) : v);

// Wrapper cache: engine object key -> JS object (the spec's function/memory/... object caches).
W.wrappers = new R.Map();
W.makers = Object.create(null);
W.wrap = (py) => {
  const [key, kind, meta] = S["wasm.describe"](py);
  let obj = W.wrappers.get(key);
  if (obj === undefined) {
    obj = W.makers[kind](py, meta);
    W.wrappers.set(key, obj);
    S["wasm.bind"](py, obj);
  }
  return obj;
};
W.remember = (py, obj, key) => {
  W.pyOf.set(obj, py);
  if (key !== undefined) W.wrappers.set(key, obj);
};

// Buffer sources (Web IDL BufferSource / AllowSharedBufferSource): a copy of the bytes.
W.bytesOf = (v) => {
  const b = bytesView(v);
  // The JS embedding's module size limit (1 GiB), checked before the bytes cross to Python.
  if (b.length > 1073741824) throw new W.CompileError("WebAssembly: module size exceeds the implementation limit");
  return b;
};
const bytesView = (v) => {
  if (v instanceof R.ArrayBuffer || v instanceof R.SharedArrayBuffer) return new R.Uint8Array(v);
  if (R.isView(v)) return new R.Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new R.TypeError("first argument must be an ArrayBuffer or typed array object");
};

// Tasks (HTML "queue a global task"): a real V8 macrotask (an Atomics.waitAsync settled by
// Atomics.notify), the kind V8's own asynchronous compilation settles in. The host event loop
// yields to V8 macrotasks after each of its own tasks, so these run promptly and in order.
const taskCell = new Int32Array(new R.SharedArrayBuffer(4));
const waitAsync = Atomics.waitAsync, notify = Atomics.notify;
W.queueTask = (fn) => {
  const r = R.apply(waitAsync, Atomics, [taskCell, 0, 0]);
  R.apply(R.promiseThen, r.value, [() => fn()]);
  R.apply(notify, Atomics, [taskCell, 0, 1]);
};
