"""Shared helpers for the execution-tier tests: instantiate WAT and call its exports."""

from __future__ import annotations

from typing import Any

from engine.exec import invoke
from engine.runtime.instances import ModuleInst
from engine.runtime.instantiate import instantiate
from engine.runtime.store import Store
from engine.text import parse_wat
from engine.valid import validate_module


class Wasm:
    """An instance built from WAT, with ``w.call(name, *args)`` returning the result list."""

    def __init__(self, wat: str, externs: list[Any] | None = None, store: Store | None = None):
        self.store = store or Store()
        module = parse_wat(wat)
        info = validate_module(module)
        self.inst: ModuleInst = instantiate(self.store, module, externs or [], info)

    def export(self, name: str) -> Any:
        return self.inst.exports[name].value

    def call(self, name: str, *args: Any) -> list[Any]:
        return invoke(self.store, self.export(name), list(args))

    def one(self, name: str, *args: Any) -> Any:
        (r,) = self.call(name, *args)
        return r
