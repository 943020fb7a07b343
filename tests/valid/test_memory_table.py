"""Memory, table, SIMD lane and atomic instructions (spec 3.4.3, 3.4.6, 3.4.7, threads)."""

from __future__ import annotations

from vbuild import I, check_body, ft

from engine.syntax.ast import Elem, Table
from engine.syntax.types import (
    EXTERNREF,
    FUNCREF,
    I32,
    I64,
    V128,
    Limits,
    MemoryType,
    TableType,
)

MEM = [MemoryType(Limits(1, 2))]
MEM64 = [MemoryType(Limits(1), address="i64")]
SHARED = [MemoryType(Limits(1, 1), shared=True)]


def test_loads_and_stores() -> None:
    check_body([I("i32.const", 0), I("i64.load", 0, 3, 0)], (), (I64,), memories=MEM)
    check_body([I("i32.const", 0), I("i64.const", 1), I("i64.store32", 0, 2, 8)], memories=MEM)
    check_body([I("i32.const", 0), I("i32.load", 0, 2, 0)], (), (I32,), message="unknown memory 0")
    check_body([I("i32.const", 0), I("i32.load", 1, 2, 0)], (), (I32,), memories=MEM,
               message="unknown memory 1")  # fmt: skip


def test_alignment_must_not_exceed_natural() -> None:
    check_body([I("i32.const", 0), I("i32.load8_u", 0, 1, 0)], (), (I32,), memories=MEM,
               message="alignment must not be larger than natural")  # fmt: skip
    check_body([I("i32.const", 0), I("v128.load", 0, 4, 0)], (), (V128,), memories=MEM)
    check_body([I("i32.const", 0), I("v128.load", 0, 5, 0)], (), (V128,), memories=MEM,
               message="alignment must not be larger than natural")  # fmt: skip
    check_body([I("i32.const", 0), I("v128.load8x8_s", 0, 3, 0)], (), (V128,), memories=MEM)
    check_body([I("i32.const", 0), I("v128.load8x8_s", 0, 4, 0)], (), (V128,), memories=MEM,
               message="alignment must not be larger than natural")  # fmt: skip


def test_atomics_need_exact_natural_alignment() -> None:
    check_body([I("i32.const", 0), I("i32.atomic.load", 0, 2, 0)], (), (I32,), memories=SHARED)
    check_body([I("i32.const", 0), I("i32.atomic.load", 0, 1, 0)], (), (I32,), memories=SHARED,
               message="atomic alignment must be natural")  # fmt: skip
    body = [I("i32.const", 0), I("i64.const", 1), I("i64.const", 2),
            I("i64.atomic.rmw32.cmpxchg_u", 0, 2, 0)]  # fmt: skip
    check_body(body, (), (I64,), memories=SHARED)
    wait = [I("i32.const", 0), I("i32.const", 0), I("i64.const", -1 & (2**64 - 1)),
            I("memory.atomic.wait32", 0, 2, 0)]  # fmt: skip
    check_body(wait, (), (I32,), memories=SHARED)


def test_memory64_addresses_are_i64() -> None:
    check_body([I("i64.const", 0), I("i32.load", 0, 2, 0)], (), (I32,), memories=MEM64)
    check_body([I("i32.const", 0), I("i32.load", 0, 2, 0)], (), (I32,), memories=MEM64,
               message="type mismatch")  # fmt: skip
    check_body([I("memory.size", 0)], (), (I64,), memories=MEM64)
    check_body([I("i64.const", 1), I("memory.grow", 0)], (), (I64,), memories=MEM64)
    check_body([I("i32.const", 0), I("i32.load", 0, 2, 2**32)], (), (I32,), memories=MEM,
               message="offset out of range")  # fmt: skip
    # memory.copy between a 32-bit and a 64-bit memory: the length is the smaller type.
    both = MEM + MEM64
    body = [I("i32.const", 0), I("i64.const", 0), I("i32.const", 0), I("memory.copy", 0, 1)]
    check_body(body, memories=both)


def test_bulk_memory_needs_data_segments() -> None:
    from engine.syntax.ast import Data

    body = [I("i32.const", 0), I("i32.const", 0), I("i32.const", 0), I("memory.init", 0, 0)]
    check_body(body, memories=MEM, message="unknown data segment 0")
    check_body(body, memories=MEM, datas=[Data(b"ab")])
    check_body([I("data.drop", 1)], memories=MEM, datas=[Data(b"ab")],
               message="unknown data segment 1")  # fmt: skip


def test_lane_indices() -> None:
    check_body([I("v128.const", 0), I("i8x16.extract_lane_u", 15)], (), (I32,))
    check_body([I("v128.const", 0), I("i8x16.extract_lane_u", 16)], (), (I32,),
               message="invalid lane index")  # fmt: skip
    check_body([I("v128.const", 0), I("f64.const", 0), I("f64x2.replace_lane", 2)], (), (V128,),
               message="invalid lane index")  # fmt: skip
    check_body([I("v128.const", 0), I("v128.const", 0), I("i8x16.shuffle", tuple(range(16)))],
               (), (V128,))  # fmt: skip
    check_body([I("v128.const", 0), I("v128.const", 0), I("i8x16.shuffle", (32,) * 16)],
               (), (V128,), message="invalid lane index")  # fmt: skip
    body = [I("i32.const", 0), I("v128.const", 0), I("v128.load32_lane", 0, 2, 0, 4)]
    check_body(body, (), (V128,), memories=MEM, message="invalid lane index")
    body = [I("i32.const", 0), I("v128.const", 0), I("v128.load32_lane", 0, 2, 0, 3)]
    check_body(body, (), (V128,), memories=MEM)


def test_simd_signatures() -> None:
    check_body([I("v128.const", 0), I("i32x4.all_true")], (), (I32,))
    check_body([I("v128.const", 0), I("i32.const", 3), I("i64x2.shl")], (), (V128,))
    check_body([I("i64.const", 0), I("i64x2.splat")], (), (V128,))
    check_body([I("i32.const", 0), I("i64x2.splat")], (), (V128,), message="type mismatch")


TABLES = [Table(TableType(Limits(1), FUNCREF)), Table(TableType(Limits(1), EXTERNREF))]


def test_table_instructions() -> None:
    check_body([I("i32.const", 0), I("table.get", 1)], (), (EXTERNREF,), tables=TABLES)
    check_body([I("i32.const", 0), I("table.get", 0)], (), (EXTERNREF,), tables=TABLES,
               message="type mismatch")  # fmt: skip
    check_body([I("ref.null", "extern"), I("i32.const", 1), I("table.grow", 1)], (), (I32,),
               tables=TABLES)  # fmt: skip
    check_body([I("table.size", 2)], (), (I32,), tables=TABLES, message="unknown table 2")
    copy = [I("i32.const", 0), I("i32.const", 0), I("i32.const", 0), I("table.copy", 0, 1)]
    check_body(copy, tables=TABLES, message="type mismatch")
    t64 = [Table(TableType(Limits(1), FUNCREF, address="i64"))]
    check_body([I("table.size", 0)], (), (I64,), tables=t64)
    fill = [I("i64.const", 0), I("ref.null", "func"), I("i64.const", 1), I("table.fill", 0)]
    check_body(fill, tables=t64)


def test_table_init_and_elem_drop() -> None:
    elems = [Elem(FUNCREF, [])]
    body = [I("i32.const", 0), I("i32.const", 0), I("i32.const", 0), I("table.init", 0, 0)]
    check_body(body, tables=TABLES, elems=elems)
    body = [I("i32.const", 0), I("i32.const", 0), I("i32.const", 0), I("table.init", 1, 0)]
    check_body(body, tables=TABLES, elems=elems, message="type mismatch")
    check_body([I("elem.drop", 1)], elems=elems, message="unknown elem segment 1")


def test_call_indirect() -> None:
    types = [ft((I32,), (I32,))]
    body = [I("i32.const", 5), I("i32.const", 0), I("call_indirect", 0, 0)]
    check_body(body, (), (I32,), types=types, tables=TABLES)
    body = [I("i32.const", 5), I("i32.const", 0), I("call_indirect", 1, 0)]
    check_body(body, (), (I32,), types=types, tables=TABLES,
               message="type mismatch: instruction requires table of function type")  # fmt: skip
