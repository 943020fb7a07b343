// One kernel worker of shared.js. Words 0 and 1 of the memory are the barrier's arrival count
// and generation; the BigInt64 results start at byte 64.
onmessage = (e) => {
  const { module, memory, id, workers, n } = e.data;
  const kernel = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const words = new Int32Array(memory.buffer);
  const quarter = n / workers;
  kernel.fill(id * quarter, (id + 1) * quarter);
  barrier(words, workers);
  const next = (id + 1) % workers;
  const sum = kernel.sumsq(next * quarter, (next + 1) * quarter);
  new BigInt64Array(memory.buffer, 64, workers)[id] = sum;
  postMessage("done");
};

function barrier(words, parties) {
  const generation = Atomics.load(words, 1);
  if (Atomics.add(words, 0, 1) === parties - 1) {
    Atomics.store(words, 0, 0);
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
    return;
  }
  while (Atomics.load(words, 1) === generation) Atomics.wait(words, 1, generation);
}
