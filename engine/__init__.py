"""A WebAssembly 3.0 engine in pure Python: decoder, validator, text format, interpreter.

The embedding API lives in ``engine.api`` (Store, Module, Instance, Linker, Func, Memory,
Table, Global, Tag and their types); its names are also reachable from here, loaded on first
use so that ``import engine`` stays light.
"""

from typing import Any

from engine.errors import CompileError, LinkError, Trap, WasmError, WasmException

_API_NAMES = (
    "Func",
    "FuncType",
    "Global",
    "GlobalType",
    "Instance",
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
)

__all__ = ["CompileError", "LinkError", "Trap", "WasmError", "WasmException", *_API_NAMES]


def __getattr__(name: str) -> Any:
    if name in _API_NAMES:
        from engine import api

        return getattr(api, name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
