"""Import matching (spec 3.5 "import subtyping", 4.5.4 step 4) and the name registry.

An *extern* at run time is the store object itself: a ``FuncInst``, ``TableInst``,
``MemoryInst``, ``GlobalInst`` or ``TagInst``.  Its extern type is derived from its current
state (a table's or memory's current size is its minimum), as the reference's
``externtype_of`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.errors import LinkError
from engine.runtime.instances import (
    FuncInst,
    GlobalInst,
    MemoryInst,
    ModuleInst,
    TableInst,
    TagInst,
)
from engine.syntax.types import GlobalType, Limits, MemoryType, TableType, TagType

Extern = FuncInst | TableInst | MemoryInst | GlobalInst | TagInst

_KIND_OF = {
    FuncInst: "func",
    TableInst: "table",
    MemoryInst: "memory",
    GlobalInst: "global",
    TagInst: "tag",
}


def extern_kind(ext: Any) -> str | None:
    return _KIND_OF.get(type(ext))


def _match() -> Any:
    from engine.valid import match

    return match


def extern_type_of(ext: Any) -> Any:
    """The extern type of a store object: a DefType for functions and tags, otherwise a
    Table/Memory/GlobalType with the current size as minimum."""
    if isinstance(ext, (FuncInst, TagInst)):
        return ext.type
    if isinstance(ext, TableInst):
        t = ext.type
        return TableType(Limits(len(ext.elements), t.limits.max), t.elem, t.address)
    if isinstance(ext, MemoryInst):
        t = ext.type
        return MemoryType(Limits(ext.pages, t.limits.max), t.shared, t.address)
    if isinstance(ext, GlobalInst):
        return ext.type
    raise TypeError(f"not an extern: {ext!r}")


def match_limits(actual: Limits, expected: Limits) -> bool:
    if actual.min < expected.min:
        return False
    if expected.max is None:
        return True
    return actual.max is not None and actual.max <= expected.max


def _equal_valtypes(t1: Any, t2: Any) -> bool:
    m = _match()
    return bool(m.match_valtype(t1, t2) and m.match_valtype(t2, t1))


def match_extern(ext: Any, expected: Any) -> bool:
    """Does store object ``ext`` match the resolved import type ``expected``?

    ``expected`` is a DefType for functions, a TagType/DefType for tags, or a resolved
    Table/Memory/GlobalType (heap type indices replaced by DefTypes).
    """
    if isinstance(ext, FuncInst):
        if isinstance(expected, (TableType, MemoryType, GlobalType, TagType)):
            return False
        return ext.type is expected or bool(_match().def_subtype(ext.type, expected))
    if isinstance(ext, TagInst):
        # Tag types match only when equivalent; canonical types make that identity.
        return not isinstance(expected, (TableType, MemoryType, GlobalType)) and (
            ext.type is expected
        )
    if isinstance(ext, TableInst):
        if not isinstance(expected, TableType):
            return False
        actual = extern_type_of(ext)
        return (
            actual.address == expected.address
            and match_limits(actual.limits, expected.limits)
            and _equal_valtypes(actual.elem, expected.elem)
        )
    if isinstance(ext, MemoryInst):
        if not isinstance(expected, MemoryType):
            return False
        actual = extern_type_of(ext)
        return (
            actual.address == expected.address
            and actual.shared == expected.shared
            and match_limits(actual.limits, expected.limits)
        )
    if isinstance(ext, GlobalInst):
        if not isinstance(expected, GlobalType):
            return False
        actual = ext.type
        if actual.mutable != expected.mutable:
            return False
        if actual.mutable:
            return _equal_valtypes(actual.type, expected.type)
        return bool(_match().match_valtype(actual.type, expected.type))
    return False


def string_of_externtype(t: Any) -> str:
    """The reference's rendering of an extern type, for link error messages."""
    if isinstance(t, TableType):
        return f"table {_limits(t.limits, t.address)} {t.elem}"
    if isinstance(t, MemoryType):
        shared = " shared" if t.shared else ""
        return f"memory {_limits(t.limits, t.address)}{shared}"
    if isinstance(t, GlobalType):
        return f"global (mut {t.type})" if t.mutable else f"global {t.type}"
    if isinstance(t, TagType):
        return f"tag {t.type_index}"
    return f"func {t}"


def _limits(lim: Limits, address: str) -> str:
    at = "i64 " if address == "i64" else ""
    return f"{at}{lim.min}" + (f" {lim.max}" if lim.max is not None else "")


def incompatible(module: str, name: str, expected: Any, ext: Any) -> LinkError:
    kind = extern_kind(ext) or "?"
    got = string_of_externtype(extern_type_of(ext)).split(" ", 1)[-1]
    return LinkError(
        f'incompatible import type for "{module}" "{name}": '
        f"expected {string_of_externtype(expected)}, got {kind} {got}"
    )


def unknown_import(module: str, name: str) -> LinkError:
    return LinkError(f'unknown import "{module}"."{name}"')


# --- The registry of named instances (the script's `register`, a Linker's definitions) ----

Lookup = Callable[[str], Any]


class Registry:
    """Module names mapped to lookups ``name -> extern | None``."""

    def __init__(self) -> None:
        self._modules: dict[str, Lookup] = {}

    def register_lookup(self, module: str, lookup: Lookup) -> None:
        self._modules[module] = lookup

    def register_instance(self, module: str, inst: ModuleInst) -> None:
        exports = inst.exports

        def lookup(name: str) -> Any:
            ex = exports.get(name)
            return ex.value if ex is not None else None

        self._modules[module] = lookup

    def register_externs(self, module: str, externs: dict[str, Any]) -> None:
        self._modules[module] = externs.get

    def lookup(self, module: str, name: str) -> Any:
        f = self._modules.get(module)
        return f(name) if f is not None else None

    def resolve(self, imports: list[Any]) -> list[Any]:
        """Find an extern for every ``engine.syntax.ast.Import``; LinkError "unknown import"
        for the first one that has none."""
        out = []
        for im in imports:
            ext = self.lookup(im.module, im.name)
            if ext is None:
                raise unknown_import(im.module, im.name)
            out.append(ext)
        return out
