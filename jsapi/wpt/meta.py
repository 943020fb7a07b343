"""`// META:` comments of WPT's .any.js/.window.js/.worker.js tests, and their variants.

The rules are wptserve's and the WPT manifest's: `global=` names the scopes a .any.js test runs
in (default: window and dedicatedworker), `script=` loads a helper before the test, `timeout=long`
gives the test the long timeout, `title=` names unnamed subtests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_META = re.compile(r"^//\s*META:\s*(\w+)\s*=\s*(.*?)\s*$")

# Scope names as the manifest spells them, and the groups that expand to several.
SCOPES = (
    "window",
    "dedicatedworker",
    "dedicatedworker-module",
    "sharedworker",
    "sharedworker-module",
    "serviceworker",
    "serviceworker-module",
    "jsshell",
    "shadowrealm",
    "shadowrealm-in-window",
    "shadowrealm-in-shadowrealm",
    "shadowrealm-in-dedicatedworker",
    "shadowrealm-in-sharedworker",
    "shadowrealm-in-serviceworker",
    "shadowrealm-in-audioworklet",
)
_GROUPS = {
    "default": ("window", "dedicatedworker"),
    "worker": ("dedicatedworker", "sharedworker", "serviceworker"),
    "worker-module": ("dedicatedworker-module", "sharedworker-module", "serviceworker-module"),
}
# The URL each scope's variant of `x.any.js` gets, as in the manifest.
_SUFFIX = {
    "window": ".any.html",
    "dedicatedworker": ".any.worker.html",
    "dedicatedworker-module": ".any.worker-module.html",
    "sharedworker": ".any.sharedworker.html",
    "sharedworker-module": ".any.sharedworker-module.html",
    "serviceworker": ".any.serviceworker.html",
    "serviceworker-module": ".any.serviceworker-module.html",
    "jsshell": ".any.js",
    "shadowrealm": ".any.shadowrealm.html",
}


@dataclass(frozen=True)
class Meta:
    scopes: tuple[str, ...] = ("window", "dedicatedworker")
    scripts: tuple[str, ...] = ()
    long_timeout: bool = False
    title: str | None = None
    variants: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=())


def parse_meta(source: str) -> Meta:
    """Reads the leading block of `// META:` lines (wptserve stops at the first other line)."""
    globals_spec: list[str] = []
    scripts: list[str] = []
    variants: list[str] = []
    unknown: list[str] = []
    long_timeout = False
    title: str | None = None
    for line in source.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _META.match(line)
        if m is None:
            break
        key, value = m.group(1), m.group(2)
        if key == "global":
            globals_spec.extend(v.strip() for v in value.split(",") if v.strip())
        elif key == "script":
            scripts.append(value)
        elif key == "timeout":
            long_timeout = value == "long"
        elif key == "title":
            title = value
        elif key == "variant":
            variants.append(value)
        else:
            unknown.append(key)
    return Meta(
        scopes=expand_scopes(globals_spec),
        scripts=tuple(scripts),
        long_timeout=long_timeout,
        title=title,
        variants=tuple(variants),
        unknown=tuple(unknown),
    )


def expand_scopes(spec: list[str]) -> tuple[str, ...]:
    """`global=` values to scopes: groups expand, `!name` removes, no value means default."""
    included: list[str] = []
    excluded: set[str] = set()
    for item in spec:
        negate = item.startswith("!")
        name = item[1:] if negate else item
        names = _GROUPS.get(name, (name,))
        if negate:
            excluded.update(names)
        else:
            included.extend(n for n in names if n not in included)
    if not included:
        included = list(_GROUPS["default"])
    return tuple(n for n in included if n not in excluded)


def variant_url(any_js_url: str, scope: str) -> str:
    """The test id of one scope's variant of a .any.js test (e.g. /a/b.any.worker.html)."""
    stem = any_js_url[: -len(".any.js")]
    return stem + _SUFFIX.get(scope, f".any.{scope}.html")
