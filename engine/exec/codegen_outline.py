"""Outlining of deeply nested control (spec 4.4.8): keeping generated Python within the
limits of CPython's compiler.

CPython rejects a function with more than 20 statically nested loop/try blocks ("too many
statically nested blocks") and source indented more than 100 levels.  Wasm nesting is
unbounded, so a ``loop``/``try_table`` (or any construct, once the indentation is deep) that
would cross those limits is compiled into a separate top-level Python function of the same
source: its *region*.  The region function takes every wasm local, the operand-stack slots
and the call depth ``d``, and returns a tuple ``(code, locals..., slots...)``:

- ``code == 0``: the construct ended normally, its results in their canonical slots;
- ``code == lid``: a branch to the enclosing label ``lid`` (``-1``: the function's own label,
  i.e. ``return``), its values already moved into that label's slots;
- ``code`` is a ``Tail``: a tail call to be handed to the function's trampoline;
- ``code`` is a ``WasmThrow`` (regions inside a ``try_table`` only): a wasm exception, raised
  again at the call site once the locals are back, so a handler sees the locals as the throw
  left them.

The call site unpacks the tuple and re-dispatches the branch with the ordinary branch code, so
fuel and call depth accounting stay exactly as in inline code.  Region functions have no
``try`` of their own: a trap propagates to the function's handler, which finds the trapping
line in the deepest region frame of the traceback.
"""

from __future__ import annotations

from typing import Any

from engine.syntax.ast import Instr

# Outline a construct once the code is indented this deep.  CPython stops at 100 levels; the
# construct itself, a guard and a br_table's binary search (up to 20 levels) need the rest.
MAX_INDENT = 60
# ... or when a loop/try would make this many Python loop/try blocks (CPython stops at 20; the
# function's own try, an except clause and guard-mode blocks need the rest).
MAX_BLOCKS = 10

CONSTRUCTS = frozenset(("block", "loop", "if", "try_table"))


def _opens_block(c: Any, ins: Instr) -> bool:
    """Would ``ins`` open a Python loop or try block that guard mode cannot replace?"""
    op = ins.op
    if op == "loop":
        return True
    if op == "try_table":
        if ins.imm[1]:
            return True
        body = ins.imm[2]
    elif op == "block":
        body = ins.imm[1]
    else:
        return False
    # block $b (loop ...) end shares the loop's Python loop, see Compiler.do_block.
    return len(body) == 1 and body[0].op == "loop"


def should_outline(c: Any, ins: Instr) -> bool:
    if c.ind >= MAX_INDENT:
        return True
    return len(c.pyloops) + c.try_depth >= MAX_BLOCKS and _opens_block(c, ins)


def label_code(lab: Any) -> int:
    return lab.lid or -1


def outline(c: Any, ins: Instr) -> None:
    """Compile the construct ``ins`` as a region function and emit its call and dispatch."""
    c.spill_all()
    h = len(c.stack)
    np_, nr = c.blocktype(ins.imm[0])
    height = h - np_ - (1 if ins.op == "if" else 0)
    top = max(height + nr, c.labels[-1].top)
    locs = [f"l{i}" for i in range(c.nlocals)]
    outs = ", ".join(locs + [f"s{i}" for i in range(top)])
    params = locs + [f"s{i}" for i in range(h)] + (["d"] if c.has_calls else [])
    c.nout += 1
    name = f"{c.name}__o{c.nout}"
    saved = (
        c.lines, c.line_offsets, c.ind, c.pyloops, c.try_depth, c.guards, c.uses_b,
        c.region_base, c.region_outs, c.region_targets, c.region_tail, c.handler_of,
        c.region_in_try,
    )  # fmt: skip
    in_try = c.try_depth > 0 or c.region_in_try
    c.region_in_try = in_try
    c.lines, c.line_offsets = [], []
    c.ind = 2 if in_try else 1
    c.pyloops = []
    c.try_depth = 0
    c.guards = [-1]
    c.uses_b = False
    c.region_base = len(c.labels)
    c.region_outs = outs
    c.region_targets = {}
    c.region_tail = False
    c.handler_of = None
    c.construct(ins)
    end = c.reachable
    if end:
        c.emit(f"return (0, {outs})")
    c.close_guard(c.guards.pop())
    if not c.lines:
        c.emit("pass")
    if in_try:
        c.ind = 1
        c.emit("except _WasmThrow as _x:")
        c.emit(f"    return (_x, {outs})")
    body, body_offsets = c.lines, c.line_offsets
    uses_b, targets, tail = c.uses_b, c.region_targets, c.region_tail
    (
        c.lines, c.line_offsets, c.ind, c.pyloops, c.try_depth, c.guards, c.uses_b,
        c.region_base, c.region_outs, c.region_targets, c.region_tail, c.handler_of,
        c.region_in_try,
    ) = saved  # fmt: skip
    pro = [f"def {name}({', '.join(params)}):"]
    if uses_b:
        pro.append("    _b = 0")
    extra = [f"s{i}" for i in range(h, top)]
    if extra:
        pro.append("    " + " = ".join(extra) + " = None")
    for m in sorted(c.mems_used):
        pro.append(f"    m{m} = M{m}.data")
    if in_try:
        pro.append("    try:")
    c.outlines.append((pro + body, [ins.offset] * len(pro) + body_offsets))
    # The call site.
    c.cur_offset = ins.offset
    c.emit(f"_c, {outs} = {name}({', '.join(params)})")
    c.after_call()
    del c.stack[height:]
    for i in range(nr):
        c.push_var(f"s{height + i}")
    guard = False
    if targets or tail or in_try:
        c.emit("if _c:")
        c.ind += 1
        if in_try:
            c.emit("if _c.__class__ is _WasmThrow: raise _c")
        if tail:
            if c.region_base:
                c.region_tail = True
                c.emit(f"if _c.__class__ is _Tail: return (_c, {c.region_outs})")
            else:
                c.emit("if _c.__class__ is _Tail: return _c")
        # Targets outside the enclosing region too are handed on in one ``return``, so each
        # label is dispatched by one call site only (code size stays linear in the nesting).
        first = True
        forward = False
        for code, lab in targets.items():
            if lab.pos < c.region_base:
                c.region_targets[code] = lab
                forward = True
                continue
            c.emit(f"{'if' if first else 'elif'} _c == {code}:")
            first = False
            c.ind += 1
            c.reachable = True
            c.branch(len(c.labels) - 1 - lab.pos, [f"s{lab.height + i}" for i in range(lab.arity)])
            guard = guard or lab.guard
            c.ind -= 1
        if forward:
            c.emit("else:" if not first else "if True:")
            c.emit(f"    return (_c, {c.region_outs})")
        c.ind -= 1
    c.reachable = end
    if guard:
        c.open_guard()


def exit_region(c: Any, lab: Any, values: list[str]) -> None:
    """A branch from inside a region to the label ``lab`` outside it."""
    slots = [f"s{lab.height + i}" for i in range(len(values))]
    moves = [(s, v) for s, v in zip(slots, values) if s != v]
    if moves:
        c.emit(f"{', '.join(s for s, _ in moves)} = {', '.join(v for _, v in moves)}")
    code = label_code(lab)
    c.region_targets[code] = lab
    c.emit(f"return ({code}, {c.region_outs})")
