// The console namespace (WHATWG Console), captured for Python: every message is kept in order
// with its level, and the host drains them as one JSON string (a single Python -> JS call).
//
// Two preview styles: "node" (the default for test realms: `{ k: 1 }`, `[1, "a"]`) and
// "chrome" (pages: DevTools' one-line previews, `{k: 1}`, `(2) [1, 'a']`, `Map(1) {'a' => 1}`).
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const messages = [];
  const counts = new Map();
  const timers = new Map();
  const listeners = [];
  let groupDepth = 0;
  let chrome = false;
  const MAX_DEPTH = 2;
  const MAX_ITEMS = 100;
  const realDateNow = Date.now;
  const toTag = (v) => Object.prototype.toString.call(v).slice(8, -1);

  // Stack frames inside the host's own scripts mean nothing to a page author.
  function cleanStack(stack) {
    return String(stack)
      .split("\n")
      .filter((line) => !/^\s+at .*\bjsapi:(host|page|bridge|web|webassembly|modules)\//.test(line))
      .join("\n");
  }

  function quote(s) {
    return chrome ? `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : JSON.stringify(s);
  }

  function key(k) {
    if (typeof k === "symbol") return `[${k.toString()}]`;
    return /^[A-Za-z_$][\w$]*$/.test(k) || /^\d+$/.test(k) ? k : quote(k);
  }

  function functionPreview(fn) {
    if (!chrome) return `[Function: ${fn.name || "(anonymous)"}]`;
    const src = Function.prototype.toString.call(fn);
    if (/^class\b/.test(src)) return `class ${fn.name}`;
    return `ƒ ${fn.name}()`;
  }

  function constructorName(value) {
    try {
      const proto = Object.getPrototypeOf(value);
      if (proto === null) return null;
      const ctor = proto.constructor;
      return typeof ctor === "function" && ctor.name ? ctor.name : null;
    } catch (e) {
      return null;
    }
  }

  function items(list, depth, seen) {
    const shown = list.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen));
    if (list.length > MAX_ITEMS) shown.push(chrome ? "…" : `... ${list.length - MAX_ITEMS} more items`);
    return shown;
  }

  function braces(prefix, parts) {
    if (chrome) return `${prefix}{${parts.join(", ")}}`;
    return parts.length === 0 ? `${prefix}{}` : `${prefix}{ ${parts.join(", ")} }`;
  }

  function inspect(value, depth, seen) {
    if (typeof value === "string") return depth === 0 ? value : quote(value);
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol") return value.toString();
    if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
    if (typeof value === "function") {
      if (chrome && depth === 0) return Function.prototype.toString.call(value);
      return functionPreview(value);
    }
    if (value === null || typeof value !== "object") return String(value);
    if (seen.has(value)) return chrome ? "[Circular *1]" : "[Circular]";
    if (value instanceof Error) {
      if (depth === 0 || !chrome) return value.stack ? cleanStack(value.stack) : String(value);
      return `${value.name}: ${value.message}`;
    }
    const tag = toTag(value);
    if (depth > MAX_DEPTH) {
      if (!chrome) return Array.isArray(value) ? "[Array]" : "[Object]";
      if (Array.isArray(value)) return `Array(${value.length})`;
      return "{…}";
    }
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const body = items(value, depth, seen).join(", ");
        return chrome ? `(${value.length}) [${body}]` : `[${body}]`;
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        const name = constructorName(value) || tag;
        const list = Array.prototype.slice.call(value, 0, MAX_ITEMS + 1);
        return `${name}(${value.length}) [${items(list, depth, seen).join(", ")}]`;
      }
      if (tag === "ArrayBuffer" || tag === "SharedArrayBuffer") {
        return `${tag}(${value.byteLength})`;
      }
      if (value instanceof Map) {
        const parts = [...value].slice(0, MAX_ITEMS).map(
          ([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`,
        );
        return braces(`Map(${value.size}) `, parts);
      }
      if (value instanceof Set) {
        return braces(`Set(${value.size}) `, items([...value], depth, seen));
      }
      if (value instanceof Date) return chrome ? String(value) : value.toISOString();
      if (value instanceof RegExp) return String(value);
      if (value instanceof Promise) return chrome ? "Promise {<pending>}" : "Promise { <pending> }";
      if (chrome && typeof value.nodeType === "number" && typeof value.nodeName === "string") {
        return host.domPreview ? host.domPreview(value) : value.nodeName;
      }
      const keys = Object.keys(value);
      const parts = keys.map((k) => `${key(k)}: ${inspect(value[k], depth + 1, seen)}`);
      const name = constructorName(value);
      let prefix = "";
      if (chrome) prefix = name === null || name === "Object" ? "" : `${name} `;
      else prefix = tag === "Object" ? "" : `${tag} `;
      return braces(prefix, parts);
    } catch (e) {
      return Object.prototype.toString.call(value);
    } finally {
      seen.delete(value);
    }
  }

  function number(arg, parse) {
    if (typeof arg === "symbol") return "NaN";
    if (typeof arg === "bigint") return `${arg}n`;
    if (chrome && typeof arg === "object" && arg !== null) return "NaN";
    return String(parse(arg));
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
            return number(arg, (v) => parseInt(v, 10));
          case "%f":
            return number(arg, parseFloat);
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
    const message = { level, text };
    messages.push(message);
    for (const listener of listeners) listener(message);
  }

  // console.table's text form: a box table with the row index first, as terminals show it.
  function table(data, columns) {
    if (data === null || typeof data !== "object") return emit("log", [data]);
    const rows = data instanceof Map ? [...data] : Object.entries(data);
    const header = ["(index)"];
    const cells = [];
    let hasValues = false;
    for (const [index, row] of rows) {
      const cell = { "(index)": String(index) };
      if (row !== null && typeof row === "object") {
        for (const k of Object.keys(row)) {
          if (columns !== undefined && !columns.includes(k)) continue;
          if (!header.includes(k)) header.push(k);
          cell[k] = inspect(row[k], 1, new Set());
        }
      } else {
        cell.Value = inspect(row, 1, new Set());
        hasValues = true;
      }
      cells.push(cell);
    }
    if (hasValues) header.push("Value");
    const width = header.map((h) => Math.max(h.length, ...cells.map((c) => (c[h] || "").length)) + 2);
    const pad = (s, w) => {
      const left = Math.floor((w - s.length) / 2);
      return " ".repeat(left) + s + " ".repeat(w - s.length - left);
    };
    const line = (l, m, r) => l + width.map((w) => "─".repeat(w)).join(m) + r;
    const lines = [line("┌", "┬", "┐")];
    lines.push("│" + header.map((h, i) => pad(h, width[i])).join("│") + "│");
    lines.push(line("├", "┼", "┤"));
    for (const c of cells) lines.push("│" + header.map((h, i) => pad(c[h] || "", width[i])).join("│") + "│");
    lines.push(line("└", "┴", "┘"));
    emit("log", [lines.join("\n")]);
  }

  function elapsed(key) {
    const ms = realDateNow() - timers.get(key);
    return `${key}: ${chrome ? ms.toFixed(3) : ms} ms`;
  }

  const console = {
    log: (...a) => emit("log", a),
    info: (...a) => emit("info", a),
    debug: (...a) => emit("debug", a),
    warn: (...a) => emit("warn", a),
    error: (...a) => emit("error", a),
    dir: (v) => emit("log", [inspect(v, 1, new Set())]),
    dirxml: (...a) => emit("log", a),
    table: (data, columns) => table(data, columns),
    trace: (...a) => {
      const stack = String(new Error().stack || "").split("\n").slice(2).join("\n");
      emit("debug", ["console.trace" + (a.length ? " " + format(a) : ""), ...(stack ? [stack] : [])]);
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
    time: (label = "default") => {
      const key = String(label);
      if (timers.has(key)) emit("warn", [`Timer '${key}' already exists`]);
      else timers.set(key, realDateNow());
    },
    timeLog: (label = "default", ...a) => {
      const key = String(label);
      if (!timers.has(key)) return emit("warn", [`Timer '${key}' does not exist`]);
      emit("log", [elapsed(key), ...a]);
    },
    timeEnd: (label = "default") => {
      const key = String(label);
      if (!timers.has(key)) return emit("warn", [`Timer '${key}' does not exist`]);
      emit("info", [elapsed(key)]);
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
    inspect: (v) => inspect(v, 1, new Set()),
    cleanStack,
    setStyle(style) {
      chrome = style === "chrome";
    },
    addListener(fn) {
      listeners.push(fn);
    },
    drain() {
      const out = JSON.stringify(messages);
      messages.length = 0;
      return out;
    },
  });
})(globalThis);
