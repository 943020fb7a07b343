// The JS half of the crossing tracer (trace.py), run as `function (bridge) { ... }` when
// `jsapi run --trace-crossings` attaches. JS code that crosses a boundary Python cannot see
// (for example a namespace that serves a call without a request) counts it with
// `bridge.trace.count(boundary, name)` after checking `bridge.trace !== undefined &&
// bridge.trace.on`. Counts only: the realm has no clock finer than a millisecond that does not
// itself cross into Python.
"use strict";
const counts = new Map();
const trace = {
  on: true,
  count(boundary, name) {
    let per = counts.get(boundary);
    if (per === undefined) counts.set(boundary, (per = new Map()));
    const key = String(name);
    per.set(key, (per.get(key) || 0) + 1);
  },
  // {boundary: {name: count}} as JSON; empties the counters.
  drain() {
    const out = {};
    for (const [boundary, per] of counts) out[boundary] = Object.fromEntries(per);
    counts.clear();
    return JSON.stringify(out);
  },
  nameOf(f) {
    try {
      if (typeof f !== "function") return Object.prototype.toString.call(f);
      const name = f.name;
      return name ? `${name}()` : "(anonymous function)";
    } catch {
      return "(unnamed)";
    }
  },
};
bridge.trace = trace;
bridge.services["trace.ready"](trace.drain, trace.nameOf);
