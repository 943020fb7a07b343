// WebAssembly.Memory (JS-API 5.3). Each Memory is backed by a native V8 WebAssembly.Memory taken
// from a pool whose base addresses Python acquired at a top-level point (docs/jsapi.md): the
// native object gives `buffer` exactly the spec's identity, detach-on-grow and non-transferable
// semantics (a SharedArrayBuffer for shared memories), and the engine reads and writes the very
// same bytes through its view. The spec's maximum is enforced by the engine, not by V8.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const memorySlots = (W.memorySlots = new R.WeakMap());
const nativeBuffer = R.getOwnPropertyDescriptor(W.native.Memory.prototype, "buffer").get;
const nativeGrow = W.native.Memory.prototype.grow;
const nativeToFixed = W.native.Memory.prototype.toFixedLengthBuffer;
const nativeToResizable = W.native.Memory.prototype.toResizableBuffer;

// Called by Python (bridge.call_js) from inside a service, e.g. when wasm executes memory.grow.
W.nativeGrow = (native, delta) => R.apply(nativeGrow, native, [delta]);
W.nativeBufferOf = (native) => R.apply(nativeBuffer, native, []);

// The shared memory each SharedArrayBuffer handed out belongs to: Atomics.wait on the buffer and
// memory.atomic.wait in wasm share one waiter list per location (jsapi/workers/scheduler.js).
const owners = (bridge.bufferOwners = bridge.bufferOwners || new R.WeakMap());
function bufferOf(native, buf) {
  if (buf instanceof R.SharedArrayBuffer) owners.set(buf, native);
  return buf;
}

W.readDictionary = (d, what) => {
  if (d === undefined || d === null) return {};
  if (!W.isObject(d)) throw new R.TypeError(what + ": Argument 0 must be a dictionary");
  return d;
};

W.addressType = (v, what) => {
  if (v === undefined) return undefined;
  const s = `${v}`;
  if (s !== "i32" && s !== "i64") throw new R.TypeError(what + ": invalid address type '" + s + "'");
  return s;
};

function memoryObject(py, meta, proto) {
  const [native, addrtype, maximum] = meta;
  const m = R.create(proto || W.Memory.prototype);
  memorySlots.set(m, { py, native, addrtype, maximum });
  W.pyOf.set(m, py);
  return m;
}
W.makers.memory = memoryObject;

function Memory(descriptor) {
  W.requireNew(new.target, "Memory");
  const what = "WebAssembly.Memory()";
  if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
  const d = W.readDictionary(descriptor, what);
  // Dictionary members are read in lexicographic order (Web IDL 3.2.17).
  // Dictionary members are read in lexicographic order; an AddressValue (`any`) converts as
  // soon as it is read, once the address type is known.
  const address = W.addressType(d.address, what);
  const addrtype = address === undefined ? "i32" : address;
  const initialRaw = d.initial;
  if (initialRaw === undefined) throw new R.TypeError(what + ": Property 'initial' is required");
  const initial = W.addressToU64(initialRaw, addrtype, what + ": Property 'initial'");
  const maximumRaw = d.maximum;
  const maximum = maximumRaw === undefined ? null : W.addressToU64(maximumRaw, addrtype, what + ": Property 'maximum'");
  const shared = !!d.shared;
  const limit = addrtype === "i32" ? 65536 : 2 ** 48;
  if (R.Number(initial) > limit) throw new R.RangeError(what + ": Property 'initial': value " + initial + " is above the upper bound " + limit);
  if (maximum !== null && R.Number(maximum) > limit) throw new R.RangeError(what + ": Property 'maximum': value " + maximum + " is above the upper bound " + limit);
  if (maximum !== null && maximum < initial) throw new R.RangeError(what + ": Property 'maximum': value " + maximum + " is below the lower bound " + initial);
  if (shared && maximum === null) throw new R.TypeError(what + ": If shared is true, maximum property should be defined.");
  const [key, py, native] = S["wasm.memNew"](addrtype, initial, maximum, shared);
  const m = memoryObject(py, [native, addrtype, maximum], W.protoFrom(new.target, W.Memory));
  W.wrappers.set(key, m);
  S["wasm.bind"](py, m);
  return m;
}
W.Memory = Memory;

const slots = (m, op) => W.slotsOf(memorySlots, m, "WebAssembly.Memory (" + op + ")");

W.installMemory = (ns) => {
  W.defineInterface(ns, "Memory", Memory, 1, {
    methods: {
      grow: W.method("grow", function grow(delta) {
        const s = slots(this, "grow");
        if (arguments.length < 1) throw new R.TypeError("WebAssembly.Memory.grow(): 1 argument required");
        const d = W.addressToU64(delta, s.addrtype, "WebAssembly.Memory.grow(): Argument 0");
        const old = S["wasm.memGrow"](s.py, d);
        // Growing by 0 still refreshes (detaches and replaces) a fixed-length buffer.
        if (R.Number(d) === 0) R.apply(nativeGrow, s.native, [0]);  // natives are i32 or shared
        return W.u64ToAddress(old, s.addrtype);
      }),
      toFixedLengthBuffer: W.method("toFixedLengthBuffer", function toFixedLengthBuffer() {
        const s = slots(this, "toFixedLengthBuffer");
        if (nativeToFixed === undefined) return bufferOf(s.native, R.apply(nativeBuffer, s.native, []));
        return bufferOf(s.native, R.apply(nativeToFixed, s.native, []));
      }),
      toResizableBuffer: W.method("toResizableBuffer", function toResizableBuffer() {
        const s = slots(this, "toResizableBuffer");
        if (s.maximum === null) throw new R.TypeError("WebAssembly.Memory.toResizableBuffer(): memory has no maximum");
        if (nativeToResizable === undefined) throw new R.TypeError("toResizableBuffer is not supported");
        return bufferOf(s.native, R.apply(nativeToResizable, s.native, []));
      }),
    },
    attributes: {
      buffer: {
        get: W.getter("buffer", function () {
          const s = slots(this, "buffer");
          return bufferOf(s.native, R.apply(nativeBuffer, s.native, []));
        }),
      },
    },
  });
};
W.poolSlotCtor = W.native.Memory;
