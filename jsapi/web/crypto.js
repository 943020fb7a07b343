// crypto.getRandomValues and crypto.randomUUID (WebCrypto 10), drawing on Python's os.urandom
// through one bridge service; bytes are fetched a pool at a time to amortise the crossing.
"use strict";
const web = bridge.web;
const random = bridge.services["web.random"];
const KEY = Symbol("Crypto construction");
const POOL_SIZE = 4096;
const MAX_BYTES = 65536;
let pool = new Uint8Array(0);
let poolAt = 0;

function randomBytes(n) {
  if (n > POOL_SIZE) return random(n);
  if (poolAt + n > pool.length) {
    pool = random(POOL_SIZE);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}
web.randomBytes = randomBytes;

const INTEGER_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
  Int32Array, Uint32Array, BigInt64Array, BigUint64Array,
];
const TypedArray = Object.getPrototypeOf(Int8Array);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;

class Crypto {
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
  }
  getRandomValues(array) {
    if (this !== crypto) web.illegal();
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.");
    }
    if (!ArrayBuffer.isView(array)) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
    }
    const tag = typedArrayTag.call(array);
    if (tag === undefined || !INTEGER_ARRAYS.some((C) => C.name === tag)) {
      throw new web.DOMException(
        `Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is of type '${tag ?? "DataView"}', which is not an integer array type.`,
        "TypeMismatchError",
      );
    }
    const n = array.byteLength;
    if (n > MAX_BYTES) {
      throw new web.DOMException(
        `Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (${n}) exceeds the number of bytes of entropy available via this API (65536).`,
        "QuotaExceededError",
      );
    }
    new Uint8Array(array.buffer, array.byteOffset, n).set(randomBytes(n));
    return array;
  }
  randomUUID() {
    if (this !== crypto) web.illegal();
    const b = web.copyBytes(randomBytes(16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
web.idlClass(Crypto);
const crypto = new Crypto(KEY);
Object.defineProperty(web.global, "crypto", {
  get() {
    return crypto;
  },
  enumerable: true,
  configurable: true,
});
