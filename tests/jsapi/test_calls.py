# ruff: noqa: E501  (JavaScript snippets read best on one line)
"""Instantiating modules, calling exports with every value type, imports calling back into JS."""

import time
from collections.abc import Callable

JS = Callable[[str], object]
Wasm = Callable[[str, str], None]

VALUES = """
(module
  (func (export "i32") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "i64") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 2)))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (f64.div (local.get 0) (f64.const 2)))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "fn") (param funcref) (result funcref) (local.get 0))
  (func (export "v128") (param v128))
  (func (export "multi") (result i32 i64 f64) (i32.const -1) (i64.const -2) (f64.const 0.5))
)
"""


def test_every_value_type_round_trips(js: JS, wasm: Wasm) -> None:
    wasm("bytes", VALUES)
    js("globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports; 0")
    assert js("e.i32(41)") == 42
    assert js("e.i32(0x7fffffff)") == -(2**31)
    assert js("e.i32('5')") == 6
    assert js("String(e.i64(21n))") == "42"
    assert js("typeof e.i64(1n)") == "bigint"
    assert js("(() => { try { e.i64(1) } catch (err) { return err.constructor.name } })()") == (
        "TypeError"
    )
    assert js("e.f32(0.1)") == js("Math.fround(0.1)")
    assert js("e.f64(3)") == 1.5
    assert js("const o = {}; e.ext(o) === o") is True
    assert js("e.ext(undefined) === undefined && e.ext(null) === null") is True
    assert js("e.fn(e.i32) === e.i32 && e.fn(null) === null") is True
    assert js("(() => { try { e.fn(() => 1) } catch (err) { return err.name } })()") == (
        "TypeError"
    )
    assert js("(() => { try { e.v128() } catch (err) { return err.name } })()") == "TypeError"
    assert js("JSON.stringify(e.multi(), (k, v) => typeof v === 'bigint' ? `${v}n` : v)") == (
        '[-1,"-2n",0.5]'
    )


def test_exports_object_and_function_identity(js: JS, wasm: Wasm) -> None:
    wasm("bytes", VALUES)
    js("globalThis.i = new WebAssembly.Instance(new WebAssembly.Module(bytes)); 0")
    assert js("Object.isFrozen(i.exports) && Object.getPrototypeOf(i.exports) === null") is True
    assert js("i.exports === i.exports && i.exports.i32 === i.exports.i32") is True
    assert js("i.exports.i32.name + ':' + i.exports.i32.length + ':' + i.exports.multi.length") == (
        "0:1:0"
    )
    assert js("Object.keys(i.exports).join()") == "i32,i64,f32,f64,ext,fn,v128,multi"


def test_imports_call_back_into_js_at_depth(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """
        (module
          (import "env" "down" (func $down (param i32) (result i32)))
          (func (export "count") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1)
                       (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """,
    )
    js(
        """
        globalThis.depth = 0;
        globalThis.inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
          env: { down: (n) => { depth++; return inst.exports.count(n); } },
        });
        0
        """
    )
    # JS -> wasm -> JS -> wasm ... 40 levels deep, each wasm frame adding one.
    assert js("inst.exports.count(40)") == 40
    assert js("depth") == 40


def test_reexported_import_and_cross_instance_calls(js: JS, wasm: Wasm) -> None:
    wasm("a", '(module (func (export "f") (result i32) (i32.const 7)))')
    wasm(
        "b",
        """(module (import "m" "f" (func $f (result i32)))
             (export "g" (func $f))
             (func (export "h") (result i32) (i32.mul (call $f) (i32.const 6))))""",
    )
    js(
        """
        globalThis.A = new WebAssembly.Instance(new WebAssembly.Module(a)).exports;
        globalThis.Bx = new WebAssembly.Instance(new WebAssembly.Module(b), {m: {f: A.f}}).exports;
        0
        """
    )
    assert js("Bx.g === A.f") is True
    assert js("Bx.h()") == 42


def test_async_instantiate_both_overloads(js: JS, wasm: Wasm) -> None:
    wasm("bytes", '(module (func (export "f") (result i32) (i32.const 3)))')
    js(
        """
        globalThis.out = [];
        WebAssembly.instantiate(bytes).then((r) => {
          out.push(r.module instanceof WebAssembly.Module, r.instance.exports.f());
          return WebAssembly.instantiate(r.module);
        }).then((inst) => out.push(inst instanceof WebAssembly.Instance));
        WebAssembly.compile(new Uint8Array([1, 2])).catch((e) => out.push(e.name));
        0
        """
    )
    deadline = time.monotonic() + 10
    while js("out.length") != 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert js("out.join()") == "CompileError,true,3,true"
    assert js("WebAssembly.validate(bytes) && !WebAssembly.validate(new Uint8Array(3))") is True
