// Blob and File (File API 3-4): immutable bytes with a MIME type. The bytes live in JS; fetch
// reads blob: URLs from the store URL.createObjectURL fills (see url.js).
"use strict";
const web = bridge.web;
const decoder = new web.global.TextDecoder();
web.utf8Decode = (bytes) => decoder.decode(bytes);

// File API 3.1: a type with anything outside U+0020-U+007E is the empty string, else lowercased.
function normalizeType(t) {
  const s = web.toDOMString(t);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return "";
  }
  return s.toLowerCase();
}

// File API 3.1.1 "process blob parts".
function processParts(parts, endings) {
  if (parts === undefined) return new Uint8Array(0);
  if (!web.isObject(parts) || typeof parts[Symbol.iterator] !== "function") {
    throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
  }
  const chunks = [];
  let total = 0;
  for (const part of parts) {
    let bytes;
    if (web.isBlob(part)) bytes = web.blobBytes(part);
    else {
      const view = web.bufferSourceBytes(part);
      if (view !== null) bytes = web.copyBytes(view);
      else {
        let s = web.toUSVString(part);
        if (endings === "native") s = s.replace(/\r\n|\r/g, "\n");
        bytes = web.utf8Encode(s);
      }
    }
    chunks.push(bytes);
    total += bytes.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function blobOptions(options, what) {
  const o = web.dictionary(options, what);
  const endings = o.endings === undefined ? "transparent" : web.toDOMString(o.endings);
  if (endings !== "transparent" && endings !== "native") {
    throw new TypeError(`Failed to construct '${what}': The provided value '${endings}' is not a valid enum value of type EndingType.`);
  }
  return { type: o.type === undefined ? "" : normalizeType(o.type), endings, o };
}

// Relative slice positions (File API 3.3.1).
function relative(v, size) {
  if (v === undefined) return undefined;
  const n = web.toLongLong(v);
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

class Blob {
  #bytes;
  #type;
  constructor(blobParts = undefined, options = undefined) {
    const { type, endings } = blobOptions(options, "BlobPropertyBag");
    this.#bytes = processParts(blobParts, endings);
    this.#type = type;
  }
  get size() {
    return this.#bytes.length;
  }
  get type() {
    return this.#type;
  }
  slice(start = undefined, end = undefined, contentType = undefined) {
    const size = this.#bytes.length;
    const from = relative(start, size) ?? 0;
    const to = relative(end, size) ?? size;
    const type = contentType === undefined ? "" : normalizeType(contentType);
    return web.makeBlob(this.#bytes.subarray(from, Math.max(from, to)), type);
  }
  text() {
    const bytes = this.#bytes;
    return Promise.resolve().then(() => web.utf8Decode(bytes));
  }
  arrayBuffer() {
    const bytes = this.#bytes;
    return Promise.resolve().then(() => web.copyBytes(bytes).buffer);
  }
  bytes() {
    const bytes = this.#bytes;
    return Promise.resolve().then(() => web.copyBytes(bytes));
  }
  static {
    web.isBlob = (v) => web.isObject(v) && #bytes in v;
    web.blobBytes = (b) => b.#bytes;
    web.blobType = (b) => b.#type;
    // A Blob over bytes the caller will never change, without copying them again.
    web.setBlob = (b, bytes, type) => {
      b.#bytes = bytes;
      b.#type = type;
      return b;
    };
    web.makeBlob = (bytes, type) => web.setBlob(new Blob(), bytes, type);
  }
}
if (typeof web.global.ReadableStream === "function") {
  Blob.prototype.stream = function stream() {
    const bytes = web.blobBytes(this);
    return new web.global.ReadableStream({
      type: "bytes",
      start(controller) {
        if (bytes.length) controller.enqueue(web.copyBytes(bytes));
        controller.close();
      },
    });
  };
}
web.idlClass(Blob);

class File extends Blob {
  #name;
  #lastModified;
  constructor(fileBits, fileName, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
    }
    super(fileBits, options);
    const o = web.dictionary(options, "FilePropertyBag");
    this.#name = web.toUSVString(fileName);
    this.#lastModified = o.lastModified === undefined ? Date.now() : web.toLongLong(o.lastModified);
  }
  get name() {
    return this.#name;
  }
  get lastModified() {
    return this.#lastModified;
  }
  static {
    web.isFile = (v) => web.isObject(v) && #name in v;
    web.fileInfo = (f) => [f.#name, f.#lastModified];
    web.makeFile = (bytes, type, name, lastModified) => {
      const f = new File([], name, { lastModified });
      web.setBlob(f, bytes, type);
      return f;
    };
  }
}
web.idlClass(File);
