// The page side of the agent measurements (a page run by the page runner, with workers): a
// postMessage round trip to an echo worker, and an Atomics ping-pong over a SharedArrayBuffer
// between the page and a worker. Timed inside V8 with performance.now(); each sample is many
// round trips, so the clock's own cost (a crossing into Python) is spread over them. Reports one
// console line "BENCH <json>" per measurement: {id, perOpNs: [...], ops} or {id, na|error}.
"use strict";
(async () => {
  const config = globalThis.__benchConfig;
  const report = (o) => console.log("BENCH " + JSON.stringify(o));
  const clock = () => performance.now() * 1e6;
  if (typeof Worker !== "function") {
    report({ id: "*", na: "Worker is not defined in the page" });
    return;
  }

  // A pending Atomics.waitAsync does not keep the page's loop from going idle; a timer does.
  const keepAlive = setInterval(() => {}, 50);

  async function timed(id, roundTrip) {
    try {
      const warm = Math.max(4, config.ops >> 2);
      for (let i = 0; i < warm; i++) await roundTrip(i);
      const perOpNs = [];
      for (let s = 0; s < config.samples; s++) {
        const t0 = clock();
        for (let i = 0; i < config.ops; i++) await roundTrip(i);
        perOpNs.push((clock() - t0) / config.ops);
      }
      report({ id, perOpNs, ops: config.ops });
    } catch (e) {
      report({ id, error: `${e && e.name}: ${e && e.message}` });
    }
  }

  // postMessage round trip: page -> worker -> page, one message in flight.
  const echo = new Worker(config.echoUrl);
  let resolveEcho = null;
  echo.onmessage = (e) => resolveEcho(e.data);
  await timed("agents/post-" + config.mode, (i) =>
    new Promise((resolve) => {
      resolveEcho = resolve;
      echo.postMessage(i);
    }),
  );
  echo.terminate();

  // Atomics ping-pong: the page stores 1 and notifies, the worker (waiting with waitAsync) stores
  // 0 and notifies back; the page may not block, so it waits with waitAsync too. Needs a
  // SharedArrayBuffer that both agents see.
  if (config.mode !== "shared" || typeof SharedArrayBuffer !== "function" || !globalThis.crossOriginIsolated) {
    report({ id: "agents/pingpong", na: "needs shared mode (crossOriginIsolated)" });
  } else if (typeof Atomics.waitAsync !== "function") {
    report({ id: "agents/pingpong", na: "Atomics.waitAsync is not available" });
  } else {
    const sab = new SharedArrayBuffer(8);
    const cell = new Int32Array(sab);
    const ponger = new Worker(config.pongUrl);
    await new Promise((resolve) => {
      ponger.onmessage = resolve;
      ponger.postMessage(sab);
    });
    await timed("agents/pingpong", async () => {
      Atomics.store(cell, 0, 1);
      Atomics.notify(cell, 0);
      const w = Atomics.waitAsync(cell, 0, 1);
      if (w.async) await w.value;
    });
    Atomics.store(cell, 1, 1); // stop
    Atomics.store(cell, 0, 1);
    Atomics.notify(cell, 0);
    ponger.terminate();
  }
  clearInterval(keepAlive);
  report({ id: "done" });
})();
