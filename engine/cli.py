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

# --- wast ------------------------------------------------------------------------------


def _wast_files(paths: Sequence[str]) -> Iterator[str]:
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, _dirs, files in os.walk(p):
                found += [os.path.join(root, f) for f in files if f.endswith(".wast")]
            yield from sorted(found)
        else:
            yield p


def _run_one(job: tuple[str, float | None, frozenset[str] | None, bool]) -> Any:
    from engine.script.run import run_file

    return run_file(*job)


def _worker(job: tuple[str, float | None, frozenset[str] | None, bool]) -> Any:
    return _run_one(job)


def _lost(path: str, why: str) -> Any:
    from engine.script.run import FileResult

    r = FileResult(path)
    r.failed = 1
    r.failures.append((0, why))
    r.owners.append("exec")
    r.kinds.append("script")
    return r


# Seconds past a file's own limit after which its worker is presumed dead (files are handed
# out in order, so by the time the parent waits for one it has started).
WORKER_GRACE = 30.0


def _results(args: argparse.Namespace, jobs: list[Any]) -> Iterator[Any]:
    """File results in file order; with -j, a worker that dies or hangs past the file's
    limit costs that file one failure instead of the whole run."""
    if args.jobs <= 1 or len(jobs) <= 1:
        yield from map(_run_one, jobs)
        return
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=8)
    try:
        pending = [pool.apply_async(_worker, (job,)) for job in jobs]
        limit = int((jobs[0][1] or 3600.0) + WORKER_GRACE)
        for job, res in zip(jobs, pending):
            # Waited in one-second steps, counted: a jump of the machine's clock (seen on
            # virtual machines) can cut one step short, never the whole wait.
            for _ in range(limit):
                if res.ready():
                    break
                res.wait(1.0)
            if not res.ready():
                yield _lost(job[0], "file time limit exceeded (worker stopped)")
                continue
            try:
                yield res.get(0)
            except Exception as e:
                yield _lost(job[0], f"worker failed: {type(e).__name__}: {e}")
    finally:
        pool.terminate()


class _Totals:
    __slots__ = ("passed", "failed", "skipped", "kinds")

    def __init__(self) -> None:
        self.passed = self.failed = self.skipped = 0
        self.kinds: dict[str, list[int]] = {}

    def add(self, r: Any) -> None:
        self.passed += r.passed
        self.failed += r.failed
        self.skipped += r.skipped
        for k, counts in r.by_kind.items():
            mine = self.kinds.setdefault(k, [0, 0, 0])
            for i in range(3):
                mine[i] += counts[i]

    def text(self) -> str:
        s = f"{self.passed} passed, {self.failed} failed"
        return s + (f", {self.skipped} skipped" if self.skipped else "")


def _parse_only(text: str | None) -> frozenset[str] | None:
    if not text:
        return None
    from engine.script.run import KINDS

    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = kinds - set(KINDS)
    if unknown:
        raise SystemExit(f"error: unknown command kind(s) {sorted(unknown)}; known: {KINDS}")
    return kinds


def _write_failures(path: str, results: list[Any], command: str) -> None:
    groups: dict[str, list[str]] = {}
    for r in results:
        for (line, why), owner, kind in zip(r.failures, r.owners, r.kinds):
            first = why.strip().splitlines()[0] if why.strip() else ""
            groups.setdefault(owner, []).append(f"{r.path}:{line}: [{kind}] {first}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {command}\n")
        f.write("# failing commands grouped by the part of the engine that most likely owns them\n")
        for owner in sorted(groups, key=lambda o: -len(groups[o])):
            f.write(f"\n== {owner}: {len(groups[owner])} failures\n")
            for item in groups[owner]:
                f.write(item + "\n")


def cmd_wast(args: argparse.Namespace) -> int:
    files = list(_wast_files(args.paths))
    timeout = args.timeout if args.timeout and args.timeout > 0 else None
    only = _parse_only(args.only)
    jobs = [(f, timeout, only, args.roundtrip) for f in files]
    total = _Totals()
    folders: dict[str, _Totals] = {}
    kept: list[Any] = []
    for r in _results(args, jobs):
        total.add(r)
        folders.setdefault(os.path.dirname(r.path), _Totals()).add(r)
        if args.failures or args.slowest:
            kept.append(r)
        print(r.summary(), flush=True)
        if args.verbose:
            for line, why in r.failures:
                text = why.rstrip().replace("\n", "\n    ")
                print(f"  {r.path}:{line}: {text}", flush=True)
    if args.per_folder:
        for folder in sorted(folders):
            t = folders[folder]
            print(f"{folder}/: {t.text()}")
            if args.by_kind:
                for k in sorted(t.kinds):
                    p, f, s = t.kinds[k]
                    print(f"  {k}: {p} passed, {f} failed" + (f", {s} skipped" if s else ""))
    if args.slowest:
        for r in sorted(kept, key=lambda r: -r.seconds)[: args.slowest]:
            print(f"{r.seconds:8.2f}s {r.path}")
    if args.failures:
        _write_failures(args.failures, kept, "python -m engine wast " + " ".join(args.argv))
    print(total.text(), flush=True)
    return 1 if total.failed else 0


# --- run -------------------------------------------------------------------------------


def _parse_arg(text: str, t: Any) -> Any:
    if t in ("i32", "i64"):
        bits = 32 if t == "i32" else 64
        v = int(text.replace("_", ""), 0)
        if not -(1 << (bits - 1)) <= v < (1 << bits):
            raise ValueError(f"{text} out of range for {t}")
        return v & ((1 << bits) - 1)
    if t == "f32":
        from engine.runtime.values import f32_from_bits
        from engine.text.numbers import parse_float

        return f32_from_bits(parse_float(_float_literal(text), "f32"))
    if t == "f64":
        from engine.runtime.values import f64_from_bits
        from engine.text.numbers import parse_float

        return f64_from_bits(parse_float(_float_literal(text), "f64"))
    if t == "v128":
        return int(text.replace("_", ""), 0) & ((1 << 128) - 1)
    if text == "null":
        return None
    raise ValueError(f"cannot pass {text!r} as {t}")


def _float_literal(text: str) -> str:
    s = text.strip().lower()
    if s in ("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
        return s.replace("infinity", "inf")
    try:
        float.fromhex(s) if "0x" in s else float(s)
    except ValueError:
        raise ValueError(f"invalid float {text!r}") from None
    return s


def _rust_float(x: float, bits: int) -> str:
    """A float the way Rust's ``Display`` shows it (wasmtime prints results so): the shortest
    digits that read back to the same value, never an exponent, no ``.0`` on integers."""
    import struct
    from decimal import Decimal

    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    digits = repr(x)
    if bits == 32:
        for p in range(1, 18):
            cand = f"{x:.{p}g}"
            if struct.unpack("<f", struct.pack("<f", float(cand)))[0] == x:
                digits = cand
                break
    s = format(Decimal(digits), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("0", "-0"):
        return "-0" if str(x).startswith("-") else "0"
    return s


def _show(v: Any, t: Any) -> str:
    if t == "i32":
        return str(to_signed(v, 32))
    if t == "i64":
        return str(to_signed(v, 64))
    if t == "f32":
        return _rust_float(v, 32)
    if t == "f64":
        return _rust_float(v, 64)
    if t == "v128":
        return str(v)
    return "null" if v is None else f"<{type(v).__name__}>"


def _load(path: str) -> Any:
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\0asm":
        from engine.binary import decode_module

        return decode_module(data)
    from engine.script.run import parse_quoted_module

    return parse_quoted_module(data.decode("utf-8", errors="surrogateescape"))


def cmd_run(args: argparse.Namespace) -> int:
    from engine.runtime.instantiate import instantiate, validate
    from engine.runtime.link import Registry
    from engine.runtime.store import Store
    from engine.script.run import ScriptRunner
    from engine.script.spectest import Spectest

    store = Store(fuel=args.fuel)
    try:
        module = _load(args.module)
        info = validate(module)
        registry = Registry()
        spectest = Spectest(out=print)
        registry.register_lookup("spectest", spectest.lookup)
        externs = registry.resolve(module.imports)
        if args.timeout:
            store.deadline = time.monotonic() + args.timeout
        inst = instantiate(store, module, externs, info)
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
        runner = ScriptRunner()
        runner.store = store
        results = runner.call(ex.value, vals)
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
    except Exception as e:
        from engine.script.run import Skip

        if isinstance(e, (Skip, ImportError)):
            print(f"error: this engine build cannot run it yet: {e}", file=sys.stderr)
            return 3
        raise
    for v, t in zip(results, ft.results):
        print(_show(v, t))
    return 0


_RUN_OPTIONS = ("--invoke", "--fuel", "--timeout")


def _order_run_args(rest: list[str]) -> list[str]:
    """Options of ``run`` may come before or after the module (``m.wat --invoke f 1 -2``);
    everything else after the module is an argument, negative numbers included."""
    opts: list[str] = []
    plain: list[str] = []
    i = 0
    while i < len(rest):
        a = rest[i]
        if a == "--":
            plain += rest[i + 1 :]
            break
        name = a.split("=", 1)[0]
        if name in _RUN_OPTIONS:
            if "=" in a:
                opts.append(a)
            else:
                opts += rest[i : i + 2]
                i += 1
        elif a in ("-h", "--help"):
            opts.append(a)
        else:
            plain.append(a)
        i += 1
    return [*opts, "--", *plain]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    w = sub.add_parser("wast", help="run WAST scripts (files or directories)")
    w.add_argument("paths", nargs="+")
    w.add_argument("-v", "--verbose", action="store_true", help="show every failure")
    w.add_argument("--timeout", type=float, default=120.0, help="seconds per file (0: none)")
    w.add_argument("-j", "--jobs", type=int, default=1, help="files run in parallel")
    w.add_argument(
        "--only",
        help="count only these command kinds, comma-separated (module, malformed, invalid, "
        "return, trap, ...); without an execution kind, modules are compiled, not instantiated",
    )
    w.add_argument(
        "--roundtrip",
        action="store_true",
        help="module checks also encode, decode and re-encode the module",
    )
    w.add_argument("--per-folder", action="store_true", help="print per-folder totals")
    w.add_argument("--by-kind", action="store_true", help="with --per-folder: per command kind")
    w.add_argument("--failures", metavar="FILE", help="write failures grouped by likely owner")
    w.add_argument("--slowest", type=int, default=0, metavar="N", help="list the N slowest files")
    w.set_defaults(fn=cmd_wast)
    r = sub.add_parser("run", help="instantiate a module and call an export")
    r.add_argument("--invoke", help="the exported function to call (default: _start)")
    r.add_argument("--fuel", type=int, default=None, help="instruction budget")
    r.add_argument("--timeout", type=float, default=None, help="seconds before interrupting")
    r.add_argument("module", help="a .wasm binary or a .wat text module")
    r.add_argument("args", nargs=argparse.REMAINDER, help="arguments, parsed by param type")
    r.set_defaults(fn=cmd_run)
    if argv and argv[0] == "run":
        argv = ["run", *_order_run_args(argv[1:])]
    a = p.parse_args(argv)
    a.argv = argv[1:]
    return int(a.fn(a))
