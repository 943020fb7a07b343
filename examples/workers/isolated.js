// The computation of shared.js with message passing instead of shared memory: each worker has
// its own isolate and its own memory; quarters travel as transferred ArrayBuffers. Run:
//   python -m jsapi.workers examples/workers/isolated.js --workers isolated
const WORKERS = 4;
const N = 16000;

async function main() {
  const bytes = await (await fetch("kernel.wasm")).arrayBuffer();
  const workers = [];
  const filled = [];
  let sums = [];
  for (let id = 0; id < WORKERS; id++) {
    const worker = new Worker("isolated_worker.js", { name: `kernel-${id}` });
    workers.push(worker);
    worker.onmessage = (e) => {
      if (e.data.kind === "filled") {
        filled[id] = e.data.data;
        if (filled.filter(Boolean).length < WORKERS) return;
        // Every quarter is ready: hand each worker its neighbour's quarter.
        for (let w = 0; w < WORKERS; w++) {
          const next = (w + 1) % WORKERS;
          const quarter = filled[next];
          workers[w].postMessage({ kind: "sum", data: quarter, from: (next * N) / WORKERS }, [quarter]);
        }
      } else {
        sums.push(BigInt(e.data.sum));
        if (sums.length < WORKERS) return;
        const total = sums.reduce((a, b) => a + b, 0n);
        const expected = (BigInt(N) * BigInt(N + 1) * BigInt(2 * N + 1)) / 6n;
        console.log(`crossOriginIsolated: ${crossOriginIsolated}`);
        console.log(`sum of squares 1..${N} = ${total} (expected ${expected}) ${total === expected ? "ok" : "WRONG"}`);
        for (const w of workers) w.terminate();
      }
    };
    worker.postMessage({ kind: "start", bytes, id, workers: WORKERS, n: N });
  }
}
main();
