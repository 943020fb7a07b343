// atob and btoa (HTML 8.3) over the forgiving-base64 algorithms (Infra 4.6).
"use strict";
const web = bridge.web;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// Returns a Uint8Array, or null on failure.
web.forgivingBase64Decode = function forgivingBase64Decode(data) {
  let s = data.replace(/[\t\n\f\r ]/g, "");
  if (s.length % 4 === 0) {
    if (s.endsWith("==")) s = s.slice(0, -2);
    else if (s.endsWith("=")) s = s.slice(0, -1);
  }
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) return null;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
};

web.base64Encode = function base64Encode(bytes) {
  let s = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i] << 16;
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + "==";
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + "=";
  }
  return s;
};

function btoa(data) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
  const s = web.toDOMString(data);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) {
      throw new web.DOMException(
        "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.",
        "InvalidCharacterError",
      );
    }
    bytes[i] = c;
  }
  return web.base64Encode(bytes);
}

function atob(data) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
  const bytes = web.forgivingBase64Decode(web.toDOMString(data));
  if (bytes === null) {
    throw new web.DOMException(
      "Failed to execute 'atob': The string to be decoded is not correctly encoded.",
      "InvalidCharacterError",
    );
  }
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return s;
}

// Global functions are enumerable properties of the global (WebIDL 3.7.6 operations).
for (const fn of [atob, btoa]) {
  Object.defineProperty(web.global, fn.name, { value: fn, writable: true, enumerable: true, configurable: true });
}
