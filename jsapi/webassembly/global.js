// WebAssembly.Global (JS-API 5.5): the value lives in the engine's global instance.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const globalSlots = (W.globalSlots = new R.WeakMap());
const NUMERIC = { i32: "i32", i64: "i64", f32: "f32", f64: "f64", v128: "v128" };

// ToValueType (JS-API): a ValueType string to the engine's type text, or undefined.
W.valueTypeOf = (s) => NUMERIC[s] || W.refTypeNames[s];

function globalObject(py, meta, proto) {
  const [type, mutable] = meta;
  const g = R.create(proto || W.Global.prototype);
  globalSlots.set(g, { py, type, mutable });
  W.pyOf.set(g, py);
  return g;
}
W.makers.global = globalObject;

function Global(descriptor, v) {
  W.requireNew(new.target, "Global");
  const what = "WebAssembly.Global()";
  if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
  const d = W.readDictionary(descriptor, what);
  const mutable = !!d.mutable;
  const typeRaw = d.value;
  if (typeRaw === undefined) throw new R.TypeError(what + ": Property 'value' is required");
  const type = W.valueTypeOf(`${typeRaw}`);
  if (type === undefined) throw new R.TypeError(what + ": Descriptor property 'value' must be a WebAssembly type");
  if (type === "v128") throw new R.TypeError(what + ": cannot create a v128 global from JS");
  const has = v !== undefined;
  const value = has ? W.toWasm(v, type) : undefined;
  const [key, py] = S["wasm.globalNew"](type, mutable, has, value);
  const g = globalObject(py, [type, mutable], W.protoFrom(new.target, W.Global));
  W.wrappers.set(key, g);
  S["wasm.bind"](py, g);
  return g;
}
W.Global = Global;

const slots = (g, op) => W.slotsOf(globalSlots, g, "WebAssembly.Global (" + op + ")");

function getValue(s) {
  if (s.type === "v128") throw new R.TypeError("WebAssembly.Global: cannot read a v128 value from JS");
  return W.fromWasm(S["wasm.globalGet"](s.py));
}

W.installGlobal = (ns) => {
  W.defineInterface(ns, "Global", Global, 1, {
    methods: {
      valueOf: W.method("valueOf", function valueOf() { return getValue(slots(this, "valueOf")); }),
    },
    attributes: {
      value: {
        get: W.getter("value", function () { return getValue(slots(this, "value")); }),
        set: W.setter("value", function (v) {
          const s = slots(this, "value");
          if (!s.mutable) throw new R.TypeError("WebAssembly.Global: Can't set the value of an immutable global.");
          if (s.type === "v128") throw new R.TypeError("WebAssembly.Global: cannot write a v128 value from JS");
          S["wasm.globalSet"](s.py, W.toWasm(v, s.type));
        }),
      },
    },
  });
};
