"""Module specifier resolution and import maps (HTML 8.1.5.3, "resolve a module specifier").

URLs are handled as strings with the WHATWG rules that matter for modules served from one
origin: absolute URLs, and "/", "./", "../" references resolved against a base URL with dot
segments removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SPECIAL = frozenset({"http", "https", "file", "ws", "wss", "ftp"})


class ResolutionError(TypeError):
    """A specifier that cannot be resolved; JS sees a TypeError with this message."""


def _remove_dots(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg in (".", "%2e", "%2E"):
            if last:
                out.append("")
            continue
        if seg.lower() in ("..", ".%2e", "%2e.", "%2e%2e"):
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def parse_url(spec: str, base: str | None = None) -> str | None:
    """The href of ``spec`` parsed against ``base`` (the URL parser, reduced), or None."""
    spec = spec.strip()
    if _SCHEME.match(spec):
        parts = urlsplit(spec)
        scheme = parts.scheme.lower()
        if scheme in SPECIAL:
            path = _remove_dots(parts.path or "/")
            netloc = parts.netloc.lower()
            return urlunsplit((scheme, netloc, path, parts.query, "")) + _frag(spec)
        return spec
    if base is None:
        return None
    b = urlsplit(base)
    if b.scheme.lower() not in SPECIAL:
        return None
    spec = spec.replace("\\", "/")
    if spec.startswith("//"):
        return parse_url(f"{b.scheme}:{spec}")
    frag = _frag(spec)
    spec = spec[: len(spec) - len(frag)]
    query = ""
    if "?" in spec:
        spec, query = spec.split("?", 1)
    if spec.startswith("/"):
        path = spec
    elif spec == "":
        path = b.path
        if "?" not in (spec + ("?" if query else "")):
            query = b.query
    else:
        path = b.path.rsplit("/", 1)[0] + "/" + spec
    return urlunsplit((b.scheme, b.netloc, _remove_dots(path), query, "")) + frag


def _frag(spec: str) -> str:
    i = spec.find("#")
    return spec[i:] if i >= 0 else ""


def _url_like(spec: str, base: str) -> str | None:
    """ "resolve a URL-like module specifier" (HTML 8.1.5.3)."""
    if spec.startswith(("/", "./", "../")):
        return parse_url(spec, base)
    return parse_url(spec) if _SCHEME.match(spec) else None


@dataclass
class ImportMap:
    """A parsed import map: specifier maps sorted longest key first; None blocks a key."""

    imports: list[tuple[str, str | None]] = field(default_factory=list)
    scopes: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str | dict[str, Any], base_url: str) -> ImportMap:
        """ "parse an import map string" (HTML 8.1.5.3.2); invalid entries are dropped."""
        data = json.loads(text) if isinstance(text, str) else text
        if not isinstance(data, dict):
            raise TypeError("The top-level value of an import map needs to be a JSON object.")
        imports = data.get("imports", {})
        scopes = data.get("scopes", {})
        if not isinstance(imports, dict):
            raise TypeError('The "imports" top-level key needs to be a JSON object.')
        if not isinstance(scopes, dict):
            raise TypeError('The "scopes" top-level key needs to be a JSON object.')
        parsed_scopes = []
        for prefix, mapping in scopes.items():
            if not isinstance(mapping, dict):
                raise TypeError(f'The value for the "{prefix}" scope prefix must be an object.')
            scope_url = parse_url(prefix, base_url)
            if scope_url is None:
                continue
            parsed_scopes.append((scope_url, _specifier_map(mapping, base_url)))
        parsed_scopes.sort(key=lambda kv: kv[0], reverse=True)
        return cls(_specifier_map(imports, base_url), parsed_scopes)

    def merge(self, other: ImportMap) -> None:
        """Adds a later import map; keys already mapped keep their first value (HTML "merge
        existing and new import maps")."""
        have = {k for k, _ in self.imports}
        self.imports = sorted(
            self.imports + [kv for kv in other.imports if kv[0] not in have],
            key=lambda kv: kv[0],
            reverse=True,
        )
        scopes = dict(self.scopes)
        for prefix, mapping in other.scopes:
            if prefix in scopes:
                keys = {k for k, _ in scopes[prefix]}
                merged = scopes[prefix] + [kv for kv in mapping if kv[0] not in keys]
                scopes[prefix] = sorted(merged, key=lambda kv: kv[0], reverse=True)
            else:
                scopes[prefix] = mapping
        self.scopes = sorted(scopes.items(), key=lambda kv: kv[0], reverse=True)


def _specifier_map(mapping: dict[str, Any], base_url: str) -> list[tuple[str, str | None]]:
    out: dict[str, str | None] = {}
    for key, value in mapping.items():
        if key == "":
            continue
        norm = _url_like(key, base_url) or key
        if not isinstance(value, str):
            out[norm] = None
            continue
        address = _url_like(value, base_url)
        if address is None or (key.endswith("/") and not address.endswith("/")):
            out[norm] = None
            continue
        out[norm] = address
    return sorted(out.items(), key=lambda kv: kv[0], reverse=True)


def _match(
    normalized: str, as_url: str | None, mapping: list[tuple[str, str | None]]
) -> str | None:
    """ "resolve an imports match" (HTML 8.1.5.3.3)."""
    special = as_url is None or urlsplit(as_url).scheme in SPECIAL
    for key, value in mapping:
        if key == normalized:
            if value is None:
                raise ResolutionError(f'Import "{normalized}" is blocked by the import map.')
            return value
        if key.endswith("/") and normalized.startswith(key) and special:
            if value is None:
                raise ResolutionError(f'Import "{normalized}" is blocked by the import map.')
            url = parse_url(normalized[len(key) :], value)
            if url is None or not url.startswith(value):
                raise ResolutionError(f'Import "{normalized}" backtracks above its prefix "{key}".')
            return url
    return None


def resolve_specifier(specifier: str, base_url: str, import_map: ImportMap | None = None) -> str:
    """ "resolve a module specifier" (HTML 8.1.5.3.4): the URL a specifier names from a module
    at ``base_url``, or ``ResolutionError`` with the browser's message."""
    as_url = _url_like(specifier, base_url)
    normalized = as_url if as_url is not None else specifier
    if import_map is not None:
        for prefix, mapping in import_map.scopes:
            if prefix == base_url or (prefix.endswith("/") and base_url.startswith(prefix)):
                found = _match(normalized, as_url, mapping)
                if found is not None:
                    return found
        found = _match(normalized, as_url, import_map.imports)
        if found is not None:
            return found
    if as_url is not None:
        return as_url
    raise ResolutionError(
        f'Failed to resolve module specifier "{specifier}". Relative references must start '
        'with either "/", "./", or "../".'
    )
