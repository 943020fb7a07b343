// The parts of a global object every host realm has: self, timers (HTML 8.6),
// queueMicrotask (HTML 8.7), reportError (HTML 8.1.4.6) and the global's event listeners,
// through which uncaught script errors reach "error" listeners the way they do in a window.
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const loop = host.loop;
  const listeners = new Map(); // type -> array of {callback, once}

  function define(name, value) {
    const existing = Object.getOwnPropertyDescriptor(global, name);
    if (existing !== undefined && !existing.configurable) {
      // mini-racer declares its own timers with `var`: replace the value, keep the binding.
      global[name] = value;
      return;
    }
    Object.defineProperty(global, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }

  function errorText(error) {
    if (error !== null && typeof error === "object" && "message" in error) {
      const name = error.name === undefined ? "Error" : String(error.name);
      return `${name}: ${String(error.message)}`;
    }
    return String(error);
  }

  function dispatch(event) {
    const list = listeners.get(event.type);
    if (list === undefined || list.length === 0) return false;
    for (const entry of list.slice()) {
      if (entry.once) removeListener(event.type, entry.callback);
      try {
        if (typeof entry.callback === "function") loop.observe(entry.callback.call(global, event));
        else loop.observe(entry.callback.handleEvent(event));
      } catch (e) {
        host.reportError(e);
      }
    }
    return true;
  }

  function removeListener(type, callback) {
    const list = listeners.get(String(type));
    if (list === undefined) return;
    const i = list.findIndex((e) => e.callback === callback);
    if (i >= 0) list.splice(i, 1);
  }

  // Reports an exception the way HTML's "report an exception" does: an ErrorEvent-shaped
  // event at the global, and the console when no listener took it.
  host.reportError = function reportError(error, where) {
    const at = where || {};
    const message = `Uncaught ${errorText(error)}`;
    const event = {
      type: "error",
      message,
      error,
      filename: at.filename || "",
      lineno: at.lineno || 0,
      colno: at.colno || 0,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    dispatch(event);
    if (!event.defaultPrevented) {
      const stack = error !== null && typeof error === "object" && error.stack;
      const text = stack ? `Uncaught ${host.console.cleanStack(stack)}` : message;
      host.errors.push({ kind: "exception", message, text, filename: event.filename });
      host.console.emit("error", [text]);
    }
  };
  host.dispatchGlobal = dispatch;
  // Every report that no listener took, in order (the page runner's exit status).
  host.errors = [];

  // An Error standing for an exception V8 reported as text (a script's uncaught exception).
  host.scriptError = function scriptError(message, stack) {
    const i = message.indexOf(": ");
    const error = new Error(i >= 0 ? message.slice(i + 2) : message);
    if (i >= 0) error.name = message.slice(0, i);
    error.stack = stack;
    return error;
  };

  define("self", global);
  define("addEventListener", function addEventListener(type, callback, options) {
    if (callback === null || callback === undefined) return;
    const key = String(type);
    const once = typeof options === "object" && options !== null && Boolean(options.once);
    let list = listeners.get(key);
    if (list === undefined) listeners.set(key, (list = []));
    if (!list.some((e) => e.callback === callback)) list.push({ callback, once });
  });
  define("removeEventListener", function removeEventListener(type, callback) {
    removeListener(type, callback);
  });
  define("dispatchEvent", function dispatchEvent(event) {
    if (event === null || typeof event !== "object" || !("type" in event)) {
      throw new TypeError("Failed to execute 'dispatchEvent': parameter 1 is not an event.");
    }
    dispatch(event);
    return !event.defaultPrevented;
  });
  define("reportError", function reportError(e) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present.");
    }
    host.reportError(e);
  });

  define("setTimeout", function setTimeout(handler, timeout, ...args) {
    return loop.addTimer(handler, timeout, args, false);
  });
  define("setInterval", function setInterval(handler, timeout, ...args) {
    return loop.addTimer(handler, timeout, args, true);
  });
  define("clearTimeout", function clearTimeout(id) {
    loop.clearTimer(id);
  });
  define("clearInterval", function clearInterval(id) {
    loop.clearTimer(id);
  });
  // HTML 8.10 animation frames: one frame every ~16.7 ms (60 Hz) on the loop's clock, so
  // that virtual time runs frames without waiting. Callbacks registered during a frame run in
  // the next one; all callbacks of a frame get the same timestamp.
  const FRAME_MS = 1000 / 60;
  const timeOrigin = loop.now();
  let frameCallbacks = new Map();
  let nextFrameId = 1;
  let frameTimer = null;
  let frameDue = 0;
  let lastFrame = -Infinity;
  function runFrame() {
    frameTimer = null;
    const callbacks = frameCallbacks;
    frameCallbacks = new Map();
    lastFrame = frameDue;
    const timestamp = frameDue - timeOrigin;
    for (const callback of callbacks.values()) {
      try {
        loop.observe(callback.call(global, timestamp));
      } catch (e) {
        host.reportError(e);
      }
    }
  }
  define("requestAnimationFrame", function requestAnimationFrame(callback) {
    if (typeof callback !== "function") {
      throw new TypeError(
        "Failed to execute 'requestAnimationFrame' on 'Window': " +
          "The callback provided as parameter 1 is not a function.",
      );
    }
    const id = nextFrameId++;
    frameCallbacks.set(id, callback);
    if (frameTimer === null) {
      const at = loop.now() - timeOrigin;
      // Never the frame that just ran (floating point may round its time down a frame).
      const next = timeOrigin + (Math.floor(at / FRAME_MS) + 1) * FRAME_MS;
      frameDue = Math.max(next, lastFrame + FRAME_MS);
      frameTimer = loop.addTimer(runFrame, frameDue - loop.now(), [], false);
    }
    return id;
  });
  define("cancelAnimationFrame", function cancelAnimationFrame(id) {
    frameCallbacks.delete(Number(id));
    if (frameCallbacks.size === 0 && frameTimer !== null) {
      loop.clearTimer(frameTimer);
      frameTimer = null;
    }
  });

  const resolved = Promise.resolve();
  const then = Promise.prototype.then;
  define("queueMicrotask", function queueMicrotask(callback) {
    if (typeof callback !== "function") {
      throw new TypeError(
        "Failed to execute 'queueMicrotask': The callback provided as parameter 1 is not a function.",
      );
    }
    then.call(resolved, () => {
      try {
        callback();
      } catch (e) {
        host.reportError(e);
      }
    });
  });
})(globalThis);
