"""Types in the text format (spec 6.4): value, reference, heap, field, composite, sub and
external types, parsed from a ``Cursor``.

The ``ctx`` argument resolves symbolic type indices; it is ``None`` where no module is in scope
(script literals), in which case only numeric indices are accepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.errors import MalformedError
from engine.syntax.types import (
    ArrayType,
    CompType,
    FieldType,
    FuncType,
    GlobalType,
    HeapType,
    Limits,
    MemoryType,
    RefType,
    StorageType,
    StructType,
    SubType,
    TableType,
    ValType,
)
from engine.text.lexer import ID, KW, LPAR, NAT, RPAR

if TYPE_CHECKING:
    from engine.text.context import Context, Space
    from engine.text.cursor import Cursor

HEAP_TYPES = frozenset(
    ("any", "none", "eq", "i31", "struct", "array", "func", "nofunc", "exn", "noexn", "extern")
    + ("noextern",)
)
REF_SHORTHANDS: dict[str, RefType] = {
    "anyref": RefType(True, "any"),
    "nullref": RefType(True, "none"),
    "eqref": RefType(True, "eq"),
    "i31ref": RefType(True, "i31"),
    "structref": RefType(True, "struct"),
    "arrayref": RefType(True, "array"),
    "funcref": RefType(True, "func"),
    "nullfuncref": RefType(True, "nofunc"),
    "exnref": RefType(True, "exn"),
    "nullexnref": RefType(True, "noexn"),
    "externref": RefType(True, "extern"),
    "nullexternref": RefType(True, "noextern"),
}
NUM_VEC_TYPES = frozenset(("i32", "i64", "f32", "f64", "v128"))


def parse_idx(cur: Cursor, space: Space | None, category: str = "type") -> int:
    """``idx``: a u32 literal or an identifier looked up in ``space``."""
    i = cur.i
    k = cur.kinds[i]
    if k == NAT:
        cur.i = i + 1
        try:
            from engine.text.numbers import parse_nat

            return parse_nat(cur.values[i], 32)  # type: ignore[arg-type]
        except ValueError:
            if space is not None and space.lenient:
                return 0
            cur.fail("i32 constant out of range")
    if k == ID:
        cur.i = i + 1
        name: str = cur.values[i]  # type: ignore[assignment]
        if space is None:
            from engine.text.context import _print

            raise MalformedError(f"unknown {category} {_print(name)}", -1)
        return space.lookup(name)
    cur.unexpected()


def _type_space(ctx: Context | None) -> Space | None:
    return None if ctx is None else ctx.types


def parse_heaptype(cur: Cursor, ctx: Context | None = None) -> HeapType:
    i = cur.i
    if cur.kinds[i] == KW and cur.values[i] in HEAP_TYPES:
        cur.i = i + 1
        return cur.values[i]  # type: ignore[return-value]
    return parse_idx(cur, _type_space(ctx))


def at_reftype(cur: Cursor) -> bool:
    i = cur.i
    k = cur.kinds[i]
    if k == KW:
        return cur.values[i] in REF_SHORTHANDS
    return k == LPAR and cur.kinds[i + 1] == KW and cur.values[i + 1] == "ref"


def parse_reftype(cur: Cursor, ctx: Context | None = None) -> RefType:
    i = cur.i
    k = cur.kinds[i]
    if k == KW:
        rt = REF_SHORTHANDS.get(cur.values[i])  # type: ignore[arg-type]
        if rt is None:
            cur.unexpected()
        cur.i = i + 1
        return rt
    cur.open("ref")
    nullable = cur.accept_kw("null")
    heap = parse_heaptype(cur, ctx)
    cur.rpar()
    return RefType(nullable, heap)


def at_valtype(cur: Cursor) -> bool:
    i = cur.i
    if cur.kinds[i] == KW and cur.values[i] in NUM_VEC_TYPES:
        return True
    return at_reftype(cur)


def parse_valtype(cur: Cursor, ctx: Context | None = None) -> ValType:
    i = cur.i
    if cur.kinds[i] == KW and cur.values[i] in NUM_VEC_TYPES:
        cur.i = i + 1
        return cur.values[i]  # type: ignore[return-value]
    return parse_reftype(cur, ctx)


def parse_valtypes(cur: Cursor, ctx: Context | None = None) -> list[ValType]:
    """``valtype*`` up to the closing parenthesis (not consumed)."""
    out: list[ValType] = []
    while cur.kinds[cur.i] != RPAR:
        out.append(parse_valtype(cur, ctx))
    return out


def parse_globaltype(cur: Cursor, ctx: Context | None = None) -> GlobalType:
    if cur.at_paren_kw("mut"):
        cur.i += 2
        t = parse_valtype(cur, ctx)
        cur.rpar()
        return GlobalType(t, True)
    return GlobalType(parse_valtype(cur, ctx), False)


def _storagetype(cur: Cursor, ctx: Context | None) -> StorageType:
    i = cur.i
    if cur.kinds[i] == KW and cur.values[i] in ("i8", "i16"):
        cur.i = i + 1
        return cur.values[i]  # type: ignore[return-value]
    return parse_valtype(cur, ctx)


def parse_fieldtype(cur: Cursor, ctx: Context | None = None) -> FieldType:
    if cur.at_paren_kw("mut"):
        cur.i += 2
        st = _storagetype(cur, ctx)
        cur.rpar()
        return FieldType(True, st)
    return FieldType(False, _storagetype(cur, ctx))


def parse_functype_body(
    cur: Cursor, ctx: Context | None, names: list[str | None] | None = None
) -> FuncType:
    """``(param ...)* (result ...)*``.  A parameter may be named; when ``names`` is given,
    one entry per parameter (its name or None) is appended to it."""
    params: list[ValType] = []
    results: list[ValType] = []
    while cur.at_paren_kw("param"):
        cur.i += 2
        if cur.kinds[cur.i] == ID:
            name = cur.opt_id()
            params.append(parse_valtype(cur, ctx))
            if names is not None:
                names.append(name)
        else:
            ts = parse_valtypes(cur, ctx)
            params += ts
            if names is not None:
                names += [None] * len(ts)
        cur.rpar()
    while cur.at_paren_kw("result"):
        cur.i += 2
        results += parse_valtypes(cur, ctx)
        cur.rpar()
    return FuncType(tuple(params), tuple(results))


def _struct_fields(cur: Cursor, ctx: Context, type_idx: int) -> StructType:
    fields: list[FieldType] = []
    space = ctx.field_space(type_idx)
    while cur.at_paren_kw("field"):
        cur.i += 2
        if cur.kinds[cur.i] == ID:
            name = cur.opt_id()
            fields.append(parse_fieldtype(cur, ctx))
            space.bind(name)
        else:
            n = 0
            while cur.kinds[cur.i] != RPAR:
                fields.append(parse_fieldtype(cur, ctx))
                n += 1
            space.anon(n)
        cur.rpar()
    return StructType(tuple(fields))


def parse_comptype(cur: Cursor, ctx: Context, type_idx: int) -> CompType:
    cur.lpar()
    kw = cur.any_kw()
    comp: CompType
    if kw == "struct":
        comp = _struct_fields(cur, ctx, type_idx)
    elif kw == "array":
        comp = ArrayType(parse_fieldtype(cur, ctx))
    elif kw == "func":
        comp = parse_functype_body(cur, ctx)
    else:
        cur.unexpected(cur.i - 1)
    cur.rpar()
    return comp


def parse_subtype(cur: Cursor, ctx: Context, type_idx: int) -> SubType:
    """``comptype`` or ``(sub final? idx* comptype)``."""
    if not cur.at_paren_kw("sub"):
        return SubType(parse_comptype(cur, ctx, type_idx))
    cur.i += 2
    final = cur.accept_kw("final")
    supers: list[int] = []
    while cur.kinds[cur.i] in (NAT, ID):
        supers.append(parse_idx(cur, ctx.types))
    comp = parse_comptype(cur, ctx, type_idx)
    cur.rpar()
    return SubType(comp, tuple(supers), final)


def parse_addrtype(cur: Cursor) -> str:
    """``addrtype?``: i32 (the default) or i64 (memory64, table64)."""
    i = cur.i
    if cur.kinds[i] == KW and cur.values[i] in ("i32", "i64", "f32", "f64"):
        cur.i = i + 1
        if cur.values[i] not in ("i32", "i64"):
            cur.fail("malformed address type")
        return cur.values[i]  # type: ignore[return-value]
    return "i32"


def parse_limits(cur: Cursor) -> Limits:
    lo = cur.nat(64)
    hi = cur.nat(64) if cur.kinds[cur.i] == NAT else None
    return Limits(lo, hi)


def parse_tabletype(cur: Cursor, ctx: Context | None, addr: str | None = None) -> TableType:
    if addr is None:
        addr = parse_addrtype(cur)
    limits = parse_limits(cur)
    return TableType(limits, parse_reftype(cur, ctx), addr)


def parse_memorytype(cur: Cursor, addr: str | None = None) -> MemoryType:
    if addr is None:
        addr = parse_addrtype(cur)
    limits = parse_limits(cur)
    shared = cur.accept_kw("shared")
    return MemoryType(limits, shared, addr)
