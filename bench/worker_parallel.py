"""Parallel speed-up of dedicated workers: isolated mode (one isolate per worker, each on its
own thread) against shared mode (every agent in the page's isolate, interleaved).

    python bench/worker_parallel.py             # N = 1, 2; JS and wasm kernels; both modes
    python bench/worker_parallel.py --quick     # small kernels, one repeat (a smoke run)
    python bench/worker_parallel.py --workers 1 2 4 --json

For each N the page starts N workers, has each one prepare its kernel (compile, warm up) and
report ready, then takes ``performance.now()``, posts "go" to all of them and takes it again
when the last one reports done: the wall time covers the kernels, the messages and the page's
event loop, not worker start-up. Every worker runs the same fixed work, so with perfect
parallelism t(N) = t(1) and the speed-up N * t(1) / t(N) equals N; fully serialised work gives
1. Each (mode, kernel) runs in one page; the repeats alternate over N so that a change of the
machine's load hits every N alike, and the median per N is reported, with the best run's
speed-up beside it. "cores" is this process's CPU seconds per wall second of a phase (about N
when N workers compute at once, 1 when they take turns); "others" is what the rest of the
machine used meanwhile: on 2 cores, another busy job leaves room for no speed-up at all.

The JS kernel is an xorshift32 loop in V8. The wasm kernel is the same loop in a wasm function;
with the default engine ("jsapi") it runs in this project's pure-Python engine, which holds
Python's GIL, so two workers cannot compute at once however many isolates there are.
``--engine v8`` runs the wasm kernel on V8's own WebAssembly instead; ``--distinct-wasm`` then
gives each worker different bytes, since isolates running the code of identical bytes at once
were measured slower than one after the other (docs/performance.md).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.binary import encode_module  # noqa: E402
from engine.text import parse_wat  # noqa: E402
from jsapi.page import Page  # noqa: E402

MODES = ("isolated", "shared")
KERNELS = ("js", "wasm")
# Iterations per worker: about a second each on an idle core (V8 JIT; the Python engine).
FULL_ITERS = {"js": 600_000_000, "wasm": 4_000_000}
QUICK_ITERS = {"js": 2_000_000, "wasm": 5_000}

KERNEL_WAT = """
(module
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (local.set $x (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $x)))
"""

# Top-level names are looked up once per run; the loop touches locals only (in shared mode a
# global read goes through the worker scope's Proxy).
WORKER_JS = """
let wasmRun = null;
function jsKernel(n) {
  let x = 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x | 0;
}
onmessage = (e) => {
  const m = e.data;
  if (m.kind === "setup") {
    if (m.bytes) {
      wasmRun = new WebAssembly.Instance(new WebAssembly.Module(m.bytes)).exports.run;
      wasmRun(100);
    }
    jsKernel(100000);
    postMessage({ kind: "ready" });
  } else {
    const t0 = performance.now();
    const x = m.which === "wasm" ? wasmRun(m.iters) : jsKernel(m.iters);
    postMessage({ kind: "done", x, ms: performance.now() - t0 });
  }
};
"""

PAGE_JS = """
function phase(which, n, iters, bytes) {
  return new Promise((resolve, reject) => {
    const workers = [];
    const busy = [];
    const sums = [];
    let ready = 0;
    let done = 0;
    let t0 = 0;
    let epoch0 = 0;
    const finish = (error) => {
      for (const w of workers) w.terminate();
      if (error) reject(error);
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker("worker.js", { name: `bench-${i}` });
      workers.push(w);
      w.onerror = (ev) => finish(new Error(`worker ${i}: ${ev.message}`));
      w.onmessage = (ev) => {
        if (ev.data.kind === "ready") {
          if (++ready < n) return;
          t0 = performance.now();
          epoch0 = Date.now();
          for (const v of workers) v.postMessage({ kind: "go", which, iters });
          return;
        }
        busy[i] = ev.data.ms;
        sums[i] = ev.data.x;
        if (++done < n) return;
        const wall = performance.now() - t0;
        const epoch1 = Date.now();
        finish(null);
        const row = { kernel: which, n, wall_ms: wall, worker_ms: busy, checksums: sums };
        resolve({ ...row, epoch0, epoch1 });
      };
      // A custom section naming the worker makes the bytes differ: V8 shares one compiled
      // module between isolates that compile identical bytes.
      const tag = [0, 2, 1, 97 + i];
      const own =
        bytes && CFG.distinct ? new Uint8Array([...new Uint8Array(bytes), ...tag]) : bytes;
      w.postMessage({ kind: "setup", bytes: which === "wasm" ? own : null });
    }
  });
}

async function main() {
  const bytes = CFG.kernel === "wasm" ? await (await fetch("kernel.wasm")).arrayBuffer() : null;
  const rows = [];
  for (let r = 0; r < CFG.repeat; r++) {
    for (const n of CFG.counts) rows.push(await phase(CFG.kernel, n, CFG.iters, bytes));
  }
  console.log("RESULT " + JSON.stringify({ crossOriginIsolated, rows }));
}
main().catch((e) => console.log("FAILED " + String(e && e.stack || e)));
"""


def write_site(folder: Path, config: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.wasm").write_bytes(encode_module(parse_wat(KERNEL_WAT)))
    (folder / "worker.js").write_text(WORKER_JS)
    page = folder / "page.js"
    page.write_text(f"const CFG = {json.dumps(config)};\n{PAGE_JS}")
    return page


def machine_busy() -> float | None:
    """CPU seconds every process has used since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    ticks = [int(x) for x in fields[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


class CpuSampler:
    """This process's CPU time (every thread: Python's and V8's) and the whole machine's, against
    the wall clock.

    CPU seconds per wall second over a phase is the number of cores the phase kept busy: about
    N when N workers compute in parallel, about 1 when they take turns. The machine's figure
    minus ours is what other processes took meanwhile: on 2 cores, another process busy on one
    leaves no room for a parallel speed-up."""

    def __init__(self, every: float = 0.01) -> None:
        self.samples: list[tuple[float, float, float]] = []
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)

    def _sample(self) -> None:
        machine = machine_busy()
        self.samples.append(
            (time.time(), time.process_time(), -1.0 if machine is None else machine)
        )

    def _run(self) -> None:
        while True:
            self._sample()
            if self._stop.wait(self._every):
                self._sample()
                return

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def at(self, when: float, column: int) -> float:
        """A CPU-seconds column at wall time ``when``, interpolated between samples."""
        i = bisect.bisect_left(self.samples, (when, -1.0, -1.0))
        if i == 0:
            return self.samples[0][column]
        if i == len(self.samples):
            return self.samples[-1][column]
        a, b = self.samples[i - 1], self.samples[i]
        part = (when - a[0]) / (b[0] - a[0]) if b[0] > a[0] else 0.0
        return a[column] + (b[column] - a[column]) * part

    def cores(self, epoch0_ms: float, epoch1_ms: float) -> tuple[float | None, float | None]:
        """(cores this process kept busy, cores other processes kept busy) over a phase."""
        t0, t1 = epoch0_ms / 1000, epoch1_ms / 1000
        if t1 <= t0 or not self.samples:
            return None, None
        ours = (self.at(t1, 1) - self.at(t0, 1)) / (t1 - t0)
        if self.samples[0][2] < 0:
            return ours, None
        machine = (self.at(t1, 2) - self.at(t0, 2)) / (t1 - t0)
        return ours, max(machine - ours, 0.0)


def run_page(
    folder: Path,
    mode: str,
    kernel: str,
    counts: list[int],
    iters: int,
    repeat: int,
    engine: str,
    distinct: bool = False,
) -> dict[str, Any]:
    """One page: every N, `repeat` times; the raw rows and the page's own result."""
    config = {
        "kernel": kernel,
        "counts": counts,
        "iters": iters,
        "repeat": repeat,
        "distinct": distinct,
    }
    page_file = write_site(folder / f"{mode}-{kernel}", config)
    # Generous: serialised wasm at N = 4 with repeats takes minutes on a slow machine.
    timeout = 60.0 + 30.0 * repeat * sum(counts) * max(iters / FULL_ITERS[kernel], 0.01)
    start = time.monotonic()
    with (
        CpuSampler() as sampler,
        Page.open(page_file, workers=mode, engine=engine, timeout=timeout) as page,
    ):
        try:
            result = page.run()
        finally:
            page.workers.close()
    elapsed = time.monotonic() - start
    lines = [e.text for e in result.console]
    found = [t for t in lines if t.startswith("RESULT ")]
    if not found:
        detail = "; ".join(lines + [e.text for e in result.errors]) or result.reason
        raise RuntimeError(f"{mode}/{kernel}: the page reported no result ({detail})")
    data = json.loads(found[0][len("RESULT ") :])
    data["page_s"] = elapsed
    for row in data["rows"]:
        row["cores"], row["others"] = sampler.cores(row["epoch0"], row["epoch1"])
    return data


def summarise(rows: list[dict[str, Any]], counts: list[int]) -> list[dict[str, Any]]:
    """Median wall time per N and the speed-up N * t(1) / t(N) against this mode's t(1).

    The best-run speed-up compares the fastest run of each N: on a machine shared with other
    jobs it is the run the others disturbed least (its "others" figure says how little)."""
    per_n = {n: [r for r in rows if r["n"] == n] for n in counts}
    base = statistics.median(r["wall_ms"] for r in per_n[1]) if per_n.get(1) else None
    best_base = min(r["wall_ms"] for r in per_n[1]) if per_n.get(1) else None
    out = []
    for n in counts:
        walls = sorted(r["wall_ms"] for r in per_n[n])
        busy = [ms for r in per_n[n] for ms in r["worker_ms"]]
        sums = {x for r in per_n[n] for x in r["checksums"]}
        wall = statistics.median(walls)
        cores = [r["cores"] for r in per_n[n] if r["cores"] is not None]
        others = [r["others"] for r in per_n[n] if r["others"] is not None]
        best = min(per_n[n], key=lambda r: r["wall_ms"])
        out.append(
            {
                "n": n,
                "wall_ms": round(wall, 1),
                "wall_ms_all": [round(w, 1) for w in walls],
                "worker_ms_median": round(statistics.median(busy), 1),
                "speedup": round(n * base / wall, 2) if base else None,
                "best_wall_ms": round(best["wall_ms"], 1),
                "best_speedup": round(n * best_base / best["wall_ms"], 2) if best_base else None,
                "other_cores_at_best": None if best["others"] is None else round(best["others"], 2),
                "cores_busy": round(statistics.median(cores), 2) if cores else None,
                "other_cores_busy": round(statistics.median(others), 2) if others else None,
                "checksums_agree": len(sums) == 1,
            }
        )
    return out


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small kernels, one repeat")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="the N to run")
    parser.add_argument("--kernel", choices=KERNELS, action="append", help="default: both")
    parser.add_argument("--mode", choices=MODES, action="append", help="default: both")
    parser.add_argument("--repeat", type=int, default=None, help="runs per N (default 3)")
    parser.add_argument("--engine", default="jsapi", help="WebAssembly engine: jsapi or v8")
    parser.add_argument("--iters", type=int, default=None, help="kernel iterations per worker")
    parser.add_argument(
        "--distinct-wasm",
        action="store_true",
        help="give each worker different wasm bytes (V8 shares the code of identical bytes)",
    )
    args = parser.parse_args(argv)
    counts = sorted(set(args.workers) | {1})
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    kernels = args.kernel or list(KERNELS)
    modes = args.mode or list(MODES)
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "loadavg_before": loadavg(),
        "engine": args.engine,
        "distinct_wasm": args.distinct_wasm,
        "repeat": repeat,
        "results": [],
    }
    with tempfile.TemporaryDirectory(prefix="worker-parallel-") as tmp:
        for kernel in kernels:
            iters = args.iters or (QUICK_ITERS if args.quick else FULL_ITERS)[kernel]
            for mode in modes:
                data = run_page(
                    Path(tmp), mode, kernel, counts, iters, repeat, args.engine, args.distinct_wasm
                )
                report["results"].append(
                    {
                        "kernel": kernel,
                        "mode": mode,
                        "iters": iters,
                        "cross_origin_isolated": data["crossOriginIsolated"],
                        "page_s": round(data["page_s"], 2),
                        "per_n": summarise(data["rows"], counts),
                    }
                )
                if not args.json:
                    print_block(report["results"][-1])
    report["loadavg_after"] = loadavg()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"cpus {report['cpus']}, load average {report['loadavg_before']} -> "
            f"{report['loadavg_after']}, wasm engine {args.engine}, median of {repeat}"
        )
    return 0


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_block(res: dict[str, Any]) -> None:
    print(f"{res['kernel']} kernel, {res['mode']} mode ({res['iters']} iterations per worker)")
    print(
        f"  {'N':>2}  {'wall ms':>9}  {'worker ms':>9}  {'speed-up':>8}  {'cores':>5}  "
        f"{'others':>6}  {'best':>6}  {'others':>6}  runs (ms)"
    )
    for row in res["per_n"]:
        runs = ", ".join(f"{w:.0f}" for w in row["wall_ms_all"])
        ok = "" if row["checksums_agree"] else "  CHECKSUMS DIFFER"
        cores, others = fmt(row["cores_busy"]), fmt(row["other_cores_busy"])
        print(
            f"  {row['n']:>2}  {row['wall_ms']:>9.1f}  {row['worker_ms_median']:>9.1f}  "
            f"{row['speedup']:>7.2f}x  {cores:>5}  {others:>6}  {row['best_speedup']:>5.2f}x  "
            f"{fmt(row['other_cores_at_best']):>6}  {runs}{ok}"
        )
    busiest = max((r["other_cores_busy"] or 0.0 for r in res["per_n"]), default=0.0)
    if busiest >= 0.3:
        print(
            f"  note: other processes kept up to {busiest:.2f} cores busy meanwhile; "
            "a speed-up cannot exceed the cores left free"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
