// Isolated mode, the side that owns Workers (the page, or a worker with workers of its own): a
// Worker is a handle to an isolate on another Python thread. Messages go out through the bridge
// (workers.post); the child's messages and errors come back through the owner's poll task.
"use strict";
const web = bridge.web;
const G = web.global;
const loop = G.__jsapiHost.loop;
const W = bridge.workers;
const S = bridge.services;
const remotes = new Map(); // worker id -> {worker, agent}

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

function failed(r, [message, filename, lineno, colno]) {
  const full = { message, filename, lineno, colno };
  if (web.fire(r.worker, new G.ErrorEvent("error", { ...full, cancelable: true }))) W.reportUnhandled(full);
}

W.sendRemote = function sendRemote(id, message) {
  S["workers.post"](id, W.packMessage(message));
  W.startPollingChildren();
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
  W.startPollingChildren();
  return agent;
};

// An event of the child worker `id`: "message" or "error".
W.childEvent = function childEvent(id, kind, payload) {
  const r = remotes.get(id);
  if (r === undefined) return;
  if (kind === "message") receive(r, payload);
  else failed(r, payload);
};
W.childCount = () => remotes.size;
