// fetch() (Fetch 5.6) of local resources only: the page's own origin maps onto the served
// root, file: URLs inside the root, blob: URLs from the store and data: URLs. Anything else is a
// network error (a TypeError, as a browser reports one); the network is never touched. Python
// reads the files (one bridge service); the promise settles in a later microtask.
"use strict";
const web = bridge.web;
const P = web.urlParser;
const readFile = bridge.services["web.fetch"];

function networkError() {
  return new TypeError("Failed to fetch");
}

// Fetch 4.? "data: URL processor" with a simplified MIME type parse.
function processDataURL(record) {
  let input = P.serialize(record, true).slice(5);
  const comma = input.indexOf(",");
  if (comma < 0) return null;
  let mime = input.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
  let body = web.percentDecodeBytes(web.utf8Encode(input.slice(comma + 1)));
  const b64 = /;[\x20]*base64$/i;
  if (b64.test(mime)) {
    let s = "";
    for (let i = 0; i < body.length; i++) s += String.fromCharCode(body[i]);
    body = web.forgivingBase64Decode(s);
    if (body === null) return null;
    mime = mime.replace(b64, "");
  }
  if (mime.startsWith(";")) mime = "text/plain" + mime;
  return [serializeMime(mime), body];
}

function serializeMime(s) {
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[\t\n\r ]*(.*)$/s.exec(s);
  if (m === null) return "text/plain;charset=US-ASCII";
  let out = `${m[1]}/${m[2]}`.toLowerCase();
  for (const param of m[3].split(";").slice(1)) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1);
    if (name !== "" && value !== "" && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) out += `;${name}=${value}`;
  }
  return out;
}

function headersFor(type, length) {
  const list = [];
  if (type) list.push(["content-type", type]);
  list.push(["content-length", String(length)]);
  return list;
}

// The response for a request, or null for a network error.
function load(request) {
  const record = web.parseURL(request.url);
  const url = P.serialize(record, true);
  const head = request.method === "HEAD";
  const make = (status, text, type, bytes) =>
    web.makeResponse(status, text, headersFor(type, bytes.length), head ? new Uint8Array(0) : bytes, url);
  switch (record.scheme) {
    case "data": {
      const result = processDataURL(record);
      return result === null ? null : make(200, "OK", result[0], result[1]);
    }
    case "blob": {
      const blob = web.blobStore.get(url);
      if (blob === undefined || request.method !== "GET") return null;
      return make(200, "OK", web.blobType(blob), web.blobBytes(blob));
    }
    case "http":
    case "https":
    case "file": {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return record.scheme === "file" ? null : make(405, "Method Not Allowed", "text/plain", web.utf8Encode("405 Method Not Allowed"));
      }
      const reply = readFile(record.scheme, record.host ?? "", record.port, P.serializePath(record));
      if (reply === null) return null;
      const [status, text, type, bytes] = reply;
      return make(status, text, type, bytes);
    }
  }
  return null;
}

function fetch(input, init = undefined) {
  return new Promise((resolve, reject) => {
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'fetch' on 'Window': 1 argument required, but only 0 present.");
    }
    const request = new web.global.Request(input, init);
    const signal = request.signal;
    if (web.signalAborted(signal)) {
      reject(web.signalReason(signal));
      return;
    }
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(web.signalReason(signal));
    };
    web.signalAddAlgorithm(signal, onAbort);
    web.microtask(() => {
      if (settled) return;
      let response;
      try {
        response = load({ url: request.url, method: request.method });
      } catch {
        response = null;
      }
      settled = true;
      web.signalRemoveAlgorithm(signal, onAbort);
      if (response === null) reject(networkError());
      else resolve(response);
    });
  });
}
Object.defineProperty(web.global, "fetch", { value: fetch, writable: true, enumerable: true, configurable: true });
