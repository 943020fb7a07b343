"""The abstract syntax of WAST scripts (the reference interpreter's script/script.ml).

The text parser (engine/text/) produces a ``Script``; the runner (engine/script/run.py)
executes it.  Every command carries the 1-based ``line`` of its opening parenthesis.

Values in actions and results use the runtime representation (engine/runtime/instances.py),
except floats, which stay bit patterns so that NaN payloads are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from engine.syntax.ast import Module

# --- Values and result patterns ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    """An argument or an exact expected value.

    type: "i32" | "i64" | "f32" | "f64" | "v128" | "ref.null" | "ref.extern" | "ref.host"
    value: int (f32/f64 as their bit pattern, v128 as a 128-bit int); for "ref.null" the heap
    type (str or int); for "ref.extern"/"ref.host" the host reference number.
    """

    type: str
    value: Any


@dataclass(frozen=True, slots=True)
class NanPattern:
    """``nan:canonical`` / ``nan:arithmetic`` for an f32 or f64 result."""

    type: str  # "f32" | "f64"
    kind: str  # "canonical" | "arithmetic"


@dataclass(frozen=True, slots=True)
class VecPattern:
    """A v128 result given lane by lane, where some lanes may be NaN patterns.

    shape: "i8x16" | "i16x8" | "i32x4" | "i64x2" | "f32x4" | "f64x2";
    lanes: per lane an int (the lane's bits) or a NanPattern.
    """

    shape: str
    lanes: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class RefPattern:
    """A reference result: ``(ref.null ht?)``, ``(ref.func)``, ``(ref.extern N?)``,
    ``(ref.host N)``, ``(ref.any)``, ``(ref.eq)``, ``(ref.i31)``, ``(ref.struct)``,
    ``(ref.array)``, ``(ref.exn)``.  ``value`` is the heap type for ref.null (None = any null),
    the host number for ref.extern / ref.host (None = any), otherwise None."""

    # "null" | "func" | "extern" | "host" | "any" | "eq" | "i31" | "struct" | "array" | "exn"
    kind: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Either:
    alternatives: tuple[Result, ...]


Result = Union[Const, NanPattern, VecPattern, RefPattern, Either]

# --- Modules and actions -------------------------------------------------------------------


@dataclass(slots=True)
class ScriptModule:
    """A module in a script.

    kind "text": ``module`` holds the parsed AST.  "binary": ``data`` holds the bytes.
    "quote": ``text`` holds the source, parsed only when the command runs (so that
    ``assert_malformed`` can see the parse error).

    A text module whose fields did not parse has ``module`` None, ``error`` the parse error's
    message and ``text`` its source; ``unavailable`` marks that the text parser itself is
    missing (the command is then skipped, not failed).
    """

    kind: str
    line: int
    id: str | None = None
    module: Module | None = None
    data: bytes | None = None
    text: str | None = None
    error: str | None = None
    unavailable: bool = False


@dataclass(slots=True)
class Invoke:
    module_id: str | None
    name: str
    args: list[Const]
    line: int


@dataclass(slots=True)
class Get:
    module_id: str | None
    name: str
    line: int


Action = Union[Invoke, Get]

# --- Commands ------------------------------------------------------------------------------


@dataclass(slots=True)
class ModuleCommand:
    """``(module ...)``; ``definition`` for ``(module definition ...)`` (compiled, not
    instantiated)."""

    module: ScriptModule
    line: int
    definition: bool = False


@dataclass(slots=True)
class InstanceCommand:
    """``(module instance $inst? $def?)``"""

    instance_id: str | None
    module_id: str | None
    line: int


@dataclass(slots=True)
class Register:
    name: str
    module_id: str | None
    line: int


@dataclass(slots=True)
class ActionCommand:
    action: Action
    line: int


@dataclass(slots=True)
class AssertReturn:
    action: Action
    results: list[Result]
    line: int


@dataclass(slots=True)
class AssertTrap:
    """``assert_trap`` of an action, or of a module whose instantiation traps."""

    target: Action | ScriptModule
    message: str
    line: int


@dataclass(slots=True)
class AssertExhaustion:
    action: Action
    message: str
    line: int


@dataclass(slots=True)
class AssertException:
    action: Action
    line: int


@dataclass(slots=True)
class AssertModule:
    """assert_malformed / assert_invalid / assert_unlinkable / assert_uninstantiable."""

    kind: str  # "malformed" | "invalid" | "unlinkable" | "uninstantiable"
    module: ScriptModule
    message: str
    line: int


@dataclass(slots=True)
class Thread:
    """``(thread $t (shared (module $m))* cmd*)``"""

    name: str
    shared: list[str]
    commands: list[Command]
    line: int


@dataclass(slots=True)
class Wait:
    thread: str
    line: int


Command = Union[
    ModuleCommand,
    InstanceCommand,
    Register,
    ActionCommand,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertException,
    AssertModule,
    Thread,
    Wait,
]


@dataclass(slots=True)
class Script:
    commands: list[Command] = field(default_factory=list)
    path: str = ""
