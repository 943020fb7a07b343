// DOMException (WebIDL 2.8.1): the error names table with legacy codes and constants.
"use strict";
const web = bridge.web;

// [name, legacy code name or null, code]; names without a legacy code have code 0.
const NAMES = [
  ["IndexSizeError", "INDEX_SIZE_ERR", 1],
  [null, "DOMSTRING_SIZE_ERR", 2],
  ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR", 3],
  ["WrongDocumentError", "WRONG_DOCUMENT_ERR", 4],
  ["InvalidCharacterError", "INVALID_CHARACTER_ERR", 5],
  [null, "NO_DATA_ALLOWED_ERR", 6],
  ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR", 7],
  ["NotFoundError", "NOT_FOUND_ERR", 8],
  ["NotSupportedError", "NOT_SUPPORTED_ERR", 9],
  ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR", 10],
  ["InvalidStateError", "INVALID_STATE_ERR", 11],
  ["SyntaxError", "SYNTAX_ERR", 12],
  ["InvalidModificationError", "INVALID_MODIFICATION_ERR", 13],
  ["NamespaceError", "NAMESPACE_ERR", 14],
  ["InvalidAccessError", "INVALID_ACCESS_ERR", 15],
  [null, "VALIDATION_ERR", 16],
  ["TypeMismatchError", "TYPE_MISMATCH_ERR", 17],
  ["SecurityError", "SECURITY_ERR", 18],
  ["NetworkError", "NETWORK_ERR", 19],
  ["AbortError", "ABORT_ERR", 20],
  ["URLMismatchError", "URL_MISMATCH_ERR", 21],
  ["QuotaExceededError", "QUOTA_EXCEEDED_ERR", 22],
  ["TimeoutError", "TIMEOUT_ERR", 23],
  ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR", 24],
  ["DataCloneError", "DATA_CLONE_ERR", 25],
];
const CODES = new Map(NAMES.filter((n) => n[0] !== null).map(([name, , code]) => [name, code]));

// Not `extends Error`: the interface object's [[Prototype]] is %Function.prototype% (WebIDL 3.7.1)
// while the interface prototype object's is %Error.prototype%.
class DOMException {
  #name;
  #message;
  constructor(message = undefined, options = undefined) {
    this.#message = message === undefined ? "" : web.toDOMString(message);
    let name = "Error";
    if (web.isObject(options)) {
      if (options.name !== undefined) name = web.toDOMString(options.name);
      if ("cause" in options) {
        Object.defineProperty(this, "cause", {
          value: options.cause,
          writable: true,
          enumerable: false,
          configurable: true,
        });
      }
    } else if (options !== undefined) {
      name = web.toDOMString(options);
    }
    this.#name = name;
    if (Error.captureStackTrace) Error.captureStackTrace(this, DOMException);
  }
  get name() {
    return this.#name;
  }
  get message() {
    return this.#message;
  }
  get code() {
    return CODES.get(this.#name) ?? 0;
  }
  static {
    web.isDOMException = (v) => web.isObject(v) && #name in v;
  }
}
Object.setPrototypeOf(DOMException.prototype, Error.prototype);
web.idlClass(DOMException);
for (const [, constant, code] of NAMES) {
  const d = { value: code, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(DOMException, constant, d);
  Object.defineProperty(DOMException.prototype, constant, d);
}

web.DOMException = DOMException;
web.domException = (message, name) => new DOMException(message, name);
