"""Byte-level reading for the binary format (spec 5.1 - 5.3): LEB128 integers, names, types.

Every reader takes the whole module's bytes and a position and returns ``(value, position)``.
Like the reference interpreter, reads are never bounded by the enclosing section or function:
a section whose contents run past its declared size is reported by the size check after it
("section size mismatch"), not as an end of input.  Reading past the end of the module raises
``IndexError`` from the byte access; ``decode_module`` turns that into the reference's
"unexpected end of section or function".
"""

from __future__ import annotations

from engine.errors import MalformedError
from engine.syntax.types import (
    ArrayType,
    CompType,
    FieldType,
    FuncType,
    GlobalType,
    HeapType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    SubType,
    TableType,
    ValType,
)

UNEXPECTED_END = "unexpected end of section or function"


def eos(data: bytes) -> MalformedError:
    return MalformedError(UNEXPECTED_END, len(data))


# --- Integers (5.2.2) --------------------------------------------------------------------


def read_uN(data: bytes, p: int, bits: int) -> tuple[int, int]:
    result = 0
    shift = 0
    n = bits
    while True:
        if n <= 0:
            raise MalformedError("integer representation too long", p)
        b = data[p]
        p += 1
        if n < 7 and (b & 0x7F) >= (1 << n):
            raise MalformedError("integer too large", p - 1)
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, p
        shift += 7
        n -= 7


def read_sN(data: bytes, p: int, bits: int) -> tuple[int, int]:
    result = 0
    shift = 0
    n = bits
    while True:
        if n <= 0:
            raise MalformedError("integer representation too long", p)
        b = data[p]
        p += 1
        if n < 7:
            mask = (-1 << (n - 1)) & 0x7F
            if b & mask != 0 and b & mask != mask:
                raise MalformedError("integer too large", p - 1)
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            if b & 0x40:
                result -= 1 << shift
            return result, p
        n -= 7


def read_u32(data: bytes, p: int) -> tuple[int, int]:
    b = data[p]
    if b < 0x80:
        return b, p + 1
    return read_uN(data, p, 32)


def read_u64(data: bytes, p: int) -> tuple[int, int]:
    b = data[p]
    if b < 0x80:
        return b, p + 1
    return read_uN(data, p, 64)


def read_u8(data: bytes, p: int) -> tuple[int, int]:
    """A lane index: the reference reads it as an 8-bit LEB128, not a raw byte."""
    b = data[p]
    if b < 0x80:
        return b, p + 1
    return read_uN(data, p, 8)


def read_s7(data: bytes, p: int) -> tuple[int, int]:
    """A one-byte signed LEB128 (type constructors); a continuation bit is "too long"."""
    b = data[p]
    if b & 0x80:
        raise MalformedError("integer representation too long", p + 1)
    return (b - 0x80 if b & 0x40 else b), p + 1


def read_len(data: bytes, p: int) -> tuple[int, int]:
    """A vector length or byte count: it can never exceed the bytes left (5.1.3)."""
    n, q = read_u32(data, p)
    if n > len(data) - p:
        raise MalformedError("length out of bounds", p)
    return n, q


def read_bytes(data: bytes, p: int) -> tuple[bytes, int]:
    n, p = read_len(data, p)
    if p + n > len(data):
        raise eos(data)
    return data[p : p + n], p + n


def read_name(data: bytes, p: int) -> tuple[str, int]:
    start = p
    raw, p = read_bytes(data, p)
    try:
        return raw.decode("utf-8"), p
    except UnicodeDecodeError:
        raise MalformedError("malformed UTF-8 encoding", start) from None


def expect_zero(data: bytes, p: int) -> int:
    if data[p] != 0:
        raise MalformedError("zero byte expected", p)
    return p + 1


# --- Types (5.3) -------------------------------------------------------------------------

HEAP_CODES: dict[int, str] = {
    0x74: "noexn",
    0x73: "nofunc",
    0x72: "noextern",
    0x71: "none",
    0x70: "func",
    0x6F: "extern",
    0x6E: "any",
    0x6D: "eq",
    0x6C: "i31",
    0x6B: "struct",
    0x6A: "array",
    0x69: "exn",
}
HEAP_BYTES: dict[str, int] = {v: k for k, v in HEAP_CODES.items()}

NUM_CODES: dict[int, str] = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128"}
NUM_BYTES: dict[str, int] = {v: k for k, v in NUM_CODES.items()}
PACKED_CODES: dict[int, str] = {0x78: "i8", 0x77: "i16"}
PACKED_BYTES: dict[str, int] = {v: k for k, v in PACKED_CODES.items()}

REF_NONNULL = 0x64
REF_NULL = 0x63

# Every one-byte value type: the number/vector types and the nullable abstract shorthands.
SIMPLE_VALTYPES: dict[int, ValType] = dict(NUM_CODES)
SIMPLE_VALTYPES.update({b: RefType(True, h) for b, h in HEAP_CODES.items()})

TYPE_INDEX_LIMIT = 1 << 31  # the reference keeps type indices as non-negative int32


def read_heaptype(data: bytes, p: int) -> tuple[HeapType, int]:
    b = data[p]
    if b < 0x40:
        return b, p + 1
    if b & 0x80:
        try:
            v, q = read_sN(data, p, 33)
            if 0 <= v < TYPE_INDEX_LIMIT:
                return v, q
        except (MalformedError, IndexError):
            pass
        raise MalformedError("integer representation too long", p + 1)
    h = HEAP_CODES.get(b)
    if h is None:
        raise MalformedError("malformed heap type", p)
    return h, p + 1


def read_reftype(data: bytes, p: int) -> tuple[RefType, int]:
    b = data[p]
    if b == REF_NONNULL or b == REF_NULL:
        h, q = read_heaptype(data, p + 1)
        return RefType(b == REF_NULL, h), q
    h = HEAP_CODES.get(b)
    if h is not None:
        return RefType(True, h), p + 1
    if b & 0x80:
        raise MalformedError("integer representation too long", p + 1)
    raise MalformedError("malformed reference type", p)


def read_valtype(data: bytes, p: int) -> tuple[ValType, int]:
    t = SIMPLE_VALTYPES.get(data[p])
    if t is not None:
        return t, p + 1
    return read_reftype(data, p)


def read_blocktype(data: bytes, p: int) -> tuple[None | ValType | int, int]:
    b = data[p]
    if b == 0x40:
        return None, p + 1
    if b < 0x40:
        return b, p + 1
    if b & 0x80:
        try:
            v, q = read_sN(data, p, 33)
            if 0 <= v < TYPE_INDEX_LIMIT:
                return v, q
        except (MalformedError, IndexError):
            pass
    return read_valtype(data, p)


def read_typeidx(data: bytes, p: int) -> tuple[int, int]:
    v, q = read_u32(data, p)
    if v >= TYPE_INDEX_LIMIT:
        raise MalformedError("malformed type index", p)
    return v, q


def read_mutability(data: bytes, p: int) -> tuple[bool, int]:
    b = data[p]
    if b > 1:
        raise MalformedError("malformed mutability", p)
    return b == 1, p + 1


def read_resulttype(data: bytes, p: int) -> tuple[tuple[ValType, ...], int]:
    n, p = read_len(data, p)
    out = []
    for _ in range(n):
        t, p = read_valtype(data, p)
        out.append(t)
    return tuple(out), p


def read_fieldtype(data: bytes, p: int) -> tuple[FieldType, int]:
    b = data[p]
    packed = PACKED_CODES.get(b)
    if packed is not None:
        st: object = packed
        p += 1
    else:
        try:
            st, p = read_valtype(data, p)
        except (MalformedError, IndexError):
            if data[p] & 0x80:
                raise MalformedError("integer representation too long", p + 1) from None
            raise MalformedError("malformed storage type", p) from None
    mut, p = read_mutability(data, p)
    return FieldType(mut, st), p  # type: ignore[arg-type]


def read_comptype(data: bytes, p: int) -> tuple[CompType, int]:
    b, p = read_s7(data, p)
    if b == -0x20:
        params, p = read_resulttype(data, p)
        results, p = read_resulttype(data, p)
        return FuncType(params, results), p
    if b == -0x21:
        n, p = read_len(data, p)
        fields = []
        for _ in range(n):
            f, p = read_fieldtype(data, p)
            fields.append(f)
        return StructType(tuple(fields)), p
    if b == -0x22:
        f, p = read_fieldtype(data, p)
        return ArrayType(f), p
    raise MalformedError("malformed definition type", p - 1)


def read_subtype(data: bytes, p: int) -> tuple[SubType, int]:
    b = data[p]
    if b == 0x50 or b == 0x4F:
        n, p = read_len(data, p + 1)
        supers = []
        for _ in range(n):
            x, p = read_typeidx(data, p)
            supers.append(x)
        comp, p = read_comptype(data, p)
        return SubType(comp, tuple(supers), b == 0x4F), p
    comp, p = read_comptype(data, p)
    return SubType(comp), p


def read_rectype(data: bytes, p: int) -> tuple[RecType, int]:
    if data[p] == 0x4E:
        n, p = read_len(data, p + 1)
        subs = []
        for _ in range(n):
            st, p = read_subtype(data, p)
            subs.append(st)
        return RecType(tuple(subs)), p
    st, p = read_subtype(data, p)
    return RecType((st,)), p


# Limits flags (5.3.7): bit 0 has-max, bit 1 shared (threads), bit 2 64-bit addresses.
def read_limits(data: bytes, p: int, shared_ok: bool) -> tuple[Limits, bool, str, int]:
    flags = data[p]
    if flags & (0xF8 if shared_ok else 0xFA):
        raise MalformedError("malformed limits flags", p)
    p += 1
    lo, p = read_u64(data, p)
    hi = None
    if flags & 1:
        hi, p = read_u64(data, p)
    return Limits(lo, hi), bool(flags & 2), ("i64" if flags & 4 else "i32"), p


def read_memorytype(data: bytes, p: int) -> tuple[MemoryType, int]:
    lim, shared, at, p = read_limits(data, p, True)
    return MemoryType(lim, shared, at), p


def read_tabletype(data: bytes, p: int) -> tuple[TableType, int]:
    rt, p = read_reftype(data, p)
    lim, _, at, p = read_limits(data, p, False)
    return TableType(lim, rt, at), p


def read_globaltype(data: bytes, p: int) -> tuple[GlobalType, int]:
    t, p = read_valtype(data, p)
    mut, p = read_mutability(data, p)
    return GlobalType(t, mut), p
