// ES modules for a V8 that only evaluates classic scripts: the module map, linking and
// evaluation (ECMA-262 16.2.1.5 Cyclic Module Records, HTML 8.1.5 module scripts).
// Runs as the body of `function (bridge) { ... }`; Python fetches and rewrites each module
// (bridge.services.moduleFetch) into a generator function, see jsapi/modules/rewrite.py.
"use strict";
const S = bridge.services;
const global = globalThis;
const evalScript = (0, eval);
const NS = Symbol("namespace binding");
const AMBIGUOUS = Symbol("ambiguous");
const moduleMap = new Map();
let asyncOrderCounter = 0;

const host = global.__host || {};
if (!global.__host) {
  Object.defineProperty(global, "__host", {
    value: host, writable: false, enumerable: false, configurable: false,
  });
}
host.documentURL = host.documentURL || "http://localhost/";

function makeError(e) {
  const Ctor = { SyntaxError, TypeError, RangeError, ReferenceError }[e.name] || Error;
  const err = new Ctor(e.message);
  if (e.fileName !== undefined) {
    Object.defineProperties(err, {
      fileName: { value: e.fileName, configurable: true, writable: true },
      lineNumber: { value: e.lineNumber, configurable: true, writable: true },
      columnNumber: { value: e.columnNumber, configurable: true, writable: true },
    });
    err.stack = `${e.name}: ${e.message}\n    at ${e.fileName}:${e.lineNumber}:${e.columnNumber}`;
  }
  return err;
}

class ModuleRecord {
  constructor(url, r) {
    this.url = url;
    this.status = "new";
    this.requests = r.requests;
    this.specifiers = r.specifiers;
    this.imports = r.imports;
    this.localExports = r.localExports;
    this.indirectExports = r.indirectExports;
    this.starExports = r.starExports;
    this.params = r.params;
    this.hasTLA = r.hasTLA;
    this.reqModules = null;
    this.env = Object.create(null);
    this.getters = null;
    this.namespace = null;
    this.gen = null;
    this.meta = null;
    // 16.2.1.5 Cyclic Module Record fields
    this.dfsIndex = -1;
    this.dfsAncestorIndex = -1;
    this.cycleRoot = null;
    this.asyncEvaluation = false;
    this.asyncOrder = 0;
    this.topLevelCapability = null;
    this.asyncParentModules = [];
    this.pendingAsyncDependencies = 0;
    this.evaluationError = undefined;
    this.hasError = false;
    try {
      this.fn = evalScript(`${r.code}\n//# sourceURL=${url}`);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new SyntaxError(`${e.message} (at ${url})`);
    }
  }
}

// ---- fetching the graph (HTML "fetch the descendants of and link a module script") ---------

function fetchOne(url, inlineSource) {
  const known = inlineSource === undefined ? moduleMap.get(url) : undefined;
  if (known !== undefined) {
    if (known instanceof ModuleRecord) return known;
    throw known.error;
  }
  const r = S.moduleFetch(url, inlineSource);
  let m;
  try {
    if (r.error) throw makeError(r.error);
    m = new ModuleRecord(url, r);
  } catch (error) {
    if (inlineSource === undefined) moduleMap.set(url, { error });
    throw error;
  }
  if (inlineSource === undefined) moduleMap.set(url, m);
  return m;
}

function loadGraph(url, inlineSource) {
  const root = fetchOne(url, inlineSource);
  const stack = [root];
  while (stack.length) {
    const m = stack.pop();
    if (m.reqModules !== null) continue;
    const reqs = m.requests.map((u) => fetchOne(u));
    m.reqModules = reqs;
    for (const c of reqs) if (c.reqModules === null) stack.push(c);
  }
  return root;
}

// ---- linking (16.2.1.5.1 Link, 16.2.1.6.3 ResolveExport, 16.2.1.6.2 GetExportedNames) -------

function getExportedNames(m, starSet = new Set()) {
  if (starSet.has(m)) return [];
  starSet.add(m);
  const names = [...m.localExports];
  for (const e of m.indirectExports) names.push(e[0]);
  for (const i of m.starExports) {
    for (const n of getExportedNames(m.reqModules[i], starSet)) {
      if (n !== "default" && !names.includes(n)) names.push(n);
    }
  }
  return names;
}

function resolveExport(m, name, resolveSet = []) {
  for (const r of resolveSet) if (r.m === m && r.name === name) return null;
  resolveSet.push({ m, name });
  if (m.localExports.includes(name)) return { module: m, binding: name };
  for (const [exportName, i, importName] of m.indirectExports) {
    if (exportName !== name) continue;
    const imported = m.reqModules[i];
    if (importName === "*") return { module: imported, binding: NS };
    return resolveExport(imported, importName, resolveSet);
  }
  if (name === "default") return null;
  let star = null;
  for (const i of m.starExports) {
    const res = resolveExport(m.reqModules[i], name, resolveSet);
    if (res === AMBIGUOUS) return AMBIGUOUS;
    if (res === null) continue;
    if (star === null) star = res;
    else if (res.module !== star.module || res.binding !== star.binding) return AMBIGUOUS;
  }
  return star;
}

function checkResolution(m, i, name) {
  const res = resolveExport(m.reqModules[i], name);
  const spec = m.specifiers[i];
  if (res === null) {
    throw new SyntaxError(
      `The requested module '${spec}' does not provide an export named '${name}'`);
  }
  if (res === AMBIGUOUS) {
    throw new SyntaxError(
      `The requested module '${spec}' contains conflicting star exports for name '${name}'`);
  }
}

function link(root) {
  const todo = [];
  const seen = new Set([root]);
  const stack = [root];
  while (stack.length) {
    const m = stack.pop();
    if (m.status !== "new") continue;
    todo.push(m);
    for (const c of m.reqModules) if (!seen.has(c)) { seen.add(c); stack.push(c); }
  }
  // 16.2.1.6.4 InitializeEnvironment, steps 1 and 7: every import and re-export resolves.
  for (const m of todo) {
    for (const [exportName, i, importName] of m.indirectExports) {
      if (importName !== "*") checkResolution(m, i, importName);
      void exportName;
    }
    for (const [i, name] of m.imports) if (name !== "*") checkResolution(m, i, name);
  }
  const ready = [];
  for (const m of todo) {
    const first = instantiate(m);
    if (m.hasTLA) ready.push(first);
  }
  for (const m of todo) fillEnvironment(m);
  for (const m of todo) m.status = "linked";
  // An async generator settles its first `yield` one job later; only then does its next
  // `next()` run the body synchronously, as ExecuteAsyncModule requires.
  return ready.length ? Promise.all(ready) : null;
}

function instantiate(m) {
  const args = [moduleHost(m)];
  for (const [kind, i] of m.params) {
    const req = m.reqModules[i];
    args.push(kind === "i" ? req.env : namespaceOf(req));
  }
  m.gen = m.fn.apply(undefined, args);
  return m.gen.next(); // hoists functions and registers the local export getters
}

function fillEnvironment(m) {
  for (const name of getExportedNames(m)) {
    const res = resolveExport(m, name);
    if (res === null || res === AMBIGUOUS) continue;
    const get = res.binding === NS ? () => namespaceOf(res.module) : res.module.getters[res.binding];
    Object.defineProperty(m.env, name, { get, enumerable: true, configurable: false });
  }
}

function moduleHost(m) {
  return {
    e(getters) { m.getters = getters; },
    nm(f) {
      if (f !== null && (typeof f === "function") && f.name === "$__default") {
        Object.defineProperty(f, "name", { value: "default", configurable: true });
      }
    },
    get meta() { return importMeta(m.url, m); },
    import(specifier) { return dynamicImport(specifier, m.url); },
  };
}

function importMeta(url, m) {
  if (m && m.meta) return m.meta;
  const meta = Object.create(null);
  meta.url = url;
  meta.resolve = function resolve(specifier) { return resolveOrThrow(String(specifier), url); };
  if (m) m.meta = meta;
  return meta;
}

// ---- module namespace exotic objects (10.4.6) -----------------------------------------------

function namespaceOf(m) {
  if (m.namespace) return m.namespace;
  const names = getExportedNames(m).filter((n) => {
    const r = resolveExport(m, n);
    return r !== null && r !== AMBIGUOUS;
  }).sort();
  const exports = new Set(names);
  const target = Object.create(null);
  for (const n of names) {
    Object.defineProperty(target, n, {
      value: undefined, writable: true, enumerable: true, configurable: false,
    });
  }
  Object.defineProperty(target, Symbol.toStringTag, { value: "Module" });
  Object.preventExtensions(target);
  const env = m.env;
  const isExport = (k) => typeof k === "string" && exports.has(k);
  m.namespace = new Proxy(target, {
    get(t, k) { return isExport(k) ? env[k] : Reflect.get(t, k); },
    set() { return false; },
    has(t, k) { return typeof k === "string" ? exports.has(k) : Reflect.has(t, k); },
    getOwnPropertyDescriptor(t, k) {
      if (!isExport(k)) return Reflect.getOwnPropertyDescriptor(t, k);
      return { value: env[k], writable: true, enumerable: true, configurable: false };
    },
    defineProperty(t, k, d) {
      if (!isExport(k)) return typeof k === "symbol" ? Reflect.defineProperty(t, k, d) : false;
      if (d.configurable || d.enumerable === false || d.writable === false) return false;
      if ("get" in d || "set" in d) return false;
      return !("value" in d) || Object.is(d.value, env[k]);
    },
    deleteProperty(t, k) { return isExport(k) ? false : Reflect.deleteProperty(t, k); },
    setPrototypeOf(t, p) { return p === null; },
  });
  return m.namespace;
}

// ---- evaluation (16.2.1.5.3 Evaluate, InnerModuleEvaluation, async module execution) -------

function capability() {
  let resolve, reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
}

function evaluate(module) {
  if (module.status === "evaluating-async" || module.status === "evaluated") {
    module = module.cycleRoot || module;
  }
  if (module.topLevelCapability) return module.topLevelCapability.promise;
  const stack = [];
  const cap = capability();
  module.topLevelCapability = cap;
  try {
    innerEvaluation(module, stack, 0);
    if (!module.asyncEvaluation) cap.resolve(undefined);
  } catch (error) {
    for (const m of stack) {
      m.status = "evaluated";
      m.hasError = true;
      m.evaluationError = error;
    }
    cap.reject(error);
  }
  return cap.promise;
}

function innerEvaluation(m, stack, index) {
  if (m.status === "evaluating-async" || m.status === "evaluated") {
    if (m.hasError) throw m.evaluationError;
    return index;
  }
  if (m.status === "evaluating") return index;
  m.status = "evaluating";
  m.dfsIndex = m.dfsAncestorIndex = index;
  m.pendingAsyncDependencies = 0;
  index += 1;
  stack.push(m);
  for (let required of m.reqModules) {
    index = innerEvaluation(required, stack, index);
    if (required.status === "evaluating") {
      m.dfsAncestorIndex = Math.min(m.dfsAncestorIndex, required.dfsAncestorIndex);
    } else {
      required = required.cycleRoot;
      if (required.hasError) throw required.evaluationError;
    }
    if (required.asyncEvaluation) {
      m.pendingAsyncDependencies += 1;
      required.asyncParentModules.push(m);
    }
  }
  if (m.pendingAsyncDependencies > 0 || m.hasTLA) {
    m.asyncEvaluation = true;
    m.asyncOrder = ++asyncOrderCounter;
    if (m.pendingAsyncDependencies === 0) executeAsync(m);
  } else {
    m.gen.next();
  }
  if (m.dfsAncestorIndex === m.dfsIndex) {
    let done;
    do {
      done = stack.pop();
      done.status = done.asyncEvaluation ? "evaluating-async" : "evaluated";
      done.cycleRoot = m;
    } while (done !== m);
  }
  return index;
}

function executeAsync(m) {
  const step = m.hasTLA ? m.gen.next() : Promise.resolve(m.gen.next());
  step.then(() => asyncFulfilled(m), (e) => asyncRejected(m, e));
}

function gatherAncestors(m, list) {
  for (const p of m.asyncParentModules) {
    if (list.includes(p) || p.cycleRoot.hasError) continue;
    p.pendingAsyncDependencies -= 1;
    if (p.pendingAsyncDependencies === 0) {
      list.push(p);
      if (!p.hasTLA) gatherAncestors(p, list);
    }
  }
}

function asyncFulfilled(m) {
  if (m.status === "evaluated") return;
  m.asyncEvaluation = false;
  m.status = "evaluated";
  if (m.topLevelCapability) m.topLevelCapability.resolve(undefined);
  const list = [];
  gatherAncestors(m, list);
  list.sort((a, b) => a.asyncOrder - b.asyncOrder);
  for (const p of list) {
    if (p.status === "evaluated") continue;
    if (p.hasTLA) {
      executeAsync(p);
      continue;
    }
    try {
      p.gen.next();
    } catch (e) {
      asyncRejected(p, e);
      continue;
    }
    p.asyncEvaluation = false;
    p.status = "evaluated";
    if (p.topLevelCapability) p.topLevelCapability.resolve(undefined);
  }
}

function asyncRejected(m, error) {
  if (m.status === "evaluated") return;
  m.hasError = true;
  m.evaluationError = error;
  m.status = "evaluated";
  for (const p of m.asyncParentModules) asyncRejected(p, error);
  if (m.topLevelCapability) m.topLevelCapability.reject(error);
}

// ---- entry points ----------------------------------------------------------------------------

function resolveOrThrow(specifier, baseURL) {
  const r = S.moduleResolve(specifier, baseURL);
  if (typeof r === "string") return r;
  throw makeError(r.error);
}

function loadLinkEvaluate(url, inlineSource) {
  const m = loadGraph(url, inlineSource);
  const ready = link(m);
  if (ready === null) return evaluate(m).then(() => namespaceOf(m));
  return ready.then(() => evaluate(m)).then(() => namespaceOf(m));
}

function dynamicImport(specifier, baseURL) {
  // HostLoadImportedModule runs after the current job (16.2.1.8), never synchronously.
  return Promise.resolve().then(() => {
    const url = resolveOrThrow(String(specifier), baseURL);
    try {
      loadGraph(url);
    } catch (e) {
      if (e instanceof TypeError && e.message === `Failed to fetch module: ${url}`) {
        throw new TypeError(`Failed to fetch dynamically imported module: ${url}`);
      }
      throw e;
    }
    return loadLinkEvaluate(url);
  });
}

Object.assign(host, {
  importModule(url) { return dynamicImport(url, host.documentURL); },
  importFrom(baseURL, specifier) { return dynamicImport(specifier, baseURL); },
  import(specifier) { return dynamicImport(specifier, host.documentURL); },
  // An external module script: runModuleScript(url); an inline one: runModuleScript(source,
  // baseURL), which is not entered into the module map (HTML "create a JavaScript module
  // script" for inline scripts).
  runModuleScript(urlOrSource, baseURL) {
    return Promise.resolve().then(() => {
      if (baseURL === undefined) return loadLinkEvaluate(resolveOrThrow(urlOrSource, host.documentURL));
      return loadLinkEvaluate(baseURL, String(urlOrSource));
    });
  },
  addImportMap(json, baseURL) {
    const r = S.moduleImportMap(typeof json === "string" ? json : JSON.stringify(json),
      baseURL === undefined ? host.documentURL : baseURL);
    if (r && r.error) throw makeError(r.error);
  },
  moduleMapKeys() { return [...moduleMap.keys()]; },
  resolveModuleSpecifier(specifier, baseURL) {
    return resolveOrThrow(specifier, baseURL === undefined ? host.documentURL : baseURL);
  },
});
