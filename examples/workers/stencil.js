// Four workers run a stencil in wasm over one shared WebAssembly.Memory for 12 phases; between
// phases they meet at a barrier that waits in wasm (memory.atomic.wait32), so each worker passes
// every barrier whatever order they reach it in. The page checks the result against the same
// stencil computed in JS. Run:
//   python -m jsapi.workers examples/workers/stencil.js --workers shared --seed 3
const WORKERS = 4;
const N = 1000;
const PHASES = 12;

function reference() {
  let x = Int32Array.from({ length: N }, (_, i) => i + 1);
  for (let p = 0; p < PHASES; p++) {
    const y = new Int32Array(N);
    for (let i = 0; i < N; i++) y[i] = x[(i + N - 1) % N] + x[i] * 3 + x[(i + 1) % N];
    x = y;
  }
  return x;
}

async function main() {
  const module = await WebAssembly.compile(await (await fetch("stencil.wasm")).arrayBuffer());
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const words = new Int32Array(memory.buffer);
  const start = new Int32Array(memory.buffer, 1024, N);
  for (let i = 0; i < N; i++) start[i] = i + 1;
  let done = 0;
  for (let id = 0; id < WORKERS; id++) {
    const worker = new Worker("stencil_worker.js", { name: `stencil-${id}` });
    worker.onmessage = () => {
      if (++done < WORKERS) return;
      // An even number of phases leaves the result in the first buffer.
      const got = new Int32Array(memory.buffer, 1024, N);
      const want = reference();
      const same = got.every((v, i) => v === want[i]);
      console.log(`barriers passed: ${Atomics.load(words, 1)} (${WORKERS} workers, ${PHASES} phases)`);
      console.log(`stencil of ${N} values: ${same ? "matches" : "DIFFERS FROM"} the JS reference`);
    };
    worker.postMessage({ module, memory, id, workers: WORKERS, n: N, phases: PHASES });
  }
}
main();
