// Four workers run a wasm kernel over one shared WebAssembly.Memory, synchronised with a
// barrier built on Atomics. Each worker fills its quarter of the data, waits for the others at
// the barrier, then sums the squares of its neighbour's quarter. Run:
//   python -m jsapi.workers examples/workers/shared.js --workers shared --seed 1
const WORKERS = 4;
const N = 16000;

async function main() {
  const module = await WebAssembly.compile(await (await fetch("kernel.wasm")).arrayBuffer());
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const words = new Int32Array(memory.buffer);
  const results = new BigInt64Array(memory.buffer, 64, WORKERS);
  let done = 0;
  for (let id = 0; id < WORKERS; id++) {
    const worker = new Worker("shared_worker.js", { name: `kernel-${id}` });
    worker.onmessage = () => {
      if (++done < WORKERS) return;
      const total = results.reduce((a, b) => a + b, 0n);
      const expected = (BigInt(N) * BigInt(N + 1) * BigInt(2 * N + 1)) / 6n;
      console.log(`barrier passes: ${Atomics.load(words, 1)}`);
      console.log(`sum of squares 1..${N} = ${total} (expected ${expected}) ${total === expected ? "ok" : "WRONG"}`);
    };
    worker.postMessage({ module, memory, id, workers: WORKERS, n: N });
  }
}
main();
