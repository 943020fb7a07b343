"""The engine's error types.  Messages are the reference interpreter's exact strings, so that a
script's ``assert_malformed`` / ``assert_invalid`` / ``assert_trap`` text can be checked against
them (the spec suite matches by prefix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class WasmError(Exception):
    """Base of everything the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CompileError(WasmError):
    """The module could not be compiled: it is malformed (decode) or invalid (validation).

    ``offset`` is the byte offset in the binary where the problem was found, or -1 when the
    module came from text and has no binary position.
    """

    def __init__(self, message: str, offset: int = -1) -> None:
        super().__init__(message)
        self.offset = offset

    def __str__(self) -> str:
        return (
            f"{self.message} (at byte offset {self.offset})" if self.offset >= 0 else self.message
        )


class MalformedError(CompileError):
    """Binary or text decoding failed (``assert_malformed``)."""


class InvalidError(CompileError):
    """Validation failed (``assert_invalid``)."""


class LinkError(WasmError):
    """Instantiation failed while matching imports ("unknown import", ...)."""


# Trap codes, wasmtime-style names for the spec's trap messages.
TRAP_CODES: dict[str, str] = {
    "unreachable": "unreachable",
    "unreachable executed": "unreachable",
    "integer divide by zero": "int_divz",
    "integer overflow": "int_ovf",
    "invalid conversion to integer": "bad_conversion_to_integer",
    "out of bounds memory access": "memory_out_of_bounds",
    "out of bounds table access": "table_out_of_bounds",
    "undefined element": "table_out_of_bounds",
    "uninitialized element": "indirect_call_to_null",
    "indirect call type mismatch": "bad_signature",
    "null function reference": "null_reference",
    "null reference": "null_reference",
    "null structure reference": "null_reference",
    "null array reference": "null_reference",
    "null i31 reference": "null_reference",
    "null exception reference": "null_reference",
    "cast failure": "cast_failure",
    "out of bounds array access": "array_out_of_bounds",
    "array element access out of bounds": "array_out_of_bounds",
    "call stack exhausted": "stack_overflow",
    "unaligned atomic": "heap_misaligned",
    "expected shared memory": "atomics_wait_non_shared_memory",
    "out of fuel": "out_of_fuel",
    "interrupted": "interrupt",
}


@dataclass(frozen=True, slots=True)
class Frame:
    """One wasm frame of a trap's backtrace."""

    func_index: int
    func_name: str | None
    module_name: str | None
    func_offset: int  # byte offset of the function body in the binary, -1 if unknown
    module_offset: int  # byte offset of the trapping instruction, -1 if unknown

    def __str__(self) -> str:
        name = self.func_name or f"<wasm function {self.func_index}>"
        where = f" @ 0x{self.module_offset:x}" if self.module_offset >= 0 else ""
        mod = f"{self.module_name}!" if self.module_name else ""
        return f"{mod}{name}{where}"


class Trap(WasmError):
    """A wasm trap: the spec's message, a ``trap_code`` and the wasm frames, innermost first."""

    def __init__(self, message: str, frames: list[Frame] | None = None) -> None:
        super().__init__(message)
        # Some messages carry a trailing index ("undefined element 7"); the code ignores it.
        self.trap_code = TRAP_CODES.get(message) or TRAP_CODES.get(
            message.rsplit(" ", 1)[0], "unknown"
        )
        self.frames: list[Frame] = frames if frames is not None else []

    def __str__(self) -> str:
        if not self.frames:
            return self.message
        lines = [self.message, "wasm backtrace:"]
        lines += [f"  {i}: {f}" for i, f in enumerate(self.frames)]
        return "\n".join(lines)


class WasmException(WasmError):
    """A wasm exception (``throw``) that reached the embedder uncaught.

    ``exn`` is the runtime exception instance (tag + payload); ``tag`` and ``payload`` are
    shortcuts to its fields.
    """

    def __init__(self, exn: Any) -> None:
        super().__init__("uncaught exception")
        self.exn = exn

    @property
    def tag(self) -> Any:
        return self.exn.tag

    @property
    def payload(self) -> list[Any]:
        return list(self.exn.fields)
