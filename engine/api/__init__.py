"""The Python embedding API, shaped like wasmtime-py's.

    from engine.api import Store, Module, Instance
    store = Store()
    module = Module('(module (func (export "add") (param i32 i32) (result i32) '
                    'local.get 0 local.get 1 i32.add))')
    add = Instance(store, module, []).exports(store)["add"]
    assert add(store, 2, 3) == 5

Every call that can run wasm takes the store; objects from one store must not be used with
another.  Errors: CompileError (malformed/invalid module), LinkError (imports), Trap,
WasmException (an uncaught wasm exception), and whatever a host function raised.  The guide
is docs/engine-api.md.
"""

from engine.api.linker import Linker
from engine.api.module import (
    ExportType,
    ImportType,
    Instance,
    InstanceExports,
    Module,
    wat2wasm,
)
from engine.api.objects import Caller, Func, Global, Memory, Table, Tag, WasmException
from engine.api.store import Config, Engine, Store
from engine.api.types import FuncType, GlobalType, Limits, MemoryType, TableType, TagType, ValType
from engine.errors import (
    CompileError,
    Frame,
    InvalidError,
    LinkError,
    MalformedError,
    Trap,
    WasmError,
)

__all__ = [
    "Caller",
    "CompileError",
    "Config",
    "Engine",
    "ExportType",
    "Frame",
    "Func",
    "FuncType",
    "Global",
    "GlobalType",
    "ImportType",
    "Instance",
    "InstanceExports",
    "InvalidError",
    "Limits",
    "LinkError",
    "Linker",
    "MalformedError",
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
    "wat2wasm",
]
