"""HTML parsing for the page runner: Python's html.parser into a small tree.

Not the HTML5 tree-construction algorithm: elements nest as written, void elements never take
children, an end tag closes the nearest open element of its name, and the document is completed
with html/head/body the way a browser's parser would add them. The tree is sent to the page's
document as JSON: `[name, {attrs}, [children]]` for elements, a string for text, `{"comment"}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Elements whose start tag closes an open <p> (HTML 13.2.6.4.7, in short).
CLOSES_P = frozenset(
    "address article aside blockquote div dl fieldset footer form h1 h2 h3 h4 h5 h6 header hr "
    "main nav ol p pre section table ul".split()
)
HEAD_ELEMENTS = frozenset("base link meta noscript script style template title".split())


@dataclass
class Node:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str | dict[str, str]] = field(default_factory=list)
    line: int = 0
    column: int = 0

    def to_json(self) -> list[Any]:
        return [self.name, self.attrs, [_item_json(c) for c in self.children]]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else "" for c in self.children)


def _item_json(item: Node | str | dict[str, str]) -> Any:
    return item.to_json() if isinstance(item, Node) else item


@dataclass
class ScriptInfo:
    """One <script> element, in document order (its index among the document's scripts)."""

    index: int
    attrs: dict[str, str]
    text: str
    line: int
    column: int


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack: list[Node] = [self.root]
        self.scripts: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CLOSES_P and any(n.name == "p" for n in self.stack[1:]):
            self._close("p")
        line, column = self.getpos()
        node = Node(
            tag, {k: v if v is not None else "" for k, v in attrs}, line=line, column=column
        )
        self.stack[-1].children.append(node)
        if tag == "script":
            self.scripts.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._close(tag)

    def handle_endtag(self, tag: str) -> None:
        self._close(tag)

    def _close(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].name == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if parent.name == "script" and not parent.children:
            # The script's text starts here: remember where, for line numbers in errors.
            parent.line, parent.column = self.getpos()
        if parent.children and isinstance(parent.children[-1], str):
            parent.children[-1] += data
        else:
            parent.children.append(data)

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append({"comment": data})


def _complete(root: Node) -> Node:
    """Wraps the parsed nodes into html > head + body when the markup left them out."""
    html = next((c for c in root.children if isinstance(c, Node) and c.name == "html"), None)
    if html is None:
        html = Node("html", children=[c for c in root.children if not _is_blank(c)])
    head = next((c for c in html.children if isinstance(c, Node) and c.name == "head"), None)
    body = next((c for c in html.children if isinstance(c, Node) and c.name == "body"), None)
    if head is None or body is None:
        new_head = head if head is not None else Node("head")
        new_body = body if body is not None else Node("body")
        in_head = head is None
        for child in html.children:
            if child is head or child is body:
                in_head = False
                continue
            if in_head and (
                _is_blank(child) or (isinstance(child, Node) and child.name in HEAD_ELEMENTS)
            ):
                if not _is_blank(child):
                    new_head.children.append(child)
                continue
            in_head = False
            new_body.children.append(child)
        html.children = [new_head, new_body]
    return html


def _is_blank(item: Node | str | dict[str, str]) -> bool:
    return isinstance(item, str) and item.strip() == ""


@dataclass
class ParsedPage:
    html: Node
    scripts: list[ScriptInfo]

    def tree_json(self) -> list[Any]:
        return [self.html.to_json()]


def parse_page(markup: str) -> ParsedPage:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    html = _complete(builder.root)
    scripts = [
        ScriptInfo(i, dict(node.attrs), node.text(), node.line, node.column)
        for i, node in enumerate(builder.scripts)
    ]
    return ParsedPage(html, scripts)


def parse_fragment(markup: str) -> list[Any]:
    """The nodes of an innerHTML assignment, as JSON items."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return [_item_json(c) for c in builder.root.children]
