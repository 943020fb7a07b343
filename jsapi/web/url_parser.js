// The basic URL parser and serializer (WHATWG URL 4.4-4.5) and host parsing (URL 3.5), with
// state overrides for the URL setters. Hosts: ASCII domains are lowercased; IDNA (non-ASCII
// domains) is not implemented and such hosts fail to parse.
"use strict";
const web = bridge.web;
const sets = web.encodeSets;
const pct = web.percentEncode;
const FAIL = null;

const SPECIAL = new Map([["ftp", 21], ["file", null], ["http", 80], ["https", 443], ["ws", 80], ["wss", 443]]);
const isSpecialScheme = (s) => SPECIAL.has(s);
const isAlpha = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
const isHexDigit = (c) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const FORBIDDEN_HOST = /[\0\t\n\r #/:<>?@[\\\]^|]/;
const FORBIDDEN_DOMAIN = /[\0-\x1f #%/:<>?@[\\\]^|\x7f]/;

// ---- hosts (URL 3.5) --------------------------------------------------------------------------
function parseIPv4Number(s) {
  if (s === "") return FAIL;
  let radix = 10;
  if (s.length >= 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
    radix = 16;
    s = s.slice(2);
  } else if (s.length >= 2 && s[0] === "0") {
    radix = 8;
    s = s.slice(1);
  }
  if (s === "") return 0;
  const re = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
  if (!re.test(s)) return FAIL;
  return parseInt(s, radix);
}

function endsInANumber(input) {
  const parts = input.split(".");
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== "" && /^[0-9]+$/.test(last)) return true;
  return parseIPv4Number(last) !== FAIL;
}

function parseIPv4(input) {
  const parts = input.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAIL;
  const numbers = [];
  for (const p of parts) {
    const n = parseIPv4Number(p);
    if (n === FAIL) return FAIL;
    numbers.push(n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return FAIL;
  const last = numbers[numbers.length - 1];
  if (last >= 256 ** (5 - numbers.length)) return FAIL;
  let ipv4 = last;
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  const out = [];
  for (let i = 0; i < 4; i++) {
    out.unshift(String(ipv4 % 256));
    ipv4 = Math.floor(ipv4 / 256);
  }
  return out.join(".");
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const cps = Array.from(input);
  const c = () => cps[p];
  if (c() === ":") {
    if (cps[p + 1] !== ":") return FAIL;
    p += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (c() !== undefined) {
    if (pieceIndex === 8) return FAIL;
    if (c() === ":") {
      if (compress !== null) return FAIL;
      p++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHexDigit(c())) {
      value = value * 16 + parseInt(c(), 16);
      p++;
      length++;
    }
    if (c() === ".") {
      if (length === 0) return FAIL;
      p -= length;
      if (pieceIndex > 6) return FAIL;
      let numbersSeen = 0;
      while (c() !== undefined) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c() === "." && numbersSeen < 4) p++;
          else return FAIL;
        }
        if (!isDigit(c())) return FAIL;
        while (isDigit(c())) {
          const n = Number(c());
          if (ipv4Piece === null) ipv4Piece = n;
          else if (ipv4Piece === 0) return FAIL;
          else ipv4Piece = ipv4Piece * 10 + n;
          if (ipv4Piece > 255) return FAIL;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAIL;
      break;
    } else if (c() === ":") {
      p++;
      if (c() === undefined) return FAIL;
    } else if (c() !== undefined) return FAIL;
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) return FAIL;
  return address;
}

function serializeIPv6(address) {
  // The first longest run of two or more zero pieces is compressed (URL 3.6).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = "";
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) out += ":";
  }
  return "[" + out + "]";
}

// Returns the serialized host, or FAIL.
function parseHost(input, isOpaque) {
  if (input.startsWith("[")) {
    if (!input.endsWith("]")) return FAIL;
    const a = parseIPv6(input.slice(1, -1));
    return a === FAIL ? FAIL : serializeIPv6(a);
  }
  if (isOpaque) {
    if (FORBIDDEN_HOST.test(input)) return FAIL;
    return pct(input, sets.C0);
  }
  const domain = web.percentDecodeString(input);
  // Domain to ASCII without IDNA: only ASCII domains, lowercased.
  if (/[^\x00-\x7f]/.test(domain)) return FAIL;
  const ascii = domain.toLowerCase();
  if (ascii === "" || FORBIDDEN_DOMAIN.test(ascii)) return FAIL;
  if (endsInANumber(ascii)) return parseIPv4(ascii);
  return ascii;
}

// ---- the basic URL parser (URL 4.4) -------------------------------------------------------------
const isSingleDot = (s) => s === "." || s.toLowerCase() === "%2e";
const isDoubleDot = (s) => {
  const l = s.toLowerCase();
  return l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e";
};
const isDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && (s[1] === ":" || s[1] === "|");
const isNormalizedDriveLetter = (s) => isDriveLetter(s) && s[1] === ":";
function startsWithDriveLetter(cps, p) {
  if (cps.length - p < 2) return false;
  if (!isDriveLetter(cps[p] + cps[p + 1])) return false;
  if (cps.length - p === 2) return true;
  const t = cps[p + 2];
  return t === "/" || t === "\\" || t === "?" || t === "#";
}

function newRecord() {
  return { scheme: "", username: "", password: "", host: null, port: null, path: [], query: null, fragment: null };
}
const hasOpaquePath = (u) => typeof u.path === "string";
function shortenPath(u) {
  if (u.scheme === "file" && u.path.length === 1 && isNormalizedDriveLetter(u.path[0])) return;
  u.path.pop();
}
const includesCredentials = (u) => u.username !== "" || u.password !== "";

// Returns a URL record, FAIL, or (with a state override) undefined after modifying url.
function basicParse(input, base = null, url = null, override = null) {
  if (url === null) {
    url = newRecord();
    input = input.replace(/^[\0-\x20]+|[\0-\x20]+$/g, "");
  }
  input = input.replace(/[\t\n\r]/g, "");
  let state = override ?? "scheme start";
  const cps = Array.from(input);
  let buffer = "";
  let atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
  const special = () => isSpecialScheme(url.scheme);
  for (let p = 0; ; p++) {
    const c = cps[p];
    const remaining = (k) => cps[p + 1 + k];
    switch (state) {
      case "scheme start":
        if (isAlpha(c)) {
          buffer += c.toLowerCase();
          state = "scheme";
        } else if (override === null) {
          state = "no scheme";
          p--;
        } else return FAIL;
        break;
      case "scheme":
        if (c !== undefined && /^[A-Za-z0-9+\-.]$/.test(c)) buffer += c.toLowerCase();
        else if (c === ":") {
          if (override !== null) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return undefined;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return undefined;
            if (url.scheme === "file" && url.host === "") return undefined;
          }
          url.scheme = buffer;
          if (override !== null) {
            if (url.port === SPECIAL.get(url.scheme)) url.port = null;
            return undefined;
          }
          buffer = "";
          if (url.scheme === "file") state = "file";
          else if (special() && base !== null && base.scheme === url.scheme) state = "special relative or authority";
          else if (special()) state = "special authority slashes";
          else if (remaining(0) === "/") {
            state = "path or authority";
            p++;
          } else {
            url.path = "";
            state = "opaque path";
          }
        } else if (override === null) {
          buffer = "";
          state = "no scheme";
          p = -1;
        } else return FAIL;
        break;
      case "no scheme":
        if (base === null || (hasOpaquePath(base) && c !== "#")) return FAIL;
        if (hasOpaquePath(base) && c === "#") {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = "fragment";
        } else if (base.scheme !== "file") {
          state = "relative";
          p--;
        } else {
          state = "file";
          p--;
        }
        break;
      case "special relative or authority":
        if (c === "/" && remaining(0) === "/") {
          state = "special authority ignore slashes";
          p++;
        } else {
          state = "relative";
          p--;
        }
        break;
      case "path or authority":
        if (c === "/") state = "authority";
        else {
          state = "path";
          p--;
        }
        break;
      case "relative":
        url.scheme = base.scheme;
        if (c === "/") state = "relative slash";
        else if (special() && c === "\\") state = "relative slash";
        else {
          Object.assign(url, { username: base.username, password: base.password, host: base.host, port: base.port });
          url.path = base.path.slice();
          url.query = base.query;
          if (c === "?") {
            url.query = "";
            state = "query";
          } else if (c === "#") {
            url.fragment = "";
            state = "fragment";
          } else if (c !== undefined) {
            url.query = null;
            shortenPath(url);
            state = "path";
            p--;
          }
        }
        break;
      case "relative slash":
        if (special() && (c === "/" || c === "\\")) state = "special authority ignore slashes";
        else if (c === "/") state = "authority";
        else {
          Object.assign(url, { username: base.username, password: base.password, host: base.host, port: base.port });
          state = "path";
          p--;
        }
        break;
      case "special authority slashes":
        state = "special authority ignore slashes";
        if (c === "/" && remaining(0) === "/") p++;
        else p--;
        break;
      case "special authority ignore slashes":
        if (c !== "/" && c !== "\\") {
          state = "authority";
          p--;
        }
        break;
      case "authority":
        if (c === "@") {
          if (atSignSeen) buffer = "%40" + buffer;
          atSignSeen = true;
          for (const cp of buffer) {
            if (cp === ":" && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const enc = pct(cp, sets.USERINFO);
            if (passwordTokenSeen) url.password += enc;
            else url.username += enc;
          }
          buffer = "";
        } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\")) {
          if (atSignSeen && buffer === "") return FAIL;
          p -= Array.from(buffer).length + 1;
          buffer = "";
          state = "host";
        } else buffer += c;
        break;
      case "host":
      case "hostname":
        if (override !== null && url.scheme === "file") {
          p--;
          state = "file host";
        } else if (c === ":" && !insideBrackets) {
          if (buffer === "") return FAIL;
          if (override === "hostname") return undefined;
          const host = parseHost(buffer, !special());
          if (host === FAIL) return FAIL;
          url.host = host;
          buffer = "";
          state = "port";
        } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\")) {
          p--;
          if (special() && buffer === "") return FAIL;
          if (override !== null && buffer === "" && (includesCredentials(url) || url.port !== null)) return undefined;
          const host = parseHost(buffer, !special());
          if (host === FAIL) return FAIL;
          url.host = host;
          buffer = "";
          state = "path start";
          if (override !== null) return undefined;
        } else {
          if (c === "[") insideBrackets = true;
          if (c === "]") insideBrackets = false;
          buffer += c;
        }
        break;
      case "port":
        if (isDigit(c)) buffer += c;
        else if (c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\") || override !== null) {
          if (buffer !== "") {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAIL;
            url.port = SPECIAL.get(url.scheme) === port ? null : port;
            buffer = "";
            if (override !== null) return undefined;
          }
          if (override !== null) return FAIL;
          state = "path start";
          p--;
        } else return FAIL;
        break;
      case "file":
        url.scheme = "file";
        url.host = "";
        if (c === "/" || c === "\\") state = "file slash";
        else if (base !== null && base.scheme === "file") {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === "?") {
            url.query = "";
            state = "query";
          } else if (c === "#") {
            url.fragment = "";
            state = "fragment";
          } else if (c !== undefined) {
            url.query = null;
            if (!startsWithDriveLetter(cps, p)) shortenPath(url);
            else url.path = [];
            state = "path";
            p--;
          }
        } else {
          state = "path";
          p--;
        }
        break;
      case "file slash":
        if (c === "/" || c === "\\") state = "file host";
        else {
          if (base !== null && base.scheme === "file") {
            url.host = base.host;
            if (!startsWithDriveLetter(cps, p) && base.path.length > 0 && isNormalizedDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = "path";
          p--;
        }
        break;
      case "file host":
        if (c === undefined || c === "/" || c === "\\" || c === "?" || c === "#") {
          p--;
          if (override === null && isDriveLetter(buffer)) state = "path";
          else if (buffer === "") {
            url.host = "";
            if (override !== null) return undefined;
            state = "path start";
          } else {
            let host = parseHost(buffer, !special());
            if (host === FAIL) return FAIL;
            if (host === "localhost") host = "";
            url.host = host;
            if (override !== null) return undefined;
            buffer = "";
            state = "path start";
          }
        } else buffer += c;
        break;
      case "path start":
        if (special()) {
          state = "path";
          if (c !== "/" && c !== "\\") p--;
        } else if (override === null && c === "?") {
          url.query = "";
          state = "query";
        } else if (override === null && c === "#") {
          url.fragment = "";
          state = "fragment";
        } else if (c !== undefined) {
          state = "path";
          if (c !== "/") p--;
        } else if (override !== null && url.host === null) url.path.push("");
        break;
      case "path": {
        const slash = c === "/" || (special() && c === "\\");
        if (c === undefined || slash || (override === null && (c === "?" || c === "#"))) {
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (!slash) url.path.push("");
          } else if (isSingleDot(buffer) && !slash) url.path.push("");
          else if (!isSingleDot(buffer)) {
            if (url.scheme === "file" && url.path.length === 0 && isDriveLetter(buffer)) buffer = buffer[0] + ":";
            url.path.push(buffer);
          }
          buffer = "";
          if (c === "?") {
            url.query = "";
            state = "query";
          }
          if (c === "#") {
            url.fragment = "";
            state = "fragment";
          }
        } else buffer += pct(c, sets.PATH);
        break;
      }
      case "opaque path":
        if (c === "?") {
          url.query = "";
          state = "query";
        } else if (c === "#") {
          url.fragment = "";
          state = "fragment";
        } else if (c !== undefined) url.path += pct(c, sets.C0);
        break;
      case "query":
        if ((override === null && c === "#") || c === undefined) {
          url.query += pct(buffer, special() ? sets.SPECIAL_QUERY : sets.QUERY);
          buffer = "";
          if (c === "#") {
            url.fragment = "";
            state = "fragment";
          }
        } else buffer += c;
        break;
      case "fragment":
        if (c !== undefined) url.fragment += pct(c, sets.FRAGMENT);
        break;
    }
    if (p >= cps.length) break;
  }
  return override === null ? url : undefined;
}

// URL 4.5 serializer.
function serializePath(u) {
  return hasOpaquePath(u) ? u.path : u.path.map((s) => "/" + s).join("");
}
function serialize(u, excludeFragment = false) {
  let out = u.scheme + ":";
  if (u.host !== null) {
    out += "//";
    if (includesCredentials(u)) {
      out += u.username;
      if (u.password !== "") out += ":" + u.password;
      out += "@";
    }
    out += u.host;
    if (u.port !== null) out += ":" + u.port;
  }
  if (u.host === null && !hasOpaquePath(u) && u.path.length > 1 && u.path[0] === "") out += "/.";
  out += serializePath(u);
  if (u.query !== null) out += "?" + u.query;
  if (!excludeFragment && u.fragment !== null) out += "#" + u.fragment;
  return out;
}

// HTML 7.1.1 / URL 4.7: the serialized origin ("null" for opaque origins).
function origin(u) {
  if (u.scheme === "blob") {
    if (hasOpaquePath(u)) {
      const inner = basicParse(u.path);
      if (inner !== FAIL && (inner.scheme === "http" || inner.scheme === "https")) return origin(inner);
    }
    return "null";
  }
  if (["ftp", "http", "https", "ws", "wss"].includes(u.scheme)) {
    return u.scheme + "://" + u.host + (u.port !== null ? ":" + u.port : "");
  }
  return "null";
}

web.urlParser = {
  FAIL, basicParse, serialize, serializePath, origin, hasOpaquePath, includesCredentials,
  isSpecialScheme, defaultPort: (s) => SPECIAL.get(s) ?? null, parseHost,
};
