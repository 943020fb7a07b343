// WebAssembly.Module (JS-API 5.1): compiling bytes, and the static reflection operations.
"use strict";
const W = bridge.wasm;
const R = W.R;
const S = W.S;

const moduleSlots = (W.moduleSlots = new R.WeakMap());

// Compiles a copy of the bytes; throws CompileError with the engine's message.
W.compileBytes = (bytes, opts) => S["wasm.compile"](bytes, opts || [null, null]);

// WebAssemblyCompileOptions (JS String Builtins): [builtin set names | null, string module | null].
W.compileOptions = (options) => {
  const o = W.readDictionary(options, "WebAssembly compile options");
  const b = o.builtins;
  const builtins = b === undefined ? null : W.listOf(b, "builtins").map((x) => `${x}`);
  const s = o.importedStringConstants;
  const strings = s === undefined || s === null ? null : `${s}`;
  return [builtins, strings];
};

W.newModuleObject = (py, proto) => {
  const m = R.create(proto || W.Module.prototype);
  moduleSlots.set(m, { py });
  return m;
};

function Module(bytes, options) {
  W.requireNew(new.target, "Module");
  if (arguments.length < 1) throw new R.TypeError("WebAssembly.Module(): 1 argument required");
  const copy = W.bytesOf(bytes);
  const py = W.compileBytes(copy, W.compileOptions(options));
  const proto = W.protoFrom(new.target, W.Module);
  const m = R.create(proto);
  moduleSlots.set(m, { py });
  return m;
}
W.Module = Module;

// The prototype of a newly created object: new.target's "prototype" when it is an object
// (subclassing), else the interface's own (Web IDL "internally create a new object").
W.protoFrom = (nt, I) => {
  const p = nt === undefined ? undefined : nt.prototype;
  return W.isObject(p) ? p : I.prototype;
};

const moduleOf = (m, op) => W.slotsOf(moduleSlots, m, "WebAssembly.Module (" + op + ")").py;

W.installModule = (ns) => {
  W.defineInterface(ns, "Module", Module, 1, {
    statics: {
      exports: W.method("exports", function exports(moduleObject) {
        const py = moduleOf(moduleObject, "WebAssembly.Module.exports()");
        const out = [];
        for (const [name, kind] of S["wasm.moduleExports"](py)) out.push({ name, kind });
        return out;
      }),
      imports: W.method("imports", function imports(moduleObject) {
        const py = moduleOf(moduleObject, "WebAssembly.Module.imports()");
        const out = [];
        for (const [module, name, kind] of S["wasm.moduleImports"](py)) out.push({ module, name, kind });
        return out;
      }),
      customSections: W.method("customSections", function customSections(moduleObject, sectionName) {
        const py = moduleOf(moduleObject, "WebAssembly.Module.customSections()");
        if (arguments.length < 2) throw new R.TypeError("WebAssembly.Module.customSections(): 2 arguments required");
        const name = `${sectionName}`;
        const out = [];
        for (const bytes of S["wasm.customSections"](py, name)) {
          const ab = new R.ArrayBuffer(bytes.length);
          new R.Uint8Array(ab).set(bytes);
          out.push(ab);
        }
        return out;
      }),
    },
  });
};
