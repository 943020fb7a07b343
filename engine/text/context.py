"""Identifier contexts (spec 6.4.1 - 6.4.2): the index spaces of a module being parsed.

Names are bound in a first pass over the module fields, in source order, so that fields can
refer forward, as in the reference parser.  Label and local contexts live per function.
"""

from __future__ import annotations

from engine.errors import MalformedError
from engine.syntax.types import FuncType, RecType, SubType


def _print(name: str) -> str:
    plain = all(c.isprintable() and c not in ' "()' for c in name)
    return "$" + name if plain else '$"' + name + '"'


class Space:
    """One index space: a count and the names bound in it."""

    __slots__ = ("category", "names", "count", "lenient")

    def __init__(self, category: str, lenient: bool = False) -> None:
        self.category = category
        self.names: dict[str, int] = {}
        self.count = 0
        self.lenient = lenient

    def bind(self, name: str | None) -> int:
        i = self.count
        if name is not None:
            if name in self.names and not self.lenient:
                raise MalformedError(f"duplicate {self.category} {_print(name)}", -1)
            self.names[name] = i
        if i >= 0xFFFFFFFF and not self.lenient:
            raise MalformedError(f"too many {self.category} bindings", -1)
        self.count = i + 1
        return i

    def anon(self, n: int = 1) -> int:
        i = self.count
        self.count = i + n
        if self.count > 0xFFFFFFFF and not self.lenient:
            raise MalformedError(f"too many {self.category} bindings", -1)
        return i

    def lookup(self, name: str) -> int:
        try:
            return self.names[name]
        except KeyError:
            if self.lenient:
                return 0
            raise MalformedError(f"unknown {self.category} {_print(name)}", -1) from None


class Context:
    """The index spaces of one module, and its type definitions as they are resolved."""

    def __init__(self, lenient: bool = False) -> None:
        # A lenient context reports no error that the reference raises only after parsing
        # (unknown or duplicate names, type mismatches, out-of-range constants), so that a
        # lenient pass finds the syntax errors, which the reference reports first.
        self.lenient = lenient
        self.types = Space("type", lenient)
        self.funcs = Space("function", lenient)
        self.tables = Space("table", lenient)
        self.memories = Space("memory", lenient)
        self.globals = Space("global", lenient)
        self.tags = Space("tag", lenient)
        self.elems = Space("elem segment", lenient)
        self.datas = Space("data segment", lenient)
        self.fields: dict[int, Space] = {}  # per type index, its field names
        self.rec_types: list[RecType] = []
        self.subtypes: list[SubType | None] = []  # per type index, once defined
        self.inline: dict[FuncType, int] = {}  # final singleton function types, first index

    def bind_type(self, name: str | None) -> int:
        i = self.types.bind(name)
        # The reference's category string is "field " (with a space): its message has two.
        self.fields[i] = Space("field ", self.lenient)
        return i

    def define_group(self, group: RecType, first: int) -> None:
        self.rec_types.append(group)
        for k, st in enumerate(group.subtypes):
            idx = first + k
            while len(self.subtypes) <= idx:
                self.subtypes.append(None)
            self.subtypes[idx] = st
            if len(group.subtypes) == 1 and st.final and not st.supers:
                if isinstance(st.comp, FuncType) and st.comp not in self.inline:
                    self.inline[st.comp] = idx

    def inline_functype(self, ft: FuncType) -> int:
        """The index of ``ft`` as an implicit type: an existing identical singleton type, or a
        new one appended to the type section (spec 6.6.2, "type uses")."""
        i = self.inline.get(ft)
        if i is not None:
            return i
        i = self.bind_type(None)
        self.define_group(RecType((SubType(ft),)), i)
        return i

    def func_type(self, idx: int) -> FuncType:
        st = self.subtypes[idx] if idx < len(self.subtypes) else None
        if self.lenient and (st is None or not isinstance(st.comp, FuncType)):
            return FuncType()
        if st is None:
            raise MalformedError(f"unknown type {idx}", -1)
        if not isinstance(st.comp, FuncType):
            raise MalformedError(f"non-function type {idx}", -1)
        return st.comp

    def field_space(self, type_idx: int) -> Space:
        space = self.fields.get(type_idx)
        if space is None and self.lenient:
            return Space("field ", True)
        if space is None:
            raise MalformedError(f"unknown type {type_idx}", -1)
        return space


class FuncContext:
    """Locals and labels of one function body.  Labels are a stack, innermost last."""

    __slots__ = ("locals", "labels", "deferred", "lenient")

    def __init__(self, lenient: bool = False) -> None:
        self.locals = Space("local", lenient)
        self.labels: list[str | None] = []
        self.deferred = 0  # unnamed locals whose indices wait on the parameter count
        self.lenient = lenient

    def label(self, name: str) -> int:
        labels = self.labels
        for depth in range(len(labels) - 1, -1, -1):
            if labels[depth] == name:
                return len(labels) - 1 - depth
        if self.lenient:
            return 0
        # The reference's category string is "label " (with a space): its message has two.
        raise MalformedError(f"unknown label  {_print(name)}", -1)
