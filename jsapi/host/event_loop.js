// The host event loop (HTML 8.1.7), run inside V8 so that no task costs a Python -> JS call.
//
// One macrotask queue plus timers ordered by (due time, sequence). After every task the loop
// yields a real V8 macrotask (an Atomics.waitAsync resolved by Atomics.notify), which performs
// a full microtask checkpoint and lets V8's own platform tasks (e.g. finished asynchronous
// WebAssembly compilations) run. With virtual time, an idle loop jumps the clock to the next
// timer instead of sleeping.
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  // A real sleep is cut into slices so that a stop request or a deadline is noticed promptly.
  const MAX_SLEEP_MS = 50;

  // Captured before a page can replace Date.now (virtual time replaces it with now()).
  const realDateNow = Date.now;
  const NativePromise = Promise;
  const nativeThen = Promise.prototype.then;
  const tasks = [];
  let taskHead = 0;
  const timers = []; // sorted by (due, seq)
  const activeTimers = new Map(); // id -> timer record
  let nextTimerId = 1;
  let timerSeq = 0;
  let clockOffset = 0;
  let virtualTime = false;
  let sleeping = false;
  let running = false;
  let stopReason = null;
  // Operations that will queue work later (fetches, asynchronous compilations): while any is
  // pending the page is not quiescent even with no task or timer queued.
  let pendingOps = 0;
  // HTML 8.6 timer nesting level of the task that is running (0 outside of timer tasks).
  let currentNesting = 0;
  const NESTING_CLAMP_LEVEL = 5;
  const NESTING_CLAMP_MS = 4;
  // Promises returned by callbacks are shown to this hook (unhandled rejection tracking).
  let returnedValueHook = null;

  function now() {
    return realDateNow() + clockOffset;
  }

  function wake() {
    if (sleeping) Atomics.notify(cell, 0);
  }

  // A fresh macrotask: everything queued as a microtask before it runs first.
  function yieldMacrotask(ms) {
    const r = ms === undefined ? Atomics.waitAsync(cell, 0, 0) : Atomics.waitAsync(cell, 0, 0, ms);
    if (!r.async) return Promise.resolve();
    if (ms === undefined) Atomics.notify(cell, 0);
    return r.value;
  }

  function postTask(fn, args) {
    tasks.push({ fn, args: args || [] });
    wake();
  }

  function insertTimer(t) {
    let lo = 0;
    let hi = timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const o = timers[mid];
      if (o.due < t.due || (o.due === t.due && o.seq < t.seq)) lo = mid + 1;
      else hi = mid;
    }
    timers.splice(lo, 0, t);
    wake();
  }

  function removeTimer(t) {
    const i = timers.indexOf(t);
    if (i >= 0) timers.splice(i, 1);
  }

  function toHandler(handler) {
    if (typeof handler === "function") return handler;
    const code = String(handler);
    // HTML timer initialization steps: a string handler is compiled as a classic script.
    return () => (0, eval)(code);
  }

  function timerDelay(timeout, nesting) {
    const ms = Number(timeout);
    const delay = ms > 0 && Number.isFinite(ms) ? ms : 0;
    // HTML 8.6 timer initialization steps 10-11: deeply nested timers wait at least 4 ms.
    return nesting > NESTING_CLAMP_LEVEL && delay < NESTING_CLAMP_MS ? NESTING_CLAMP_MS : delay;
  }

  function addTimer(handler, timeout, args, repeat) {
    const id = nextTimerId++;
    const nesting = currentNesting + 1;
    const delay = timerDelay(timeout, currentNesting);
    const t = {
      id,
      due: now() + delay,
      seq: timerSeq++,
      fn: toHandler(handler),
      args,
      repeat,
      delay,
      timeout,
      nesting,
    };
    activeTimers.set(id, t);
    insertTimer(t);
    return id;
  }

  function clearTimer(id) {
    const t = activeTimers.get(Number(id));
    if (t === undefined) return;
    activeTimers.delete(t.id);
    removeTimer(t);
  }

  function fireTimer(t) {
    if (!activeTimers.has(t.id)) return;
    if (t.repeat) {
      // An interval's next run is a new timer task one nesting level deeper.
      t.delay = timerDelay(t.timeout, t.nesting);
      t.nesting++;
      t.due = now() + t.delay;
      t.seq = timerSeq++;
      insertTimer(t);
    } else {
      activeTimers.delete(t.id);
    }
    // Saved and restored: a timer may run nested in another task (runDueTask).
    const outer = currentNesting;
    currentNesting = t.repeat ? t.nesting - 1 : t.nesting;
    try {
      observe(t.fn.apply(global, t.args));
    } finally {
      currentNesting = outer;
    }
  }

  function observe(value) {
    if (returnedValueHook !== null && value !== null && typeof value === "object") {
      returnedValueHook(value);
    }
  }

  // Keeps the page alive until `promise` settles.
  function keepAlive(promise) {
    pendingOps++;
    const done = () => {
      pendingOps--;
      wake();
    };
    // The intrinsic `then`: watching a promise must not count as handling its rejection.
    if (promise instanceof NativePromise) nativeThen.call(promise, done, done);
    else nativeThen.call(NativePromise.resolve(promise), done, done);
    return promise;
  }

  function idle() {
    return taskHead >= tasks.length && timers.length === 0 && pendingOps === 0;
  }

  function moveDueTimers() {
    const at = now();
    while (timers.length > 0 && timers[0].due <= at) {
      const t = timers.shift();
      tasks.push({ fn: fireTimer, args: [t] });
    }
  }

  function takeTask() {
    // Due timers join the queue behind the tasks already in it (HTML: a timer queues its task
    // when it fires), so a task that keeps re-queueing itself (a poll) cannot starve them.
    if (timers.length > 0) moveDueTimers();
    if (taskHead >= tasks.length) return null;
    const task = tasks[taskHead];
    tasks[taskHead++] = undefined;
    if (taskHead > 1024 && taskHead * 2 > tasks.length) {
      tasks.splice(0, taskHead);
      taskHead = 0;
    }
    return task;
  }

  function runTask(task) {
    try {
      observe(task.fn.apply(global, task.args));
    } catch (e) {
      host.reportError(e);
    }
  }

  // Runs tasks until stop() is called; resolves with the reason ("stopped", or "idle" with
  // `stopWhenIdle` once nothing is left to do). Time limits are Python's (Realm.run_loop): V8's
  // Date.now follows the machine's wall clock, which can leap.
  async function run(options) {
    if (running) throw new Error("the event loop is already running");
    running = true;
    // A stop requested before the loop started (e.g. by a microtask of the last script) holds.
    const opts = options || {};
    virtualTime = Boolean(opts.virtualTime);
    const stopWhenIdle = Boolean(opts.stopWhenIdle);
    try {
      while (stopReason === null) {
        const task = takeTask();
        if (task !== null) {
          runTask(task);
          await yieldMacrotask();
          continue;
        }
        if (stopWhenIdle && idle()) {
          // V8's own platform tasks (e.g. a native asynchronous compile) are invisible here:
          // give them a few real macrotasks to queue work before calling the page quiescent.
          let settled = true;
          for (let i = 0; i < 3 && settled; i++) {
            await yieldMacrotask(1);
            settled = idle() && stopReason === null;
          }
          if (settled) return "idle";
          continue;
        }
        let sleepMs = MAX_SLEEP_MS;
        if (timers.length > 0) sleepMs = Math.min(sleepMs, Math.max(timers[0].due - now(), 0));
        if (virtualTime && timers.length > 0 && pendingOps === 0) {
          // Let pending platform work settle first; jump only if the loop is still idle.
          await yieldMacrotask(1);
          if (taskHead < tasks.length || stopReason !== null || timers.length === 0) continue;
          const ahead = timers[0].due - now();
          if (ahead > 0) clockOffset += ahead;
          continue;
        }
        sleeping = true;
        try {
          await yieldMacrotask(Math.max(sleepMs, 0.001));
        } finally {
          sleeping = false;
        }
      }
      return stopReason;
    } finally {
      running = false;
      stopReason = null;
    }
  }

  // Runs one queued task or due timer now, nested in the task that is running: a worker blocked
  // in a wait lets the page's timers and tasks run (their microtasks wait for the outer task).
  function runDueTask() {
    const task = takeTask();
    if (task === null) return false;
    runTask(task);
    return true;
  }

  function nextTimerDue() {
    return timers.length > 0 ? timers[0].due : Infinity;
  }

  // Python learns that a run ended by reading this buffer, not by awaiting the run's promise:
  // awaiting goes through mini-racer's event-loop thread, which a task that never yields to V8
  // (an endless native wait) would block, and with it every time limit. Layout: int32 length of
  // the reason (-1: empty), then its bytes; 0 while the run goes on.
  const doneBuffer = new SharedArrayBuffer(260);
  const doneLength = new Int32Array(doneBuffer, 0, 1);
  const doneText = new Uint8Array(doneBuffer, 4);

  function runSignalled(options) {
    Atomics.store(doneLength, 0, 0);
    // Reasons are short ASCII words ("stopped", "deadline", "idle"...); others become "?".
    const settle = (reason) => {
      const text = String(reason).slice(0, doneText.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        doneText[i] = c < 0x80 ? c : 0x3f;
      }
      Atomics.store(doneLength, 0, text.length || -1);
    };
    nativeThen.call(run(options), settle, (e) => settle(`error: ${e}`));
    return doneBuffer;
  }

  function stop(reason) {
    if (stopReason === null) stopReason = reason === undefined ? "stopped" : String(reason);
    wake();
  }

  host.loop = Object.freeze({
    run,
    runSignalled,
    stop,
    now,
    postTask,
    runDueTask,
    nextTimerDue,
    addTimer,
    clearTimer,
    keepAlive,
    observe,
    setReturnedValueHook(hook) {
      returnedValueHook = hook;
    },
    isIdle: idle,
    isVirtualTime: () => virtualTime,
    pendingOps: () => pendingOps,
    pendingTimers: () => timers.length,
    pendingTasks: () => tasks.length - taskHead,
  });
})(globalThis);
