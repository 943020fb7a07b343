"""Immediates of plain instructions in the text format (spec 6.5.2 - 6.5.11), producing the
tuples documented in engine/syntax/ast.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from engine.errors import MalformedError
from engine.text import numbers
from engine.text.keywords import natural_align
from engine.text.lexer import ALIGN_EQ, FLOAT, ID, INT, KW, NAT, OFFSET_EQ
from engine.text.types import parse_heaptype, parse_idx, parse_reftype

if TYPE_CHECKING:
    from engine.text.instrs import BodyParser

_NUM = (NAT, INT, FLOAT)
# Literal immediates that the reference converts only after parsing, and their errors.
_LITERALS = frozenset(("i32", "i64", "f32", "f64", "v128", "shuffle"))
_LITERAL_ERRORS = frozenset(
    (
        "constant out of range",
        "wrong number of lane literals",
        "invalid lane length",
        "i8 constant out of range",
    )
)
_IDX = (NAT, ID)

# Lane count and lane width of each v128.const shape.
SHAPES: dict[str, tuple[int, int]] = {
    "i8x16": (16, 8),
    "i16x8": (8, 16),
    "i32x4": (4, 32),
    "i64x2": (2, 64),
    "f32x4": (4, 32),
    "f64x2": (2, 64),
}


def _range_error() -> MalformedError:
    return MalformedError("constant out of range", -1)


def int_const(s: str, bits: int) -> int:
    try:
        return numbers.parse_int(s, bits)
    except ValueError:
        raise _range_error() from None


def float_const(s: str, ty: str) -> int:
    try:
        return numbers.parse_float(s, ty)
    except ValueError:
        raise _range_error() from None


def v128_const(shape: str, lits: list[str]) -> int:
    """The 128-bit value of ``v128.const shape lits`` (lane 0 in the low bits)."""
    n, width = SHAPES[shape]
    if len(lits) != n:
        raise MalformedError("wrong number of lane literals", -1)
    value = 0
    for k, s in enumerate(lits):
        if shape[0] == "f":
            lane = float_const(s, "f32" if width == 32 else "f64")
        else:
            lane = int_const(s, width)
        value |= lane << (k * width)
    return value


class Immediates:
    """Immediate parsers per immediate kind, bound to one body parser."""

    def __init__(self, bp: BodyParser) -> None:
        self.bp = bp
        self.cur = bp.cur
        self.ctx = bp.ctx
        ctx = bp.ctx
        self.spaces = {
            "func": ctx.funcs,
            "tag": ctx.tags,
            "global": ctx.globals,
            "type": ctx.types,
            "data": ctx.datas,
            "elem": ctx.elems,
        }
        self.table: dict[str, Callable[[str], tuple[Any, ...]]] = {
            "label": lambda op: (bp.label_idx(),),
            "br_table": self.br_table,
            "local": lambda op: (parse_idx(self.cur, bp.fc.locals),),
            "table": lambda op: (self.opt_idx(ctx.tables),),
            "memory": lambda op: (self.opt_idx(ctx.memories),),
            "type_field": self.type_field,
            "type_u32": lambda op: (self.idx(ctx.types), self.cur.nat(32)),
            "type_data": lambda op: (self.idx(ctx.types), self.idx(ctx.datas)),
            "type_elem": lambda op: (self.idx(ctx.types), self.idx(ctx.elems)),
            "type_type": lambda op: (self.idx(ctx.types), self.idx(ctx.types)),
            "memory_memory": lambda op: self.opt_pair(ctx.memories, ctx.memories),
            "table_table": lambda op: self.opt_pair(ctx.tables, ctx.tables),
            "memory_data": lambda op: self.init_pair(ctx.memories, ctx.datas),
            "table_elem": lambda op: self.init_pair(ctx.tables, ctx.elems),
            "memarg": self.memarg,
            "memarg_lane": self.memarg_lane,
            "lane": lambda op: (self.lane(),),
            "shuffle": self.shuffle,
            "i32": lambda op: (int_const(self.cur.num_token(), 32),),
            "i64": lambda op: (int_const(self.cur.num_token(), 64),),
            "f32": lambda op: (float_const(self.cur.num_token(), "f32"),),
            "f64": lambda op: (float_const(self.cur.num_token(), "f64"),),
            "v128": self.v128,
            "heaptype": lambda op: (parse_heaptype(self.cur, ctx),),
            "reftype": lambda op: (parse_reftype(self.cur, ctx),),
            "br_on_cast": lambda op: (
                bp.label_idx(),
                parse_reftype(self.cur, ctx),
                parse_reftype(self.cur, ctx),
            ),
            "fence": lambda op: (),
        }

    def parse(self, op: str, kind: str) -> tuple[Any, ...]:
        f = self.table.get(kind)
        if f is not None:
            if self.ctx.lenient and kind in _LITERALS:
                try:
                    return f(op)
                except MalformedError as e:
                    if e.message not in _LITERAL_ERRORS:
                        raise
                    return (0,)
            return f(op)
        space = self.spaces.get(kind)
        if space is None:
            raise MalformedError("unknown operator", -1)
        return (parse_idx(self.cur, space),)

    # --- indices ---------------------------------------------------------------------------

    def idx(self, space: Any) -> int:
        return parse_idx(self.cur, space)

    def opt_idx(self, space: Any) -> int:
        if self.cur.kinds[self.cur.i] in _IDX:
            return parse_idx(self.cur, space)
        return 0

    def opt_pair(self, s1: Any, s2: Any) -> tuple[int, int]:
        if self.cur.kinds[self.cur.i] in _IDX:
            return parse_idx(self.cur, s1), parse_idx(self.cur, s2)
        return 0, 0

    def init_pair(self, s1: Any, s2: Any) -> tuple[int, int]:
        cur = self.cur
        if cur.kinds[cur.i] in _IDX and cur.kinds[cur.i + 1] in _IDX:
            return parse_idx(cur, s1), parse_idx(cur, s2)
        return 0, parse_idx(cur, s2)

    def br_table(self, op: str) -> tuple[Any, ...]:
        cur = self.cur
        labels = [self.bp.label_idx()]
        while cur.kinds[cur.i] in _IDX:
            labels.append(self.bp.label_idx())
        return tuple(labels[:-1]), labels[-1]

    def type_field(self, op: str) -> tuple[int, int]:
        cur = self.cur
        x = parse_idx(cur, self.ctx.types)
        i = cur.i
        if cur.kinds[i] == ID:
            cur.i = i + 1
            space = self.ctx.fields.get(x)
            if space is None:
                raise MalformedError(f"unknown type {x}", -1)
            return x, space.lookup(cur.values[i])  # type: ignore[arg-type]
        return x, parse_idx(cur, None)

    # --- memory and lanes ------------------------------------------------------------------

    def _offset_align(self, op: str) -> tuple[int, int]:
        cur = self.cur
        kinds = cur.kinds
        offset = 0
        align = natural_align(op)
        i = cur.i
        if kinds[i] == OFFSET_EQ:
            try:
                offset = numbers.parse_nat(cur.values[i], 64)  # type: ignore[arg-type]
            except ValueError:
                raise MalformedError("i64 constant out of range", -1) from None
            i += 1
        if kinds[i] == ALIGN_EQ:
            try:
                n = numbers.parse_nat(cur.values[i], 64)  # type: ignore[arg-type]
            except ValueError:
                raise MalformedError("i64 constant out of range", -1) from None
            if n == 0 or n & (n - 1):
                raise MalformedError("alignment must be a power of two", -1)
            align = n.bit_length() - 1
            i += 1
        cur.i = i
        return align, offset

    def memarg(self, op: str) -> tuple[int, int, int]:
        mem = self.opt_idx(self.ctx.memories)
        align, offset = self._offset_align(op)
        return mem, align, offset

    def memarg_lane(self, op: str) -> tuple[int, int, int, int]:
        cur = self.cur
        kinds = cur.kinds
        i = cur.i
        mem = 0
        if kinds[i] == ID or (kinds[i] == NAT and kinds[i + 1] in (NAT, OFFSET_EQ, ALIGN_EQ)):
            mem = parse_idx(cur, self.ctx.memories)
        align, offset = self._offset_align(op)
        return mem, align, offset, self.lane()

    def lane(self) -> int:
        cur = self.cur
        s = cur.nat_token()
        try:
            return numbers.parse_nat(s, 8)
        except ValueError:
            raise MalformedError("i8 constant out of range", -1) from None

    def shuffle(self, op: str) -> tuple[Any, ...]:
        cur = self.cur
        lits = []
        while cur.kinds[cur.i] in _NUM:
            lits.append(cur.values[cur.i])
            cur.i += 1
        if len(lits) != 16:
            raise MalformedError("invalid lane length", -1)
        lanes = []
        for s in lits:
            try:
                lanes.append(numbers.parse_nat(s, 8))  # type: ignore[arg-type]
            except ValueError:
                raise MalformedError("i8 constant out of range", -1) from None
        return (tuple(lanes),)

    def v128(self, op: str) -> tuple[int]:
        cur = self.cur
        i = cur.i
        if cur.kinds[i] != KW or cur.values[i] not in SHAPES:
            cur.unexpected()
        shape: str = cur.values[i]  # type: ignore[assignment]
        cur.i = i + 1
        lits = []
        while cur.kinds[cur.i] in _NUM:
            lits.append(cur.values[cur.i])
            cur.i += 1
        return (v128_const(shape, lits),)  # type: ignore[arg-type]
