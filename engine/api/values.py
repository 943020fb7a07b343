"""Conversion of values between Python and the engine's runtime representation, by declared
wasm type (the runtime representation is described in engine/runtime/instances.py).

- i32 / i64: any ``int`` in the signed or the unsigned range is accepted; results come back
  signed, as wasmtime-py returns them.
- f32 / f64: ``float`` (an ``int`` is accepted); f32 rounds to single precision, to nearest.
- v128: an ``int``, returned unsigned (lane 0 in the low bits).
- funcref and typed function references: a ``Func`` or ``None``.
- externref: any Python object, carried unchanged (identity preserved); ``None`` is null.
- other references (anyref, eqref, i31ref, structref, arrayref, exnref): the runtime objects
  themselves; an ``int`` is accepted where an i31ref fits.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

from engine.runtime.instances import I31, FuncInst
from engine.runtime.values import to_signed
from engine.syntax import types as T

_F32 = struct.Struct("<f")


def _unset(fi: FuncInst) -> Any:
    raise RuntimeError("engine.api.objects is not loaded")


# Set by engine.api.objects: the API wrapper of a runtime function, and the class to accept.
wrap_func: Callable[[FuncInst], Any] = _unset
func_class: type = type(None)


def _to_f32(x: float) -> float:
    try:
        return float(_F32.unpack(_F32.pack(x))[0])
    except OverflowError:  # rounds past the largest finite f32
        return math.copysign(math.inf, x)


def _int(v: Any, t: str, bits: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"expected an int for {t}, got {type(v).__name__}")
    if not -(1 << (bits - 1)) <= v < (1 << bits):
        raise ValueError(f"{v} out of range for {t}")
    return v & ((1 << bits) - 1)


def to_wasm(v: Any, t: T.ValType) -> Any:
    """A Python value as a runtime value of type ``t`` (TypeError / ValueError if it is not
    one)."""
    if t == "i32":
        return _int(v, t, 32)
    if t == "i64":
        return _int(v, t, 64)
    if t == "f32" or t == "f64":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"expected a float for {t}, got {type(v).__name__}")
        return _to_f32(float(v)) if t == "f32" else float(v)
    if t == "v128":
        return _int(v, t, 128)
    assert isinstance(t, T.RefType)
    return _to_ref(v, t)


def _to_ref(v: Any, t: T.RefType) -> Any:
    if v is None:
        if not t.nullable:
            raise TypeError(f"null is not a value of {t}")
        return None
    from engine.valid.match import match_reftype, top_heap

    top = top_heap(t.heap)
    if top == "extern":
        if t.heap == "noextern":
            raise TypeError(f"only null is a value of {t}")
        return v
    if top == "func":
        if not isinstance(v, func_class):
            raise TypeError(f"expected a Func or None for {t}, got {type(v).__name__}")
        fi = v._inst
        if not match_reftype(T.RefType(False, fi.type), t):
            raise TypeError(f"function of type {fi.type} is not a value of {t}")
        return fi
    if isinstance(v, int) and not isinstance(v, bool) and t.heap in ("i31", "eq", "any"):
        return I31(v)
    return v


def from_wasm(v: Any, t: T.ValType) -> Any:
    """A runtime value of type ``t`` as a Python value."""
    if t == "i32":
        return to_signed(v, 32)
    if t == "i64":
        return to_signed(v, 64)
    if isinstance(v, FuncInst):
        return wrap_func(v)
    return v


# --- per-signature call plans -------------------------------------------------------------
# Converting by a precomputed converter per parameter keeps the cost of a Python -> wasm call
# close to the execution tier's own.


def _i32_arg(v: Any) -> int:
    if type(v) is int and -0x80000000 <= v <= 0xFFFFFFFF:
        return v & 0xFFFFFFFF
    return _int(v, "i32", 32)


def _i64_arg(v: Any) -> int:
    if type(v) is int and -0x8000000000000000 <= v <= 0xFFFFFFFFFFFFFFFF:
        return v & 0xFFFFFFFFFFFFFFFF
    return _int(v, "i64", 64)


def _f64_arg(v: Any) -> float:
    return v if type(v) is float else to_wasm(v, "f64")  # type: ignore[no-any-return]


def _arg_converter(t: T.ValType) -> Callable[[Any], Any]:
    if t == "i32":
        return _i32_arg
    if t == "i64":
        return _i64_arg
    if t == "f64":
        return _f64_arg
    return lambda v: to_wasm(v, t)


def _i32_res(v: int) -> int:
    return v - 0x100000000 if v & 0x80000000 else v


def _i64_res(v: int) -> int:
    return v - 0x10000000000000000 if v & 0x8000000000000000 else v


def _float_res(v: float) -> float:
    return v


def _result_converter(t: T.ValType) -> Callable[[Any], Any]:
    if t == "i32":
        return _i32_res
    if t == "i64":
        return _i64_res
    if t == "f32" or t == "f64":
        return _float_res
    return lambda v: from_wasm(v, t)


class CallPlan:
    """How to convert the arguments and results of one function type."""

    __slots__ = ("nparams", "args", "results", "deftype")

    def __init__(self, deftype: Any) -> None:
        ft = deftype.comp
        self.deftype = deftype  # keeps the id() key below from being reused
        self.nparams = len(ft.params)
        self.args = tuple(_arg_converter(t) for t in ft.params)
        self.results = tuple(_result_converter(t) for t in ft.results)

    def convert_results(self, out: list[Any]) -> Any:
        rs = self.results
        if not rs:
            return None
        if len(rs) == 1:
            return rs[0](out[0])
        return tuple(c(v) for c, v in zip(rs, out))


_PLANS: dict[int, CallPlan] = {}


def plan_of(deftype: Any) -> CallPlan:
    plan = _PLANS.get(id(deftype))
    if plan is None or plan.deftype is not deftype:
        plan = _PLANS[id(deftype)] = CallPlan(deftype)
    return plan


def results_of(out: list[Any], results: tuple[Any, ...]) -> Any:
    """Results the way wasmtime-py returns them: None, the value, or a tuple."""
    if not results:
        return None
    if len(results) == 1:
        return from_wasm(out[0], results[0])
    return tuple(from_wasm(v, t) for v, t in zip(out, results))


__all__ = ["CallPlan", "from_wasm", "plan_of", "results_of", "to_wasm"]
