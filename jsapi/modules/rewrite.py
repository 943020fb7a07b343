"""Source-to-source rewrite of an ES module into a classic-script generator function.

V8 behind mini-racer evaluates classic scripts only, so a module becomes

    (function* ($__h, $__i0, $__n0, ...) { "use strict"; $__h.e({...getters}); yield; <body>
    })

written on the module's first line, so that every line of the body keeps its number. The first
``next()`` (module linking, ECMA-262 16.2.1.5.3 InitializeEnvironment) hoists functions and
registers one getter per local export; the second runs the body (ExecuteModule). A module with
top-level await becomes an ``async function*``.

Imported bindings are rewritten in place into property reads of the exporting module's
environment object (``b`` -> ``$__i0.a``), which reads the exporter's binding live and throws
the exporter's ReferenceError while that binding is in its temporal dead zone.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import tree_sitter as ts
import tree_sitter_javascript as tsj

from jsapi.modules.asyncwrap import async_edits
from jsapi.modules.scopes import FUNCTION_TYPES, Shadowing, bound_names, reference_patterns

LANGUAGE = ts.Language(tsj.language())
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
DEFAULT_LOCAL = "$__default"
ASYNC_TRACK = "$__t"
_TRACK_INIT = 'typeof __jsapiTrack === "function" ? __jsapiTrack : (p) => p'
_local = threading.local()

_SPECIAL = """
    (meta_property) @meta
    (call_expression function: (import) @dyn)
    (await_expression) @await
    (for_in_statement "await" @await)
"""
_Q_SPECIAL = ts.Query(LANGUAGE, _SPECIAL)


class ModuleSyntaxError(Exception):
    """A module that does not parse; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Rewritten:
    """The rewritten function text and the module's static import/export records."""

    code: str
    requests: list[str] = field(default_factory=list)
    # (request index, import name): "*" for a namespace import; checked at link time
    imports: list[tuple[int, str]] = field(default_factory=list)
    local_exports: list[str] = field(default_factory=list)
    # (export name, request index, import name): import name "*" re-exports a namespace
    indirect_exports: list[tuple[str, int, str]] = field(default_factory=list)
    star_exports: list[int] = field(default_factory=list)
    # one entry per extra generator parameter: ("i" | "n", request index)
    params: list[tuple[str, int]] = field(default_factory=list)
    has_tla: bool = False
    # request index -> import attribute "type" (e.g. "json")
    attributes: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "requests": self.requests,
            "imports": [list(i) for i in self.imports],
            "localExports": self.local_exports,
            "indirectExports": [list(e) for e in self.indirect_exports],
            "starExports": self.star_exports,
            "params": [list(p) for p in self.params],
            "hasTLA": self.has_tla,
            "attributes": {str(k): v for k, v in self.attributes.items()},
        }


def _parser() -> ts.Parser:
    p = getattr(_local, "parser", None)
    if p is None:
        p = _local.parser = ts.Parser(LANGUAGE)
    return p


def _text(node: ts.Node) -> str:
    return node.text.decode("utf-8") if node.text is not None else ""


def _string_value(node: ts.Node) -> str:
    """The value of a string literal node (module specifiers and string export names)."""
    raw = _text(node)
    body = raw[1:-1]
    if "\\" not in body:
        return body
    return body.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _export_name(node: ts.Node) -> str:
    return _string_value(node) if node.type == "string" else _text(node)


def _member(obj: str, name: str) -> str:
    if _IDENT.match(name):
        return f"{obj}.{name}"
    return f"{obj}[{_js_string(name)}]"


def _js_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _blank(src: bytes, start: int, end: int) -> bytes:
    """Whitespace of the same line structure as src[start:end]."""
    return b"\n" * src.count(b"\n", start, end)


def _syntax_error(root: ts.Node) -> ModuleSyntaxError:
    bad: ts.Node | None = None
    cursor = root.walk()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            bad = node
            break
        if node.has_error:
            stack.extend(reversed(node.children))
    del cursor
    if bad is None:
        bad = root
    row, col = bad.start_point
    if bad.is_missing:
        return ModuleSyntaxError(f"missing {bad.type}", row + 1, col + 1)
    leaf = bad
    while leaf.child_count:
        leaf = leaf.children[0]
    token = _text(leaf).split("\n", 1)[0][:40]
    row, col = leaf.start_point
    if not token:
        return ModuleSyntaxError("Unexpected end of input", row + 1, col + 1)
    return ModuleSyntaxError(f"Unexpected token '{token}'", row + 1, col + 1)


class _Builder:
    def __init__(self, src: bytes) -> None:
        self.src = src
        self.edits: list[tuple[int, int, bytes]] = []
        self.out = Rewritten(code="")
        self.request_index: dict[str, int] = {}
        self.bindings: dict[str, str] = {}  # imported local name -> replacement expression
        self.named_imports: dict[str, tuple[int, str]] = {}
        self.export_locals: list[tuple[str, str]] = []  # (export name, local name)
        self.exported: set[str] = set()
        self.default_fn_named = False

    def request(self, spec_node: ts.Node, attrs: ts.Node | None = None) -> int:
        spec = _string_value(spec_node)
        idx = self.request_index.get(spec)
        if idx is None:
            idx = self.request_index[spec] = len(self.out.requests)
            self.out.requests.append(spec)
        if attrs is not None:
            m = re.search(rb"type\s*:\s*['\"]([^'\"]*)['\"]", attrs.text or b"")
            if m:
                self.out.attributes[idx] = m.group(1).decode()
        return idx

    def param(self, kind: str, idx: int) -> str:
        if (kind, idx) not in self.out.params:
            self.out.params.append((kind, idx))
        return f"$__{kind}{idx}"

    def export(self, name: str, node: ts.Node) -> None:
        if name in self.exported:
            row, col = node.start_point
            raise ModuleSyntaxError(f"Duplicate export of '{name}'", row + 1, col + 1)
        self.exported.add(name)

    def edit(self, start: int, end: int, text: bytes) -> None:
        self.edits.append((start, end, text))

    # ---- import declarations (16.2.2) -------------------------------------------------------

    def import_statement(self, node: ts.Node) -> None:
        source = node.child_by_field_name("source")
        attrs = next((c for c in node.children if c.type == "import_attribute"), None)
        assert source is not None
        idx = self.request(source, attrs)
        clause = next((c for c in node.children if c.type == "import_clause"), None)
        for part in clause.named_children if clause is not None else ():
            if part.type == "identifier":
                self.bind(_text(part), idx, "default")
            elif part.type == "namespace_import":
                local = _text(part.named_children[0])
                self.bindings[local] = self.param("n", idx)
                self.out.imports.append((idx, "*"))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    assert name is not None and alias is not None
                    self.bind(_text(alias), idx, _export_name(name))
        self.edit(node.start_byte, node.end_byte, _blank(self.src, node.start_byte, node.end_byte))

    def bind(self, local: str, idx: int, name: str) -> None:
        self.bindings[local] = _member(self.param("i", idx), name)
        self.named_imports[local] = (idx, name)
        self.out.imports.append((idx, name))

    # ---- export declarations (16.2.3) -------------------------------------------------------

    def export_statement(self, node: ts.Node) -> None:
        src = self.src
        source = node.child_by_field_name("source")
        decl = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        is_default = any(c.type == "default" for c in node.children)
        clause = next((c for c in node.children if c.type == "export_clause"), None)
        if source is not None:
            idx = self.request(source)
            ns = next((c for c in node.children if c.type == "namespace_export"), None)
            if ns is not None:
                name = _export_name(ns.named_children[0])
                self.export(name, ns)
                self.out.indirect_exports.append((name, idx, "*"))
            elif clause is not None:
                for spec in clause.named_children:
                    local, exported = self._specifier(spec)
                    self.export(exported, spec)
                    self.out.indirect_exports.append((exported, idx, local))
            else:
                self.out.star_exports.append(idx)
            self.edit(node.start_byte, node.end_byte, _blank(src, node.start_byte, node.end_byte))
        elif clause is not None:
            for spec in clause.named_children:
                local, exported = self._specifier(spec)
                self.export(exported, spec)
                self.export_locals.append((exported, local))
            self.edit(node.start_byte, node.end_byte, _blank(src, node.start_byte, node.end_byte))
        elif decl is not None:
            self.edit(node.start_byte, decl.start_byte, b"")
            if is_default:
                name_node = decl.child_by_field_name("name")
                assert name_node is not None
                self.export("default", node)
                self.export_locals.append(("default", _text(name_node)))
            else:
                for name in bound_names(decl):
                    self.export(name, node)
                    self.export_locals.append((name, name))
        elif value is not None:
            self.export("default", node)
            self.export_locals.append(("default", DEFAULT_LOCAL))
            self._default_value(node, value)

    def _specifier(self, spec: ts.Node) -> tuple[str, str]:
        name = spec.child_by_field_name("name")
        alias = spec.child_by_field_name("alias")
        local = _export_name(name) if name is not None else _text(spec.children[0])
        return local, (_export_name(alias) if alias is not None else local)

    def _default_value(self, node: ts.Node, value: ts.Node) -> None:
        kind = value.type
        anonymous = value.child_by_field_name("name") is None
        if kind in ("function_expression", "generator_function") and anonymous:
            # A hoisted declaration named "default" (16.2.3.7): callable before evaluation.
            params = value.child_by_field_name("parameters")
            assert params is not None
            self.edit(node.start_byte, value.start_byte, b"")
            star = next((c for c in value.children if c.type == "*"), None)
            at = star.end_byte if star is not None else params.start_byte
            self.edit(at, at, f" {DEFAULT_LOCAL}".encode())
            self.default_fn_named = True
            return
        self.edit(node.start_byte, value.start_byte, f"const {DEFAULT_LOCAL} = ".encode())
        needs_name = kind in ("arrow_function", "function_expression", "generator_function")
        needs_name = needs_name or kind == "class"
        if needs_name and anonymous:
            semi = b"" if node.text is not None and node.text.endswith(b";") else b";"
            naming = f"$__h.nm({DEFAULT_LOCAL});".encode()
            self.edit(node.end_byte, node.end_byte, semi + naming)


def _is_function_scope(node: ts.Node) -> bool:
    return node.type in FUNCTION_TYPES or node.type in ("class_static_block", "field_definition")


def _special(b: _Builder, name: str, n: ts.Node) -> None:
    if name == "meta":
        if n.text == b"import.meta":
            b.edit(n.start_byte, n.end_byte, b"$__h.meta")
        return
    if name == "dyn":
        b.edit(n.start_byte, n.end_byte, b"$__h.import")
        return
    if name == "ret":
        row, col = n.start_point
        raise ModuleSyntaxError("Illegal return statement", row + 1, col + 1)
    p = n.parent
    while p is not None:
        if _is_function_scope(p):
            return
        p = p.parent
    b.out.has_tla = True


def rewrite_module(source: str) -> Rewritten:
    """Parses and rewrites one module; raises ``ModuleSyntaxError``."""
    src = source.encode("utf-8")
    tree = _parser().parse(src)
    root = tree.root_node
    if root.has_error:
        raise _syntax_error(root)
    b = _Builder(src)
    tracked = async_edits(root, LANGUAGE, ASYNC_TRACK)
    b.edits.extend(tracked)
    for stmt in root.named_children:
        if stmt.type == "import_statement":
            b.import_statement(stmt)
        elif stmt.type == "export_statement":
            b.export_statement(stmt)
        elif stmt.type == "return_statement":
            _special(b, "ret", stmt)

    query: ts.Query | None = None
    if b.bindings:
        query = ts.Query(LANGUAGE, _SPECIAL + reference_patterns(sorted(b.bindings)))
    elif b"import" in src or b"await" in src:
        query = _Q_SPECIAL
    refs: list[tuple[str, ts.Node, ts.Node]] = []
    for _pattern, caps in ts.QueryCursor(query).matches(root) if query is not None else ():
        parent = caps.get("parent")
        if parent is not None:
            kind = next(k for k in caps if k != "parent")
            refs.append((kind, caps[kind][0], parent[0]))
            continue
        for name, nodes in caps.items():
            for n in nodes:
                _special(b, name, n)
    if refs:
        Shadowing(b.bindings).apply(refs, b.edit)

    # A local export of an imported name re-exports the import (16.2.1.6.1 ParseModule).
    getters: list[str] = []
    for exported, local in b.export_locals:
        if local in b.named_imports:
            idx, name = b.named_imports[local]
            b.out.indirect_exports.append((exported, idx, name))
            continue
        b.out.local_exports.append(exported)
        expr = b.bindings.get(local, local)
        getters.append(f"{_js_string(exported)}: () => {expr}")
    naming = f"$__h.nm({DEFAULT_LOCAL}); " if b.default_fn_named else ""
    track = f"const {ASYNC_TRACK} = {_TRACK_INIT}; " if tracked else ""
    params = "".join(f", $__{k}{i}" for k, i in b.out.params)
    kind = "async function*" if b.out.has_tla else "function*"
    exports = f"$__h.e({{{', '.join(getters)}}}); "
    header = f'({kind} ($__h{params}) {{ "use strict"; {track}{exports}{naming}yield; '
    b.out.code = header + _apply(src, b.edits).decode("utf-8") + "\n})"
    return b.out


def _apply(src: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    edits.sort(key=lambda e: (e[0], e[1]))
    out: list[bytes] = []
    pos = 0
    for start, end, text in edits:
        if start < pos:  # nested in an edit already applied (a removed statement)
            continue
        out.append(src[pos:start])
        out.append(text)
        pos = end
    out.append(src[pos:])
    return b"".join(out)


_cache: dict[str, Rewritten] = {}
_cache_lock = threading.Lock()


def rewrite_cached(source: str) -> Rewritten:
    """``rewrite_module`` with results kept by content hash (a rewrite does not depend on the
    module's URL: specifiers are resolved by the loader)."""
    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    out = rewrite_module(source)
    with _cache_lock:
        if len(_cache) > 512:
            _cache.clear()
        _cache[key] = out
    return out


_Q_CLASSIC = ts.Query(LANGUAGE, "(call_expression function: (import) @dyn)")


def track_async_functions(source: str) -> str:
    """Makes every async function of a classic script report its rejections (``asyncwrap``),
    and nothing else (a worker's scripts keep their ``import()`` as written)."""
    if "async" not in source:
        return source
    src = source.encode("utf-8")
    root = _parser().parse(src).root_node
    if root.has_error:  # V8 reports the syntax error of the script as written
        return source
    edits = async_edits(root, LANGUAGE)
    return _apply(src, edits).decode("utf-8") if edits else source


def rewrite_classic_script(source: str, base_url: str) -> str:
    """Rewrites ``import(x)`` in a classic script into the host's dynamic import (relative to
    ``base_url``), since the embedded V8 has no dynamic import of its own, and makes async
    functions report their rejections (``asyncwrap``)."""
    if "import" not in source and "async" not in source:
        return source
    src = source.encode("utf-8")
    root = _parser().parse(src).root_node
    edits = []
    if "import" in source:
        for n in ts.QueryCursor(_Q_CLASSIC).captures(root).get("dyn", []):
            call = f"__host.importFrom.bind(undefined, {_js_string(base_url)})"
            edits.append((n.start_byte, n.end_byte, call.encode()))
    if not root.has_error:  # V8 reports the syntax error of the script as written
        edits.extend(async_edits(root, LANGUAGE))
    if not edits:
        return source
    return _apply(src, edits).decode("utf-8")
