"""The Python half of the module loader: fetch + parse + rewrite, specifier resolution.

JS (``loader.js``) owns the module map, linking and evaluation; it asks Python synchronously
through two bridge services:

- ``moduleFetch(url)`` -> the rewritten module (``Rewritten.as_dict``, specifiers resolved to
  URLs) or ``{"error": {...}}`` describing the SyntaxError / TypeError to throw;
- ``moduleResolve(specifier, baseURL)`` -> a URL, or ``{"error": ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsapi.modules.resolve import ImportMap, ResolutionError, resolve_specifier
from jsapi.modules.rewrite import ModuleSyntaxError, rewrite_cached
from jsapi.web.services import file_under_root

SourceLoader = Callable[[str], str | None]

DEFAULT_ORIGIN = "http://localhost"


def served_root(root: str | Path, origin: str = DEFAULT_ORIGIN) -> SourceLoader:
    """A ``load_source`` that serves files under ``root`` at ``origin`` (``/a/b.js`` ->
    ``root/a/b.js``); URLs of other origins, paths escaping the root (``..``, symlinks) and
    missing files give None."""
    base = Path(root).resolve()
    origin = origin.rstrip("/")

    def load(url: str) -> str | None:
        if not url.startswith(origin + "/"):
            return None
        target = file_under_root(base, urlsplit(url).path)
        if target is None or not target.is_file():
            return None
        try:
            return target.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return load


def _error(name: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"name": name, "message": message, **extra}}


class ModuleLoader:
    """Installs ES modules into a bridge: ``ModuleLoader(bridge, load_source).install()``.

    After ``install()``, page JS has ``__host.importModule(url)``,
    ``__host.runModuleScript(urlOrSource, baseURL)`` and ``__host.importFrom(baseURL, spec)``,
    each returning a promise.
    """

    def __init__(
        self,
        bridge: Any,
        load_source: SourceLoader,
        *,
        import_map: ImportMap | dict[str, Any] | str | None = None,
        base_url: str = DEFAULT_ORIGIN + "/",
    ) -> None:
        self.bridge = bridge
        self.load_source = load_source
        self.base_url = base_url
        self.import_map: ImportMap | None = None
        self.inline: dict[str, str] = {}
        self.fetch_count = 0
        if import_map is not None:
            self.add_import_map(import_map)

    def add_import_map(self, data: ImportMap | dict[str, Any] | str, base_url: str = "") -> None:
        """Adds an import map (a later map never overrides what an earlier one mapped)."""
        parsed = (
            data
            if isinstance(data, ImportMap)
            else ImportMap.parse(data, base_url or self.base_url)
        )
        if self.import_map is None:
            self.import_map = parsed
        else:
            self.import_map.merge(parsed)

    def install(self) -> ModuleLoader:
        self.bridge.expose("moduleFetch", self.fetch)
        self.bridge.expose("moduleResolve", self.resolve)
        self.bridge.expose("moduleImportMap", self._import_map_service)
        self.bridge.load_js(Path(__file__).with_name("loader.js"))
        self.bridge.eval(f"__host.documentURL = {json.dumps(self.base_url)}")
        return self

    # ---- services (run on the V8 thread while JS waits) ---------------------------------------

    def resolve(self, specifier: str, base_url: str) -> Any:
        try:
            return resolve_specifier(specifier, base_url, self.import_map)
        except ResolutionError as e:
            return _error("TypeError", str(e))

    def _import_map_service(self, text: str, base_url: str) -> Any:
        try:
            self.add_import_map(text, base_url)
        except (TypeError, ValueError) as e:
            return _error("TypeError", str(e))
        return None

    def fetch(self, url: str, inline_source: Any = None) -> dict[str, Any]:
        """Fetches and rewrites one module; its specifiers are resolved against ``url``."""
        self.fetch_count += 1
        source = inline_source if isinstance(inline_source, str) else self.load_source(url)
        if source is None:
            return _error("TypeError", f"Failed to fetch module: {url}")
        try:
            out = rewrite_cached(source)
        except ModuleSyntaxError as e:
            return _error(
                "SyntaxError",
                f"{e.message} (at {url}:{e.line}:{e.column})",
                fileName=url,
                lineNumber=e.line,
                columnNumber=e.column,
            )
        record = out.as_dict()
        urls = []
        for spec in out.requests:
            try:
                urls.append(resolve_specifier(spec, url, self.import_map))
            except ResolutionError as e:
                return _error("TypeError", str(e))
        record["specifiers"] = out.requests
        record["requests"] = urls
        return record
