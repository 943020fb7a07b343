"""The instruction-sequence checker (spec 3.4, appendix "validation algorithm").

One operand stack and one control stack for a whole function; nested bodies are walked with an
explicit stack of iterators, so deep nesting cannot exhaust Python's recursion limit.  The
typing rules are the reference interpreter's (valid.ml): an instruction pops its declared inputs
(each actual type must match the declared one) and pushes its declared outputs; after
``unreachable``, ``br``, ``return`` & co the current frame's stack is polymorphic and missing
operands are the bottom type.

The main loop looks each instruction up once in ``ops.FAST``, which gives its shape (constant,
unary, binary, other fixed signature, plain load or store, local access, br_if, call, drop,
untyped block or if) and the types involved; the common case of each shape, operands exactly the
declared types, is checked inline.  Every other case, all errors included, goes to the general
rules: ``pop`` for fixed signatures, else the instruction's handler, kept in a table keyed by
mnemonic (handlers for the other instruction families are registered by engine/valid/instrs.py
and engine/valid/refs.py).  The inline cases change nothing the handlers would not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from engine.errors import InvalidError
from engine.syntax.ast import Instr
from engine.syntax.types import BOT, FUNCREF, FuncType, RefType, defaultable
from engine.valid.context import Context
from engine.valid.match import match_valtype, str_results, str_valtype
from engine.valid.ops import (
    F_BIN,
    F_BLOCK,
    F_BR,
    F_BR_IF,
    F_CALL,
    F_CONST,
    F_DROP,
    F_GGET,
    F_GSET,
    F_IF,
    F_LGET,
    F_LOAD,
    F_LSET,
    F_LTEE,
    F_OTHER,
    F_RETURN,
    F_SELECT,
    F_SIMPLE,
    F_STORE,
    F_UN,
    FAST,
    SIMPLE,
)

Handler = Callable[["Checker", Instr], Any]
HANDLERS: dict[str, Handler] = {}

I32 = "i32"
_I32_LIST = ["i32"]


def handler(*ops: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for op in ops:
            HANDLERS[op] = fn
        return fn

    return register


class Frame:
    __slots__ = ("op", "start", "end", "label", "height", "unreachable", "init_mark", "else_body",
                 "offset", "pending")  # fmt: skip

    def __init__(
        self, op: str, start: Sequence[Any], end: Sequence[Any], height: int, init_mark: int,
        else_body: list[Instr] | None = None, offset: int = -1,
    ) -> None:  # fmt: skip
        self.op = op
        self.start = start
        self.end = end
        self.label = start if op == "loop" else end
        self.height = height
        self.unreachable = False
        self.init_mark = init_mark
        self.else_body = else_body
        self.offset = offset
        self.pending: InvalidError | None = None


_NEVER = object()


def _call_sig(comp: Any) -> tuple[list[Any], tuple[Any, ...]]:
    if type(comp) is FuncType:
        return list(comp.params), comp.results
    return [_NEVER], ()  # never matches a stack slice: the handler applies the rules


class Checker:
    """Checks function bodies and constant expressions against one module context."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.vals: list[Any] = []
        self.frames: list[Frame] = []
        self.locals: list[Any] = []
        self.local_init: list[bool] = []
        self.init_log: list[int] = []
        self.results: tuple[Any, ...] = ()
        # Per function index, its parameters as a list (to compare with a stack slice) and
        # its results: built once the function index space is complete.
        self.call_sigs: list[tuple[list[Any], tuple[Any, ...]]] = []

    # -- entry points ------------------------------------------------------------------------

    def check_func(self, ft: FuncType, locals_: list[Any], body: list[Instr], at: int) -> list[Any]:
        """Check one function body; returns its declared locals' resolved types."""
        ctx = self.ctx
        lts = [ctx.val(t, at) for t in locals_]
        self.locals = list(ft.params) + lts
        self.local_init = [True] * len(ft.params) + [defaultable(t) for t in lts]
        self.results = ft.results
        self.run(body, ft.results, at)
        return lts

    def check_const(self, expr: list[Instr], t: Any, at: int) -> None:
        self.locals = []
        self.local_init = []
        self.results = ()
        self.run(expr, (t,), at, labels=False)

    # -- the main loop -----------------------------------------------------------------------

    def run(
        self, body: list[Instr], results: tuple[Any, ...], at: int, labels: bool = True
    ) -> None:
        vals = self.vals
        vals.clear()
        frames = self.frames
        frames.clear()
        self.init_log.clear()
        func = Frame("func", (), results, 0, 0, None, at)
        if not labels:
            func.label = None  # a constant expression has no label to branch to
        frames.append(func)
        iters: list[Iterator[Instr]] = []
        it: Iterator[Instr] = iter(body)
        fast = FAST
        handlers = HANDLERS
        locs = self.locals
        linit = self.local_init
        init_log = self.init_log
        nloc = len(locs)
        ctx = self.ctx
        mems = ctx.memories
        mem0 = mems[0].address if mems else None
        globs = ctx.globals
        blocktype = ctx.blocktype
        sigs = self.call_sigs
        if len(sigs) != len(ctx.funcs):
            sigs[:] = [_call_sig(f.comp) for f in ctx.funcs]
        nfuncs = len(sigs)
        # The operand stack height of the innermost frame; refreshed whenever a handler or the
        # end of a body may have pushed or popped a frame.
        height = 0
        # The common case of each frequent instruction is checked inline: operand types equal
        # to the declared ones (numeric types are strings), a known index.  Anything else,
        # including every error, goes to the instruction's handler, which applies the full
        # rules and reports the reference's message.
        while True:
            for ins in it:
                try:
                    c, s0, s1, s2 = fast[ins.op]
                except KeyError:
                    c = F_OTHER
                if c == F_LGET:
                    x = ins.imm[0]
                    if x < nloc and linit[x]:
                        vals.append(locs[x])
                        continue
                elif c == F_CONST:
                    vals.append(s0)
                    continue
                elif c == F_BIN:
                    if len(vals) - height >= 2:
                        a = vals[-1]
                        if a is s1 or a == s1:
                            a = vals[-2]
                            if a is s0 or a == s0:
                                del vals[-1]
                                vals[-1] = s2
                                continue
                elif c == F_LSET:
                    x = ins.imm[0]
                    if x < nloc and len(vals) > height:
                        t = locs[x]
                        a = vals[-1]
                        if a is t or a == t:
                            vals.pop()
                            if not linit[x]:
                                linit[x] = True
                                init_log.append(x)
                            continue
                elif c == F_UN:
                    if len(vals) > height:
                        a = vals[-1]
                        if a is s0 or a == s0:
                            vals[-1] = s1
                            continue
                elif c == F_LOAD or c == F_STORE:
                    imm = ins.imm
                    if (
                        imm[0] == 0
                        and mem0 is not None
                        and 1 << imm[1] <= s0  # type: ignore[operator]
                        and (imm[2] < 0x1_0000_0000 or mem0 == "i64")
                    ):
                        if c == F_LOAD:
                            if len(vals) > height and vals[-1] == mem0:
                                vals[-1] = s1
                                continue
                        elif len(vals) - height >= 2 and vals[-1] == s1 and vals[-2] == mem0:
                            del vals[-2:]
                            continue
                elif c == F_BR_IF:
                    x = ins.imm[0]
                    if x < len(frames) and len(vals) > height and vals[-1] == I32:
                        lt = frames[-1 - x].label
                        if lt is not None and not len(lt):
                            vals.pop()
                            continue
                elif c == F_CALL:
                    x = ins.imm[0]
                    if x < nfuncs:
                        ps, rs = sigs[x]
                        n = len(ps)
                        if not n:
                            vals += rs
                            continue
                        if len(vals) - n >= height and vals[-n:] == ps:
                            del vals[-n:]
                            vals += rs
                            continue
                elif c == F_DROP:
                    if len(vals) > height:
                        vals.pop()
                        continue
                elif c == F_BLOCK:
                    # No block type or a value type: no inputs (a type index goes to the handler).
                    bt, sub = ins.imm
                    if type(bt) is not int:
                        res = () if bt is None else blocktype(bt, ins.offset)[1]
                        height = len(vals)
                        frames.append(
                            Frame(ins.op, (), res, height, len(init_log), None, ins.offset)
                        )
                        iters.append(it)
                        it = iter(sub)
                        break
                elif c == F_IF:
                    bt, sub, els = ins.imm
                    if type(bt) is not int and len(vals) > height and vals[-1] == I32:
                        res = () if bt is None else blocktype(bt, ins.offset)[1]
                        vals.pop()
                        height = len(vals)
                        frames.append(Frame("if", (), res, height, len(init_log), els, ins.offset))
                        iters.append(it)
                        it = iter(sub)
                        break
                elif c == F_GGET:
                    x = ins.imm[0]
                    if x < len(globs):
                        vals.append(globs[x].type)
                        continue
                elif c == F_BR or c == F_RETURN:
                    if c == F_BR:
                        x = ins.imm[0]
                        lt = frames[-1 - x].label if x < len(frames) else None
                    else:
                        lt = self.results
                    if lt is not None:
                        n = len(lt)
                        if not n or (n == 1 and len(vals) > height and vals[-1] == lt[0]):
                            del vals[height:]
                            frames[-1].unreachable = True
                            continue
                elif c == F_SELECT:
                    # Untyped select of two equal numeric or vector operands.
                    if not ins.imm and len(vals) - height >= 3 and vals[-1] == I32:
                        t = vals[-2]
                        if type(t) is str and t != BOT and vals[-3] == t:
                            del vals[-2:]
                            continue
                elif c == F_GSET:
                    x = ins.imm[0]
                    if x < len(globs) and len(vals) > height:
                        g = globs[x]
                        if g.mutable and vals[-1] == g.type:
                            vals.pop()
                            continue
                elif c == F_LTEE:
                    x = ins.imm[0]
                    if x < nloc and len(vals) > height:
                        t = locs[x]
                        a = vals[-1]
                        if a is t or a == t:
                            if not linit[x]:
                                linit[x] = True
                                init_log.append(x)
                            continue
                elif c == F_SIMPLE:
                    n = len(s0)  # type: ignore[arg-type]
                    if not n or (len(vals) - n >= height and vals[-n:] == s0):
                        if n:
                            del vals[-n:]
                        vals += s1  # type: ignore[arg-type]
                        continue
                if F_CONST <= c <= F_SIMPLE:
                    # A fixed signature whose operands are not exactly the declared types:
                    # subtypes, the bottom type of unreachable code, or a mismatch.
                    params, res = SIMPLE[ins.op]
                    self.pop(params, ins)
                    vals += res
                    continue
                h = handlers.get(ins.op)
                if h is None:
                    raise InvalidError(f"unknown instruction {ins.op}", ins.offset)
                sub = h(self, ins)
                if sub is not None:
                    height = frames[-1].height
                    iters.append(it)
                    it = iter(sub)
                    break
            else:
                # The end of a body: a block that leaves exactly its result types is closed
                # inline (spec 3.4.x check_block); anything else by end_block.
                f = frames[-1]
                res = f.end
                n = len(vals) - height
                if (
                    f.pending is None
                    and n == len(res)
                    and (not n or (n == 1 and vals[-1] == res[0]))
                ):
                    if len(init_log) > f.init_mark:
                        self.undo_inits(f.init_mark)
                    nxt = f.else_body
                    if nxt is None:
                        frames.pop()
                    else:
                        # The then-arm of an if: the else-arm starts from the block's inputs.
                        f.else_body = None
                        f.unreachable = False
                        del vals[height:]
                        vals.extend(f.start)
                else:
                    nxt = self.end_block()
                if nxt is not None:
                    it = iter(nxt)
                elif iters:
                    it = iters.pop()
                else:
                    return
                height = frames[-1].height

    def end_block(self) -> list[Instr] | None:
        """Close the innermost frame (spec 3.4.x check_block).  Returns an ``if``'s else body
        when the then body just ended, else None after pushing the frame's results."""
        f = self.frames[-1]
        vals = self.vals
        # The reference pops the results first, then reports leftovers with the whole stack.
        whole = vals[f.height :] if len(vals) - f.height > len(f.end) else None
        self.pop(f.end, None, f.offset)
        if whole is not None:
            raise InvalidError(
                f"type mismatch: block requires {str_results(f.end)} but stack has "
                f"{str_results(whole)}",
                f.offset,
            )
        self.undo_inits(f.init_mark)
        if f.else_body is not None:
            body = f.else_body
            f.else_body = None
            f.unreachable = False
            vals.extend(f.start)
            return body
        self.frames.pop()
        if f.pending is not None:
            raise f.pending
        vals.extend(f.end)
        return None

    # -- stack primitives --------------------------------------------------------------------

    def pop(
        self, ts: Sequence[Any], ins: Instr | None, at: int = -1, who: str = "instruction"
    ) -> None:
        """Pop ``ts`` (bottom first), each actual operand matching its declared type."""
        vals = self.vals
        f = self.frames[-1]
        n = len(ts)
        avail = len(vals) - f.height
        if avail >= n:
            k = n
        elif f.unreachable:
            k = avail
        else:
            self.mismatch(ts, vals[f.height :], ins, at, who)
        base = len(vals) - k
        for i in range(k):
            a = vals[base + i]
            e = ts[n - k + i]
            if a is not e and not match_valtype(a, e):
                self.mismatch(ts, [BOT] * (n - k) + vals[base:], ins, at, who)
        del vals[base:]

    def mismatch(
        self, ts: Sequence[Any], actual: list[Any], ins: Instr | None, at: int = -1,
        who: str = "instruction",
    ) -> None:  # fmt: skip
        raise InvalidError(
            f"type mismatch: {who} requires {str_results(ts)} but stack has {str_results(actual)}",
            ins.offset if ins is not None else at,
        )

    def pop1(self, t: Any, ins: Instr) -> None:
        vals = self.vals
        if len(vals) > self.frames[-1].height:
            a = vals[-1]
            if a is t or match_valtype(a, t):
                vals.pop()
                return
        self.pop((t,), ins)

    def pop_same(self, t: Any, n: int, ins: Instr) -> None:
        """Pop ``n`` operands of type ``t`` without materialising ``n`` types (``n`` may be
        huge in unreachable code)."""
        vals = self.vals
        f = self.frames[-1]
        avail = len(vals) - f.height
        if avail < n and not f.unreachable:
            self.mismatch([t] * min(n, avail + 1), vals[f.height :], ins)
        k = min(n, avail)
        base = len(vals) - k
        for a in vals[base:]:
            if not match_valtype(a, t):
                self.mismatch([t] * k, vals[base:], ins)
        del vals[base:]

    def peek(self, i: int = 0) -> Any:
        vals = self.vals
        if len(vals) - self.frames[-1].height > i:
            return vals[-1 - i]
        return BOT

    def peek_ref(self, ins: Instr) -> RefType:
        t = self.peek(0)
        if type(t) is RefType:
            return t
        if t == BOT:
            return RefType(False, BOT)
        raise InvalidError(
            f"type mismatch: instruction requires reference type but stack has {str_valtype(t)}",
            ins.offset,
        )

    def unreachable(self) -> None:
        f = self.frames[-1]
        del self.vals[f.height :]
        f.unreachable = True

    def label(self, x: int, ins: Instr) -> Sequence[Any]:
        frames = self.frames
        if 0 <= x < len(frames):
            lt = frames[-1 - x].label
            if lt is not None:
                return lt  # type: ignore[no-any-return]
        raise InvalidError(f"unknown label {x}", ins.offset)

    def undo_inits(self, mark: int) -> None:
        log = self.init_log
        if len(log) > mark:
            init = self.local_init
            for i in log[mark:]:
                init[i] = False
            del log[mark:]

    def push_block(self, op: str, bt: Any, body: list[Instr], ins: Instr,
                   else_body: list[Instr] | None = None) -> list[Instr]:  # fmt: skip
        params, results = self.ctx.blocktype(bt, ins.offset)
        # The reference checks a block's body before popping its inputs from the enclosing
        # stack, so an input mismatch is reported only once the body has been checked.
        pending = None
        try:
            if op == "if":
                if params:
                    self.pop((*params, I32), ins)
                else:
                    self.pop1(I32, ins)
            elif params:
                self.pop(params, ins)
        except InvalidError as e:
            pending = e
        vals = self.vals
        f = Frame(op, params, results, len(vals), len(self.init_log), else_body, ins.offset)
        f.pending = pending
        self.frames.append(f)
        vals.extend(params)
        return body


# --- control instructions (spec 3.4.9) ------------------------------------------------------


@handler("unreachable")
def _unreachable(v: Checker, ins: Instr) -> None:
    v.unreachable()


@handler("block", "loop")
def _block(v: Checker, ins: Instr) -> list[Instr]:
    bt, body = ins.imm
    return v.push_block(ins.op, bt, body, ins)


@handler("if")
def _if(v: Checker, ins: Instr) -> list[Instr]:
    bt, then, els = ins.imm
    return v.push_block("if", bt, then, ins, els if els is not None else [])


@handler("br")
def _br(v: Checker, ins: Instr) -> None:
    v.pop(v.label(ins.imm[0], ins), ins)
    v.unreachable()


@handler("br_if")
def _br_if(v: Checker, ins: Instr) -> None:
    lt = v.label(ins.imm[0], ins)
    v.pop1(I32, ins)
    v.pop(lt, ins)
    v.vals.extend(lt)


@handler("br_table")
def _br_table(v: Checker, ins: Instr) -> None:
    labels, default = ins.imm
    lt = v.label(default, ins)
    n = len(lt)
    ts = [v.peek(n - i) for i in range(n)]
    _match_stack(ts, lt, ins)
    for x in labels:
        _match_stack(ts, v.label(x, ins), ins)
    v.pop1(I32, ins)
    v.pop(ts, ins)
    v.unreachable()


def _match_stack(ts: Sequence[Any], lt: Sequence[Any], ins: Instr) -> None:
    if len(ts) != len(lt) or not all(map(match_valtype, ts, lt)):
        raise InvalidError(
            f"type mismatch: instruction requires {str_results(lt)} but stack has "
            f"{str_results(ts)}",
            ins.offset,
        )


@handler("return")
def _return(v: Checker, ins: Instr) -> None:
    v.pop(v.results, ins)
    v.unreachable()


@handler("drop")
def _drop(v: Checker, ins: Instr) -> None:
    vals = v.vals
    f = v.frames[-1]
    if len(vals) > f.height:
        vals.pop()
    elif not f.unreachable:
        v.mismatch([BOT], [], ins)


@handler("select", "select_t")
def _select(v: Checker, ins: Instr) -> None:
    if ins.imm:
        ts = ins.imm[0]
        if len(ts) != 1:
            raise InvalidError("invalid result arity other than 1 is not (yet) allowed", ins.offset)
        t = v.ctx.val(ts[0], ins.offset)
    else:
        t = v.peek(1)
        if type(t) is RefType:
            raise InvalidError(
                "type mismatch: instruction requires numeric or vector type but stack has "
                + str_valtype(t),
                ins.offset,
            )
    v.pop((t, t, I32), ins)
    v.vals.append(t)


# --- variable instructions (spec 3.4.5) -----------------------------------------------------


def _local(v: Checker, ins: Instr) -> int:
    x = ins.imm[0]
    if 0 <= x < len(v.locals):
        return x  # type: ignore[no-any-return]
    raise InvalidError(f"unknown local {x}", ins.offset)


@handler("local.get")
def _local_get(v: Checker, ins: Instr) -> None:
    x = _local(v, ins)
    if not v.local_init[x]:
        raise InvalidError("uninitialized local", ins.offset)
    v.vals.append(v.locals[x])


@handler("local.set")
def _local_set(v: Checker, ins: Instr) -> None:
    x = _local(v, ins)
    v.pop1(v.locals[x], ins)
    if not v.local_init[x]:
        v.local_init[x] = True
        v.init_log.append(x)


@handler("local.tee")
def _local_tee(v: Checker, ins: Instr) -> None:
    x = _local(v, ins)
    t = v.locals[x]
    v.pop1(t, ins)
    v.vals.append(t)
    if not v.local_init[x]:
        v.local_init[x] = True
        v.init_log.append(x)


@handler("global.get")
def _global_get(v: Checker, ins: Instr) -> None:
    v.vals.append(v.ctx.global_(ins.imm[0], ins.offset).type)


@handler("global.set")
def _global_set(v: Checker, ins: Instr) -> None:
    gt = v.ctx.global_(ins.imm[0], ins.offset)
    if not gt.mutable:
        raise InvalidError("immutable global", ins.offset)
    v.pop1(gt.type, ins)


# --- calls (spec 3.4.9, tail calls, typed function references) -----------------------------


def _call_results(v: Checker, ft: FuncType, ins: Instr) -> None:
    if not (len(ft.results) == len(v.results) and all(map(match_valtype, ft.results, v.results))):
        raise InvalidError(
            f"type mismatch: current function requires result type {str_results(v.results)} "
            f"but callee returns {str_results(ft.results)}",
            ins.offset,
        )


@handler("call", "return_call")
def _call(v: Checker, ins: Instr) -> None:
    ft = v.ctx.func(ins.imm[0], ins.offset).comp
    if ins.op == "return_call":
        _call_results(v, ft, ins)
        v.pop(ft.params, ins)
        v.unreachable()
        return
    v.pop(ft.params, ins)
    v.vals.extend(ft.results)


@handler("call_ref", "return_call_ref")
def _call_ref(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    ft = v.ctx.func_type(x, ins.offset)
    if ins.op == "return_call_ref":
        _call_results(v, ft, ins)
        v.pop((*ft.params, v.ctx.ref_to(x, True)), ins)
        v.unreachable()
        return
    v.pop((*ft.params, v.ctx.ref_to(x, True)), ins)
    v.vals.extend(ft.results)


@handler("call_indirect", "return_call_indirect")
def _call_indirect(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    tt = v.ctx.table(x, ins.offset)
    ft = v.ctx.func_type(y, ins.offset)
    if not match_valtype(tt.elem, FUNCREF):
        raise InvalidError(
            "type mismatch: instruction requires table of function type but table has element "
            f"type {str_valtype(tt.elem)}",
            ins.offset,
        )
    if ins.op == "return_call_indirect":
        _call_results(v, ft, ins)
        v.pop((*ft.params, tt.address), ins)
        v.unreachable()
        return
    v.pop((*ft.params, tt.address), ins)
    v.vals.extend(ft.results)
