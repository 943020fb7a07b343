// WebAssembly.Table (JS-API 5.4): the table lives in the engine; JS reaches it through services.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const tableSlots = (W.tableSlots = new R.WeakMap());

// TableKind / ValueType strings accepted for reference types (JS-API ToValueType).
W.refTypeNames = {
  anyfunc: "funcref", funcref: "funcref", externref: "externref", exnref: "exnref",
  anyref: "anyref", eqref: "eqref", i31ref: "i31ref", structref: "structref", arrayref: "arrayref",
  nullref: "nullref", nullfuncref: "nullfuncref", nullexternref: "nullexternref", nullexnref: "nullexnref",
};

function tableObject(py, meta, proto) {
  const [addrtype, elem] = meta;
  const t = R.create(proto || W.Table.prototype);
  tableSlots.set(t, { py, addrtype, elem });
  W.pyOf.set(t, py);
  return t;
}
W.makers.table = tableObject;

function Table(descriptor, value) {
  W.requireNew(new.target, "Table");
  const what = "WebAssembly.Table()";
  if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
  const d = W.readDictionary(descriptor, what);
  // The element type is read first (the spec reads it before the address type), then each
  // AddressValue converts as soon as it is read.
  const elemRaw = d.element;
  if (elemRaw === undefined) throw new R.TypeError(what + ": Property 'element' is required");
  const elemName = `${elemRaw}`;
  const elem = W.refTypeNames[elemName];
  if (elem === undefined) throw new R.TypeError(what + ": Descriptor property 'element' must be a WebAssembly reference type");
  const address = W.addressType(d.address, what);
  const addrtype = address === undefined ? "i32" : address;
  const initialRaw = d.initial;
  if (initialRaw === undefined) throw new R.TypeError(what + ": Property 'initial' is required");
  const initial = W.addressToU64(initialRaw, addrtype, what + ": Property 'initial'");
  const maximumRaw = d.maximum;
  const maximum = maximumRaw === undefined ? null : W.addressToU64(maximumRaw, addrtype, what + ": Property 'maximum'");
  if (R.Number(initial) > 10000000) throw new R.RangeError(what + ": Property 'initial': value " + initial + " is above the upper bound 10000000");
  if (maximum !== null && maximum < initial) throw new R.RangeError(what + ": Property 'maximum': value " + maximum + " is below the lower bound " + initial);
  const has = value !== undefined;
  const v = has ? W.toWasm(value, elem) : undefined;
  const [key, py] = S["wasm.tableNew"](addrtype, elem, initial, maximum, has, v);
  const t = tableObject(py, [addrtype, elem], W.protoFrom(new.target, W.Table));
  W.wrappers.set(key, t);
  S["wasm.bind"](py, t);
  return t;
}
W.Table = Table;

const slots = (t, op) => W.slotsOf(tableSlots, t, "WebAssembly.Table (" + op + ")");
const noExn = (s, op) => {
  if (s.elem === "exnref" || s.elem === "nullexnref") {
    throw new R.TypeError("WebAssembly.Table." + op + "(): cannot access a table of exnref from JS");
  }
};

W.installTable = (ns) => {
  W.defineInterface(ns, "Table", Table, 1, {
    methods: {
      grow: W.method("grow", function grow(delta, value) {
        const s = slots(this, "grow");
        if (arguments.length < 1) throw new R.TypeError("WebAssembly.Table.grow(): 1 argument required");
        const d = W.addressToU64(delta, s.addrtype, "WebAssembly.Table.grow(): Argument 0");
        const has = arguments.length > 1;
        const v = has ? W.toWasm(value, s.elem) : undefined;
        return W.u64ToAddress(S["wasm.tableGrow"](s.py, d, has, v), s.addrtype);
      }, 1),
      get: W.method("get", function get(index) {
        const s = slots(this, "get");
        if (arguments.length < 1) throw new R.TypeError("WebAssembly.Table.get(): 1 argument required");
        noExn(s, "get");
        const i = W.addressToU64(index, s.addrtype, "WebAssembly.Table.get(): Argument 0");
        return W.fromWasm(S["wasm.tableGet"](s.py, i));
      }),
      set: W.method("set", function set(index, value) {
        const s = slots(this, "set");
        if (arguments.length < 1) throw new R.TypeError("WebAssembly.Table.set(): 1 argument required");
        noExn(s, "set");
        const i = W.addressToU64(index, s.addrtype, "WebAssembly.Table.set(): Argument 0");
        const has = arguments.length > 1;
        const v = has ? W.toWasm(value, s.elem) : undefined;
        S["wasm.tableSet"](s.py, i, has, v);
      }, 1),
    },
    attributes: {
      length: {
        get: W.getter("length", function () {
          const s = slots(this, "length");
          return W.u64ToAddress(S["wasm.tableLength"](s.py), s.addrtype);
        }),
      },
    },
  });
};
