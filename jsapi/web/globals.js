// The window-ish globals (HTML 7.2, 7.10, 8.9.1): window/self identity, location from the page
// URL (read-only: this host does not navigate), navigator, origin and the secure context flags.
"use strict";
const web = bridge.web;
const G = web.global;
const P = web.urlParser;
const config = web.config;
const KEY = Symbol("construction");
const page = web.parseURL(config.pageUrl);
if (page === null) throw new TypeError(`jsapi.web: invalid page URL ${config.pageUrl}`);

class Location {
  #u;
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
    this.#u = args[1];
  }
  get href() {
    return P.serialize(this.#u);
  }
  get origin() {
    return P.origin(this.#u);
  }
  get protocol() {
    return this.#u.scheme + ":";
  }
  get host() {
    const u = this.#u;
    if (u.host === null) return "";
    return u.port === null ? u.host : `${u.host}:${u.port}`;
  }
  get hostname() {
    return this.#u.host ?? "";
  }
  get port() {
    return this.#u.port === null ? "" : String(this.#u.port);
  }
  get pathname() {
    return P.serializePath(this.#u);
  }
  get search() {
    const q = this.#u.query;
    return q === null || q === "" ? "" : "?" + q;
  }
  get hash() {
    const f = this.#u.fragment;
    return f === null || f === "" ? "" : "#" + f;
  }
  assign(url) {
    this.#u;
    throw new web.DOMException(`Navigation to ${url} is not supported by this host.`, "NotSupportedError");
  }
  replace(url) {
    this.#u;
    throw new web.DOMException(`Navigation to ${url} is not supported by this host.`, "NotSupportedError");
  }
  reload() {
    this.#u;
    throw new web.DOMException("Navigation is not supported by this host.", "NotSupportedError");
  }
  toString() {
    return P.serialize(this.#u);
  }
}
web.idlClass(Location);
const location = new Location(KEY, page);

const languages = Object.freeze(config.languages.slice());
class Navigator {
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
  }
  get userAgent() {
    return config.userAgent;
  }
  get appCodeName() {
    return "Mozilla";
  }
  get appName() {
    return "Netscape";
  }
  get appVersion() {
    return config.userAgent.replace(/^Mozilla\//, "");
  }
  get platform() {
    return "Linux x86_64";
  }
  get product() {
    return "Gecko";
  }
  get vendor() {
    return "";
  }
  get language() {
    return languages[0] ?? "en-US";
  }
  get languages() {
    return languages;
  }
  get hardwareConcurrency() {
    return config.hardwareConcurrency;
  }
  get onLine() {
    return true;
  }
  get cookieEnabled() {
    return false;
  }
  get webdriver() {
    return false;
  }
}
web.idlClass(Navigator);
const navigator = new Navigator(KEY);

function accessor(name, get, { configurable = true } = {}) {
  Object.defineProperty(G, name, { get, enumerable: true, configurable });
}
// [LegacyUnforgeable] window and location; [Replaceable] self.
accessor("window", function window() { return G; }, { configurable: false });
accessor("location", function location_() { return location; }, { configurable: false });
Object.defineProperty(G, "self", {
  get: function self() { return G; },
  set(value) { Object.defineProperty(G, "self", { value, writable: true, enumerable: true, configurable: true }); },
  enumerable: true,
  configurable: true,
});
accessor("navigator", function navigator_() { return navigator; });
accessor("origin", function origin() { return P.origin(page); });
accessor("isSecureContext", function isSecureContext() { return true; });
// SharedArrayBuffer is available to pages of this host, as in a cross-origin isolated page.
accessor("crossOriginIsolated", function crossOriginIsolated() { return true; });
