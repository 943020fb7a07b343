"""The text format's tokens and the lexer's error messages."""

import pytest

from engine.errors import MalformedError
from engine.text import parse_wat
from engine.text.lexer import ALIGN_EQ, EOF, FLOAT, ID, INT, KW, NAT, OFFSET_EQ, STR, Tokens


def kinds(src: str) -> list[tuple[str, object]]:
    t = Tokens(src)
    return list(zip(t.kinds, t.values))


def test_token_kinds() -> None:
    toks = kinds('(func $f "a\\n\\41\\u{1F600}" 1 -2 1.5 nan:0x1 offset=8 align=4)')
    assert toks == [
        ("(", None),
        (KW, "func"),
        (ID, "f"),
        (STR, b"a\nA\xf0\x9f\x98\x80"),
        (NAT, "1"),
        (INT, "-2"),
        (FLOAT, "1.5"),
        (FLOAT, "nan:0x1"),
        (OFFSET_EQ, "8"),
        (ALIGN_EQ, "4"),
        (")", None),
        (EOF, None),
    ]


def test_comments_and_annotations_are_skipped() -> None:
    toks = kinds("(; a (; nested ;) ;) ;; line\n (@custom x (y) (@z)) nop")
    assert toks == [(KW, "nop"), (EOF, None)]


def test_quoted_identifier() -> None:
    assert kinds('$"a b"')[0] == (ID, "a b")


@pytest.mark.parametrize(
    "src,msg",
    [
        ("(func (i32.foo))", "unknown operator i32.foo"),
        ('(data "\\q")', "illegal escape"),
        ('(data "abc', "unclosed string literal"),
        ("(; never closed", "unclosed comment"),
        ("(@a (x)", "unclosed annotation"),
        ("(@ x)", "empty annotation id"),
        ("(func $)", "empty identifier"),
        ("(func \x01)", "misplaced control character"),
        ("(func \u00e9)", "misplaced unicode character"),
        ('(data "\\u{d800}")', "malformed UTF-8 encoding"),
        ("(func (drop ,))", "unknown operator ,"),
    ],
)
def test_lexer_errors(src: str, msg: str) -> None:
    with pytest.raises(MalformedError) as e:
        parse_wat(src)
    assert e.value.message == msg


def test_lexer_error_wins_over_name_errors() -> None:
    # Name resolution happens after the whole module is read, so the bad token is reported.
    with pytest.raises(MalformedError) as e:
        parse_wat("(func (br $nowhere)) (func i32.bogus)")
    assert e.value.message == "unknown operator i32.bogus"


def test_line_numbers() -> None:
    t = Tokens("(module\n  (func)\n)")
    assert t.line(2) == 2
