// The runner's testharnessreport.js: collects subtest results as they arrive and the harness
// status at completion, then stops the host event loop. Python reads __wptReport.json().
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const subtests = [];
  let harness = null;

  function text(value) {
    return value === null || value === undefined ? null : String(value);
  }

  function subtest(t) {
    return { name: String(t.name), status: t.status, message: text(t.message), stack: text(t.stack) };
  }

  add_result_callback((t) => {
    subtests.push(subtest(t));
  });

  add_completion_callback((tests, status) => {
    harness = { status: status.status, message: text(status.message), stack: text(status.stack) };
    // Completion lists every test, including those that never reported (timed out, not run).
    subtests.length = 0;
    for (const t of tests) subtests.push(subtest(t));
    host.loop.stop("complete");
  });

  Object.defineProperty(global, "__wptReport", {
    value: Object.freeze({
      json: () => JSON.stringify({ harness, subtests }),
      // The runner's deadline: the harness's own timeout() marks unfinished tests and completes.
      onDeadline() {
        if (typeof global.timeout === "function") global.timeout();
      },
    }),
    enumerable: false,
  });
})(globalThis);
