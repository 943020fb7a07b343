"""The text format (spec chapter 6): WAT modules and WAST scripts to the engine's AST."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.syntax.ast import Module
from engine.text.cursor import Cursor
from engine.text.lexer import EOF, RPAR, Tokens
from engine.text.module import parse_module_fields

if TYPE_CHECKING:
    from engine.script.ast import Script

__all__ = ["parse_wat", "parse_script", "parse_module_fields", "Cursor", "Tokens"]


def parse_wat(source: str) -> Module:
    """A ``.wat`` module: ``(module $id? field*)`` or a bare sequence of fields."""
    cur = Cursor(Tokens(source))
    if cur.at_paren_kw("module"):
        cur.i += 2
        name = cur.opt_id()
        m = parse_module_fields(cur)
        cur.rpar()
        m.names.module = name
    else:
        m = parse_module_fields(cur)
        if cur.kinds[cur.i] == RPAR:
            cur.unexpected()
    if cur.kinds[cur.i] != EOF:
        cur.unexpected()
    return m


def parse_script(source: str, path: str = "") -> Script:
    from engine.text.script import parse_script as parse

    return parse(source, path)
