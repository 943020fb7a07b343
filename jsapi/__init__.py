"""jsapi: a browser-style WebAssembly host around an embedded V8."""

from typing import Any

__all__ = ["Page"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: importing jsapi alone must not start V8.
    if name == "Page":
        from jsapi.page import Page

        return Page
    raise AttributeError(f"module 'jsapi' has no attribute {name!r}")
