// The timing half of `jsapi bench`, run as `function (bridge) { ... }` in the realm under test.
// JS drives every timed loop: Python only asks for one sample at a time (each sample is its own
// top-level evaluation, so a namespace that refills resources between tasks gets the chance to)
// and reads back the elapsed nanoseconds. The clock is Python's perf_counter_ns behind a service
// call (the realm has no native high-resolution clock); its own cost is measured and subtracted.
"use strict";
const S = bridge.services;
const G = globalThis;
const now = S["bench.now"];
const bytes = {
  bench: S["bench.bytes"]("bench"),
  small: S["bench.bytes"]("small"),
  sized: S["bench.bytes"]("sized"),
};

// Both namespaces live in this isolate: V8's own was saved before ours replaced the global.
const namespaces = { v8: G.__jsapiBenchV8, jsapi: G.WebAssembly !== G.__jsapiBenchV8 ? G.WebAssembly : null };
delete G.__jsapiBenchV8;

let sink = 0;
const consume = (v) => {
  sink = (sink + (typeof v === "number" ? v : 1)) | 0;
};

const ARG = { i32: 1, i64: 1n, f32: 1.5, f64: 1.5, externref: { tag: "ref" } };

function callLoop(f, arity, a) {
  // One closure per arity: a spread or `apply` would add its own cost to every call.
  switch (arity) {
    case 0:
      return (n) => { for (let i = 0; i < n; i++) f(); };
    case 1:
      return (n) => { let r; for (let i = 0; i < n; i++) r = f(a); consume(r); };
    case 2:
      return (n) => { let r; for (let i = 0; i < n; i++) r = f(a, a); consume(r); };
    case 3:
      return (n) => { let r; for (let i = 0; i < n; i++) r = f(a, a, a); consume(r); };
    default:
      return (n) => { let r; for (let i = 0; i < n; i++) r = f(a, a, a, a); consume(r); };
  }
}

// Per engine: the bench module compiled and instantiated once, shared by the cases.
const envs = new Map();
function envOf(engine) {
  let env = envs.get(engine);
  if (env !== undefined) return env;
  const WA = namespaces[engine];
  if (!WA) throw new Error("namespace not installed");
  const imports = { js: { f: (x) => x } };
  const module = new WA.Module(bytes.bench);
  const instance = new WA.Instance(module, imports);
  const small = new WA.Module(bytes.small);
  env = { WA, exports: instance.exports, small, imports };
  envs.set(engine, env);
  return env;
}

// Each factory returns {run(n), prepare?(), maxN?, units?}: `run` performs n operations; the
// harness divides by n * units (units: KiB for compile, bytes for throughput rows).
const factories = {
  "call"(env, vt, arity) {
    const f = env.exports[arity === 0 ? "call_0" : `call_${vt}_${arity}`];
    return { run: callLoop(f, arity, ARG[vt]) };
  },
  "loop"(env, kind) {
    const f = env.exports[`loop_${kind}`];
    return { run: (n) => consume(f(n)) };
  },
  "bridge.raw"() {
    const raw = S["bench.raw"];
    const payload = new Uint8Array(16);
    return { run: (n) => { for (let i = 0; i < n; i++) consume(raw(payload).length); } };
  },
  "bridge.msgpack"() {
    const inc = S["bench.inc"];
    return { run: (n) => { let acc = 0; for (let i = 0; i < n; i++) acc = inc(acc); consume(acc); } };
  },
  "bridge.nested"() {
    const bounce = S["bench.bounce"];
    const back = (v) => v + 1;
    return { run: (n) => { let acc = 0; for (let i = 0; i < n; i++) acc = bounce(back, acc); consume(acc); } };
  },
  "memory.buffer"(env) {
    const m = new env.WA.Memory({ initial: 1, maximum: 1 });
    return { run: (n) => { let b; for (let i = 0; i < n; i++) b = m.buffer; consume(b.byteLength); } };
  },
  "memory.write"(env) {
    const m = new env.WA.Memory({ initial: 1, maximum: 1 });
    const src = new Uint8Array(65536).fill(7);
    return {
      units: 65536,
      run: (n) => { for (let i = 0; i < n; i++) new Uint8Array(m.buffer).set(src); },
    };
  },
  "memory.read"(env) {
    const m = new env.WA.Memory({ initial: 1, maximum: 1 });
    new Uint8Array(m.buffer).fill(3);
    return {
      units: 65536,
      run: (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const a = new Int32Array(m.buffer);
          for (let j = 0; j < a.length; j++) acc = (acc + a[j]) | 0;
        }
        consume(acc);
      },
    };
  },
  "memory.grow"(env, _a, _b, quick) {
    const maximum = quick ? 64 : 512;
    let m = null;
    return {
      maxN: maximum,
      prepare: () => { m = new env.WA.Memory({ initial: 0, maximum }); },
      run: (n) => { for (let i = 0; i < n; i++) m.grow(1); consume(m.buffer.byteLength); },
    };
  },
  "table.get"(env) {
    const t = new env.WA.Table({ element: "anyfunc", initial: 4 });
    for (let i = 0; i < 4; i++) t.set(i, env.exports.call_0);
    return { run: (n) => { let f; for (let i = 0; i < n; i++) f = t.get(i & 3); consume(f === null ? 0 : 1); } };
  },
  "table.set"(env) {
    const t = new env.WA.Table({ element: "anyfunc", initial: 4 });
    const f = env.exports.call_0;
    return { run: (n) => { for (let i = 0; i < n; i++) t.set(i & 3, f); } };
  },
  "global.get"(env) {
    const g = new env.WA.Global({ value: "i32", mutable: true }, 5);
    return { run: (n) => { let acc = 0; for (let i = 0; i < n; i++) acc = (acc + g.value) | 0; consume(acc); } };
  },
  "global.set"(env) {
    const g = new env.WA.Global({ value: "i32", mutable: true }, 5);
    return { run: (n) => { for (let i = 0; i < n; i++) g.value = i; consume(g.value); } };
  },
  "compile"(env) {
    return {
      units: bytes.sized.length / 1024,
      run: (n) => { for (let i = 0; i < n; i++) consume(new env.WA.Module(bytes.sized)); },
    };
  },
  "instantiate"(env) {
    return {
      maxN: 64,
      run: (n) => { for (let i = 0; i < n; i++) consume(new env.WA.Instance(env.small, env.imports)); },
    };
  },
  "atomics.shared"(env) {
    const m = new env.WA.Memory({ initial: 1, maximum: 1, shared: true });
    const a = new Int32Array(m.buffer);
    return {
      run: (n) => { for (let i = 0; i < n; i++) Atomics.store(a, i & 15, Atomics.load(a, (i + 1) & 15) + 1); consume(a[0]); },
    };
  },
  "clone"(_env, size) {
    if (typeof G.structuredClone !== "function") throw new NotAvailable("structuredClone is not installed");
    const data = new Uint8Array(size).fill(9);
    return { units: size, run: (n) => { for (let i = 0; i < n; i++) consume(G.structuredClone(data).length); } };
  },
};

class NotAvailable extends Error {}

const open = new Map();

function describe(e) {
  if (e instanceof NotAvailable) return { na: e.message };
  const name = e && e.constructor ? e.constructor.name : "Error";
  return { error: `${name}: ${e && e.message !== undefined ? e.message : String(e)}` };
}

bridge.bench = {
  engines() {
    return JSON.stringify({ v8: !!namespaces.v8, jsapi: !!namespaces.jsapi });
  },
  // Opens one case for one engine; returns "ok" or a JSON {na}/{error}.
  open(key, kind, engine, a, b, quick) {
    try {
      const needsEnv = !kind.startsWith("bridge.") && kind !== "clone";
      const env = needsEnv ? envOf(engine) : null;
      const c = factories[kind](env, a, b, quick);
      open.set(key, { units: 1, maxN: Infinity, ...c });
      return JSON.stringify({ ok: true, units: open.get(key).units, maxN: open.get(key).maxN === Infinity ? null : open.get(key).maxN });
    } catch (e) {
      return JSON.stringify(describe(e));
    }
  },
  // One timed sample of n operations: elapsed ns (clock cost removed), or an error string.
  sample(key, n, overhead) {
    const c = open.get(key);
    try {
      if (c.prepare) c.prepare();
      const t0 = now();
      c.run(n);
      const t1 = now();
      return JSON.stringify({ ns: Math.max(t1 - t0 - overhead, 0) });
    } catch (e) {
      return JSON.stringify(describe(e));
    }
  },
  close(key) {
    open.delete(key);
    return sink;
  },
  // The cost of one clock reading, to subtract from each sample.
  clockCost(reps) {
    const d = [];
    for (let i = 0; i < reps; i++) {
      const t0 = now();
      const t1 = now();
      d.push(t1 - t0);
    }
    d.sort((x, y) => x - y);
    return d[d.length >> 1];
  },
};
