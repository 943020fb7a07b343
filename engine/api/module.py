"""Compiled modules, instances and the linker of the embedding API."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from engine.api.objects import Func, Store, unwrap_extern, wrap_extern
from engine.api.types import FuncType, GlobalType, MemoryType, TableType, TagType
from engine.errors import CompileError, LinkError
from engine.runtime.instances import ModuleInst
from engine.runtime.instantiate import instantiate, resolve_import_type, validate
from engine.runtime.link import Registry
from engine.syntax import ast as A
from engine.syntax import types as T


class ImportType(NamedTuple):
    module: str
    name: str
    type: Any


class ExportType(NamedTuple):
    name: str
    type: Any


def _api_type(t: Any) -> Any:
    """An API type object for a resolved extern type."""
    if isinstance(t, T.TableType):
        return TableType._from_raw(t)
    if isinstance(t, T.MemoryType):
        return MemoryType._from_raw(t)
    if isinstance(t, T.GlobalType):
        return GlobalType._from_raw(t)
    return FuncType._from_deftype(t)


def _parse(source: bytes | bytearray | str) -> A.Module:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if data[:4] == b"\0asm":
            from engine.binary import decode_module

            return decode_module(data)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            from engine.errors import MalformedError

            raise MalformedError("magic header not detected", 0) from None
    from engine.text import parse_wat

    return parse_wat(source)


class Module:
    """A compiled (decoded or parsed, and validated) module.

    ``Module(source)`` takes a binary (bytes) or text (str, or bytes not starting with the
    binary magic).  ``Module(engine, source)`` is accepted too, for wasmtime-py
    compatibility.  Raises CompileError (MalformedError / InvalidError).
    """

    def __init__(self, *args: Any) -> None:
        if len(args) == 2:
            args = args[1:]
        if len(args) != 1:
            raise TypeError("Module(source) takes the module's bytes or text")
        self._module = _parse(args[0])
        self._info = validate(self._module)

    @classmethod
    def from_file(cls, path: str) -> Module:
        with open(path, "rb") as f:
            return cls(f.read())

    @staticmethod
    def validate(source: bytes | str) -> None:
        """Raise CompileError unless ``source`` is a valid module."""
        validate(_parse(source))

    @property
    def imports(self) -> list[ImportType]:
        types = self._info.types
        return [
            ImportType(im.module, im.name, self._import_type(im.desc, types))
            for im in self._module.imports
        ]

    @staticmethod
    def _import_type(desc: Any, types: list[Any]) -> Any:
        t = resolve_import_type(desc, types)
        if isinstance(desc, T.TagType):
            return TagType(FuncType._from_deftype(t))
        return _api_type(t)

    @property
    def exports(self) -> list[ExportType]:
        m = self._module
        types = self._info.types
        spaces: dict[str, list[Any]] = {k: [] for k in T.EXTERN_KINDS}
        for im in m.imports:
            d = im.desc
            kind = _kind_of(d)
            spaces[kind].append(self._import_type(d, types))
        for f in m.funcs:
            spaces["func"].append(FuncType._from_deftype(types[f.type_index]))
        for t in m.tables:
            spaces["table"].append(_api_type(resolve_import_type(t.type, types)))
        for mt in m.memories:
            spaces["memory"].append(MemoryType._from_raw(mt))
        for g in m.globals:
            spaces["global"].append(_api_type(resolve_import_type(g.type, types)))
        for tg in m.tags:
            spaces["tag"].append(TagType(FuncType._from_deftype(types[tg.type_index])))
        return [ExportType(ex.name, spaces[ex.kind][ex.index]) for ex in m.exports]

    def custom_sections(self, name: str) -> list[bytes]:
        return [c.data for c in self._module.customs if c.name == name]


def _kind_of(desc: Any) -> str:
    for kind, cls in A._KIND_CLASSES.items():
        if isinstance(desc, cls):
            return kind
    raise TypeError(desc)


class InstanceExports(Mapping[str, Any]):
    """An instance's exports by name (or by position, in export order)."""

    def __init__(self, inst: ModuleInst) -> None:
        self._inst = inst
        self._names = list(inst.exports)

    def __getitem__(self, key: str | int) -> Any:  # type: ignore[override]
        if isinstance(key, int):
            key = self._names[key]
        return wrap_extern(self._inst.exports[key].value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class Instance:
    """``Instance(store, module, imports)``: instantiate with one extern per import, in order.

    Raises LinkError on a mismatch, Trap if a segment is out of bounds or the start function
    traps, WasmException if it throws.
    """

    def __init__(self, store: Store, module: Module, imports: list[Any]) -> None:
        externs = [unwrap_extern(x) for x in imports]
        self._inst = instantiate(store._store, module._module, externs, module._info)

    @classmethod
    def _wrap(cls, inst: ModuleInst) -> Instance:
        obj = cls.__new__(cls)
        obj._inst = inst
        return obj

    def exports(self, store: Store | None = None) -> InstanceExports:
        return InstanceExports(self._inst)


class Linker:
    """Resolves imports by (module, name) from definitions.

    Methods take the store optionally as the first argument (wasmtime-py passes it).
    """

    def __init__(self, store: Store | None = None) -> None:
        self._store = store
        self._defs: dict[str, dict[str, Any]] = {}
        self.allow_shadowing = False

    def _put(self, module: str, name: str, ext: Any) -> None:
        names = self._defs.setdefault(module, {})
        if name in names and not self.allow_shadowing:
            raise LinkError(f'import of "{module}"."{name}" defined twice')
        names[name] = ext

    def define(self, *args: Any) -> None:
        """``define([store,] module, name, item)``."""
        if args and isinstance(args[0], Store):
            args = args[1:]
        module, name, item = args
        self._put(module, name, unwrap_extern(item))

    def define_func(self, module: str, name: str, ty: FuncType, fn: Any) -> None:
        if self._store is None:
            raise LinkError("define_func needs a Linker made with a store")
        self._put(module, name, Func(self._store, ty, fn)._inst)

    def define_instance(self, *args: Any) -> None:
        """``define_instance([store,] name, instance)``: every export under ``name``."""
        if args and isinstance(args[0], Store):
            args = args[1:]
        name, instance = args
        for ex_name, ex in instance._inst.exports.items():
            self._put(name, ex_name, ex.value)

    def define_module(self, *args: Any) -> None:
        """``define_module([store,] name, module)``: instantiate ``module`` with this
        linker, then define its exports under ``name``."""
        store = self._store
        if args and isinstance(args[0], Store):
            store, args = args[0], args[1:]
        name, module = args
        self.define_instance(name, self.instantiate(store, module))

    def instantiate(self, *args: Any) -> Instance:
        """``instantiate([store,] module)``."""
        store = self._store
        if args and isinstance(args[0], Store):
            store, args = args[0], args[1:]
        (module,) = args
        if store is None:
            raise LinkError("no store to instantiate in")
        reg = Registry()
        for mod, names in self._defs.items():
            reg.register_externs(mod, names)
        externs = reg.resolve(module._module.imports)
        inst = instantiate(store._store, module._module, externs, module._info)
        return Instance._wrap(inst)


__all__ = ["CompileError", "ExportType", "ImportType", "Instance", "Linker", "Module"]
