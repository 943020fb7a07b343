"""The element section's inline reader for the common segment shape agrees with the generic one."""

from __future__ import annotations

import pytest

from engine.binary import decode_module
from engine.binary.sections import _Decoder
from engine.errors import InvalidError, MalformedError
from engine.valid import validate_module

HEADER = b"\x00asm\x01\x00\x00\x00"


def _leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _section(sid: int, count: int, body: bytes) -> bytes:
    payload = _leb(count) + body
    return bytes([sid]) + _leb(len(payload)) + payload


# One function of type [] -> [] and a funcref table of 300 entries.
PRELUDE = (
    _section(1, 1, b"\x60\x00\x00")
    + _section(3, 1, b"\x00")
    + _section(4, 1, b"\x70\x00" + _leb(300))
)
CODE = _section(10, 1, b"\x02\x00\x0b")

SEGMENTS = [
    b"\x00\x41\x00\x0b\x00",  # common shape, no elements
    b"\x00\x41\x05\x0b\x02\x00\x00",  # common shape, two elements
    b"\x00\x41\x3f\x0b\x01\x00",  # largest one-byte positive offset
    b"\x00\x41\x40\x0b\x00",  # negative one-byte offset: generic reader
    b"\x00\x41\x80\x01\x0b\x00",  # two-byte offset: generic reader
    b"\x00\x23\x00\x0b\x00",  # global.get offset: generic reader
    b"\x01\x00\x01\x00",  # passive
    b"\x02\x00\x41\x01\x0b\x00\x01\x00",  # explicit table index
    b"\x04\x41\x00\x0b\x01\xd2\x00\x0b",  # expressions
]


def _module(segments: list[bytes], extra: bytes = b"") -> bytes:
    elem = _section(9, len(segments), b"".join(segments))
    return HEADER + PRELUDE + extra + elem + CODE


def _generic(data: bytes, p: int) -> list:
    d = _Decoder(data)
    out, _ = d.vec(p, d.elem)
    return out


def _elem_section_start(data: bytes) -> int:
    p = 8
    while data[p] != 9:
        size = data[p + 1]
        p += 2 + size
    return p + 2


def test_inline_reader_matches_generic_reader() -> None:
    segs = [s for s in SEGMENTS if s[0] != 0 or s[1:2] != b"\x23"]
    data = _module(segs)
    m = decode_module(data)
    expected = _generic(data, _elem_section_start(data))
    assert m.elems == expected
    for got, want in zip(m.elems, expected):
        assert type(got) is type(want)
        assert type(got.mode) is type(want.mode)
        if not isinstance(got.mode, str):
            assert [i.offset for i in got.mode.offset] == [i.offset for i in want.mode.offset]
        assert [[i.offset for i in c] for c in got.init] == [
            [i.offset for i in c] for c in want.init
        ]
    validate_module(m)


def test_segments_are_distinct_objects() -> None:
    m = decode_module(_module([SEGMENTS[0]] * 3))
    assert len(m.elems) == 3
    assert m.elems[0] is not m.elems[1]
    assert m.elems[0].mode is not m.elems[1].mode
    assert m.elems[0].init is not m.elems[1].init
    assert m.elems[0].mode.offset[0].imm == (0,)


def test_element_count_past_the_end_is_malformed() -> None:
    data = HEADER + PRELUDE + b"\x09\x06\x01\x00\x41\x00\x0b\x7f"
    with pytest.raises(MalformedError) as err:
        decode_module(data)
    with pytest.raises(MalformedError) as generic:
        _generic(data, len(HEADER + PRELUDE) + 2)
    assert err.value.message == generic.value.message == "length out of bounds"


def test_many_segments_validate() -> None:
    m = decode_module(_module([SEGMENTS[0], SEGMENTS[1]] * 5000))
    info = validate_module(m)
    assert len(info.elems) == 10000


def test_unknown_table_is_reported() -> None:
    data = _module([b"\x02\x01\x41\x00\x0b\x00\x00"])
    with pytest.raises(InvalidError) as err:
        validate_module(decode_module(data))
    assert err.value.message == "unknown table 1"


def test_offset_type_is_still_checked() -> None:
    data = _module([SEGMENTS[0], b"\x00\x42\x00\x0b\x00"])
    with pytest.raises(InvalidError) as err:
        validate_module(decode_module(data))
    assert err.value.message.startswith("type mismatch")


def test_element_type_mismatch_after_a_matching_segment() -> None:
    # Table 1 is an externref table: the second segment's funcref does not match it.
    extra_table = _section(4, 2, b"\x70\x00\x01\x6f\x00\x01")
    data = HEADER + PRELUDE[: -len(_section(4, 1, b"\x70\x00" + _leb(300)))] + extra_table
    data += _section(9, 2, SEGMENTS[0] + b"\x02\x01\x41\x00\x0b\x00\x00") + CODE
    with pytest.raises(InvalidError) as err:
        validate_module(decode_module(data))
    assert "element segment's type" in err.value.message


def test_inline_global_reader_matches_generic_reader() -> None:
    from engine.binary.reader import read_globaltype

    globals_ = [b"\x7f\x01\x41\x00\x0b", b"\x7e\x00\x41\x3f\x0b", b"\x7c\x01\x41\x05\x0b"]
    data = HEADER + _section(6, len(globals_), b"".join(globals_))
    m = decode_module(data)
    p = 11
    for g in m.globals:
        gt, q = read_globaltype(data, p)
        assert g.type == gt
        assert g.init[0].op == "i32.const" and g.init[0].offset == q
        p = q + 3
    assert [g.init[0].imm for g in m.globals] == [(0,), (63,), (5,)]
    assert [g.type.mutable for g in m.globals] == [True, False, True]
    with pytest.raises(MalformedError) as err:
        decode_module(HEADER + _section(6, 1, b"\x7f\x02\x41\x00\x0b"))
    assert err.value.message == "malformed mutability"
