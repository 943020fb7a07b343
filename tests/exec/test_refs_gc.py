"""Tables, call_indirect / call_ref traps, references, casts and GC aggregates."""

from __future__ import annotations

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap
from engine.runtime.instances import I31, ArrayInst, HostRef, StructInst

TABLES = """
(module
  (type $ii (func (param i32) (result i32)))
  (type $v (func))
  (table $t (export "t") 4 10 funcref)
  (elem (table $t) (i32.const 0) func $inc $dbl)
  (elem $seg func $dbl $inc)
  (elem declare func $nop $inc)
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $nop (type $v))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $nop) (local.get 0)))
  (func (export "set-null") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "is-null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "init") (param i32 i32 i32) (table.init $t $seg
            (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $seg))
  (func (export "copy") (param i32 i32 i32) (table.copy $t $t
            (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $inc) (local.get 1)))
  (func (export "call-ref") (param i32) (result i32)
    (call_ref $ii (i32.const 5) (ref.cast (ref null $ii) (table.get $t (local.get 0)))))
  (func (export "call-null-ref") (result i32)
    (call_ref $ii (i32.const 5) (ref.null $ii)))
)
"""


def test_call_indirect_and_its_traps() -> None:
    w = Wasm(TABLES)
    assert w.one("call", 0, 10) == 11
    assert w.one("call", 1, 10) == 20
    for idx, msg in (
        (2, "uninitialized element"),
        (4, "undefined element"),
        (99, "undefined element"),
    ):
        with pytest.raises(Trap) as e:
            w.call("call", idx, 0)
        assert e.value.message.startswith(msg)
    w.call("grow", 1)
    with pytest.raises(Trap) as e:
        w.call("call", 4, 0)
    assert e.value.message == "indirect call type mismatch"
    assert e.value.trap_code == "bad_signature"


def test_table_ops() -> None:
    w = Wasm(TABLES)
    assert w.one("size") == 4
    assert w.one("grow", 3) == 4
    assert w.one("grow", 4) == 0xFFFFFFFF
    assert w.one("size") == 7
    w.call("set-null", 0)
    assert w.one("is-null", 0) == 1
    with pytest.raises(Trap, match="out of bounds table access"):
        w.call("is-null", 7)
    w.call("init", 2, 0, 2)
    assert [w.one("call", i, 3) for i in (2, 3)] == [6, 4]
    with pytest.raises(Trap, match="out of bounds table access"):
        w.call("init", 6, 0, 2)
    w.call("drop")
    with pytest.raises(Trap, match="out of bounds table access"):
        w.call("init", 0, 0, 1)
    w.call("copy", 0, 2, 2)
    assert w.one("call", 0, 3) == 6
    w.call("fill", 5, 2)
    assert w.one("call", 6, 3) == 4
    with pytest.raises(Trap, match="out of bounds table access"):
        w.call("fill", 6, 2)


def test_call_ref() -> None:
    w = Wasm(TABLES)
    assert w.one("call-ref", 1) == 10
    with pytest.raises(Trap, match="null function reference"):
        w.call("call-null-ref")


GC = """
(module
  (type $pt (sub (struct (field $x (mut i32)) (field $y i8) (field $z (mut i64)))))
  (type $pt3 (sub $pt (struct (field $x (mut i32)) (field $y i8) (field $z (mut i64)) (field f64))))
  (type $bytes (array (mut i8)))
  (type $refs (array (mut anyref)))
  (data $d "\\01\\02\\03\\84")
  (func (export "struct") (result i32 i32 i32 i64)
    (local $s (ref $pt))
    (local.set $s (struct.new $pt (i32.const 7) (i32.const 0x1FF) (i64.const 9)))
    (struct.set $pt $x (local.get $s) (i32.const 8))
    (struct.get $pt $x (local.get $s))
    (struct.get_s $pt $y (local.get $s))
    (struct.get_u $pt $y (local.get $s))
    (struct.get $pt $z (local.get $s)))
  (func (export "default") (result i64) (struct.get $pt $z (struct.new_default $pt)))
  (func (export "null-struct") (result i32) (struct.get $pt $x (ref.null $pt)))
  (func (export "array") (result i32 i32 i32)
    (local $a (ref $bytes))
    (local.set $a (array.new $bytes (i32.const 0x180) (i32.const 5)))
    (array.set $bytes (local.get $a) (i32.const 1) (i32.const 3))
    (array.get_s $bytes (local.get $a) (i32.const 0))
    (array.get_u $bytes (local.get $a) (i32.const 1))
    (array.len (local.get $a)))
  (func (export "array-oob") (param i32) (result i32)
    (array.get_u $bytes (array.new_default $bytes (i32.const 3)) (local.get 0)))
  (func (export "array-null") (result i32) (array.len (ref.null $bytes)))
  (func (export "array-data") (param i32) (result i32)
    (array.get_s $bytes (array.new_data $bytes $d (i32.const 1) (i32.const 3)) (local.get 0)))
  (func (export "array-data-oob") (result i32)
    (array.len (array.new_data $bytes $d (i32.const 2) (i32.const 3))))
  (func (export "fill-copy") (result i32 i32)
    (local $a (ref $bytes)) (local $b (ref $bytes))
    (local.set $a (array.new_fixed $bytes 4
      (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)))
    (local.set $b (array.new_default $bytes (i32.const 4)))
    (array.fill $bytes (local.get $b) (i32.const 1) (i32.const 9) (i32.const 2))
    (array.copy $bytes $bytes
      (local.get $a) (i32.const 0) (local.get $b) (i32.const 1) (i32.const 3))
    (array.get_u $bytes (local.get $a) (i32.const 0))
    (array.get_u $bytes (local.get $a) (i32.const 2)))
  (func (export "casts") (param anyref) (result i32 i32 i32 i32)
    (ref.test (ref $pt) (local.get 0))
    (ref.test (ref $pt3) (local.get 0))
    (ref.test (ref i31) (local.get 0))
    (ref.test (ref null struct) (local.get 0)))
  (func (export "cast") (param anyref) (result i32)
    (struct.get $pt $x (ref.cast (ref $pt) (local.get 0))))
  (func (export "mk") (param i32) (result anyref)
    (if (result anyref) (local.get 0)
      (then (struct.new $pt3 (i32.const 1) (i32.const 2) (i64.const 3) (f64.const 4)))
      (else (ref.i31 (i32.const -1)))))
  (func (export "br-on-cast") (param anyref) (result i32)
    (block $is_i31 (result (ref i31))
      (drop (br_on_cast $is_i31 anyref (ref i31) (local.get 0)))
      (return (i32.const -1)))
    (i31.get_s))
  (func (export "br-on-null") (param anyref) (result i32)
    (block $null
      (drop (br_on_null $null (local.get 0)))
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "i31-null") (result i32) (i31.get_u (ref.null i31)))
  (func (export "eq") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1)))
  (func (export "extern") (param anyref) (result externref) (extern.convert_any (local.get 0)))
  (func (export "intern") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "non-null") (param anyref) (result anyref) (ref.as_non_null (local.get 0)))
)
"""


@pytest.fixture(scope="module")
def gc() -> Wasm:
    return Wasm(GC)


def test_structs(gc: Wasm) -> None:
    assert gc.call("struct") == [8, 0xFFFFFFFF, 0xFF, 9]
    assert gc.one("default") == 0
    with pytest.raises(Trap, match="null structure reference"):
        gc.call("null-struct")


def test_arrays(gc: Wasm) -> None:
    assert gc.call("array") == [0xFFFFFF80, 3, 5]
    with pytest.raises(Trap, match="out of bounds array access"):
        gc.call("array-oob", 3)
    with pytest.raises(Trap, match="null array reference"):
        gc.call("array-null")
    assert [gc.one("array-data", i) for i in range(3)] == [2, 3, 0xFFFFFF84]
    with pytest.raises(Trap, match="out of bounds memory access"):
        gc.call("array-data-oob")
    assert gc.call("fill-copy") == [9, 0]


def test_casts_and_branches(gc: Wasm) -> None:
    s = gc.one("mk", 1)
    i = gc.one("mk", 0)
    assert isinstance(s, StructInst) and isinstance(i, I31)
    assert gc.call("casts", s) == [1, 1, 0, 1]
    assert gc.call("casts", i) == [0, 0, 1, 0]
    assert gc.call("casts", None) == [0, 0, 0, 1]
    assert gc.one("cast", s) == 1
    with pytest.raises(Trap, match="cast failure"):
        gc.call("cast", i)
    assert gc.one("br-on-cast", i) == 0xFFFFFFFF
    assert gc.one("br-on-cast", s) == 0xFFFFFFFF
    assert gc.one("br-on-null", None) == 0
    assert gc.one("br-on-null", s) == 1
    with pytest.raises(Trap, match="null i31 reference"):
        gc.call("i31-null")


def test_ref_eq_and_conversions(gc: Wasm) -> None:
    s = gc.one("mk", 1)
    assert gc.one("eq", I31(5), I31(5)) == 1
    assert gc.one("eq", s, s) == 1
    assert gc.one("eq", s, gc.one("mk", 1)) == 0
    assert gc.one("eq", None, None) == 1
    boxed = gc.one("extern", s)
    assert isinstance(boxed, HostRef) and boxed.ref is s
    assert gc.one("intern", boxed) is s
    assert gc.one("extern", None) is None
    host = object()
    assert gc.one("intern", host) is host
    with pytest.raises(Trap, match="null reference"):
        gc.call("non-null", None)
    assert isinstance(gc.one("non-null", s), StructInst)
    assert not isinstance(s, ArrayInst)
