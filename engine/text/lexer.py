"""Tokens of the text format (spec 6.3), mirroring the reference interpreter's lexer.mll.

The input is a ``str``.  Source read from bytes should be decoded with ``surrogateescape`` so
that bytes which are not UTF-8 survive as lone surrogates; the lexer reports them as "malformed
UTF-8 encoding" where the reference would.

Every maximal run of identifier characters and string literals is one chunk, classified as a
whole: this is what ocamllex's longest-match rule does, since the catch-all ``reserved`` token
covers exactly such runs.  A chunk that is no valid token becomes an error token; like the
reference, which lexes lazily, the error is raised only when the parser reaches it.
"""

from __future__ import annotations

import re

from engine.errors import MalformedError
from engine.text.keywords import KEYWORDS

# Token kinds.
LPAR, RPAR, KW, NAT, INT, FLOAT, STR, ID, OFFSET_EQ, ALIGN_EQ, EOF, ERROR = (
    "(",
    ")",
    "kw",
    "nat",
    "int",
    "float",
    "str",
    "id",
    "offset=",
    "align=",
    "eof",
    "error",
)

_IDCHAR = r"0-9a-zA-Z_+\-*/\\^~=<>!?@#$%&|:`.'"
# A well-formed string literal: no controls, no DEL, no lone surrogates, known escapes only.
_STRING = (
    r'"(?:[^"\\\x00-\x1f\x7f\ud800-\udfff]'
    r"|\\[nrt\\'\"]|\\[0-9a-fA-F]{2}|\\u\{[0-9a-fA-F](?:_?[0-9a-fA-F])*\})*\""
)
_MASTER = re.compile(
    r"(?P<ws>[ \t\n\r]+)"
    r"|(?P<lc>;;[^\n\r]*)"
    r"|(?P<bc>\(;)"
    r"|(?P<ann>\(@)"
    r"|(?P<lp>\()"
    r"|(?P<rp>\))"
    rf"|(?P<atom>(?:[{_IDCHAR}]|{_STRING})+)"
    r"|(?P<other>.)",
    re.S,
)
_STRING_RE = re.compile(_STRING)
_NUM = r"[0-9](?:_?[0-9])*"
_HEXNUM = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_NAT_RE = re.compile(rf"{_NUM}|0x{_HEXNUM}")
_INT_RE = re.compile(rf"[+-](?:{_NUM}|0x{_HEXNUM})")
_FLOAT_RE = re.compile(
    rf"[+-]?(?:{_NUM}\.(?:{_NUM})?"
    rf"|{_NUM}(?:\.(?:{_NUM})?)?[eE][+-]?{_NUM}"
    rf"|0x{_HEXNUM}\.(?:{_HEXNUM})?"
    rf"|0x{_HEXNUM}(?:\.(?:{_HEXNUM})?)?[pP][+-]?{_NUM}"
    rf"|inf|nan|nan:0x{_HEXNUM})"
)
_KEYWORD_RE = re.compile(r"[a-z][a-zA-Z0-9_.:]+")
_ID_RE = re.compile(rf"\$[{_IDCHAR}]+")
_COMMENT_RE = re.compile(r"\(;|;\)")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_ESCAPE_RE = re.compile(r"\\(?:([nrt\\'\"])|([0-9a-fA-F]{2})|u\{([0-9a-fA-F_]+)\})")
_SIMPLE_ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\", "'": b"'", '"': b'"'}


def error(msg: str) -> MalformedError:
    return MalformedError(msg, -1)


def decode_string(lit: str) -> bytes:
    """The bytes a well-formed string literal (with its quotes) denotes."""
    body = lit[1:-1]
    if "\\" not in body:
        return body.encode("utf-8")
    out = bytearray()
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        out += body[pos : m.start()].encode("utf-8")
        simple, hexpair, uni = m.groups()
        if simple is not None:
            out += _SIMPLE_ESCAPES[simple]
        elif hexpair is not None:
            out.append(int(hexpair, 16))
        else:
            cp = int(uni.replace("_", ""), 16)
            if cp >= 0x110000 or 0xD800 <= cp < 0xE000:
                raise error("malformed UTF-8 encoding")
            out += chr(cp).encode("utf-8")
        pos = m.end()
    out += body[pos:].encode("utf-8")
    return bytes(out)


def utf8_name(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error("malformed UTF-8 encoding") from None


def _string_error(text: str, pos: int) -> str:
    """The reference's message for an ill-formed string literal starting at ``pos``."""
    i = pos + 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            return "unexpected token"
        if c in "\n\r":
            return "unclosed string literal"
        if c == "\\":
            m = _ESCAPE_RE.match(text, i)
            if m is None:
                return "illegal escape"
            i = m.end()
            continue
        if c < " " or c == "\x7f":
            return "illegal control character in string literal"
        if "\ud800" <= c <= "\udfff":
            return "malformed UTF-8 encoding"
        i += 1
    return "unclosed string literal"


def _classify(chunk: str) -> tuple[str, object]:
    c = chunk[0]
    if c == "$":
        if _ID_RE.fullmatch(chunk):
            return ID, chunk[1:]
        if len(chunk) > 1 and chunk[1] == '"' and _STRING_RE.fullmatch(chunk, 1):
            name = utf8_name(decode_string(chunk[1:]))
            if not name:
                return ERROR, "empty identifier"
            return ID, name
        if chunk == "$":
            return ERROR, "empty identifier"
        return ERROR, f"unknown operator {chunk}"
    if c == '"':
        if _STRING_RE.fullmatch(chunk):
            return STR, decode_string(chunk)
        return ERROR, f"unknown operator {chunk}"
    if "a" <= c <= "z":
        if _KEYWORD_RE.fullmatch(chunk):
            if c in "in" and _FLOAT_RE.fullmatch(chunk):
                return FLOAT, chunk
            if chunk in KEYWORDS:
                return KW, chunk
            return ERROR, f"unknown operator {chunk}"
        if chunk.startswith("offset=") and _NAT_RE.fullmatch(chunk, 7):
            return OFFSET_EQ, chunk[7:]
        if chunk.startswith("align=") and _NAT_RE.fullmatch(chunk, 6):
            return ALIGN_EQ, chunk[6:]
        return ERROR, f"unknown operator {chunk}"
    if "0" <= c <= "9":
        if _NAT_RE.fullmatch(chunk):
            return NAT, chunk
        if _FLOAT_RE.fullmatch(chunk):
            return FLOAT, chunk
        return ERROR, f"unknown operator {chunk}"
    if c in "+-":
        if _INT_RE.fullmatch(chunk):
            return INT, chunk
        if _FLOAT_RE.fullmatch(chunk):
            return FLOAT, chunk
    return ERROR, f"unknown operator {chunk}"


# Classification is pure, and programs repeat their mnemonics and literals.
_CLASSIFIED: dict[str, tuple[str, object]] = {}


class Tokens:
    """The token stream: parallel lists of kinds, values and source positions.

    The last token is EOF, or an ERROR token where lexing stopped."""

    __slots__ = ("kinds", "values", "pos", "text", "_lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self.kinds: list[str] = []
        self.values: list[object] = []
        self.pos: list[int] = []
        self._lines: list[int] | None = None
        _lex(self, text)

    def line(self, index: int) -> int:
        """1-based line of token ``index``."""
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        import bisect

        return bisect.bisect_left(self._lines, self.pos[index]) + 1


def _skip_comment(text: str, pos: int) -> int:
    """Skip a nested block comment opened at ``pos``; returns the position after it."""
    depth = 0
    i = pos
    while True:
        m = _COMMENT_RE.search(text, i)
        if m is None:
            if _SURROGATE_RE.search(text, i):
                raise error("malformed UTF-8 encoding")
            raise error("unclosed comment")
        if _SURROGATE_RE.search(text, i, m.start()):
            raise error("malformed UTF-8 encoding")
        depth += 1 if m.group() == "(;" else -1
        i = m.end()
        if depth == 0:
            return i


def _skip_annotation(text: str, pos: int) -> int:
    """Skip an annotation ``(@id ...)`` opened at ``pos``; its content must lex."""
    m = _MASTER.match(text, pos + 2)
    if m is None or m.lastgroup != "atom":
        raise error("empty annotation id")
    name = m.group()
    if name[0] == '"':
        if not _STRING_RE.fullmatch(name) or not utf8_name(decode_string(name)):
            raise error("empty annotation id" if name == '""' else "malformed UTF-8 encoding")
    elif not re.fullmatch(f"[{_IDCHAR}]+", name):
        raise error("empty annotation id")
    i = m.end()
    depth = 1
    n = len(text)
    while i < n:
        m = _MASTER.match(text, i)
        assert m is not None
        kind = m.lastgroup
        if kind == "rp":
            depth -= 1
            if depth == 0:
                return m.end()
        elif kind == "lp":
            depth += 1
        elif kind == "ann":
            # Inside an annotation "(@" without an id is just "(" followed by an atom.
            depth += 1
            m2 = _MASTER.match(text, m.end())
            if m2 is not None and m2.lastgroup == "atom" and m2.group()[0] == '"':
                name = m2.group()
                if _STRING_RE.fullmatch(name) and not utf8_name(decode_string(name)):
                    raise error("empty annotation id")
            i = m.start() + 1
            continue
        elif kind == "bc":
            i = _skip_comment(text, i)
            continue
        elif kind == "lc" or kind == "atom":
            if _SURROGATE_RE.search(m.group()):
                raise error("malformed UTF-8 encoding")
            if kind == "atom" and m.group().startswith("$") and len(m.group()) == 1:
                raise error("empty identifier")
        elif kind == "other":
            c = m.group()
            if c == '"':
                raise error(_string_error(text, i))
            if "\ud800" <= c <= "\udfff":
                raise error("malformed UTF-8 encoding")
            if c not in ",;[]{}":
                raise error("illegal character")
        i = m.end()
    raise error("unclosed annotation")


def _lex(toks: Tokens, text: str) -> None:
    kinds, values, poss = toks.kinds, toks.values, toks.pos
    match = _MASTER.match
    cache = _CLASSIFIED
    i = 0
    n = len(text)
    try:
        while i < n:
            m = match(text, i)
            assert m is not None
            kind = m.lastgroup
            if kind == "ws":
                pass
            elif kind == "atom":
                chunk = m.group()
                kv = cache.get(chunk)
                if kv is None:
                    kv = _classify(chunk)
                    if len(chunk) <= 64 and len(cache) < 100_000:
                        cache[chunk] = kv
                k, v = kv
                kinds.append(k)
                values.append(v)
                poss.append(i)
                if k == ERROR:
                    return
            elif kind == "lp":
                kinds.append(LPAR)
                values.append(None)
                poss.append(i)
            elif kind == "rp":
                kinds.append(RPAR)
                values.append(None)
                poss.append(i)
            elif kind == "lc":
                if _SURROGATE_RE.search(m.group()):
                    raise error("malformed UTF-8 encoding")
            elif kind == "bc":
                i = _skip_comment(text, i)
                continue
            elif kind == "ann":
                i = _skip_annotation(text, i)
                continue
            else:
                c = m.group()
                if c == '"':
                    raise error(_string_error(text, i))
                if c in ",;[]{}":
                    raise error(f"unknown operator {c}")
                if c < " " or c == "\x7f":
                    raise error("misplaced control character")
                if "\ud800" <= c <= "\udfff":
                    raise error("malformed UTF-8 encoding")
                raise error("misplaced unicode character")
            i = m.end()
    except MalformedError as e:
        kinds.append(ERROR)
        values.append(e.message)
        poss.append(i)
        return
    kinds.append(EOF)
    values.append(None)
    poss.append(n)
