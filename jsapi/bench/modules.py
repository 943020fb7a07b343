"""The WebAssembly modules the benchmark runs, written in WAT and assembled by our engine.

One module carries every crossing so that each engine compiles and instantiates it once:
export calls of arity 0..4 for each value type, and loops that run inside wasm (a baseline loop
and the same loop with a direct call, a `call_indirect` or a call of the JS import per iteration:
the difference to the baseline is the cost of the call).
"""

from __future__ import annotations

from functools import cache

from engine.api import wat2wasm

VALUE_TYPES = ("i32", "i64", "f32", "f64", "externref")
MAX_ARITY = 4


def call_export_name(vt: str, arity: int) -> str:
    return "call_0" if arity == 0 else f"call_{vt}_{arity}"


def _loop(name: str, step: str) -> str:
    # acc += <step>, n times; `n` counts down so the loop itself is a compare and a branch.
    return f"""
  (func (export "{name}") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) {step}))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))"""


def bench_wat() -> str:
    parts = [
        "(module",
        '  (import "js" "f" (func $jsf (param i32) (result i32)))',
        "  (type $unary (func (param i32) (result i32)))",
        "  (table $tab 4 funcref)",
        "  (elem (table $tab) (i32.const 0) func $id $inc $id $inc)",
        "  (func $id (param i32) (result i32) (local.get 0))",
        "  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))",
        '  (func (export "call_0"))',
    ]
    for vt in VALUE_TYPES:
        for arity in range(1, MAX_ARITY + 1):
            params = " ".join([vt] * arity)
            parts.append(
                f'  (func (export "{call_export_name(vt, arity)}") (param {params}) (result {vt})'
                " (local.get 0))"
            )
    parts.append(_loop("loop_base", "(local.get $n)"))
    parts.append(_loop("loop_call", "(call $id (local.get $n))"))
    parts.append(
        _loop(
            "loop_indirect",
            "(call_indirect $tab (type $unary) (local.get $n)"
            " (i32.and (local.get $n) (i32.const 3)))",
        )
    )
    parts.append(_loop("loop_import", "(call $jsf (local.get $n))"))
    parts.append(")")
    return "\n".join(parts)


def small_wat() -> str:
    """A small module to instantiate: an import, a table, a global and exports.

    No memory: a memory's cost is the allocation of its bytes, which `memory.grow` measures;
    here it would also draw on the namespace's pool of native memories within one task."""
    return """(module
  (import "js" "f" (func $f (param i32) (result i32)))
  (table (export "tab") 4 funcref)
  (global (export "g") (mut i32) (i32.const 7))
  (func (export "run") (param i32) (result i32) (call $f (local.get 0))))"""


def sized_wat(functions: int) -> str:
    """A compiler-shaped module of `functions` bodies, for compile throughput per KB."""
    body = """
  (func (param $a i32) (param $b i32) (result i32) (local $i i32) (local $x i64)
    (local.set $i (i32.const 0))
    (block $out
      (loop $top
        (br_if $out (i32.ge_u (local.get $i) (local.get $b)))
        (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31)) (local.get $i)))
        (local.set $x (i64.add (local.get $x) (i64.extend_i32_u (local.get $a))))
        (i32.store (i32.and (local.get $a) (i32.const 1020)) (local.get $a))
        (if (i32.and (local.get $a) (i32.const 1))
          (then (local.set $a (i32.xor (local.get $a) (i32.load (i32.const 4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (i32.add (local.get $a) (i32.wrap_i64 (local.get $x))))"""
    return "(module (memory 1)" + body * functions + ")"


@cache
def bench_module() -> bytes:
    return wat2wasm(bench_wat())


@cache
def small_module() -> bytes:
    return wat2wasm(small_wat())


@cache
def sized_module(functions: int = 64) -> bytes:
    return wat2wasm(sized_wat(functions))
