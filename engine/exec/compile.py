"""The compiler from one wasm function to Python source (spec 4.4, structured control 4.4.8).

Wasm locals become Python locals ``l0 l1 ...``; operand-stack slots become ``s0 s1 ...`` named by
their static stack height.  Pure, non-trapping operands (constants, local reads, inlined
arithmetic) are kept as symbolic Python expressions and only materialised when consumed by a
statement, when a variable they read is about to be overwritten, or at control-flow joins.
Anything that can trap, touch memory or call out is emitted as a statement in program order.

Structured control maps onto ``while True:`` loops: a branch to the innermost enclosing Python
loop is ``break`` (block) or ``continue`` (loop); a branch further out sets ``_b`` to the target's
id and breaks, and the code after each crossed loop re-dispatches.  Blocks no branch targets are
emitted inline without a loop.

Each emitted line remembers the byte offset of the instruction it came from, so a trap's
frame is found from the traceback's line number without any per-instruction bookkeeping.
"""

from __future__ import annotations

import math
import re
from typing import Any

from engine.runtime.float_bits import f32_from_bits, f64_from_bits
from engine.syntax.ast import Instr
from engine.syntax.types import FuncType, RefType

from . import codegen_ctl, codegen_mem, codegen_outline, codegen_ref

_SIMPLE_NAME = re.compile(r"^-?[A-Za-z_0-9.]+$")
MAX_EXPR = 240
# Python allows 20 nested loop/try blocks; deeper targeted blocks switch to guard mode.
GUARD_DEPTH = 12


def default_literal(t: Any) -> str:
    if isinstance(t, RefType):
        return "None"
    return "0.0" if t in ("f32", "f64") else "0"


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def as_condition(expr: str) -> str:
    """A Python condition for an i32 operand, unwrapping a comparison's 0/1 conversion."""
    if expr.startswith("(1 if ") and expr.endswith(" else 0)"):
        inner = expr[6:-8]
        if _balanced(inner) and " else " not in inner:
            return inner
    if expr.startswith("(0 if ") and expr.endswith(" else 1)"):
        inner = expr[6:-8]
        if _balanced(inner) and " else " not in inner:
            return f"not {inner}"
    return expr


class Label:
    __slots__ = ("kind", "height", "arity", "pyloop", "alias", "lid", "cross", "targeted",
                 "guard", "py_depth", "escape", "top", "pos")  # fmt: skip

    def __init__(self, kind: str, height: int, arity: int, lid: int, targeted: bool) -> None:
        self.kind = kind  # "block" | "loop" | "if" | "try_table" | "func"
        self.height = height
        self.arity = arity
        self.pyloop = False
        # A block whose body is just a loop: leaving that loop's Python loop reaches its end.
        self.alias: Label | None = None
        self.lid = lid
        # Outer targets reached by breaking out of this loop: id -> (Python loop, statement).
        self.cross: dict[int, tuple[Label, str]] = {}
        self.targeted = targeted
        # Guard mode (deep nesting): no Python loop; a branch here sets _b and the code up to
        # the block's end is skipped by "if not _b:" guards.
        self.guard = False
        self.py_depth = 0
        # The outermost position (in Compiler.labels) of a guard-mode target branched to from
        # inside; recorded on the innermost label and passed outwards as labels close.
        self.escape = 1 << 62
        # The highest stack slot a branch to this or an enclosing label writes, plus one.
        self.top = height + arity
        self.pos = 0  # index in Compiler.labels while open


class Compiler:
    """Compiles one function body; ``mc`` is the module's ``ModuleCode`` (names and types)."""

    def __init__(self, mc: Any, index: int, name: str) -> None:
        self.mc = mc
        self.inst = mc.inst
        self.index = index
        self.name = name
        fi = mc.inst.funcs[index]
        self.func = fi.code
        ft: FuncType = fi.type.comp
        self.ft = ft
        self.lines: list[str] = []
        self.line_offsets: list[int] = []
        self.ind = 2
        self.cur_offset = fi.code.offset
        self.stack: list[tuple[str, frozenset[str]]] = []
        self.labels: list[Label] = []
        self.pyloops: list[Label] = []
        self.reachable = True
        self.next_lid = 1
        self.ntmp = 0
        self.mems_used: set[int] = set()
        self.has_calls = False
        self.has_tail = False
        self.uses_b = False
        self.targeted: set[int] = set()
        self.guards: list[int] = []  # per open body: line index of its open guard, or -1
        self.try_depth = 0
        self.handler_of: Label | None = None
        self.nlocals = len(ft.params) + len(fi.code.locals)
        self.takes_d = mc.takes_depth(index)
        # Outlined regions (see codegen_outline): labels below region_base are outside the
        # region being compiled; branches to them return (code, region_outs...).
        self.region_base = 0
        self.region_outs = ""
        self.region_targets: dict[int, Label] = {}
        self.region_tail = False
        self.region_in_try = False
        self.nout = 0
        self.outlines: list[tuple[list[str], list[int]]] = []

    # --- emission ---------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.ind + line)
        self.line_offsets.append(self.cur_offset)

    def tmp(self) -> str:
        self.ntmp += 1
        return f"_t{self.ntmp}"

    def name_of(self, obj: Any, prefix: str = "_k") -> str:
        return self.mc.bind(obj, prefix)

    # --- the symbolic operand stack ---------------------------------------------------------

    def push(self, expr: str, deps: frozenset[str] = frozenset()) -> None:
        if len(expr) > MAX_EXPR:
            self.push_stmt(expr)
        else:
            self.stack.append((expr, deps))

    def push_var(self, var: str) -> None:
        self.stack.append((var, frozenset((var,))))

    def pop(self) -> tuple[str, frozenset[str]]:
        return self.stack.pop()

    def pop_expr(self) -> str:
        return self.stack.pop()[0]

    def pop_n(self, n: int) -> list[str]:
        if n == 0:
            return []
        items = self.stack[-n:]
        del self.stack[-n:]
        return [e for e, _ in items]

    def clobber(self, var: str, skip: int = -1) -> None:
        """Materialise every stack entry that reads ``var`` before ``var`` is overwritten."""
        for i, (_, deps) in enumerate(self.stack):
            if i != skip and var in deps:
                self.spill(i)

    def spill(self, i: int) -> None:
        expr, _ = self.stack[i]
        slot = f"s{i}"
        if expr == slot:
            return
        self.clobber(slot, i)
        self.emit(f"{slot} = {expr}")
        self.stack[i] = (slot, frozenset((slot,)))

    def spill_all(self) -> None:
        for i in range(len(self.stack)):
            self.spill(i)

    def simple_top(self, k: int = 0) -> str:
        """The k-th entry from the top as a plain name or literal (materialised if needed)."""
        i = len(self.stack) - 1 - k
        expr = self.stack[i][0]
        if not _SIMPLE_NAME.match(expr):
            self.spill(i)
        return self.stack[i][0]

    def push_stmt(self, expr: str) -> None:
        """Evaluate ``expr`` now (it may trap or have effects) into the next stack slot."""
        slot = f"s{len(self.stack)}"
        self.clobber(slot)
        self.emit(f"{slot} = {expr}")
        self.push_var(slot)

    def push_results(self, call: str, n: int) -> None:
        if n == 0:
            self.emit(call)
        elif n == 1:
            self.push_stmt(call)
        else:
            base = len(self.stack)
            slots = [f"s{base + i}" for i in range(n)]
            for s in slots:
                self.clobber(s)
            self.emit(f"{', '.join(slots)} = {call}")
            for s in slots:
                self.push_var(s)

    def set_var(self, var: str, expr: str) -> None:
        self.clobber(var)
        self.emit(f"{var} = {expr}")

    # --- constants --------------------------------------------------------------------------

    def float_literal(self, x: float) -> str:
        if math.isfinite(x):
            r = repr(x)
            return f"({r})" if r.startswith("-") else r
        return self.name_of(x, "_c")

    # --- function structure ----------------------------------------------------------------

    def compile(self) -> tuple[str, list[int]]:
        ft = self.ft
        func = self.func
        nparams = len(ft.params)
        body_lines: list[str] = []
        self._scan(func.body, [])
        func_label = Label("func", 0, len(ft.results), 0, False)
        self.labels.append(func_label)
        self.block_body(func.body)
        if self.reachable:
            self.emit_return()
        self.end_body()
        body_lines, body_offsets = self.lines, self.line_offsets
        self.lines, self.line_offsets = [], []
        # Prologue: locals, call depth, fuel, memory caches.
        self.ind = 1
        self.cur_offset = func.offset
        for i, t in enumerate(func.locals):
            self.emit(f"l{nparams + i} = {default_literal(t)}")
        if self.uses_b:
            self.emit("_b = 0")
        if self.has_calls:
            # Call depth (see module_code): passed by direct callers, else from the store.
            if self.takes_d:
                self.emit("if d is None: d = S.depth + 1")
            else:
                self.emit("d = S.depth + 1")
            self.emit("if d > S.max_call_depth: _exhausted()")
        self.emit("_n = B[0] - 1")
        self.emit("B[0] = _n")
        self.emit("if _n < 0: _poll()")
        for m in sorted(self.mems_used):
            self.emit(f"m{m} = M{m}.data")
        self.emit("try:")
        pro_lines, pro_offsets = self.lines, self.line_offsets
        params = ", ".join(f"l{i}" for i in range(nparams))
        fname = f"{self.name}_body" if self.has_tail else self.name
        sig = (
            f"{params}, d=None" if params and self.takes_d else "d=None" if self.takes_d else params
        )
        src = [f"def {fname}({sig}):"] + pro_lines + body_lines
        offsets = [func.offset] + pro_offsets + body_offsets
        info = self.mc.bind(self.mc.frame_info(self.index), "_fi")
        # With regions, the trapping line is in the deepest region frame of the traceback.
        region = f", '{self.name}__o'" if self.outlines else ""
        src += [
            "    except Trap as _e:",
            f"        _frame(_e, {info}, _L{self.index}{region})",
            "        raise",
            "    except _MemErrors as _e:",
            f"        raise _oob_frame(_e, {info}, _L{self.index}{region}) from None",
        ]
        offsets += [func.offset] * 5
        if self.has_tail:
            src += [
                f"def {self.name}({params}):",
                f"    r = {fname}({params})",
                "    while r.__class__ is _Tail:",
                "        r = r.fn._wt(*r.args)",
                "    return r",
                f"{self.name}._wt = {fname}",
            ]
        else:
            src.append(f"{self.name}._wt = {self.name}")
        offsets += [func.offset] * (len(src) - len(offsets))
        for lines, offs in self.outlines:
            src += lines
            offsets += offs
        return "\n".join(src) + "\n", offsets

    def _scan(self, body: list[Instr], labels: list[Instr | None]) -> None:
        """Record (by id) every block instruction some branch targets, whether the function
        calls out (then it tracks the call depth), and which memories it caches."""

        def mark(depth: int) -> None:
            if depth < len(labels):
                ins = labels[-1 - depth]
                if ins is not None:
                    self.targeted.add(id(ins))

        for ins in body:
            op = ins.op
            if op in ("block", "loop"):
                labels.append(ins)
                self._scan(ins.imm[1], labels)
                labels.pop()
            elif op == "if":
                labels.append(ins)
                self._scan(ins.imm[1], labels)
                self._scan(ins.imm[2], labels)
                labels.pop()
            elif op == "try_table":
                for c in ins.imm[1]:
                    mark(c.label)
                labels.append(ins)
                self._scan(ins.imm[2], labels)
                labels.pop()
            elif op in ("br", "br_if", "br_on_null", "br_on_non_null"):
                mark(ins.imm[0])
            elif op in ("br_on_cast", "br_on_cast_fail"):
                mark(ins.imm[0])
            elif op == "br_table":
                for d in ins.imm[0]:
                    mark(d)
                mark(ins.imm[1])
            elif op in codegen_ctl.CALLS:
                self.has_calls = True
            else:
                m = codegen_mem.cached_memory(ins)
                if m is not None:
                    self.mems_used.add(m)

    def block_body(self, body: list[Instr]) -> None:
        self.guards.append(-1)
        for ins in body:
            if not self.reachable:
                return
            self.cur_offset = ins.offset
            self.instr(ins)

    def end_body(self) -> None:
        """Close the body opened by ``block_body`` (after its results are in place)."""
        self.close_guard(self.guards.pop())

    def close_guard(self, mark: int) -> None:
        if mark >= 0:
            if len(self.lines) == mark:
                self.emit("pass")
            self.ind -= 1

    def open_guard(self) -> None:
        """Skip the rest of the current body when a branch to a guard-mode block was taken."""
        if not self.reachable:
            return
        self.close_guard(self.guards[-1])
        self.emit("if not _b:")
        self.ind += 1
        self.guards[-1] = len(self.lines)

    def after_construct(self, lab: Label) -> None:
        parent = self.labels[-1]
        parent.escape = min(parent.escape, lab.escape)
        if lab.escape < lab.pos:
            self.open_guard()

    def emit_return(self) -> None:
        if self.region_base:
            self.branch(len(self.labels) - 1)
            self.reachable = False
            return
        n = len(self.ft.results)
        vals = self.pop_n(n)
        if n == 0:
            self.emit("return")
        elif n == 1:
            self.emit(f"return {vals[0]}")
        else:
            self.emit(f"return ({', '.join(vals)},)")
        self.reachable = False

    # --- blocks -----------------------------------------------------------------------------

    def blocktype(self, bt: Any) -> tuple[int, int]:
        if bt is None:
            return 0, 0
        if isinstance(bt, int):
            ft = self.inst.types[bt].comp
            return len(ft.params), len(ft.results)
        return 0, 1

    def open_label(self, ins: Instr, kind: str, nparams: int, nresults: int) -> Label:
        self.spill_all()
        height = len(self.stack) - nparams
        lid = self.next_lid
        self.next_lid += 1
        arity = nparams if kind == "loop" else nresults
        lab = Label(kind, height, arity, lid, id(ins) in self.targeted)
        lab.top = max(lab.top, self.labels[-1].top)
        lab.pos = len(self.labels)
        lab.py_depth = len(self.pyloops)
        if lab.targeted and kind != "loop" and len(self.pyloops) + self.try_depth >= GUARD_DEPTH:
            lab.guard = True
            self.uses_b = True
        self.labels.append(lab)
        return lab

    def end_guard_label(self, lab: Label) -> None:
        if lab.guard:
            self.emit(f"if _b == {lab.lid}:")
            self.emit("    _b = 0")

    def start_pyloop(self, lab: Label) -> None:
        lab.pyloop = True
        self.emit("while True:")
        self.ind += 1
        self.pyloops.append(lab)

    def end_pyloop(self, lab: Label) -> None:
        if self.reachable:
            self.emit("break")
        self.ind -= 1
        self.pyloops.pop()
        if lab.cross:
            outer = self.pyloops[-1] if self.pyloops else None
            self.emit("if _b:")
            self.ind += 1
            mark = len(self.lines)
            rest: list[int] = []
            for lid, (py, action) in lab.cross.items():
                if action == "guard":
                    if len(self.pyloops) > py.py_depth:
                        assert outer is not None
                        outer.cross[lid] = (py, action)
                        rest.append(lid)
                elif py is outer:
                    self.emit(f"if _b == {lid}:")
                    self.emit("    _b = 0")
                    self.emit("    " + action)
                else:
                    assert outer is not None
                    outer.cross[lid] = (py, action)
                    rest.append(lid)
            if rest:
                self.emit(f"if _b in ({', '.join(map(str, rest))},): break")
            if len(self.lines) == mark:
                self.emit("pass")
            self.ind -= 1

    def close_label(self, lab: Label, nresults: int, end_reachable: bool) -> None:
        """Restore the stack after a block: its results sit in their canonical slots."""
        self.labels.pop()
        del self.stack[lab.height :]
        for i in range(nresults):
            self.push_var(f"s{lab.height + i}")
        if lab.kind == "loop":
            self.reachable = end_reachable
        else:
            self.reachable = end_reachable or lab.targeted

    def finish_arm(self, nresults: int) -> bool:
        """At the end of a block body: put the results in their slots; is the end reachable?"""
        if self.reachable:
            self.spill_all()
            return True
        return False

    def do_block(self, ins: Instr, key: Instr | None = None) -> None:
        bt, body = ins.imm
        np_, nr = self.blocktype(bt)
        kind = ins.op
        lab = self.open_label(key or ins, kind, np_, nr)
        if (
            lab.targeted
            and kind == "block"
            and np_ == 0
            and len(body) == 1
            and body[0].op == "loop"
            and id(body[0]) in self.targeted
        ):
            # block $b (loop $l ...) end: "br $b" is a plain break out of the loop.
            loop = body[0]
            lab.guard = False  # leaving the loop's Python loop is leaving the block
            self.cur_offset = loop.offset
            inner = self.open_label(loop, "loop", *self.blocktype(loop.imm[0]))
            lab.alias = inner
            self.start_pyloop(inner)
            self.block_body(loop.imm[1])
            inner_end = self.finish_arm(nr)
            self.end_body()
            self.end_pyloop(inner)
            self.close_label(inner, nr, inner_end)
            self.close_label(lab, nr, self.reachable)
            lab.escape = min(lab.escape, inner.escape)
            self.after_construct(lab)
            return
        pyloop = lab.targeted and not lab.guard
        if pyloop:
            self.start_pyloop(lab)
        self.block_body(body)
        end = self.finish_arm(nr)
        self.end_body()
        if pyloop:
            self.end_pyloop(lab)
        self.end_guard_label(lab)
        self.close_label(lab, nr, end)
        self.after_construct(lab)

    def do_if(self, ins: Instr) -> None:
        bt, then_body, else_body = ins.imm
        np_, nr = self.blocktype(bt)
        cond = self.pop_expr()
        lab = self.open_label(ins, "if", np_, nr)
        pyloop = lab.targeted and not lab.guard
        if pyloop:
            self.start_pyloop(lab)
        saved = list(self.stack)
        self.emit(f"if {as_condition(cond)}:")
        self.ind += 1
        mark = len(self.lines)
        self.block_body(then_body)
        then_end = self.finish_arm(nr)
        self.end_body()
        if len(self.lines) == mark:
            self.emit("pass")
        self.ind -= 1
        self.stack = saved
        self.reachable = True
        if else_body:
            self.emit("else:")
            self.ind += 1
            mark = len(self.lines)
            self.block_body(else_body)
            else_end = self.finish_arm(nr)
            self.end_body()
            if len(self.lines) == mark:
                self.emit("pass")
            self.ind -= 1
        else:
            else_end = True
        self.reachable = then_end or else_end
        if pyloop:
            self.end_pyloop(lab)
        self.end_guard_label(lab)
        self.close_label(lab, nr, then_end or else_end)
        self.after_construct(lab)

    # --- branches ---------------------------------------------------------------------------

    def branch(self, depth: int, values: list[str] | None = None) -> None:
        """Emit the jump to label ``depth`` carrying the top values (or ``values``)."""
        lab = self.labels[-1 - depth]
        if values is None:
            values = [e for e, _ in self.stack[len(self.stack) - lab.arity :]] if lab.arity else []
        if len(self.labels) - 1 - depth < self.region_base:
            codegen_outline.exit_region(self, lab, values)
            return
        if lab.kind == "func":
            if not values:
                self.emit("return")
            elif len(values) == 1:
                self.emit(f"return {values[0]}")
            else:
                self.emit(f"return ({', '.join(values)},)")
            return
        slots = [f"s{lab.height + i}" for i in range(len(values))]
        moves = [(s, v) for s, v in zip(slots, values) if s != v]
        if moves:
            self.emit(f"{', '.join(s for s, _ in moves)} = {', '.join(v for _, v in moves)}")
        if lab.kind == "loop":
            self.emit("_n = B[0] - 1")
            self.emit("B[0] = _n")
            self.emit("if _n < 0: _poll()")
        if lab.guard:
            self.uses_b = True
            self.emit(f"_b = {lab.lid}")
            pos = lab.pos
            inner = self.labels[-1]
            inner.escape = min(inner.escape, pos)
            if self.handler_of is not None:
                self.handler_of.escape = min(self.handler_of.escape, pos)
            if len(self.pyloops) > lab.py_depth:
                self.pyloops[-1].cross[lab.lid] = (lab, "guard")
                self.emit("break")
            return
        py = lab if lab.pyloop else lab.alias
        assert py is not None
        action = "continue" if lab.kind == "loop" else "break"
        if self.pyloops[-1] is py:
            self.emit(action)
            return
        self.uses_b = True
        # The innermost loop re-dispatches after it ends; end_pyloop propagates outwards.
        self.pyloops[-1].cross[lab.lid] = (py, action)
        self.emit(f"_b = {lab.lid}")
        self.emit("break")

    def do_br_table(self, ins: Instr) -> None:
        targets, default = ins.imm
        idx = self.pop_expr()
        if not _SIMPLE_NAME.match(idx):
            t = self.tmp()
            self.emit(f"{t} = {idx}")
            idx = t
        # Merge runs of equal targets, then dispatch by binary search over the runs.
        runs: list[tuple[int, int, int]] = []
        for i, d in enumerate(targets):
            if runs and runs[-1][2] == d:
                runs[-1] = (runs[-1][0], i + 1, d)
            else:
                runs.append((i, i + 1, d))
        if runs and runs[-1][2] == default:
            runs.pop()
        self.br_runs(idx, runs, default, 0, len(targets))
        self.reachable = False

    def br_runs(
        self, idx: str, runs: list[tuple[int, int, int]], default: int, lo: int, hi: int
    ) -> None:
        # Invariant: lo <= idx, and runs cover [lo, hi) except gaps that go to default.
        if not runs:
            self.branch(default)
            return
        if len(runs) == 1:
            a, b, d = runs[0]
            conds = []
            if a > lo:
                conds.append(f"{idx} >= {a}")
            conds.append(f"{idx} < {b}")
            self.emit(f"if {' and '.join(conds)}:")
            self.ind += 1
            self.branch(d)
            self.ind -= 1
            self.emit("else:")
            self.ind += 1
            self.branch(default)
            self.ind -= 1
            return
        mid = len(runs) // 2
        split = runs[mid][0]
        self.emit(f"if {idx} < {split}:")
        self.ind += 1
        self.br_runs(idx, runs[:mid], default, lo, split)
        self.ind -= 1
        self.emit("else:")
        self.ind += 1
        self.br_runs(idx, runs[mid:], default, split, hi)
        self.ind -= 1

    def cond_branch(self, cond: str, depth: int, values: list[str] | None = None) -> None:
        self.emit(f"if {as_condition(cond)}:")
        self.ind += 1
        self.branch(depth, values)
        self.ind -= 1
        # A branch out of the region returns: nothing to skip.
        inside = len(self.labels) - 1 - depth >= self.region_base
        if inside and self.labels[-1 - depth].guard:
            self.open_guard()

    # --- calls ------------------------------------------------------------------------------

    def after_call(self) -> None:
        for m in sorted(self.mems_used):
            self.emit(f"m{m} = M{m}.data")

    def call_expr(self, callee: str, ft: FuncType, tail: bool, direct: bool = False) -> None:
        """A call; ``direct``: of a function of this module that takes its depth ``d``."""
        args = self.pop_n(len(ft.params))
        if direct and not tail:
            self.push_results(f"{callee}({', '.join(args + ['d + 1'])})", len(ft.results))
            self.after_call()
            return
        if tail:
            self.has_tail = True
            self.emit("S.depth = d - 1")
            tup = f"({', '.join(args)},)" if args else "()"
            if self.region_base:
                self.region_tail = True
                self.emit(f"return (_Tail({callee}, {tup}), {self.region_outs})")
            else:
                self.emit(f"return _Tail({callee}, {tup})")
            self.reachable = False
            return
        # Other callees read the depth from the store.
        self.emit("S.depth = d")
        self.push_results(f"{callee}({', '.join(args)})", len(ft.results))
        self.after_call()

    # --- dispatch ---------------------------------------------------------------------------

    def instr(self, ins: Instr) -> None:
        op = ins.op
        if op in codegen_outline.CONSTRUCTS and codegen_outline.should_outline(self, ins):
            codegen_outline.outline(self, ins)
            return
        self.construct(ins)

    def construct(self, ins: Instr) -> None:
        op = ins.op
        h = codegen_ctl.CONTROL.get(op)
        if h is not None:
            h(self, ins)
            return
        if codegen_mem.handle(self, ins) or codegen_ref.handle(self, ins):
            return
        self.numeric(ins)

    def numeric(self, ins: Instr) -> None:
        op = ins.op
        mc = self.mc
        if op == "i32.const" or op == "i64.const":
            self.push(str(ins.imm[0]))
            return
        if op == "f32.const":
            self.push(self.float_literal(f32_from_bits(ins.imm[0])))
            return
        if op == "f64.const":
            self.push(self.float_literal(f64_from_bits(ins.imm[0])))
            return
        if op == "v128.const":
            self.push(hex(ins.imm[0]))
            return
        sig = mc.signature(op)
        if sig is None:
            raise NotImplementedError(f"instruction {op}")
        nparams, nresults = sig
        template = mc.inline.get(op)
        if template is not None and not ins.imm:
            for k in range(nparams):
                if template.count("{" + str(nparams - 1 - k) + "}") > 1:
                    self.simple_top(k)
            items = self.stack[len(self.stack) - nparams :]
            del self.stack[len(self.stack) - nparams :]
            expr = template.format(*(e for e, _ in items))
            if mc.trapping(op):
                self.push_stmt(expr)
            else:
                deps = frozenset().union(*(d for _, d in items)) if items else frozenset()
                self.push(expr, deps)
            return
        fn = mc.op_function(op)
        args = self.pop_n(nparams)
        args += [repr(x) for x in ins.imm]
        self.push_results(f"{fn}({', '.join(args)})", nresults)
