// TextEncoder and TextDecoder (WHATWG Encoding): UTF-8 and UTF-16LE/BE, with the standard's
// decoders so that malformed input yields the same replacement characters a browser produces.
"use strict";
const web = bridge.web;

const LABELS = new Map();
for (const l of ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]) {
  LABELS.set(l, "utf-8");
}
for (const l of ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]) {
  LABELS.set(l, "utf-16le");
}
for (const l of ["unicodefffe", "utf-16be"]) LABELS.set(l, "utf-16be");

// Encoding 4.2: labels are matched after stripping ASCII whitespace, case-insensitively.
function getEncoding(label) {
  const key = label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "").toLowerCase();
  return LABELS.get(key) ?? null;
}

// ---- UTF-8 encoding -------------------------------------------------------------------------
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// Writes s[from..] into out[at..] while whole characters fit; returns [read, written].
function utf8Write(s, out, at, from = 0) {
  const start = at;
  let i = from;
  const end = out.length;
  for (; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (at >= end) break;
      out[at++] = c;
      continue;
    }
    if (c < 0x800) {
      if (at + 2 > end) break;
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const d = c < 0xdc00 && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d < 0xe000) {
        if (at + 4 > end) break;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[at++] = 0xf0 | (c >> 18);
        out[at++] = 0x80 | ((c >> 12) & 63);
        out[at++] = 0x80 | ((c >> 6) & 63);
        out[at++] = 0x80 | (c & 63);
        i++;
        continue;
      }
      c = 0xfffd; // a lone surrogate: USVString conversion replaces it
    }
    if (at + 3 > end) break;
    out[at++] = 0xe0 | (c >> 12);
    out[at++] = 0x80 | ((c >> 6) & 63);
    out[at++] = 0x80 | (c & 63);
  }
  return [i - from, at - start];
}

web.utf8Encode = function utf8Encode(s) {
  const out = new Uint8Array(utf8Length(s));
  utf8Write(s, out, 0);
  return out;
};

class TextEncoder {
  #brand = true;
  constructor() {}
  get encoding() {
    this.#brand;
    return "utf-8";
  }
  encode(input = "") {
    this.#brand;
    return web.utf8Encode(web.toUSVString(input));
  }
  encodeInto(source, destination) {
    this.#brand;
    if (arguments.length < 2) throw new TypeError("encodeInto requires 2 arguments");
    const s = web.toUSVString(source);
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto': parameter 2 is not of type 'Uint8Array'");
    }
    const [read, written] = utf8Write(s, destination, 0);
    return { read, written };
  }
}
web.idlClass(TextEncoder);

// ---- decoders (Encoding 8.1.1 and 14.2.1) ---------------------------------------------------
const ERROR = -1;

class Utf8Decoder {
  cp = 0;
  needed = 0;
  seen = 0;
  lower = 0x80;
  upper = 0xbf;
  // Pushes code points into out; returns false if byte must be processed again.
  handle(b, out) {
    if (this.needed === 0) {
      if (b < 0x80) out.push(b);
      else if (b >= 0xc2 && b <= 0xdf) {
        this.needed = 1;
        this.cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) this.lower = 0xa0;
        if (b === 0xed) this.upper = 0x9f;
        this.needed = 2;
        this.cp = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) this.lower = 0x90;
        if (b === 0xf4) this.upper = 0x8f;
        this.needed = 3;
        this.cp = b & 7;
      } else out.push(ERROR);
      return true;
    }
    if (b < this.lower || b > this.upper) {
      this.cp = this.needed = this.seen = 0;
      this.lower = 0x80;
      this.upper = 0xbf;
      out.push(ERROR);
      return false;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    this.cp = (this.cp << 6) | (b & 0x3f);
    if (++this.seen === this.needed) {
      out.push(this.cp);
      this.cp = this.needed = this.seen = 0;
    }
    return true;
  }
  flush(out) {
    if (this.needed !== 0) {
      this.cp = this.needed = this.seen = 0;
      out.push(ERROR);
    }
  }
  idle() {
    return this.needed === 0;
  }
}

class Utf16Decoder {
  lead = -1;
  surrogate = -1;
  constructor(be) {
    this.be = be;
  }
  handle(b, out) {
    if (this.lead < 0) {
      this.lead = b;
      return true;
    }
    const cu = this.be ? (this.lead << 8) | b : this.lead | (b << 8);
    this.lead = -1;
    this.unit(cu, out);
    return true;
  }
  unit(cu, out) {
    if (this.surrogate >= 0) {
      const hi = this.surrogate;
      this.surrogate = -1;
      if (cu >= 0xdc00 && cu <= 0xdfff) {
        out.push(0x10000 + ((hi - 0xd800) << 10) + (cu - 0xdc00));
        return;
      }
      out.push(ERROR);
      this.unit(cu, out);
      return;
    }
    if (cu >= 0xd800 && cu <= 0xdbff) this.surrogate = cu;
    else if (cu >= 0xdc00 && cu <= 0xdfff) out.push(ERROR);
    else out.push(cu);
  }
  flush(out) {
    if (this.lead >= 0 || this.surrogate >= 0) {
      this.lead = this.surrogate = -1;
      out.push(ERROR);
    }
  }
  idle() {
    return this.lead < 0 && this.surrogate < 0;
  }
}

function codePointsToString(cps, fatal) {
  let s = "";
  const CHUNK = 8192;
  const units = [];
  for (let i = 0; i < cps.length; i++) {
    let c = cps[i];
    if (c === ERROR) {
      if (fatal) throw new TypeError("The encoded data was not valid.");
      c = 0xfffd;
    }
    if (c > 0xffff) {
      c -= 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    } else units.push(c);
    if (units.length >= CHUNK) {
      s += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return s + String.fromCharCode.apply(null, units);
}

function asciiPrefix(bytes) {
  let i = 0;
  while (i < bytes.length && bytes[i] < 0x80) i++;
  return i;
}

function latin1(bytes, from, to) {
  let s = "";
  for (let i = from; i < to; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(to, i + 8192)));
  }
  return s;
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #decoder = null;
  #bomSeen = false;
  #streaming = false;
  constructor(label = "utf-8", options = undefined) {
    const enc = getEncoding(web.toDOMString(label));
    if (enc === null) {
      throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${label}') is invalid.`);
    }
    const o = web.dictionary(options, "TextDecoderOptions");
    this.#encoding = enc;
    this.#fatal = Boolean(o.fatal);
    this.#ignoreBOM = Boolean(o.ignoreBOM);
  }
  get encoding() {
    return this.#encoding;
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }
  decode(input = undefined, options = undefined) {
    this.#encoding;
    let bytes;
    if (input === undefined) bytes = new Uint8Array(0);
    else {
      bytes = web.bufferSourceBytes(input);
      if (bytes === null) {
        throw new TypeError("Failed to execute 'decode': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'");
      }
    }
    const stream = Boolean(web.dictionary(options, "TextDecodeOptions").stream);
    if (!this.#streaming) {
      this.#decoder = this.#encoding === "utf-8" ? new Utf8Decoder() : new Utf16Decoder(this.#encoding === "utf-16be");
      this.#bomSeen = false;
    }
    this.#streaming = stream;
    const dec = this.#decoder;
    let prefix = "";
    let i = 0;
    // ASCII fast path: only when no sequence is pending and no BOM can start the output.
    if (this.#encoding === "utf-8" && dec.idle() && (this.#bomSeen || this.#ignoreBOM || bytes[0] !== 0xef)) {
      i = asciiPrefix(bytes);
      if (i > 0) {
        prefix = latin1(bytes, 0, i);
        this.#bomSeen = true;
      }
    }
    const cps = [];
    while (i < bytes.length) {
      if (dec.handle(bytes[i], cps)) i++;
    }
    if (!stream) dec.flush(cps);
    if (!this.#bomSeen && cps.length > 0) {
      this.#bomSeen = true;
      if (!this.#ignoreBOM && cps[0] === 0xfeff) cps.shift();
    }
    const rest = codePointsToString(cps, this.#fatal);
    if (this.#fatal && !stream) this.#streaming = false;
    return prefix + rest;
  }
}
web.idlClass(TextDecoder);
web.getEncoding = getEncoding;
