"""A cursor over the token stream, with the helpers every grammar rule needs."""

from __future__ import annotations

from typing import NoReturn

from engine.errors import MalformedError
from engine.text import numbers
from engine.text.lexer import (
    ERROR,
    ID,
    INT,
    KW,
    LPAR,
    NAT,
    RPAR,
    STR,
    Tokens,
    utf8_name,
)

# Deep nesting is bounded by the interpreter stack: the entry points turn RecursionError
# into a MalformedError; this limit only guards runaway input on a raised recursion limit.
MAX_DEPTH = 100_000


class Cursor:
    def __init__(self, toks: Tokens, start: int = 0) -> None:
        self.toks = toks
        self.kinds = toks.kinds
        self.values = toks.values
        self.i = start
        self.depth = 0

    # --- errors ----------------------------------------------------------------------------

    def fail(self, msg: str) -> NoReturn:
        raise MalformedError(msg, -1)

    def unexpected(self, at: int | None = None) -> NoReturn:
        """The reference's parse error, or the lexer's if the parser ran into one."""
        j = self.i if at is None else at
        # The reference reads one token past a "(" before it can fail, so a lexer error
        # right after it is what it reports.
        if self.kinds[j] == LPAR and self.kinds[j + 1] == ERROR:
            j += 1
        if self.kinds[j] == ERROR:
            self.fail(self.values[j])  # type: ignore[arg-type]
        self.fail("unexpected token")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail("nesting too deep")

    # --- token tests -----------------------------------------------------------------------

    def kind(self, off: int = 0) -> str:
        return self.kinds[self.i + off]

    def at_kw(self, kw: str) -> bool:
        return self.kinds[self.i] == KW and self.values[self.i] == kw

    def at_paren_kw(self, kw: str) -> bool:
        """Is the cursor at ``(kw``?"""
        i = self.i
        return self.kinds[i] == LPAR and self.kinds[i + 1] == KW and self.values[i + 1] == kw

    def paren_kw(self) -> str | None:
        """The keyword after ``(`` at the cursor, if any."""
        i = self.i
        if self.kinds[i] == LPAR and self.kinds[i + 1] == KW:
            return self.values[i + 1]  # type: ignore[return-value]
        return None

    # --- consuming -------------------------------------------------------------------------

    def lpar(self) -> None:
        if self.kinds[self.i] != LPAR:
            self.unexpected()
        self.i += 1

    def rpar(self) -> None:
        if self.kinds[self.i] != RPAR:
            self.unexpected()
        self.i += 1

    def kw(self, kw: str) -> None:
        if self.kinds[self.i] != KW or self.values[self.i] != kw:
            self.unexpected()
        self.i += 1

    def open(self, kw: str) -> None:
        self.lpar()
        self.kw(kw)

    def accept_kw(self, kw: str) -> bool:
        if self.kinds[self.i] == KW and self.values[self.i] == kw:
            self.i += 1
            return True
        return False

    def any_kw(self) -> str:
        if self.kinds[self.i] != KW:
            self.unexpected()
        self.i += 1
        return self.values[self.i - 1]  # type: ignore[return-value]

    def opt_id(self) -> str | None:
        if self.kinds[self.i] == ID:
            self.i += 1
            return self.values[self.i - 1]  # type: ignore[return-value]
        return None

    def string(self) -> bytes:
        if self.kinds[self.i] != STR:
            self.unexpected()
        self.i += 1
        return self.values[self.i - 1]  # type: ignore[return-value]

    def strings(self) -> bytes:
        parts = []
        while self.kinds[self.i] == STR:
            parts.append(self.values[self.i])
            self.i += 1
        return b"".join(parts)  # type: ignore[arg-type]

    def name(self) -> str:
        return utf8_name(self.string())

    def nat_token(self) -> str:
        if self.kinds[self.i] != NAT:
            self.unexpected()
        self.i += 1
        return self.values[self.i - 1]  # type: ignore[return-value]

    def nat(self, bits: int) -> int:
        s = self.nat_token()
        try:
            return numbers.parse_nat(s, bits)
        except ValueError:
            self.fail(f"i{bits} constant out of range")

    def num_token(self) -> str:
        """A NAT, INT or FLOAT token (the grammar's ``num``)."""
        k = self.kinds[self.i]
        if k != NAT and k != INT and k != "float":
            self.unexpected()
        self.i += 1
        return self.values[self.i - 1]  # type: ignore[return-value]

    def skip_to_close(self) -> None:
        """Move past the ``)`` matching the ``(`` just before the cursor (lenient: stops at the
        end of input or at a lexer error)."""
        depth = 1
        kinds = self.kinds
        i = self.i
        n = len(kinds) - 1
        while i < n:
            k = kinds[i]
            if k == LPAR:
                depth += 1
            elif k == RPAR:
                depth -= 1
                if depth == 0:
                    self.i = i + 1
                    return
            i += 1
        self.i = i


def is_idx(kind: str) -> bool:
    return kind == NAT or kind == ID
