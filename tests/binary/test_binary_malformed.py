"""Malformed binaries: the reference interpreter's messages, and no other exception ever."""

from __future__ import annotations

import random

import pytest
from binary_helpers import HEADER, TYPE_VOID, func_module, leb, module, section, vec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.binary import decode_module, encode_module
from engine.errors import MalformedError

END = "unexpected end of section or function"


def malformed(data: bytes) -> str:
    with pytest.raises(MalformedError) as exc:
        decode_module(data)
    return exc.value.message


def one_type(*sections: bytes) -> bytes:
    return module(section(1, vec([TYPE_VOID])), *sections)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", END),
        (b"\x00as", END),
        (b"asm\x00\x01\x00\x00\x00", "magic header not detected"),
        (b"\x00asm\x01\x00\x00", END),
        (b"\x00asm\x02\x00\x00\x00", "unknown binary version"),
        (HEADER + b"\x0e\x00", "malformed section id"),
        (HEADER + b"\x01", END),
        (HEADER + b"\x01\x05\x00", "length out of bounds"),
        (HEADER + b"\x01\x02\x00\x00", "section size mismatch"),
        (HEADER + b"\x01\x01\x00\x01\x01\x00", "unexpected content after last section"),
        (HEADER + b"\x03\x01\x00\x01\x01\x00", "unexpected content after last section"),
        (module(section(1, b"\x01\x60\x01\x7a\x00")), "malformed reference type"),
        (module(section(1, b"\x01\x5d")), "malformed definition type"),
        (module(section(1, b"\x01\x5e\x7f\x02")), "malformed mutability"),
        (module(section(1, b"\x01\x5e\x7a\x00")), "malformed storage type"),
        (module(section(1, b"\x01\x60\x01\xff\x00")), "integer representation too long"),
        (module(section(2, vec([b"\x00\x00\x05\x00"]))), "malformed import kind"),
        (module(section(2, vec([b"\x01\xff\x00\x00\x00\x00"]))), "malformed UTF-8 encoding"),
        (module(section(5, vec([b"\x08\x00"]))), "malformed limits flags"),
        (module(section(4, vec([b"\x70\x02\x00"]))), "malformed limits flags"),
        (module(section(5, vec([b"\x00" + b"\x80" * 9 + b"\x02"]))), "integer too large"),
        (module(section(7, vec([b"\x00\x05\x00"]))), "malformed export kind"),
        (module(section(9, vec([b"\x08"]))), "malformed elements segment kind"),
        (module(section(9, vec([b"\x01\x01\x00"]))), "malformed element kind"),
        (module(section(11, vec([b"\x03"]))), "malformed data segment kind"),
        (module(section(12, b"\x01")), "data count and data section have inconsistent lengths"),
        (one_type(section(3, vec([b"\x00"]))), "function and code section have inconsistent"),
        (one_type(section(13, b"\x01\x01\x00")), "zero byte expected"),
        (one_type(section(1, b"\x00")), "unexpected content after last section"),
        (module(section(1, b"\x01\x60\x01\x63\x7f\x00")), "malformed heap type"),
        (module(section(1, b"\x01\x50\x01" + leb(1 << 31) + TYPE_VOID)), "malformed type index"),
    ],
)
def test_module_level_messages(data: bytes, message: str) -> None:
    assert malformed(data).startswith(message)


@pytest.mark.parametrize(
    "code, message",
    [
        (b"\x06\x0b", "illegal opcode 06"),
        (b"\xff\x0b", "illegal opcode ff"),
        (b"\xfb\x7f\x0b", "illegal opcode fb 7f"),
        (b"\xfc\x12\x0b", "illegal opcode fc 12"),
        (b"\xfd\x9a\x01\x0b", "illegal opcode 9a"),
        (b"\x05\x0b", "END opcode expected"),
        (b"\x02\x40\x05\x0b\x0b", "END opcode expected"),
        (b"\x41\x00\x04\x40\x05\x05\x0b\x0b", "END opcode expected"),
        (b"\x02\x40", END),
        (b"\x41\x80\x80\x80\x80\x10\x0b", "integer too large"),
        (b"\x41\x80\x80\x80\x80\x80\x00\x0b", "integer representation too long"),
        (b"\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02\x0b", "integer too large"),
        (b"\x28\x80\x01\x00\x0b", "malformed memop flags"),
        (b"\x1f\x40\x01\x04\x00\x0b\x0b", "malformed catch clause"),
        (b"\xfb\x18\x04\x00\x6e\x6e\x0b", "malformed br_on_cast flags"),
        (b"\xfe\x03\x01\x0b", "zero byte expected"),
        (b"\x00\xfc\x09\x00\x0b", "data count section required"),
        (b"\x0e\xff\xff\xff\xff\x0f\x0b", "length out of bounds"),
        (b"\x0b\x00", "section size mismatch"),
    ],
)
def test_code_messages(code: bytes, message: str) -> None:
    assert malformed(func_module(code)) == message


def test_too_many_locals() -> None:
    big = leb(0xFFFFFFFF) + b"\x7f" + leb(2) + b"\x7e"
    assert malformed(func_module(b"\x0b", locals_=b"\x02" + big)) == "too many locals"
    # Within 2^32 but beyond what any engine accepts: rejected without allocating.
    huge = b"\x01" + leb(0x7FFFFFFF) + b"\x7f"
    assert malformed(func_module(b"\x0b", locals_=huge)) == "too many locals"


def test_custom_section_name_longer_than_section() -> None:
    data = HEADER + b"\x00\x01\x05hello"
    assert malformed(data) == END


def test_error_offsets() -> None:
    data = func_module(b"\x01\x06\x0b")
    with pytest.raises(MalformedError) as exc:
        decode_module(data)
    assert exc.value.offset == data.index(b"\x01\x06\x0b") + 1


def test_deep_nesting_decodes_and_encodes() -> None:
    depth = 100_000
    code = b"\x02\x40" * depth + b"\x01" + b"\x0b" * depth + b"\x0b"
    data = func_module(code)
    m = decode_module(data)
    node = m.funcs[0].body
    for _ in range(depth):
        (node_instr,) = node
        node = node_instr.imm[1]
    assert node[0].op == "nop"
    assert encode_module(m) == data


def test_deep_unclosed_nesting() -> None:
    data = HEADER + section(1, vec([TYPE_VOID])) + section(3, vec([b"\x00"]))
    body = b"\x00" + b"\x02\x40" * 50_000
    data += b"\x0a" + leb(len(body) + 1 + len(leb(len(body)))) + b"\x01" + leb(len(body)) + body
    assert malformed(data) == END


# --- Fuzzing: random and mutated inputs only ever raise MalformedError -------------------------

SEEDS = [
    func_module(b"\x41\x01\x04\x7f\x41\x02\x05\x41\x03\x0b\x1a\x0b"),
    func_module(b"\xfd\x0c" + bytes(16) + b"\xfd\x0d" + bytes(16) + b"\x1a\x1a\x0b"),
    func_module(b"\x1f\x40\x01\x02\x00\x0b\xfb\x18\x03\x00\x6e\x6e\x1a\x0b"),
    module(
        section(1, vec([TYPE_VOID, b"\x4e\x01\x50\x00\x5f\x01\x7f\x01"])),
        section(2, vec([b"\x01m\x01t\x01\x70\x01\x01\x02"])),
        section(5, vec([b"\x03\x01\x02"])),
        section(9, vec([b"\x05\x70\x01\xd0\x70\x0b"])),
        section(12, b"\x01"),
        section(11, vec([b"\x01\x02hi"])),
        section(0, b"\x04name\x00\x02\x01m"),
    ),
]


def _decode_quietly(data: bytes) -> None:
    try:
        decode_module(data)
    except MalformedError:
        pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _decode_quietly(data)
    _decode_quietly(HEADER + data)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255), st.integers(0, 2)), max_size=6),
)
def test_mutated_modules(seed: bytes, edits: list[tuple[int, int, int]]) -> None:
    data = bytearray(seed)
    for pos, byte, kind in edits:
        i = pos % (len(data) + 1)
        if kind == 0 and i < len(data):
            data[i] = byte
        elif kind == 1:
            data.insert(i, byte)
        else:
            del data[i:]
    _decode_quietly(bytes(data))


def test_every_truncation_of_seeds() -> None:
    for seed in SEEDS:
        decode_module(seed)
        for n in range(len(seed)):
            _decode_quietly(seed[:n])
        # Cut inside the last section: always an error.
        for n in range(len(seed) - 3, len(seed)):
            with pytest.raises(MalformedError):
                decode_module(seed[:n])


def test_single_byte_mutations_exhaustively() -> None:
    rnd = random.Random(7)
    for seed in SEEDS:
        for i in range(8, len(seed)):
            for b in rnd.sample(range(256), 24):
                _decode_quietly(seed[:i] + bytes([b]) + seed[i + 1 :])


def test_locals_cannot_amplify_memory() -> None:
    # 2000 bodies of 6 bytes each declaring 40000 locals: 80 million locals from 12 KB.
    body = b"\x01" + leb(40000) + b"\x7f" + b"\x0b"
    code = leb(len(body)) + body
    n = 2000
    data = module(
        section(1, vec([TYPE_VOID])),
        section(3, vec([b"\x00"] * n)),
        section(10, vec([code] * n)),
    )
    assert malformed(data) == "too many locals"


def test_alternatives_report_the_last_error_like_the_reference() -> None:
    # A table starting 0x40 whose explicit-initializer form fails is re-read as a plain
    # table type, whose reference type 0x40 is malformed.
    assert malformed(module(section(4, vec([b"\x40\x01\x70\x00\x00"])))) == (
        "malformed reference type"
    )
    # A heap type that is neither an index nor one byte.
    assert malformed(module(section(1, b"\x01\x60\x01\x63\xff\x7f\x00"))) == (
        "integer representation too long"
    )


def test_multi_byte_type_indices_are_accepted() -> None:
    types = vec([TYPE_VOID] * 130)
    code = b"\x02\x81\x01\x0b\xd0\x81\x01\x1a\x0b"
    data = module(
        section(1, types),
        section(3, vec([b"\x00"])),
        section(10, vec([leb(len(code) + 1) + b"\x00" + code])),
    )
    block, null, _ = decode_module(data).funcs[0].body
    assert block.imm[0] == 129 and null.imm == (129,)
