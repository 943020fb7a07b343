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
const arrayOf = (a) => {
  const py = W.isObject(a) ? W.pyOf.get(a) : undefined;
  if (py === undefined) throw trap();
  return py;
};
const builtins = {
  fromCharCodeArray: (array, start, end) => {
    if (array === null) throw new W.RuntimeError("null array reference");
    const codes = W.S["wasm.arrayRead"](arrayOf(array), start >>> 0, end >>> 0);
    let out = "";
    for (let i = 0; i < codes.length; i += 4096) out += R.apply(fromCharCode, null, codes.slice(i, i + 4096));
    return out;
  },
  intoCharCodeArray: (s, array, start) => {
    s = str(s);
    if (array === null) throw new W.RuntimeError("null array reference");
    const codes = new Array(s.length);
    for (let i = 0; i < s.length; i++) codes[i] = R.apply(charCodeAt, s, [i]);
    return W.S["wasm.arrayWrite"](arrayOf(array), start >>> 0, codes);
  },
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
