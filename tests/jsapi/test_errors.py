# ruff: noqa: E501  (JavaScript snippets read best on one line)
"""Error classes: compile errors with byte offsets, link errors naming the import, traps, and JS
exceptions crossing wasm frames with their identity."""

from collections.abc import Callable

JS = Callable[[str], object]
Wasm = Callable[[str, str], None]


def catch(js: JS, expr: str) -> object:
    return js(f"(() => {{ try {{ {expr}; return 'no error' }} catch (e) {{ return e }} }})()")


def test_error_classes_shape(js: JS) -> None:
    for name in ("CompileError", "LinkError", "RuntimeError"):
        assert (
            js(
                f"""(() => {{ const E = WebAssembly.{name}; const e = new E('m');
            return Object.getPrototypeOf(E) === Error && e instanceof Error && e.name === '{name}'
              && e.message === 'm' && E.length === 1
              && Object.getPrototypeOf(E.prototype) === Error.prototype
              && !(Symbol.toStringTag in E.prototype); }})()"""
            )
            is True
        )


def test_compile_error_has_message_and_offset(js: JS) -> None:
    msg = js(
        "(() => { try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])) }"
        " catch (e) { return e.constructor.name + ': ' + e.message } })()"
    )
    assert msg == "CompileError: unknown binary version (at byte offset 4)"
    assert (
        js(
            "(() => { try { new WebAssembly.Module(new Uint8Array(0)) } catch (e) { return e instanceof WebAssembly.CompileError } })()"
        )
        is True
    )  # noqa: E501


def test_link_error_names_the_import(js: JS, wasm: Wasm) -> None:
    wasm("bytes", '(module (import "env" "g" (global i64)))')
    text = js(
        "(() => { try { new WebAssembly.Instance(new WebAssembly.Module(bytes), {env: {g: 1}}) }"
        " catch (e) { return e.name + ': ' + e.message } })()"
    )
    assert isinstance(text, str) and text.startswith("LinkError") and '"env" "g"' in text
    wasm("bytes2", '(module (import "env" "f" (func (param i32))))')
    text = js(
        "(() => { try { new WebAssembly.Instance(new WebAssembly.Module(bytes2),"
        " {env: {f: new WebAssembly.Global({value: 'i32'})}}) }"
        " catch (e) { return e.name + ': ' + e.message } })()"
    )
    assert isinstance(text, str) and text.startswith("LinkError") and '"env" "f"' in text
    text = js(
        "(() => { try { new WebAssembly.Instance(new WebAssembly.Module(bytes2), {}) }"
        " catch (e) { return e.name } })()"
    )
    assert text == "TypeError"


def test_traps_are_runtime_errors_with_the_reference_message(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """(module
             (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
             (func (export "boom") unreachable)
             (func $rec (export "rec") (call $rec)))""",
    )
    js("globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports; 0")
    assert js("e.div(1)") == 1
    assert (
        js(
            "(() => { try { e.div(0) } catch (x) { return x instanceof WebAssembly.RuntimeError"
            " && x.message } })()"
        )
        == "integer divide by zero"
    )
    assert js("(() => { try { e.boom() } catch (x) { return x.message } })()") == (
        "unreachable executed"
    )
    assert js("(() => { try { e.rec() } catch (x) { return x.constructor.name } })()") == (
        "RangeError"
    )


def test_js_exception_identity_through_wasm_frames(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """(module (import "env" "throw" (func $t))
             (func (export "run") (call $t))
             (func (export "catchall") (result i32)
               (block $h (try_table (catch_all $h) (call $t)) (return (i32.const 0)))
               (i32.const 1)))""",
    )
    js(
        """
        globalThis.thrown = {tag: 'mine'};
        globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes),
          {env: {throw: () => { throw thrown; }}}).exports;
        0
        """
    )
    assert js("(() => { try { e.run() } catch (x) { return x === thrown } })()") is True
    assert js("e.catchall()") == 1  # wasm catches the JS exception (JSTag)
    js("globalThis.thrown = 42; 0")
    assert js("(() => { try { e.run() } catch (x) { return x } })()") == 42
