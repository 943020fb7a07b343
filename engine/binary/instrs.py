"""Instruction decoding (spec 5.4), mirroring decode.ml's ``instr``.

Bodies are nested in the AST, but the decoder keeps its own stack of open blocks instead of
recursing, so arbitrarily deep nesting decodes in constant Python stack.  The hot loop
dispatches on the opcode byte through precomputed tables, reads short LEB128 immediates inline,
shares the tuples of small immediates and allocates instructions without a Python-level
initialiser; every instruction is still its own object with its own offset.
"""

from __future__ import annotations

from engine.binary.reader import (
    read_blocktype,
    read_heaptype,
    read_len,
    read_sN,
    read_u8,
    read_u32,
    read_u64,
    read_uN,
    read_valtype,
)
from engine.errors import MalformedError
from engine.syntax.ast import Catch, Instr
from engine.syntax.opcodes import OPCODES
from engine.syntax.types import RefType

# Kind codes for the one-byte opcodes; prefixed opcodes use the kind strings of OPCODES.
K_ILLEGAL, K_NONE, K_IDX, K_BLOCK, K_IF, K_MEMARG, K_I32, K_I64, K_F32, K_F64 = range(10)
K_OTHER, K_END, K_ELSE, K_PREFIX, K_TRY = range(10, 15)

_SIMPLE_KIND = {
    "": K_NONE,
    "label": K_IDX,
    "func": K_IDX,
    "tag": K_IDX,
    "local": K_IDX,
    "global": K_IDX,
    "table": K_IDX,
    "memory": K_IDX,
    "type": K_IDX,
    "memarg": K_MEMARG,
    "i32": K_I32,
    "i64": K_I64,
    "f32": K_F32,
    "f64": K_F64,
    "try_table": K_TRY,
}

NAME1: list[str] = [""] * 256
KIND1: list[int] = [K_ILLEGAL] * 256
OTHER1: list[str] = [""] * 256
PREFIXED: dict[int, dict[int, tuple[str, str]]] = {0xFB: {}, 0xFC: {}, 0xFD: {}, 0xFE: {}}

_FOLDED = {"select_t": "select", "ref.test_null": "ref.test", "ref.cast_null": "ref.cast"}

for _name, (_prefix, _code, _kind) in OPCODES.items():
    _op = _FOLDED.get(_name, _name)
    if _prefix is None:
        NAME1[_code] = _op
        if _name in ("block", "loop"):
            KIND1[_code] = K_BLOCK
        elif _name == "if":
            KIND1[_code] = K_IF
        else:
            KIND1[_code] = _SIMPLE_KIND.get(_kind, K_OTHER)
            OTHER1[_code] = _kind
    else:
        PREFIXED[_prefix][_code] = (_op, _kind)
KIND1[0x0B] = K_END
KIND1[0x05] = K_ELSE
for _p in PREFIXED:
    KIND1[_p] = K_PREFIX

# Prefixed ops without immediates whose sub-opcode is one byte, for the hot loop.
PLAIN_PREFIXED: dict[int, list[str | None]] = {
    prefix: [(ops[c][0] if c in ops and ops[c][1] == "" else None) for c in range(0x80)]
    for prefix, ops in PREFIXED.items()
}

# Ops that make the data count section mandatory when present in code (decode.ml, Free).
DATA_OPS = frozenset(("memory.init", "data.drop", "array.new_data", "array.init_data"))

_NULLABLE_CODES = {0x15, 0x17}  # ref.test_null, ref.cast_null


def read_memarg(data: bytes, p: int) -> tuple[tuple[int, int, int], int]:
    start = p
    flags, p = read_u32(data, p)
    if flags >= 0x80:
        raise MalformedError("malformed memop flags", start)
    mem = 0
    if flags & 0x40:
        mem, p = read_u32(data, p)
    offset, p = read_u64(data, p)
    return (mem, flags & 0x3F, offset), p


def _fixed(data: bytes, p: int, n: int) -> int:
    if p + n > len(data):
        raise IndexError
    return int.from_bytes(data[p : p + n], "little")


def _catch(data: bytes, p: int) -> tuple[Catch, int]:
    b = data[p]
    p += 1
    if b == 0 or b == 1:
        x, p = read_u32(data, p)
        y, p = read_u32(data, p)
        return Catch("catch" if b == 0 else "catch_ref", x, y), p
    if b == 2 or b == 3:
        y, p = read_u32(data, p)
        return Catch("catch_all" if b == 2 else "catch_all_ref", None, y), p
    raise MalformedError("malformed catch clause", p - 1)


def _imm(data: bytes, p: int, kind: str, code: int) -> tuple[tuple, int]:
    """Immediates of the less frequent kinds, in reference AST order."""
    if kind == "":
        return (), p
    if kind in _ONE_IDX:
        x, p = read_u32(data, p)
        return (x,), p
    if kind == "memarg":
        return read_memarg(data, p)
    if kind in _TWO_IDX:
        x, p = read_u32(data, p)
        y, p = read_u32(data, p)
        return (x, y), p
    if kind in _TWO_IDX_SWAPPED:
        y, p = read_u32(data, p)
        x, p = read_u32(data, p)
        return (x, y), p
    if kind == "br_table":
        n, p = read_len(data, p)
        labels = []
        for _ in range(n):
            x, p = read_u32(data, p)
            labels.append(x)
        x, p = read_u32(data, p)
        return (tuple(labels), x), p
    if kind == "select_t":
        n, p = read_len(data, p)
        ts = []
        for _ in range(n):
            t, p = read_valtype(data, p)
            ts.append(t)
        return (tuple(ts),), p
    if kind == "heaptype":
        h, p = read_heaptype(data, p)
        return (h,), p
    if kind == "reftype":
        h, p = read_heaptype(data, p)
        return (RefType(code in _NULLABLE_CODES, h),), p
    if kind == "br_on_cast":
        flags = data[p]
        if flags & 0xFC:
            raise MalformedError("malformed br_on_cast flags", p)
        x, p = read_u32(data, p + 1)
        h1, p = read_heaptype(data, p)
        h2, p = read_heaptype(data, p)
        return (x, RefType(bool(flags & 1), h1), RefType(bool(flags & 2), h2)), p
    if kind == "lane":
        x, p = read_u8(data, p)
        return (x,), p
    if kind == "memarg_lane":
        (m, a, o), p = read_memarg(data, p)
        x, p = read_u8(data, p)
        return (m, a, o, x), p
    if kind == "shuffle":
        lanes = []
        for _ in range(16):
            x, p = read_u8(data, p)
            lanes.append(x)
        return (tuple(lanes),), p
    if kind == "v128":
        return (_fixed(data, p, 16),), p + 16
    if kind == "fence":
        if data[p] != 0:
            raise MalformedError("zero byte expected", p)
        return (), p + 1
    if kind == "i32":
        v, p = read_sN(data, p, 32)
        return (v & 0xFFFFFFFF,), p
    if kind == "i64":
        v, p = read_sN(data, p, 64)
        return (v & 0xFFFFFFFFFFFFFFFF,), p
    if kind == "f32":
        return (_fixed(data, p, 4),), p + 4
    if kind == "f64":
        return (_fixed(data, p, 8),), p + 8
    raise AssertionError(kind)


_ONE_IDX = frozenset(
    ("label", "func", "tag", "local", "global", "table", "memory", "data", "elem", "type")
)
# Written in binary in the AST order.
_TWO_IDX = frozenset(
    ("type_field", "type_u32", "type_data", "type_elem", "type_type", "memory_memory")
) | {"table_table"}
# Written in binary in the opposite order: call_indirect (type, table), memory.init
# (data, memory), table.init (elem, table).
_TWO_IDX_SWAPPED = frozenset(("table_type", "memory_data", "table_elem"))


def _illegal_prefixed(prefix: int, code: int, at: int) -> MalformedError:
    if prefix == 0xFD:
        # decode.ml reports a SIMD opcode by its sub-opcode alone.
        return MalformedError(f"illegal opcode {code:02x}", at)
    return MalformedError(f"illegal opcode {prefix:02x} {code:02x}", at)


class DecodedInstr(Instr):
    """An ``Instr`` built by the decoder.

    Instr.__init__ is a Python call frame; with object's own initialiser the type call stays in
    C, which makes allocating an instruction half as expensive.  The decoder fills the slots.
    """

    __slots__ = ()
    __init__ = object.__init__  # type: ignore[assignment]


# Immediates are immutable tuples: the small common ones are shared instead of allocated
# (indices below 2^14, i32 constants in -64 .. 2^13, memargs of memory 0 with a small alignment
# and a one-byte offset).
_ONE: list[tuple[int]] = [(x,) for x in range(1 << 14)]
_I32_NEG: list[tuple[int]] = [((x - 0x80) & 0xFFFFFFFF,) for x in range(0x80)]
_MEMARG: list[tuple[int, int, int]] = [(0, a, o) for a in range(8) for o in range(0x80)]
small_index = _ONE


def decode_expr(data: bytes, p: int, flags: list[bool]) -> tuple[list[Instr], int]:
    """Decode instructions up to and including the closing ``end``.

    ``flags[0]`` is set when the code refers to a data segment (data count required).
    """
    body: list[Instr] = []
    cur = body
    append = cur.append
    # Open blocks: (enclosing list, state, else list) with state 0 block/loop/try_table,
    # 1 the then-arm of an if, 2 the else-arm.
    stack: list[tuple[list[Instr], int, list[Instr] | None]] = []
    state = 0
    else_list: list[Instr] | None = None
    kinds = KIND1
    names = NAME1
    end = len(data)
    from_bytes = int.from_bytes
    # The branches are ordered by how often the kinds occur in compiled code, and LEB128
    # values of one or two bytes (three for i32.const, nine for i64.const) are read inline: a
    # reader call with its result tuple costs as much as the instruction.
    I = DecodedInstr  # noqa: E741
    one = _ONE
    i32_neg = _I32_NEG
    memargs = _MEMARG
    while True:
        b = data[p]
        k = kinds[b]
        if k == K_IDX:
            ins = I()
            ins.op = names[b]
            ins.offset = p
            x = data[p + 1]
            if x < 0x80:
                ins.imm = one[x]
                p += 2
            else:
                y = data[p + 2]
                if y < 0x80:
                    ins.imm = one[(x & 0x7F) | (y << 7)]
                    p += 3
                else:
                    x, p = read_uN(data, p + 1, 32)
                    ins.imm = (x,)
            append(ins)
        elif k == K_NONE:
            ins = I()
            ins.op = names[b]
            ins.imm = ()
            ins.offset = p
            append(ins)
            p += 1
        elif k == K_MEMARG:
            ins = I()
            ins.op = names[b]
            ins.offset = p
            a = data[p + 1]
            o = data[p + 2]
            if a < 8:
                if o < 0x80:
                    ins.imm = memargs[a << 7 | o]
                    p += 3
                else:
                    o2 = data[p + 3]
                    if o2 < 0x80:
                        ins.imm = (0, a, (o & 0x7F) | (o2 << 7))
                        p += 4
                    else:
                        ins.imm, p = read_memarg(data, p + 1)
            else:
                ins.imm, p = read_memarg(data, p + 1)
            append(ins)
        elif k == K_I32:
            ins = I()
            ins.op = "i32.const"
            ins.offset = p
            x = data[p + 1]
            if x < 0x40:
                ins.imm = one[x]
                p += 2
            elif x < 0x80:
                ins.imm = i32_neg[x]
                p += 2
            else:
                y = data[p + 2]
                if y < 0x40:
                    ins.imm = one[(x & 0x7F) | (y << 7)]
                    append(ins)
                    p += 3
                    continue
                if y < 0x80:
                    x = ((x & 0x7F) | (y << 7)) + 0xFFFFC000
                    p += 3
                else:
                    z = data[p + 3]
                    if z < 0x80:
                        x = (x & 0x7F) | ((y & 0x7F) << 7) | (z << 14)
                        if z & 0x40:
                            x += 0xFFE00000
                        p += 4
                    else:
                        x, p = read_sN(data, p + 1, 32)
                        x &= 0xFFFFFFFF
                ins.imm = (x,)
            append(ins)
        elif k == K_F64:
            q = p + 9
            if q > end:
                raise IndexError
            ins = I()
            ins.op = "f64.const"
            ins.imm = (from_bytes(data[p + 1 : q], "little"),)
            ins.offset = p
            append(ins)
            p = q
        elif k == K_END:
            if not stack:
                return body, p + 1
            cur, state, else_list = stack.pop()
            append = cur.append
            p += 1
        elif k == K_BLOCK or k == K_IF:
            q = p + 1
            bt = data[q]
            if bt == 0x40:
                bt = None
                q += 1
            else:
                bt, q = read_blocktype(data, q)
            inner: list[Instr] = []
            ins = I()
            ins.offset = p
            stack.append((cur, state, else_list))
            if k == K_IF:
                els: list[Instr] = []
                ins.op = "if"
                ins.imm = (bt, inner, els)
                state = 1
                else_list = els
            else:
                ins.op = names[b]
                ins.imm = (bt, inner)
                state = 0
            append(ins)
            cur = inner
            append = cur.append
            p = q
        elif k == K_PREFIX:
            code = data[p + 1]
            op = PLAIN_PREFIXED[b][code] if code < 0x80 else None
            if op is not None:
                ins = I()
                ins.op = op
                ins.imm = ()
                ins.offset = p
                append(ins)
                p += 2
                continue
            code, q = read_u32(data, p + 1)
            entry = PREFIXED[b].get(code)
            if entry is None:
                raise _illegal_prefixed(b, code, p)
            op, kind = entry
            imm, q = _imm(data, q, kind, code)
            if op in DATA_OPS:
                flags[0] = True
            append(Instr(op, imm, p))
            p = q
        elif k == K_I64:
            x = data[p + 1]
            if x < 0x40:
                q = p + 2
            else:
                # Up to nine bytes (63 bits) need no range check; longer goes to the reader.
                q = p + 2
                shift = 7
                y = x
                x &= 0x7F
                while y >= 0x80 and shift < 63:
                    y = data[q]
                    q += 1
                    x |= (y & 0x7F) << shift
                    shift += 7
                if y >= 0x80:
                    x, q = read_sN(data, p + 1, 64)
                elif y & 0x40:
                    x -= 1 << shift
                x &= 0xFFFFFFFFFFFFFFFF
            ins = I()
            ins.op = "i64.const"
            ins.imm = (x,)
            ins.offset = p
            append(ins)
            p = q
        elif k == K_ELSE:
            if state != 1:
                raise MalformedError("END opcode expected", p)
            assert else_list is not None
            cur = else_list
            append = cur.append
            state = 2
            p += 1
        elif k == K_F32:
            q = p + 5
            if q > end:
                raise IndexError
            append(Instr("f32.const", (from_bytes(data[p + 1 : q], "little"),), p))
            p = q
        elif k == K_OTHER:
            imm, q = _imm(data, p + 1, OTHER1[b], b)
            append(Instr(names[b], imm, p))
            p = q
        elif k == K_TRY:
            bt, q = read_blocktype(data, p + 1)
            n, q = read_len(data, q)
            catches = []
            for _ in range(n):
                c, q = _catch(data, q)
                catches.append(c)
            inner = []
            append(Instr("try_table", (bt, catches, inner), p))
            stack.append((cur, state, else_list))
            state = 0
            cur = inner
            append = cur.append
            p = q
        else:
            raise MalformedError(f"illegal opcode {b:02x}", p)
