"""The ``spectest`` host module every spec script may import (the reference's
host/spectest.ml).

The table, table64 and memory are one object each per ``Spectest`` (a script's modules share
them, as in the reference where they are allocated once); globals and functions are made
fresh on every lookup.  The print functions accept their arguments and print nothing by
default, so that a runner's output stays one line per file; pass ``out`` to see them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.runtime.host import host_func
from engine.runtime.instances import FuncInst, GlobalInst, MemoryInst, TableInst
from engine.runtime.values import f32_from_bits
from engine.syntax.types import (
    FUNCREF,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
    ValType,
)

_PRINTS: dict[str, tuple[ValType, ...]] = {
    "print": (),
    "print_i32": ("i32",),
    "print_i64": ("i64",),
    "print_f32": ("f32",),
    "print_f64": ("f64",),
    "print_i32_f32": ("i32", "f32"),
    "print_f64_f64": ("f64", "f64"),
}

# 666.6 rounded to f32, as the reference's F32.of_float does.
_F32_666_6 = f32_from_bits(0x4426A666)

_GLOBALS: dict[str, tuple[ValType, Any]] = {
    "global_i32": ("i32", 666),
    "global_i64": ("i64", 666),
    "global_f32": ("f32", _F32_666_6),
    "global_f64": ("f64", 666.6),
}


def _show(v: Any, t: ValType) -> str:
    # The reference prints integers signed (string_of_value).
    if t == "i32":
        return str(v - (1 << 32) if v >= 1 << 31 else v)
    if t == "i64":
        return str(v - (1 << 64) if v >= 1 << 63 else v)
    return repr(v)


class Spectest:
    def __init__(self, out: Callable[[str], None] | None = None) -> None:
        self.out = out
        self.table = TableInst(TableType(Limits(10, 20), FUNCREF, "i32"), None)
        self.table64 = TableInst(TableType(Limits(10, 20), FUNCREF, "i64"), None)
        self.memory = MemoryInst(MemoryType(Limits(1, 2)))

    def lookup(self, name: str) -> Any:
        if name in _PRINTS:
            return self._print(name, _PRINTS[name])
        if name in _GLOBALS:
            t, v = _GLOBALS[name]
            return GlobalInst(GlobalType(t, False), v)
        if name == "table":
            return self.table
        if name == "table64":
            return self.table64
        if name == "memory":
            return self.memory
        return None

    def _print(self, name: str, params: tuple[ValType, ...]) -> FuncInst:
        out = self.out

        def fn(*args: Any) -> list[Any]:
            if out is not None:
                for t, v in zip(params, args):
                    out(f"{_show(v, t)} : {t}")
            return []

        return host_func(FuncType(params, ()), fn)
