// Agents of one isolate and their deterministic scheduler (shared mode).
//
// Every agent (the page and each dedicated worker) has its own task queue. A pump task on the
// host event loop runs one task of one runnable agent at a time; which agent runs next is
// drawn from a PRNG seeded by the run's seed, so one seed gives one interleaving.
//
// One thread cannot suspend JS frames, so a worker blocked in Atomics.wait keeps its frames on
// the stack and runs the other agents' tasks nested above them until it is notified or times
// out; a worker waiting in wasm sets its Python frames aside instead (see "blocking"). An agent
// whose JS frames are buried cannot run again until the agents above it return: when nothing
// can make progress, the run stops with a deadlock report (each agent and the JS stack where it
// waits) instead of hanging.
"use strict";
const web = bridge.web;
const G = web.global;
const host = G.__jsapiHost;
const loop = host.loop;
const W = (bridge.workers = bridge.workers || Object.create(null));
// Python reads the scheduler's state through the host namespace (the bridge key is deleted).
host.workers = W;

const nativeWait = Atomics.wait;
const nativeNotify = Atomics.notify;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
// Sentinels thrown to unwind the frames of a terminated agent or of a deadlocked run.
const TERMINATED = Object.freeze({ jsapiWorkerTerminated: true });
const DEADLOCK = Object.freeze({ jsapiDeadlock: true });
W.TERMINATED = TERMINATED;
W.DEADLOCK = DEADLOCK;

// mulberry32: small, fast, and the same sequence on every platform for a seed.
function prng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let random = prng(0);
let nextAgentId = 0;
const agents = new Map(); // id -> agent
let current = null;
let pumpPosted = false;
let deadlocked = null; // the report, once the run deadlocked
const trace = []; // (agent id) of every task run, for replay checks
const waiters = []; // the waiter list of every location (see "blocking")

function makeAgent(kind, name, url, parent) {
  const agent = {
    id: nextAgentId++,
    kind,
    name,
    url,
    parent,
    queue: [],
    timers: new Set(),
    state: "running", // "closing" after close(), "terminated"
    depth: 0, // how many of its frames are on the stack (nested runs)
    blocked: null, // {what, stack, waiter} while it waits
    scope: null,
    reportError: null,
  };
  agents.set(agent.id, agent);
  return agent;
}

const main = makeAgent("main", "main", null, null);
current = main;
W.main = main;
W.agents = agents;
W.current = () => current;

W.configure = function configure(options) {
  random = prng(Number(options.seed) || 0);
};

function label(agent) {
  if (agent.kind === "main") return "main";
  const name = agent.name ? ` "${agent.name}"` : "";
  return `worker ${agent.id}${name} (${agent.url})`;
}
W.label = label;

function runnable() {
  const out = [];
  for (const a of agents.values()) {
    if (a.queue.length > 0 && a.depth === 0 && a.state !== "terminated") out.push(a);
  }
  return out;
}

function choose(list) {
  if (list.length === 0) return null;
  if (list.length === 1) return list[0];
  return list[Math.floor(random() * list.length)];
}

// Runs fn as a task of agent: it is the current agent, and its uncaught errors are its own.
function runAs(agent, fn) {
  const previous = current;
  current = agent;
  agent.depth++;
  try {
    fn();
  } catch (e) {
    if (e === DEADLOCK) throw e;
    if (e !== TERMINATED && agent.state !== "terminated") reportError(agent, e);
  } finally {
    agent.depth--;
    current = previous;
  }
}
W.runAs = runAs;

function reportError(agent, e) {
  if (agent.reportError !== null) agent.reportError(e);
  else host.reportError(e);
}

function runOne(agent) {
  const fn = agent.queue.shift();
  trace.push(agent.id);
  runAs(agent, fn);
}

function pump() {
  pumpPosted = false;
  if (deadlocked !== null) return;
  const agent = choose(runnable());
  if (agent !== null) {
    try {
      runOne(agent);
    } catch (e) {
      if (e !== DEADLOCK) throw e;
    }
  }
  requestPump();
}

function requestPump() {
  if (pumpPosted || deadlocked !== null) return;
  for (const a of agents.values()) {
    if (a.queue.length > 0 && a.depth === 0 && a.state !== "terminated") {
      pumpPosted = true;
      loop.postTask(pump, []);
      return;
    }
  }
}

W.enqueue = function enqueue(agent, fn) {
  if (agent.state !== "running" || deadlocked !== null) return;
  agent.queue.push(fn);
  requestPump();
};

// ---- timers: one host timer armed for the earliest due agent timer ----------------------------
const timers = []; // sorted by (due, seq)
let timerSeq = 0;
let nextTimerId = 1;
const timerById = new Map();
let armed = null; // {id, due} of the host timer

function insertTimer(t) {
  let i = timers.length;
  while (i > 0 && (timers[i - 1].due > t.due || (timers[i - 1].due === t.due && timers[i - 1].seq > t.seq))) i--;
  timers.splice(i, 0, t);
}

function arm() {
  if (timers.length === 0) {
    if (armed !== null) loop.clearTimer(armed.id);
    armed = null;
    return;
  }
  const due = timers[0].due;
  if (armed !== null && armed.due === due) return;
  if (armed !== null) loop.clearTimer(armed.id);
  armed = { due, id: loop.addTimer(fireDue, Math.max(due - loop.now(), 0), [], false) };
}

function moveDueTimers() {
  const at = loop.now();
  let moved = false;
  while (timers.length > 0 && timers[0].due <= at) {
    const t = timers.shift();
    moved = true;
    if (t.repeat) {
      t.due = at + t.delay;
      t.seq = timerSeq++;
      insertTimer(t);
    } else {
      timerById.delete(t.id);
      t.agent.timers.delete(t.id);
    }
    W.enqueue(t.agent, () => t.fn());
  }
  return moved;
}

function fireDue() {
  armed = null;
  moveDueTimers();
  arm();
}

W.addTimer = function addTimer(agent, fn, ms, repeat) {
  const delay = Number(ms) > 0 ? Number(ms) : 0;
  const t = { id: nextTimerId++, agent, fn, delay, repeat, due: loop.now() + delay, seq: timerSeq++ };
  timerById.set(t.id, t);
  agent.timers.add(t.id);
  insertTimer(t);
  arm();
  return t.id;
};

W.clearTimer = function clearTimer(agent, id) {
  const t = timerById.get(Number(id));
  if (t === undefined || t.agent !== agent) return;
  timerById.delete(t.id);
  agent.timers.delete(t.id);
  const i = timers.indexOf(t);
  if (i >= 0) timers.splice(i, 1);
  arm();
};

// ---- life cycle ----------------------------------------------------------------------------------
W.spawn = function spawn(name, url, parent) {
  return makeAgent("worker", name, url, parent);
};

W.close = function close(agent) {
  // WorkerGlobalScope close(): queued tasks are discarded; the running task completes.
  if (agent.state === "running") agent.state = "closing";
  agent.queue.length = 0;
  for (const id of [...agent.timers]) W.clearTimer(agent, id);
};

W.terminate = function terminate(agent) {
  if (agent.state === "terminated") return;
  W.close(agent);
  agent.state = "terminated";
  // Its waiters leave the waiter lists (a notify no longer counts them); a request of it parked
  // in wasm is resumed with "terminated", which unwinds its Python frames.
  for (const w of waiters.filter((w) => w.agent === agent)) removeWaiter(w);
  if (parked.some((w) => w.agent === agent)) loop.postTask(unwindTerminated, []);
  for (const child of agents.values()) {
    if (child.parent === agent) terminate(child);
  }
  if (agent.onTerminate) agent.onTerminate();
};

// ---- blocking ------------------------------------------------------------------------------------
// One waiter list for the cluster (ECMA-262 WaiterList, threads proposal for wasm): Atomics.wait
// and memory.atomic.wait on the same location queue together and either notify wakes both, FIFO.
// A location is (key, byte index); the key of a shared WebAssembly.Memory's buffer is the memory
// (its buffer object changes on grow), any other buffer is its own key.
//
// A JS waiter keeps its frames on the stack and runs the other agents' tasks nested above them.
// A wasm waiter is a parked bridge request (Bridge.park): its Python frames are set aside and it
// is resumed from whatever frame is on top once notified, so agents waiting in wasm pass any
// number of barriers in any order; only their return to JS waits for the frames above.
const owners = (bridge.bufferOwners = bridge.bufferOwners || new WeakMap());
const keyOf = (buffer) => owners.get(buffer) || buffer;

function sleep(ms) {
  nativeWait(sleepCell, 0, 0, Math.max(ms, 0));
}

// Resumes the oldest wasm waiter that was notified or whose time ran out. True if it did.
function resumeParked(now) {
  for (const w of parked) {
    if (!w.woken && now < w.deadline && w.agent.state !== "terminated") continue;
    parked.splice(parked.indexOf(w), 1);
    if (!w.woken) removeWaiter(w);
    if (w.agent.blocked !== null && w.agent.blocked.waiter === w) w.agent.blocked = null;
    const outcome = w.agent.state === "terminated" ? -2 : w.woken ? 0 : 2;
    runAs(w.agent, () => bridge.resume(w.token, outcome));
    return true;
  }
  return false;
}

// Resumes the parked requests of terminated agents (their frames have unwound by now).
function unwindTerminated() {
  for (const w of parked.filter((w) => w.agent.state === "terminated")) {
    parked.splice(parked.indexOf(w), 1);
    runAs(w.agent, () => bridge.resume(w.token, -2));
  }
}

function parkedDeadline() {
  let d = Infinity;
  for (const w of parked) if (w.deadline < d) d = w.deadline;
  return d;
}

// Runs other work until done() returns a value other than undefined, or the deadline passes
// ("timed-out"): due timers, notified wasm waiters, other agents' tasks; sleeps while only time
// can help; declares a deadlock when nothing can.
function waitLoop(done, deadline, innermost) {
  for (;;) {
    if (deadlocked !== null) throw DEADLOCK;
    const r = done();
    if (r !== undefined) return r;
    const now = loop.now();
    if (now >= deadline) return "timed-out";
    if (moveDueTimers()) continue;
    if (resumeParked(now)) continue;
    const next = choose(runnable());
    if (next !== null) {
      runOne(next);
      continue;
    }
    // The page's own tasks and timers (the host loop's), as a task of the main agent.
    const pageCanRun = main.depth === 0 && main.state === "running";
    if (pageCanRun && runAsMain()) continue;
    const pageTimer = pageCanRun ? loop.nextTimerDue() : Infinity;
    const nextTimer = Math.min(timers.length > 0 ? timers[0].due : Infinity, pageTimer);
    const until = Math.min(deadline, nextTimer, parkedDeadline());
    if (until !== Infinity) {
      sleep(Math.min(until - now, 50));
      continue;
    }
    declareDeadlock(innermost);
    throw DEADLOCK;
  }
}

function runAsMain() {
  let ran = false;
  runAs(main, () => {
    ran = loop.runDueTask();
  });
  return ran;
}

// Blocks `agent` until waiter.woken or the timeout (ms, may be Infinity). Returns "ok" or
// "timed-out".
function block(agent, waiter, timeout, what) {
  agent.depth++;
  agent.blocked = { what, stack: new Error().stack, waiter };
  const previous = current;
  try {
    return waitLoop(
      () => {
        if (agent.state === "terminated") throw TERMINATED;
        return waiter.woken ? "ok" : undefined;
      },
      loop.now() + timeout,
      agent,
    );
  } finally {
    current = previous;
    agent.blocked = null;
    agent.depth--;
    removeWaiter(waiter);
  }
}
W.block = block;

// A frame whose bridge request is parked (its agent waits in wasm) waits here for its reply.
bridge.parkHook = function parkHook(replied) {
  const agent = current;
  const previous = current;
  try {
    waitLoop(
      () => {
        if (agent.state === "terminated") throw TERMINATED;
        return replied() ? true : undefined;
      },
      Infinity,
      agent,
    );
  } finally {
    current = previous;
  }
};

function removeWaiter(w) {
  const i = waiters.indexOf(w);
  if (i >= 0) waiters.splice(i, 1);
}

// Wakes up to `count` waiters on the location, oldest first; returns how many.
function wake(key, byteIndex, count) {
  let n = 0;
  for (let i = 0; i < waiters.length && n < count; ) {
    const w = waiters[i];
    if (w.key === key && w.byteIndex === byteIndex) {
      w.woken = true;
      waiters.splice(i, 1);
      n++;
    } else {
      i++;
    }
  }
  return n;
}

function cleanStack(stack) {
  const lines = String(stack).split("\n").slice(1);
  const own = (l) => l.includes("jsapi:workers/") || l.includes("<anonymous>");
  return lines.filter((l) => !own(l)).map((l) => "    " + l.trim());
}

function declareDeadlock(innermost) {
  const lines = ["deadlock: no agent can make progress"];
  for (const a of agents.values()) {
    if (a.state === "terminated") continue;
    let what;
    if (a.blocked !== null) {
      const woken = a.blocked.waiter.woken;
      what = woken
        ? `${a.blocked.what}: notified, but cannot resume until the agents nested above it return`
        : `${a.blocked.what}${a === innermost ? " (innermost)" : ""}`;
    } else if (a.depth > 0) {
      what = "running, below a blocked agent on the stack";
    } else if (a.kind === "main") {
      const pending = loop.pendingOps();
      what = pending > 0 ? `idle (waiting for ${pending} operation(s): their results reach the page only between tasks)` : "idle";
    } else {
      what = "idle (no queued task)";
    }
    lines.push(`  ${label(a)}: ${what}`);
    if (a.blocked !== null) lines.push(...cleanStack(a.blocked.stack));
  }
  const buried = [...agents.values()].some((a) => a.blocked !== null && a.blocked.waiter.woken);
  if (buried) {
    lines.push(
      "  (a JS Atomics.wait keeps its worker's frames on the one stack all agents share: wait in" +
        " wasm, one barrier per task, or Atomics.waitAsync; see docs/workers.md)",
    );
  }
  const text = lines.join("\n");
  deadlocked = text;
  for (const a of agents.values()) {
    a.queue.length = 0;
    for (const id of [...a.timers]) W.clearTimer(a, id);
  }
  host.errors.push({ kind: "deadlock", message: lines[0], text, filename: "" });
  host.console.emit("error", [text]);
  loop.stop("deadlock");
}
W.deadlock = () => deadlocked;
W.trace = () => trace.slice();

// ---- Atomics.wait / notify ----------------------------------------------------------------------
function byteIndexOf(ta, index) {
  return ta.byteOffset + Number(index) * ta.BYTES_PER_ELEMENT;
}

W.atomicsWait = function atomicsWait(agent, ta, index, value, timeout) {
  // The native call with timeout 0 validates the arguments and compares the value.
  const quick = nativeWait(ta, index, value, 0);
  if (quick === "not-equal") return quick;
  let t = timeout === undefined ? Infinity : Number(timeout);
  if (Number.isNaN(t)) t = Infinity;
  if (t <= 0) return "timed-out";
  const waiter = { agent, key: keyOf(ta.buffer), byteIndex: byteIndexOf(ta, index), woken: false };
  waiters.push(waiter);
  const where = `Atomics.wait(${Object.prototype.toString.call(ta).slice(8, -1)}, ${Number(index)}, ${value})`;
  return block(agent, waiter, t, `blocked in ${where}`);
};

// Wakes host-scheduled waiters first (FIFO), then V8's own (Atomics.waitAsync) ones.
W.atomicsNotify = function atomicsNotify(ta, index, count) {
  nativeNotify(ta, index, 0);
  let c = count === undefined ? Infinity : Math.trunc(Number(count));
  if (Number.isNaN(c) || c < 0) c = 0;
  let woken = wake(keyOf(ta.buffer), byteIndexOf(ta, index), c);
  if (woken < c) woken += nativeNotify(ta, index, c === Infinity ? undefined : c - woken);
  return woken;
};

// Wasm memory.atomic.wait/notify of this project's engine (jsapi/workers/atomics.py): the engine
// has compared the value; `memory` is the native memory behind the wasm memory, `ea` the byte
// address. wasmPark queues the waiter of the current agent and returns 0 (Python then parks the
// request with `token`; it is resumed with 0 "ok", 2 "timed-out" or -2 "terminated"), or -1 on
// the main thread.
const parked = []; // wasm waiters, in the order they started waiting
W.wasmPark = function wasmPark(memory, ea, timeoutMs, token, what) {
  const agent = current;
  if (agent.kind === "main" || agent.depth === 0) return -1;
  const deadline = timeoutMs < 0 ? Infinity : loop.now() + timeoutMs;
  const waiter = { agent, key: memory, byteIndex: ea, woken: false, token, deadline };
  waiters.push(waiter);
  parked.push(waiter);
  agent.blocked = { what: `blocked in ${what}`, stack: new Error().stack, waiter };
  return 0;
};
W.wasmNotify = function wasmNotify(memory, ea, count) {
  let n = wake(memory, ea, count);
  // Then V8's own waiters (Atomics.waitAsync on the memory's buffer).
  const bufferOf = bridge.wasm && bridge.wasm.nativeBufferOf;
  if (n < count && bufferOf !== undefined) n += nativeNotify(new Int32Array(bufferOf(memory)), ea >> 2, count - n);
  return n;
};

// An isolated worker's own isolate blocks for real (its own thread).
W.restoreNativeWait = function restoreNativeWait() {
  Object.defineProperty(Atomics, "wait", { value: nativeWait, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(Atomics, "notify", { value: nativeNotify, writable: true, enumerable: false, configurable: true });
};

// The page's Atomics: wait throws on the main thread, as in browsers; notify sees both kinds of
// waiter. Worker scopes inherit notify and get their own wait.
Object.defineProperty(Atomics, "wait", {
  value: function wait(ta, index, value, timeout) {
    if (current.kind !== "main" && current.depth > 0) return W.atomicsWait(current, ta, index, value, timeout);
    throw new TypeError("Atomics.wait cannot be called in this context");
  },
  writable: true,
  enumerable: false,
  configurable: true,
});
Object.defineProperty(Atomics, "notify", {
  value: function notify(ta, index, count) {
    return W.atomicsNotify(ta, index, count);
  },
  writable: true,
  enumerable: false,
  configurable: true,
});
