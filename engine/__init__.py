"""A WebAssembly 3.0 engine in pure Python: decoder, validator, text format, interpreter.

The embedding API lives in ``engine.api`` (Store, Module, Instance, Linker, Func, Memory,
Table, Global, Tag and their types); its names are also reachable from here, loaded on first
use so that ``import engine`` stays light.  See docs/engine-api.md.
"""

from typing import Any

from engine.errors import CompileError, LinkError, Trap, WasmError

_API_NAMES = (
    "Caller",
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
    "Limits",
    "Linker",
    "Memory",
    "MemoryType",
    "Module",
    "Store",
    "Table",
    "TableType",
    "Tag",
    "TagType",
    "ValType",
    # The API's subclass of engine.errors.WasmException: its tag is a Tag and its payload
    # Python values.
    "WasmException",
    "wat2wasm",
)

__all__ = ["CompileError", "LinkError", "Trap", "WasmError", *_API_NAMES]


def __getattr__(name: str) -> Any:
    if name in _API_NAMES:
        from engine import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
