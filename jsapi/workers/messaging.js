// MessageEvent, ErrorEvent, MessagePort and MessageChannel (HTML 9.4, 9.5), and postMessage's
// serialization: one structured-clone implementation (bridge.web.serialize/deserialize) with
// clone hooks for ports (transferable), WebAssembly.Module (shared compiled module) and shared
// WebAssembly.Memory (the same memory on both sides).
//
// A port is an internal record entangled with another; messages wait in the receiving record
// until its queue is enabled (start(), or setting onmessage), then each is one task of the
// agent that owns the port.
"use strict";
const web = bridge.web;
const G = web.global;
const W = bridge.workers;
const KEY = Symbol("construction");

function dataCloneError(message) {
  return new web.DOMException(message, "DataCloneError");
}

// ---- events --------------------------------------------------------------------------------------
class MessageEvent extends web.Event {
  #data;
  #origin;
  #lastEventId;
  #source;
  #ports;
  constructor(type, init = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'MessageEvent': 1 argument required, but only 0 present.");
    }
    const d = web.dictionary(init, "MessageEventInit");
    super(type, d);
    this.#data = d.data === undefined ? null : d.data;
    this.#origin = d.origin === undefined ? "" : web.toUSVString(d.origin);
    this.#lastEventId = d.lastEventId === undefined ? "" : web.toDOMString(d.lastEventId);
    this.#source = d.source === undefined ? null : d.source;
    this.#ports = Object.freeze(d.ports === undefined ? [] : Array.from(d.ports));
  }
  get data() {
    return this.#data;
  }
  get origin() {
    return this.#origin;
  }
  get lastEventId() {
    return this.#lastEventId;
  }
  get source() {
    return this.#source;
  }
  get ports() {
    return this.#ports;
  }
}
web.idlClass(MessageEvent);

if (typeof G.ErrorEvent !== "function") {
  class ErrorEvent extends web.Event {
    #message;
    #filename;
    #lineno;
    #colno;
    #error;
    constructor(type, init = undefined) {
      if (arguments.length < 1) {
        throw new TypeError("Failed to construct 'ErrorEvent': 1 argument required, but only 0 present.");
      }
      const d = web.dictionary(init, "ErrorEventInit");
      super(type, d);
      this.#message = d.message === undefined ? "" : web.toDOMString(d.message);
      this.#filename = d.filename === undefined ? "" : web.toUSVString(d.filename);
      this.#lineno = d.lineno === undefined ? 0 : d.lineno >>> 0;
      this.#colno = d.colno === undefined ? 0 : d.colno >>> 0;
      this.#error = d.error === undefined ? undefined : d.error;
    }
    get message() {
      return this.#message;
    }
    get filename() {
      return this.#filename;
    }
    get lineno() {
      return this.#lineno;
    }
    get colno() {
      return this.#colno;
    }
    get error() {
      return this.#error;
    }
  }
  web.idlClass(ErrorEvent);
}

// ---- port records --------------------------------------------------------------------------------
// {agent, other, target, enabled, pending: [message], scheduled, closed, detached, onEnable}
function portRecord(agent, target) {
  return { agent, other: null, target, enabled: false, pending: [], scheduled: 0, closed: false, detached: false };
}
W.portRecord = portRecord;

W.entangle = function entangle(a, b) {
  a.other = b;
  b.other = a;
};

function schedule(rec) {
  if (!rec.enabled || rec.closed || rec.agent === null) return;
  while (rec.scheduled < rec.pending.length) {
    rec.scheduled++;
    W.enqueue(rec.agent, () => dispatchOne(rec));
  }
}
W.enablePort = function enablePort(rec) {
  rec.enabled = true;
  schedule(rec);
};

function dispatchOne(rec) {
  if (rec.pending.length === 0 || rec.closed) return;
  rec.scheduled--;
  const message = rec.pending.shift();
  const agent = rec.agent;
  let data;
  let ports;
  try {
    ports = message.ports.map((p) => adopt(p, agent));
    data = W.deserialize(message.data, ports);
  } catch (e) {
    if (e === W.DEADLOCK || e === W.TERMINATED) throw e;
    web.fire(rec.target, new MessageEvent("messageerror", { data: null, ports: [] }));
    return;
  }
  web.fire(rec.target, new MessageEvent("message", { data, ports, origin: "" }));
}

// Puts a serialized message into the other side's queue (HTML 9.4.3 message port post message
// steps): a closed or unentangled port drops it silently.
W.deliver = function deliver(from, message) {
  const to = from.other;
  if (to === null || from.closed || to.closed) return;
  if (to.remote !== undefined) {
    W.sendRemote(to.remote, message);
    return;
  }
  if (to.remotePort !== undefined) {
    W.sendToPort(to.remotePort, message);
    return;
  }
  to.pending.push(message);
  schedule(to);
};
W.schedulePort = schedule;

// ---- serialization -------------------------------------------------------------------------------
let sending = null; // ports of the transfer list being serialized
let receiving = null; // ports created for the message being deserialized

function isPort(v) {
  return v instanceof MessagePort;
}

function isShared() {
  return W.mode !== "isolated";
}

web.cloneHooks.push({
  serialize(v) {
    if (!isPort(v)) return undefined;
    const i = sending === null ? -1 : sending.indexOf(v);
    if (i < 0) throw dataCloneError("Failed to execute 'postMessage': A MessagePort could not be cloned because it was not transferred.");
    return i;
  },
  deserialize(i) {
    return receiving[i];
  },
});
web.cloneHooks.push({
  serialize(v) {
    const WA = G.WebAssembly;
    if (typeof WA !== "object" || WA === null) return undefined;
    if (typeof WA.Module === "function" && v instanceof WA.Module) {
      if (isShared()) return { module: v };
      // Another isolate gets a Module of its own for the same compiled module (this project's
      // engine: one Python object serves every isolate); V8's own modules cannot cross.
      const slots = bridge.wasm && bridge.wasm.moduleSlots && bridge.wasm.moduleSlots.get(v);
      if (slots === undefined) throw dataCloneError("Failed to execute 'postMessage': #<Module> could not be cloned (V8's own modules cannot reach another isolate).");
      return bridge.services["workers.shareModule"](slots.py);
    }
    if (typeof WA.Memory === "function" && v instanceof WA.Memory) {
      if (!(v.buffer instanceof SharedArrayBuffer)) throw dataCloneError("Failed to execute 'postMessage': #<Memory> could not be cloned.");
      if (!isShared()) throw dataCloneError("Failed to execute 'postMessage': SharedArrayBuffer transfer requires self.crossOriginIsolated.");
      return { memory: v };
    }
    if (!isShared() && v instanceof SharedArrayBuffer) {
      throw dataCloneError("Failed to execute 'postMessage': SharedArrayBuffer transfer requires self.crossOriginIsolated.");
    }
    return undefined;
  },
  deserialize(d) {
    if (typeof d === "number") return bridge.wasm.newModuleObject(bridge.services["workers.adoptModule"](d));
    return d.module !== undefined ? d.module : d.memory;
  },
});

// StructuredSerializeWithTransfer for postMessage: {data: record, ports: [port records]}.
W.serialize = function serialize(message, transfer, source) {
  const ports = [];
  const buffers = [];
  for (const t of transfer) {
    if (isPort(t)) {
      if (ports.includes(t)) throw dataCloneError("Failed to execute 'postMessage': Message port at index " + ports.length + " is a duplicate of an earlier port.");
      if (t === source) throw dataCloneError("Failed to execute 'postMessage': Port at index " + ports.length + " contains the source port.");
      if (portOf(t).detached) throw dataCloneError("Failed to execute 'postMessage': Port at index " + ports.length + " is already neutered.");
      ports.push(t);
    } else {
      buffers.push(t);
    }
  }
  const previous = sending;
  sending = ports;
  let data;
  try {
    data = web.serialize(message, buffers);
  } finally {
    sending = previous;
  }
  return { data, ports: ports.map(detach) };
};

W.deserialize = function deserialize(data, ports) {
  const previous = receiving;
  receiving = ports;
  try {
    return web.deserialize(data);
  } finally {
    receiving = previous;
  }
};

W.parseTransfer = function parseTransfer(options, what) {
  if (options === undefined || options === null) return [];
  let list = options;
  if (!(Symbol.iterator in Object(options))) {
    list = web.dictionary(options, "StructuredSerializeOptions").transfer;
    if (list === undefined) return [];
  }
  if (!web.isObject(list) || typeof list[Symbol.iterator] !== "function") {
    throw new TypeError(`Failed to execute 'postMessage' on '${what}': The provided value cannot be converted to a sequence.`);
  }
  const out = Array.from(list);
  for (const t of out) {
    if (!web.isObject(t)) throw new TypeError(`Failed to execute 'postMessage' on '${what}': Value is not an object.`);
  }
  return out;
};

// The sender's port is neutered; a fresh record, entangled with the same partner and holding the
// messages already queued for it, travels with the message.
function detach(port) {
  const old = portOf(port);
  const moved = portRecord(null, null);
  moved.pending = old.pending;
  // An end known to other isolates keeps its global id (jsapi/workers/isolated_ports.js).
  if (old.gid !== undefined) moved.gid = old.gid;
  old.pending = [];
  old.scheduled = 0;
  if (old.other !== null) W.entangle(moved, old.other);
  old.other = null;
  old.detached = true;
  old.closed = true;
  return moved;
}

function adopt(rec, agent) {
  rec.agent = agent;
  if (rec.gid !== undefined) W.portAdopted(rec);
  const port = new MessagePort(KEY, rec);
  rec.target = port;
  return port;
}
W.adopt = adopt;

// ---- MessagePort / MessageChannel ---------------------------------------------------------------
let portOf;
class MessagePort extends web.EventTarget {
  #rec;
  constructor(key, rec) {
    if (key !== KEY) throw new TypeError("Illegal constructor");
    super();
    this.#rec = rec;
  }
  static {
    portOf = (p) => p.#rec;
  }
  postMessage(message, transfer = undefined) {
    const rec = this.#rec;
    const list = W.parseTransfer(transfer, "MessagePort");
    const serialized = W.serialize(message, list, this);
    W.deliver(rec, serialized);
  }
  start() {
    W.enablePort(this.#rec);
  }
  close() {
    const rec = this.#rec;
    rec.closed = true;
    if (rec.other !== null) rec.other.other = null;
    rec.other = null;
  }
}
// Setting onmessage enables the port's message queue (HTML 9.4.4).
web.defineEventHandler(MessagePort.prototype, "message");
web.defineEventHandler(MessagePort.prototype, "messageerror");
{
  const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage");
  Object.defineProperty(MessagePort.prototype, "onmessage", {
    get: d.get,
    set(value) {
      d.set.call(this, value);
      if (web.isObject(value)) this.start();
    },
    enumerable: true,
    configurable: true,
  });
}
web.idlClass(MessagePort);

class MessageChannel {
  #port1;
  #port2;
  constructor() {
    const agent = W.current();
    const a = portRecord(agent, null);
    const b = portRecord(agent, null);
    W.entangle(a, b);
    this.#port1 = a.target = new MessagePort(KEY, a);
    this.#port2 = b.target = new MessagePort(KEY, b);
  }
  get port1() {
    return this.#port1;
  }
  get port2() {
    return this.#port2;
  }
}
web.idlClass(MessageChannel);

W.MessageEvent = MessageEvent;
W.MessagePort = MessagePort;
W.portOf = (p) => portOf(p);
