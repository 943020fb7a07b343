"""Small helpers over the runtime value representation (see engine/runtime/instances.py).

The float bit conversions live in engine/runtime/float_bits.py (a leaf module) and are
re-exported here, so that constant expressions, the script runner and the execution tier agree on
every NaN payload bit.
"""

from __future__ import annotations

from typing import Any

from engine.runtime.float_bits import f32_from_bits as f32_from_bits
from engine.runtime.float_bits import f32_to_bits as f32_to_bits
from engine.runtime.float_bits import f64_from_bits as f64_from_bits
from engine.runtime.float_bits import f64_to_bits as f64_to_bits
from engine.runtime.instances import (
    I31,
    ArrayInst,
    ExnInst,
    FuncInst,
    HostRef,
    StructInst,
)
from engine.syntax.types import RefType, ValType

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF


def default_value(t: ValType) -> Any:
    """The default value of a defaultable type (spec 4.2.1): zero, or null."""
    if isinstance(t, RefType):
        return None
    if t in ("f32", "f64"):
        return 0.0
    return 0


def to_signed(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def ref_kind(v: Any) -> str:
    """A short name for the kind of a reference value, for messages."""
    if v is None:
        return "null"
    if isinstance(v, FuncInst):
        return "func"
    if isinstance(v, StructInst):
        return "struct"
    if isinstance(v, ArrayInst):
        return "array"
    if isinstance(v, I31):
        return "i31"
    if isinstance(v, ExnInst):
        return "exn"
    if isinstance(v, HostRef):
        return "extern"
    return "host"
