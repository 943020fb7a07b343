// URLSearchParams (URL 6.2) and the application/x-www-form-urlencoded parser and serializer
// (URL 5), with the percent-encoding sets of URL 1.3 that url.js also uses.
"use strict";
const web = bridge.web;

const inRange = (c, lo, hi) => c >= lo && c <= hi;
const C0 = (c) => c < 0x20 || c > 0x7e;
const FRAGMENT = (c) => C0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const QUERY = (c) => C0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const SPECIAL_QUERY = (c) => QUERY(c) || c === 0x27;
const PATH = (c) => QUERY(c) || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7d;
const USERINFO = (c) =>
  PATH(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 || inRange(c, 0x5b, 0x5e) || c === 0x7c;
const COMPONENT = (c) => USERINFO(c) || inRange(c, 0x24, 0x26) || c === 0x2b || c === 0x2c;
const FORM = (c) => COMPONENT(c) || c === 0x21 || inRange(c, 0x27, 0x29) || c === 0x7e;
web.encodeSets = { C0, FRAGMENT, QUERY, SPECIAL_QUERY, PATH, USERINFO, COMPONENT, FORM };

const HEX = "0123456789ABCDEF";
// URL 1.3 "percent-encode after encoding" with UTF-8; spaceAsPlus for the form serializer.
web.percentEncode = function percentEncode(s, inSet, spaceAsPlus = false) {
  let out = "";
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || inSet(c) || (spaceAsPlus && c === 0x20)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  const bytes = web.utf8Encode(s.toWellFormed());
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (spaceAsPlus && b === 0x20) out += "+";
    else if (b >= 0x80 || inSet(b)) out += "%" + HEX[b >> 4] + HEX[b & 15];
    else out += String.fromCharCode(b);
  }
  return out;
};

const isHex = (c) => inRange(c, 0x30, 0x39) || inRange(c, 0x41, 0x46) || inRange(c, 0x61, 0x66);
// URL 1.3 "percent-decode" of a byte sequence.
web.percentDecodeBytes = function percentDecodeBytes(bytes) {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
      i += 2;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
};
web.percentDecodeString = (s) => web.utf8Decode(web.percentDecodeBytes(web.utf8Encode(s)));

// URL 5.1 parser: a list of name-value pairs.
web.parseUrlencoded = function parseUrlencoded(input) {
  const list = [];
  for (const sequence of input.split("&")) {
    if (sequence === "") continue;
    const eq = sequence.indexOf("=");
    const name = eq < 0 ? sequence : sequence.slice(0, eq);
    const value = eq < 0 ? "" : sequence.slice(eq + 1);
    list.push([decodeForm(name), decodeForm(value)]);
  }
  return list;
};
function decodeForm(s) {
  const plus = s.replace(/\+/g, " ");
  return plus.includes("%") ? web.percentDecodeString(plus) : plus;
}
web.serializeUrlencoded = function serializeUrlencoded(list) {
  return list.map(([n, v]) => web.percentEncode(n, FORM, true) + "=" + web.percentEncode(v, FORM, true)).join("&");
};

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

class URLSearchParams {
  #list = [];
  #url = null; // the URL object whose query this list mirrors (URL 6.2 "URL object")
  constructor(init = "") {
    if (web.isObject(init)) {
      const iter = init[Symbol.iterator];
      if (iter !== undefined) {
        if (typeof iter !== "function") throw new TypeError("Failed to construct 'URLSearchParams': The object must have a callable @@iterator property.");
        for (const pair of init) {
          if (!web.isObject(pair) || typeof pair[Symbol.iterator] !== "function") {
            throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
          }
          const p = Array.from(pair);
          if (p.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
          this.#list.push([web.toUSVString(p[0]), web.toUSVString(p[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          const d = Reflect.getOwnPropertyDescriptor(init, key);
          if (d === undefined || !d.enumerable) continue;
          if (typeof key === "symbol") throw new TypeError("Cannot convert a Symbol value to a string");
          this.#list.push([web.toUSVString(key), web.toUSVString(init[key])]);
        }
      }
    } else {
      let s = web.toUSVString(init);
      if (s.startsWith("?")) s = s.slice(1);
      this.#list = web.parseUrlencoded(s);
    }
  }
  #update() {
    if (this.#url !== null) web.urlSetQueryFromParams(this.#url, this.#list.length ? web.serializeUrlencoded(this.#list) : null);
  }
  get size() {
    return this.#list.length;
  }
  append(name, value) {
    if (arguments.length < 2) throw new TypeError("Failed to execute 'append' on 'URLSearchParams': 2 arguments required.");
    this.#list.push([web.toUSVString(name), web.toUSVString(value)]);
    this.#update();
  }
  delete(name, value = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'delete' on 'URLSearchParams': 1 argument required.");
    const n = web.toUSVString(name);
    const v = value === undefined ? undefined : web.toUSVString(value);
    this.#list = this.#list.filter(([k, x]) => !(k === n && (v === undefined || x === v)));
    this.#update();
  }
  get(name) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'get' on 'URLSearchParams': 1 argument required.");
    const n = web.toUSVString(name);
    const e = this.#list.find(([k]) => k === n);
    return e === undefined ? null : e[1];
  }
  getAll(name) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'getAll' on 'URLSearchParams': 1 argument required.");
    const n = web.toUSVString(name);
    return this.#list.filter(([k]) => k === n).map(([, v]) => v);
  }
  has(name, value = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'has' on 'URLSearchParams': 1 argument required.");
    const n = web.toUSVString(name);
    const v = value === undefined ? undefined : web.toUSVString(value);
    return this.#list.some(([k, x]) => k === n && (v === undefined || x === v));
  }
  set(name, value) {
    if (arguments.length < 2) throw new TypeError("Failed to execute 'set' on 'URLSearchParams': 2 arguments required.");
    const n = web.toUSVString(name);
    const v = web.toUSVString(value);
    const i = this.#list.findIndex(([k]) => k === n);
    if (i < 0) this.#list.push([n, v]);
    else {
      this.#list[i][1] = v;
      this.#list = this.#list.filter(([k], j) => j <= i || k !== n);
    }
    this.#update();
  }
  sort() {
    // Array.prototype.sort is stable and compares code units, as URL 6.2 requires.
    this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#update();
  }
  toString() {
    return web.serializeUrlencoded(this.#list);
  }
  forEach(callback, thisArg = undefined) {
    web.callbackFunction(callback, "Failed to execute 'forEach' on 'URLSearchParams': parameter 1");
    for (let i = 0; i < this.#list.length; i++) {
      const [k, v] = this.#list[i];
      callback.call(thisArg, v, k, this);
    }
  }
  entries() {
    return makeIterator(this, "entries");
  }
  keys() {
    return makeIterator(this, "keys");
  }
  values() {
    return makeIterator(this, "values");
  }
  static {
    web.paramsList = (p) => p.#list;
    web.newParams = (url, query) => {
      const p = new URLSearchParams(query ?? "");
      p.#url = url;
      return p;
    };
    web.paramsReplace = (p, query) => {
      p.#list = query === null ? [] : web.parseUrlencoded(query);
    };
  }
}
web.idlClass(URLSearchParams);
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries,
  writable: true,
  enumerable: false,
  configurable: true,
});

// WebIDL 3.7.10.1: default iterator objects over the live list.
const ParamsIteratorPrototype = Object.create(IteratorPrototype);
const iterState = new WeakMap();
Object.defineProperty(ParamsIteratorPrototype, "next", {
  value: function next() {
    const st = iterState.get(this);
    if (st === undefined) web.illegal();
    const list = web.paramsList(st.target);
    if (st.index >= list.length) return { value: undefined, done: true };
    const [k, v] = list[st.index++];
    return { value: st.kind === "keys" ? k : st.kind === "values" ? v : [k, v], done: false };
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
Object.defineProperty(ParamsIteratorPrototype, Symbol.toStringTag, {
  value: "URLSearchParams Iterator",
  configurable: true,
});
function makeIterator(target, kind) {
  web.paramsList(target);
  const it = Object.create(ParamsIteratorPrototype);
  iterState.set(it, { target, kind, index: 0 });
  return it;
}
