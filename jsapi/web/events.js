// Event, CustomEvent and EventTarget (DOM 2). There is no node tree in this host, so dispatch
// is "at target" only: no capture or bubble path, but once/passive/signal, handleEvent objects,
// stopImmediatePropagation and event handler attributes (HTML 8.1.8) for other interfaces.
"use strict";
const web = bridge.web;
const NONE = 0, CAPTURING_PHASE = 1, AT_TARGET = 2, BUBBLING_PHASE = 3;

function reportException(e) {
  if (typeof web.reportException === "function") web.reportException(e);
  else if (typeof web.global.reportError === "function") web.global.reportError(e);
  else if (typeof console !== "undefined") console.error(e);
}

function isTrustedGetter() {
  const s = web.eventState(this);
  if (s === null) web.illegal();
  return s.trusted;
}

class Event {
  #s;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    }
    const init = web.dictionary(eventInitDict, "EventInit");
    this.#s = {
      type: web.toDOMString(type),
      bubbles: Boolean(init.bubbles),
      cancelable: Boolean(init.cancelable),
      composed: Boolean(init.composed),
      target: null,
      currentTarget: null,
      phase: NONE,
      stop: false,
      stopImmediate: false,
      canceled: false,
      inPassive: false,
      dispatching: false,
      initialized: true,
      trusted: false,
      timeStamp: typeof web.now === "function" ? web.now() : 0,
    };
    // [LegacyUnforgeable] (WebIDL 3.7.5): an own, non-configurable accessor on every instance.
    Object.defineProperty(this, "isTrusted", { get: isTrustedGetter, enumerable: true, configurable: false });
  }
  static {
    web.eventState = (e) => (web.isObject(e) && #s in e ? e.#s : null);
  }
  get type() {
    return this.#s.type;
  }
  get target() {
    return this.#s.target;
  }
  get srcElement() {
    return this.#s.target;
  }
  get currentTarget() {
    return this.#s.currentTarget;
  }
  composedPath() {
    const s = this.#s;
    return s.currentTarget === null ? [] : [s.currentTarget];
  }
  get eventPhase() {
    return this.#s.phase;
  }
  stopPropagation() {
    this.#s.stop = true;
  }
  get cancelBubble() {
    return this.#s.stop;
  }
  set cancelBubble(value) {
    if (value) this.#s.stop = true;
  }
  stopImmediatePropagation() {
    this.#s.stop = this.#s.stopImmediate = true;
  }
  get bubbles() {
    return this.#s.bubbles;
  }
  get cancelable() {
    return this.#s.cancelable;
  }
  get returnValue() {
    return !this.#s.canceled;
  }
  set returnValue(value) {
    if (!value) this.preventDefault();
  }
  preventDefault() {
    const s = this.#s;
    if (s.cancelable && !s.inPassive) s.canceled = true;
  }
  get defaultPrevented() {
    return this.#s.canceled;
  }
  get composed() {
    return this.#s.composed;
  }
  get timeStamp() {
    return this.#s.timeStamp;
  }
  initEvent(type, bubbles = false, cancelable = false) {
    const s = this.#s;
    if (arguments.length < 1) throw new TypeError("Failed to execute 'initEvent': 1 argument required.");
    if (s.dispatching) return;
    Object.assign(s, {
      type: web.toDOMString(type),
      bubbles: Boolean(bubbles),
      cancelable: Boolean(cancelable),
      stop: false,
      stopImmediate: false,
      canceled: false,
      trusted: false,
      target: null,
      initialized: true,
    });
  }
}
web.idlClass(Event);
for (const [name, value] of Object.entries({ NONE, CAPTURING_PHASE, AT_TARGET, BUBBLING_PHASE })) {
  const d = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(Event, name, d);
  Object.defineProperty(Event.prototype, name, d);
}

class CustomEvent extends Event {
  #detail;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
    }
    super(type, eventInitDict);
    const init = web.dictionary(eventInitDict, "CustomEventInit");
    this.#detail = init.detail === undefined ? null : init.detail;
  }
  get detail() {
    return this.#detail;
  }
  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'initCustomEvent': 1 argument required.");
    if (web.eventState(this).dispatching) return;
    this.initEvent(type, bubbles, cancelable);
    this.#detail = detail;
  }
}
web.idlClass(CustomEvent);

// DOM 2.7: "flatten more" of the options argument.
function flattenOptions(options) {
  if (typeof options === "boolean" || !web.isObject(options)) {
    return { capture: Boolean(options), once: false, passive: null, signal: null };
  }
  const out = {
    capture: Boolean(options.capture),
    once: Boolean(options.once),
    passive: options.passive === undefined ? null : Boolean(options.passive),
    signal: null,
  };
  if (options.signal !== undefined) {
    if (!web.isAbortSignal || !web.isAbortSignal(options.signal)) {
      throw new TypeError("Failed to read the 'signal' property from 'AddEventListenerOptions': Failed to convert value to 'AbortSignal'.");
    }
    out.signal = options.signal;
  }
  return out;
}

class EventTarget {
  #listeners = new Map(); // type -> array of listener records
  constructor() {}
  addEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required.");
    }
    const key = web.toDOMString(type);
    if (callback !== null && !web.isObject(callback)) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
    }
    const o = flattenOptions(options);
    const list = this.#listeners;
    if (o.signal !== null && web.signalAborted(o.signal)) return;
    if (callback === null) return;
    let entries = list.get(key);
    if (entries === undefined) list.set(key, (entries = []));
    if (entries.some((l) => l.callback === callback && l.capture === o.capture)) return;
    const listener = { type: key, callback, capture: o.capture, once: o.once, passive: o.passive ?? false, removed: false };
    entries.push(listener);
    if (o.signal !== null) {
      web.signalAddAlgorithm(o.signal, () => removeListener(this.#listeners, listener));
    }
  }
  removeEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'removeEventListener' on 'EventTarget': 2 arguments required.");
    }
    const key = web.toDOMString(type);
    const capture = typeof options === "boolean" || !web.isObject(options) ? Boolean(options) : Boolean(options.capture);
    const entries = this.#listeners.get(key);
    if (entries === undefined) return;
    const found = entries.find((l) => l.callback === callback && l.capture === capture);
    if (found) removeListener(this.#listeners, found);
  }
  dispatchEvent(event) {
    const s = web.eventState(event);
    if (s === null) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    }
    if (s.dispatching || !s.initialized) {
      throw new web.DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", "InvalidStateError");
    }
    s.trusted = false;
    return dispatch(this, event);
  }
  static {
    web.listenersOf = (t) => t.#listeners;
    web.isEventTarget = (t) => web.isObject(t) && #listeners in t;
  }
}
web.idlClass(EventTarget);

function removeListener(map, listener) {
  listener.removed = true;
  const entries = map.get(listener.type);
  if (entries === undefined) return;
  const i = entries.indexOf(listener);
  if (i >= 0) entries.splice(i, 1);
}

// DOM 2.9 dispatch, reduced to the target itself.
function dispatch(target, event) {
  const s = web.eventState(event);
  s.dispatching = true;
  s.target = target;
  s.currentTarget = target;
  s.phase = AT_TARGET;
  const map = web.listenersOf(target);
  const entries = map.get(s.type);
  if (entries !== undefined && !s.stop) {
    for (const l of entries.slice()) {
      if (l.removed) continue;
      if (l.once) removeListener(map, l);
      if (l.passive) s.inPassive = true;
      try {
        const cb = l.callback;
        if (typeof cb === "function") cb.call(target, event);
        else {
          const handleEvent = cb.handleEvent;
          if (typeof handleEvent !== "function") throw new TypeError("handleEvent is not a function");
          handleEvent.call(cb, event);
        }
      } catch (e) {
        reportException(e);
      }
      s.inPassive = false;
      if (s.stopImmediate) break;
    }
  }
  s.phase = NONE;
  s.currentTarget = null;
  s.dispatching = false;
  s.stop = s.stopImmediate = false;
  return !s.canceled;
}

// Fires a trusted event (the platform's own), returning whether it was not canceled.
web.fire = function fire(target, event) {
  web.eventState(event).trusted = true;
  return dispatch(target, event);
};

// HTML 8.1.8.1: an `on<type>` event handler IDL attribute on proto; the handler's listener is
// registered once, at the position of the first non-null assignment.
web.defineEventHandler = function defineEventHandler(proto, type) {
  const slot = new WeakMap(); // target -> {value, listener}
  Object.defineProperty(proto, "on" + type, {
    get() {
      if (!web.isEventTarget(this)) web.illegal();
      const h = slot.get(this);
      return h === undefined ? null : h.value;
    },
    set(value) {
      if (!web.isEventTarget(this)) web.illegal();
      const v = web.isObject(value) ? value : null;
      let h = slot.get(this);
      if (h === undefined) slot.set(this, (h = { value: null, listener: null }));
      h.value = v;
      if (v === null && h.listener) {
        EventTarget.prototype.removeEventListener.call(this, type, h.listener);
        h.listener = null;
      } else if (v !== null && !h.listener) {
        const holder = h;
        h.listener = function (event) {
          if (typeof holder.value !== "function") return;
          const result = holder.value.call(this, event);
          if (result === false && type !== "error") event.preventDefault();
        };
        EventTarget.prototype.addEventListener.call(this, type, h.listener);
      }
    },
    enumerable: true,
    configurable: true,
  });
};

web.Event = Event;
web.EventTarget = EventTarget;
