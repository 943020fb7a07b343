"""Value conversion between Python and wasm by declared type, in both directions."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import (
    Func,
    FuncType,
    Global,
    GlobalType,
    Instance,
    Limits,
    Module,
    Store,
    Table,
    TableType,
    ValType,
)

I32, I64, F32, F64 = ValType.i32(), ValType.i64(), ValType.f32(), ValType.f64()

IDENTITY = """
(module
  (type $ii (func (param i32) (result i32)))
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "v128") (param v128) (result v128) local.get 0)
  (func (export "extern") (param externref) (result externref) local.get 0)
  (func (export "func") (param funcref) (result funcref) local.get 0)
  (func (export "typed") (param (ref null $ii)) (result (ref null $ii)) local.get 0)
  (func (export "nonnull") (param (ref extern)) (result i32) i32.const 1)
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "i31") (param i32) (result i31ref) (ref.i31 (local.get 0)))
  (func (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func (export "none") (param i32))
  (func (export "three") (result i32 i64 f64) (i32.const -1) (i64.const -2) (f64.const 0.5))
)
"""


@pytest.fixture()
def env() -> tuple[Store, dict]:
    store = Store()
    return store, dict(Instance(store, Module(IDENTITY), []).exports(store))


def test_integers_signed_or_unsigned_in_signed_out(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    assert ex["i32"](store, 0xFFFF_FFFF) == -1
    assert ex["i32"](store, -(2**31)) == -(2**31)
    assert ex["i32"](store, 2**31) == -(2**31)
    assert ex["i64"](store, 2**64 - 1) == -1
    assert ex["i64"](store, 2**63 - 1) == 2**63 - 1
    for bad in (2**32, -(2**31) - 1):
        with pytest.raises(ValueError):
            ex["i32"](store, bad)
    with pytest.raises(ValueError):
        ex["i64"](store, 2**64)
    for bad in (1.0, "1", True, None):
        with pytest.raises(TypeError):
            ex["i32"](store, bad)


def test_floats(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    r = ex["f32"](store, 0.1)
    assert r == struct.unpack("<f", struct.pack("<f", 0.1))[0] and r != 0.1
    assert ex["f32"](store, 3) == 3.0 and isinstance(ex["f32"](store, 3), float)
    assert ex["f32"](store, 1e300) == math.inf  # rounds past the largest f32
    assert ex["f32"](store, -1e300) == -math.inf
    assert math.isnan(ex["f32"](store, math.nan))
    assert ex["f64"](store, 0.1) == 0.1
    assert math.copysign(1.0, ex["f64"](store, -0.0)) == -1.0
    with pytest.raises(TypeError):
        ex["f64"](store, "0.5")


def test_v128(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    assert ex["v128"](store, 2**128 - 1) == 2**128 - 1
    assert ex["v128"](store, -1) == 2**128 - 1
    with pytest.raises(ValueError):
        ex["v128"](store, 2**128)


def test_externref_carries_any_object_unchanged(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    obj = object()
    assert ex["extern"](store, obj) is obj
    lst = [1, 2]
    assert ex["extern"](store, lst) is lst
    f = ex["inc"]
    assert ex["extern"](store, f) is f  # a Func passed as externref stays that object
    assert ex["extern"](store, None) is None
    assert ex["is_null"](store, None) == 1 and ex["is_null"](store, 0) == 0
    assert ex["nonnull"](store, "x") == 1
    with pytest.raises(TypeError, match="null"):
        ex["nonnull"](store, None)


def test_funcref_and_typed_function_references(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    inc = ex["inc"]
    back = ex["func"](store, inc)
    assert isinstance(back, Func) and back == inc and back(store, 1) == 2
    assert ex["func"](store, None) is None
    with pytest.raises(TypeError):
        ex["func"](store, 42)
    assert ex["typed"](store, inc) == inc
    host = Func(store, FuncType([I32], [I32]), lambda x: x)
    assert ex["typed"](store, host) == host  # same structural type: canonical and equal
    with pytest.raises(TypeError):
        ex["typed"](store, ex["none"])  # (func (param i32)) is not $ii


def test_i31ref(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    r = ex["i31"](store, 5)
    assert r is not None and r.value == 5


def test_results_none_single_tuple(env) -> None:  # type: ignore[no-untyped-def]
    store, ex = env
    assert ex["none"](store, 1) is None
    assert ex["i32"](store, 7) == 7
    assert ex["three"](store) == (-1, -2, 0.5)


def test_host_function_conversions() -> None:
    store = Store()
    seen: list[tuple] = []

    def host(a: int, b: int, c: float, d: object) -> tuple:
        seen.append((a, b, c, d))
        return (a, b, c, d)

    ty = FuncType([I32, I64, F32, ValType.externref()], [I32, I64, F32, ValType.externref()])
    f = Func(store, ty, host)
    marker = object()
    assert f(store, 0xFFFFFFFF, 2**64 - 2, 0.1, marker) == (
        -1,
        -2,
        struct.unpack("<f", struct.pack("<f", 0.1))[0],
        marker,
    )
    assert seen[0][0] == -1 and seen[0][3] is marker


def test_host_function_bad_results_raise_type_error() -> None:
    store = Store()
    m = Module(
        '(module (import "h" "f" (func $f (result i32 i32)))'
        ' (import "h" "g" (func $g))'
        ' (func (export "f") (result i32 i32) (call $f))'
        ' (func (export "g") (call $g)))'
    )
    for f_result, g_result in (((1,), None), ((1, 2), 5), ([1, "x"], None)):
        f = Func(store, FuncType([], [I32, I32]), lambda r=f_result: r)
        g = Func(store, FuncType([], []), lambda r=g_result: r)
        ex = Instance(store, m, [f, g]).exports(store)
        with pytest.raises(TypeError):
            ex["f"](store)
            ex["g"](store)
    ok = Instance(
        store,
        m,
        [
            Func(store, FuncType([], [I32, I32]), lambda: [1, -1]),
            Func(store, FuncType([], []), print),
        ],
    ).exports(store)
    assert ok["f"](store) == (1, -1)


def test_table_and_global_conversions() -> None:
    store = Store()
    g = Global(store, GlobalType(I64, True), 2**64 - 1)
    assert g.value(store) == -1
    g.set_value(store, -5)
    assert g.value(store) == -5
    with pytest.raises(TypeError):
        g.set_value(store, 1.5)
    fr = Global(store, GlobalType(ValType.funcref(), True), None)
    f = Func(store, FuncType([], []), lambda: None)
    fr.set_value(store, f)
    assert fr.value(store) == f
    t = Table(store, TableType(ValType.externref(), Limits(2)), None)
    obj = {"k": 1}
    t.set(store, 1, obj)
    assert t.get(store, 1) is obj and t.get(store, 0) is None
    with pytest.raises(TypeError):
        Table(store, TableType(ValType.funcref(), Limits(1)), "not a func")


@settings(max_examples=200, deadline=None)
@given(
    i=st.integers(-(2**31), 2**32 - 1),
    j=st.integers(-(2**63), 2**64 - 1),
    x=st.floats(allow_nan=False, width=64),
)
def test_round_trips(i: int, j: int, x: float) -> None:
    store, ex = _ROUND_TRIP
    assert ex["i32"](store, i) == (i + 2**31) % 2**32 - 2**31
    assert ex["i64"](store, j) == (j + 2**63) % 2**64 - 2**63
    assert ex["f64"](store, x) == x
    try:
        expected = struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        expected = math.copysign(math.inf, x)
    assert ex["f32"](store, x) == expected


def _round_trip_env() -> tuple[Store, dict]:
    store = Store()
    return store, dict(Instance(store, Module(IDENTITY), []).exports(store))


_ROUND_TRIP = _round_trip_env()
