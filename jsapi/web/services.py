"""The Python side of the web APIs: randomness, the monotonic clock and local file reads.

``fetch`` never touches the network: the JS side parses the URL and hands this module the
parsed components; only the page's own origin (mapped onto ``root``) and ``file:`` URLs inside
``root`` are served, everything else is a network error.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from jsapi.bridge import Bridge

# Content-Type by extension, the way a static file server labels what it serves.
MIME_TYPES: dict[str, str] = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".txt": "text/plain",
    ".wat": "text/plain",
    ".wast": "text/plain",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".bin": "application/octet-stream",
}
DEFAULT_MIME = "application/octet-stream"
DEFAULT_PORTS = {"http": 80, "https": 443}
RANDOM_LIMIT = 1 << 16


def mime_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), DEFAULT_MIME)


@dataclass
class WebServices:
    root: Path
    origin: str
    page_url: str
    user_agent: str
    hardware_concurrency: int
    languages: list[str]
    time_origin_ns: int = field(default_factory=time.perf_counter_ns)
    time_origin_ms: float = field(default_factory=lambda: time.time() * 1000.0)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        parts = urlsplit(self.origin)
        self._scheme = parts.scheme
        self._host = (parts.hostname or "").lower()
        self._port = parts.port or DEFAULT_PORTS.get(parts.scheme)

    def expose(self, bridge: Bridge) -> None:
        bridge.expose("web.config", self.config)
        bridge.expose("web.random", self.random)
        bridge.expose("web.now", self.now)
        bridge.expose("web.fetch", self.fetch)

    def config(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "pageUrl": self.page_url,
            "userAgent": self.user_agent,
            "hardwareConcurrency": self.hardware_concurrency,
            "languages": self.languages,
            "timeOrigin": self.time_origin_ms,
        }

    def random(self, n: int) -> bytes:
        if not 0 <= n <= RANDOM_LIMIT:
            raise ValueError(f"random: {n} bytes requested")
        return os.urandom(n)

    def now(self) -> float:
        return (time.perf_counter_ns() - self.time_origin_ns) / 1e6

    # ---- fetch ----------------------------------------------------------------------------------

    def fetch(self, scheme: str, host: str, port: Any, path: str) -> list[Any] | None:
        """Reads the file a URL names: [status, status text, content type, body], or None for
        a network error (JS rejects with TypeError("Failed to fetch"))."""
        if scheme in ("http", "https"):
            port_number = DEFAULT_PORTS.get(scheme) if port is None else int(port)
            if (scheme, host.lower(), port_number) != (self._scheme, self._host, self._port):
                return None
            target = self._inside_root(path)
            if target is None:
                return None
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                return [404, "Not Found", "text/plain", b"404 Not Found"]
            return self._serve(target)
        if scheme == "file":
            if host not in ("", "localhost"):
                return None
            raw = _decode_path(path)
            if raw is None:
                return None
            target = _contained(Path(raw), self.root)
            if target is None or not target.is_file():
                return None
            return self._serve(target)
        return None

    def _inside_root(self, path: str) -> Path | None:
        return file_under_root(self.root, path)

    def _serve(self, target: Path) -> list[Any] | None:
        try:
            body = target.read_bytes()
        except OSError:
            return None
        return [200, "OK", mime_type(target), body]


def file_under_root(root: Path, url_path: str) -> Path | None:
    """The file or folder a URL path names under ``root`` (a resolved path), as a static
    server would map it; None when the path could name anything outside the root (``..``,
    percent-encoded or not, NUL bytes, backslashes, symlinks that lead out). Every host
    component that serves files (fetch, scripts, modules) maps URLs through this."""
    raw = _decode_path(url_path)
    if raw is None:
        return None
    return _contained(root / raw.lstrip("/"), root)


def _decode_path(path: str) -> str | None:
    """The URL path percent-decoded; None when it could name something outside the root."""
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in text or "\\" in text:
        return None
    if any(segment == ".." for segment in text.split("/")):
        return None
    return text


def _contained(candidate: Path, root: Path) -> Path | None:
    """The resolved path if it (after following every symlink) lies inside root."""
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    if resolved != root and not resolved.is_relative_to(root):
        return None
    return resolved
