"""Module instantiation (spec 4.5.4), in the order of the reference interpreter's ``init``.

1. Match every provided extern against its import ("incompatible import type").
2. Allocate, in this order: tags, functions, globals (initialisers run here, in order, so a
   global may read an earlier one), tables (with their initialisers), memories, data and
   element segments (element initialisers are evaluated here), exports.
3. Run the active element segments, then the active data segments, each bounds-checked as a
   whole before anything is written (``table.init`` / ``memory.init`` semantics), then drop
   them; declarative element segments are dropped too.  Then the start function.

If step 3 traps, what was already written stays written: an imported table or memory keeps
the segments applied before the failing one (the WebAssembly 3.0 order of effects).
"""

from __future__ import annotations

from typing import Any

from engine.errors import LinkError, Trap, WasmException
from engine.runtime.const import eval_const
from engine.runtime.instances import (
    DataInst,
    ElemInst,
    ExportInst,
    FuncInst,
    GlobalInst,
    MemoryInst,
    ModuleInst,
    TableInst,
    TagInst,
)
from engine.runtime.link import extern_kind, incompatible, match_extern
from engine.runtime.store import Store
from engine.syntax.ast import Active, Module
from engine.syntax.types import (
    FuncImportType,
    GlobalType,
    MemoryType,
    RefType,
    TableType,
    TagType,
)

_IMPORT_KIND = {
    FuncImportType: "func",
    TableType: "table",
    MemoryType: "memory",
    GlobalType: "global",
    TagType: "tag",
}


def resolve_valtype(t: Any, types: list[Any]) -> Any:
    """Replace a type index inside a value type by the canonical DefType."""
    if isinstance(t, RefType) and isinstance(t.heap, int):
        return RefType(t.nullable, types[t.heap])
    return t


def resolve_import_type(desc: Any, types: list[Any]) -> Any:
    """The resolved extern type an import expects."""
    if isinstance(desc, FuncImportType):
        return types[desc.type_index]
    if isinstance(desc, TagType):
        return types[desc.type_index]
    if isinstance(desc, TableType):
        return TableType(desc.limits, resolve_valtype(desc.elem, types), desc.address)
    if isinstance(desc, GlobalType):
        return GlobalType(resolve_valtype(desc.type, types), desc.mutable)
    return desc


def validate(module: Module) -> Any:
    from engine.valid import validate_module

    return validate_module(module)


def instantiate(store: Store, module: Module, externs: list[Any], info: Any = None) -> ModuleInst:
    """Instantiate a (valid) module with one extern per import, in import order.

    ``info`` is the validator's ModuleInfo; it is computed when not given.  Raises LinkError,
    Trap (a segment out of bounds, a trapping start function) or WasmException.
    """
    if info is None:
        info = validate(module)
    if len(externs) != len(module.imports):
        raise LinkError("wrong number of imports provided for initialisation")
    inst = ModuleInst(module)
    inst.types = list(info.types)
    types = inst.types

    for im, ext in zip(module.imports, externs):
        expected = resolve_import_type(im.desc, types)
        kind = _IMPORT_KIND[type(im.desc)]
        if extern_kind(ext) != kind or not match_extern(ext, expected):
            raise incompatible(im.module, im.name, expected, ext)
        getattr(inst, _SPACE[kind]).append(ext)

    for tag in module.tags:
        inst.tags.append(TagInst(types[tag.type_index]))
    base = len(inst.funcs)
    for i, f in enumerate(module.funcs):
        inst.funcs.append(FuncInst(types[f.type_index], inst, base + i, code=f))
    for g in module.globals:
        gt = GlobalType(resolve_valtype(g.type.type, types), g.type.mutable)
        inst.globals.append(GlobalInst(gt, eval_const(inst, g.init)))
    for t in module.tables:
        tt = TableType(t.type.limits, resolve_valtype(t.type.elem, types), t.type.address)
        init = eval_const(inst, t.init) if t.init is not None else None
        if tt.limits.min > 10_000_000:
            raise Trap("out of memory")
        inst.tables.append(TableInst(tt, init))
    for mt in module.memories:
        try:
            inst.memories.append(MemoryInst(mt))
        except MemoryError:
            raise Trap("out of memory") from None
    for d in module.datas:
        inst.datas.append(DataInst(d.init))
    for e in module.elems:
        rt = resolve_valtype(e.type, types)
        inst.elems.append(ElemInst(rt, [eval_const(inst, c) for c in e.init]))
    for ex in module.exports:
        space = getattr(inst, _SPACE[ex.kind])
        inst.exports[ex.name] = ExportInst(ex.name, ex.kind, space[ex.index])

    run_segments(inst)
    if module.start is not None:
        call(store, inst.funcs[module.start], [])
    return inst


_SPACE = {
    "func": "funcs",
    "table": "tables",
    "memory": "memories",
    "global": "globals",
    "tag": "tags",
}


def run_segments(inst: ModuleInst) -> None:
    """Apply active segments in order: all element segments, then all data segments."""
    module = inst.module
    for i, e in enumerate(module.elems):
        mode = e.mode
        seg = inst.elems[i]
        if isinstance(mode, Active):
            table = inst.tables[mode.index]
            offset = eval_const(inst, mode.offset)
            n = len(seg.elements)
            if offset + n > len(table.elements):
                raise Trap("out of bounds table access")
            table.elements[offset : offset + n] = seg.elements
            seg.elements = []
        elif mode == "declarative":
            seg.elements = []
    for i, d in enumerate(module.datas):
        mode = d.mode
        if isinstance(mode, Active):
            mem = inst.memories[mode.index]
            offset = eval_const(inst, mode.offset)
            data = inst.datas[i].data
            n = len(data)
            if offset + n > len(mem.data):
                raise Trap("out of bounds memory access")
            if n:
                mem.data[offset : offset + n] = data
            inst.datas[i].data = b""


def call(store: Store, func: FuncInst, args: list[Any]) -> list[Any]:
    """Invoke a function through the execution tier; an uncaught wasm exception becomes a
    WasmException at this embedder boundary."""
    from engine import exec as ex

    try:
        return list(ex.invoke(store, func, args))
    except ex.WasmThrow as e:
        raise WasmException(e.exn) from None
