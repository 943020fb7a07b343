"""Decode (and validate) throughput on a large generated module.

    python bench/decode_bench.py [--funcs N] [--repeat R] [--seed S]

The module has N functions with a compiler-like instruction mix: locals and constants,
integer and float arithmetic, loads and stores, nested blocks, loops and ifs, branches and
calls.  It prints the module size, the code section size and MB/s of code section for
decoding, and for validation when ``engine.valid.validate_module`` exists.  Times are CPU
time of this process, best of R, so that other jobs on a shared machine skew them less.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from engine.binary import decode_module, encode_module  # noqa: E402
from engine.syntax.ast import Export, Func, Instr, Module  # noqa: E402
from engine.syntax.types import FuncType, Limits, MemoryType, RecType, SubType  # noqa: E402

I = Instr  # noqa: E741

# Function types: 0 (i32 i32) -> i32, 1 (i32) -> (), 2 () -> i32.
TYPES = [
    RecType((SubType(FuncType(("i32", "i32"), ("i32",))),)),
    RecType((SubType(FuncType(("i32",), ())),)),
    RecType((SubType(FuncType((), ("i32",))),)),
]


def _value(rnd: random.Random, depth: int, nfuncs: int) -> list[Instr]:
    """Instructions that push one i32."""
    r = rnd.random()
    if depth > 3 or r < 0.25:
        return [I("local.get", (rnd.randrange(6),))]
    if r < 0.35:
        return [I("i32.const", (rnd.randrange(1 << 20),))]
    if r < 0.55:
        op = rnd.choice(("i32.add", "i32.sub", "i32.mul", "i32.and", "i32.shl", "i32.xor"))
        return _value(rnd, depth + 1, nfuncs) + _value(rnd, depth + 1, nfuncs) + [I(op)]
    if r < 0.7:
        op = rnd.choice(("i32.load", "i32.load8_u", "i32.load16_s"))
        return _value(rnd, depth + 1, nfuncs) + [I(op, (0, 0, rnd.randrange(256)))]
    if r < 0.78:
        return [
            I("f64.const", (rnd.getrandbits(64),)),
            I("f64.const", (0x3FF0000000000000,)),
            I("f64.mul"),
            I("i32.trunc_sat_f64_s"),
        ]
    if r < 0.86:
        return (
            _value(rnd, depth + 1, nfuncs)
            + _value(rnd, depth + 1, nfuncs)
            + [I("call", (rnd.randrange(nfuncs),))]
        )
    if r < 0.93:
        return [I("i64.const", (rnd.getrandbits(40),)), I("i32.wrap_i64")]
    return _value(rnd, depth + 1, nfuncs) + [I("i32.eqz")]


def _stmt(rnd: random.Random, depth: int, nfuncs: int) -> list[Instr]:
    """Instructions with no net stack effect."""
    r = rnd.random()
    if depth < 3 and r < 0.12:
        body = [x for _ in range(rnd.randint(1, 4)) for x in _stmt(rnd, depth + 1, nfuncs)]
        cond = _value(rnd, depth + 1, nfuncs)
        return [I("block", (None, body + cond + [I("br_if", (0,))]))]
    if depth < 3 and r < 0.22:
        body = [x for _ in range(rnd.randint(1, 4)) for x in _stmt(rnd, depth + 1, nfuncs)]
        cond = _value(rnd, depth + 1, nfuncs)
        return [I("loop", (None, body + cond + [I("br_if", (0,))]))]
    if depth < 3 and r < 0.32:
        then = [x for _ in range(rnd.randint(1, 3)) for x in _stmt(rnd, depth + 1, nfuncs)]
        els = [x for _ in range(rnd.randint(0, 2)) for x in _stmt(rnd, depth + 1, nfuncs)]
        return _value(rnd, depth + 1, nfuncs) + [I("if", (None, then, els))]
    if r < 0.6:
        return _value(rnd, depth, nfuncs) + [I("local.set", (rnd.randrange(2, 6),))]
    if r < 0.8:
        addr = _value(rnd, depth + 1, nfuncs)
        return addr + _value(rnd, depth + 1, nfuncs) + [I("i32.store", (0, 2, rnd.randrange(64)))]
    return _value(rnd, depth, nfuncs) + [I("drop")]


def build_module(nfuncs: int, seed: int) -> Module:
    rnd = random.Random(seed)
    funcs = []
    for _ in range(nfuncs):
        body = [x for _ in range(rnd.randint(8, 40)) for x in _stmt(rnd, 0, nfuncs)]
        body += _value(rnd, 0, nfuncs)
        funcs.append(Func(0, ["i32", "i32", "i32", "i32"], body))
    return Module(
        types=TYPES,
        funcs=funcs,
        memories=[MemoryType(Limits(1, None))],
        exports=[Export("f0", "func", 0)],
    )


def code_section_size(data: bytes) -> int:
    """Bytes of the code section's contents."""
    from engine.binary.reader import read_u32

    p = 8
    while p < len(data):
        sid = data[p]
        size, p = read_u32(data, p + 1)
        if sid == 10:
            return size
        p += size
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--funcs", type=int, default=6000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    data = encode_module(build_module(args.funcs, args.seed))
    code = code_section_size(data)
    mb = len(data) / 1e6
    print(f"module: {mb:.2f} MB, code section: {code / 1e6:.2f} MB, {args.funcs} funcs")

    best = float("inf")
    m = None
    for _ in range(args.repeat):
        # Free the previous result first: its deallocation is not decoding.
        m = None
        t0 = time.process_time()
        m = decode_module(data)
        best = min(best, time.process_time() - t0)
    print(f"decode:            {best:6.3f} s  {code / best / 1e6:6.2f} MB/s")

    t0 = time.process_time()
    assert m is not None
    encode_module(m)
    t = time.process_time() - t0
    print(f"encode:            {t:6.3f} s  {code / t / 1e6:6.2f} MB/s")

    try:
        from engine.valid import validate_module  # type: ignore[attr-defined]
    except ImportError:
        print("validate:          (engine.valid.validate_module not available)")
        return
    best_v = float("inf")
    for _ in range(args.repeat):
        m = decode_module(data)
        t0 = time.process_time()
        validate_module(m)
        best_v = min(best_v, time.process_time() - t0)
    print(f"validate:          {best_v:6.3f} s  {code / best_v / 1e6:6.2f} MB/s")
    total = best + best_v
    print(f"decode + validate: {total:6.3f} s  {code / total / 1e6:6.2f} MB/s")

    # The same validation with the cyclic collector paused: what it costs to have the
    # collector rescan the freshly decoded AST while validating.
    best_g = float("inf")
    for _ in range(args.repeat):
        m = decode_module(data)
        gc.disable()
        try:
            t0 = time.process_time()
            validate_module(m)
            best_g = min(best_g, time.process_time() - t0)
        finally:
            gc.enable()
    print(f"validate, gc off:  {best_g:6.3f} s  {code / best_g / 1e6:6.2f} MB/s")


if __name__ == "__main__":
    main()
