// Dedicated workers in shared mode: the Worker interface and a per-agent global scope (HTML 10).
//
// All agents share one V8 realm. A worker's scripts run inside a sloppy function whose `with`
// object is a Proxy over the worker's scope object: names the scope owns (self, postMessage,
// onmessage, Atomics, timers...) resolve there, names the page declared after start-up and
// unknown names are claimed by the scope too (so `x = 1` lands on the worker's global, not the
// page's), and the realm's built-ins fall through to the shared global. Top-level declarations
// of a script (found by a line scan: `function`, `class`, `var`, `let`, `const` at column 0) are
// copied onto the scope when the script completes, so importScripts() libraries are visible to
// later scripts. docs/workers.md lists what still leaks.
"use strict";
const web = bridge.web;
const G = web.global;
const host = G.__jsapiHost;
const W = bridge.workers;
const P = web.urlParser;
const KEY = Symbol("construction");

// Names of the page global at start-up: the built-ins and host APIs workers share.
const baseline = new Set(Object.getOwnPropertyNames(G));
const HIDDEN = new Set([
  "window", "document", "Window", "Document", "frames", "parent", "top", "opener",
  "requestAnimationFrame", "cancelAnimationFrame", "alert", "confirm", "prompt",
  "__jsapiHost", "__jsapiBridge", "onload", "onunhandledrejection",
]);

// A sloppy function (the Function constructor ignores this file's strictness): `with` needs it.
const runInScope = new Function(
  "__jsapiScope",
  "__jsapiSource",
  "__jsapiExport",
  "with (__jsapiScope) { return eval(__jsapiSource); }",
);
const DECLARATION = /^(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|^class\s+([A-Za-z_$][\w$]*)|^(?:var|let|const)\s+([A-Za-z_$][\w$]*)/gm;

function topLevelNames(source) {
  const names = new Set();
  for (const m of source.matchAll(DECLARATION)) names.add(m[1] || m[2] || m[3]);
  return [...names];
}

// ---- script fetching (synchronous, as importScripts needs) -----------------------------------
const decoder = new G.TextDecoder();
W.fetchScript = function fetchScript(url) {
  const record = web.parseURL(url);
  if (record === null) return null;
  if (record.scheme === "blob") {
    const blob = web.blobStore.get(P.serialize(record, true));
    return blob === undefined ? null : decoder.decode(web.blobBytes(blob));
  }
  if (record.scheme === "data") {
    const comma = url.indexOf(",");
    if (comma < 0) return null;
    const body = url.slice(comma + 1);
    return /;base64$/i.test(url.slice(0, comma)) ? G.atob(decodeURIComponent(body)) : decodeURIComponent(body);
  }
  const reply = bridge.services["web.fetch"](record.scheme, record.host ?? "", record.port, P.serializePath(record));
  if (reply === null || reply[0] !== 200) return null;
  return decoder.decode(reply[3]);
};

W.resolveURL = function resolveURL(input, base, what) {
  const record = web.parseURL(web.toUSVString(input), base);
  if (record === null) throw new web.DOMException(`Failed to ${what}: The URL '${input}' is invalid.`, "SyntaxError");
  return P.serialize(record);
};

W.baseURL = function baseURL(agent) {
  return agent.kind === "main" ? String(G.location.href) : agent.url;
};

// ---- error reports -------------------------------------------------------------------------------
function errorInfo(e, url) {
  let text;
  if (web.isObject(e) && "message" in e) text = `${e.name === undefined ? "Error" : e.name}: ${e.message}`;
  else text = String(e);
  let lineno = 0;
  let colno = 0;
  const stack = web.isObject(e) && typeof e.stack === "string" ? e.stack : "";
  const at = stack.indexOf(url + ":");
  if (at >= 0) {
    const m = /^:(\d+)(?::(\d+))?/.exec(stack.slice(at + url.length));
    if (m !== null) {
      lineno = Number(m[1]);
      colno = Number(m[2] || 0);
    }
  }
  return { message: `Uncaught ${text}`, filename: url, lineno, colno };
}
W.errorInfo = errorInfo;

// An error that reached the Worker object unhandled: the page's console and error list.
W.reportUnhandled = function reportUnhandled(info) {
  const where = info.lineno ? `${info.filename}:${info.lineno}` : info.filename;
  const text = `${info.message} (worker ${where})`;
  host.errors.push({ kind: "exception", message: info.message, text, filename: info.filename });
  host.console.emit("error", [text]);
};

// ---- the worker global scope -------------------------------------------------------------------
class WorkerGlobalScope extends web.EventTarget {
  constructor(key) {
    if (key !== KEY) throw new TypeError("Illegal constructor");
    super();
  }
}
class DedicatedWorkerGlobalScope extends WorkerGlobalScope {}
web.defineEventHandler(DedicatedWorkerGlobalScope.prototype, "message");
web.defineEventHandler(DedicatedWorkerGlobalScope.prototype, "messageerror");
web.idlClass(WorkerGlobalScope, "WorkerGlobalScope", { expose: false });
web.idlClass(DedicatedWorkerGlobalScope, "DedicatedWorkerGlobalScope", { expose: false });

class WorkerLocation {
  #u;
  constructor(key, url) {
    if (key !== KEY) throw new TypeError("Illegal constructor");
    this.#u = new G.URL(url);
  }
  get href() { return this.#u.href; }
  get origin() { return this.#u.origin; }
  get protocol() { return this.#u.protocol; }
  get host() { return this.#u.host; }
  get hostname() { return this.#u.hostname; }
  get port() { return this.#u.port; }
  get pathname() { return this.#u.pathname; }
  get search() { return this.#u.search; }
  get hash() { return this.#u.hash; }
  toString() { return this.#u.href; }
}
web.idlClass(WorkerLocation, "WorkerLocation", { expose: false });

function define(o, name, value) {
  Object.defineProperty(o, name, { value, writable: true, enumerable: false, configurable: true });
}

W.makeScope = function makeScope(agent, port, shared) {
  const scope = Reflect.construct(WorkerGlobalScope, [KEY], DedicatedWorkerGlobalScope);
  const excluded = new Set();
  const self = new Proxy(scope, {
    get: (t, k) => (k in t ? Reflect.get(t, k, t) : HIDDEN.has(k) ? undefined : G[k]),
    set: (t, k, v) => Reflect.set(t, k, v, t),
    has: (t, k) => k in t || (!HIDDEN.has(k) && k in G),
    // The shared globals (WebAssembly, the web APIs...) read as the worker's own properties.
    // A proxy may not report a non-configurable property its target lacks: those stay hidden.
    getOwnPropertyDescriptor(t, k) {
      const own = Reflect.getOwnPropertyDescriptor(t, k);
      if (own !== undefined || HIDDEN.has(k) || (typeof k === "string" && k.startsWith("__jsapi"))) {
        return own;
      }
      const shared = Reflect.getOwnPropertyDescriptor(G, k);
      return shared !== undefined && shared.configurable ? shared : undefined;
    },
  });
  const withScope = new Proxy(scope, {
    has(t, k) {
      if (typeof k !== "string" || k.startsWith("__jsapi") || excluded.has(k)) return false;
      if (k in t || HIDDEN.has(k)) return true;
      return !(baseline.has(k) || k in Object.prototype);
    },
    get: (t, k) => (k === Symbol.unscopables ? undefined : Reflect.get(t, k, t)),
    set: (t, k, v) => Reflect.set(t, k, v, t),
  });
  const atomics = Object.create(Atomics);
  define(atomics, "wait", function wait(ta, index, value, timeout) {
    return W.atomicsWait(agent, ta, index, value, timeout);
  });
  let onerror = null;
  Object.defineProperty(scope, "onerror", {
    get: () => onerror,
    set: (v) => { onerror = web.isObject(v) ? v : null; },
    enumerable: true,
    configurable: true,
  });
  const on = (fn) => fn.bind(scope);
  define(scope, "self", self);
  define(scope, "globalThis", self);
  define(scope, "name", agent.name);
  define(scope, "location", new WorkerLocation(KEY, agent.url));
  define(scope, "navigator", G.navigator);
  define(scope, "origin", new G.URL(agent.url).origin);
  define(scope, "crossOriginIsolated", shared);
  define(scope, "isSecureContext", true);
  define(scope, "Atomics", atomics);
  define(scope, "WorkerGlobalScope", WorkerGlobalScope);
  define(scope, "DedicatedWorkerGlobalScope", DedicatedWorkerGlobalScope);
  define(scope, "WorkerLocation", WorkerLocation);
  define(scope, "addEventListener", on(web.EventTarget.prototype.addEventListener));
  define(scope, "removeEventListener", on(web.EventTarget.prototype.removeEventListener));
  define(scope, "dispatchEvent", on(web.EventTarget.prototype.dispatchEvent));
  define(scope, "postMessage", function postMessage(message, transfer = undefined) {
    const list = W.parseTransfer(transfer, "DedicatedWorkerGlobalScope");
    W.deliver(port, W.serialize(message, list, null));
  });
  define(scope, "close", function close() {
    W.close(agent);
  });
  define(scope, "reportError", function reportError(e) {
    agent.reportError(e);
  });
  define(scope, "setTimeout", function setTimeout(handler, timeout, ...args) {
    const fn = typeof handler === "function" ? handler : () => evaluate(String(handler), agent.url);
    return W.addTimer(agent, () => fn.apply(self, args), timeout, false);
  });
  define(scope, "setInterval", function setInterval(handler, timeout, ...args) {
    const fn = typeof handler === "function" ? handler : () => evaluate(String(handler), agent.url);
    return W.addTimer(agent, () => fn.apply(self, args), timeout, true);
  });
  define(scope, "clearTimeout", function clearTimeout(id) {
    W.clearTimer(agent, id);
  });
  define(scope, "clearInterval", function clearInterval(id) {
    W.clearTimer(agent, id);
  });
  define(scope, "importScripts", function importScripts(...urls) {
    const resolved = urls.map((u) => W.resolveURL(u, agent.url, "execute 'importScripts' on 'WorkerGlobalScope'"));
    for (const url of resolved) {
      const source = W.fetchScript(url);
      if (source === null) {
        throw new web.DOMException(`Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '${url}' failed to load.`, "NetworkError");
      }
      evaluate(source, url);
    }
  });

  function exportNames(values) {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) continue;
      if (k === "onmessage" || k === "onmessageerror" || k === "onerror") scope[k] = v;
      else define(scope, k, v);
    }
  }

  // Runs a classic script in this scope; exceptions propagate to the caller.
  function evaluate(source, url) {
    const names = topLevelNames(source);
    const epilogue = names.length === 0 ? "" :
      "\n;__jsapiExport({" + names.map((n) => `${n}: typeof ${n} === "undefined" ? undefined : ${n}`).join(", ") + "});";
    for (const n of names) excluded.add(n);
    try {
      const tracked = bridge.services["workers.trackAsync"](source);
      return runInScope.call(self, withScope, `${tracked}${epilogue}\n//# sourceURL=${url}\n`, exportNames);
    } finally {
      for (const n of names) excluded.delete(n);
    }
  }

  // HTML 8.1.4.6 report an exception, in a worker: the global's onerror and error listeners,
  // then the Worker object in the parent.
  agent.reportError = function reportError(e) {
    const info = errorInfo(e, agent.url);
    let handled = false;
    if (typeof onerror === "function") {
      try {
        handled = onerror.call(self, info.message, info.filename, info.lineno, info.colno, e) === true;
      } catch (inner) {
        if (inner === W.DEADLOCK || inner === W.TERMINATED) throw inner;
      }
    }
    if (!handled) {
      const event = new G.ErrorEvent("error", { ...info, error: e, cancelable: true });
      handled = !web.fire(scope, event);
    }
    if (!handled && agent.onUnhandledError) agent.onUnhandledError(info);
  };

  return { scope, self, evaluate };
};

// ---- Worker ----------------------------------------------------------------------------------
function workerOptions(options) {
  const o = web.dictionary(options, "WorkerOptions");
  const type = o.type === undefined ? "classic" : web.toDOMString(o.type);
  if (type !== "classic" && type !== "module") {
    throw new TypeError(`Failed to construct 'Worker': The provided value '${type}' is not a valid enum value of type WorkerType.`);
  }
  if (type === "module") {
    throw new web.DOMException("Failed to construct 'Worker': module workers are not supported by this host.", "NotSupportedError");
  }
  return { name: o.name === undefined ? "" : web.toDOMString(o.name) };
}

function startShared(worker, url, name, outside) {
  const parent = W.current();
  const agent = W.spawn(name, url, parent);
  const inside = W.portRecord(agent, null);
  W.entangle(outside, inside);
  outside.agent = parent;
  outside.target = worker;
  outside.enabled = true;
  const { scope, evaluate } = W.makeScope(agent, inside, true);
  inside.target = scope;
  agent.scope = scope;
  agent.onUnhandledError = (info) => {
    W.enqueue(parent, () => {
      const event = new G.ErrorEvent("error", { ...info, cancelable: true });
      if (web.fire(worker, event)) W.reportUnhandled(info);
    });
  };
  agent.onTerminate = () => {
    inside.closed = true;
    outside.closed = true;
  };
  W.enqueue(agent, () => {
    const source = W.fetchScript(url);
    if (source === null) {
      W.enqueue(parent, () => web.fire(worker, new web.Event("error", { cancelable: true })));
      W.terminate(agent);
      return;
    }
    try {
      evaluate(source, url);
    } finally {
      W.enablePort(inside);
    }
  });
  return agent;
}

class Worker extends web.EventTarget {
  #port;
  #agent;
  constructor(scriptURL, options = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'Worker': 1 argument required, but only 0 present.");
    }
    const o = workerOptions(options);
    const parent = W.current();
    const url = W.resolveURL(scriptURL, W.baseURL(parent), "construct 'Worker'");
    super();
    this.#port = W.portRecord(parent, this);
    this.#agent = W.mode === "isolated" ? W.startIsolated(this, url, o.name, this.#port) : startShared(this, url, o.name, this.#port);
  }
  postMessage(message, transfer = undefined) {
    const list = W.parseTransfer(transfer, "Worker");
    W.deliver(this.#port, W.serialize(message, list, null));
  }
  terminate() {
    W.terminate(this.#agent);
  }
}
web.defineEventHandler(Worker.prototype, "message");
web.defineEventHandler(Worker.prototype, "messageerror");
web.defineEventHandler(Worker.prototype, "error");
web.idlClass(Worker);

// Listener exceptions inside a worker are that worker's errors.
const previousReport = web.reportException;
web.reportException = function reportException(e) {
  const agent = W.current();
  if (agent.kind !== "main" && agent.reportError !== null && agent.depth > 0) {
    if (e === W.DEADLOCK || e === W.TERMINATED) throw e;
    agent.reportError(e);
  } else if (typeof previousReport === "function") previousReport(e);
  else host.reportError(e);
};

// Unhandled promise rejections (HTML 8.1.4.7) belong to the agent whose code made the promise:
// the `unhandledrejection` event fires at that worker's global scope, and an uncanceled one is
// reported with the worker's URL. (An isolated worker's isolate reports its own.)
// Frames of the host's own code that runs a worker's script or task.
const HOST_FRAME = /^\s+at (.*\(jsapi:workers\/.*|Proxy\.eval \(eval at .*|<anonymous>:\d+:\d+)$/;
if (host.rejections !== undefined) {
  const { defaults } = host.rejections;
  const workerOf = () => {
    const agent = W.current();
    return agent.kind === "main" ? null : agent;
  };
  host.rejections.configure({
    owner: workerOf,
    dispatch(owner, e) {
      if (owner === null) return defaults.dispatch(null, e);
      if (owner.state === "terminated" || owner.scope === null) return false;
      const event = new web.Event(e.type, { cancelable: e.cancelable });
      Object.defineProperty(event, "promise", { value: e.promise, enumerable: true });
      Object.defineProperty(event, "reason", { value: e.reason, enumerable: true });
      let uncanceled = true;
      W.runAs(owner, () => {
        uncanceled = web.fire(owner.scope, event);
      });
      return uncanceled;
    },
    report(owner, text) {
      if (owner === null) return defaults.report(null, text);
      const shown = text.split("\n").filter((l) => !HOST_FRAME.test(l)).join("\n");
      host.errors.push({ kind: "rejection", message: shown.split("\n", 1)[0], text: shown, filename: owner.url });
      host.console.emit("error", [shown]);
    },
  });
}
