"""Compile a module from its text, instantiate it and call its exports."""

from pathlib import Path

from engine import Instance, Module, Store

store = Store()
module = Module.from_file(Path(__file__).with_suffix(".wat"))
print("exports:", ", ".join(f"{e.name} {e.type}" for e in module.exports))

exports = Instance(store, module, []).exports(store)
print("answer() =", exports["answer"](store))
print("factorial(20) =", exports["factorial"](store, 20))
print("divmod(-7, 2) =", exports["divmod"](store, -7, 2))
