// Isolated mode, the page side: a Worker is a handle to an isolate on another Python thread.
// Messages go out through the bridge (workers.post) and come back through a poll task that
// blocks briefly in Python only while the page's event loop has nothing else to do.
"use strict";
const web = bridge.web;
const G = web.global;
const loop = G.__jsapiHost.loop;
const W = bridge.workers;
const S = bridge.services;
const remotes = new Map(); // worker id -> {worker, agent}
let polling = false;
// A page whose workers run in other isolates is not cross-origin isolated.
Object.defineProperty(G, "crossOriginIsolated", { get: () => false, enumerable: true, configurable: true });

function startPolling() {
  if (polling) return;
  polling = true;
  loop.postTask(poll, []);
}

function pageIdle() {
  return loop.pendingTasks() === 0 && loop.pendingTimers() === 0 && loop.pendingOps() === 0;
}

function poll() {
  const idle = pageIdle();
  const [items, quiet] = S["workers.recv"](idle ? 20 : 0);
  for (const [id, kind, payload] of items) {
    if (kind === "port") {
      W.receivePort(payload[0], payload[1]);
      continue;
    }
    const r = remotes.get(id);
    if (r === undefined) continue;
    if (kind === "message") receive(r, payload);
    else if (kind === "console") G.__jsapiHost.console.emit(payload[0], [payload[1]]);
    else if (kind === "rejection") rejected(r, payload[0]);
    else failed(r, payload);
  }
  // Every worker waits for a message and none is in flight: the page may become quiescent.
  if (remotes.size === 0 || (quiet && idle && items.length === 0)) {
    polling = false;
    return;
  }
  loop.postTask(poll, []);
}

function receive(r, record) {
  let message;
  try {
    message = W.unpackMessage(record, r.agent.parent);
  } catch {
    web.fire(r.worker, new W.MessageEvent("messageerror", { data: null }));
    return;
  }
  web.fire(r.worker, new W.MessageEvent("message", { data: message.data, ports: message.ports, origin: "" }));
}

// The worker's console already showed it; the page's error list gets it.
function rejected(r, text) {
  const url = r.agent.url;
  G.__jsapiHost.errors.push({ kind: "rejection", message: text.split("\n", 1)[0], text, filename: url });
}

function failed(r, [message, filename, lineno, colno]) {
  const full = { message, filename, lineno, colno };
  if (web.fire(r.worker, new G.ErrorEvent("error", { ...full, cancelable: true }))) W.reportUnhandled(full);
}

W.sendRemote = function sendRemote(id, message) {
  S["workers.post"](id, W.packMessage(message));
  startPolling();
};

W.startIsolated = function startIsolated(worker, url, name, outside) {
  const parent = W.current();
  const agent = W.spawn(name, url, parent);
  const source = W.fetchScript(url);
  if (source === null) {
    loop.postTask(() => web.fire(worker, new web.Event("error", { cancelable: true })), []);
    agent.state = "terminated";
    return agent;
  }
  const id = S["workers.spawn"](url, name, source);
  outside.agent = parent;
  outside.target = worker;
  outside.enabled = true;
  outside.other = { remote: id, closed: false, other: outside };
  remotes.set(id, { worker, agent });
  agent.onTerminate = () => {
    S["workers.terminate"](id);
    outside.other.closed = true;
    remotes.delete(id);
  };
  startPolling();
  return agent;
};
