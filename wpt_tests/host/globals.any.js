// META: global=jsshell,window,dedicatedworker
// META: title=Host globals

// Reported errors would otherwise end the whole file with ERROR, as they do in a window.
setup({ allow_uncaught_exception: true });

test(() => {
  assert_equals(self, globalThis);
  for (const name of ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "queueMicrotask"]) {
    assert_equals(typeof self[name], "function", name);
  }
}, "self and the timer functions");

test(() => {
  for (const name of ["log", "info", "warn", "error", "debug", "assert", "group", "groupEnd"]) {
    assert_equals(typeof console[name], "function", `console.${name}`);
  }
  console.log("hello %s, %d items", "world", 3, { a: [1, 2] });
  console.assert(true, "not printed");
  console.count();
}, "console methods exist and accept any arguments");

async_test((t) => {
  const listener = t.step_func((event) => {
    removeEventListener("error", listener);
    event.preventDefault();
    assert_equals(event.type, "error");
    assert_true(event.error instanceof RangeError, "the thrown error");
    t.done();
  });
  addEventListener("error", listener);
  reportError(new RangeError("reported"));
}, "reportError dispatches an error event at the global");
