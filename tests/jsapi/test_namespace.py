# ruff: noqa: E501  (JavaScript snippets read best on one line)
"""The namespace's Web IDL shape: descriptors, brand checks, conversions, and the embedding limits."""

from collections.abc import Callable

import pytest

from engine.errors import CompileError
from jsapi.webassembly import limits

JS = Callable[[str], object]


def test_namespace_and_interface_descriptors(js: JS) -> None:
    assert (
        js(
            "(() => { const d = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly'); return d.writable && !d.enumerable && d.configurable; })()"
        )
        is True
    )
    assert js("Object.prototype.toString.call(WebAssembly)") == "[object WebAssembly]"
    for name, length in (
        ("Module", 1),
        ("Instance", 1),
        ("Memory", 1),
        ("Table", 1),
        ("Global", 1),
        ("Tag", 1),
        ("Exception", 2),
    ):
        assert (
            js(
                f"""(() => {{ const C = WebAssembly.{name}; const d = Object.getOwnPropertyDescriptor(WebAssembly, '{name}');
            const p = Object.getOwnPropertyDescriptor(C, 'prototype');
            return d.writable && !d.enumerable && d.configurable && C.length === {length} && C.name === '{name}'
              && !p.writable && !p.enumerable && !p.configurable
              && C.prototype[Symbol.toStringTag] === 'WebAssembly.{name}'
              && Object.getPrototypeOf(C.prototype) === Object.prototype; }})()"""
            )
            is True
        ), name
    assert (
        js("(() => { try { WebAssembly.Memory({initial: 1}) } catch (e) { return e.name } })()")
        == "TypeError"
    )
    assert (
        js(
            "(() => { const d = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer'); return d.enumerable && d.configurable && d.set === undefined && d.get.name === 'get buffer'; })()"
        )
        is True
    )
    assert (
        js(
            "(() => { const d = Object.getOwnPropertyDescriptor(WebAssembly.Table.prototype, 'grow'); return d.writable && d.enumerable && d.configurable && d.value.length === 1; })()"
        )
        is True
    )
    assert (
        js(
            "(() => { try { new WebAssembly.Table.prototype.grow(1) } catch (e) { return e.name } })()"
        )
        == "TypeError"
    )


def test_brand_checks_and_enforce_range(js: JS) -> None:
    assert (
        js(
            "(() => { try { WebAssembly.Memory.prototype.grow.call({}, 1) } catch (e) { return e.name } })()"
        )
        == "TypeError"
    )
    assert (
        js(
            "(() => { try { Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer').get.call(WebAssembly.Memory.prototype) } catch (e) { return e.name } })()"
        )
        == "TypeError"
    )
    for bad in ("-1", "2 ** 32", "NaN", "Infinity"):
        assert (
            js(
                f"(() => {{ try {{ new WebAssembly.Memory({{initial: {bad}}}) }} catch (e) {{ return e.name }} }})()"
            )
            == "TypeError"
        ), bad
    assert (
        js(
            "(() => { try { new WebAssembly.Memory({initial: 65537}) } catch (e) { return e.name } })()"
        )
        == "RangeError"
    )
    assert (
        js(
            "(() => { try { new WebAssembly.Memory({initial: 1, shared: true}) } catch (e) { return e.name } })()"
        )
        == "TypeError"
    )
    assert js("new WebAssembly.Memory({initial: 1.9}).buffer.byteLength") == 65536
    order = js(
        "(() => { const log = []; const v = (n, x) => ({ valueOf() { log.push(n); return x; } });"
        " new WebAssembly.Memory({ get initial() { log.push('get initial'); return v('initial', 1); },"
        " get maximum() { log.push('get maximum'); return v('maximum', 2); } }); return log.join(); })()"
    )
    assert order == "get initial,initial,get maximum,maximum"


def test_limits_prescan_rejects_counts_before_decoding() -> None:
    header = b"\0asm\1\0\0\0"
    # A type section claiming 1_000_001 entries with no bytes behind them: rejected on the count.
    too_many = header + b"\x01\x03" + bytes([0xC1, 0x84, 0x3D])
    with pytest.raises(CompileError, match="too many types"):
        limits.prescan(too_many)
    limits.prescan(header + b"\x01\x01\x00")  # zero types is fine
    limits.prescan(header + b"\x01\x7f")  # truncated: left to the decoder
