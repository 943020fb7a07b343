import pytest

from jsapi.bridge import Bridge, BridgeError


def test_sab_view_is_shared_both_ways(bridge: Bridge) -> None:
    bridge.eval("globalThis.sab = new SharedArrayBuffer(16, {maxByteLength: 1 << 20});")
    view = bridge.acquire_view("sab")
    assert view.kind == "sab" and view.length == 16 and view.maximum == 1 << 20
    view.mem[3] = 42
    assert bridge.eval("new Uint8Array(sab)[3]") == 42
    bridge.eval("new Uint8Array(sab)[4] = 9")
    assert view.mem[4] == 9


def test_wasm_memory_view_follows_grow_in_place(bridge: Bridge) -> None:
    bridge.eval("globalThis.mem = new WebAssembly.Memory({initial: 1, maximum: 50});")
    view = bridge.acquire_view("mem")
    assert view.kind == "wasm" and view.length == 65536

    def grown(new_length: int) -> int:
        view.resize(new_length)
        view.mem[new_length - 1] = 77
        return view.mem[0]

    bridge.expose("grown", grown)
    assert (
        bridge.eval(
            """
        new Uint8Array(mem.buffer)[0] = 5;
        mem.grow(9);
        const r = S.grown(mem.buffer.byteLength);
        r + ':' + new Uint8Array(mem.buffer)[mem.buffer.byteLength - 1]
        """
        )
        == "5:77"
    )
    assert view.length == 10 * 65536
    # The view is still the very memory V8 uses (it did not move).
    again = bridge.acquire_view("mem")
    assert again.address == view.address


def test_pinned_buffer_cannot_be_transferred(bridge: Bridge) -> None:
    bridge.eval("globalThis.ab = new ArrayBuffer(64);")
    view = bridge.acquire_view("ab")
    assert view.kind == "fixed"
    msg = bridge.eval(
        "const r = []; for (const m of ['transfer', 'transferToFixedLength']) "
        "{ try { ab[m](); r.push('moved') } catch (e) { r.push(e.constructor.name) } } r.join()"
    )
    assert msg == "TypeError,TypeError"
    assert bridge.eval("ab.byteLength") == 64
    view.mem[0] = 1  # still backed by live memory
    assert bridge.eval("new Uint8Array(ab)[0]") == 1
    # Unpinned buffers still transfer normally.
    assert bridge.eval("new ArrayBuffer(8).transfer().byteLength") == 8


def test_native_wasm_buffer_refuses_transfer(bridge: Bridge) -> None:
    bridge.eval("globalThis.m2 = new WebAssembly.Memory({initial: 1});")
    bridge.acquire_view("m2")
    assert bridge.eval(
        "try { m2.buffer.transfer(); 'moved' } catch (e) { e.constructor.name }"
    ) == ("TypeError")


def test_pinned_resizable_buffer_cannot_shrink(bridge: Bridge) -> None:
    bridge.eval("globalThis.rab = new ArrayBuffer(32, {maxByteLength: 4096});")
    view = bridge.acquire_view("rab")
    assert view.kind == "resizable" and view.maximum == 4096
    assert bridge.eval("try { rab.resize(8); 'shrunk' } catch (e) { e.constructor.name }") == (
        "TypeError"
    )
    bridge.eval("rab.resize(1024); new Uint8Array(rab)[1000] = 3;")
    view.resize(1024)
    assert view.mem[1000] == 3


def test_fixed_buffer_cannot_be_resized_in_place(bridge: Bridge) -> None:
    bridge.eval("globalThis.ab2 = new ArrayBuffer(8);")
    view = bridge.acquire_view("ab2")
    with pytest.raises(BridgeError):
        view.resize(16)
    assert not view.valid
    with pytest.raises(BridgeError):
        _ = view.mem


def test_view_invalid_after_close(bridge: Bridge) -> None:
    bridge.eval("globalThis.sab2 = new SharedArrayBuffer(8);")
    view = bridge.acquire_view("sab2")
    bridge.close()
    assert not view.valid
    with pytest.raises(BridgeError):
        _ = view.mem


def test_not_a_buffer(bridge: Bridge) -> None:
    with pytest.raises(Exception, match="not a buffer"):
        bridge.acquire_view("({})")
