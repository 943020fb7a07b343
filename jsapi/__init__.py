"""jsapi: a browser-style WebAssembly host around an embedded V8."""
