"""Host functions: Python callables with a declared FuncType, called from wasm.

Imports are given two ways: as a list in import order, and by name through a Linker.
An exception raised in a host function reaches the Python caller unchanged.
"""

import math
from pathlib import Path

from engine import Func, FuncType, Instance, Linker, Module, Store, ValType

i32, i64, f64 = ValType.i32(), ValType.i64(), ValType.f64()
store = Store()
module = Module.from_file(Path(__file__).with_suffix(".wat"))
for imp in module.imports:
    print(f"import {imp.module}.{imp.name}: {imp.type}")


def log(i: int, total: int) -> None:
    print(f"  step {i}: running total {total}")


def scale(r: float) -> float:
    return math.pi * r


# 1. A list of externs, one per import, in import order.
imports = [
    Func(store, FuncType([i32, i64], []), log),
    Func(store, FuncType([f64], [f64]), scale),
]
exports = Instance(store, module, imports).exports(store)
print("sum_squares(4) =", exports["sum_squares"](store, 4))
print(f"area(2.0) = {exports['area'](store, 2.0):.6f}")

# 2. The same imports resolved by (module, name) through a Linker.
linker = Linker(store)
linker.define_func("env", "log", FuncType([i32, i64], []), lambda i, total: None)


def refuse(r: float) -> float:
    raise ValueError(f"radius {r} refused by the host")


linker.define_func("env", "scale", FuncType([f64], [f64]), refuse)
area = linker.instantiate(store, module).exports(store)["area"]
try:
    area(store, -1.0)
except ValueError as e:
    print("host exception propagated:", repr(e))
