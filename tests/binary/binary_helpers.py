"""Small builders for hand-written binary modules."""

from __future__ import annotations

HEADER = b"\x00asm\x01\x00\x00\x00"


def leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def section(sid: int, body: bytes) -> bytes:
    return bytes([sid]) + leb(len(body)) + body


def vec(items: list[bytes]) -> bytes:
    return leb(len(items)) + b"".join(items)


def module(*sections: bytes) -> bytes:
    return HEADER + b"".join(sections)


# () -> () and (i32) -> i32
TYPE_VOID = b"\x60\x00\x00"
TYPE_I32_I32 = b"\x60\x01\x7f\x01\x7f"


def func_module(body: bytes, locals_: bytes = b"\x00", ftype: bytes = TYPE_VOID) -> bytes:
    """One function of type ``ftype`` whose code is ``locals_ + body`` (body includes end)."""
    code = locals_ + body
    return module(
        section(1, vec([ftype])),
        section(3, vec([b"\x00"])),
        section(10, vec([leb(len(code)) + code])),
    )
