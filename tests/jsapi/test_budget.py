"""The process's V8 address-space budget: what a realm reserves, and that closing frees it.

V8 reserves the whole range of every wasm memory and of every growable SharedArrayBuffer up
front, out of about 1 TiB per process; the probe counts how many growable SABs of 1 GiB maximum
a fresh context can still make (each one GiB of budget).
"""

from pathlib import Path

from py_mini_racer import MiniRacer

from jsapi.bridge import Bridge
from jsapi.host import Realm
from jsapi.page import Page
from jsapi.webassembly import install_webassembly
from jsapi.webassembly.pool import MemoryPool

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello" / "index.html"


def free_gib() -> int:
    mr = MiniRacer()
    try:
        return int(
            mr.eval(
                "(() => { const a = []; try { for (let i = 0; i < 4096; i++)"
                " a.push(new SharedArrayBuffer(1, {maxByteLength: 1 << 30})); } catch (e) {}"
                " return a.length; })()"
            )
        )
    finally:
        mr.close()


def test_a_page_reserves_a_bounded_share_and_close_releases_it() -> None:
    before = free_gib()
    page = Page.open(HELLO, engine="jsapi")
    try:
        # The namespace is served by the page's own bridge, not by a second context.
        assert page.realm.webassembly.bridge is page.bridge  # type: ignore[attr-defined]
        used = before - free_gib()
        assert 0 < used <= 100
    finally:
        page.close()
    assert free_gib() >= before - 1


def test_thirty_pages_and_realms_opened_and_closed_leave_the_budget_intact() -> None:
    before = free_gib()
    for _ in range(15):
        page = Page.open(HELLO, engine="jsapi")
        page.close()
        with Realm("jsapi") as realm:
            assert realm.eval("new WebAssembly.Memory({initial: 1}).buffer.byteLength") == 65536
    assert free_gib() >= before - 1
    # And allocation still works afterwards.
    with Bridge() as b:
        b.eval("globalThis.s = new SharedArrayBuffer(8, {maxByteLength: 1 << 30}); 0")
        assert b.eval("s.growable") is True


def test_pool_usage_is_bounded_even_when_it_runs_dry() -> None:
    with Bridge() as b:
        ns = install_webassembly(b)
        pool: MemoryPool = ns.pool
        assert pool.bound_gib() <= 256
        assert pool.reserved_gib() <= 100
        for _ in range(6):
            js = "(() => { let n = 0; try { for (;;) { new WebAssembly.Memory({initial: 0}); n++; }"
            js += " } catch (e) { return [n, e.name]; } })()"
            had = pool.available("i32")
            n, name = b.eval(js)
            assert (n, name) == (had, "RangeError")
            ns.refill()
            assert pool.reserved_gib() <= pool.bound_gib()
        assert pool.sizes["i32"] == pool.max_sizes["i32"]
        # i64 memories take i32 natives (4 GiB each, not 16).
        assert pool.available("i64") == 0
        assert b.eval(
            "const m = new WebAssembly.Memory({initial: 1n, address: 'i64'});"
            "m.grow(2n) === 1n && m.buffer.byteLength === 3 * 65536 && m.grow(0n) === 3n"
        )
