"""The decoder's inline LEB128 readings agree with the general readers, byte for byte.

The hot loop of ``decode_expr`` reads one-, two- and three-byte immediates inline and shares
small immediate tuples; these tests pin that every encoding (canonical or padded, at each
length boundary, truncated) decodes to the same value, offset and error as the general path.
"""

from __future__ import annotations

import pytest
from binary_helpers import TYPE_VOID, func_module, leb, module, section, vec
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.binary import decode_module
from engine.binary.instrs import decode_expr
from engine.errors import MalformedError
from engine.syntax.ast import Instr

END = "unexpected end of section or function"


def sleb(n: int, pad: int = 0) -> bytes:
    """Signed LEB128 of ``n`` with ``pad`` redundant continuation bytes."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            break
        out.append(b | 0x80)
    fill = 0x7F if out[-1] & 0x40 else 0x00
    for _ in range(pad):
        out[-1] |= 0x80
        out.append(fill | (0x80 if _ < pad - 1 else 0))
    return bytes(out)


def uleb(n: int, pad: int = 0) -> bytes:
    out = bytearray(leb(n))
    for i in range(pad):
        out[-1] |= 0x80
        out.append(0x80 if i < pad - 1 else 0x00)
    return bytes(out)


def body_of(code: bytes, locals_: bytes = b"\x01\x02\x7f") -> list[Instr]:
    m = decode_module(func_module(code, locals_))
    return m.funcs[0].body


def expr(code: bytes) -> tuple[list[Instr], int]:
    return decode_expr(code, 0, [False])


I32_EDGES = [
    0, 1, 63, 64, 127, 128, 8191, 8192, 16383, 16384, (1 << 20) - 1, 1 << 20, (1 << 31) - 1,
    -1, -63, -64, -65, -128, -8192, -8193, -(1 << 20), -(1 << 20) - 1, -(1 << 31),
]  # fmt: skip


@pytest.mark.parametrize(
    "value, pad", [(v, n) for v in I32_EDGES for n in (0, 1, 2) if len(sleb(v, n)) <= 5]
)
def test_i32_const_every_length(value: int, pad: int) -> None:
    enc = sleb(value, pad)
    body, p = expr(b"\x41" + enc + b"\x0b")
    assert p == len(enc) + 2
    assert body == [Instr("i32.const", (value & 0xFFFFFFFF,))]
    assert body[0].offset == 0


I64_EDGES = [
    0, 1, 63, 64, -1, -64, -65, 1 << 40, -(1 << 40), (1 << 55) - 1, 1 << 55, -(1 << 55),
    -(1 << 55) - 1, (1 << 62) - 1, 1 << 62, -(1 << 62), -(1 << 62) - 1, (1 << 63) - 1, -(1 << 63),
]  # fmt: skip


@pytest.mark.parametrize(
    "value, pad", [(v, n) for v in I64_EDGES for n in (0, 1, 3) if len(sleb(v, n)) <= 10]
)
def test_i64_const(value: int, pad: int) -> None:
    enc = sleb(value, pad)
    body, p = expr(b"\x42" + enc + b"\x0b")
    assert p == len(enc) + 2
    assert body == [Instr("i64.const", (value & 0xFFFFFFFFFFFFFFFF,))]


@pytest.mark.parametrize(
    "enc, message",
    [
        (b"\x80" * 10 + b"\x00", "integer representation too long"),
        (b"\xff" * 9 + b"\x7e", "integer too large"),
        (b"\x80" * 9 + b"\x01", "integer too large"),
    ],
)
def test_i64_const_overlong(enc: bytes, message: str) -> None:
    with pytest.raises(MalformedError) as exc:
        expr(b"\x42" + enc + b"\x1a\x0b")
    assert exc.value.message == message


def test_i64_const_truncated() -> None:
    with pytest.raises(IndexError):
        expr(b"\x42\x80\x80")


U32_EDGES = [0, 1, 127, 128, 300, 16383, 16384, 1 << 21, (1 << 32) - 1]


@pytest.mark.parametrize(
    "x, pad", [(x, n) for x in U32_EDGES for n in (0, 1) if len(uleb(x, n)) <= 5]
)
def test_index_immediates(x: int, pad: int) -> None:
    enc = uleb(x, pad)
    body, p = expr(b"\x10" + enc + b"\x20" + enc + b"\x0b")
    assert p == 2 * len(enc) + 3
    assert body == [Instr("call", (x,)), Instr("local.get", (x,))]
    assert [i.offset for i in body] == [0, 1 + len(enc)]


@pytest.mark.parametrize("align", [0, 2, 7, 8, 0x3F])
@pytest.mark.parametrize("offset", [0, 127, 128, 16383, 16384, 1 << 32])
def test_memarg(align: int, offset: int) -> None:
    body, _ = expr(b"\x41\x00\x28" + leb(align) + leb(offset) + b"\x1a\x0b")
    assert body[1] == Instr("i32.load", (0, align, offset))
    assert body[1].offset == 2


def test_memarg_with_memory_index() -> None:
    body, _ = expr(b"\x41\x00\x28" + leb(0x42) + leb(3) + leb(16) + b"\x1a\x0b")
    assert body[1] == Instr("i32.load", (3, 2, 16))


def test_memarg_flags_too_large() -> None:
    with pytest.raises(MalformedError) as exc:
        expr(b"\x41\x00\x28\x80\x01\x00\x1a\x0b")
    assert exc.value.message == "malformed memop flags"


def test_offsets_of_nested_and_prefixed_instructions() -> None:
    code = (
        b"\x02\x40"  # block 0
        + b"\x41\x05"  # i32.const 2
        + b"\x04\x7f"  # if (result i32) 4
        + b"\x44" + bytes(8)  # f64.const 6
        + b"\xfc\x02"  # i32.trunc_sat_f64_s 15
        + b"\x05"  # else 17
        + b"\x42\x7f"  # i64.const 18
        + b"\xa7"  # i32.wrap_i64 20
        + b"\x0b"  # end 21
        + b"\x1a"  # drop 22
        + b"\x0b\x0b"
    )  # fmt: skip
    body, p = expr(code)
    assert p == len(code)
    (block,) = body
    assert block.offset == 0 and block.imm[0] is None
    const, if_, drop = block.imm[1]
    assert (const.offset, if_.offset, drop.offset) == (2, 4, 22)
    assert if_.imm[0] == "i32"
    assert [i.offset for i in if_.imm[1]] == [6, 15]
    assert [i.op for i in if_.imm[1]] == ["f64.const", "i32.trunc_sat_f64_s"]
    assert [i.offset for i in if_.imm[2]] == [18, 20]
    assert if_.imm[2][0].imm == (0xFFFFFFFFFFFFFFFF,)


def test_decoded_instructions_are_instrs() -> None:
    body = body_of(b"\x20\x00\x20\x00\x6a\x1a\x0b")
    assert all(isinstance(i, Instr) for i in body)
    assert body == [Instr("local.get", (0,)), Instr("local.get", (0,)), Instr("i32.add"),
                    Instr("drop")]  # fmt: skip
    # Sharing an immediate tuple never shares the instruction: offsets stay per instruction.
    base = body[0].offset
    assert body[0] is not body[1] and [i.offset - base for i in body] == [0, 2, 4, 5]
    body[0].imm = (1,)
    assert body[1].imm == (0,)


@pytest.mark.parametrize(
    "code",
    [b"\x41", b"\x41\x80", b"\x41\x80\x80", b"\x41\x80\x80\x80", b"\x20", b"\x20\x80",
     b"\x10\x80\x80", b"\x28", b"\x28\x02", b"\x28\x02\x80", b"\x42\x80", b"\x44\x00\x00",
     b"\x02", b"\x04"],
)  # fmt: skip
def test_truncated_immediates(code: bytes) -> None:
    data = module(section(1, vec([TYPE_VOID])), section(3, vec([b"\x00"])),
                  section(10, vec([leb(len(code) + 1) + b"\x00" + code])))  # fmt: skip
    with pytest.raises(MalformedError) as exc:
        decode_module(data)
    assert exc.value.message == END


@pytest.mark.parametrize(
    "code, message",
    [
        (b"\x41\x80\x80\x80\x80\x80\x00", "integer representation too long"),
        (b"\x41\xff\xff\xff\xff\x4f", "integer too large"),
        (b"\x20\x80\x80\x80\x80\x10", "integer too large"),
        (b"\x20\x80\x80\x80\x80\x80\x00", "integer representation too long"),
    ],
)
def test_overlong_immediates(code: bytes, message: str) -> None:
    with pytest.raises(MalformedError) as exc:
        expr(code + b"\x1a\x0b")
    assert exc.value.message == message


_OPS = st.sampled_from(["i32.const", "local.get", "call", "i32.load", "i32.store", "i64.const"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_OPS, st.integers(-(1 << 31), (1 << 31) - 1), st.integers(0, 2)),
                max_size=20))  # fmt: skip
def test_random_sequences_match_the_encoding(items: list[tuple[str, int, int]]) -> None:
    code = bytearray()
    expected = []
    for op, v, pad in items:
        at = len(code)
        if op == "i32.const":
            enc = sleb(v, pad)[:5] if len(sleb(v, pad)) <= 5 else sleb(v)
            code += b"\x41" + enc
            imm: tuple[int, ...] = (v & 0xFFFFFFFF,)
        elif op == "i64.const":
            code += b"\x42" + sleb(v * 3, pad)
            imm = ((v * 3) & 0xFFFFFFFFFFFFFFFF,)
        elif op in ("local.get", "call"):
            u = abs(v)
            enc = uleb(u, pad) if len(uleb(u, pad)) <= 5 else uleb(u)
            code += (b"\x20" if op == "local.get" else b"\x10") + enc
            imm = (u,)
        else:
            align, off = abs(v) % 4, abs(v) >> 8
            code += (b"\x28" if op == "i32.load" else b"\x36") + leb(align) + uleb(off, pad)
            imm = (0, align, off)
        expected.append((op, imm, at))
    body, p = expr(bytes(code) + b"\x0b")
    assert p == len(code) + 1
    assert [(i.op, i.imm, i.offset) for i in body] == expected
