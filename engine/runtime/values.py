"""Small helpers over the runtime value representation (see engine/runtime/instances.py).

Float bit conversions are done here by hand rather than with ``struct`` alone: CPython's
single-precision packing quiets signalling NaNs, and the script runner must compare NaN
payloads bit-exactly.
"""

from __future__ import annotations

import struct
from typing import Any

from engine.runtime.instances import (
    I31,
    ArrayInst,
    ExnInst,
    FuncInst,
    HostRef,
    StructInst,
)
from engine.syntax.types import RefType, ValType

_D = struct.Struct("<d")
_Q = struct.Struct("<Q")
_F = struct.Struct("<f")
_I = struct.Struct("<I")

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF


def f64_from_bits(bits: int) -> float:
    return float(_D.unpack(_Q.pack(bits & MASK64))[0])


def f64_to_bits(x: float) -> int:
    return int(_Q.unpack(_D.pack(x))[0])


def f32_from_bits(bits: int) -> float:
    bits &= MASK32
    if bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF:
        # A NaN: widen by hand so that a signalling payload survives (hardware widening
        # puts the 23-bit payload in the top of the 52-bit mantissa).
        sign = (bits >> 31) << 63
        return f64_from_bits(sign | (0x7FF << 52) | ((bits & 0x7FFFFF) << 29))
    return float(_F.unpack(_I.pack(bits))[0])


def f32_to_bits(x: float) -> int:
    if x != x:
        b = f64_to_bits(x)
        return ((b >> 63) << 31) | 0x7F800000 | ((b >> 29) & 0x7FFFFF)
    return int(_I.unpack(_F.pack(x))[0])


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
