// The performance global (HR-Time 3, User Timing 3): a monotonic clock from the time origin of
// the page, served by Python's perf_counter, and the mark/measure performance timeline.
"use strict";
const web = bridge.web;
const services = bridge.services;
const config = services["web.config"]();
const KEY = Symbol("Performance construction");
web.config = config;
web.now = () => services["web.now"]();

class PerformanceEntry {
  #name;
  #type;
  #start;
  #duration;
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
    [, this.#name, this.#type, this.#start, this.#duration] = args;
  }
  get name() {
    return this.#name;
  }
  get entryType() {
    return this.#type;
  }
  get startTime() {
    return this.#start;
  }
  get duration() {
    return this.#duration;
  }
  toJSON() {
    return { name: this.#name, entryType: this.#type, startTime: this.#start, duration: this.#duration };
  }
}
web.idlClass(PerformanceEntry);

class PerformanceMark extends PerformanceEntry {
  #detail;
  constructor(markName, markOptions = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'PerformanceMark': 1 argument required.");
    const name = web.toDOMString(markName);
    const o = web.dictionary(markOptions, "PerformanceMarkOptions");
    let start;
    if (o.startTime !== undefined) {
      start = Number(o.startTime);
      if (!Number.isFinite(start)) throw new TypeError("Failed to construct 'PerformanceMark': startTime is not finite.");
      if (start < 0) throw new TypeError("Failed to construct 'PerformanceMark': 'startTime' cannot be negative.");
    } else start = web.now();
    super(KEY, name, "mark", start, 0);
    this.#detail = o.detail === undefined || o.detail === null ? null : web.structuredClone(o.detail);
  }
  get detail() {
    return this.#detail;
  }
}
web.idlClass(PerformanceMark);

class PerformanceMeasure extends PerformanceEntry {
  #detail;
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
    super(...args.slice(0, 5));
    this.#detail = args[5];
  }
  get detail() {
    return this.#detail;
  }
}
web.idlClass(PerformanceMeasure);

class Performance extends web.EventTarget {
  #entries = [];
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
    super();
  }
  now() {
    this.#entries;
    return web.now();
  }
  get timeOrigin() {
    this.#entries;
    return config.timeOrigin;
  }
  toJSON() {
    this.#entries;
    return { timeOrigin: config.timeOrigin };
  }
  mark(markName, markOptions = undefined) {
    this.#entries;
    if (arguments.length < 1) throw new TypeError("Failed to execute 'mark' on 'Performance': 1 argument required.");
    const entry = new PerformanceMark(markName, markOptions);
    this.#entries.push(entry);
    return entry;
  }
  clearMarks(markName = undefined) {
    this.#clear("mark", markName);
  }
  measure(measureName, startOrMeasureOptions = undefined, endMark = undefined) {
    const entries = this.#entries;
    if (arguments.length < 1) throw new TypeError("Failed to execute 'measure' on 'Performance': 1 argument required.");
    const name = web.toDOMString(measureName);
    const opts = web.isObject(startOrMeasureOptions) ? startOrMeasureOptions : null;
    const has = (k) => opts !== null && opts[k] !== undefined;
    if (opts !== null && (has("start") || has("end") || has("duration") || has("detail"))) {
      if (endMark !== undefined) throw new TypeError("Failed to execute 'measure': endMark cannot be given with options.");
      if (!has("start") && !has("end")) throw new TypeError("Failed to execute 'measure': options need a start or an end.");
      if (has("start") && has("duration") && has("end")) {
        throw new TypeError("Failed to execute 'measure': start, duration and end cannot all be given.");
      }
    }
    const toTime = (v) => {
      if (typeof v === "string") {
        for (let i = entries.length - 1; i >= 0; i--) {
          const e = entries[i];
          if (e.entryType === "mark" && e.name === v) return e.startTime;
        }
        throw new web.DOMException(`Failed to execute 'measure' on 'Performance': The mark '${v}' does not exist.`, "SyntaxError");
      }
      const t = Number(v);
      if (t < 0) throw new TypeError("Failed to execute 'measure': a time cannot be negative.");
      return t;
    };
    let end;
    if (endMark !== undefined) end = toTime(endMark);
    else if (has("end")) end = toTime(opts.end);
    else if (has("start") && has("duration")) end = toTime(opts.start) + Number(opts.duration);
    else end = web.now();
    let start;
    if (has("start")) start = toTime(opts.start);
    else if (has("duration") && has("end")) start = end - Number(opts.duration);
    else if (startOrMeasureOptions !== undefined && opts === null) start = toTime(web.toDOMString(startOrMeasureOptions));
    else start = 0;
    const detail = has("detail") ? web.structuredClone(opts.detail) : null;
    const entry = new PerformanceMeasure(KEY, name, "measure", start, end - start, detail);
    entries.push(entry);
    return entry;
  }
  clearMeasures(measureName = undefined) {
    this.#clear("measure", measureName);
  }
  #clear(type, name) {
    const keep = (e) => e.entryType !== type || (name !== undefined && e.name !== web.toDOMString(name));
    this.#entries = this.#entries.filter(keep);
  }
  getEntries() {
    return sorted(this.#entries);
  }
  getEntriesByType(type) {
    const t = web.toDOMString(type);
    return sorted(this.#entries.filter((e) => e.entryType === t));
  }
  getEntriesByName(name, type = undefined) {
    const n = web.toDOMString(name);
    const t = type === undefined ? undefined : web.toDOMString(type);
    return sorted(this.#entries.filter((e) => e.name === n && (t === undefined || e.entryType === t)));
  }
}
web.idlClass(Performance);

// Performance Timeline 5.2: entries in chronological order of startTime (stable).
function sorted(list) {
  return list.slice().sort((a, b) => a.startTime - b.startTime);
}

const performance = new Performance(KEY);
Object.defineProperty(web.global, "performance", {
  value: performance,
  writable: true,
  enumerable: true,
  configurable: true,
});
