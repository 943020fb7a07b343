// The "js-string" builtin set (JS String Builtins proposal): the functions a module compiled with
// {builtins: ["js-string"]} gets for its "wasm:js-string" imports.
"use strict";
const W = bridge.wasm;
const R = W.R;

const fromCharCode = String.fromCharCode;
const fromCodePoint = String.fromCodePoint;
const charCodeAt = String.prototype.charCodeAt;
const codePointAt = String.prototype.codePointAt;
const substring = String.prototype.substring;

const trap = () => new W.RuntimeError("illegal cast");
const str = (s) => {
  if (typeof s !== "string") throw trap();
  return s;
};
const builtins = {
  cast: (s) => str(s),
  test: (s) => (typeof s === "string" ? 1 : 0),
  fromCharCode: (c) => R.apply(fromCharCode, null, [c & 0xffff]),
  fromCodePoint: (c) => {
    const u = c >>> 0;
    if (u > 0x10ffff) throw trap();
    return R.apply(fromCodePoint, null, [u]);
  },
  charCodeAt: (s, i) => {
    s = str(s);
    const u = i >>> 0;
    if (u >= s.length) throw new W.RuntimeError("string offset out of bounds");
    return R.apply(charCodeAt, s, [u]);
  },
  codePointAt: (s, i) => {
    s = str(s);
    const u = i >>> 0;
    if (u >= s.length) throw new W.RuntimeError("string offset out of bounds");
    return R.apply(codePointAt, s, [u]);
  },
  length: (s) => str(s).length,
  concat: (a, b) => str(a) + str(b),
  substring: (s, start, end) => {
    s = str(s);
    const a = start >>> 0, b = end >>> 0;
    if (a > s.length || a > b) return "";
    return R.apply(substring, s, [a, b]);
  },
  equals: (a, b) => {
    if (a !== null && typeof a !== "string") throw trap();
    if (b !== null && typeof b !== "string") throw trap();
    return a === b ? 1 : 0;
  },
  compare: (a, b) => {
    a = str(a);
    b = str(b);
    return a < b ? -1 : a > b ? 1 : 0;
  },
};
W.jsStringBuiltin = (name) => {
  const f = builtins[name];
  if (f === undefined) throw new W.LinkError("unknown js-string builtin '" + name + "'");
  return f;
};
