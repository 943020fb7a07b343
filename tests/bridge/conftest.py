from collections.abc import Iterator

import pytest

from jsapi.bridge import Bridge


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    b = Bridge()
    b.eval("globalThis.B = __jsapiBridge; globalThis.S = B.services;")
    try:
        yield b
    finally:
        b.close()
