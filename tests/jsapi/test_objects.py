# ruff: noqa: E501  (JavaScript snippets read best on one line)
"""Memory (zero-copy native buffers), Table, Global, Tag and Exception objects."""

from collections.abc import Callable

from jsapi.webassembly import WebAssemblyNamespace

JS = Callable[[str], object]
Wasm = Callable[[str, str], None]

MEM = """(module (memory (export "mem") 1 4)
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"""


def test_memory_buffer_identity_detach_and_grow(js: JS) -> None:
    js(
        "globalThis.m = new WebAssembly.Memory({initial: 1, maximum: 3}); globalThis.b0 = m.buffer; 0"
    )
    assert js("m.buffer === b0 && b0.byteLength === 65536") is True
    assert js("(() => { try { b0.transfer() } catch (e) { return e.name } })()") == "TypeError"
    assert js("m.grow(1)") == 1
    assert js("b0.detached && m.buffer !== b0 && m.buffer.byteLength === 131072") is True
    assert js("(() => { try { m.grow(2) } catch (e) { return e.name } })()") == "RangeError"
    assert js("const b1 = m.buffer; m.grow(0); b1.detached && m.buffer.byteLength === 131072")


def test_memory_bytes_shared_between_wasm_js_and_python(
    ns: WebAssemblyNamespace, js: JS, wasm: Wasm
) -> None:
    wasm("bytes", MEM)
    js("globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports; 0")
    js("e.store(10, 77); new Uint8Array(e.mem.buffer)[11] = 99; 0")
    assert js("new Uint8Array(e.mem.buffer)[10]") == 77
    assert js("e.load(11)") == 99
    js("globalThis.old = e.mem.buffer; 0")
    assert js("e.grow(2)") == 1
    assert js("old.detached && e.mem.buffer.byteLength === 3 * 65536") is True
    js("new Uint8Array(e.mem.buffer)[3 * 65536 - 1] = 5; 0")
    assert js("e.load(3 * 65536 - 1)") == 5
    assert js("e.grow(5)") == -1
    # The engine's bytes are the native memory's bytes: no copy anywhere.
    views = [v for v, _ in ns.services._natives.values()]
    assert any(v.length == 3 * 65536 and v.mem[10] == 77 and v.mem[11] == 99 for v in views)


def test_imported_memory_and_shared_memory(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """(module (import "env" "m" (memory 1))
             (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))""",
    )
    js(
        """globalThis.m = new WebAssembly.Memory({initial: 1});
        new Uint8Array(m.buffer)[3] = 33;
        globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {env: {m}}).exports;
        0"""
    )
    assert js("e.peek(3)") == 33
    assert (
        js(
            "const s = new WebAssembly.Memory({initial: 1, maximum: 2, shared: true});"
            "s.buffer instanceof SharedArrayBuffer && s.grow(1) === 1 && s.buffer.byteLength === 131072"
        )
        is True
    )
    assert (
        js(
            "const m64 = new WebAssembly.Memory({initial: 1n, address: 'i64'});"
            "m64.grow(1n) === 1n && m64.buffer.byteLength === 131072"
        )
        is True
    )


def test_pool_exhaustion_is_a_range_error_and_refill_restores(
    ns: WebAssemblyNamespace, js: JS
) -> None:
    left = ns.pool.available("i32")
    js(f"for (let i = 0; i < {left}; i++) new WebAssembly.Memory({{initial: 0}}); 0")
    assert js(
        "(() => { try { new WebAssembly.Memory({initial: 0}) } catch (e) { return e.name } })()"
    ) == (  # noqa: E501
        "RangeError"
    )
    # The kind that ran dry gets a larger target (doubled, within its cap) from now on.
    assert ns.pool.sizes["i32"] == min(2 * left, ns.pool.max_sizes["i32"])
    assert ns.refill() == ns.pool.sizes["i32"]
    assert ns.pool.available("i32") == ns.pool.sizes["i32"]
    assert js("new WebAssembly.Memory({initial: 1}).buffer.byteLength") == 65536


def test_tables(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """(module (table (export "t") 2 funcref)
             (func $f (export "f") (result i32) (i32.const 9))
             (elem (i32.const 1) $f)
             (func (export "call") (param i32) (result i32)
               (call_indirect (result i32) (local.get 0))))""",
    )
    js("globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports; 0")
    assert js("e.t.length === 2 && e.t.get(0) === null && e.t.get(1) === e.f") is True
    assert js("(() => { try { e.call(0) } catch (x) { return x.message } })()") == (
        "uninitialized element 0"
    )
    js("e.t.set(0, e.f); 0")
    assert js("e.call(0)") == 9
    assert js("e.t.grow(2) === 2 && e.t.length === 4 && e.t.get(3) === null") is True
    assert js("(() => { try { e.t.get(4) } catch (x) { return x.name } })()") == "RangeError"
    assert js("(() => { try { e.t.set(0, {}) } catch (x) { return x.name } })()") == "TypeError"
    js("globalThis.x = new WebAssembly.Table({element: 'externref', initial: 1}); 0")
    assert js("x.get(0) === undefined && (x.set(0, x), x.get(0) === x)") is True
    # (mini-racer cannot return a BigInt to Python: compare inside JS)
    assert js(
        "new WebAssembly.Table({element: 'anyfunc', initial: 1n, address: 'i64'}).length === 1n"
    )


def test_globals(js: JS, wasm: Wasm) -> None:
    js("globalThis.g = new WebAssembly.Global({value: 'i64', mutable: true}, 5n); 0")
    assert js("g.value === 5n && g.valueOf() === 5n") is True
    js("g.value = -1n; 0")
    assert js("g.value === -1n") is True
    assert (
        js(
            "(() => { const c = new WebAssembly.Global({value: 'i32'}, 3);"
            " try { c.value = 4 } catch (e) { return e.name + c.value } })()"
        )
        == "TypeError3"
    )
    assert (
        js(
            "(() => { try { new WebAssembly.Global({value: 'v128'}) } catch (e) { return e.name } })()"
        )
        == "TypeError"
    )  # noqa: E501
    wasm(
        "bytes",
        """(module (import "env" "g" (global $g (mut i64)))
             (func (export "bump") (global.set $g (i64.add (global.get $g) (i64.const 10)))))""",
    )
    js("new WebAssembly.Instance(new WebAssembly.Module(bytes), {env: {g}}).exports.bump(); 0")
    assert js("g.value === 9n") is True


def test_tags_and_exceptions(js: JS, wasm: Wasm) -> None:
    wasm(
        "bytes",
        """(module (import "env" "tag" (tag $t (param i32)))
             (import "env" "js" (func $js))
             (func (export "throw") (param i32) (throw $t (local.get 0)))
             (func (export "catch") (result i32)
               (block $h (result i32) (try_table (catch $t $h) (call $js)) (i32.const -1))))""",
    )
    js(
        """globalThis.tag = new WebAssembly.Tag({parameters: ['i32']});
        globalThis.toThrow = undefined;
        globalThis.e = new WebAssembly.Instance(new WebAssembly.Module(bytes),
          {env: {tag, js: () => { throw toThrow; }}}).exports;
        0"""
    )
    assert (
        js(
            "(() => { try { e.throw(7) } catch (x) { return x instanceof WebAssembly.Exception"
            " && x.is(tag) && x.getArg(tag, 0) } })()"
        )
        == 7
    )
    js("globalThis.toThrow = new WebAssembly.Exception(tag, [12]); 0")
    assert js("e.catch()") == 12
    assert (
        js(
            "(() => { try { new WebAssembly.Exception(WebAssembly.JSTag, [1]) } catch (x) { return x.name } })()"
        )
        == "TypeError"
    )  # noqa: E501
    assert js("String(new WebAssembly.Exception(tag, [1]))") == "[object WebAssembly.Exception]"


def test_js_values_held_by_wasm_are_released_when_dropped(ns: WebAssemblyNamespace, js: JS) -> None:
    js("globalThis.t = new WebAssembly.Table({element: 'externref', initial: 1}); 0")
    gc = __import__("gc")
    gc.collect()
    before = ns.bridge.js_handle_count()
    js("t.set(0, {payload: new Array(100).fill(7)}); 0")
    assert ns.bridge.js_handle_count() == before + 1
    js("t.set(0, null); 0")
    gc.collect()
    js("t.length; 0")  # the release rides on the next crossing
    assert ns.bridge.js_handle_count() == before
