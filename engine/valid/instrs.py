"""Typing rules of memory, table, SIMD lane and exception instructions (spec 3.4.4 - 3.4.9).

Each handler mirrors one case of the reference interpreter's ``check_instr`` (valid.ml): the
same lookups in the same order, so a module with several faults reports the reference's one.
Reference, aggregate and cast instructions live in engine/valid/refs.py.
"""

from __future__ import annotations

from typing import Any

from engine.errors import InvalidError
from engine.syntax.ast import Instr
from engine.syntax.types import EXNREF, I32, V128, RefType
from engine.valid.code import Checker, handler
from engine.valid.match import match_valtype, str_results, str_valtype
from engine.valid.ops import LANE_OPS, MEMOPS

_EXN = RefType(False, "exn")


def _min_addr(a: str, b: str) -> str:
    return "i32" if "i32" in (a, b) else "i64"


# --- memory instructions (spec 3.4.7, threads) ----------------------------------------------


def _memop(v: Checker, ins: Instr) -> None:
    op = ins.op
    m = MEMOPS[op]
    imm = ins.imm
    ctx = v.ctx
    mt = ctx.memory(imm[0], ins.offset)
    align = imm[1]
    if m.atomic:
        if 1 << align != m.size:
            raise InvalidError("atomic alignment must be natural", ins.offset)
    elif 1 << align > m.size:
        raise InvalidError("alignment must not be larger than natural", ins.offset)
    # The reference checks the offset against memory 0's address type, whatever the memarg's.
    if imm[2] >= 0x1_0000_0000 and ctx.memories[0].address == "i32":
        raise InvalidError("offset out of range", ins.offset)
    if m.lane and imm[3] >= 16 // m.size:
        raise InvalidError("invalid lane index", ins.offset)
    ts = _MEM_POPS[op, mt.address]
    vals = v.vals
    n = len(ts)
    if vals[-n:] == ts and len(vals) - n >= v.frames[-1].height:
        del vals[-n:]
    else:
        v.pop(ts, ins)
    if m.results:
        vals.extend(m.results)


# The operands of each memory access per address type, as lists to compare with the stack.
_MEM_POPS: dict[tuple[str, str], list[str]] = {
    (op, at): [at, *m.args] for op, m in MEMOPS.items() for at in ("i32", "i64")
}

for _op in MEMOPS:
    handler(_op)(_memop)


@handler("memory.size")
def _memory_size(v: Checker, ins: Instr) -> None:
    v.vals.append(v.ctx.memory(ins.imm[0], ins.offset).address)


@handler("memory.grow")
def _memory_grow(v: Checker, ins: Instr) -> None:
    at = v.ctx.memory(ins.imm[0], ins.offset).address
    v.pop1(at, ins)
    v.vals.append(at)


@handler("memory.fill")
def _memory_fill(v: Checker, ins: Instr) -> None:
    at = v.ctx.memory(ins.imm[0], ins.offset).address
    v.pop((at, I32, at), ins)


@handler("memory.copy")
def _memory_copy(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    a1 = v.ctx.memory(x, ins.offset).address
    a2 = v.ctx.memory(y, ins.offset).address
    v.pop((a1, a2, _min_addr(a1, a2)), ins)


@handler("memory.init")
def _memory_init(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    at = v.ctx.memory(x, ins.offset).address
    v.ctx.data(y, ins.offset)
    v.pop((at, I32, I32), ins)


@handler("data.drop")
def _data_drop(v: Checker, ins: Instr) -> None:
    v.ctx.data(ins.imm[0], ins.offset)


# --- table instructions (spec 3.4.6) --------------------------------------------------------


@handler("table.get")
def _table_get(v: Checker, ins: Instr) -> None:
    tt = v.ctx.table(ins.imm[0], ins.offset)
    v.pop1(tt.address, ins)
    v.vals.append(tt.elem)


@handler("table.set")
def _table_set(v: Checker, ins: Instr) -> None:
    tt = v.ctx.table(ins.imm[0], ins.offset)
    v.pop((tt.address, tt.elem), ins)


@handler("table.size")
def _table_size(v: Checker, ins: Instr) -> None:
    v.vals.append(v.ctx.table(ins.imm[0], ins.offset).address)


@handler("table.grow")
def _table_grow(v: Checker, ins: Instr) -> None:
    tt = v.ctx.table(ins.imm[0], ins.offset)
    v.pop((tt.elem, tt.address), ins)
    v.vals.append(tt.address)


@handler("table.fill")
def _table_fill(v: Checker, ins: Instr) -> None:
    tt = v.ctx.table(ins.imm[0], ins.offset)
    v.pop((tt.address, tt.elem, tt.address), ins)


@handler("table.copy")
def _table_copy(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    t1 = v.ctx.table(x, ins.offset)
    t2 = v.ctx.table(y, ins.offset)
    if not match_valtype(t2.elem, t1.elem):
        raise InvalidError(
            f"type mismatch: source element type {str_valtype(t1.elem)} does not match "
            f"destination element type {str_valtype(t2.elem)}",
            ins.offset,
        )
    v.pop((t1.address, t2.address, _min_addr(t1.address, t2.address)), ins)


@handler("table.init")
def _table_init(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    tt = v.ctx.table(x, ins.offset)
    rt = v.ctx.elem(y, ins.offset)
    if not match_valtype(rt, tt.elem):
        raise InvalidError(
            f"type mismatch: element segment's type {str_valtype(tt.elem)} does not match "
            f"table's element type {str_valtype(rt)}",
            ins.offset,
        )
    v.pop((tt.address, I32, I32), ins)


@handler("elem.drop")
def _elem_drop(v: Checker, ins: Instr) -> None:
    v.ctx.elem(ins.imm[0], ins.offset)


# --- SIMD lanes (spec 3.4.3) ----------------------------------------------------------------


def _lane(v: Checker, ins: Instr) -> None:
    n, t = LANE_OPS[ins.op]
    if ins.imm[0] >= n:
        raise InvalidError("invalid lane index", ins.offset)
    if "extract" in ins.op:
        v.pop1(V128, ins)
        v.vals.append(t)
    else:
        v.pop((V128, t), ins)
        v.vals.append(V128)


for _op in LANE_OPS:
    handler(_op)(_lane)


@handler("i8x16.shuffle")
def _shuffle(v: Checker, ins: Instr) -> None:
    if any(i >= 32 for i in ins.imm[0]):
        raise InvalidError("invalid lane index", ins.offset)
    v.pop((V128, V128), ins)
    v.vals.append(V128)


# --- exceptions (spec 3.4.9, exception handling) --------------------------------------------


@handler("throw")
def _throw(v: Checker, ins: Instr) -> None:
    ft = v.ctx.tag(ins.imm[0], ins.offset).comp
    v.pop(ft.params, ins)
    v.unreachable()


@handler("throw_ref")
def _throw_ref(v: Checker, ins: Instr) -> None:
    v.pop1(EXNREF, ins)
    v.unreachable()


@handler("try_table")
def _try_table(v: Checker, ins: Instr) -> list[Instr]:
    bt, catches, body = ins.imm
    v.ctx.blocktype(bt, ins.offset)
    # Catch clauses branch to labels *outside* the try_table: check them before pushing it.
    for c in catches:
        ts: tuple[Any, ...]
        if c.kind in ("catch", "catch_ref"):
            ts = v.ctx.tag(c.tag, ins.offset).comp.params
            if c.kind == "catch_ref":
                ts = (*ts, _EXN)
        else:
            ts = () if c.kind == "catch_all" else (_EXN,)
        lt = v.label(c.label, ins)
        if len(ts) != len(lt) or not all(map(match_valtype, ts, lt)):
            raise InvalidError(
                f"type mismatch: catch handler requires {str_results(lt)} but label has "
                f"{str_results(ts)}",
                ins.offset,
            )
    return v.push_block("try_table", bt, body, ins)
