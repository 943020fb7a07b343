"""Conversions between the engine's runtime values and the values that cross the bridge
(JS-API 5.4 ToJSValue / ToWebAssemblyValue).

Numeric conversions that can run user code (valueOf) happen in JS before the value crosses;
here i32 arrives as a signed int, i64 as a BigInt, f32 already rounded. References arrive as
themselves: a JS value (``JSHandle`` or primitive), or an engine object for the JS wrappers
of exported functions, tags, exceptions and GC objects.
"""

from __future__ import annotations

from typing import Any

from engine.runtime.instances import I31, ArrayInst, FuncInst, HostRef, StructInst
from engine.syntax.types import RefType
from jsapi.bridge import UNDEFINED, BigInt

# ValueType / TableKind strings of the JS API -> abstract heap types.
REF_NAMES = {
    "funcref": "func",
    "anyfunc": "func",
    "externref": "extern",
    "exnref": "exn",
    "anyref": "any",
    "eqref": "eq",
    "i31ref": "i31",
    "structref": "struct",
    "arrayref": "array",
    "nullref": "none",
    "nullfuncref": "nofunc",
    "nullexternref": "noextern",
    "nullexnref": "noexn",
}
NUMERIC = ("i32", "i64", "f32", "f64", "v128")
_FUNC_HEAPS = ("func", "nofunc")
_ANY_HEAPS = ("any", "eq", "i31", "struct", "array", "none")


def parse_type(code: str) -> Any:
    """A JS-API type string (as the JS side normalised it) to an engine value type."""
    if code in NUMERIC:
        return code
    return RefType(True, REF_NAMES[code])


def type_code(t: Any) -> str:
    """The type text the JS side dispatches on: numeric names, else the reference type's text."""
    return t if isinstance(t, str) else str(t)


def _heap_kind(heap: Any) -> str:
    if isinstance(heap, str):
        return heap
    comp = getattr(heap, "comp", None)
    name = type(comp).__name__
    return {"FuncType": "func", "StructType": "struct", "ArrayType": "array"}.get(name, "any")


def to_wasm(value: Any, t: Any) -> Any:
    """ToWebAssemblyValue after the JS-side numeric step; TypeError when the value does not fit."""
    if isinstance(t, str):
        if t == "i32":
            return int(value) & 0xFFFFFFFF
        if t == "i64":
            return int(value) & 0xFFFFFFFFFFFFFFFF
        if t in ("f32", "f64"):
            return float(value)
        raise TypeError("type incompatibility when transforming from/to JS")
    if value is None:
        if not t.nullable:
            raise TypeError("type incompatibility when transforming from/to JS")
        return None
    kind = _heap_kind(t.heap)
    if kind in ("exn", "noexn"):
        raise TypeError("type incompatibility when transforming from/to JS")
    if kind == "extern":
        return value
    if kind in _FUNC_HEAPS:
        if kind == "func" and isinstance(value, FuncInst):
            if isinstance(t.heap, str) or _func_matches(value, t.heap):
                return value
        raise TypeError("type incompatibility when transforming from/to JS")
    if kind in ("noextern", "none"):
        raise TypeError("type incompatibility when transforming from/to JS")
    # anyref hierarchy: i31 from numbers, GC objects as themselves, host values boxed.
    if kind in ("any", "eq", "i31") and _is_i31_number(value):
        return I31(int(value))
    if isinstance(value, (StructInst, ArrayInst)):
        if kind in ("any", "eq") or kind == _heap_kind(value.type) and _gc_matches(value, t.heap):
            return value
        raise TypeError("type incompatibility when transforming from/to JS")
    if kind == "any":
        return value if not isinstance(value, FuncInst) else HostRef(value)
    raise TypeError("type incompatibility when transforming from/to JS")


def _is_i31_number(v: Any) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or isinstance(v, BigInt):
        return False
    return float(v).is_integer() and -(2**30) <= v < 2**30 and not (v == 0 and str(v)[0] == "-")


def _func_matches(f: FuncInst, heap: Any) -> bool:
    from engine.valid.match import match_valtype

    return bool(match_valtype(RefType(False, f.type), RefType(False, heap)))


def _gc_matches(v: Any, heap: Any) -> bool:
    if isinstance(heap, str):
        return True
    from engine.valid.match import match_valtype

    return bool(match_valtype(RefType(False, v.type), RefType(False, heap)))


def default_value(t: Any) -> Any:
    """DefaultValue (JS-API): externref's default is undefined; non-nullable has none."""
    if isinstance(t, str):
        if t == "v128":
            return 0
        return 0.0 if t[0] == "f" else 0
    if not t.nullable:
        raise TypeError("WebAssembly: a non-nullable reference type has no default value")
    if _heap_kind(t.heap) == "extern":
        return UNDEFINED
    return None


def numeric_to_js(value: Any, t: str) -> Any:
    if t == "i32":
        return value - (1 << 32) if value >= 1 << 31 else value
    if t == "i64":
        return BigInt(value - (1 << 64) if value >= 1 << 63 else value)
    if t in ("f32", "f64"):
        return float(value)
    raise TypeError("type incompatibility when transforming from/to JS")
