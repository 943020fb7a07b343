"""Validation throughput on a large generated module (run: python tests/valid/bench_validate.py).
Times are CPU time of this process, best of five, so that a busy machine skews them less.

Bytes are estimated as the binary encoding would count them: one opcode byte (two or more for
prefixed opcodes) plus the LEB128 size of each integer immediate.
"""

from __future__ import annotations

import random
import sys
import time

from engine.syntax.ast import Func, Instr, Module
from engine.syntax.opcodes import OPCODES
from engine.syntax.types import F64, I32, I64, FuncType, Limits, MemoryType, RecType, SubType
from engine.valid import validate_module


def leb(n: int) -> int:
    return max(1, (n.bit_length() + 6) // 7)


def size(body: list[Instr]) -> int:
    total = 0
    for ins in body:
        prefix, _, kind = OPCODES[ins.op]
        total += 1 if prefix is None else 3
        if kind in ("f32", "f64", "v128"):
            total += {"f32": 4, "f64": 8, "v128": 16}[kind]
        elif kind in ("i32", "i64"):
            total += (ins.imm[0].bit_length() + 7) // 7 or 1  # signed LEB128
        elif kind == "memarg":
            total += 1 + leb(ins.imm[2]) + (leb(ins.imm[0]) if ins.imm[0] else 0)
        elif kind == "block":
            total += 1 + 1  # block type, end
            total += sum(size(b) for b in ins.imm[1:]) + (1 if len(ins.imm) > 2 else 0)
        else:
            total += sum(leb(x) for x in ins.imm if isinstance(x, int))
    return total


def I(op: str, *imm: object) -> Instr:  # noqa: E743
    return Instr(op, tuple(imm))


def gen_body(rng: random.Random, nfuncs: int, depth: int = 0) -> list[Instr]:
    out: list[Instr] = []
    for _ in range(rng.randint(8, 20)):
        k = rng.random()
        if k < 0.25:
            out += [I("local.get", 0), I("i32.const", rng.randrange(1 << 20)), I("i32.add"),
                    I("local.set", 0)]  # fmt: skip
        elif k < 0.40:
            out += [I("local.get", 1), I("i32.load", 0, 2, rng.randrange(256)), I("local.get", 0),
                    I("i32.xor"), I("local.set", 0)]  # fmt: skip
        elif k < 0.50:
            out += [I("local.get", 1), I("local.get", 0), I("i32.store", 0, 2, 4)]
        elif k < 0.60:
            out += [I("local.get", 2), I("f64.const", 0), I("f64.mul"), I("local.set", 2)]
        elif k < 0.68:
            out += [I("local.get", 0), I("i64.extend_i32_u"), I("i64.const", 3), I("i64.shl"),
                    I("local.set", 3)]  # fmt: skip
        elif k < 0.76:
            out += [I("local.get", 0), I("local.get", 1), I("local.get", 2),
                    I("call", rng.randrange(nfuncs)), I("local.set", 0)]  # fmt: skip
        elif k < 0.84 and depth < 3:
            inner = gen_body(rng, nfuncs, depth + 1)
            out += [I("block", None, [I("loop", None, [*inner, I("local.get", 0),
                                                        I("br_if", 0)])])]  # fmt: skip
        elif k < 0.92 and depth < 3:
            out += [I("local.get", 0), I("if", I32, [I("local.get", 1)], [I("i32.const", 7)]),
                    I("local.set", 1)]  # fmt: skip
        else:
            out += [I("local.get", 0), I("local.get", 1), I("local.get", 0), I("select"),
                    I("local.tee", 0), I("drop")]  # fmt: skip
    return out


def build(nfuncs: int, seed: int = 1) -> tuple[Module, int]:
    rng = random.Random(seed)
    t = RecType((SubType(FuncType((I32, I32, F64), (I32,))),))
    funcs = []
    nbytes = 0
    for _ in range(nfuncs):
        body = gen_body(rng, nfuncs) + [I("local.get", 0)]
        funcs.append(Func(0, [I64], body))
        nbytes += size(body) + 4
    return Module(types=[t], funcs=funcs, memories=[MemoryType(Limits(1))]), nbytes


# --- a minimal encoder for the generated subset, to measure decode + validate -------------


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


_VALTYPE = {"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C}


def enc_expr(body: list[Instr], out: bytearray) -> None:
    for ins in body:
        _, code, kind = OPCODES[ins.op]
        out.append(code)
        imm = ins.imm
        if kind == "block":
            out.append(0x40 if imm[0] is None else _VALTYPE[imm[0]])
            enc_expr(imm[1], out)
            if len(imm) > 2 and imm[2]:
                out.append(0x05)
                enc_expr(imm[2], out)
            out.append(0x0B)
        elif kind == "memarg":
            out += uleb(imm[1]) + uleb(imm[2])
        elif kind in ("i32", "i64"):
            v = imm[0]
            bits = 32 if kind == "i32" else 64
            out += sleb(v - (1 << bits) if v >= 1 << (bits - 1) else v)
        elif kind == "f64":
            out += imm[0].to_bytes(8, "little")
        else:
            for x in imm:
                out += uleb(x)


def encode(m: Module) -> bytes:
    def section(sid: int, items: list[bytes]) -> bytes:
        body = uleb(len(items)) + b"".join(items)
        return bytes([sid]) + uleb(len(body)) + body

    ft = m.types[0].subtypes[0].comp
    functype = (b"\x60" + uleb(len(ft.params)) + bytes(_VALTYPE[t] for t in ft.params)
                + uleb(len(ft.results)) + bytes(_VALTYPE[t] for t in ft.results))  # fmt: skip
    codes = []
    for f in m.funcs:
        body = bytearray(uleb(len(f.locals)))
        for t in f.locals:
            body += b"\x01" + bytes([_VALTYPE[t]])
        enc_expr(f.body, body)
        body.append(0x0B)
        codes.append(uleb(len(body)) + bytes(body))
    return (
        b"\0asm\x01\0\0\0"
        + section(1, [functype])
        + section(3, [uleb(f.type_index) for f in m.funcs])
        + section(5, [b"\x00\x01"])
        + section(10, codes)
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    m, nbytes = build(n)
    validate_module(m)  # warm caches
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        validate_module(m)
        best = min(best, time.process_time() - t0)
    print(f"{n} functions, {nbytes / 1e6:.2f} MB of code (estimated): validate {best:.3f} s, "
          f"{nbytes / best / 1e6:.2f} MB/s")  # fmt: skip
    try:
        from engine.binary import decode_module
    except ImportError:
        return
    data = encode(m)
    dec = val = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        m2 = decode_module(data)
        t1 = time.process_time()
        validate_module(m2)
        t2 = time.process_time()
        dec, val = min(dec, t1 - t0), min(val, t2 - t1)
    mb = len(data) / 1e6
    print(f"binary {mb:.2f} MB: decode {mb / dec:.2f} MB/s, validate {mb / val:.2f} MB/s, "
          f"decode + validate {mb / (dec + val):.2f} MB/s")  # fmt: skip


if __name__ == "__main__":
    main()
