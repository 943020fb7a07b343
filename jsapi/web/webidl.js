// Shared Web IDL machinery for the web platform files of this folder: the internal namespace
// `bridge.web` that later files attach to, interface shaping (WebIDL 3.7: operations and
// attributes are enumerable, @@toStringTag is configurable), brand checks and conversions.
"use strict";
const web = (bridge.web = bridge.web || Object.create(null));
const global = globalThis;
web.global = global;

// Interface objects, namespaces and global functions: writable, non-enumerable, configurable.
web.expose = function expose(name, value) {
  Object.defineProperty(global, name, { value, writable: true, enumerable: false, configurable: true });
};

// Shapes a class as a WebIDL interface: members enumerable, @@toStringTag on the prototype.
web.idlClass = function idlClass(C, tag = C.name, { expose = true } = {}) {
  for (const target of [C.prototype, C]) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === "constructor" || key === "prototype" || key === "length" || key === "name") continue;
      const d = Object.getOwnPropertyDescriptor(target, key);
      if (typeof key === "symbol") continue;
      d.enumerable = true;
      Object.defineProperty(target, key, d);
    }
  }
  Object.defineProperty(C.prototype, Symbol.toStringTag, { value: tag, configurable: true });
  if (expose) web.expose(tag, C);
  return C;
};

web.illegal = function illegal() {
  throw new TypeError("Illegal invocation");
};

// WebIDL 3.2: conversions used by several interfaces.
web.toUSVString = function toUSVString(v) {
  const s = web.toDOMString(v);
  return s.toWellFormed();
};
web.toDOMString = function toDOMString(v) {
  if (typeof v === "symbol") throw new TypeError("Cannot convert a Symbol value to a string");
  return String(v);
};
web.toByteString = function toByteString(v) {
  const s = web.toDOMString(v);
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 255) throw new TypeError(`Value is not a valid ByteString`);
  }
  return s;
};
// [EnforceRange] unsigned long long style conversion, with a clamp option.
web.toUnsignedLong = function toUnsignedLong(v, { enforce = false } = {}) {
  let x = Number(v);
  if (enforce) {
    if (!Number.isFinite(x)) throw new TypeError("Value is not a finite number");
    x = Math.trunc(x);
    if (x < 0 || x > 4294967295) throw new TypeError("Value is outside the 'unsigned long' range");
    return x;
  }
  if (!Number.isFinite(x)) return 0;
  x = Math.trunc(x) % 4294967296;
  return x < 0 ? x + 4294967296 : x;
};
web.toLongLong = function toLongLong(v) {
  const x = Number(v);
  if (!Number.isFinite(x)) return 0;
  return Math.trunc(x);
};
web.isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");
web.dictionary = function dictionary(v, what) {
  if (v === undefined || v === null) return {};
  if (!web.isObject(v)) throw new TypeError(`Failed to convert '${what}': not an object`);
  return v;
};
web.callbackFunction = function callbackFunction(v, what) {
  if (typeof v !== "function") throw new TypeError(`${what} is not a function`);
  return v;
};
web.bufferSourceBytes = function bufferSourceBytes(v) {
  if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
};
// Copies of the bytes (the caller may keep them while the source changes).
web.copyBytes = function copyBytes(u8) {
  const out = new Uint8Array(u8.length);
  out.set(u8);
  return out;
};

// Microtask scheduling without relying on the host's queueMicrotask being installed yet.
const resolved = Promise.resolve();
web.microtask = function microtask(fn) {
  resolved.then(fn);
};
