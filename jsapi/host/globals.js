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
        if (typeof entry.callback === "function") entry.callback.call(global, event);
        else entry.callback.handleEvent(event);
      } catch (e) {
        host.console.emit("error", [`Uncaught (in event listener) ${errorText(e)}`]);
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
      host.console.emit("error", [stack ? `Uncaught ${String(stack)}` : message]);
    }
  };

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
