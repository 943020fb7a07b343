"""Run the WAT kernels in bench/kernels on the engine's execution tier and on pywasm 2.2.3.

    python bench/run_kernels.py                 # both engines, ratios and geomean
    python bench/run_kernels.py --engine-only   # just ours
    python bench/run_kernels.py -k fib -k sieve

Each kernel exports ``run`` returning a checksum; the script checks that both engines agree.
Times are the best of ``--repeat`` runs; for our engine a run includes compiling the
functions it calls (a fresh instance every time), instantiation is outside the timing.
pywasm runs the binary that ``engine.binary.encode_module`` makes from the same parsed module.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from engine.binary import encode_module  # noqa: E402
from engine.exec import invoke  # noqa: E402
from engine.runtime.instantiate import instantiate  # noqa: E402
from engine.runtime.store import Store  # noqa: E402
from engine.syntax.ast import Module  # noqa: E402
from engine.text import parse_wat  # noqa: E402
from engine.valid import validate_module  # noqa: E402

KERNELS = ["fib", "sieve", "matmul", "nbody", "crc32", "prng", "indirect", "memgrow"]
_MASK = {"i32": 0xFFFFFFFF, "i64": 0xFFFFFFFFFFFFFFFF}


def load(name: str) -> Module:
    return parse_wat((ROOT / "kernels" / f"{name}.wat").read_text())


def result_type(module: Module) -> str:
    idx = next(e.index for e in module.exports if e.name == "run")
    nimports = len(module.imports_of("func"))
    ft = module.types[module.funcs[idx - nimports].type_index].subtypes[0].comp
    return str(ft.results[0])


def run_ours(module: Module, repeat: int) -> tuple[float, int]:
    info = validate_module(module)
    best = math.inf
    value = 0
    for _ in range(repeat):
        store = Store()
        inst = instantiate(store, module, [], info)
        func = inst.exports["run"].value
        t0 = time.perf_counter()
        (value,) = invoke(store, func, [])
        best = min(best, time.perf_counter() - t0)
    return best, value


def to_binary(module: Module) -> bytes:
    return bytes(encode_module(module))


def run_pywasm(binary: bytes, repeat: int) -> tuple[float, int]:
    import pywasm

    best = math.inf
    value: Any = 0
    with tempfile.NamedTemporaryFile(suffix=".wasm", delete=False) as f:
        f.write(binary)
        path = f.name
    try:
        for _ in range(repeat):
            runtime = pywasm.core.Runtime()
            inst = runtime.instance_from_file(path)
            t0 = time.perf_counter()
            (value,) = runtime.invocate(inst, "run", [])
            best = min(best, time.perf_counter() - t0)
    finally:
        os.unlink(path)
    return best, int(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", "--kernel", action="append", help="run only these kernels")
    ap.add_argument("--repeat", type=int, default=3, help="runs per kernel (best is kept)")
    ap.add_argument("--pywasm-repeat", type=int, default=1)
    ap.add_argument("--engine-only", action="store_true", help="skip pywasm")
    args = ap.parse_args()
    names = args.kernel or KERNELS
    ratios: list[float] = []
    print(f"{'kernel':10} {'ours (s)':>10} {'pywasm (s)':>11} {'ratio':>8}  checksum")
    for name in names:
        module = load(name)
        mask = _MASK[result_type(module)]
        ours, value = run_ours(module, args.repeat)
        value &= mask
        if args.engine_only:
            print(f"{name:10} {ours:10.4f} {'-':>11} {'-':>8}  {value:#x}")
            continue
        theirs, pv = run_pywasm(to_binary(module), args.pywasm_repeat)
        pv &= mask
        if pv != value:
            raise SystemExit(f"{name}: checksum mismatch: ours {value:#x}, pywasm {pv:#x}")
        ratio = theirs / ours
        ratios.append(ratio)
        print(f"{name:10} {ours:10.4f} {theirs:11.3f} {ratio:7.1f}x  {value:#x}")
    if ratios:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"geomean speedup over pywasm 2.2.3: {geo:.1f}x")


if __name__ == "__main__":
    main()
