// One kernel worker of isolated.js: fills its quarter in its own memory and sends it out; sums
// the squares of the quarter it is sent back.
let kernel;
let memory;
onmessage = (e) => {
  const msg = e.data;
  if (msg.kind === "start") {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    kernel = new WebAssembly.Instance(new WebAssembly.Module(msg.bytes), { env: { mem: memory } }).exports;
    const quarter = msg.n / msg.workers;
    kernel.fill(msg.id * quarter, (msg.id + 1) * quarter);
    const data = new Int32Array(memory.buffer, 1024 + 4 * msg.id * quarter, quarter).slice().buffer;
    postMessage({ kind: "filled", data }, [data]);
  } else {
    const values = new Int32Array(msg.data);
    const from = msg.from;
    new Int32Array(memory.buffer, 1024 + 4 * from, values.length).set(values);
    postMessage({ kind: "sum", sum: String(kernel.sumsq(from, from + values.length)) });
  }
};
