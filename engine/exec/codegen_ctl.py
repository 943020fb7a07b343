"""Code generation for control, parametric and variable instructions, and calls
(spec 4.4.4, 4.4.6 variables, 4.4.8 control)."""

from __future__ import annotations

from typing import Any

from engine.syntax.ast import Instr


def _unreachable(c: Any, ins: Instr) -> None:
    c.emit('_trap("unreachable executed")')
    c.reachable = False


def _nop(c: Any, ins: Instr) -> None:
    pass


def _drop(c: Any, ins: Instr) -> None:
    c.pop()


def _select(c: Any, ins: Instr) -> None:
    cond, cd = c.pop()
    b, bd = c.pop()
    a, ad = c.pop()
    c.push(f"({a} if {cond} else {b})", ad | bd | cd)


def _local_get(c: Any, ins: Instr) -> None:
    c.push_var(f"l{ins.imm[0]}")


def _local_set(c: Any, ins: Instr) -> None:
    v = c.pop_expr()
    c.set_var(f"l{ins.imm[0]}", v)


def _local_tee(c: Any, ins: Instr) -> None:
    v = c.pop_expr()
    var = f"l{ins.imm[0]}"
    c.set_var(var, v)
    c.push_var(var)


def _global_get(c: Any, ins: Instr) -> None:
    g = c.inst.globals[ins.imm[0]]
    if not g.type.mutable:
        v = g.value
        if isinstance(v, bool) or v is None:
            c.push(repr(v))
        elif isinstance(v, int):
            c.push(str(v) if v < 1 << 64 else hex(v))
        elif isinstance(v, float):
            c.push(c.float_literal(v))
        else:
            c.push(c.name_of(v, "_r"))
        return
    c.push_stmt(f"{c.name_of(g, 'G')}.value")


def _global_set(c: Any, ins: Instr) -> None:
    g = c.inst.globals[ins.imm[0]]
    v = c.pop_expr()
    c.emit(f"{c.name_of(g, 'G')}.value = {v}")


def _block(c: Any, ins: Instr) -> None:
    c.do_block(ins)


def _if(c: Any, ins: Instr) -> None:
    c.do_if(ins)


def _br(c: Any, ins: Instr) -> None:
    c.branch(ins.imm[0])
    c.reachable = False


def _br_if(c: Any, ins: Instr) -> None:
    cond = c.pop_expr()
    c.cond_branch(cond, ins.imm[0])


def _br_table(c: Any, ins: Instr) -> None:
    c.do_br_table(ins)


def _return(c: Any, ins: Instr) -> None:
    c.emit_return()


def _call(c: Any, ins: Instr) -> None:
    j = ins.imm[0]
    ft = c.inst.funcs[j].type.comp
    c.call_expr(f"f{j}", ft, ins.op == "return_call", c.mc.takes_depth(j))


def _call_indirect(c: Any, ins: Instr) -> None:
    x, y = ins.imm
    dt = c.inst.types[y]
    idx = c.pop_expr()
    table = c.name_of(c.inst.tables[x], "T")
    dtn = c.name_of(dt, "DT")
    if ins.op == "call_indirect":
        # Inline fast path: an exact type match with compiled code; anything else (bounds,
        # null, subtyping, first call) goes through _indirect.
        i = c.tmp()
        t = c.tmp()
        c.emit(f"{i} = {idx}")
        c.emit(f"{t} = {table}.elements[{i}] if {i} < len({table}.elements) else None")
        c.emit(f"{t} = {t}.compiled if {t} is not None and {t}.type is {dtn} else None")
        c.emit(f"if {t} is None: {t} = _indirect({table}, {i}, {dtn}, _entry)")
        callee = t
    else:
        callee = f"_indirect({table}, {idx}, {dtn}, _entry)"
    c.call_expr(callee, dt.comp, ins.op == "return_call_indirect")


def _call_ref(c: Any, ins: Instr) -> None:
    dt = c.inst.types[ins.imm[0]]
    ref = c.pop_expr()
    callee = f"_func_ref({ref}, _entry)"
    if ins.op == "call_ref":
        t = c.tmp()
        c.emit(f"{t} = {callee}")
        callee = t
    c.call_expr(callee, dt.comp, ins.op == "return_call_ref")


CALLS = frozenset(
    ("call", "call_indirect", "call_ref", "return_call", "return_call_indirect",
     "return_call_ref")
)  # fmt: skip

CONTROL = {
    "unreachable": _unreachable,
    "nop": _nop,
    "drop": _drop,
    "select": _select,
    "local.get": _local_get,
    "local.set": _local_set,
    "local.tee": _local_tee,
    "global.get": _global_get,
    "global.set": _global_set,
    "block": _block,
    "loop": _block,
    "if": _if,
    "br": _br,
    "br_if": _br_if,
    "br_table": _br_table,
    "return": _return,
    "call": _call,
    "return_call": _call,
    "call_indirect": _call_indirect,
    "return_call_indirect": _call_indirect,
    "call_ref": _call_ref,
    "return_call_ref": _call_ref,
}
