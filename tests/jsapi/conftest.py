from collections.abc import Callable, Iterator

import pytest

from engine.api.module import wat2wasm
from jsapi.bridge import Bridge
from jsapi.webassembly import WebAssemblyNamespace, install_webassembly


@pytest.fixture
def ns() -> Iterator[WebAssemblyNamespace]:
    b = Bridge()
    try:
        yield install_webassembly(b, pool_sizes={"i32": 6, "i64": 2, "shared": 2})
    finally:
        b.close()


@pytest.fixture
def js(ns: WebAssemblyNamespace) -> Callable[[str], object]:
    return ns.bridge.eval


@pytest.fixture
def wasm(ns: WebAssemblyNamespace) -> Callable[[str, str], None]:
    """Defines a global JS Uint8Array holding the binary of a module given as text."""

    def define(name: str, wat: str) -> None:
        data = wat2wasm(wat)
        ns.bridge.eval(f"globalThis.{name} = new Uint8Array([{','.join(map(str, data))}]); 0")

    return define
