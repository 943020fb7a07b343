"""The Python embedding API, shaped like wasmtime-py's.

    from engine.api import Store, Module, Instance
    store = Store()
    module = Module('(module (func (export "add") (param i32 i32) (result i32) '
                    'local.get 0 local.get 1 i32.add))')
    add = Instance(store, module, []).exports(store)["add"]
    assert add(store, 2, 3) == 5

Every call that can run wasm takes the store; objects from one store must not be used with
another.  Errors: CompileError (malformed/invalid module), LinkError (imports), Trap,
WasmException (an uncaught wasm exception), and whatever a host function raised.
"""

from engine.api.module import ExportType, ImportType, Instance, InstanceExports, Linker, Module
from engine.api.objects import Func, Global, Memory, Store, Table, Tag
from engine.api.types import FuncType, GlobalType, Limits, MemoryType, TableType, TagType, ValType
from engine.errors import CompileError, LinkError, Trap, WasmError, WasmException

__all__ = [
    "CompileError",
    "ExportType",
    "Func",
    "FuncType",
    "Global",
    "GlobalType",
    "ImportType",
    "Instance",
    "InstanceExports",
    "Limits",
    "LinkError",
    "Linker",
    "Memory",
    "MemoryType",
    "Module",
    "Store",
    "Table",
    "TableType",
    "Tag",
    "TagType",
    "Trap",
    "ValType",
    "WasmError",
    "WasmException",
]
