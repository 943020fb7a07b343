"""Validation (spec chapter 3): canonical defined types, subtyping and the module validator."""

from engine.valid.match import (
    DefType,
    ExternFuncType,
    ExternTagType,
    bottom_heap,
    canonicalize,
    def_subtype,
    heap_subtype,
    match_comptype,
    match_externtype,
    match_limits,
    match_reftype,
    match_valtype,
    resolve_globaltype,
    resolve_heap,
    resolve_tabletype,
    resolve_valtype,
    top_heap,
)
from engine.valid.module import ModuleInfo, validate_module

__all__ = [
    "DefType",
    "ModuleInfo",
    "ExternFuncType",
    "ExternTagType",
    "bottom_heap",
    "canonicalize",
    "def_subtype",
    "heap_subtype",
    "match_comptype",
    "match_externtype",
    "match_limits",
    "match_reftype",
    "match_valtype",
    "resolve_globaltype",
    "resolve_heap",
    "resolve_tabletype",
    "resolve_valtype",
    "top_heap",
    "validate_module",
]
