"""The execution tier (spec 4.4): every wasm function is compiled, on its first call, to a
Python function (see ``engine/exec/compile.py``), and ``invoke`` runs it.

- ``invoke(store, func, args) -> list``: call a wasm or host function with runtime values.
- ``WasmThrow``: a wasm exception crossing Python frames; ``.exn`` is the ``ExnInst``.
- ``source_of(store, func) -> str``: the generated Python source of a wasm function.

An instance's compiled code is bound to the store that first runs it; calling into it with
another store raises ``WasmError("object used with the wrong store")``.  A host function whose
callable has ``wants_caller = True`` is called as ``host(caller, store, *args)`` with the
calling ``ModuleInst`` (None from the embedder) and the runtime store.  ``store.max_call_depth``
may be changed at any time; running code reads it at every call.
"""

from __future__ import annotations

import sys
from typing import Any

from engine.errors import Trap
from engine.runtime.instances import FuncInst

from .module_code import check_store, entry_of, module_code
from .rt import WasmThrow
from .state import state_of

__all__ = ["invoke", "WasmThrow", "source_of"]


def _ensure_recursion_limit(store: Any) -> None:
    # One Python frame per wasm frame, two for tail-calling functions, plus host frames.
    need = 2 * store.max_call_depth + 2000
    if sys.getrecursionlimit() < need:
        sys.setrecursionlimit(need)


def invoke(store: Any, func: FuncInst, args: list[Any]) -> list[Any]:
    """Call ``func`` with ``args``; return its results as a list.

    Raises ``Trap`` (with wasm frames, innermost first), ``WasmThrow`` for an uncaught wasm
    exception, or whatever a host function raised.
    """
    fn = func.compiled
    if fn is None:
        fn = entry_of(func, store)
    else:
        check_store(func, store)
    _ensure_recursion_limit(store)
    state = state_of(store)
    depth = store.depth
    state.begin()
    try:
        r = fn(*args)
    except RecursionError:
        raise Trap("call stack exhausted") from None
    finally:
        store.depth = depth
        state.end()
    n = len(func.type.comp.results)
    if n == 0:
        return []
    if n == 1:
        return [r]
    return list(r)


def source_of(store: Any, func: FuncInst) -> str:
    """The Python source the execution tier generates for a wasm function (for debugging)."""
    assert func.module is not None and func.code is not None
    mc = module_code(func.module, store)
    mc.compile(func.index)
    return mc.sources[func.index]
