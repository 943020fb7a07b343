"""The web platform APIs of the browser host, installed into a bridge's V8 context.

Each interface family is a .js file beside this package; Python backs only what the platform
needs from outside the isolate (randomness, a monotonic clock, reading files for ``fetch``).
See docs/host-apis.md for what is supported and the known gaps.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from jsapi.bridge import Bridge
from jsapi.web.services import WebServices

# Order matters: each file attaches to the internal namespace the previous ones filled.
WEB_SCRIPTS = (
    "webidl.js",
    "dom_exception.js",
    "encoding.js",
    "base64.js",
    "events.js",
    "abort.js",
    "performance.js",
    "crypto.js",
    "blob.js",
    "url_search_params.js",
    "url_parser.js",
    "url.js",
    "structured_clone.js",
    "fetch_body.js",
    "fetch.js",
    "globals.js",
)

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) jsapi/0.1 (V8 host of a Python WebAssembly engine)"


def install(
    bridge: Bridge,
    *,
    root: Path | str,
    origin: str = "http://localhost",
    page_url: str | None = None,
    user_agent: str = USER_AGENT,
    hardware_concurrency: int | None = None,
    languages: tuple[str, ...] = ("en-US", "en"),
) -> WebServices:
    """Installs the web platform globals; ``fetch`` serves files under ``root`` for ``origin``."""
    services = WebServices(
        root=Path(root),
        origin=origin.rstrip("/"),
        page_url=page_url if page_url is not None else origin.rstrip("/") + "/",
        user_agent=user_agent,
        hardware_concurrency=hardware_concurrency or os.cpu_count() or 1,
        languages=list(languages),
    )
    services.expose(bridge)
    folder = resources.files("jsapi.web")
    for name in WEB_SCRIPTS:
        bridge.load_js(Path(str(folder.joinpath(name))))
    return services


__all__ = ["USER_AGENT", "WEB_SCRIPTS", "WebServices", "install"]
