"""Store objects made by the embedder rather than by a module: host functions, and tables,
memories, globals and tags created from a type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.runtime.instances import FuncInst, GlobalInst, MemoryInst, TableInst, TagInst
from engine.syntax.types import (
    FuncType,
    GlobalType,
    MemoryType,
    RecType,
    SubType,
    TableType,
)


def func_deftype(ft: FuncType) -> Any:
    """The canonical defined type of a plain (final, no supertypes) function type.

    Value types inside ``ft`` must not use type indices (only abstract heap types or
    DefTypes), since there is no module to resolve them in.
    """
    from engine.valid.match import canonicalize

    return canonicalize([RecType((SubType(ft, (), True),))])[0]


def host_func(ft: FuncType | Any, fn: Callable[..., Any]) -> FuncInst:
    """A host function: ``fn(*args)`` receives runtime values and returns a sequence of
    runtime results (one per result type)."""
    dt = func_deftype(ft) if isinstance(ft, FuncType) else ft
    return FuncInst(dt, host=fn)


def new_table(tt: TableType, init: Any = None) -> TableInst:
    return TableInst(tt, init)


def new_memory(mt: MemoryType) -> MemoryInst:
    return MemoryInst(mt)


def new_global(gt: GlobalType, value: Any) -> GlobalInst:
    return GlobalInst(gt, value)


def new_tag(ft: FuncType | Any) -> TagInst:
    return TagInst(func_deftype(ft) if isinstance(ft, FuncType) else ft)
