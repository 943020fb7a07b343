"""The private mini-racer surface the bridge depends on: an upgrade must fail here, loudly."""

import importlib.metadata

from py_mini_racer import MiniRacer

from jsapi.bridge import Bridge
from jsapi.bridge._racer import (
    REQUIRED_VERSION,
    RacerContext,
    buffer_address,
    view_at,
)


def test_pinned_version() -> None:
    assert importlib.metadata.version("mini-racer") == REQUIRED_VERSION


def test_private_names_exist() -> None:
    mr = MiniRacer()
    try:
        ctx = mr._ctx
        assert ctx is not None
        for name in ("_dll", "_ctx", "_free", "_wrap_raw_handle", "_value_handle_to_python"):
            assert hasattr(ctx, name), name
        assert hasattr(ctx._dll, "mr_make_js_callback")
    finally:
        mr.close()


def test_raw_callback_is_synchronous() -> None:
    racer = RacerContext()
    try:
        calls: list[int] = []
        fn = racer.make_callback(lambda: calls.append(1))
        install = racer.eval("(f) => { globalThis.cb = f; return 0; }")
        install(fn)
        assert racer.eval("cb(); cb(); 'done'") == "done"
        assert calls == [1, 1]
        assert racer.v8_thread is not None
    finally:
        racer.close()


def test_view_at_aliases_the_js_buffer() -> None:
    racer = RacerContext()
    try:
        mv = racer.eval("globalThis.s = new SharedArrayBuffer(8); s")
        alias = view_at(buffer_address(mv), 8)
        alias[2] = 99
        assert racer.eval("new Uint8Array(s)[2]") == 99
    finally:
        racer.close()


def test_top_level_call_with_a_large_argument() -> None:
    with Bridge() as b:
        fn = b.handle("(d) => d.length + d[d.length - 1]")
        assert b.call(fn, b"\x05" * (3 << 20)) == (3 << 20) + 5
