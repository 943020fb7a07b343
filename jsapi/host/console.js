// The console namespace (WHATWG Console), captured for Python: every message is kept in order
// with its level, and the host drains them as one JSON string (a single Python -> JS call).
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const messages = [];
  const counts = new Map();
  const timers = new Map();
  let groupDepth = 0;

  function inspect(value, depth, seen) {
    if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value);
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol") return value.toString();
    if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
    if (value === null || typeof value !== "object") return String(value);
    if (seen.has(value)) return "[Circular]";
    if (value instanceof Error) return value.stack ? String(value.stack) : String(value);
    if (depth > 2) return Array.isArray(value) ? "[Array]" : "[Object]";
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        return `[${value.map((v) => inspect(v, depth + 1, seen)).join(", ")}]`;
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return `${value.constructor.name}(${value.length}) [${Array.from(value).join(", ")}]`;
      }
      const tag = Object.prototype.toString.call(value).slice(8, -1);
      const keys = Object.keys(value);
      const body = keys.map((k) => `${k}: ${inspect(value[k], depth + 1, seen)}`).join(", ");
      const prefix = tag === "Object" ? "" : `${tag} `;
      return keys.length === 0 ? `${prefix}{}` : `${prefix}{ ${body} }`;
    } catch (e) {
      return Object.prototype.toString.call(value);
    } finally {
      seen.delete(value);
    }
  }

  // Console Standard 2.2.2 Formatter: %s %d %i %f %o %O %c in a leading string.
  function format(args) {
    if (args.length === 0) return "";
    let rest = args;
    let head = "";
    if (typeof args[0] === "string") {
      let i = 1;
      head = args[0].replace(/%[sdifoOc%]/g, (spec) => {
        if (spec === "%%") return "%";
        if (i >= args.length) return spec;
        const arg = args[i++];
        switch (spec) {
          case "%s":
            return typeof arg === "string" ? arg : inspect(arg, 1, new Set());
          case "%d":
          case "%i":
            return typeof arg === "symbol" ? "NaN" : String(parseInt(arg, 10));
          case "%f":
            return typeof arg === "symbol" ? "NaN" : String(parseFloat(arg));
          case "%c":
            return "";
          default:
            return inspect(arg, 1, new Set());
        }
      });
      rest = args.slice(i);
      if (rest.length === 0) return head;
      return [head, ...rest.map((a) => inspect(a, 0, new Set()))].join(" ");
    }
    return rest.map((a) => inspect(a, 0, new Set())).join(" ");
  }

  function emit(level, args) {
    const text = "  ".repeat(groupDepth) + format(args);
    messages.push({ level, text });
  }

  const console = {
    log: (...a) => emit("log", a),
    info: (...a) => emit("info", a),
    debug: (...a) => emit("debug", a),
    warn: (...a) => emit("warn", a),
    error: (...a) => emit("error", a),
    dir: (v) => emit("log", [inspect(v, 1, new Set())]),
    dirxml: (...a) => emit("log", a),
    table: (...a) => emit("log", a),
    trace: (...a) => {
      const stack = String(new Error().stack || "").split("\n").slice(2).join("\n");
      emit("debug", ["Trace" + (a.length ? ": " + format(a) : ""), ...(stack ? [stack] : [])]);
    },
    assert: (condition, ...a) => {
      if (condition) return;
      if (a.length === 0) emit("error", ["Assertion failed"]);
      else if (typeof a[0] === "string") emit("error", [`Assertion failed: ${a[0]}`, ...a.slice(1)]);
      else emit("error", ["Assertion failed:", ...a]);
    },
    count: (label = "default") => {
      const key = String(label);
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      emit("info", [`${key}: ${n}`]);
    },
    countReset: (label = "default") => counts.set(String(label), 0),
    group: (...a) => {
      if (a.length) emit("log", a);
      groupDepth++;
    },
    groupCollapsed: (...a) => console.group(...a),
    groupEnd: () => {
      if (groupDepth > 0) groupDepth--;
    },
    time: (label = "default") => timers.set(String(label), Date.now()),
    timeLog: (label = "default", ...a) => {
      const key = String(label);
      if (timers.has(key)) emit("log", [`${key}: ${Date.now() - timers.get(key)} ms`, ...a]);
    },
    timeEnd: (label = "default") => {
      const key = String(label);
      if (!timers.has(key)) return;
      emit("info", [`${key}: ${Date.now() - timers.get(key)} ms`]);
      timers.delete(key);
    },
    clear: () => {},
  };

  Object.defineProperty(global, "console", {
    value: console,
    writable: true,
    enumerable: false,
    configurable: true,
  });

  host.console = Object.freeze({
    emit,
    format,
    drain() {
      const out = JSON.stringify(messages);
      messages.length = 0;
      return out;
    },
  });
})(globalThis);
