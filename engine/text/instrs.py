"""Instructions in the text format (spec 6.5): plain, structured and folded forms.

Implicit function types that instructions introduce are appended to the type section in the
order the reference parser creates them: a block's type after its body, and an unfolded
``call_indirect``'s type after the rest of its instruction sequence (its grammar rule owns
that rest), so that module type indices match the reference exactly.
"""

from __future__ import annotations

from typing import Any

from engine.errors import MalformedError
from engine.syntax.ast import Catch, Instr
from engine.syntax.types import FuncType, ValType
from engine.text import immediates
from engine.text.context import Context, FuncContext
from engine.text.cursor import Cursor
from engine.text.keywords import INSTRS
from engine.text.lexer import ID, KW, LPAR, NAT, RPAR
from engine.text.types import parse_idx, parse_valtypes

_BLOCKS = frozenset(("block", "loop", "if", "try_table"))
_CALL_INDIRECT = frozenset(("call_indirect", "return_call_indirect"))
_CATCHES = frozenset(("catch", "catch_ref", "catch_all", "catch_all_ref"))

# A typeuse as written: the explicit index (or None) and the inline params and results.
TypeUse = tuple[int | None, list[ValType], list[ValType]]


def _mismatch() -> MalformedError:
    return MalformedError("mismatching label", -1)


class BodyParser:
    """Parses instruction sequences of one function (or one constant expression)."""

    def __init__(self, cur: Cursor, ctx: Context, fc: FuncContext) -> None:
        self.cur = cur
        self.ctx = ctx
        self.fc = fc
        self.kinds = cur.kinds
        self.values = cur.values
        self.imm = immediates.Immediates(self)

    # --- type uses -------------------------------------------------------------------------

    def typeuse_parts(self) -> TypeUse:
        """``(type x)? (param t*)* (result t*)*`` without parameter names."""
        cur = self.cur
        x = None
        if cur.at_paren_kw("type"):
            cur.i += 2
            x = parse_idx(cur, self.ctx.types)
            cur.rpar()
        params: list[ValType] = []
        results: list[ValType] = []
        while cur.at_paren_kw("param"):
            cur.i += 2
            params += parse_valtypes(cur, self.ctx)
            cur.rpar()
        while cur.at_paren_kw("result"):
            cur.i += 2
            results += parse_valtypes(cur, self.ctx)
            cur.rpar()
        return x, params, results

    def resolve_typeuse(self, tu: TypeUse) -> int:
        x, params, results = tu
        if x is not None:
            if (params or results) and not self.ctx.lenient:
                if self.ctx.func_type(x) != FuncType(tuple(params), tuple(results)):
                    raise MalformedError("inline function type does not match explicit type", -1)
            return x
        return self.ctx.inline_functype(FuncType(tuple(params), tuple(results)))

    def resolve_blocktype(self, tu: TypeUse) -> Any:
        x, params, results = tu
        if x is None and not params:
            if not results:
                return None
            if len(results) == 1:
                return results[0]
        return self.resolve_typeuse(tu)

    # --- labels ----------------------------------------------------------------------------

    def label_idx(self) -> int:
        cur = self.cur
        i = cur.i
        if cur.kinds[i] == ID:
            cur.i = i + 1
            return self.fc.label(cur.values[i])  # type: ignore[arg-type]
        return parse_idx(cur, None)

    # --- sequences -------------------------------------------------------------------------

    def instrs(self, out: list[Instr]) -> None:
        """``instr*``: stops (without consuming) at the first token that starts no
        instruction."""
        cur = self.cur
        kinds = self.kinds
        values = self.values
        pending: list[tuple[Instr, int, TypeUse]] = []
        while True:
            i = cur.i
            k = kinds[i]
            if k == KW:
                op = values[i]
                if op in _BLOCKS:
                    cur.i = i + 1
                    out.append(self.block(op))  # type: ignore[arg-type]
                elif op in INSTRS:
                    cur.i = i + 1
                    if op in _CALL_INDIRECT:
                        table = self.opt_table()
                        tu = self.typeuse_parts()
                        ins = Instr(op, ())  # type: ignore[arg-type]
                        pending.append((ins, table, tu))
                        out.append(ins)
                    else:
                        out.append(self.plain(op))  # type: ignore[arg-type]
                else:
                    break
            elif k == LPAR and kinds[i + 1] == KW and values[i + 1] in INSTRS:
                self.folded(out)
            else:
                break
        for ins, table, tu in reversed(pending):
            ins.imm = (table, self.resolve_typeuse(tu))

    def opt_table(self) -> int:
        if self.kinds[self.cur.i] in (NAT, ID):
            return parse_idx(self.cur, self.ctx.tables)
        return 0

    def plain(self, op: str) -> Instr:
        """A plain instruction whose mnemonic was just consumed (not call_indirect)."""
        if op == "select":
            return self.select()
        kind = INSTRS[op]
        if not kind:
            return Instr(op)
        return Instr(op, self.imm.parse(op, kind))

    def select(self) -> Instr:
        cur = self.cur
        if not cur.at_paren_kw("result"):
            return Instr("select")
        types: list[ValType] = []
        while cur.at_paren_kw("result"):
            cur.i += 2
            types += parse_valtypes(cur, self.ctx)
            cur.rpar()
        return Instr("select", (tuple(types),))

    # --- structured instructions -----------------------------------------------------------

    def block(self, op: str) -> Instr:
        """``block``/``loop``/``if``/``try_table`` in unfolded form, keyword consumed."""
        cur = self.cur
        fc = self.fc
        label = cur.opt_id()
        tu = self.typeuse_parts()
        catches = self.catches() if op == "try_table" else None
        fc.labels.append(label)
        cur.enter()
        body: list[Instr] = []
        self.instrs(body)
        else_body: list[Instr] = []
        if op == "if" and cur.accept_kw("else"):
            self._check_end_label(label)
            self.instrs(else_body)
        cur.kw("end")
        self._check_end_label(label)
        cur.depth -= 1
        fc.labels.pop()
        bt = self.resolve_blocktype(tu)
        if op == "if":
            return Instr("if", (bt, body, else_body))
        if catches is not None:
            return Instr("try_table", (bt, catches, body))
        return Instr(op, (bt, body))

    def _check_end_label(self, label: str | None) -> None:
        cur = self.cur
        i = cur.i
        if cur.kinds[i] == ID:
            cur.i = i + 1
            if (label is None or cur.values[i] != label) and not self.ctx.lenient:
                raise _mismatch()

    def catches(self) -> list[Catch]:
        """Handlers of a try_table, resolved in the context outside the block."""
        cur = self.cur
        out: list[Catch] = []
        while True:
            kw = cur.paren_kw()
            if kw not in _CATCHES:
                return out
            cur.i += 2
            tag = None
            if kw in ("catch", "catch_ref"):
                tag = parse_idx(cur, self.ctx.tags)
            out.append(Catch(kw, tag, self.label_idx()))  # type: ignore[arg-type]
            cur.rpar()

    # --- folded instructions ---------------------------------------------------------------

    def folded(self, out: list[Instr]) -> None:
        """``( plaininstr expr* )`` and the folded structured forms; appends in execution
        order (operands first)."""
        cur = self.cur
        cur.enter()
        cur.i += 1
        op: str = cur.values[cur.i]  # type: ignore[assignment]
        cur.i += 1
        if op in _BLOCKS:
            if op == "if":
                self.folded_if(out)
            else:
                out.append(self.folded_block(op))
        elif op in _CALL_INDIRECT:
            table = self.opt_table()
            tu = self.typeuse_parts()
            self.exprs(out)
            out.append(Instr(op, (table, self.resolve_typeuse(tu))))
        else:
            ins = self.plain(op)
            self.exprs(out)
            out.append(ins)
        cur.rpar()
        cur.depth -= 1

    def exprs(self, out: list[Instr]) -> None:
        kinds = self.kinds
        values = self.values
        cur = self.cur
        while True:
            i = cur.i
            if kinds[i] != LPAR:
                return
            if kinds[i + 1] != KW or values[i + 1] not in INSTRS:
                cur.unexpected(i + 1)
            self.folded(out)

    def folded_block(self, op: str) -> Instr:
        cur = self.cur
        label = cur.opt_id()
        tu = self.typeuse_parts()
        catches = self.catches() if op == "try_table" else None
        self.fc.labels.append(label)
        body: list[Instr] = []
        self.instrs(body)
        self.fc.labels.pop()
        bt = self.resolve_blocktype(tu)
        if catches is not None:
            return Instr("try_table", (bt, catches, body))
        return Instr(op, (bt, body))

    def folded_if(self, out: list[Instr]) -> None:
        cur = self.cur
        label = cur.opt_id()
        tu = self.typeuse_parts()
        # The condition is evaluated outside the if's label scope.
        while cur.kinds[cur.i] == LPAR and cur.paren_kw() != "then":
            i = cur.i
            if cur.kinds[i + 1] != KW or cur.values[i + 1] not in INSTRS:
                cur.unexpected(i + 1)
            self.folded(out)
        self.fc.labels.append(label)
        cur.open("then")
        then_body: list[Instr] = []
        self.instrs(then_body)
        cur.rpar()
        else_body: list[Instr] = []
        if cur.at_paren_kw("else"):
            cur.i += 2
            self.instrs(else_body)
            cur.rpar()
        self.fc.labels.pop()
        out.append(Instr("if", (self.resolve_blocktype(tu), then_body, else_body)))


def parse_expr(cur: Cursor, ctx: Context, fc: FuncContext | None = None) -> list[Instr]:
    """``instr*`` (a constant expression or a function body) up to, not including, ``)``."""
    bp = BodyParser(cur, ctx, fc if fc is not None else FuncContext(ctx.lenient))
    out: list[Instr] = []
    bp.instrs(out)
    if cur.kinds[cur.i] != RPAR:
        cur.unexpected()
    return out


def parse_folded_expr(cur: Cursor, ctx: Context) -> list[Instr]:
    """One folded instruction ``( ... )`` (the ``offset`` / ``item`` abbreviations)."""
    bp = BodyParser(cur, ctx, FuncContext(ctx.lenient))
    out: list[Instr] = []
    i = cur.i
    if cur.kinds[i] != LPAR or cur.kinds[i + 1] != KW or cur.values[i + 1] not in INSTRS:
        cur.unexpected(i + 1 if cur.kinds[i] == LPAR else i)
    bp.folded(out)
    return out
