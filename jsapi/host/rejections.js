// Unhandled promise rejections (HTML 8.1.4.7), emulated in JavaScript.
//
// mini-racer's public API gives no PromiseRejectCallback, so the host tracks promises itself
// once `install()` runs (pages do; test realms keep V8's untouched Promise):
// - `Promise` becomes a Proxy of itself whose construct trap watches every promise it builds,
//   and `Promise.prototype.constructor` points at it, so `then`/`catch`/`finally`, the static
//   combinators and `Promise.resolve/reject` all build watched promises (species lookups);
// - `Promise.prototype.then` marks its receiver handled (`catch`, `finally` and `await` all go
//   through it once the constructor is not the intrinsic one);
// - promises built by V8 itself (an async function's result) are watched when they are the
//   value returned by a task, timer, event listener, animation frame or classic script, and
//   scripts and modules are rewritten (jsapi/modules/asyncwrap.py) so that every async
//   function passes its result through `__jsapiTrack` (which watches once installed).
// A watched promise rejected with no handler by the time the microtasks of the task that
// rejected it are done is reported: an `unhandledrejection` event at the global (cancelable),
// then `Uncaught (in promise) <reason>` on the console, as Chrome prints it. A handler added
// later fires `rejectionhandled`.
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const NativePromise = Promise;
  const nativeThen = NativePromise.prototype.then;
  const watched = new WeakSet();
  const handled = new WeakSet();
  const pending = new Map(); // promise -> reason, rejected and not (yet) handled
  const reported = new WeakSet();
  let internal = false;
  let checkQueued = false;
  let installed = false;

  function describe(reason) {
    if (reason !== null && typeof reason === "object" && "stack" in reason && reason.stack) {
      return host.console.cleanStack(reason.stack);
    }
    if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
    if (typeof reason === "string") return reason;
    return host.console.inspect(reason);
  }

  function event(type, promise, reason) {
    return {
      type,
      promise,
      reason,
      defaultPrevented: false,
      cancelable: type === "unhandledrejection",
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
  }

  // Who a promise belongs to and where its events go. Workers of the page's isolate replace
  // these (configure): a promise belongs to the agent whose code made it, and its events reach
  // that agent's global scope.
  const owners = new WeakMap();
  const defaults = Object.freeze({
    owner: () => null,
    dispatch: (owner, e) => {
      global.dispatchEvent(e);
      return !e.defaultPrevented;
    },
    report: (owner, text) => {
      host.errors.push({ kind: "rejection", message: text.split("\n", 1)[0], text, filename: "" });
      host.console.emit("error", [text]);
    },
  });
  let agents = defaults;

  function check() {
    checkQueued = false;
    for (const [promise, reason] of [...pending]) {
      pending.delete(promise);
      reported.add(promise);
      const owner = owners.get(promise) ?? null;
      if (!agents.dispatch(owner, event("unhandledrejection", promise, reason))) continue;
      agents.report(owner, `Uncaught (in promise) ${describe(reason)}`);
    }
  }

  function rejected(promise, reason) {
    if (handled.has(promise)) return;
    pending.set(promise, reason);
    if (!checkQueued) {
      checkQueued = true;
      // A task runs after all microtasks queued now: handlers attached by them still count.
      host.loop.postTask(check, []);
    }
  }

  function watch(promise) {
    if (watched.has(promise)) return;
    watched.add(promise);
    const owner = agents.owner();
    if (owner !== null) owners.set(promise, owner);
    internal = true;
    try {
      nativeThen.call(promise, undefined, (reason) => rejected(promise, reason));
    } finally {
      internal = false;
    }
  }

  function markHandled(promise) {
    if (promise === null || typeof promise !== "object") return;
    handled.add(promise);
    if (pending.delete(promise)) return;
    if (reported.has(promise)) {
      reported.delete(promise);
      agents.dispatch(owners.get(promise) ?? null, event("rejectionhandled", promise, undefined));
    }
  }

  function install() {
    if (installed) return;
    installed = true;
    const TrackedPromise = new Proxy(NativePromise, {
      construct(target, args, newTarget) {
        const promise = Reflect.construct(target, args, newTarget === TrackedPromise ? target : newTarget);
        if (!internal) watch(promise);
        return promise;
      },
    });
    Object.defineProperty(NativePromise.prototype, "constructor", {
      value: TrackedPromise,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    Object.defineProperty(NativePromise.prototype, "then", {
      value: {
        then(onFulfilled, onRejected) {
          if (!internal) markHandled(this);
          return nativeThen.call(this, onFulfilled, onRejected);
        },
      }.then,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    Object.defineProperty(global, "Promise", {
      value: TrackedPromise,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    host.loop.setReturnedValueHook((value) => {
      if (value instanceof NativePromise) watch(value);
    });
  }

  Object.defineProperty(global, "__jsapiTrack", {
    value: (promise) => {
      if (installed) watch(promise);
      return promise;
    },
    writable: false,
    enumerable: false,
    configurable: false,
  });

  // hooks: {owner() -> owner or null, dispatch(owner, event) -> not canceled, report(owner, text)};
  // a hook left out keeps the page's behaviour, which `defaults` also offers to the hooks.
  function configure(hooks) {
    agents = { ...defaults, ...hooks };
  }

  host.rejections = Object.freeze({ install, watch, configure, defaults });
})(globalThis);
