"""ES modules for the embedded V8, which evaluates classic scripts only (see docs/modules.md)."""

from jsapi.modules.loader import ModuleLoader, served_root
from jsapi.modules.resolve import ImportMap, ResolutionError, resolve_specifier
from jsapi.modules.rewrite import (
    ModuleSyntaxError,
    Rewritten,
    rewrite_cached,
    rewrite_classic_script,
    rewrite_module,
)

__all__ = [
    "ImportMap",
    "ModuleLoader",
    "ModuleSyntaxError",
    "ResolutionError",
    "Rewritten",
    "resolve_specifier",
    "rewrite_cached",
    "rewrite_classic_script",
    "rewrite_module",
    "served_root",
]
