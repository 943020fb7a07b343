// Headers (Fetch 5.2), Request and Response (Fetch 5.4-5.5) with the Body mixin over bytes held
// in JS. There is no ReadableStream in this host, so bodies are whole byte sequences: `body`
// (the stream) is not provided; arrayBuffer/bytes/blob/json/text are.
"use strict";
const web = bridge.web;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NULL_BODY_STATUS = [101, 103, 204, 205, 304];
const REDIRECT_STATUS = [301, 302, 303, 307, 308];

function normalizeValue(v) {
  return web.toByteString(v).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}
function checkHeader(name, value, what) {
  if (!TOKEN.test(name)) throw new TypeError(`Failed to execute '${what}' on 'Headers': Invalid name`);
  if (/[\0\n\r]/.test(value)) throw new TypeError(`Failed to execute '${what}' on 'Headers': Invalid value`);
}

class Headers {
  #list = []; // [lowercased name, value]
  #guard = "none";
  constructor(init = undefined) {
    if (init !== undefined) fillHeaders(this, init);
  }
  #mutable(what) {
    if (this.#guard === "immutable") throw new TypeError(`Failed to execute '${what}' on 'Headers': Headers are immutable`);
  }
  append(name, value) {
    if (arguments.length < 2) throw new TypeError("Failed to execute 'append' on 'Headers': 2 arguments required.");
    const n = web.toByteString(name);
    const v = normalizeValue(value);
    checkHeader(n, v, "append");
    this.#mutable("append");
    this.#list.push([n.toLowerCase(), v]);
  }
  delete(name) {
    const n = web.toByteString(name);
    if (!TOKEN.test(n)) throw new TypeError("Failed to execute 'delete' on 'Headers': Invalid name");
    this.#mutable("delete");
    const key = n.toLowerCase();
    this.#list = this.#list.filter(([k]) => k !== key);
  }
  get(name) {
    const n = web.toByteString(name);
    if (!TOKEN.test(n)) throw new TypeError("Failed to execute 'get' on 'Headers': Invalid name");
    const key = n.toLowerCase();
    const values = this.#list.filter(([k]) => k === key).map(([, v]) => v);
    return values.length === 0 ? null : values.join(", ");
  }
  getSetCookie() {
    return this.#list.filter(([k]) => k === "set-cookie").map(([, v]) => v);
  }
  has(name) {
    const n = web.toByteString(name);
    if (!TOKEN.test(n)) throw new TypeError("Failed to execute 'has' on 'Headers': Invalid name");
    const key = n.toLowerCase();
    return this.#list.some(([k]) => k === key);
  }
  set(name, value) {
    if (arguments.length < 2) throw new TypeError("Failed to execute 'set' on 'Headers': 2 arguments required.");
    const n = web.toByteString(name);
    const v = normalizeValue(value);
    checkHeader(n, v, "set");
    this.#mutable("set");
    const key = n.toLowerCase();
    const i = this.#list.findIndex(([k]) => k === key);
    if (i < 0) this.#list.push([key, v]);
    else {
      this.#list[i] = [key, v];
      this.#list = this.#list.filter(([k], j) => j <= i || k !== key);
    }
  }
  forEach(callback, thisArg = undefined) {
    web.callbackFunction(callback, "Failed to execute 'forEach' on 'Headers': parameter 1");
    for (const [k, v] of sortAndCombine(this.#list)) callback.call(thisArg, v, k, this);
  }
  *entries() {
    yield* sortAndCombine(this.#list);
  }
  *keys() {
    for (const [k] of sortAndCombine(this.#list)) yield k;
  }
  *values() {
    for (const [, v] of sortAndCombine(this.#list)) yield v;
  }
  static {
    web.headersList = (h) => h.#list;
    web.headersGuard = (h, guard) => {
      h.#guard = guard;
      return h;
    };
  }
}
web.idlClass(Headers);
Object.defineProperty(Headers.prototype, Symbol.iterator, {
  value: Headers.prototype.entries,
  writable: true,
  enumerable: false,
  configurable: true,
});

// Fetch 5.2 "sort and combine".
function sortAndCombine(list) {
  const names = [...new Set(list.map(([k]) => k))].sort();
  const out = [];
  for (const n of names) {
    const values = list.filter(([k]) => k === n).map(([, v]) => v);
    if (n === "set-cookie") for (const v of values) out.push([n, v]);
    else out.push([n, values.join(", ")]);
  }
  return out;
}

function fillHeaders(h, init) {
  if (!web.isObject(init)) throw new TypeError("Failed to construct 'Headers': The provided value is not of type 'HeadersInit'.");
  if (typeof init[Symbol.iterator] === "function") {
    for (const pair of init) {
      const p = Array.from(pair);
      if (p.length !== 2) throw new TypeError("Failed to construct 'Headers': Invalid value");
      h.append(p[0], p[1]);
    }
  } else {
    for (const key of Reflect.ownKeys(init)) {
      const d = Reflect.getOwnPropertyDescriptor(init, key);
      if (d === undefined || !d.enumerable) continue;
      h.append(key, init[key]);
    }
  }
}

// Fetch 5.1 "extract a body": [bytes, content type or null].
function extractBody(body) {
  if (web.isBlob(body)) return [web.blobBytes(body), web.blobType(body) || null];
  const view = web.bufferSourceBytes(body);
  if (view !== null) return [web.copyBytes(view), null];
  if (web.isObject(body) && web.paramsList && body instanceof web.global.URLSearchParams) {
    return [web.utf8Encode(body.toString()), "application/x-www-form-urlencoded;charset=UTF-8"];
  }
  return [web.utf8Encode(web.toUSVString(body)), "text/plain;charset=UTF-8"];
}

// The Body mixin (Fetch 5.3), over a {bytes, used} state in the object's slot.
function consume(state, headers, kind) {
  if (state.used) return Promise.reject(new TypeError(`Failed to execute '${kind}': body stream already read`));
  const bytes = state.bytes ?? new Uint8Array(0);
  if (state.bytes !== null) state.used = true;
  return Promise.resolve().then(() => {
    switch (kind) {
      case "arrayBuffer": return web.copyBytes(bytes).buffer;
      case "bytes": return web.copyBytes(bytes);
      case "text": return web.utf8Decode(bytes);
      case "json": return JSON.parse(web.utf8Decode(bytes));
      case "blob": {
        const type = headers.get("content-type") ?? "";
        return web.makeBlob(bytes, /[^\x20-\x7e]/.test(type) ? "" : type.toLowerCase());
      }
    }
  });
}

// Includes the Body mixin in an interface: `bodyUsed` and the five readers, over the
// [state, headers] that `bodyOf` reads from an object's slots (a TypeError for other objects).
function includeBody(C, bodyOf) {
  const get = { get bodyUsed() { return bodyOf(this)[0].used; } };
  Object.defineProperty(C.prototype, "bodyUsed", Object.getOwnPropertyDescriptor(get, "bodyUsed"));
  for (const kind of ["arrayBuffer", "blob", "bytes", "json", "text"]) {
    const method = { [kind]() { const [state, headers] = bodyOf(this); return consume(state, headers, kind); } }[kind];
    Object.defineProperty(C.prototype, kind, { value: method, writable: true, configurable: true });
  }
}

class Response {
  #state;
  #headers;
  constructor(body = null, init = undefined) {
    const o = web.dictionary(init, "ResponseInit");
    const status = o.status === undefined ? 200 : web.toUnsignedLong(o.status, { enforce: false }) & 0xffff;
    if (status < 200 || status > 599) {
      throw new RangeError(`Failed to construct 'Response': The status provided (${status}) is outside the range [200, 599].`);
    }
    const statusText = o.statusText === undefined ? "" : web.toByteString(o.statusText);
    if (/[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError("Failed to construct 'Response': Invalid statusText");
    this.#headers = new Headers(o.headers);
    web.headersGuard(this.#headers, "response");
    this.#state = { type: "default", status, statusText, url: "", redirected: false, bytes: null, used: false };
    if (body !== null && body !== undefined) {
      if (NULL_BODY_STATUS.includes(status)) {
        throw new TypeError("Failed to construct 'Response': Response with null body status cannot have body");
      }
      const [bytes, type] = extractBody(body);
      this.#state.bytes = bytes;
      if (type !== null && !this.#headers.has("content-type")) this.#headers.append("content-type", type);
    }
  }
  static error() {
    const r = new Response();
    Object.assign(r.#state, { type: "error", status: 0 });
    web.headersGuard(r.#headers, "immutable");
    return r;
  }
  static redirect(url, status = 302) {
    const parsed = web.parseURL(url, web.config.pageUrl);
    if (parsed === null) throw new TypeError("Failed to execute 'redirect' on 'Response': Invalid URL");
    const s = web.toUnsignedLong(status) & 0xffff;
    if (!REDIRECT_STATUS.includes(s)) throw new RangeError("Failed to execute 'redirect' on 'Response': Invalid status code");
    const r = new Response(null, { status: s });
    r.#headers.set("location", web.urlParser.serialize(parsed));
    web.headersGuard(r.#headers, "immutable");
    return r;
  }
  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': The data is not JSON serializable");
    const r = new Response(text, init);
    r.#headers.set("content-type", "application/json");
    return r;
  }
  get type() {
    return this.#state.type;
  }
  get url() {
    return this.#state.url;
  }
  get redirected() {
    return this.#state.redirected;
  }
  get status() {
    return this.#state.status;
  }
  get ok() {
    return this.#state.status >= 200 && this.#state.status <= 299;
  }
  get statusText() {
    return this.#state.statusText;
  }
  get headers() {
    return this.#headers;
  }
  clone() {
    if (this.#state.used) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
    const r = new Response();
    r.#state = { ...this.#state };
    for (const [k, v] of web.headersList(this.#headers)) web.headersList(r.#headers).push([k, v]);
    return r;
  }
  static {
    includeBody(Response, (r) => [r.#state, r.#headers]);
    // A response produced by fetch: [status, statusText, [[name, value]...], bytes, url].
    web.makeResponse = (status, statusText, headers, bytes, url) => {
      const r = new Response();
      Object.assign(r.#state, { type: "basic", status, statusText, url, bytes });
      for (const [k, v] of headers) web.headersList(r.#headers).push([k, v]);
      web.headersGuard(r.#headers, "immutable");
      return r;
    };
  }
}
web.idlClass(Response);

const signalAny = web.global.AbortSignal.any.bind(web.global.AbortSignal);
const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

class Request {
  #state;
  #headers;
  #signal;
  constructor(input, init = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    const o = web.dictionary(init, "RequestInit");
    let url;
    let method = "GET";
    let headersInit;
    let bytes = null;
    let signal = null;
    if (web.isObject(input) && #state in input) {
      if (input.#state.used) throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.");
      url = input.#state.url;
      method = input.#state.method;
      headersInit = web.headersList(input.#headers).map(([k, v]) => [k, v]);
      bytes = input.#state.bytes;
      signal = input.#signal;
    } else {
      const parsed = web.parseURL(web.toUSVString(input), web.config.pageUrl);
      if (parsed === null) throw new TypeError(`Failed to construct 'Request': Failed to parse URL from ${input}`);
      if (web.urlParser.includesCredentials(parsed)) {
        throw new TypeError(`Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials: ${input}`);
      }
      url = web.urlParser.serialize(parsed);
    }
    if (o.method !== undefined) {
      const m = web.toByteString(o.method);
      if (!TOKEN.test(m)) throw new TypeError(`Failed to construct 'Request': '${m}' is not a valid HTTP method.`);
      const upper = m.toUpperCase();
      if (["CONNECT", "TRACE", "TRACK"].includes(upper)) {
        throw new TypeError(`Failed to construct 'Request': '${m}' HTTP method is unsupported.`);
      }
      method = METHODS.includes(upper) ? upper : m;
    }
    if (o.signal !== undefined && o.signal !== null) {
      if (!web.isAbortSignal(o.signal)) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      signal = o.signal;
    }
    // The request's signal follows the given one (Fetch 5.4 step 29-30).
    this.#signal = signal === null ? web.newAbortSignal() : signalAny([signal]);
    this.#headers = new Headers(o.headers !== undefined ? o.headers : headersInit);
    web.headersGuard(this.#headers, "request");
    if (o.body !== undefined && o.body !== null) {
      if (method === "GET" || method === "HEAD") {
        throw new TypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
      }
      const [b, type] = extractBody(o.body);
      bytes = b;
      if (type !== null && !this.#headers.has("content-type")) this.#headers.append("content-type", type);
    }
    this.#state = { url, method, bytes, used: false };
  }
  get method() {
    return this.#state.method;
  }
  get url() {
    return this.#state.url;
  }
  get headers() {
    return this.#headers;
  }
  get signal() {
    return this.#signal;
  }
  clone() {
    if (this.#state.used) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
    return new Request(this);
  }
  static {
    includeBody(Request, (r) => [r.#state, r.#headers]);
    web.requestState = (r) => (web.isObject(r) && #state in r ? r.#state : null);
  }
}
web.idlClass(Request);
