// Isolated mode, the worker side: this isolate's own global is the worker's global scope.
// A poll task takes messages from Python (blocking briefly only when the loop is idle).
"use strict";
const web = bridge.web;
const G = web.global;
const host = G.__jsapiHost;
const loop = host.loop;
const W = bridge.workers;
const S = bridge.services;

W.restoreNativeWait();

// The worker's console and unhandled rejections reach the page: its console shows them, and a
// rejection no listener took counts among the page's errors, as an uncaught exception does.
host.console.addListener((m) => S["worker.console"](m.level, m.text));
if (host.rejections !== undefined) {
  host.rejections.install();
  host.rejections.configure({
    report(owner, text) {
      host.console.emit("error", [text]);
      S["worker.rejection"](text, String(G.location.href));
    },
  });
}
let workerName = "";
W.setName = (n) => {
  workerName = String(n);
};
// Its own workers' events arrive with its other messages (poll, below).
W.startPollingChildren = () => {};
// A child's error that no handler took is reported in this worker's global, then goes on up.
W.reportUnhandled = (info) => reportInfo(info, null);

const handlers = { onmessage: null, onmessageerror: null, onerror: null };
function define(name, value) {
  Object.defineProperty(G, name, { value, writable: true, enumerable: true, configurable: true });
}
for (const key of Object.keys(handlers)) {
  Object.defineProperty(G, key, {
    get: () => handlers[key],
    set: (v) => {
      handlers[key] = web.isObject(v) ? v : null;
    },
    enumerable: true,
    configurable: true,
  });
}
for (const key of ["document", "requestAnimationFrame", "cancelAnimationFrame"]) {
  if (Object.getOwnPropertyDescriptor(G, key)?.configurable) delete G[key];
}
Object.defineProperty(G, "crossOriginIsolated", { get: () => false, enumerable: true, configurable: true });
Object.defineProperty(G, "name", { get: () => workerName, enumerable: true, configurable: true });
define("postMessage", function postMessage(message, transfer = undefined) {
  const list = W.parseTransfer(transfer, "DedicatedWorkerGlobalScope");
  S["worker.post"](W.packMessage(W.serialize(message, list, null)));
});
define("close", function close() {
  loop.stop("closed");
});
define("importScripts", function importScripts(...urls) {
  const resolved = urls.map((u) => W.resolveURL(u, String(G.location.href), "execute 'importScripts' on 'WorkerGlobalScope'"));
  for (const url of resolved) {
    const source = W.fetchScript(url);
    if (source === null) {
      throw new web.DOMException(`Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '${url}' failed to load.`, "NetworkError");
    }
    (0, eval)(`${S["workers.trackAsync"](source)}\n//# sourceURL=${url}\n`);
  }
});

function call(handler, event) {
  if (typeof handler !== "function") return;
  try {
    loop.observe(handler.call(G, event));
  } catch (e) {
    host.reportError(e);
  }
}

function deliver(record) {
  let message;
  try {
    message = W.unpackMessage(record, W.main);
  } catch {
    const event = new W.MessageEvent("messageerror", { data: null });
    call(handlers.onmessageerror, event);
    host.dispatchGlobal(event);
    return;
  }
  const event = new W.MessageEvent("message", { data: message.data, ports: message.ports, origin: "" });
  call(handlers.onmessage, event);
  host.dispatchGlobal(event);
}

function poll() {
  host.console.drain(); // forwarded as they came (see above); nobody else reads this isolate's
  const idle = loop.pendingTasks() === 0 && loop.pendingTimers() === 0 && loop.pendingOps() === 0;
  const items = S["worker.recv"](idle ? 20 : 0);
  for (const item of items) {
    if (item[0] === "terminate") {
      loop.stop("terminated");
      return;
    }
    if (item[0] === "port") W.receivePort(item[1], item[2]);
    else if (item[0] === "child") W.childEvent(item[1], item[2], item[3]);
    else deliver(item[1]);
  }
  loop.postTask(poll, []);
}
loop.postTask(poll, []);

// An uncaught exception: the global's onerror (5 arguments), then the Worker object in the page.
host.reportError = function reportError(error, where) {
  reportInfo(W.errorInfo(error, (where && where.filename) || String(G.location.href)), error);
};

function reportInfo(info, error) {
  let handled = false;
  if (typeof handlers.onerror === "function") {
    try {
      handled = handlers.onerror.call(G, info.message, info.filename, info.lineno, info.colno, error) === true;
    } catch {
      handled = false;
    }
  }
  if (!handled) S["worker.error"]([info.message, info.filename, info.lineno, info.colno]);
}
