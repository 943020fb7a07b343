// CompileError, LinkError and RuntimeError (JS-API 5.9 "Error Objects"): native-error-shaped
// classes whose constructor's prototype is %Error% and prototype's prototype is %Error.prototype%.
// They carry no @@toStringTag, unlike the interfaces.
"use strict";
const W = bridge.wasm;
const R = W.R;

function nativeError(name) {
  const E = {
    [name]: class extends R.Error {
      constructor(message, options) {
        super(message, options);
      }
    },
  }[name];
  R.defineProperty(E, "length", { value: 1, writable: false, enumerable: false, configurable: true });
  R.defineProperty(E.prototype, "name", { value: name, writable: true, enumerable: false, configurable: true });
  R.defineProperty(E.prototype, "message", { value: "", writable: true, enumerable: false, configurable: true });
  return E;
}

W.CompileError = nativeError("CompileError");
W.LinkError = nativeError("LinkError");
W.RuntimeError = nativeError("RuntimeError");

W.installErrors = (ns) => {
  for (const name of ["CompileError", "LinkError", "RuntimeError"]) {
    R.defineProperty(ns, name, { value: W[name], writable: true, enumerable: false, configurable: true });
  }
};
