"""Edits that make every async function hand its promise to the page's rejection tracker.

The promise an async function returns is built by V8 without a species lookup, so the host's
tracker (``jsapi/host/rejections.js``) cannot see it; a bare ``main();`` that rejects would go
unreported. Each async function, async arrow and async method becomes a plain one whose body
runs in an async arrow (same ``this``, ``arguments``, ``super`` and ``new.target``) and whose
result goes through ``__jsapiTrack``:

    async function f(a) { B }  ->  function f(a) { return __jsapiTrack((async () => { B })()); }
    async (a) => B             ->  (a) => __jsapiTrack((async () => B)())

Declarations stay declarations (hoisting), names and parameter lists stay put (``name``,
``length``), nothing is inserted across lines (line numbers), and a constructed one still
throws. Modules call it through a local ``$__t`` (realms without the page's host scripts,
such as the module tests' bare bridge, get the identity). Async generators are left alone:
their objects are not promises.
"""

from __future__ import annotations

import tree_sitter as ts

TRACK = "__jsapiTrack"

_Q_ASYNC: ts.Query | None = None
_PATTERNS = """
    (function_declaration "async" @a body: (_) @b) @f
    (function_expression "async" @a body: (_) @b) @f
    (arrow_function "async" @a body: (_) @b) @f
    (method_definition "async" @a body: (_) @b) @f
"""


def _query(language: ts.Language) -> ts.Query:
    global _Q_ASYNC
    if _Q_ASYNC is None:
        _Q_ASYNC = ts.Query(language, _PATTERNS)
    return _Q_ASYNC


def _strict_body(body: ts.Node) -> bool:
    """Whether a function body opens with a "use strict" directive (ECMA-262 11.2.1)."""
    for stmt in body.named_children:
        if stmt.type == "comment":
            continue
        if stmt.type != "expression_statement" or not stmt.named_children:
            return False
        first = stmt.named_children[0]
        if first.type != "string":
            return False
        if first.text in (b'"use strict"', b"'use strict'"):
            return True
    return False


def async_edits(
    root: ts.Node, language: ts.Language, track: str = TRACK
) -> list[tuple[int, int, bytes]]:
    """Edits (start, end, text) for every async function under ``root``.

    Openings and closings are zero-width insertions; where closings of nested functions meet
    (``async () => async () => 1``) the inner one comes first, and callers apply edits with a
    stable sort on (start, end), so the list keeps that order.
    """
    if b"async" not in (root.text or b""):
        return []
    opens: list[tuple[int, int, bytes]] = []
    closes: list[tuple[int, int, int, bytes]] = []  # (pos, -function start, pos, text)
    for _pattern, caps in ts.QueryCursor(_query(language)).matches(root):
        fn, kw, body = caps["f"][0], caps["a"][0], caps["b"][0]
        if fn.has_error or any(c.type == "*" for c in fn.children):
            continue
        opens.append((kw.start_byte, kw.end_byte, b""))
        if fn.type == "arrow_function":
            head = f"{track}((async () => "
            tail = ")())"
        else:
            head = "{ "
            if _strict_body(body):
                head += '"use strict"; '
            if fn.type != "method_definition":
                name = fn.child_by_field_name("name")
                label = name.text.decode("utf-8") if name is not None and name.text else ""
                label = label or "(intermediate value)"
                head += f'if (new.target) throw new TypeError("{label} is not a constructor"); '
            head += f"return {track}((async () => "
            tail = ")()); }"
        opens.append((body.start_byte, body.start_byte, head.encode()))
        closes.append((body.end_byte, -fn.start_byte, body.end_byte, tail.encode()))
    closes.sort(key=lambda c: (c[0], c[1]))
    return opens + [(pos, pos, text) for _, _, pos, text in closes]
