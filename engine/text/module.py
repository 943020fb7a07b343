"""Modules in the text format (spec 6.6): fields, their abbreviations, and name resolution.

Like the reference parser, a module is processed in three passes over its fields: (1) bind
every identifier in every index space, in source order, so that fields can refer forward;
(2) define the types of all ``type`` and ``rec`` fields; (3) parse every other field in source
order.  Implicit function types from type uses are appended after the explicit ones, in the
order pass 3 meets them.
"""

from __future__ import annotations

import sys
import threading

from engine.errors import MalformedError
from engine.syntax.ast import (
    Active,
    Data,
    Elem,
    Export,
    Func,
    Global,
    Import,
    Instr,
    Module,
    Table,
)
from engine.syntax.types import (
    FuncImportType,
    FuncType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    SubType,
    TableType,
    TagType,
)
from engine.text.context import Context, FuncContext
from engine.text.cursor import Cursor
from engine.text.instrs import parse_expr, parse_folded_expr
from engine.text.lexer import EOF, ID, KW, LPAR, NAT, RPAR, STR
from engine.text.types import (
    at_reftype,
    parse_addrtype,
    parse_functype_body,
    parse_globaltype,
    parse_idx,
    parse_memorytype,
    parse_reftype,
    parse_subtype,
    parse_tabletype,
    parse_valtype,
)

_DEF_KINDS = ("func", "table", "memory", "global", "tag")
_CATEGORY = {
    "func": "function",
    "table": "table",
    "memory": "memory",
    "global": "global",
    "tag": "tag",
}
_RECURSION_LIMIT = 200_000


_limit_lock = threading.Lock()
_limit_users = 0
_saved_limit = 0


def _raise_recursion_limit() -> None:
    # Nesting depth is the input's to choose; parsers in several threads share one limit.
    global _limit_users, _saved_limit
    with _limit_lock:
        if _limit_users == 0:
            _saved_limit = sys.getrecursionlimit()
            if _saved_limit < _RECURSION_LIMIT:
                sys.setrecursionlimit(_RECURSION_LIMIT)
        _limit_users += 1


def _restore_recursion_limit() -> None:
    global _limit_users
    with _limit_lock:
        _limit_users -= 1
        if _limit_users == 0 and _saved_limit < _RECURSION_LIMIT:
            sys.setrecursionlimit(_saved_limit)


def parse_module_fields(cur: Cursor) -> Module:
    """``field*`` up to, not including, the ``)`` that closes ``(module $id? ...``."""
    _raise_recursion_limit()
    start = cur.i
    try:
        try:
            return _ModuleParser(cur).parse()
        except RecursionError:
            raise MalformedError("nesting too deep", -1) from None
    except MalformedError as e:
        # The reference reports syntax errors anywhere in the module before any error found
        # while resolving names: look for one with a lenient pass.
        cur.i = start
        try:
            _ModuleParser(cur, lenient=True).parse()
        except MalformedError as syntax_error:
            raise syntax_error from None
        except Exception:
            pass
        raise e
    finally:
        _restore_recursion_limit()


class _ModuleParser:
    def __init__(self, cur: Cursor, lenient: bool = False) -> None:
        self.cur = cur
        self.kinds = cur.kinds
        self.values = cur.values
        self.lenient = lenient
        self.ctx = Context(lenient)
        self.m = Module()
        # Source positions of definitions and imports, for the import-order rule.
        self.defs: list[tuple[int, str]] = []
        self.import_positions: list[int] = []

    def space(self, kind: str):  # type: ignore[no-untyped-def]
        ctx = self.ctx
        return {
            "func": ctx.funcs,
            "table": ctx.tables,
            "memory": ctx.memories,
            "global": ctx.globals,
            "tag": ctx.tags,
            "elem": ctx.elems,
            "data": ctx.datas,
        }[kind]

    # --- pass 1: bind identifiers ----------------------------------------------------------

    def bind_all(self) -> list[tuple[str, int, int]]:
        cur = self.cur
        kinds = self.kinds
        values = self.values
        ctx = self.ctx
        fields: list[tuple[str, int, int]] = []
        while kinds[cur.i] == LPAR:
            start = cur.i
            if kinds[start + 1] != KW:
                cur.unexpected(start + 1)
            kw: str = values[start + 1]  # type: ignore[assignment]
            cur.i = start + 2
            index = -1
            if kw == "type":
                index = ctx.bind_type(cur.opt_id())
            elif kw == "rec":
                while cur.at_paren_kw("type"):
                    cur.i += 2
                    ctx.bind_type(cur.opt_id())
                    cur.skip_to_close()
            elif kw in _DEF_KINDS or kw == "elem" or kw == "data":
                index = self.space(kw).bind(cur.opt_id())
            elif kw == "import":
                while kinds[cur.i] == STR:
                    cur.i += 1
                k = cur.paren_kw()
                if k in _DEF_KINDS:
                    cur.i += 2
                    index = self.space(k).bind(cur.opt_id())  # type: ignore[arg-type]
            elif kw != "export" and kw != "start":
                cur.unexpected(start + 1)
            fields.append((kw, start, index))
            cur.i = start + 1
            cur.skip_to_close()
        return fields

    # --- driver ----------------------------------------------------------------------------

    def parse(self) -> Module:
        cur = self.cur
        fields = self.bind_all()
        end = cur.i
        for kw, start, _ in fields:
            if kw == "type" or kw == "rec":
                cur.i = start + 2
                self.type_field(kw)
        handlers = {
            "func": self.func_field,
            "table": self.table_field,
            "memory": self.memory_field,
            "global": self.global_field,
            "tag": self.tag_field,
            "import": self.import_field,
            "export": self.export_field,
            "start": self.start_field,
            "elem": self.elem_field,
            "data": self.data_field,
        }
        for kw, start, index in fields:
            if kw == "type" or kw == "rec":
                continue
            cur.i = start + 2
            handlers[kw](index, start)
            cur.rpar()
        cur.i = end
        if self.kinds[end] != RPAR and self.kinds[end] != EOF:
            cur.unexpected()
        self.check_import_order()
        m = self.m
        m.types = list(self.ctx.rec_types)
        return m

    def check_import_order(self) -> None:
        if not self.import_positions or self.lenient:
            return
        last_import = max(self.import_positions)
        before = [(pos, kind) for pos, kind in self.defs if pos < last_import]
        if before:
            _, kind = max(before)
            raise MalformedError(f"import after {_CATEGORY[kind]} definition", -1)

    # --- pass 2: types ---------------------------------------------------------------------

    def type_field(self, kw: str) -> None:
        cur = self.cur
        ctx = self.ctx
        if kw == "type":
            first = len(ctx.subtypes)
            cur.opt_id()
            st = parse_subtype(cur, ctx, first)
            cur.rpar()
            ctx.define_group(RecType((st,)), first)
            return
        first = len(ctx.subtypes)
        sts: list[SubType] = []
        while cur.at_paren_kw("type"):
            cur.i += 2
            cur.opt_id()
            sts.append(parse_subtype(cur, ctx, first + len(sts)))
            cur.rpar()
            ctx.subtypes.append(None)
        del ctx.subtypes[first:]
        cur.rpar()
        ctx.define_group(RecType(tuple(sts)), first)

    # --- shared pieces ---------------------------------------------------------------------

    def inline_exports(self, kind: str, index: int) -> None:
        cur = self.cur
        while cur.at_paren_kw("export"):
            cur.i += 2
            name = cur.name()
            cur.rpar()
            self.m.exports.append(Export(name, kind, index))

    def inline_import(self) -> tuple[str, str] | None:
        cur = self.cur
        if not cur.at_paren_kw("import"):
            return None
        cur.i += 2
        module = cur.name()
        name = cur.name()
        cur.rpar()
        return module, name

    def add_import(self, start: int, module: str, name: str, desc: object) -> None:
        self.import_positions.append(start)
        self.m.imports.append(Import(module, name, desc))  # type: ignore[arg-type]

    def typeuse_index(self) -> int | None:
        cur = self.cur
        if not cur.at_paren_kw("type"):
            return None
        cur.i += 2
        x = parse_idx(cur, self.ctx.types)
        cur.rpar()
        return x

    def resolve(self, x: int | None, ft: FuncType) -> int:
        if x is None:
            return self.ctx.inline_functype(ft)
        if (ft.params or ft.results) and not self.lenient and self.ctx.func_type(x) != ft:
            raise MalformedError("inline function type does not match explicit type", -1)
        return x

    def const_expr(self) -> list[Instr]:
        return parse_expr(self.cur, self.ctx)

    def offset_expr(self) -> list[Instr]:
        """``(offset instr*)`` or a single folded instruction."""
        cur = self.cur
        if cur.at_paren_kw("offset"):
            cur.i += 2
            e = self.const_expr()
            cur.rpar()
            return e
        return parse_folded_expr(cur, self.ctx)

    def elem_exprs(self) -> list[list[Instr]]:
        """``elemexpr*``: ``(item instr*)`` or a folded instruction each."""
        cur = self.cur
        out = []
        while self.kinds[cur.i] == LPAR:
            if cur.at_paren_kw("item"):
                cur.i += 2
                out.append(self.const_expr())
                cur.rpar()
            else:
                out.append(parse_folded_expr(cur, self.ctx))
        return out

    def func_refs(self) -> list[list[Instr]]:
        cur = self.cur
        out = []
        while self.kinds[cur.i] in (NAT, ID):
            out.append([Instr("ref.func", (parse_idx(cur, self.ctx.funcs),))])
        return out

    # --- pass 3: fields --------------------------------------------------------------------

    def func_field(self, index: int, start: int) -> None:
        cur = self.cur
        ctx = self.ctx
        name = cur.opt_id()
        if name is not None:
            self.m.names.funcs[index] = name
        self.inline_exports("func", index)
        imp = self.inline_import()
        if imp is not None:
            x = self.typeuse_index()
            ft = parse_functype_body(cur, ctx)
            self.add_import(start, imp[0], imp[1], FuncImportType(self.resolve(x, ft)))
            return
        self.defs.append((start, "func"))
        fc = FuncContext(self.lenient)
        x = self.typeuse_index()
        names: list[str | None] = []
        ft = parse_functype_body(cur, ctx, names)
        y = self.resolve(x, ft)
        # With a bare type use, parameters are counted from the type only when a named
        # local needs its index (an unknown type is otherwise the validator's to report).
        implicit_params = x if not ft.params and not ft.results else None
        for n in names:
            implicit_params = self._bind_local(fc, n, implicit_params)
        locals_ = []
        while cur.at_paren_kw("local"):
            cur.i += 2
            if self.kinds[cur.i] == ID:
                n = cur.opt_id()
                locals_.append(parse_valtype(cur, ctx))
                implicit_params = self._bind_local(fc, n, implicit_params)
            else:
                while self.kinds[cur.i] != RPAR:
                    locals_.append(parse_valtype(cur, ctx))
                    implicit_params = self._bind_local(fc, None, implicit_params)
            cur.rpar()
        body = parse_expr(cur, ctx, fc)
        self.m.funcs.append(Func(y, locals_, body))
        if fc.locals.names:
            self.m.names.locals[index] = {i: n for n, i in fc.locals.names.items()}

    def _bind_local(self, fc: FuncContext, name: str | None, pending: int | None) -> int | None:
        if name is None:
            if pending is None:
                fc.locals.anon()
                return None
            # Defer: the count of the type's parameters is not needed yet.
            fc.deferred += 1
            return pending
        if pending is not None:
            fc.locals.anon(len(self.ctx.func_type(pending).params))
        if fc.deferred:
            fc.locals.anon(fc.deferred)
            fc.deferred = 0
        fc.locals.bind(name)
        return None

    def table_field(self, index: int, start: int) -> None:
        cur = self.cur
        ctx = self.ctx
        cur.opt_id()
        self.inline_exports("table", index)
        imp = self.inline_import()
        if imp is not None:
            self.add_import(start, imp[0], imp[1], parse_tabletype(cur, ctx))
            return
        self.defs.append((start, "table"))
        i = cur.i
        kinds = self.kinds
        addr = None
        if kinds[i] == KW and self.values[i] in ("i32", "i64") and kinds[i + 1] != NAT:
            addr = parse_addrtype(cur)
        if at_reftype(cur):
            rt = parse_reftype(cur, ctx)
            cur.open("elem")
            if kinds[cur.i] == LPAR:
                init = self.elem_exprs()
            else:
                init = self.func_refs()
            cur.rpar()
            addr = addr or "i32"
            n = len(init)
            self.m.tables.append(Table(TableType(Limits(n, n), rt, addr)))
            offset = [Instr(f"{addr}.const", (0,))]
            self.m.elems.append(Elem(rt, init, Active(index, offset)))
            return
        tt = parse_tabletype(cur, ctx, addr)
        init_expr = None if kinds[cur.i] == RPAR else self.const_expr()
        self.m.tables.append(Table(tt, init_expr))

    def memory_field(self, index: int, start: int) -> None:
        cur = self.cur
        cur.opt_id()
        self.inline_exports("memory", index)
        imp = self.inline_import()
        if imp is not None:
            self.add_import(start, imp[0], imp[1], parse_memorytype(cur))
            return
        self.defs.append((start, "memory"))
        addr = parse_addrtype(cur)
        if cur.at_paren_kw("data"):
            cur.i += 2
            data = cur.strings()
            cur.rpar()
            size = (len(data) + 0xFFFF) // 0x10000
            self.m.memories.append(MemoryType(Limits(size, size), False, addr))
            offset = [Instr(f"{addr}.const", (0,))]
            self.m.datas.append(Data(data, Active(index, offset)))
            return
        self.m.memories.append(parse_memorytype(cur, addr))

    def global_field(self, index: int, start: int) -> None:
        cur = self.cur
        cur.opt_id()
        self.inline_exports("global", index)
        imp = self.inline_import()
        if imp is not None:
            self.add_import(start, imp[0], imp[1], parse_globaltype(cur, self.ctx))
            return
        self.defs.append((start, "global"))
        gt = parse_globaltype(cur, self.ctx)
        self.m.globals.append(Global(gt, self.const_expr()))

    def tag_field(self, index: int, start: int) -> None:
        cur = self.cur
        cur.opt_id()
        self.inline_exports("tag", index)
        imp = self.inline_import()
        x = self.typeuse_index()
        ft = parse_functype_body(cur, self.ctx)
        tt = TagType(self.resolve(x, ft))
        if imp is not None:
            self.add_import(start, imp[0], imp[1], tt)
        else:
            self.defs.append((start, "tag"))
            self.m.tags.append(tt)

    def import_field(self, index: int, start: int) -> None:
        cur = self.cur
        ctx = self.ctx
        module = cur.name()
        name = cur.name()
        cur.lpar()
        kind = cur.any_kw()
        if kind not in _DEF_KINDS:
            cur.unexpected(cur.i - 1)
        func_name = cur.opt_id()
        if func_name is not None and kind == "func":
            self.m.names.funcs[index] = func_name
        desc: object
        if kind == "func" or kind == "tag":
            x = self.typeuse_index()
            if x is None:
                x = ctx.inline_functype(parse_functype_body(cur, ctx))
            desc = FuncImportType(x) if kind == "func" else TagType(x)
        elif kind == "table":
            desc = parse_tabletype(cur, ctx)
        elif kind == "memory":
            desc = parse_memorytype(cur)
        else:
            desc = parse_globaltype(cur, ctx)
        cur.rpar()
        self.add_import(start, module, name, desc)

    def export_field(self, index: int, start: int) -> None:
        cur = self.cur
        name = cur.name()
        cur.lpar()
        kind = cur.any_kw()
        if kind not in _DEF_KINDS:
            cur.unexpected(cur.i - 1)
        idx = parse_idx(cur, self.space(kind))
        cur.rpar()
        self.m.exports.append(Export(name, kind, idx))

    def start_field(self, index: int, start: int) -> None:
        x = parse_idx(self.cur, self.ctx.funcs)
        if self.m.start is not None and not self.lenient:
            raise MalformedError("multiple start sections", -1)
        self.m.start = x

    def elem_list(self, allow_bare: bool) -> tuple[RefType, list[list[Instr]]]:
        cur = self.cur
        if cur.accept_kw("func"):
            return RefType(False, "func"), self.func_refs()
        if allow_bare and self.kinds[cur.i] in (NAT, ID, RPAR):
            return RefType(False, "func"), self.func_refs()
        rt = parse_reftype(cur, self.ctx)
        return rt, self.elem_exprs()

    def elem_field(self, index: int, start: int) -> None:
        cur = self.cur
        cur.opt_id()
        if cur.accept_kw("declare"):
            rt, init = self.elem_list(False)
            self.m.elems.append(Elem(rt, init, "declarative"))
            return
        if cur.at_paren_kw("table"):
            cur.i += 2
            table = parse_idx(cur, self.ctx.tables)
            cur.rpar()
            offset = self.offset_expr()
            rt, init = self.elem_list(False)
            self.m.elems.append(Elem(rt, init, Active(table, offset)))
            return
        if self.kinds[cur.i] == LPAR and not at_reftype(cur):
            offset = self.offset_expr()
            rt, init = self.elem_list(True)
            self.m.elems.append(Elem(rt, init, Active(0, offset)))
            return
        rt, init = self.elem_list(False)
        self.m.elems.append(Elem(rt, init, "passive"))

    def data_field(self, index: int, start: int) -> None:
        cur = self.cur
        cur.opt_id()
        if self.kinds[cur.i] != LPAR:
            self.m.datas.append(Data(cur.strings(), "passive"))
            return
        mem = 0
        if cur.at_paren_kw("memory"):
            cur.i += 2
            mem = parse_idx(cur, self.ctx.memories)
            cur.rpar()
        offset = self.offset_expr()
        self.m.datas.append(Data(cur.strings(), Active(mem, offset)))
