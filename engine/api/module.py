"""Compiled modules and instances of the embedding API."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from engine import errors
from engine.api.objects import WasmException, wrap_extern
from engine.api.store import Engine, Store
from engine.api.types import FuncType, GlobalType, MemoryType, TableType, TagType
from engine.errors import CompileError
from engine.runtime.instances import ModuleInst
from engine.runtime.instantiate import instantiate, resolve_import_type, validate
from engine.syntax import ast as A
from engine.syntax import types as T


class ImportType(NamedTuple):
    """One import of a module: ``module``, ``name`` and the extern ``type`` it expects
    (FuncType, TableType, MemoryType, GlobalType or TagType)."""

    module: str
    name: str
    type: Any


class ExportType(NamedTuple):
    """One export of a module: its ``name`` and extern ``type``."""

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


def _parse(source: bytes | bytearray | memoryview | str) -> A.Module:
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
    if not isinstance(source, str):
        raise TypeError(f"expected bytes or str, got {type(source).__name__}")
    from engine.text import parse_wat

    return parse_wat(source)


def wat2wasm(text: str | bytes) -> bytes:
    """The binary encoding of a module given in the text format (CompileError if it does not
    parse).  The name section is not carried over."""
    from engine.binary import encode_module

    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    return encode_module(_parse(text))


def _source_arg(args: tuple[Any, ...], what: str) -> Any:
    # wasmtime-py passes an Engine first; a Store or None is accepted in its place.
    if len(args) == 2 and (args[0] is None or isinstance(args[0], (Engine, Store))):
        args = args[1:]
    if len(args) != 1:
        raise TypeError(f"{what} takes the module's bytes or text, optionally after an engine")
    return args[0]


class Module:
    """A compiled (decoded or parsed, and validated) module.

    ``Module(source)`` or ``Module(engine, source)``: ``source`` is a binary (bytes) or the
    text format (str, or bytes not starting with the binary magic).  Raises CompileError
    (MalformedError / InvalidError, with ``offset``, the byte offset in a binary).  A module
    can be instantiated any number of times, in any store.
    """

    def __init__(self, *args: Any) -> None:
        self._module = _parse(_source_arg(args, "Module()"))
        self._info = validate(self._module)

    @classmethod
    def from_file(cls, *args: Any) -> Module:
        """``Module.from_file([engine,] path)``: a ``.wasm`` binary or a ``.wat`` text file."""
        path = _source_arg(args, "Module.from_file()")
        with open(os.fspath(path), "rb") as f:
            return cls(f.read())

    @staticmethod
    def validate(*args: Any) -> None:
        """``Module.validate([engine,] source)``: raise CompileError unless ``source`` is a
        valid module."""
        validate(_parse(_source_arg(args, "Module.validate()")))

    @property
    def name(self) -> str | None:
        """The module's name from the name section (``(module $name ...)`` in text)."""
        return self._module.names.module

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
            spaces[_kind_of(im.desc)].append(self._import_type(im.desc, types))
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
        """The payloads of the custom sections called ``name``, in order."""
        return [c.data for c in self._module.customs if c.name == name]

    def __repr__(self) -> str:
        label = f" ${self.name}" if self.name else ""
        return f"<Module{label}: {len(self._module.imports)} imports, {len(self._module.exports)} exports>"  # noqa: E501


def _kind_of(desc: Any) -> str:
    for kind, cls in A._KIND_CLASSES.items():
        if isinstance(desc, cls):
            return kind
    raise TypeError(desc)


class InstanceExports(Mapping[str, Any]):
    """An instance's exports by name (``ex["add"]``) or by position in export order
    (``ex[0]``, ``ex.by_index``)."""

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

    @property
    def by_index(self) -> list[Any]:
        return [self[i] for i in range(len(self._names))]


def instantiate_in(store: Store, module: Module, externs: list[Any]) -> ModuleInst:
    """Instantiate with runtime externs; an uncaught wasm exception from the start function
    surfaces as the API's WasmException."""
    if not isinstance(store, Store):
        raise TypeError(f"expected a Store, got {type(store).__name__}")
    if not isinstance(module, Module):
        raise TypeError(f"expected a Module, got {type(module).__name__}")
    try:
        inst = instantiate(store._store, module._module, externs, module._info)
    except errors.WasmException as e:
        if type(e) is errors.WasmException:
            raise WasmException(e.exn) from None
        raise
    return inst


class Instance:
    """``Instance(store, module, imports)``: instantiate with one extern per import, in
    import order (``Func``, ``Memory``, ``Table``, ``Global`` or ``Tag``).

    Raises LinkError on a missing or mismatched import, Trap if a segment is out of bounds or
    the start function traps, WasmException if it throws.
    """

    def __init__(self, store: Store, module: Module, imports: Sequence[Any]) -> None:
        from engine.api.objects import unwrap_extern

        externs = [unwrap_extern(x) for x in imports]
        self._inst = instantiate_in(store, module, externs)

    @classmethod
    def _wrap(cls, inst: ModuleInst) -> Instance:
        obj = cls.__new__(cls)
        obj._inst = inst
        return obj

    def exports(self, store: Any = None) -> InstanceExports:
        return InstanceExports(self._inst)

    def __repr__(self) -> str:
        return f"<Instance: {', '.join(self._inst.exports)}>"


__all__ = [
    "CompileError",
    "ExportType",
    "ImportType",
    "Instance",
    "InstanceExports",
    "Module",
    "wat2wasm",
]
