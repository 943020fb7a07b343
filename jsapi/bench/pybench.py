"""The engine alone, driven from Python through engine.api: the `engine.api` column.

Same operations as the JS cases where they apply (the import is a Python host function here),
timed with perf_counter_ns by the same sampler (see sampler.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.api import (
    Func,
    FuncType,
    Global,
    GlobalType,
    Instance,
    Limits,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    ValType,
)
from jsapi.bench import modules
from jsapi.bench.modules import MAX_ARITY, VALUE_TYPES, call_export_name

ARGS: dict[str, Any] = {"i32": 1, "i64": 1, "f32": 1.5, "f64": 1.5, "externref": object()}


@dataclass
class PyCase:
    run: Callable[[int], object]
    prepare: Callable[[], object] | None = None
    max_n: int | None = None
    units: float = 1.0


def _call_loop(store: Store, f: Any, arity: int, a: Any) -> Callable[[int], object]:
    if arity == 0:

        def run0(n: int) -> object:
            for _ in range(n):
                f(store)
            return None

        return run0
    args = (a,) * arity

    def run(n: int) -> object:
        r = None
        for _ in range(n):
            r = f(store, *args)
        return r

    return run


class EngineBench:
    """One store with the bench module instantiated once (its import is a Python function)."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.store = Store()
        engine = self.store.engine
        i32 = ValType.i32()
        self.host = Func(self.store, FuncType([i32], [i32]), lambda x: x)
        module = Module(engine, modules.bench_module())
        self.exports = Instance(self.store, module, [self.host]).exports(self.store)
        self.small = Module(engine, modules.small_module())

    def case(self, case_id: str) -> PyCase | None:
        store, ex = self.store, self.exports
        parts = case_id.split("/")
        if parts[0] == "call":
            arity = 0 if parts[1] == "0" else int(parts[2])
            vt = "i32" if arity == 0 else parts[1]
            return PyCase(_call_loop(store, ex[call_export_name(vt, arity)], arity, ARGS[vt]))
        if parts[0] == "loop":
            f = ex[f"loop_{parts[1]}"]
            return PyCase(lambda n: f(store, n), max_n=1 << 30)
        return self._object_case(case_id)

    def _object_case(self, case_id: str) -> PyCase | None:
        store = self.store
        if case_id == "memory/grow":
            maximum = 64 if self.quick else 512
            holder: list[Memory] = []

            def prepare() -> None:
                holder[:] = [Memory(store, MemoryType(Limits(0, maximum)))]

            def grow(n: int) -> None:
                m = holder[0]
                for _ in range(n):
                    m.grow(store, 1)

            return PyCase(grow, prepare, maximum)
        if case_id in ("table/get", "table/set"):
            fn = self.exports["call_0"]
            table = Table(store, TableType(ValType.funcref(), Limits(4)), fn)
            if case_id == "table/get":
                return PyCase(lambda n: [table.get(store, i & 3) for i in range(n)])
            return PyCase(lambda n: [table.set(store, i & 3, fn) for i in range(n)])
        if case_id in ("global/get", "global/set"):
            g = Global(store, GlobalType(ValType.i32(), True), 5)
            if case_id == "global/get":
                return PyCase(lambda n: [g.value(store) for _ in range(n)])
            return PyCase(lambda n: [g.set_value(store, i) for i in range(n)])
        if case_id == "compile":
            data = modules.sized_module()
            return PyCase(
                lambda n: [Module(store.engine, data) for _ in range(n)], units=len(data) / 1024
            )
        if case_id == "instantiate":
            small, host = self.small, self.host
            return PyCase(lambda n: [Instance(store, small, [host]) for _ in range(n)], max_n=64)
        return None


def engine_case_ids() -> list[str]:
    ids = ["call/0"]
    ids += [f"call/{vt}/{a}" for vt in VALUE_TYPES for a in range(1, MAX_ARITY + 1)]
    ids += ["loop/base", "loop/call", "loop/indirect", "loop/import"]
    ids += ["memory/grow", "table/get", "table/set", "global/get", "global/set"]
    ids += ["compile", "instantiate"]
    return ids
