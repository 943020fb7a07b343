// Isolated mode, the page side: the poll task that takes what the workers send (messages, errors,
// port messages, and the console output and unhandled rejections of every worker, nested ones
// included). It blocks briefly in Python only while the page's event loop has nothing else to do.
"use strict";
const web = bridge.web;
const G = web.global;
const loop = G.__jsapiHost.loop;
const W = bridge.workers;
const S = bridge.services;
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
    if (kind === "port") W.receivePort(payload[0], payload[1]);
    else if (kind === "console") G.__jsapiHost.console.emit(payload[0], [payload[1]]);
    else if (kind === "rejection") rejected(payload);
    else W.childEvent(id, kind, payload);
  }
  // Every worker waits for a message and none is in flight: the page may become quiescent.
  if (W.childCount() === 0 || (quiet && idle && items.length === 0)) {
    polling = false;
    return;
  }
  loop.postTask(poll, []);
}

W.startPollingChildren = startPolling;

// A worker's console already showed it; the page's error list gets it.
function rejected([text, url]) {
  G.__jsapiHost.errors.push({ kind: "rejection", message: text.split("\n", 1)[0], text, filename: url });
}
