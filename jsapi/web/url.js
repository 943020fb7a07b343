// The URL interface (URL 6.1) over the parser of url_parser.js, with the live URLSearchParams
// binding, and URL.createObjectURL/revokeObjectURL (File API 8) over the blob URL store.
"use strict";
const web = bridge.web;
const P = web.urlParser;
const FAIL = P.FAIL;

function parseWithBase(url, base) {
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = P.basicParse(web.toUSVString(base));
    if (baseRecord === FAIL) return FAIL;
  }
  return P.basicParse(web.toUSVString(url), baseRecord);
}

function stripTrailingSpaces(u) {
  // URL 4.2 "potentially strip trailing spaces from an opaque path".
  if (!P.hasOpaquePath(u) || u.fragment !== null || u.query !== null) return;
  u.path = u.path.replace(/ +$/, "");
}

const cannotHaveCredentialsOrPort = (u) => u.host === null || u.host === "" || u.scheme === "file";

class URL {
  #u;
  #params;
  constructor(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    const record = parseWithBase(url, base);
    if (record === FAIL) {
      throw new TypeError(`Failed to construct 'URL': Invalid URL`);
    }
    this.#u = record;
    this.#params = web.newParams(this, record.query);
  }
  static parse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'parse' on 'URL': 1 argument required.");
    const record = parseWithBase(url, base);
    if (record === FAIL) return null;
    const out = new URL("about:blank");
    return web.urlInit(out, record);
  }
  static canParse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'canParse' on 'URL': 1 argument required.");
    return parseWithBase(url, base) !== FAIL;
  }
  get href() {
    return P.serialize(this.#u);
  }
  set href(value) {
    const record = P.basicParse(web.toUSVString(value));
    if (record === FAIL) throw new TypeError(`Failed to set the 'href' property on 'URL': Invalid URL`);
    this.#u = record;
    web.paramsReplace(this.#params, record.query);
  }
  get origin() {
    return P.origin(this.#u);
  }
  get protocol() {
    return this.#u.scheme + ":";
  }
  set protocol(value) {
    P.basicParse(web.toUSVString(value) + ":", null, this.#u, "scheme start");
  }
  get username() {
    return this.#u.username;
  }
  set username(value) {
    const u = this.#u;
    const v = web.toUSVString(value);
    if (cannotHaveCredentialsOrPort(u)) return;
    u.username = web.percentEncode(v, web.encodeSets.USERINFO);
  }
  get password() {
    return this.#u.password;
  }
  set password(value) {
    const u = this.#u;
    const v = web.toUSVString(value);
    if (cannotHaveCredentialsOrPort(u)) return;
    u.password = web.percentEncode(v, web.encodeSets.USERINFO);
  }
  get host() {
    const u = this.#u;
    if (u.host === null) return "";
    return u.port === null ? u.host : u.host + ":" + u.port;
  }
  set host(value) {
    const v = web.toUSVString(value);
    if (P.hasOpaquePath(this.#u)) return;
    P.basicParse(v, null, this.#u, "host");
  }
  get hostname() {
    return this.#u.host ?? "";
  }
  set hostname(value) {
    const v = web.toUSVString(value);
    if (P.hasOpaquePath(this.#u)) return;
    P.basicParse(v, null, this.#u, "hostname");
  }
  get port() {
    return this.#u.port === null ? "" : String(this.#u.port);
  }
  set port(value) {
    const u = this.#u;
    const v = web.toUSVString(value);
    if (cannotHaveCredentialsOrPort(u)) return;
    if (v === "") u.port = null;
    else P.basicParse(v, null, u, "port");
  }
  get pathname() {
    return P.serializePath(this.#u);
  }
  set pathname(value) {
    const u = this.#u;
    const v = web.toUSVString(value);
    if (P.hasOpaquePath(u)) return;
    u.path = [];
    P.basicParse(v, null, u, "path start");
  }
  get search() {
    const q = this.#u.query;
    return q === null || q === "" ? "" : "?" + q;
  }
  set search(value) {
    const u = this.#u;
    let v = web.toUSVString(value);
    if (v === "") {
      u.query = null;
      web.paramsReplace(this.#params, null);
      stripTrailingSpaces(u);
      return;
    }
    if (v.startsWith("?")) v = v.slice(1);
    u.query = "";
    P.basicParse(v, null, u, "query");
    web.paramsReplace(this.#params, v);
  }
  get searchParams() {
    return this.#params;
  }
  get hash() {
    const f = this.#u.fragment;
    return f === null || f === "" ? "" : "#" + f;
  }
  set hash(value) {
    const u = this.#u;
    let v = web.toUSVString(value);
    if (v === "") {
      u.fragment = null;
      stripTrailingSpaces(u);
      return;
    }
    if (v.startsWith("#")) v = v.slice(1);
    u.fragment = "";
    P.basicParse(v, null, u, "fragment");
  }
  toJSON() {
    return P.serialize(this.#u);
  }
  toString() {
    return P.serialize(this.#u);
  }
  static {
    web.urlInit = (target, record) => {
      target.#u = record;
      target.#params = web.newParams(target, record.query);
      return target;
    };
    web.urlRecord = (url) => url.#u;
    web.isURL = (v) => web.isObject(v) && #u in v;
    // URL 6.2 "update steps" of the URLSearchParams bound to a URL.
    web.urlSetQueryFromParams = (url, query) => {
      url.#u.query = query;
      if (query === null) stripTrailingSpaces(url.#u);
    };
  }
}
web.idlClass(URL);
// toString is a stringifier: it stays a method with the href getter's behaviour.
web.parseURL = (input, base) => parseWithBase(input, base);

// ---- blob URL store (File API 8.3) -----------------------------------------------------------
const blobStore = new Map(); // serialized blob URL without fragment -> Blob
web.blobStore = blobStore;
Object.defineProperty(URL, "createObjectURL", {
  value: function createObjectURL(obj) {
    if (!web.isBlob(obj)) {
      throw new TypeError("Failed to execute 'createObjectURL' on 'URL': Overload resolution failed.");
    }
    const url = "blob:" + web.config.origin + "/" + web.global.crypto.randomUUID();
    blobStore.set(url, obj);
    return url;
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
Object.defineProperty(URL, "revokeObjectURL", {
  value: function revokeObjectURL(url) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'revokeObjectURL' on 'URL': 1 argument required.");
    const record = P.basicParse(web.toUSVString(url));
    if (record === FAIL || record.scheme !== "blob") return;
    blobStore.delete(P.serialize(record, true));
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
