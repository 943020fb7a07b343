// A plain script (no HTML, no wasm): `jsapi run examples/script/main.js`.
console.log("Hello from %s, %d + %d = %i", "a script", 1, 2, 1 + 2);
console.log({ name: "jsapi", tags: ["wasm", "v8"], nested: { deep: true } });

const order = [];
setTimeout(() => order.push("timeout 20"), 20);
setTimeout(() => order.push("timeout 0"), 0);
queueMicrotask(() => order.push("microtask"));
Promise.resolve().then(() => order.push("promise"));
order.push("sync");

console.time("wait");
setTimeout(() => {
  console.log("order:", order.join(" < "));
  console.table([
    { op: "sync", kind: "script" },
    { op: "promise", kind: "microtask" },
  ]);
  console.log("done after", Date.now() - start >= 50 ? "at least 50 ms" : "less than 50 ms");
}, 50);
const start = Date.now();
