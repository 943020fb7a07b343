// The JavaScript half of the bridge: a SharedArrayBuffer mailbox, a msgpack codec, the table of
// JS values referenced from Python, and the trampoline loop that serves Python's requests to call
// JS while Python serves a JS request. Evaluated once per context as a script whose completion
// value is a function taking the raw synchronous callback; the internal object it builds is
// reachable only through the global key the Python side removes when it seals the bridge.
(function (KEY, MAX_MAILBOX, INITIAL_MAILBOX, MAX_TOP_MAILBOX) {
  "use strict";
  const HEADER = 32;
  // Requests (JS -> Python).
  const OP_CALL = 1, OP_RESUME = 2, OP_RESUME_THROW = 3, OP_FETCH = 4, OP_RAW_CALL = 5;
  // Replies (Python -> JS).
  const R_RET = 1, R_THROW_PY = 2, R_THROW_JS = 3, R_CALLJS = 4, R_NEED = 5, R_RET_RAW = 6, R_PARKED = 7;
  const EXT_HANDLE = 1, EXT_UNDEFINED = 2, EXT_BIGINT = 3, EXT_PYREF = 4, EXT_ATTACH = 5;
  const ATTACH_MIN = 256;

  const sab = new SharedArrayBuffer(INITIAL_MAILBOX, { maxByteLength: MAX_MAILBOX });
  // Length-tracking views follow the mailbox when it grows.
  const u8 = new Uint8Array(sab);
  const i32 = new Int32Array(sab);
  const dv = new DataView(sab);
  // Top-level calls from Python's main thread use their own mailbox: a service may be using the
  // main one on the V8 thread at the very moment the main thread writes its request.
  // Both reserve their maximum up front, out of the process's V8 address-space budget.
  const topSab = new SharedArrayBuffer(INITIAL_MAILBOX, { maxByteLength: MAX_TOP_MAILBOX });
  const topU8 = new Uint8Array(topSab);
  const topI32 = new Int32Array(topSab);

  // Saved before page code can patch the prototypes it shares with us.
  const AB = ArrayBuffer, ABproto = ArrayBuffer.prototype;
  const isView = ArrayBuffer.isView;
  const origTransfer = ABproto.transfer, origTransferFixed = ABproto.transferToFixedLength;
  const Reflect_apply = Reflect.apply;
  const WeakSet_has = WeakSet.prototype.has, WeakSet_add = WeakSet.prototype.add;
  const pinned = new WeakSet();
  // V8's own memory class: a realm's WebAssembly namespace may be replaced later.
  const NativeMemory = typeof WebAssembly === "object" ? WebAssembly.Memory : undefined;

  function ensureCapacity(n) {
    if (n <= sab.byteLength) return;
    if (n > MAX_MAILBOX) throw new RangeError("bridge mailbox: message of " + n + " bytes is too large");
    let cap = sab.byteLength;
    while (cap < n) cap *= 2;
    sab.grow(Math.min(cap, MAX_MAILBOX));
    i32[2] = sab.byteLength;
  }

  // End of a message: header, payload, then 8-byte release pairs from the 4-aligned end.
  function messageEnd(words) { return ((HEADER + words[1] + 3) & ~3) + 8 * words[4]; }
  // A top-level task runs only when V8 is between tasks, so no service is using the main
  // mailbox then (services run inside JS): the request moves there and is decoded as usual.
  function fromTop() {
    const end = messageEnd(topI32);
    ensureCapacity(end);
    u8.set(topU8.subarray(0, end), 0);
    i32[2] = sab.byteLength;
  }
  // The reply moves back before the task ends; the main thread reads it from the top mailbox.
  function toTop() {
    const end = messageEnd(i32);
    growTop(end);
    topU8.set(u8.subarray(0, end), 0);
    topI32[2] = topSab.byteLength;
  }
  function growTop(n) {
    if (n <= topSab.byteLength) return;
    if (n > MAX_TOP_MAILBOX) throw new RangeError("bridge mailbox: message of " + n + " bytes is too large");
    let cap = topSab.byteLength;
    while (cap < n) cap *= 2;
    topSab.grow(Math.min(cap, MAX_TOP_MAILBOX));
    topI32[2] = topSab.byteLength;
  }

  // ---- JS values referenced from Python: id -> {value, count}, value -> id -------------------
  let nextHandle = 1;
  const handleOf = new Map();
  const handles = new Map();
  function toHandle(value) {
    let id = handleOf.get(value);
    if (id === undefined) {
      id = nextHandle++;
      handleOf.set(value, id);
      handles.set(id, { value, count: 0 });
    }
    handles.get(id).count++;
    return id;
  }
  function fromHandle(id) {
    const e = handles.get(id);
    if (e === undefined) throw new ReferenceError("bridge: stale JS handle #" + id);
    return e.value;
  }
  function releaseHandle(id, n) {
    const e = handles.get(id);
    if (e === undefined) return;
    e.count -= n;
    if (e.count <= 0) {
      handles.delete(id);
      handleOf.delete(e.value);
    }
  }

  // ---- Python objects referenced from JS -------------------------------------------------------
  class PyObject {
    #cell;
    constructor(cell) { this.#cell = cell; Object.freeze(this); }
    static idOf(o) { return o.#cell.id; }
  }
  const pyIdOf = (o) => PyObject.idOf(o);
  const pyrefs = new Map();
  const pyReleases = [];
  const registry = new FinalizationRegistry((cell) => {
    pyReleases.push(cell.id, cell.n);
    const e = pyrefs.get(cell.id);
    if (e !== undefined && e.cell === cell) pyrefs.delete(cell.id);
  });
  function fromPyId(id) {
    const e = pyrefs.get(id);
    const live = e && e.ref.deref();
    if (live !== undefined) { e.cell.n++; return live; }
    const cell = { id, n: 1 };
    const obj = new PyObject(cell);
    pyrefs.set(id, { ref: new WeakRef(obj), cell });
    registry.register(obj, cell);
    return obj;
  }
  const PYEXC = Symbol("python exception");

  // Forces an object that would be copied (an Array) to travel as a handle.
  class ByRef { constructor(v) { this.value = v; } }

  // ---- msgpack encoding into a reusable scratch buffer -----------------------------------------
  let scratch = new Uint8Array(1024);
  let sdv = new DataView(scratch.buffer);
  let pos = 0;
  let attachments = [];
  let attachBytes = 0;
  function room(n) {
    if (pos + n <= scratch.length) return;
    let cap = scratch.length * 2;
    while (cap < pos + n) cap *= 2;
    const s = new Uint8Array(cap);
    s.set(scratch.subarray(0, pos));
    scratch = s;
    sdv = new DataView(s.buffer);
  }
  function putByte(b) { room(1); scratch[pos++] = b; }
  function putU32(tag, v) { room(5); scratch[pos] = tag; sdv.setUint32(pos + 1, v); pos += 5; }
  function putExt4(type, v) { room(6); scratch[pos] = 0xd6; scratch[pos + 1] = type; sdv.setUint32(pos + 2, v); pos += 6; }
  function putUtf8(s) {
    // WTF-8: lone surrogates are kept (Python decodes with surrogatepass).
    const start = pos;
    room(s.length * 3 + 5);
    pos += 5;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) { scratch[pos++] = c; continue; }
      if (c < 0x800) { scratch[pos++] = 0xc0 | (c >> 6); scratch[pos++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          scratch[pos++] = 0xf0 | (c >> 18); scratch[pos++] = 0x80 | ((c >> 12) & 63);
          scratch[pos++] = 0x80 | ((c >> 6) & 63); scratch[pos++] = 0x80 | (c & 63);
          continue;
        }
      }
      scratch[pos++] = 0xe0 | (c >> 12); scratch[pos++] = 0x80 | ((c >> 6) & 63); scratch[pos++] = 0x80 | (c & 63);
    }
    const n = pos - start - 5;
    scratch[start] = 0xdb;
    sdv.setUint32(start + 1, n);
  }
  function putBytes(view) {
    const n = view.length;
    if (n >= ATTACH_MIN) {
      // Large binaries travel beside the msgpack text and reach Python as a view of the mailbox.
      room(10);
      scratch[pos] = 0xd7; scratch[pos + 1] = EXT_ATTACH;
      sdv.setUint32(pos + 2, attachBytes); sdv.setUint32(pos + 6, n);
      pos += 10;
      attachments.push(view);
      attachBytes += (n + 7) & ~7;
      return;
    }
    putU32(0xc6, n);
    room(n);
    scratch.set(view, pos);
    pos += n;
  }
  function bytesOf(v) {
    if (v instanceof AB || v instanceof SharedArrayBuffer) return new Uint8Array(v);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  function put(v) {
    switch (typeof v) {
      case "undefined": room(3); scratch[pos++] = 0xd4; scratch[pos++] = EXT_UNDEFINED; scratch[pos++] = 0; return;
      case "boolean": putByte(v ? 0xc3 : 0xc2); return;
      case "number":
        if (Number.isInteger(v) && v >= -0x80000000 && v <= 0xffffffff && !Object.is(v, -0)) {
          if (v >= 0) putU32(0xce, v); else { room(5); scratch[pos] = 0xd2; sdv.setInt32(pos + 1, v); pos += 5; }
        } else if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          room(9); scratch[pos] = 0xd3; sdv.setBigInt64(pos + 1, BigInt(v)); pos += 9;
        } else { room(9); scratch[pos] = 0xcb; sdv.setFloat64(pos + 1, v); pos += 9; }
        return;
      case "string": putUtf8(v); return;
      case "bigint": {
        const s = v.toString();
        room(s.length + 6); scratch[pos++] = 0xc7; scratch[pos++] = s.length; scratch[pos++] = EXT_BIGINT;
        for (let i = 0; i < s.length; i++) scratch[pos++] = s.charCodeAt(i);
        return;
      }
    }
    if (v === null) { putByte(0xc0); return; }
    if (v instanceof PyObject) { putExt4(EXT_PYREF, pyIdOf(v)); return; }
    if (v instanceof ByRef) { putExt4(EXT_HANDLE, toHandle(v.value)); return; }
    if (Array.isArray(v)) {
      putU32(0xdd, v.length);
      for (let i = 0; i < v.length; i++) put(v[i]);
      return;
    }
    if (isView(v) || v instanceof AB || v instanceof SharedArrayBuffer) { putBytes(bytesOf(v)); return; }
    putExt4(EXT_HANDLE, toHandle(v));
  }

  // ---- msgpack decoding from the mailbox -------------------------------------------------------
  let rp = 0;
  function utf8(start, end) {
    let s = "";
    let i = start;
    while (i < end) {
      const b = u8[i++];
      let c;
      if (b < 0x80) c = b;
      else if (b < 0xe0) c = ((b & 31) << 6) | (u8[i++] & 63);
      else if (b < 0xf0) { c = ((b & 15) << 12) | ((u8[i] & 63) << 6) | (u8[i + 1] & 63); i += 2; }
      else { c = ((b & 7) << 18) | ((u8[i] & 63) << 12) | ((u8[i + 1] & 63) << 6) | (u8[i + 2] & 63); i += 3; }
      s += String.fromCodePoint(c);
    }
    return s;
  }
  function str(n) { const s = utf8(rp, rp + n); rp += n; return s; }
  // slice() of shared memory copies byte by byte; set() from a subarray is a memcpy.
  function bin(n) { const b = new Uint8Array(n); b.set(u8.subarray(rp, rp + n)); rp += n; return b; }
  function arr(n) { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = get(); return a; }
  function map(n) { const o = {}; for (let i = 0; i < n; i++) { const k = get(); o[k] = get(); } return o; }
  function ext(type, n) {
    const at = rp;
    rp += n;
    switch (type) {
      case EXT_HANDLE: return fromHandle(dv.getUint32(at));
      case EXT_UNDEFINED: return undefined;
      case EXT_BIGINT: return BigInt(utf8(at, at + n));
      case EXT_PYREF: return fromPyId(dv.getUint32(at));
    }
    throw new TypeError("bridge: unknown msgpack extension " + type);
  }
  function get() {
    const b = u8[rp++];
    if (b < 0x80) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b < 0x90) return map(b & 15);
    if (b < 0xa0) return arr(b & 15);
    if (b < 0xc0) return str(b & 31);
    let v;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: v = u8[rp]; rp += 1; return bin(v);
      case 0xc5: v = dv.getUint16(rp); rp += 2; return bin(v);
      case 0xc6: v = dv.getUint32(rp); rp += 4; return bin(v);
      case 0xc7: v = u8[rp]; rp += 2; return ext(u8[rp - 1], v);
      case 0xc8: v = dv.getUint16(rp); rp += 3; return ext(u8[rp - 1], v);
      case 0xc9: v = dv.getUint32(rp); rp += 5; return ext(u8[rp - 1], v);
      case 0xca: v = dv.getFloat32(rp); rp += 4; return v;
      case 0xcb: v = dv.getFloat64(rp); rp += 8; return v;
      case 0xcc: return u8[rp++];
      case 0xcd: v = dv.getUint16(rp); rp += 2; return v;
      case 0xce: v = dv.getUint32(rp); rp += 4; return v;
      case 0xcf: v = dv.getBigUint64(rp); rp += 8; return v <= 9007199254740991n ? Number(v) : v;
      case 0xd0: v = dv.getInt8(rp); rp += 1; return v;
      case 0xd1: v = dv.getInt16(rp); rp += 2; return v;
      case 0xd2: v = dv.getInt32(rp); rp += 4; return v;
      case 0xd3: v = dv.getBigInt64(rp); rp += 8;
        return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
      case 0xd4: rp += 1; return ext(u8[rp - 1], 1);
      case 0xd5: rp += 1; return ext(u8[rp - 1], 2);
      case 0xd6: rp += 1; return ext(u8[rp - 1], 4);
      case 0xd7: rp += 1; return ext(u8[rp - 1], 8);
      case 0xd8: rp += 1; return ext(u8[rp - 1], 16);
      case 0xd9: v = u8[rp]; rp += 1; return str(v);
      case 0xda: v = dv.getUint16(rp); rp += 2; return str(v);
      case 0xdb: v = dv.getUint32(rp); rp += 4; return str(v);
      case 0xdc: v = dv.getUint16(rp); rp += 2; return arr(v);
      case 0xdd: v = dv.getUint32(rp); rp += 4; return arr(v);
      case 0xde: v = dv.getUint16(rp); rp += 2; return map(v);
      case 0xdf: v = dv.getUint32(rp); rp += 4; return map(v);
    }
    throw new TypeError("bridge: malformed msgpack byte " + b);
  }

  // ---- crossings -------------------------------------------------------------------------------
  let callback = null;
  // Releases of JS handles sent by Python ride at the end of every reply.
  function applyReleases() {
    const n = i32[4];
    if (n === 0) return;
    let at = (HEADER + i32[1] + 3) & ~3;
    for (let k = 0; k < n; k++, at += 8) releaseHandle(i32[at >> 2], i32[(at >> 2) + 1]);
    i32[4] = 0;
  }
  // Writes the encoded message and the pending releases of Python objects into the mailbox.
  function flush(op, arg, rid = 0) {
    const base = (HEADER + pos + 7) & ~7;
    const total = attachments.length ? base + attachBytes - HEADER : pos;
    const relAt = (HEADER + total + 3) & ~3;
    ensureCapacity(relAt + pyReleases.length * 4);
    u8.set(scratch.subarray(0, pos), HEADER);
    let at = base;
    for (const a of attachments) { u8.set(a, at); at += (a.length + 7) & ~7; }
    attachments = [];
    attachBytes = 0;
    for (let k = 0; k < pyReleases.length; k++) i32[(relAt >> 2) + k] = pyReleases[k];
    i32[4] = pyReleases.length >> 1;
    pyReleases.length = 0;
    i32[0] = op; i32[1] = total; i32[2] = sab.byteLength; i32[3] = arg; i32[5] = pos; i32[6] = rid;
    pos = 0;
  }
  function send(op, arg, value, rid = 0) {
    pos = 0; attachments = []; attachBytes = 0;
    if (value !== NONE) put(value);
    flush(op, arg, rid);
    callback();
  }
  const NONE = Symbol("no payload");

  function pyError(info) {
    const [ctorPath, message, exc] = info;
    let ctor = globalThis;
    for (const part of ctorPath.split(".")) ctor = ctor === undefined ? undefined : ctor[part];
    if (typeof ctor !== "function") ctor = Error;
    const err = new ctor(message);
    Object.defineProperty(err, PYEXC, { value: exc });
    return err;
  }
  function thrownInfo(e) {
    const exc = (e !== null && (typeof e === "object" || typeof e === "function")) ? e[PYEXC] : undefined;
    let text;
    try { text = String(e); } catch { text = "<unprintable JS value>"; }
    return [new ByRef(e), text, exc instanceof PyObject ? exc : null];
  }
  // Replies that completed a request whose frame was not on top (Python resumed a parked request
  // from inside another crossing): they wait here for their frame. rid -> [ok, value]
  const stash = new Map();
  // Requests whose frame was unwound (by an exception) while they were parked: their late replies
  // are dropped.
  const abandoned = new Set();
  let nextRid = 1;
  function newRid() {
    const rid = nextRid;
    nextRid = rid === 0x7fffffff ? 1 : rid + 1;
    return rid;
  }
  function settle(rid) {
    const [ok, value] = stash.get(rid);
    stash.delete(rid);
    if (ok) return value;
    throw value;
  }
  // Serves the reply to request `rid` until Python returns: Python may first ask to call JS (any
  // number of times, nested to any depth), or for a larger mailbox, or park the request
  // (Bridge.park): the frame then runs the park hook until the reply arrives. rid 0 drives a
  // resumed request until Python hands control back, and returns undefined.
  function loop(rid) {
    for (;;) {
      applyReleases();
      const op = i32[0];
      rp = HEADER;
      let ok = true, value;
      switch (op) {
        case R_RET: value = get(); break;
        case R_RET_RAW: value = u8.subarray(HEADER, HEADER + i32[1]); break;
        case R_THROW_PY: ok = false; value = pyError(get()); break;
        case R_THROW_JS: ok = false; value = fromHandle(i32[3]); break;
        case R_NEED: ensureCapacity(i32[3]); send(OP_FETCH, 0, NONE); continue;
        case R_CALLJS: {
          const token = i32[3];
          let done = false, result;
          try {
            const [fn, thisArg, args] = get();
            result = Reflect_apply(fn, thisArg, args);
            done = true;
            send(OP_RESUME, token, result);
          } catch (e) {
            pos = 0;
            send(OP_RESUME_THROW, token, thrownInfo(done ? new TypeError("bridge: cannot send value to Python") : e));
          }
          continue;
        }
        case R_PARKED: return waitFor(rid);
        default: throw new TypeError("bridge: bad reply op " + op);
      }
      const owner = i32[6];
      if (owner === rid || owner < 0) {
        if (ok) return value;
        throw value;
      }
      if (!abandoned.delete(owner)) stash.set(owner, [ok, op === R_RET_RAW ? value.slice() : value]);
      return waitFor(rid);
    }
  }
  function waitFor(rid) {
    if (rid === 0 || stash.has(rid)) return rid === 0 ? undefined : settle(rid);
    if (internal.parkHook === null) throw new TypeError("bridge: a request was parked and nothing can resume it");
    try {
      internal.parkHook(() => stash.has(rid));
    } catch (e) {
      if (!stash.delete(rid)) abandoned.add(rid);
      throw e;
    }
    return settle(rid);
  }
  // Resumes a parked request (Bridge.park) with `value`, from whatever frame is on top.
  function resume(token, value) {
    send(OP_RESUME, token, value);
    return loop(0);
  }

  const services = Object.create(null);
  function call(id, args) {
    const rid = newRid();
    send(OP_CALL, id, args, rid);
    return loop(rid);
  }
  // Hot path: the request is the raw bytes of `payload` (a Uint8Array) and the reply is a
  // Uint8Array view of the mailbox, valid until the next crossing.
  function callRaw(id, payload) {
    pos = 0; attachments = []; attachBytes = 0;
    room(payload.length);
    scratch.set(payload, 0);
    pos = payload.length;
    const rid = newRid();
    flush(OP_RAW_CALL, id, rid);
    callback();
    return loop(rid);
  }

  const internal = {
    define(name, id, raw) {
      services[name] = raw ? (payload) => callRaw(id, payload) : (...args) => call(id, args);
    },
    services,
    resume,
    // Set by a host that parks requests: runs other work until done() is true.
    parkHook: null,
    load(source) { return (0, eval)("(function (bridge) {\n" + source + "\n})")(internal); },
    byRef(v) { return new ByRef(v); },
    isPyObject(v) { return v instanceof PyObject; },
    // Buffers Python holds views of: page code can no longer detach them.
    pin(buffer) { Reflect_apply(WeakSet_add, pinned, [buffer]); return buffer; },
    isPinned(buffer) { return Reflect_apply(WeakSet_has, pinned, [buffer]); },
    handleCount() { return handles.size; },
    pyRefCount() { return pyrefs.size; },
    mailboxSize() { return sab.byteLength; },
    // Top-level entries used by Python outside of any served request.
    top: {
      mailbox: topSab,
      releases() { fromTop(); rp = HEADER; applyReleases(); },
      handleOf(code) {
        const value = (0, eval)(code);
        pos = 0; attachments = []; attachBytes = 0;
        put(new ByRef(value));
        flush(R_RET, 0);
        toTop();
        return 0;
      },
      grow(n) { growTop(n); return topSab.byteLength; },
      define(name, id, raw) { internal.define(name, id, raw); return 0; },
      load(source) { internal.load(source); return 0; },
      // Returns the buffer itself (Python makes its view of it) and leaves in the top mailbox
      // the owner to keep alive, the kind of buffer and its maximum length.
      pin(code) {
        const value = (0, eval)(code);
        let buf = value, kind, max = null;
        if (NativeMemory !== undefined && value instanceof NativeMemory) {
          buf = value.buffer; kind = "wasm";
        } else if (value instanceof SharedArrayBuffer) {
          kind = "sab"; max = value.growable ? value.maxByteLength : value.byteLength;
        } else if (value instanceof AB) {
          kind = value.resizable ? "resizable" : "fixed";
          max = value.resizable ? value.maxByteLength : value.byteLength;
        } else {
          throw new TypeError("bridge: not a buffer or WebAssembly.Memory");
        }
        if (buf instanceof AB) internal.pin(buf);
        pos = 0; attachments = []; attachBytes = 0;
        put([new ByRef(value), kind, max]);
        flush(R_RET, 0);
        toTop();
        return buf;
      },
      call() {
        fromTop();
        applyReleases();
        rp = HEADER;
        pos = 0;
        let op = R_RET;
        try {
          const [fn, thisArg, args] = get();
          const result = Reflect_apply(fn, thisArg, args);
          // The call may have crossed into Python: encoding starts afresh.
          pos = 0; attachments = []; attachBytes = 0;
          put(result);
        } catch (e) {
          pos = 0; attachments = []; attachBytes = 0;
          put(thrownInfo(e));
          op = R_THROW_JS;
        }
        flush(op, 0);
        toTop();
        return 0;
      },
    },
  };

  function guardTransfer(orig) {
    return {
      [orig.name](...args) {
        if (Reflect_apply(WeakSet_has, pinned, [this])) {
          throw new TypeError("Cannot transfer an ArrayBuffer that backs WebAssembly memory");
        }
        return Reflect_apply(orig, this, args);
      },
    }[orig.name];
  }
  Object.defineProperty(ABproto, "transfer", { value: guardTransfer(origTransfer), writable: true, configurable: true });
  const origResize = ABproto.resize;
  Object.defineProperty(ABproto, "resize", {
    value: function resize(n) {
      if (Reflect_apply(WeakSet_has, pinned, [this]) && n < this.byteLength) {
        throw new TypeError("Cannot shrink an ArrayBuffer that backs WebAssembly memory");
      }
      return Reflect_apply(origResize, this, [n]);
    },
    writable: true, configurable: true,
  });
  Object.defineProperty(ABproto, "transferToFixedLength", { value: guardTransfer(origTransferFixed), writable: true, configurable: true });

  return (cb) => {
    callback = cb;
    Object.defineProperty(globalThis, KEY, { value: internal, configurable: true });
    return sab;
  };
})
