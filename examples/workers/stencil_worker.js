// One worker of stencil.js: the whole multi-phase computation, barriers included, is one call
// into wasm.
onmessage = (e) => {
  const { module, memory, id, workers, n, phases } = e.data;
  const kernel = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  kernel.run(id, workers, n, phases);
  postMessage("done");
};
