// The host's private namespace, installed first. Other host scripts attach to it.
(function (global) {
  "use strict";
  Object.defineProperty(global, "__jsapiHost", {
    value: {},
    writable: false,
    enumerable: false,
    configurable: false,
  });
})(globalThis);
