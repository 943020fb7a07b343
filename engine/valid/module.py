"""Module validation (spec 3.5), in the reference interpreter's order (valid.ml check_module).

Types, imports, tags, function declarations, memories, tables, globals, data segments and
element segments extend the context one by one, so an initialiser sees exactly the entities the
reference lets it see (a table initialiser only imported globals, a global the ones before it).
Then the function bodies, the start function and the exports are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import engine.valid.instrs  # noqa: F401  (registers the instruction handlers)
import engine.valid.refs  # noqa: F401
from engine.errors import InvalidError
from engine.gcpause import paused_gc
from engine.syntax.ast import Active, Expr, Instr, Module
from engine.syntax.types import (
    FuncImportType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    TableType,
    TagType,
    ValType,
)
from engine.valid.code import Checker
from engine.valid.context import Context
from engine.valid.match import (
    DefType,
    ExternFuncType,
    ExternTagType,
    canonicalize,
    match_valtype,
    str_valtype,
)
from engine.valid.ops import CONST_OPS


@dataclass(slots=True)
class ModuleInfo:
    """What validation learned about a module, with every type index resolved to its canonical
    ``DefType`` (index spaces include the imports first, as in the spec)."""

    types: list[DefType]
    funcs: list[DefType]
    tables: list[TableType]
    memories: list[MemoryType]
    globals: list[GlobalType]
    tags: list[DefType]
    elems: list[RefType]
    # One resolved extern type per import (ExternFuncType, ExternTagType, TableType,
    # MemoryType, GlobalType), and (name, kind, resolved extern type) per export.
    imports: list[Any] = field(default_factory=list)
    exports: list[tuple[str, str, Any]] = field(default_factory=list)
    # C.refs: the functions a `ref.func` in a function body may name (spec 3.5, declared
    # function references): those named in globals, tables, segments and exports.
    refs: frozenset[int] = frozenset()
    # Per defined function, its declared locals' resolved types (parameters excluded).
    locals: list[list[ValType]] = field(default_factory=list)

    def func_type(self, x: int) -> FuncType:
        ft: FuncType = self.funcs[x].comp
        return ft


def validate_module(module: Module) -> ModuleInfo:
    """Validate ``module``; raise InvalidError with the reference interpreter's message."""
    with paused_gc():
        return _validate_module(module)


def _validate_module(module: Module) -> ModuleInfo:
    types = canonicalize(module.types)
    ctx = Context(types)
    ctx.refs = _declared_refs(module)
    checker = Checker(ctx)
    imports: list[Any] = []

    for im in module.imports:
        imports.append(_check_import(ctx, im.desc))
    for tag in module.tags:
        ctx.tags.append(_check_tagtype(ctx, tag))
    for f in module.funcs:
        ctx.func_type(f.type_index, f.offset)
        ctx.funcs.append(ctx.types[f.type_index])
    for mt in module.memories:
        ctx.memories.append(_check_memorytype(mt))
    for t in module.tables:
        tt = _check_tabletype(ctx, t.type)
        init = t.init if t.init is not None else [Instr("ref.null", (tt.elem.heap,))]
        _check_const(checker, init, tt.elem)
        ctx.tables.append(tt)
    for g in module.globals:
        gt = GlobalType(ctx.val(g.type.type), g.type.mutable)
        _check_const(checker, g.init, gt.type)
        ctx.globals.append(gt)
    for d in module.datas:
        if isinstance(d.mode, Active):
            mt = ctx.memory(d.mode.index, _at(d.mode.offset))
            _check_const(checker, d.mode.offset, mt.address)
        ctx.ndatas += 1
    # Segments mostly repeat one type and one table: the last resolved type and the last table
    # it was found to match are reused (a module at the JS limit has ten million segments).
    last_type: Any = None
    rt: Any = None
    last_table: tuple[int, Any, TableType] | None = None
    simple = _SIMPLE_CONST
    for e in module.elems:
        if e.type is not last_type:
            rt = ctx.val(e.type)
            last_type = e.type
        for c in e.init:
            _check_const(checker, c, rt)
        mode = e.mode
        if isinstance(mode, Active):
            if last_table is not None and last_table[0] == mode.index and last_table[1] is rt:
                tt = last_table[2]
            else:
                tt = ctx.table(mode.index, _at(mode.offset))
                if not match_valtype(rt, tt.elem):
                    raise InvalidError(
                        f"type mismatch: element segment's type {str_valtype(rt)} does not "
                        f"match table's element type {str_valtype(tt.elem)}",
                        _at(mode.offset),
                    )
                last_table = (mode.index, rt, tt)
            off = mode.offset
            if len(off) != 1 or simple.get(off[0].op) != tt.address:
                _check_const(checker, off, tt.address)
        ctx.elems.append(rt)

    nimported = len(ctx.funcs) - len(module.funcs)
    locals_: list[list[ValType]] = []
    for i, f in enumerate(module.funcs):
        ft = ctx.funcs[nimported + i].comp
        locals_.append(checker.check_func(ft, f.locals, f.body, f.offset))

    if module.start is not None:
        ft = ctx.func(module.start).comp
        if ft.params or ft.results:
            raise InvalidError("start function must not have parameters or results")

    exports = [(ex.name, ex.kind, _export_type(ctx, ex.kind, ex.index)) for ex in module.exports]
    seen: set[str] = set()
    for ex in module.exports:
        if ex.name in seen:
            raise InvalidError(f'duplicate export name "{_escape(ex.name)}"')
        seen.add(ex.name)

    return ModuleInfo(
        types=types,
        funcs=ctx.funcs,
        tables=ctx.tables,
        memories=ctx.memories,
        globals=ctx.globals,
        tags=ctx.tags,
        elems=ctx.elems,
        imports=imports,
        exports=exports,
        refs=frozenset(ctx.refs),
        locals=locals_,
    )


# --- declared function references (valid.ml check_module: Free.module_ minus code, start) ---


def _declared_refs(module: Module) -> set[int]:
    refs: set[int] = set()

    def scan(expr: Expr | None) -> None:
        if expr:
            for ins in expr:
                if ins.op == "ref.func":
                    refs.add(ins.imm[0])

    for g in module.globals:
        scan(g.init)
    for t in module.tables:
        scan(t.init)
    for d in module.datas:
        if isinstance(d.mode, Active):
            scan(d.mode.offset)
    for e in module.elems:
        for c in e.init:
            scan(c)
        mode = e.mode
        if isinstance(mode, Active):
            off = mode.offset
            if len(off) != 1 or off[0].op == "ref.func":
                scan(off)
    for ex in module.exports:
        if ex.kind == "func":
            refs.add(ex.index)
    return refs


# --- external types (spec 3.2) ----------------------------------------------------------------


def _check_limits(lim: Limits, bound: int, msg: str) -> None:
    if lim.min > bound:
        raise InvalidError(msg)
    if lim.max is not None:
        if lim.max > bound:
            raise InvalidError(msg)
        if lim.min > lim.max:
            raise InvalidError("size minimum must not be greater than maximum")


_MEM32_MSG = "memory size must be at most 2^16 pages (4 GiB) for i32"
_MEM64_MSG = "memory size must be at most 2^48 pages (256 TiB) for i64"


def _check_memorytype(mt: MemoryType) -> MemoryType:
    if mt.address == "i64":
        _check_limits(mt.limits, 1 << 48, _MEM64_MSG)
    else:
        _check_limits(mt.limits, 1 << 16, _MEM32_MSG)
    if mt.shared and mt.limits.max is None:
        raise InvalidError("shared memory must have maximum")
    return mt


def _check_tabletype(ctx: Context, tt: TableType) -> TableType:
    elem = ctx.val(tt.elem)
    if tt.address == "i64":
        _check_limits(tt.limits, (1 << 64) - 1, "table size must be at most 2^64-1 for i64")
    else:
        _check_limits(tt.limits, (1 << 32) - 1, "table size must be at most 2^32-1 for i32")
    return tt if elem is tt.elem else TableType(tt.limits, elem, tt.address)


def _check_tagtype(ctx: Context, tag: TagType) -> DefType:
    ft = ctx.func_type(tag.type_index)
    if ft.results:
        raise InvalidError("non-empty tag result type")
    return ctx.types[tag.type_index]


def _check_import(ctx: Context, desc: Any) -> Any:
    if isinstance(desc, FuncImportType):
        ctx.func_type(desc.type_index)
        dt = ctx.types[desc.type_index]
        ctx.funcs.append(dt)
        return ExternFuncType(dt)
    if isinstance(desc, TagType):
        dt = _check_tagtype(ctx, desc)
        ctx.tags.append(dt)
        return ExternTagType(dt)
    if isinstance(desc, GlobalType):
        gt = GlobalType(ctx.val(desc.type), desc.mutable)
        ctx.globals.append(gt)
        return gt
    if isinstance(desc, MemoryType):
        ctx.memories.append(_check_memorytype(desc))
        return desc
    if isinstance(desc, TableType):
        tt = _check_tabletype(ctx, desc)
        ctx.tables.append(tt)
        return tt
    raise InvalidError("malformed import kind")


def _export_type(ctx: Context, kind: str, x: int) -> Any:
    if kind == "func":
        return ExternFuncType(ctx.func(x))
    if kind == "tag":
        return ExternTagType(ctx.tag(x))
    if kind == "global":
        return ctx.global_(x)
    if kind == "memory":
        return ctx.memory(x)
    if kind == "table":
        return ctx.table(x)
    raise InvalidError("malformed export kind")


def _escape(name: str) -> str:
    # string_of_name: printable ASCII as is, everything else as \uXXXX escapes.
    out = []
    for ch in name:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\u{{{c:02x}}}")
    return "".join(out)


# --- constant expressions (spec 3.4.12) -------------------------------------------------------


def _at(expr: Expr) -> int:
    return expr[0].offset if expr else -1


# A lone constant instruction of the expected number type needs no checker run.
_SIMPLE_CONST = {"i32.const": "i32", "i64.const": "i64", "f32.const": "f32", "f64.const": "f64"}


def _check_const(checker: Checker, expr: Expr, t: Any) -> None:
    if len(expr) == 1 and _SIMPLE_CONST.get(expr[0].op) == t:
        return
    ctx = checker.ctx
    for ins in expr:
        op = ins.op
        if op in CONST_OPS:
            continue
        if op == "global.get" and not ctx.global_(ins.imm[0], ins.offset).mutable:
            continue
        raise InvalidError("constant expression required", ins.offset)
    checker.check_const(expr, t, _at(expr))
