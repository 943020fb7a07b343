"""The WAST script grammar (the reference's parser.mly, "Scripts" section) -> engine.script.ast.

The whole file is lexed once; module fields are parsed by the module grammar
(``engine.text.module.parse_module_fields``) on the same cursor.  A text module whose fields
fail to parse does not sink the whole script: the command keeps the error and reports it when
it runs, so that one bad module is one failed check.  Anything else that does not parse
(an unknown command, a bad literal) is a ``MalformedError`` for the script, with its line.
"""

from __future__ import annotations

from typing import Any

from engine.errors import MalformedError
from engine.script import ast as S
from engine.text import numbers
from engine.text.cursor import Cursor
from engine.text.lexer import EOF, ERROR, FLOAT, ID, INT, KW, LPAR, NAT, RPAR, STR, Tokens

# Keywords that open a module field: a script made only of these is one inline module.
_FIELD_KWS = frozenset(
    ("type", "rec", "import", "func", "table", "memory", "global", "tag", "export", "start")
    + ("elem", "data")
)

_LANES = {
    "i8x16": ("i", 8, 16),
    "i16x8": ("i", 16, 8),
    "i32x4": ("i", 32, 4),
    "i64x2": ("i", 64, 2),
    "f32x4": ("f", 32, 4),
    "f64x2": ("f", 64, 2),
}

_NUM_CONSTS = {"i32.const": "i32", "i64.const": "i64", "f32.const": "f32", "f64.const": "f64"}

_REF_TYPE_PATTERNS = {
    "ref": "any",
    "ref.any": "any",
    "ref.eq": "eq",
    "ref.i31": "i31",
    "ref.struct": "struct",
    "ref.array": "array",
    "ref.func": "func",
    "ref.exn": "exn",
    "ref.extern": "extern",
}

_ABSTRACT_HEAPS = {
    "func": "func",
    "nofunc": "nofunc",
    "extern": "extern",
    "noextern": "noextern",
    "any": "any",
    "eq": "eq",
    "i31": "i31",
    "struct": "struct",
    "array": "array",
    "none": "none",
    "exn": "exn",
    "noexn": "noexn",
}


class UnavailableError(Exception):
    """A piece of the engine this command needs has not been built (the command is skipped)."""


def parse_script(source: str, path: str = "") -> S.Script:
    """Parse a ``.wast`` script.  When the script itself does not parse, raises the
    reference's MalformedError with the 1-based ``line`` where parsing stopped attached."""
    p = _ScriptParser(source)
    try:
        commands = p.script()
    except MalformedError as e:
        e.line = p.line_at(p.cur.i)  # type: ignore[attr-defined]
        raise
    except RecursionError:
        err = MalformedError("nesting too deep", -1)
        err.line = p.line_at(p.cur.i)  # type: ignore[attr-defined]
        raise err from None
    return S.Script(commands, path)


def parse_quoted_module(text: str) -> Any:
    """The module a ``(module quote ...)`` denotes: the reference's ``module1`` rule,
    ``(module $id? field*)`` or bare fields, then the end of input."""
    try:
        from engine.text import parse_wat  # type: ignore[attr-defined]
    except ImportError:
        parse_wat = None
    if parse_wat is not None:
        return parse_wat(text)
    fields = _module_fields_parser()
    cur = Cursor(Tokens(text))
    try:
        if cur.at_paren_kw("module"):
            cur.i += 2
            cur.opt_id()
            m = fields(cur)
            cur.rpar()
        else:
            m = fields(cur)
        if cur.kind() != EOF:
            cur.unexpected()
    except RecursionError:
        raise MalformedError("nesting too deep", -1) from None
    return m


def _module_fields_parser() -> Any:
    try:
        from engine.text.module import parse_module_fields  # type: ignore[import-not-found]
    except ImportError as e:
        raise UnavailableError(f"text module parser not available: {e}") from None
    return parse_module_fields


class _ScriptParser:
    def __init__(self, source: str) -> None:
        self.toks = Tokens(source)
        self.cur = Cursor(self.toks)

    def line_at(self, i: int) -> int:
        i = min(i, len(self.toks.pos) - 1)
        return self.toks.line(i) if i >= 0 else 0

    # --- top level -------------------------------------------------------------------------

    def script(self) -> list[S.Command]:
        cur = self.cur
        if cur.kind() == LPAR and cur.kind(1) == KW and cur.values[cur.i + 1] in _FIELD_KWS:
            # The sugar of a script that is a single module's fields.
            line = self.line_at(cur.i)
            sm = self._fields_module(line, None, cur.i, until_eof=True)
            return [S.ModuleCommand(sm, line)]
        cmds: list[S.Command] = []
        while cur.kind() != EOF:
            cmd = self.command()
            if cmd is not None:
                cmds.append(cmd)
        return cmds

    def command(self) -> S.Command | None:
        cur = self.cur
        start = cur.i
        line = self.line_at(start)
        kw = cur.paren_kw()
        if kw is None:
            cur.unexpected()
        if kw == "module":
            if cur.kind(2) == KW and cur.values[cur.i + 2] == "instance":
                return self.instance(line)
            definition, sm = self.script_module()
            return S.ModuleCommand(sm, line, definition)
        if kw in ("invoke", "get"):
            return S.ActionCommand(self.action(), line)
        if kw == "register":
            cur.i += 2
            name = cur.name()
            mid = cur.opt_id()
            cur.rpar()
            return S.Register(name, mid, line)
        if kw == "thread":
            return self.thread(line)
        if kw == "wait":
            cur.i += 2
            tid = cur.opt_id()
            if tid is None:
                cur.unexpected()
            cur.rpar()
            return S.Wait(tid, line)
        if kw in ("script", "input", "output"):
            # Meta commands: the suite does not use them; they do nothing here.
            cur.i += 2
            cur.skip_to_close()
            return None
        if kw.startswith("assert_"):
            return self.assertion(kw, line)
        cur.i += 1
        cur.unexpected()

    # --- modules ---------------------------------------------------------------------------

    def instance(self, line: int) -> S.InstanceCommand:
        cur = self.cur
        cur.i += 3  # ( module instance
        first = cur.opt_id()
        second = cur.opt_id()
        cur.rpar()
        if second is None:
            return S.InstanceCommand(None, first, line)
        return S.InstanceCommand(first, second, line)

    def script_module(self) -> tuple[bool, S.ScriptModule]:
        cur = self.cur
        start = cur.i
        line = self.line_at(start)
        cur.i += 2  # ( module
        definition = cur.accept_kw("definition")
        mid = cur.opt_id()
        if cur.accept_kw("binary"):
            data = cur.strings()
            cur.rpar()
            return definition, S.ScriptModule("binary", line, mid, data=data)
        if cur.accept_kw("quote"):
            raw = cur.strings()
            cur.rpar()
            text = raw.decode("utf-8", errors="surrogateescape")
            return definition, S.ScriptModule("quote", line, mid, text=text)
        return definition, self._fields_module(line, mid, start, until_eof=False)

    def _fields_module(self, line: int, mid: str | None, start: int, until_eof: bool) -> Any:
        """Parse module fields at the cursor; ``start`` is the module's ``(`` (or its first
        field for the inline sugar).  On a parse error, skip the module and keep the error."""
        cur = self.cur
        sm = S.ScriptModule("text", line, mid)
        try:
            fields = _module_fields_parser()
            cur.depth = 0
            sm.module = fields(cur)
            if until_eof:
                if cur.kind() != EOF:
                    cur.unexpected()
            else:
                cur.rpar()
            return sm
        except UnavailableError as e:
            sm.error = str(e)
            sm.unavailable = True
        except MalformedError as e:
            sm.error = e.message
        except RecursionError:
            sm.error = "nesting too deep"
        # Resynchronise after the module: its text still has to be well-bracketed.
        if until_eof:
            cur.i = len(cur.kinds) - 1
            if cur.kinds[cur.i] == ERROR:
                cur.unexpected(cur.i)
        else:
            cur.i = _matching_close(cur, start)
        end = self.toks.pos[cur.i - 1] + 1 if cur.kinds[cur.i - 1] == RPAR else len(self.toks.text)
        sm.text = self.toks.text[self.toks.pos[start] : end]
        return sm

    # --- actions ---------------------------------------------------------------------------

    def action(self) -> S.Action:
        cur = self.cur
        line = self.line_at(cur.i)
        cur.lpar()
        kw = cur.any_kw()
        mid = cur.opt_id()
        name = cur.name()
        if kw == "get":
            cur.rpar()
            return S.Get(mid, name, line)
        if kw != "invoke":
            cur.unexpected(cur.i - 3)
        args = []
        while cur.kind() == LPAR:
            args.append(self.literal())
        cur.rpar()
        return S.Invoke(mid, name, args, line)

    def literal(self) -> S.Const:
        cur = self.cur
        cur.lpar()
        kw = cur.any_kw()
        if kw in _NUM_CONSTS:
            t = _NUM_CONSTS[kw]
            c = S.Const(t, self.num(t))
        elif kw == "v128.const":
            shape = self.shape()
            lanes = []
            while cur.kind() != RPAR:
                lanes.append(self.lane(shape))
            if len(lanes) != _LANES[shape][2]:
                cur.fail("wrong number of lane literals")
            c = S.Const("v128", self.vec(shape, lanes))
        elif kw == "ref.null":
            c = S.Const("ref.null", self.heaptype())
        elif kw in ("ref.extern", "ref.host"):
            c = S.Const(kw, cur.nat(32))
        else:
            cur.unexpected(cur.i - 1)
        cur.rpar()
        return c

    # --- numbers ---------------------------------------------------------------------------

    def num(self, t: str) -> int:
        cur = self.cur
        s = cur.num_token()
        try:
            if t[0] == "i":
                if cur.kinds[cur.i - 1] == FLOAT:
                    cur.unexpected(cur.i - 1)
                return numbers.parse_int(s, int(t[1:]))
            return numbers.parse_float(s, t)
        except ValueError:
            cur.fail("constant out of range")

    def shape(self) -> str:
        cur = self.cur
        shape = cur.any_kw()
        if shape not in _LANES:
            cur.unexpected(cur.i - 1)
        return shape

    def lane(self, shape: str) -> int:
        kind, bits, _ = _LANES[shape]
        if kind == "f":
            return self.num(f"f{bits}")
        cur = self.cur
        s = cur.num_token()
        if cur.kinds[cur.i - 1] == FLOAT:
            cur.unexpected(cur.i - 1)
        try:
            return numbers.parse_int(s, bits)
        except ValueError:
            cur.fail("constant out of range")

    def vec(self, shape: str, lanes: list[Any]) -> int:
        _, bits, _ = _LANES[shape]
        mask = (1 << bits) - 1
        v = 0
        for i, lane in enumerate(lanes):
            v |= (lane & mask) << (i * bits)
        return v

    def heaptype(self) -> Any:
        cur = self.cur
        if cur.kind() == KW and cur.values[cur.i] in _ABSTRACT_HEAPS:
            return _ABSTRACT_HEAPS[cur.any_kw()]
        if cur.kind() in (NAT, ID):
            # A concrete type has no meaning outside a module; any null matches it.
            cur.i += 1
            return None
        cur.unexpected()

    # --- results ---------------------------------------------------------------------------

    def result(self) -> S.Result:
        cur = self.cur
        cur.lpar()
        kw = cur.any_kw()
        r: S.Result
        if kw in _NUM_CONSTS:
            t = _NUM_CONSTS[kw]
            if t[0] == "f" and cur.kind() == KW and cur.values[cur.i] in _NAN_KWS:
                r = S.NanPattern(t, _NAN_KWS[cur.any_kw()])
            else:
                r = S.Const(t, self.num(t))
        elif kw == "v128.const":
            shape = self.shape()
            kind, bits, n = _LANES[shape]
            lanes: list[Any] = []
            while cur.kind() != RPAR:
                if kind == "f" and cur.kind() == KW and cur.values[cur.i] in _NAN_KWS:
                    lanes.append(S.NanPattern(f"f{bits}", _NAN_KWS[cur.any_kw()]))
                else:
                    lanes.append(self.lane(shape) & ((1 << bits) - 1))
            if len(lanes) != n:
                cur.fail("wrong number of lane literals")
            if all(isinstance(x, int) for x in lanes):
                r = S.Const("v128", self.vec(shape, lanes))
            else:
                r = S.VecPattern(shape, tuple(lanes))
        elif kw == "ref.null":
            r = S.RefPattern("null", self.heaptype() if cur.kind() != RPAR else None)
        elif kw in ("ref.extern", "ref.host") and cur.kind() == NAT:
            r = S.RefPattern(kw[4:], cur.nat(32))
        elif kw in _REF_TYPE_PATTERNS:
            r = S.RefPattern(_REF_TYPE_PATTERNS[kw])
        elif kw == "either":
            alts = [self.result()]
            while cur.kind() == LPAR:
                alts.append(self.result())
            r = S.Either(tuple(alts))
        else:
            cur.unexpected(cur.i - 1)
        cur.rpar()
        return r

    # --- assertions ------------------------------------------------------------------------

    def assertion(self, kw: str, line: int) -> S.Command:
        cur = self.cur
        cur.i += 2
        if kw == "assert_return":
            act = self.action()
            results = []
            while cur.kind() == LPAR:
                results.append(self.result())
            cur.rpar()
            return S.AssertReturn(act, results, line)
        if kw in ("assert_exhaustion", "assert_exception"):
            act = self.action()
            if kw == "assert_exception":
                cur.rpar()
                return S.AssertException(act, line)
            msg = self.message()
            cur.rpar()
            return S.AssertExhaustion(act, msg, line)
        if kw == "assert_trap":
            if cur.paren_kw() == "module":
                definition, sm = self.script_module()
                if definition:
                    raise MalformedError("misplaced module definition", -1)
                msg = self.message()
                cur.rpar()
                return S.AssertTrap(sm, msg, line)
            act = self.action()
            msg = self.message()
            cur.rpar()
            return S.AssertTrap(act, msg, line)
        kinds = {
            "assert_malformed": "malformed",
            "assert_invalid": "invalid",
            "assert_unlinkable": "unlinkable",
            "assert_uninstantiable": "uninstantiable",
            "assert_malformed_custom": "malformed_custom",
            "assert_invalid_custom": "invalid_custom",
        }
        if kw not in kinds:
            cur.i -= 1
            cur.unexpected()
        if cur.paren_kw() != "module":
            cur.unexpected()
        definition, sm = self.script_module()
        if definition and kw in ("assert_unlinkable", "assert_uninstantiable"):
            raise MalformedError("misplaced module definition", -1)
        msg = self.message()
        cur.rpar()
        return S.AssertModule(kinds[kw], sm, msg, line)

    def message(self) -> str:
        cur = self.cur
        if cur.kind() != STR:
            cur.unexpected()
        return cur.string().decode("utf-8", errors="replace")

    # --- threads ---------------------------------------------------------------------------

    def thread(self, line: int) -> S.Thread:
        cur = self.cur
        cur.i += 2
        name = cur.opt_id()
        if name is None:
            cur.unexpected()
        shared: list[str] = []
        while cur.at_paren_kw("shared"):
            cur.i += 2
            cur.open("module")
            mid = cur.opt_id()
            if mid is None:
                cur.unexpected()
            shared.append(mid)
            cur.rpar()
            cur.rpar()
        cmds: list[S.Command] = []
        while cur.kind() != RPAR:
            cmd = self.command()
            if cmd is not None:
                cmds.append(cmd)
        cur.rpar()
        return S.Thread(name, shared, cmds, line)


def _matching_close(cur: Cursor, start: int) -> int:
    """The index after the ``)`` that closes the ``(`` at ``start``; an unclosed one is the
    reference's "unexpected token" at the end (or the lexer's error that ended the input)."""
    depth = 0
    kinds = cur.kinds
    for i in range(start, len(kinds)):
        k = kinds[i]
        if k == LPAR:
            depth += 1
        elif k == RPAR:
            depth -= 1
            if depth == 0:
                return i + 1
        elif k == ERROR:
            cur.i = i
            cur.unexpected(i)
    cur.i = len(kinds) - 1
    cur.unexpected()


_NAN_KWS = {"nan:canonical": "canonical", "nan:arithmetic": "arithmetic"}


# Token kinds a literal's number may be: re-exported for the runner's argument parser.
NUM_KINDS = (NAT, INT, FLOAT)
