"""Defined types, their canonical form, and subtyping (spec 2.3.11, 3.2, 3.3).

A ``DefType`` is a type of the process-wide, canonical type space: rec groups are hash-consed on
their *rolled* structural form (intra-group references as relative indices, outer references as
the referenced canonical ``DefType`` objects).  Two modules that define iso-recursively equal
types therefore get the very same Python object, and type equality at run time is ``is``.

A ``DefType``'s ``comp`` is *expanded*: every heap type inside it is an abstract name (``str``) or
a ``DefType``, never an index.  Rec groups may be cyclic, so the objects of a group are created
first and their ``comp`` filled in afterwards.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from engine.errors import InvalidError
from engine.syntax.types import (
    BOT,
    ArrayType,
    CompType,
    FieldType,
    FuncType,
    GlobalType,
    HeapType,
    MemoryType,
    RecType,
    RefType,
    StorageType,
    StructType,
    SubType,
    TableType,
    ValType,
)


class DefType:
    """A canonical defined type: the ``index``-th member of a canonical rec ``group``.

    Compared by identity only (``==`` is ``is``), hashable by identity.
    """

    __slots__ = ("comp", "supers", "final", "kind", "group", "index", "depth", "__weakref__")

    def __init__(self, final: bool, kind: str, index: int) -> None:
        self.comp: Any = None  # FuncType | StructType | ArrayType, filled after creation
        self.supers: tuple[DefType, ...] = ()
        self.final = final
        self.kind = kind  # "func" | "struct" | "array"
        self.group: tuple[DefType, ...] = ()
        self.index = index
        self.depth = 0  # length of the longest declared-supertype chain above this type

    def __repr__(self) -> str:
        return f"DefType({self})"

    def __str__(self) -> str:
        return _str_deftype(self)


@dataclass(frozen=True, slots=True)
class ExternFuncType:
    """The extern type of a function import/export: its canonical defined type."""

    type: DefType


@dataclass(frozen=True, slots=True)
class ExternTagType:
    """The extern type of a tag import/export: its canonical (function) defined type."""

    type: DefType


ResolvedExternType = Any  # ExternFuncType | ExternTagType | TableType | MemoryType | GlobalType


# --- Canonicalisation (spec 3.2.x "rolling", 4.? type equivalence) --------------------------

_groups: dict[tuple[Any, ...], tuple[DefType, ...]] = {}
_lock = threading.Lock()


def canonicalize(types: list[RecType]) -> list[DefType]:
    """The module's type index space, each rec group validated (spec 3.2.9 / valid.ml
    check_rectype) and replaced by its canonical ``DefType`` objects."""
    deftypes: list[DefType] = []
    for rec in types:
        deftypes.extend(canonicalize_group(rec, deftypes))
    return deftypes


def canonicalize_group(rec: RecType, deftypes: list[DefType]) -> tuple[DefType, ...]:
    """Validate one rec group defined after ``deftypes`` and return its canonical types."""
    x = len(deftypes)
    n = len(rec.subtypes)
    key = tuple(_key_subtype(st, x, n, deftypes) for st in rec.subtypes)
    group = _groups.get(key)
    if group is not None:
        return group
    group = _build_group(rec, x, deftypes)
    _check_group(rec, group, x)
    with _lock:
        return _groups.setdefault(key, group)


def _key_heap(h: HeapType, x: int, n: int, deftypes: list[DefType]) -> Any:
    if isinstance(h, int):
        if h < x:
            return deftypes[h]
        if h < x + n:
            return ("rec", h - x)
        raise InvalidError(f"unknown type {h}")
    return h


def _key_val(t: StorageType, x: int, n: int, deftypes: list[DefType]) -> Any:
    if isinstance(t, RefType):
        return (t.nullable, _key_heap(t.heap, x, n, deftypes))
    return t


def _key_subtype(st: SubType, x: int, n: int, deftypes: list[DefType]) -> Any:
    ct = st.comp
    if isinstance(ct, FuncType):
        ck: Any = (
            "func",
            tuple(_key_val(t, x, n, deftypes) for t in ct.params),
            tuple(_key_val(t, x, n, deftypes) for t in ct.results),
        )
    elif isinstance(ct, StructType):
        ck = (
            "struct",
            tuple((f.mutable, _key_val(f.storage, x, n, deftypes)) for f in ct.fields),
        )
    elif isinstance(ct, ArrayType):
        ck = ("array", ct.field.mutable, _key_val(ct.field.storage, x, n, deftypes))
    else:
        raise InvalidError("malformed composite type")
    supers = tuple(_key_heap(s, x, n, deftypes) for s in st.supers)
    return (st.final, supers, ck)


def _build_group(rec: RecType, x: int, deftypes: list[DefType]) -> tuple[DefType, ...]:
    group = tuple(DefType(st.final, _comp_kind(st.comp), i) for i, st in enumerate(rec.subtypes))

    def heap(h: HeapType) -> HeapType:
        if isinstance(h, int):
            return deftypes[h] if h < x else group[h - x]
        return h

    def val(t: Any) -> Any:
        if isinstance(t, RefType) and isinstance(t.heap, int):
            return RefType(t.nullable, heap(t.heap))
        return t

    for d, st in zip(group, rec.subtypes):
        d.group = group
        ct = st.comp
        if isinstance(ct, FuncType):
            d.comp = FuncType(tuple(map(val, ct.params)), tuple(map(val, ct.results)))
        elif isinstance(ct, StructType):
            d.comp = StructType(tuple(FieldType(f.mutable, val(f.storage)) for f in ct.fields))
        else:
            d.comp = ArrayType(FieldType(ct.field.mutable, val(ct.field.storage)))
        d.supers = tuple(heap(s) for s in st.supers)  # type: ignore[misc]
    return group


def _comp_kind(ct: CompType) -> str:
    if isinstance(ct, FuncType):
        return "func"
    if isinstance(ct, StructType):
        return "struct"
    return "array"


def _check_group(rec: RecType, group: tuple[DefType, ...], x: int) -> None:
    # Supertypes must be defined before (spec 3.2.10); once that holds, depths are well defined
    # and the structural checks below may use subtyping inside the group itself.
    for i, st in enumerate(rec.subtypes):
        for s in st.supers:
            if s >= x + i:
                raise InvalidError(f"forward use of type {s} in sub type definition")
    for d in group:
        d.depth = max((s.depth + 1 for s in d.supers), default=0)
    for i, (d, st) in enumerate(zip(group, rec.subtypes)):
        for s, sd in zip(st.supers, d.supers):
            if sd.final:
                raise InvalidError(f"sub type {x + i} has final super type {s}")
            if not match_comptype(d.comp, sd.comp):
                raise InvalidError(f"sub type {x + i} does not match super type {s}")


# --- Resolution of syntax types against a type space ----------------------------------------


def resolve_heap(h: HeapType, deftypes: list[DefType]) -> HeapType:
    if isinstance(h, int):
        if 0 <= h < len(deftypes):
            return deftypes[h]
        raise InvalidError(f"unknown type {h}")
    return h


def resolve_valtype(t: Any, deftypes: list[DefType]) -> Any:
    """Replace an int heap type by its ``DefType`` ("unknown type N" if out of range)."""
    if isinstance(t, RefType) and isinstance(t.heap, int):
        return RefType(t.nullable, resolve_heap(t.heap, deftypes))
    return t


def resolve_globaltype(gt: GlobalType, deftypes: list[DefType]) -> GlobalType:
    t = resolve_valtype(gt.type, deftypes)
    return gt if t is gt.type else GlobalType(t, gt.mutable)


def resolve_tabletype(tt: TableType, deftypes: list[DefType]) -> TableType:
    t = resolve_valtype(tt.elem, deftypes)
    return tt if t is tt.elem else TableType(tt.limits, t, tt.address)


# --- Extremes of the heap type hierarchies --------------------------------------------------

_TOP = {
    "any": "any", "eq": "any", "i31": "any", "struct": "any", "array": "any", "none": "any",
    "func": "func", "nofunc": "func",
    "exn": "exn", "noexn": "exn",
    "extern": "extern", "noextern": "extern",
}  # fmt: skip
_BOTTOM = {top: bot for top, bot in (("any", "none"), ("func", "nofunc"), ("exn", "noexn"),
                                     ("extern", "noextern"))}  # fmt: skip


def top_heap(h: HeapType) -> str:
    """The top of ``h``'s hierarchy: "any", "func", "exn" or "extern"."""
    if isinstance(h, DefType):
        return "func" if h.kind == "func" else "any"
    return _TOP[h]  # type: ignore[index]


def bottom_heap(h: HeapType) -> str:
    """The bottom of ``h``'s hierarchy: "none", "nofunc", "noexn" or "noextern"."""
    return _BOTTOM[top_heap(h)]


# --- Subtyping (spec 3.3) -------------------------------------------------------------------

_ABS_SUPERS: dict[str, frozenset[str]] = {
    "any": frozenset({"any"}),
    "eq": frozenset({"eq", "any"}),
    "i31": frozenset({"i31", "eq", "any"}),
    "struct": frozenset({"struct", "eq", "any"}),
    "array": frozenset({"array", "eq", "any"}),
    "none": frozenset({"none", "i31", "struct", "array", "eq", "any"}),
    "func": frozenset({"func"}),
    "nofunc": frozenset({"nofunc", "func"}),
    "exn": frozenset({"exn"}),
    "noexn": frozenset({"noexn", "exn"}),
    "extern": frozenset({"extern"}),
    "noextern": frozenset({"noextern", "extern"}),
}
_DEF_SUPERS: dict[str, frozenset[str]] = {
    "func": frozenset({"func"}),
    "struct": frozenset({"struct", "eq", "any"}),
    "array": frozenset({"array", "eq", "any"}),
}


def def_subtype(d1: DefType, d2: DefType) -> bool:
    """``d1 <: d2`` by declared supertypes, transitively (spec 3.3.x, match_deftype)."""
    if d1 is d2:
        return True
    if d2.depth >= d1.depth:
        return False
    todo = list(d1.supers)
    while todo:
        d = todo.pop()
        if d is d2:
            return True
        if d.depth > d2.depth:
            todo.extend(d.supers)
    return False


def heap_subtype(h1: HeapType, h2: HeapType, deftypes: list[DefType] | None = None) -> bool:
    if h1 is h2:
        return True
    if deftypes is not None:
        h1 = resolve_heap(h1, deftypes)
        h2 = resolve_heap(h2, deftypes)
    if type(h1) is str:
        if h1 == BOT:
            return True
        if type(h2) is str:
            return h2 in _ABS_SUPERS[h1] if h2 != BOT else False
        if h1 == "none":
            return h2.kind != "func"  # type: ignore[union-attr]
        return h1 == "nofunc" and h2.kind == "func"  # type: ignore[union-attr]
    if type(h2) is str:
        return h2 in _DEF_SUPERS[h1.kind]  # type: ignore[union-attr]
    return def_subtype(h1, h2)  # type: ignore[arg-type]


def match_reftype(t1: RefType, t2: RefType, deftypes: list[DefType] | None = None) -> bool:
    return (t2.nullable or not t1.nullable) and heap_subtype(t1.heap, t2.heap, deftypes)


def match_valtype(t1: ValType, t2: ValType, deftypes: list[DefType] | None = None) -> bool:
    if t1 == t2 or t1 == BOT:
        return True
    if type(t1) is RefType and type(t2) is RefType:
        return match_reftype(t1, t2, deftypes)
    return False


def match_results(ts1: tuple[Any, ...], ts2: tuple[Any, ...]) -> bool:
    return len(ts1) == len(ts2) and all(map(match_valtype, ts1, ts2))


def match_storagetype(s1: StorageType, s2: StorageType) -> bool:
    if s1 == s2:
        return True
    if s1 in ("i8", "i16") or s2 in ("i8", "i16"):
        return False
    return match_valtype(s1, s2)


def match_fieldtype(f1: FieldType, f2: FieldType) -> bool:
    if f1.mutable != f2.mutable or not match_storagetype(f1.storage, f2.storage):
        return False
    return not f1.mutable or match_storagetype(f2.storage, f1.storage)


def match_comptype(c1: CompType, c2: CompType) -> bool:
    """Structural subtyping of expanded composite types (used for declared supertypes)."""
    if isinstance(c1, StructType) and isinstance(c2, StructType):
        n = len(c2.fields)
        return len(c1.fields) >= n and all(map(match_fieldtype, c1.fields[:n], c2.fields))
    if isinstance(c1, ArrayType) and isinstance(c2, ArrayType):
        return match_fieldtype(c1.field, c2.field)
    if isinstance(c1, FuncType) and isinstance(c2, FuncType):
        return match_results(c2.params, c1.params) and match_results(c1.results, c2.results)
    return False


def match_limits(l1: Any, l2: Any) -> bool:
    if l1.min < l2.min:
        return False
    if l2.max is None:
        return True
    return l1.max is not None and l1.max <= l2.max


def match_externtype(actual: ResolvedExternType, expected: ResolvedExternType) -> bool:
    """Import matching (spec 3.3.x / 4.5.x): ``actual`` is what is supplied, ``expected`` the
    import's declared type; both with resolved (canonical) types."""
    if isinstance(expected, ExternFuncType):
        return isinstance(actual, ExternFuncType) and def_subtype(actual.type, expected.type)
    if isinstance(expected, ExternTagType):
        return isinstance(actual, ExternTagType) and actual.type is expected.type
    if isinstance(expected, MemoryType):
        return (
            isinstance(actual, MemoryType)
            and actual.address == expected.address
            and actual.shared == expected.shared
            and match_limits(actual.limits, expected.limits)
        )
    if isinstance(expected, TableType):
        return (
            isinstance(actual, TableType)
            and actual.address == expected.address
            and match_limits(actual.limits, expected.limits)
            and actual.elem == expected.elem
        )
    if isinstance(expected, GlobalType):
        if not isinstance(actual, GlobalType) or actual.mutable != expected.mutable:
            return False
        if not match_valtype(actual.type, expected.type):
            return False
        return not actual.mutable or match_valtype(expected.type, actual.type)
    return False


# --- Printing (error messages, the reference's types.ml string_of_* functions) -------------
#
# A defined type prints as its rolled form: references to members of its own rec group are
# "rec.i", references to other defined types print those types in full, in parentheses.


def str_valtype(t: Any) -> str:
    if isinstance(t, RefType):
        return f"(ref {'null ' if t.nullable else ''}{_str_heap(t.heap, None)})"
    return str(t)


def str_results(ts: Any) -> str:
    return "[" + " ".join(str_valtype(t) for t in ts) + "]"


def _str_heap(h: Any, group: Any) -> str:
    if isinstance(h, DefType):
        if group is not None and h.group is group:
            return f"rec.{h.index}"
        return f"({_str_deftype(h)})"
    if h == BOT:
        return "something"
    return str(h)


def _str_storage(s: Any, group: Any) -> str:
    if isinstance(s, RefType):
        return f"(ref {'null ' if s.nullable else ''}{_str_heap(s.heap, group)})"
    return str(s)


def _str_field(f: FieldType, group: Any = None) -> str:
    s = _str_storage(f.storage, group)
    return f"(mut {s})" if f.mutable else s


def _str_comp(c: Any, group: Any) -> str:
    if isinstance(c, FuncType):
        ps = " ".join(_str_storage(t, group) for t in c.params)
        rs = " ".join(_str_storage(t, group) for t in c.results)
        return f"func [{ps}] -> [{rs}]"
    if isinstance(c, StructType):
        return " ".join(["struct"] + [f"(field {_str_field(f, group)})" for f in c.fields])
    if isinstance(c, ArrayType):
        return f"array {_str_field(c.field, group)}"
    return "?"


def _str_subtype(d: DefType, group: Any) -> str:
    body = _str_comp(d.comp, group)
    if d.final and not d.supers:
        return body
    head = " ".join([f"sub{' final' if d.final else ''}"] + [_str_heap(s, group) for s in d.supers])
    return f"{head} ({body})"


def _str_deftype(d: DefType) -> str:
    group = d.group
    if len(group) == 1:
        return _str_subtype(d, group)
    members = " ".join(f"({_str_subtype(m, group)})" for m in group)
    return f"(rec {members}).{d.index}"
