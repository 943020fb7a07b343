// WebAssembly.Tag and WebAssembly.Exception (JS-API 5.7, 5.8), and the JavaScript exception tag.
// An Exception object is the JS face of an engine exception instance: the engine remembers it
// (bind), so the same wasm exception always surfaces as the same JS object.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const tagSlots = (W.tagSlots = new R.WeakMap());
const exnSlots = (W.exnSlots = new R.WeakMap());

function tagObject(py, meta, proto) {
  const t = R.create(proto || W.Tag.prototype);
  tagSlots.set(t, { py, params: meta[0] });
  W.pyOf.set(t, py);
  return t;
}
W.makers.tag = tagObject;

function exceptionObject(py, meta, proto) {
  const e = R.create(proto || W.Exception.prototype);
  exnSlots.set(e, { py, tag: W.fromWasm(meta[0]) });
  W.pyOf.set(e, py);
  return e;
}
W.makers.exception = exceptionObject;

W.listOf = (v, what) => {
  if (!W.isObject(v)) throw new R.TypeError(what + " must be a sequence");
  const it = v[R.iterator];
  if (typeof it !== "function") throw new R.TypeError(what + " must be a sequence");
  const out = [];
  for (const x of { [R.iterator]: () => R.apply(it, v, []) }) out.push(x);
  return out;
};

function Tag(type) {
  W.requireNew(new.target, "Tag");
  const what = "WebAssembly.Tag()";
  if (arguments.length < 1) throw new R.TypeError(what + ": 1 argument required");
  const d = W.readDictionary(type, what);
  const paramsRaw = d.parameters;
  if (paramsRaw === undefined) throw new R.TypeError(what + ": Property 'parameters' is required");
  const params = W.listOf(paramsRaw, what + ": Property 'parameters'").map((p) => {
    const t = W.valueTypeOf(`${p}`);
    if (t === undefined) throw new R.TypeError(what + ": invalid parameter type '" + p + "'");
    return t;
  });
  const [key, py] = S["wasm.tagNew"](params);
  const t = tagObject(py, [params], W.protoFrom(new.target, W.Tag));
  W.wrappers.set(key, t);
  S["wasm.bind"](py, t);
  return t;
}
W.Tag = Tag;

function Exception(exceptionTag, payload, options) {
  W.requireNew(new.target, "Exception");
  const what = "WebAssembly.Exception()";
  if (arguments.length < 2) throw new R.TypeError(what + ": 2 arguments required");
  const tag = W.slotsOf(tagSlots, exceptionTag, "WebAssembly.Tag (" + what + ")");
  const values = W.listOf(payload, what + ": Argument 1");
  const o = W.readDictionary(options, what);
  const traceStack = !!o.traceStack;
  if (exceptionTag === W.jsTag()) throw new R.TypeError(what + ": cannot create an exception with the JavaScript tag");
  if (values.length !== tag.params.length) {
    throw new R.TypeError(what + ": Number of exception values does not match signature length");
  }
  const converted = values.map((v, i) => W.toWasm(v, tag.params[i]));
  const [key, py] = S["wasm.exnNew"](tag.py, converted);
  const e = R.create(W.protoFrom(new.target, W.Exception));
  exnSlots.set(e, { py, tag: exceptionTag });
  W.pyOf.set(e, py);
  W.wrappers.set(key, e);
  S["wasm.bind"](py, e);
  if (traceStack) {
    R.defineProperty(e, "stack", { value: new R.Error().stack, writable: true, enumerable: false, configurable: true });
  }
  return e;
}
W.Exception = Exception;

let jsTagObject;
W.jsTag = () => {
  if (jsTagObject === undefined) jsTagObject = W.fromWasm(S["wasm.jsTag"]());
  return jsTagObject;
};

const exn = (e, op) => W.slotsOf(exnSlots, e, "WebAssembly.Exception (" + op + ")");

W.installTags = (ns) => {
  W.defineInterface(ns, "Tag", Tag, 1, {});
  W.defineInterface(ns, "Exception", Exception, 2, {
    methods: {
      getArg: W.method("getArg", function getArg(exceptionTag, index) {
        const s = exn(this, "getArg");
        if (arguments.length < 2) throw new R.TypeError("WebAssembly.Exception.getArg(): 2 arguments required");
        W.slotsOf(tagSlots, exceptionTag, "WebAssembly.Tag (getArg)");
        const i = W.enforceU32(index, "WebAssembly.Exception.getArg(): Argument 1");
        if (exceptionTag !== s.tag) throw new R.TypeError("WebAssembly.Exception.getArg(): First argument does not match the exception tag");
        return W.fromWasm(S["wasm.exnArg"](s.py, i));
      }),
      is: W.method("is", function is(exceptionTag) {
        const s = exn(this, "is");
        if (arguments.length < 1) throw new R.TypeError("WebAssembly.Exception.is(): 1 argument required");
        W.slotsOf(tagSlots, exceptionTag, "WebAssembly.Tag (is)");
        return exceptionTag === s.tag;
      }),
    },
  });
  R.defineProperty(ns, "JSTag", {
    get: W.getter("JSTag", () => W.jsTag()),
    enumerable: true,
    configurable: true,
  });
};
