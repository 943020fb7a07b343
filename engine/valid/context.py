"""The validation context C (spec 3.1.1), with cached resolution of syntax types.

Index spaces hold *resolved* types: every heap type index is replaced by its canonical
``DefType``, so the body checker compares types by identity or ``match_valtype`` directly.
"""

from __future__ import annotations

from typing import Any

from engine.errors import InvalidError
from engine.syntax.types import (
    ArrayType,
    FuncType,
    GlobalType,
    MemoryType,
    RefType,
    StructType,
    TableType,
)
from engine.valid.match import DefType


class Context:
    __slots__ = (
        "types",
        "funcs",
        "tables",
        "memories",
        "globals",
        "tags",
        "elems",
        "ndatas",
        "refs",
        "_val_cache",
        "_bt_cache",
        "_ref_cache",
    )

    def __init__(self, types: list[DefType]) -> None:
        self.types = types
        self.funcs: list[DefType] = []
        self.tables: list[TableType] = []
        self.memories: list[MemoryType] = []
        self.globals: list[GlobalType] = []
        self.tags: list[DefType] = []
        self.elems: list[RefType] = []
        self.ndatas = 0
        self.refs: set[int] = set()
        self._val_cache: dict[Any, Any] = {}
        self._bt_cache: dict[Any, tuple[tuple[Any, ...], tuple[Any, ...]]] = {}
        self._ref_cache: dict[tuple[int, bool], RefType] = {}

    # -- lookups with the reference's "unknown ..." messages --------------------------------

    def type_(self, x: int, at: int = -1) -> DefType:
        if 0 <= x < len(self.types):
            return self.types[x]
        raise InvalidError(f"unknown type {x}", at)

    def func_type(self, x: int, at: int = -1) -> FuncType:
        c = self.type_(x, at).comp
        if type(c) is not FuncType:
            raise InvalidError(f"non-function type {x}", at)
        return c

    def struct_type(self, x: int, at: int = -1) -> StructType:
        c = self.type_(x, at).comp
        if type(c) is not StructType:
            raise InvalidError(f"non-structure type {x}", at)
        return c

    def array_type(self, x: int, at: int = -1) -> ArrayType:
        c = self.type_(x, at).comp
        if type(c) is not ArrayType:
            raise InvalidError(f"non-array type {x}", at)
        return c

    def func(self, x: int, at: int = -1) -> DefType:
        if 0 <= x < len(self.funcs):
            return self.funcs[x]
        raise InvalidError(f"unknown function {x}", at)

    def table(self, x: int, at: int = -1) -> TableType:
        if 0 <= x < len(self.tables):
            return self.tables[x]
        raise InvalidError(f"unknown table {x}", at)

    def memory(self, x: int, at: int = -1) -> MemoryType:
        if 0 <= x < len(self.memories):
            return self.memories[x]
        raise InvalidError(f"unknown memory {x}", at)

    def global_(self, x: int, at: int = -1) -> GlobalType:
        if 0 <= x < len(self.globals):
            return self.globals[x]
        raise InvalidError(f"unknown global {x}", at)

    def tag(self, x: int, at: int = -1) -> DefType:
        if 0 <= x < len(self.tags):
            return self.tags[x]
        raise InvalidError(f"unknown tag {x}", at)

    def elem(self, x: int, at: int = -1) -> RefType:
        if 0 <= x < len(self.elems):
            return self.elems[x]
        raise InvalidError(f"unknown elem segment {x}", at)

    def data(self, x: int, at: int = -1) -> None:
        if not 0 <= x < self.ndatas:
            raise InvalidError(f"unknown data segment {x}", at)

    # -- resolution of syntax types ---------------------------------------------------------

    def val(self, t: Any, at: int = -1) -> Any:
        """A syntax value type with its heap index resolved ("unknown type N")."""
        if type(t) is not RefType:
            return t
        r = self._val_cache.get(t)
        if r is None:
            h = t.heap
            if isinstance(h, int):
                r = RefType(t.nullable, self.type_(h, at))
            elif isinstance(h, str) or isinstance(h, DefType):
                r = t
            else:
                raise InvalidError("malformed heap type", at)
            self._val_cache[t] = r
        return r

    def heap(self, h: Any, at: int = -1) -> Any:
        if isinstance(h, int):
            return self.type_(h, at)
        return h

    def ref_to(self, x: int, nullable: bool, at: int = -1) -> RefType:
        """``(ref null? $x)`` for a type index, cached."""
        key = (x, nullable)
        r = self._ref_cache.get(key)
        if r is None:
            r = RefType(nullable, self.type_(x, at))
            self._ref_cache[key] = r
        return r

    def blocktype(self, bt: Any, at: int = -1) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """A block type as (params, results) (spec 3.2.2)."""
        r = self._bt_cache.get(bt)
        if r is None:
            if bt is None:
                r = ((), ())
            elif isinstance(bt, int) and not isinstance(bt, bool):
                ft = self.func_type(bt, at)
                r = (ft.params, ft.results)
            else:
                r = ((), (self.val(bt, at),))
            self._bt_cache[bt] = r
        return r
