// Runs before /resources/testharness.js in a jsshell-scope test.
//
// GLOBAL is what wptserve's generated wrappers define for .any.js tests. The load gate holds
// back testharness.js's "all scripts loaded" signal: its shell environment assumes the shell
// loads every script before the first microtask checkpoint, while here each script is its own
// V8 evaluation with a checkpoint after it. The first argument-less Promise.resolve() made
// while testharness.js evaluates (ShellTestEnvironment's) gets a promise that settles only
// when the runner says all scripts are loaded, as a window's load event would.
(function (global) {
  "use strict";

  const scope = global.__wptScope || "jsshell";
  Object.defineProperty(global, "GLOBAL", {
    value: {
      isWindow: () => scope === "window",
      isWorker: () => scope === "dedicatedworker",
      isShadowRealm: () => scope === "shadowrealm",
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });

  const realResolve = Promise.resolve;
  let release;
  const loaded = new Promise((resolve) => {
    release = resolve;
  });
  let armed = true;
  Promise.resolve = function resolve(...args) {
    if (armed && this === Promise && args.length === 0) {
      armed = false;
      Promise.resolve = realResolve;
      return loaded;
    }
    return Reflect.apply(realResolve, this, args);
  };

  Object.defineProperty(global, "__wptLoad", {
    value: Object.freeze({
      harnessEvaluated() {
        armed = false;
        Promise.resolve = realResolve;
      },
      allLoaded() {
        release();
      },
    }),
    enumerable: false,
  });
})(globalThis);
