"""Wasm exceptions: thrown by a host function and caught in wasm, and thrown by wasm and
caught in Python as a WasmException with its tag and payload."""

from pathlib import Path

from engine import Func, FuncType, Instance, Module, Store, Tag, ValType, WasmException

store = Store()
i32 = ValType.i32()
error = Tag(store, FuncType([i32], []))


def check(x: int) -> None:
    if x < 0:
        raise WasmException(error, [x])  # becomes a wasm throw of $error


module = Module.from_file(Path(__file__).with_suffix(".wat"))
exports = Instance(store, module, [error, Func(store, FuncType([i32], []), check)]).exports(store)
print("guarded(5) =", exports["guarded"](store, 5))
print("guarded(-3) =", exports["guarded"](store, -3))

try:
    exports["fail"](store, -77)
except WasmException as e:
    print("uncaught wasm exception: tag is ours:", e.tag == error, "payload:", e.payload)
