// AbortController and AbortSignal (DOM 3.1-3.2), including dependent signals (AbortSignal.any).
"use strict";
const web = bridge.web;
const KEY = Symbol("AbortSignal construction");

class AbortSignal extends web.EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = [];
  #dependent = false;
  #sources = new Set();
  #dependents = new Set();
  constructor(...args) {
    if (args[0] !== KEY) throw new TypeError("Illegal constructor");
    super();
  }
  static abort(reason = undefined) {
    const s = new AbortSignal(KEY);
    s.#aborted = true;
    s.#reason = reason === undefined ? abortError() : reason;
    return s;
  }
  static timeout(milliseconds) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': 1 argument required.");
    const ms = Number(milliseconds);
    if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
      throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.");
    }
    const s = new AbortSignal(KEY);
    web.global.setTimeout(() => {
      signalAbort(s, new web.DOMException("signal timed out", "TimeoutError"));
    }, Math.trunc(ms));
    return s;
  }
  static any(signals) {
    const list = [];
    if (!web.isObject(signals) || typeof signals[Symbol.iterator] !== "function") {
      throw new TypeError("Failed to execute 'any' on 'AbortSignal': The provided value cannot be converted to a sequence.");
    }
    for (const s of signals) {
      if (!isAbortSignal(s)) {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.");
      }
      list.push(s);
    }
    const result = new AbortSignal(KEY);
    for (const s of list) {
      if (s.#aborted) {
        result.#aborted = true;
        result.#reason = s.#reason;
        return result;
      }
    }
    result.#dependent = true;
    for (const s of list) {
      const sources = s.#dependent ? s.#sources : [s];
      for (const source of sources) {
        result.#sources.add(source);
        source.#dependents.add(result);
      }
    }
    return result;
  }
  get aborted() {
    return this.#aborted;
  }
  get reason() {
    return this.#reason;
  }
  throwIfAborted() {
    if (this.#aborted) throw this.#reason;
  }
  static {
    web.isAbortSignal = isAbortSignal;
    function isAbortSignal(v) {
      return web.isObject(v) && #aborted in v;
    }
    web.signalAborted = (s) => s.#aborted;
    web.signalReason = (s) => s.#reason;
    web.signalAddAlgorithm = (s, fn) => {
      if (!s.#aborted) s.#algorithms.push(fn);
    };
    web.signalRemoveAlgorithm = (s, fn) => {
      const i = s.#algorithms.indexOf(fn);
      if (i >= 0) s.#algorithms.splice(i, 1);
    };
    web.newAbortSignal = () => new AbortSignal(KEY);
    // DOM 3.2 "signal abort".
    web.signalAbort = signalAbort;
    function signalAbort(signal, reason) {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason = reason === undefined ? abortError() : reason;
      const dependents = [];
      for (const d of signal.#dependents) {
        if (!d.#aborted) {
          d.#aborted = true;
          d.#reason = signal.#reason;
          dependents.push(d);
        }
      }
      runAbortSteps(signal);
      for (const d of dependents) runAbortSteps(d);
    }
    function runAbortSteps(signal) {
      const algorithms = signal.#algorithms;
      signal.#algorithms = [];
      for (const fn of algorithms) fn();
      web.fire(signal, new web.Event("abort"));
    }
  }
}
const isAbortSignal = web.isAbortSignal;
const signalAbort = web.signalAbort;
function abortError() {
  return new web.DOMException("signal is aborted without reason", "AbortError");
}
web.idlClass(AbortSignal);
web.defineEventHandler(AbortSignal.prototype, "abort");

class AbortController {
  #signal = new AbortSignal(KEY);
  constructor() {}
  get signal() {
    return this.#signal;
  }
  abort(reason = undefined) {
    signalAbort(this.#signal, reason);
  }
}
web.idlClass(AbortController);
