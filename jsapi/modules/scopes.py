"""Which references to imported names are really references (not shadowed by a local binding).

Only the identifiers whose text is an imported name are looked at (found by a tree-sitter
query, in C), so the cost follows the number of uses of imports, not the size of the module.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator

import tree_sitter as ts
import tree_sitter_javascript as tsj

_LANGUAGE = ts.Language(tsj.language())

FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function",
        "generator_function_declaration",
    }
)
_VAR_SCOPES = FUNCTION_TYPES | {"class_static_block", "program"}
_BLOCK_SCOPES = frozenset(
    {"statement_block", "program", "switch_body", "for_statement", "class_static_block"}
)
_PATTERNS = frozenset(
    {
        "array_pattern",
        "object_pattern",
        "pair_pattern",
        "assignment_pattern",
        "object_assignment_pattern",
        "rest_pattern",
    }
)
_FUNC_DECLS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNC_EXPRS = frozenset({"function_expression", "generator_function"})


def _field_is(parent: ts.Node, name: str, child: ts.Node) -> bool:
    f = parent.child_by_field_name(name)
    return f is not None and f.id == child.id


def _nearest(node: ts.Node, types: frozenset[str]) -> ts.Node | None:
    p = node.parent
    while p is not None and p.type not in types:
        p = p.parent
    return p


def _var_scope(node: ts.Node) -> ts.Node | None:
    # A function's vars live in its body: parameter defaults still see the outer binding
    # when the body redeclares the name (10.2.11 FunctionDeclarationInstantiation, step 28).
    scope = _nearest(node, _VAR_SCOPES)
    if scope is not None and scope.type in FUNCTION_TYPES:
        return scope.child_by_field_name("body") or scope
    return scope


def _declaring_scope(node: ts.Node, parent: ts.Node) -> ts.Node | None:
    """The scope node that ``node`` (an identifier or shorthand pattern) declares a binding in,
    or None when it is a reference (or an assignment target)."""
    c = node
    q: ts.Node | None = parent
    while q is not None and q.type in _PATTERNS:
        if q.type in ("assignment_pattern", "object_assignment_pattern") and _field_is(
            q, "right", c
        ):
            return None
        if q.type == "pair_pattern" and _field_is(q, "key", c):
            return None
        c, q = q, q.parent
    if q is None:
        return None
    t = q.type
    if t == "variable_declarator":
        if not _field_is(q, "name", c):
            return None
        decl = q.parent
        if decl is not None and decl.type == "variable_declaration":
            return _var_scope(decl)
        return _nearest(q, _BLOCK_SCOPES)
    if t == "formal_parameters":
        return q.parent
    if t == "arrow_function":
        return q if _field_is(q, "parameter", c) else None
    if t == "catch_clause":
        return q if _field_is(q, "parameter", c) else None
    if t == "for_in_statement":
        if not _field_is(q, "left", c):
            return None
        kinds = {ch.type for ch in q.children[:4]}
        if "var" in kinds:
            return _var_scope(q)
        if "let" in kinds or "const" in kinds:
            return q
        return None
    if t in _FUNC_DECLS or t == "class_declaration":
        return _nearest(q, _BLOCK_SCOPES) if _field_is(q, "name", c) else None
    if t in _FUNC_EXPRS or t == "class":
        return q if _field_is(q, "name", c) else None
    return None


def _pattern_names(node: ts.Node) -> Iterator[str]:
    t = node.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        yield node.text.decode("utf-8") if node.text else ""
    elif t in ("assignment_pattern", "object_assignment_pattern"):
        left = node.child_by_field_name("left")
        if left is not None:
            yield from _pattern_names(left)
    elif t == "pair_pattern":
        value = node.child_by_field_name("value")
        if value is not None:
            yield from _pattern_names(value)
    elif t in ("array_pattern", "object_pattern", "rest_pattern"):
        for ch in node.named_children:
            yield from _pattern_names(ch)


def bound_names(decl: ts.Node) -> list[str]:
    """BoundNames of an exported declaration (ECMA-262 8.2.1)."""
    if decl.type in ("lexical_declaration", "variable_declaration"):
        names: list[str] = []
        for d in decl.named_children:
            if d.type == "variable_declarator":
                pattern = d.child_by_field_name("name")
                if pattern is not None:
                    names.extend(_pattern_names(pattern))
        return names
    name = decl.child_by_field_name("name")
    return [name.text.decode("utf-8")] if name is not None and name.text else []


def reference_patterns(names: list[str]) -> str:
    """Query patterns capturing the identifiers spelled like one of ``names``."""
    quoted = " ".join('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
    return f"""
        (_ (identifier) @id (#any-of? @id {quoted})) @parent
        (_ (shorthand_property_identifier) @sh (#any-of? @sh {quoted})) @parent
        (_ (shorthand_property_identifier_pattern) @shp (#any-of? @shp {quoted})) @parent
        """


class _Intervals:
    """The byte ranges of the scopes declaring one name: nested or disjoint, as tree nodes."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges.sort(key=lambda r: (r[0], -r[1]))
        self.starts = [r[0] for r in ranges]
        self.ends = [r[1] for r in ranges]
        self.up: list[int] = []
        stack: list[int] = []
        for i, (start, _end) in enumerate(ranges):
            while stack and self.ends[stack[-1]] <= start:
                stack.pop()
            self.up.append(stack[-1] if stack else -1)
            stack.append(i)

    def contains(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            if self.ends[i] > pos:
                return True
            i = self.up[i]
        return False


_SKIP_PARENTS = frozenset(
    {
        "import_specifier",
        "namespace_import",
        "import_clause",
        "export_specifier",
        "namespace_export",
    }
)


class Shadowing:
    """Finds the unshadowed references to imported bindings and rewrites them."""

    def __init__(self, bindings: dict[str, str]) -> None:
        self.bindings = bindings

    def apply(
        self,
        matches: list[tuple[str, ts.Node, ts.Node]],
        edit: Callable[[int, int, bytes], None],
    ) -> None:
        """``matches``: (capture kind, identifier node, its parent) from the query."""
        declared: dict[str, list[tuple[int, int]]] = {}
        refs: list[tuple[str, ts.Node, ts.Node]] = []
        for kind, n, parent in matches:
            if parent.type in _SKIP_PARENTS:
                continue
            scope = None if kind == "sh" else _declaring_scope(n, parent)
            if scope is not None:
                name = n.text.decode("utf-8") if n.text else ""
                declared.setdefault(name, []).append((scope.start_byte, scope.end_byte))
            else:
                refs.append((kind, n, parent))
        shadows = {name: _Intervals(r) for name, r in declared.items()}
        for kind, n, parent in refs:
            name = n.text.decode("utf-8") if n.text else ""
            scopes = shadows.get(name)
            if scopes is not None and scopes.contains(n.start_byte):
                continue
            expr = self.bindings[name]
            if kind in ("sh", "shp"):
                text = f"{name}: {expr}"
            else:
                if parent.type == "call_expression" and _field_is(parent, "function", n):
                    text = f"(0, {expr})"  # an imported function is called with this=undefined
                else:
                    text = expr
            edit(n.start_byte, n.end_byte, text.encode("utf-8"))
