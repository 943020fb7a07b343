"""Script values: turning a script's constants into runtime values, and matching results
against expected patterns exactly as the reference runner's ``assert_result`` does."""

from __future__ import annotations

from typing import Any

from engine.runtime.instances import I31, ArrayInst, ExnInst, FuncInst, HostRef, StructInst
from engine.runtime.values import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from engine.script.ast import Const, Either, NanPattern, RefPattern, Result, VecPattern


class HostValue:
    """The script's host reference ``N``: ``ref.extern N`` passes it as an externref and
    ``ref.host N`` is the same reference seen as an anyref (so internalising one gives the
    other, as in the reference's ``ExternRef (HostRef n)``)."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostValue) and other.n == self.n

    def __hash__(self) -> int:
        return hash(("hostvalue", self.n))

    def __repr__(self) -> str:
        return f"ref.host {self.n}"


def value_of_const(c: Const) -> Any:
    t = c.type
    if t == "f32":
        return f32_from_bits(c.value)
    if t == "f64":
        return f64_from_bits(c.value)
    if t == "ref.null":
        return None
    if t in ("ref.extern", "ref.host"):
        return HostValue(c.value)
    return c.value


_CANON = {"f32": 0x7FC00000, "f64": 0x7FF8000000000000}
_SIGN_OFF = {"f32": 0x7FFFFFFF, "f64": 0x7FFFFFFFFFFFFFFF}


def nan_matches(bits: int, p: NanPattern) -> bool:
    canon = _CANON[p.type]
    if p.kind == "canonical":
        return bits & _SIGN_OFF[p.type] == canon
    return bits & canon == canon


def float_bits(t: str, v: Any) -> int | None:
    if not isinstance(v, float):
        return None
    return f32_to_bits(v) if t == "f32" else f64_to_bits(v)


_LANES = {
    "i8x16": (8, 16),
    "i16x8": (16, 8),
    "i32x4": (32, 4),
    "i64x2": (64, 2),
    "f32x4": (32, 4),
    "f64x2": (64, 2),
}


def _vec_matches(v: Any, p: VecPattern) -> bool:
    if not isinstance(v, int):
        return False
    width, n = _LANES[p.shape]
    mask = (1 << width) - 1
    for i, lane in enumerate(p.lanes):
        bits = (v >> (i * width)) & mask
        if isinstance(lane, NanPattern):
            if not nan_matches(bits, lane):
                return False
        elif bits != lane & mask:
            return False
    return True


def _unbox(v: Any) -> Any:
    return v.ref if isinstance(v, HostRef) else v


def _ref_matches(v: Any, p: RefPattern) -> bool:
    k = p.kind
    if k == "null":
        return v is None
    if k == "host":
        return p.value is None or _unbox(v) == HostValue(p.value)
    if k == "extern":
        if p.value is None:
            return True  # the reference accepts any reference here
        return _unbox(v) == HostValue(p.value)
    if k == "func":
        return isinstance(v, FuncInst)
    if k == "exn":
        return isinstance(v, ExnInst)
    if k == "any":
        return not isinstance(v, FuncInst)
    if k == "eq":
        return isinstance(v, (I31, StructInst, ArrayInst))
    if k == "i31":
        return isinstance(v, I31)
    if k == "struct":
        return isinstance(v, StructInst)
    if k == "array":
        return isinstance(v, ArrayInst)
    return False


def result_matches(v: Any, r: Result) -> bool:
    if isinstance(r, Either):
        return any(result_matches(v, alt) for alt in r.alternatives)
    if isinstance(r, NanPattern):
        bits = float_bits(r.type, v)
        return bits is not None and nan_matches(bits, r)
    if isinstance(r, VecPattern):
        return _vec_matches(v, r)
    if isinstance(r, RefPattern):
        return _ref_matches(v, r)
    if isinstance(r, Const):
        t = r.type
        if t in ("f32", "f64"):
            return float_bits(t, v) == r.value
        if t in ("i32", "i64", "v128"):
            return isinstance(v, int) and not isinstance(v, bool) and v == r.value
        if t == "ref.null":
            return v is None
        if t in ("ref.extern", "ref.host"):
            return _unbox(v) == HostValue(r.value)
        return bool(v == r.value)
    return False


def results_match(got: list[Any], expected: list[Result]) -> bool:
    return len(got) == len(expected) and all(result_matches(v, r) for v, r in zip(got, expected))


def _float_type(r: Result | None) -> str:
    """The float type a result pattern expects, so a float is shown with the right bits."""
    if isinstance(r, (Const, NanPattern)) and r.type == "f32":
        return "f32"
    if isinstance(r, Either) and r.alternatives:
        return _float_type(r.alternatives[0])
    return "f64"


def show_value(v: Any, expected: Result | None = None) -> str:
    if isinstance(v, float):
        if _float_type(expected) == "f32":
            return f"{v!r} (f32:0x{f32_to_bits(v):08x})"
        return f"{v!r} (0x{f64_to_bits(v):016x})"
    if isinstance(v, int):
        return f"{v} (0x{v:x})"
    if v is None:
        return "null"
    return type(v).__name__ if not isinstance(v, HostValue) else repr(v)


def show_result(r: Result) -> str:
    if isinstance(r, Const):
        if r.type in ("f32", "f64"):
            return f"{r.type}:0x{r.value:x}"
        return f"{r.type}:{r.value}"
    if isinstance(r, NanPattern):
        return f"{r.type}:nan:{r.kind}"
    if isinstance(r, VecPattern):
        return f"{r.shape}[{' '.join(map(str, r.lanes))}]"
    if isinstance(r, RefPattern):
        return f"ref.{r.kind}" + (f" {r.value}" if r.value is not None else "")
    if isinstance(r, Either):
        return "(either " + " | ".join(show_result(a) for a in r.alternatives) + ")"
    return repr(r)
