// Isolated mode, both sides: messages between isolates, and MessagePorts whose two ends live in
// different isolates.
//
// A message crosses as [root, objects, transfers, ports]: the structured-clone record as plain
// arrays (plain objects would cross the bridge as handles) and one [id, partner, pending]
// descriptor per transferred port. An end that talks to another isolate has a global id from
// Python (ports.claim); its partner there is a stub record {remotePort: id}, and delivering to a
// stub posts through Python (ports.post), which routes by the registry of which isolate owns
// each id. The messages already queued for a port travel inside its descriptor, ahead of any
// later one.
"use strict";
const web = bridge.web;
const W = bridge.workers;
const S = bridge.services;

W.isolateId = 0; // the page; a worker's isolate sets its own
const localPorts = new Map(); // global id -> record of an end that lives here
const early = new Map(); // global id -> records that arrived before their port

const remoteStub = (id) => ({ remotePort: id, closed: false, other: null, pending: [] });

function exportPort(moved) {
  const id = moved.gid !== undefined ? moved.gid : S["ports.claim"](W.isolateId);
  localPorts.delete(id);
  const other = moved.other;
  let partner = 0;
  if (other !== null && other.remotePort !== undefined) {
    partner = other.remotePort;
  } else if (other !== null) {
    // The partner stays here and now reaches the moved end through Python.
    if (other.gid === undefined) {
      other.gid = S["ports.claim"](W.isolateId);
      localPorts.set(other.gid, other);
    }
    partner = other.gid;
    other.other = remoteStub(id);
  }
  const pending = moved.pending.map(W.packMessage);
  moved.other = null;
  moved.pending = [];
  moved.closed = true;
  return [id, partner, pending];
}

// A record for a port that arrived (adopted by the agent that receives it, W.adopt).
function importPort([id, partner, pending]) {
  const rec = W.portRecord(null, null);
  rec.gid = id;
  rec.other = partner ? remoteStub(partner) : null;
  rec.pending = pending.map(queued);
  return rec;
}

// Called when a port with a global id gets its MessagePort here (messaging.js adopt).
W.portAdopted = function portAdopted(rec) {
  localPorts.set(rec.gid, rec);
  for (const r of early.get(rec.gid) || []) rec.pending.push(queued(r));
  early.delete(rec.gid);
};

const queued = (record) => ({ data: W.fixTransfers(record), ports: (record[3] || []).map(importPort) });

W.packMessage = (m) => [m.data.root, m.data.objects, m.data.transfers, m.ports.map(exportPort)];
W.fixTransfers = function fixTransfers([root, objects, transfers]) {
  return { root, objects, transfers: transfers.map((t) => (t instanceof ArrayBuffer ? t : web.copyBytes(t).buffer)) };
};

// A message for the agent that owns this isolate's end of a Worker: {data, ports} (throws what
// deserialization throws: the caller fires messageerror).
W.unpackMessage = function unpackMessage(record, agent) {
  const ports = (record[3] || []).map((d) => W.adopt(importPort(d), agent));
  return { data: W.deserialize(W.fixTransfers(record), ports), ports };
};

// A message Python routed to the port `id` of this isolate.
W.receivePort = function receivePort(id, record) {
  const rec = localPorts.get(id);
  if (rec === undefined || rec.detached) {
    // The end moved on (forward it), or its port is still on its way here (also when it moves
    // between two agents of this isolate: its new record registers when it is adopted).
    if (S["ports.owner"](id) !== W.isolateId) S["ports.post"](id, record);
    else (early.get(id) || early.set(id, []).get(id)).push(record);
    return;
  }
  if (rec.closed) return;
  rec.pending.push(queued(record));
  W.schedulePort(rec);
};

W.sendToPort = (id, message) => S["ports.post"](id, W.packMessage(message));
