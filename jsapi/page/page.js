// The page half of the runner, run as `function (bridge) { ... }` once the host, the web APIs,
// the WebAssembly namespace and the module loader are in place. Python drives the page's
// lifecycle through `__jsapiHost.page` (classic scripts must be evaluated from Python: only a
// top-level script shares the global lexical scope) and JS reports back through services.
"use strict";
const S = bridge.services;
const host = globalThis.__jsapiHost;
const G = globalThis;
const config = S["page.config"]();

host.console.setStyle("chrome");
host.console.addListener((m) => S["page.console"](m.level, m.text));
host.parseHTML = (markup) => S["page.parseHTML"](String(markup));
if (bridge.web !== undefined) bridge.web.reportException = (e) => host.reportError(e);

// ---- resources that complete later keep the page alive ------------------------------------
function keepAliveWrap(owner, name) {
  const desc = Object.getOwnPropertyDescriptor(owner, name);
  if (desc === undefined || typeof desc.value !== "function") return;
  const original = desc.value;
  const wrapper = {
    [name](...args) {
      return host.loop.keepAlive(Reflect.apply(original, this, args));
    },
  }[name];
  Object.defineProperty(wrapper, "length", { value: original.length });
  Object.defineProperty(owner, name, { ...desc, value: wrapper });
}

// WebAssembly.{compile,instantiate}Streaming (WebAssembly Web API 3) over fetch, for namespaces
// that lack them (V8 leaves them to the embedder; the engine's namespace has its own).
function streamingBytes(source, method) {
  return Promise.resolve(source).then((response) => {
    if (typeof Response === "undefined" || !(response instanceof Response)) {
      throw new TypeError(
        `WebAssembly.${method}(): Argument 0 must be provided and must be a Response`,
      );
    }
    const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (type !== "application/wasm") {
      throw new TypeError(
        `WebAssembly.${method}(): Incorrect response MIME type. Expected 'application/wasm'.`,
      );
    }
    if (!response.ok) throw new TypeError(`WebAssembly.${method}(): HTTP status code is not ok`);
    return response.arrayBuffer();
  });
}

if (typeof G.WebAssembly === "object") {
  const WA = G.WebAssembly;
  const define = (name, fn) =>
    Object.defineProperty(WA, name, { value: fn, writable: true, enumerable: false, configurable: true });
  const overFetch = {
    compileStreaming(source) {
      return streamingBytes(source, "compileStreaming").then((bytes) => WA.compile(bytes));
    },
    instantiateStreaming(source, importObject) {
      return streamingBytes(source, "instantiateStreaming").then((bytes) =>
        WA.instantiate(bytes, importObject),
      );
    },
  };
  for (const name of ["compileStreaming", "instantiateStreaming"]) {
    if (typeof WA[name] !== "function") define(name, overFetch[name]);
  }
  for (const name of ["compile", "instantiate", "compileStreaming", "instantiateStreaming"]) {
    keepAliveWrap(WA, name);
  }
}
keepAliveWrap(G, "fetch");

// ---- virtual time: the page's clocks follow the loop's clock --------------------------------
if (config.virtualTime) {
  const start = host.loop.now();
  Date.now = function now() {
    return Math.floor(host.loop.now());
  };
  if (typeof G.performance === "object" && typeof G.performance.now === "function") {
    const base = G.performance.now();
    Object.defineProperty(G.performance, "now", {
      value: function now() {
        return base + (host.loop.now() - start);
      },
      configurable: true,
      writable: true,
    });
  }
}

host.rejections.install();

// ---- the document and the page's lifecycle --------------------------------------------------
const document = host.dom.install(config.tree, config.url);
const scripts = document.getElementsByTagName("script");

function makeEvent(type, bubbles) {
  if (typeof G.Event === "function") return new G.Event(type, { bubbles, cancelable: false });
  return { type, bubbles, cancelable: false, defaultPrevented: false, preventDefault() {} };
}

function fire(target, type, bubbles) {
  const event = makeEvent(type, bubbles);
  if (target === G) {
    host.dispatchGlobal(event);
    const handler = G["on" + type];
    if (typeof handler === "function") {
      try {
        host.loop.observe(handler.call(G, event));
      } catch (e) {
        host.reportError(e);
      }
    }
  } else {
    target.dispatchEvent(event);
  }
}

function scriptElement(index) {
  return index >= 0 && index < scripts.length ? scripts[index] : null;
}

host.page = Object.freeze({
  document,
  setCurrentScript(index) {
    document.currentScript = scriptElement(index);
  },
  scriptEvent(index, type) {
    const el = scriptElement(index);
    if (el !== null) fire(el, type, false);
  },
  setReadyState(state) {
    document.readyState = state;
    fire(document, "readystatechange", false);
  },
  domContentLoaded() {
    fire(document, "DOMContentLoaded", true);
  },
  load() {
    fire(G, "load", false);
  },
  addImportMap(text, baseURL) {
    try {
      G.__host.addImportMap(text, baseURL);
    } catch (e) {
      host.reportError(e, { filename: baseURL });
    }
  },
  // A module script (HTML 8.1.4.1 "run a module script"): stops the loop once evaluated.
  runModule(index, url, source, baseURL) {
    const el = scriptElement(index);
    const run = () =>
      source === null ? G.__host.runModuleScript(url) : G.__host.runModuleScript(source, baseURL);
    const done = host.loop.keepAlive(
      Promise.resolve()
        .then(run)
        .then(
          () => {
            if (el !== null && source === null) fire(el, "load", false);
          },
          (e) => host.reportError(e, { filename: url || baseURL }),
        ),
    );
    Promise.prototype.then.call(done, () => host.loop.stop("module"));
  },
  errors() {
    return JSON.stringify(host.errors);
  },
});
