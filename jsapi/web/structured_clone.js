// structuredClone (HTML 2.7): StructuredSerializeWithTransfer producing a record of plain data
// and ArrayBuffers, and StructuredDeserializeWithTransfer rebuilding values from it. The record
// is what postMessage between workers can carry (msgpack-representable apart from buffers):
//   { root: E, objects: [O...], transfers: [ArrayBuffer...] }
// E (an encoded value) is null, a boolean, a number, a string, ["u"] (undefined),
// ["n", "123"] (a BigInt) or ["r", i] (objects[i]); O is a tagged array (see serializeObject).
"use strict";
const web = bridge.web;
const G = web.global;

const TypedArray = Object.getPrototypeOf(Int8Array);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;
const getter = (C, name) => Object.getOwnPropertyDescriptor(C.prototype, name).get;
const abByteLength = getter(ArrayBuffer, "byteLength");
const abResizable = getter(ArrayBuffer, "resizable");
const abMax = getter(ArrayBuffer, "maxByteLength");
const abDetached = getter(ArrayBuffer, "detached");
const sabByteLength = getter(SharedArrayBuffer, "byteLength");
const dvByteLength = getter(DataView, "byteLength");
const mapSize = getter(Map, "size");
const setSize = getter(Set, "size");
const regexpSource = getter(RegExp, "source");
const regexpFlags = getter(RegExp, "flags");
const ERROR_NAMES = ["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"];
const VIEWS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};
if (typeof G.Float16Array === "function") VIEWS.Float16Array = G.Float16Array;

// Brand checks throw for most objects; without stack capture a throw is cheap (serialize
// runs with Error.stackTraceLimit at 0 and restores it before making its own errors).
let savedLimit;
function brand(fn, v) {
  try {
    fn.call(v);
    return true;
  } catch {
    return false;
  }
}
function cloneError(message) {
  Error.stackTraceLimit = savedLimit;
  return new web.DOMException(message, "DataCloneError");
}
function dataCloneError(what) {
  return cloneError(`Failed to execute 'structuredClone' on 'Window': ${what} could not be cloned.`);
}
// Page code (getters) runs with the page's own stack trace limit.
function userGet(o, key) {
  Error.stackTraceLimit = savedLimit;
  const value = o[key];
  Error.stackTraceLimit = 0;
  return value;
}
function describe(v) {
  if (typeof v === "function") return `${v.toString().slice(0, 60)}`;
  if (typeof v === "symbol") return v.toString();
  return `#<${Object.prototype.toString.call(v).slice(8, -1)}>`;
}
const isError = typeof Error.isError === "function" ? Error.isError : (v) => v instanceof Error;
// Objects with internal slots that HTML does not serialize.
function isUnserializable(v) {
  return (
    brand(WeakMap.prototype.has, v) || brand(WeakSet.prototype.has, v) || brand(WeakRef.prototype.deref, v) ||
    brand(Symbol.prototype.valueOf, v) || Object.prototype.toString.call(v) === "[object Promise]" ||
    (typeof FinalizationRegistry === "function" && v instanceof FinalizationRegistry) ||
    web.isEventTarget(v) || web.eventState(v) !== null || web.isURL(v) ||
    (typeof WebAssembly === "object" && (v instanceof WebAssembly.Module || v instanceof WebAssembly.Memory ||
      v instanceof WebAssembly.Instance || v instanceof WebAssembly.Table || v instanceof WebAssembly.Global))
  );
}
const isDetached = (ab) => abDetached.call(ab);
const objectToString = Object.prototype.toString;
const toStringTag = (v) => objectToString.call(v);

function serialize(value, transferList = []) {
  savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return serializeInner(value, transferList);
  } finally {
    Error.stackTraceLimit = savedLimit;
  }
}

function serializeInner(value, transferList) {
  const memory = new Map();
  const objects = [];
  const buffers = [];
  for (const t of transferList) {
    if (!brand(abByteLength, t)) {
      throw cloneError(`Failed to execute 'structuredClone': Value at index ${buffers.length} does not have a transferable type.`);
    }
    if (buffers.includes(t)) throw cloneError(`ArrayBuffer at index ${buffers.length} is a duplicate of an earlier ArrayBuffer.`);
    if (isDetached(t)) throw cloneError("An ArrayBuffer is detached and could not be cloned.");
    if (bridge.isPinned(t)) throw cloneError("An ArrayBuffer held by the host could not be transferred.");
    memory.set(t, ["r", objects.length]);
    objects.push(["Transferred", buffers.length]);
    buffers.push(t);
  }
  function add(v, record) {
    const ref = ["r", objects.length];
    memory.set(v, ref);
    objects.push(record);
    return ref;
  }
  function enc(v) {
    switch (typeof v) {
      case "undefined": return ["u"];
      case "boolean": case "number": case "string": return v;
      case "bigint": return ["n", v.toString()];
      case "symbol": throw dataCloneError(describe(v));
      case "function": throw dataCloneError(describe(v));
    }
    if (v === null) return null;
    const seen = memory.get(v);
    if (seen !== undefined) return seen;
    return serializeObject(v);
  }
  function serializeObject(v) {
    // Fast path for the common plain object: brand checks throw, which is slow even without
    // stacks. (An object with internal slots whose prototype was set to Object.prototype is
    // taken for a plain object here: a known deviation.)
    if (Object.getPrototypeOf(v) === Object.prototype && toStringTag(v) === "[object Object]") {
      return plainObject(v);
    }
    // An Array exotic object has no other internal slots.
    if (Array.isArray(v)) {
      const props = [];
      const ref = add(v, ["Array", v.length, props]);
      for (const key of Object.keys(v)) props.push(key, enc(userGet(v, key)));
      return ref;
    }
    // Host-defined serializable and transferable objects (postMessage: message ports, wasm
    // modules, shared memories): a hook returns undefined for a value it does not own.
    for (let h = 0; h < web.cloneHooks.length; h++) {
      const data = web.cloneHooks[h].serialize(v);
      if (data !== undefined) return add(v, ["Host", h, data]);
    }
    if (brand(Boolean.prototype.valueOf, v)) return add(v, ["Boolean", Boolean.prototype.valueOf.call(v)]);
    if (brand(Number.prototype.valueOf, v)) return add(v, ["Number", Number.prototype.valueOf.call(v)]);
    if (brand(BigInt.prototype.valueOf, v)) return add(v, ["BigInt", BigInt.prototype.valueOf.call(v).toString()]);
    if (brand(String.prototype.valueOf, v)) return add(v, ["String", String.prototype.valueOf.call(v)]);
    if (brand(Date.prototype.getTime, v)) return add(v, ["Date", Date.prototype.getTime.call(v)]);
    if (v !== RegExp.prototype && brand(regexpSource, v)) {
      return add(v, ["RegExp", regexpSource.call(v), regexpFlags.call(v)]);
    }
    if (brand(abByteLength, v)) {
      if (isDetached(v)) throw dataCloneError("An ArrayBuffer is detached and");
      const n = abByteLength.call(v);
      const copy = abResizable.call(v) ? new ArrayBuffer(n, { maxByteLength: abMax.call(v) }) : new ArrayBuffer(n);
      new Uint8Array(copy).set(new Uint8Array(v));
      return add(v, ["ArrayBuffer", copy]);
    }
    if (brand(sabByteLength, v)) return add(v, ["SharedArrayBuffer", v]);
    if (ArrayBuffer.isView(v)) {
      const tag = typedArrayTag.call(v);
      const ref = add(v, null);
      const record = [];
      objects[ref[1]] = record;
      if (tag === undefined) {
        const buffer = enc(v.buffer);
        record.push("DataView", buffer, v.byteOffset, dvByteLength.call(v));
      } else {
        const buffer = enc(v.buffer);
        // A length-tracking view over a resizable buffer keeps tracking (length null).
        const tracking = abResizable.call(v.buffer) && isLengthTracking(v);
        record.push("TypedArray", tag, buffer, v.byteOffset, tracking ? null : v.length);
      }
      return ref;
    }
    if (brand(mapSize, v)) {
      const entries = [];
      const ref = add(v, ["Map", entries]);
      for (const [k, x] of Array.from(Map.prototype.entries.call(v))) entries.push(enc(k), enc(x));
      return ref;
    }
    if (brand(setSize, v)) {
      const items = [];
      const ref = add(v, ["Set", items]);
      for (const k of Array.from(Set.prototype.values.call(v))) items.push(enc(k));
      return ref;
    }
    if (web.isBlob(v)) {
      const bytes = web.copyBytes(web.blobBytes(v)).buffer;
      if (web.isFile(v)) return add(v, ["File", bytes, web.blobType(v), ...web.fileInfo(v)]);
      return add(v, ["Blob", bytes, web.blobType(v)]);
    }
    if (web.isDOMException(v)) return add(v, ["DOMException", v.name, v.message]);
    if (isError(v)) {
      const record = ["Error", "Error", null, null];
      const ref = add(v, record);
      const name = userGet(v, "name");
      record[1] = ERROR_NAMES.includes(name) ? name : "Error";
      const m = Object.getOwnPropertyDescriptor(v, "message");
      if (m !== undefined && "value" in m) record[2] = web.toDOMString(m.value);
      const s = Object.getOwnPropertyDescriptor(v, "stack");
      if (s !== undefined && typeof s.value === "string") record[3] = s.value;
      return ref;
    }
    if (isUnserializable(v)) throw dataCloneError(describe(v));
    return plainObject(v);
  }
  function plainObject(v) {
    const props = [];
    const ref = add(v, ["Object", props]);
    for (const key of Object.keys(v)) {
      // A getter may have deleted a later key (HTML: "if ! HasOwnProperty(value, key)").
      if (Object.prototype.hasOwnProperty.call(v, key)) props.push(key, enc(userGet(v, key)));
    }
    return ref;
  }
  const root = enc(value);
  const transfers = [];
  for (const t of buffers) {
    if (isDetached(t)) throw dataCloneError("An ArrayBuffer is detached and");
    try {
      transfers.push(t.transfer());
    } catch {
      throw dataCloneError("An ArrayBuffer that cannot be detached");
    }
  }
  return { root, objects, transfers };
}

// JS offers no test for a length-tracking view; a view of a resizable buffer that reaches its
// end is taken to be one (the common case: `new Uint8Array(resizable)`).
function isLengthTracking(view) {
  return view.byteOffset + view.byteLength === abByteLength.call(view.buffer);
}

function deserialize(record) {
  const { objects, transfers } = record;
  const made = new Array(objects.length);
  const done = new Uint8Array(objects.length);
  function dec(e) {
    if (e === null || typeof e !== "object") return e;
    switch (e[0]) {
      case "u": return undefined;
      case "n": return BigInt(e[1]);
      case "r": return obj(e[1]);
    }
    throw new TypeError("structured clone: malformed record");
  }
  function obj(i) {
    if (done[i]) return made[i];
    done[i] = 1;
    const o = objects[i];
    let v;
    switch (o[0]) {
      case "Boolean": v = Object(Boolean(o[1])); break;
      case "Number": v = Object(Number(o[1])); break;
      case "BigInt": v = Object(BigInt(o[1])); break;
      case "String": v = Object(String(o[1])); break;
      case "Date": v = new Date(o[1]); break;
      case "RegExp": v = new RegExp(o[1], o[2]); break;
      case "ArrayBuffer": v = bufferCopy(o[1]); break;
      case "SharedArrayBuffer": v = o[1]; break;
      case "Host": v = web.cloneHooks[o[1]].deserialize(o[2]); break;
      case "Transferred": v = transfers[o[1]]; break;
      case "DataView": made[i] = v = new DataView(dec(o[1]), o[2], o[3]); break;
      case "TypedArray": {
        const C = VIEWS[o[1]];
        const buffer = dec(o[2]);
        v = o[4] === null ? new C(buffer, o[3]) : new C(buffer, o[3], o[4]);
        break;
      }
      case "Map": {
        made[i] = v = new Map();
        for (let k = 0; k < o[1].length; k += 2) v.set(dec(o[1][k]), dec(o[1][k + 1]));
        break;
      }
      case "Set": {
        made[i] = v = new Set();
        for (const item of o[1]) v.add(dec(item));
        break;
      }
      case "Blob": v = web.makeBlob(new Uint8Array(bufferCopy(o[1])), o[2]); break;
      case "File": v = web.makeFile(new Uint8Array(bufferCopy(o[1])), o[2], o[3], o[4]); break;
      case "DOMException": v = new web.DOMException(o[2], o[1]); break;
      case "Error": {
        const C = ERROR_NAMES.includes(o[1]) ? G[o[1]] : Error;
        v = new C();
        if (o[2] !== null) {
          Object.defineProperty(v, "message", { value: o[2], writable: true, enumerable: false, configurable: true });
        }
        if (o[3] !== null) {
          Object.defineProperty(v, "stack", { value: o[3], writable: true, enumerable: false, configurable: true });
        }
        break;
      }
      case "Array": {
        made[i] = v = new Array(o[1]);
        for (let k = 0; k < o[2].length; k += 2) v[o[2][k]] = dec(o[2][k + 1]);
        break;
      }
      case "Object": {
        made[i] = v = {};
        for (let k = 0; k < o[1].length; k += 2) {
          Object.defineProperty(v, o[1][k], { value: dec(o[1][k + 1]), writable: true, enumerable: true, configurable: true });
        }
        break;
      }
      default:
        throw new TypeError("structured clone: unknown record " + o[0]);
    }
    made[i] = v;
    return v;
  }
  return dec(record.root);
}

// A record's buffers are copies made for it: deserializing consumes them (deserialize a record
// once). Records that travelled through msgpack carry Uint8Arrays instead.
function bufferCopy(b) {
  return b instanceof ArrayBuffer ? b : web.copyBytes(b).buffer;
}

web.cloneHooks = [];
web.serialize = serialize;
web.deserialize = deserialize;
web.structuredClone = (value) => deserialize(serialize(value));

function structuredClone(value, options = undefined) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'structuredClone' on 'Window': 1 argument required, but only 0 present.");
  }
  const o = web.dictionary(options, "StructuredSerializeOptions");
  let transfer = [];
  if (o.transfer !== undefined) {
    if (!web.isObject(o.transfer) || typeof o.transfer[Symbol.iterator] !== "function") {
      throw new TypeError("Failed to execute 'structuredClone': The provided value cannot be converted to a sequence.");
    }
    transfer = Array.from(o.transfer);
    for (const t of transfer) {
      if (!web.isObject(t)) throw new TypeError("Failed to execute 'structuredClone': Value is not an object.");
    }
  }
  return deserialize(serialize(value, transfer));
}
Object.defineProperty(G, "structuredClone", { value: structuredClone, writable: true, enumerable: true, configurable: true });
