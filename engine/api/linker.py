"""The linker: resolves a module's imports by (module, name) from named definitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api.module import Instance, Module, instantiate_in
from engine.api.objects import Func, unwrap_extern, wrap_extern
from engine.api.store import Engine, Store
from engine.api.types import FuncType
from engine.errors import LinkError
from engine.runtime.link import unknown_import


def _split_store(args: tuple[Any, ...], n: int) -> tuple[Store | None, tuple[Any, ...]]:
    # wasmtime-py passes the store first to most Linker methods; here it is optional.
    if len(args) == n + 1:
        store = args[0]
        if store is not None and not isinstance(store, Store):
            raise TypeError(f"expected a Store, got {type(store).__name__}")
        return store, args[1:]
    if len(args) != n:
        raise TypeError(f"expected {n} arguments (after an optional store), got {len(args)}")
    return None, args


class Linker:
    """Definitions by (module, name), and instantiation of modules against them.

    ``Linker()``, ``Linker(engine)`` or ``Linker(store)``; methods take the store as an
    optional first argument, as wasmtime-py's do.  Defining a name twice raises LinkError
    unless ``allow_shadowing`` is set, in which case the later definition wins.
    """

    def __init__(self, owner: Engine | Store | None = None) -> None:
        self._store = owner if isinstance(owner, Store) else None
        self._defs: dict[str, dict[str, Any]] = {}
        self.allow_shadowing = False

    def _put(self, module: str, name: str, ext: Any) -> None:
        names = self._defs.setdefault(module, {})
        if name in names and not self.allow_shadowing:
            raise LinkError(f'import of "{module}"."{name}" defined twice')
        names[name] = ext

    def _need_store(self, store: Store | None) -> Store:
        s = store if store is not None else self._store
        if s is None:
            raise LinkError("no store: pass one, or make the Linker with a store")
        return s

    def define(self, *args: Any) -> None:
        """``define([store,] module, name, item)``: ``item`` is a Func, Memory, Table,
        Global or Tag."""
        _, (module, name, item) = _split_store(args, 3)
        self._put(module, name, unwrap_extern(item))

    def define_func(
        self,
        module: str,
        name: str,
        ty: FuncType,
        fn: Callable[..., Any],
        access_caller: bool = False,
    ) -> None:
        """Define a host function from a Python callable (see ``Func``)."""
        self._put(module, name, Func(self._store, ty, fn, access_caller)._inst)

    def define_instance(self, *args: Any) -> None:
        """``define_instance([store,] name, instance)``: every export of ``instance`` under
        the module name ``name``."""
        _, (name, instance) = _split_store(args, 2)
        if not isinstance(instance, Instance):
            raise TypeError(f"expected an Instance, got {type(instance).__name__}")
        for ex_name, ex in instance._inst.exports.items():
            self._put(name, ex_name, ex.value)

    def define_module(self, *args: Any) -> Instance:
        """``define_module([store,] name, module)``: instantiate ``module`` with this
        linker, define its exports under ``name``, and return the instance."""
        store, (name, module) = _split_store(args, 2)
        inst = self.instantiate(self._need_store(store), module)
        self.define_instance(name, inst)
        return inst

    def get(self, *args: Any) -> Any:
        """``get([store,] module, name)``: the definition, or LinkError "unknown import"."""
        _, (module, name) = _split_store(args, 2)
        ext = self._defs.get(module, {}).get(name)
        if ext is None:
            raise unknown_import(module, name)
        return wrap_extern(ext)

    def instantiate(self, *args: Any) -> Instance:
        """``instantiate([store,] module)``.  LinkError names the first import that has no
        definition, or whose definition does not match."""
        store, (module,) = _split_store(args, 1)
        if not isinstance(module, Module):
            raise TypeError(f"expected a Module, got {type(module).__name__}")
        externs = []
        for im in module._module.imports:
            ext = self._defs.get(im.module, {}).get(im.name)
            if ext is None:
                raise unknown_import(im.module, im.name)
            externs.append(ext)
        return Instance._wrap(instantiate_in(self._need_store(store), module, externs))


__all__ = ["Linker"]
