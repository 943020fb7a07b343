"""A WebAssembly 3.0 engine in pure Python: decoder, validator, text format, interpreter."""

from engine.errors import CompileError, LinkError, Trap, WasmError, WasmException

__all__ = ["CompileError", "LinkError", "Trap", "WasmError", "WasmException"]
