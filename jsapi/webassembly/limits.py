"""The JS embedding's implementation limits (JS-API "Implementation-defined Limits").

Checked before the engine decodes a module where a section header gives the count (so a module
over a limit fails fast), and on the decoded module for the limits inside types and bodies.
"""

from __future__ import annotations

from typing import Any

from engine.errors import CompileError

MAX_MODULE_SIZE = 1 << 30
# section id -> (limit, what)
_SECTION_COUNTS = {
    1: (1_000_000, "types"),
    2: (1_000_000, "imports"),
    3: (1_000_000, "functions"),
    4: (100_000, "tables"),
    6: (1_000_000, "globals"),
    7: (1_000_000, "exports"),
    9: (10_000_000, "element segments"),
    11: (100_000, "data segments"),
}
MAX_FUNCTION_SIZE = 7_654_321
MAX_LOCALS = 50_000
MAX_PARAMS = 1000
MAX_RESULTS = 1000


def _leb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise IndexError
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def prescan(data: bytes) -> None:
    """Counts from section headers; a malformed module is left for the decoder to report."""
    if len(data) > MAX_MODULE_SIZE:
        raise CompileError("module size exceeds the implementation limit", 0)
    pos = 8
    try:
        while pos < len(data):
            sid = data[pos]
            size, body = _leb(data, pos + 1)
            end = body + size
            if sid in _SECTION_COUNTS:
                count, _ = _leb(data, body)
                limit, what = _SECTION_COUNTS[sid]
                if count > limit:
                    raise CompileError(f"too many {what}: {count} (limit {limit})", pos)
            elif sid == 10:
                count, p = _leb(data, body)
                for _ in range(count):
                    n, q = _leb(data, p)
                    if n > MAX_FUNCTION_SIZE:
                        raise CompileError(f"function body too large: {n} bytes", p)
                    p = q + n
            pos = end
    except IndexError:
        return


def check_decoded(module: Any) -> None:
    """Limits on type shapes, locals and the total number of functions and imports."""
    for rec in module.types:
        for sub in rec.subtypes:
            comp = sub.comp
            params = getattr(comp, "params", None)
            if params is None:
                continue
            if len(params) > MAX_PARAMS:
                raise CompileError(f"too many parameters: {len(params)}", -1)
            if len(comp.results) > MAX_RESULTS:
                raise CompileError(f"too many results: {len(comp.results)}", -1)
    flat = [sub for rec in module.types for sub in rec.subtypes]
    for f in module.funcs:
        comp = flat[f.type_index].comp if f.type_index < len(flat) else None
        n = len(f.locals) + len(getattr(comp, "params", ()))
        if n > MAX_LOCALS:
            raise CompileError(f"too many locals: {n}", f.offset)
    nfuncs = len(module.funcs) + sum(
        1 for im in module.imports if type(im.desc).__name__ == "FuncImportType"
    )
    if nfuncs > 1_000_000:
        raise CompileError(f"too many functions: {nfuncs}", -1)
    ntables = len(module.tables) + sum(
        1 for im in module.imports if type(im.desc).__name__ == "TableType"
    )
    if ntables > 100_000:
        raise CompileError(f"too many tables: {ntables}", -1)


# The js-string builtins' function types (JS String Builtins): "A" is (ref null (array (mut i16))).
_E, _RE = "externref", "(ref extern)"
JS_STRING_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cast": ((_E,), (_RE,)),
    "test": ((_E,), ("i32",)),
    "fromCharCodeArray": (("A", "i32", "i32"), (_RE,)),
    "intoCharCodeArray": ((_E, "A", "i32"), ("i32",)),
    "fromCharCode": (("i32",), (_RE,)),
    "fromCodePoint": (("i32",), (_RE,)),
    "charCodeAt": ((_E, "i32"), ("i32",)),
    "codePointAt": ((_E, "i32"), ("i32",)),
    "length": ((_E,), ("i32",)),
    "concat": ((_E, _E), (_RE,)),
    "substring": ((_E, "i32", "i32"), (_RE,)),
    "equals": ((_E, _E), ("i32",)),
    "compare": ((_E, _E), ("i32",)),
}


def _code_matches(t: Any, code: str) -> bool:
    if code != "A":
        return (t if isinstance(t, str) else str(t)) == code
    heap = getattr(t, "heap", None)
    comp = getattr(heap, "comp", None)
    field = getattr(comp, "field", None)
    return (
        getattr(t, "nullable", False)
        and field is not None
        and field.mutable
        and field.storage == "i16"
        and len(heap.group) == 1
        and not heap.supers
        and heap.final
    )


def check_builtin_import(name: str, dt: Any) -> None:
    """A "wasm:js-string" import must have exactly the builtin's type, alone in its rec group."""
    expected = JS_STRING_TYPES.get(name)
    if expected is None:
        return
    comp = getattr(dt, "comp", None)
    params, results = expected
    ok = (
        comp is not None
        and hasattr(comp, "params")
        and len(dt.group) == 1
        and not dt.supers
        and dt.final
        and len(comp.params) == len(params)
        and len(comp.results) == len(results)
        and all(_code_matches(t, c) for t, c in zip(comp.params, params))
        and all(_code_matches(t, c) for t, c in zip(comp.results, results))
    )
    if not ok:
        raise CompileError(
            f"imported builtin function 'wasm:js-string' '{name}' has the wrong type"
        )
