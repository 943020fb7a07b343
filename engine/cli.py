"""The engine's command line: ``python -m engine wast PATH...`` and ``python -m engine run``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

from engine.errors import CompileError, LinkError, Trap, WasmError, WasmException
from engine.runtime.values import to_signed


def _wast_files(paths: Sequence[str]) -> Iterator[str]:
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, _dirs, files in os.walk(p):
                found += [os.path.join(root, f) for f in files if f.endswith(".wast")]
            yield from sorted(found)
        else:
            yield p


def _run_one(job: tuple[str, float | None]) -> Any:
    from engine.script.run import run_file

    return run_file(job[0], job[1])


def cmd_wast(args: argparse.Namespace) -> int:
    files = list(_wast_files(args.paths))
    timeout = args.timeout if args.timeout and args.timeout > 0 else None
    jobs = [(f, timeout) for f in files]
    if args.jobs > 1 and len(jobs) > 1:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=4)
        results: Iterator[Any] = pool.imap(_run_one, jobs)
    else:
        pool = None
        results = map(_run_one, jobs)
    passed = failed = skipped = 0
    try:
        for r in results:
            passed += r.passed
            failed += r.failed
            skipped += r.skipped
            print(r.summary(), flush=True)
            if args.verbose:
                for line, why in r.failures:
                    text = why.rstrip().replace("\n", "\n    ")
                    print(f"  {r.path}:{line}: {text}", flush=True)
    finally:
        if pool is not None:
            pool.terminate()
    total = f"{passed} passed, {failed} failed"
    print(total + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if failed else 0


# --- run -------------------------------------------------------------------------------


def _parse_arg(text: str, t: Any) -> Any:
    if t in ("i32", "i64"):
        bits = 32 if t == "i32" else 64
        v = int(text, 0)
        if not -(1 << (bits - 1)) <= v < (1 << bits):
            raise ValueError(f"{text} out of range for {t}")
        return v & ((1 << bits) - 1)
    if t == "f32":
        import struct

        from engine.runtime.values import f32_from_bits, f32_to_bits

        x = float(text)
        try:
            return f32_from_bits(f32_to_bits(struct.unpack("<f", struct.pack("<f", x))[0]))
        except OverflowError:
            return x  # inf
    if t == "f64":
        return float(text)
    if t == "v128":
        return int(text, 0) & ((1 << 128) - 1)
    if text == "null":
        return None
    raise ValueError(f"cannot pass {text!r} as {t}")


def _show(v: Any, t: Any) -> str:
    if t == "i32":
        return str(to_signed(v, 32))
    if t == "i64":
        return str(to_signed(v, 64))
    if t in ("f32", "f64"):
        return repr(v)
    if t == "v128":
        return f"0x{v:032x}"
    return "null" if v is None else f"<{type(v).__name__}>"


def _load(path: str) -> Any:
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\0asm":
        from engine.binary import decode_module

        return decode_module(data)
    from engine.text import parse_wat

    return parse_wat(data.decode("utf-8"))


def cmd_run(args: argparse.Namespace) -> int:
    from engine.runtime.instantiate import call, instantiate, validate
    from engine.runtime.store import Store

    store = Store(fuel=args.fuel)
    try:
        module = _load(args.module)
        info = validate(module)
        if module.imports:
            im = module.imports[0]
            raise LinkError(f'unknown import "{im.module}"."{im.name}"')
        if args.timeout:
            store.deadline = time.monotonic() + args.timeout
        inst = instantiate(store, module, [], info)
        name = args.invoke
        if name is None:
            if "_start" not in inst.exports:
                return 0
            name = "_start"
        ex = inst.exports.get(name)
        if ex is None or ex.kind != "func":
            print(f"error: no exported function {name!r}", file=sys.stderr)
            return 2
        ft = ex.value.type.comp
        if len(args.args) != len(ft.params):
            print(
                f"error: {name} expects {len(ft.params)} arguments, got {len(args.args)}",
                file=sys.stderr,
            )
            return 2
        vals = [_parse_arg(a, t) for a, t in zip(args.args, ft.params)]
        results = call(store, ex.value, vals)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except CompileError as e:
        print(f"error: failed to compile: {e}", file=sys.stderr)
        return 1
    except LinkError as e:
        print(f"error: failed to link: {e}", file=sys.stderr)
        return 1
    except Trap as e:
        print(f"error: wasm trap: {e}", file=sys.stderr)
        return 134
    except WasmException as e:
        print(f"error: uncaught wasm exception: {e}", file=sys.stderr)
        return 134
    except WasmError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for v, t in zip(results, ft.results):
        print(_show(v, t))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    w = sub.add_parser("wast", help="run WAST scripts (files or directories)")
    w.add_argument("paths", nargs="+")
    w.add_argument("-v", "--verbose", action="store_true", help="show every failure")
    w.add_argument("--timeout", type=float, default=300.0, help="seconds per file (0: none)")
    w.add_argument("-j", "--jobs", type=int, default=1, help="files run in parallel")
    w.set_defaults(fn=cmd_wast)
    r = sub.add_parser("run", help="instantiate a module and call an export")
    r.add_argument("module", help="a .wasm binary or a .wat text module")
    r.add_argument("--invoke", help="the exported function to call (default: _start)")
    r.add_argument("--fuel", type=int, default=None, help="instruction budget")
    r.add_argument("--timeout", type=float, default=None, help="seconds before interrupting")
    r.add_argument("args", nargs=argparse.REMAINDER, help="arguments, parsed by param type")
    a = p.parse_args(argv)
    return int(a.fn(a))
