"""Finding testharness tests under a WPT root and resolving their scripts.

A root is a directory laid out like a web-platform-tests checkout: URL paths map to files under
it. `/resources/testharness.js` (and idlharness.js, webidl2.js) fall back to the copy bundled by
the npm package `wpt-runner` when the root has none, so a directory of the project's own tests
works as a root too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jsapi.wpt.meta import Meta, parse_meta, variant_url

HARNESS_FILES = ("testharness.js", "idlharness.js", "webidl2.js")
# Directories the WPT manifest never takes tests from.
_NOT_TESTS = {"resources", "support", "tools", "node_modules", "common"}
# Scopes this runner can run now; the others are reported as not run.
RUNNABLE_SCOPES = ("jsshell",)
# Hosts that can run a variant; `jsapi wpt --scope` picks among them.
HOSTED_SCOPES = ("jsshell", "dedicatedworker")


class RootError(ValueError):
    """A test path or script that does not resolve under the root."""


def find_bundled_harness() -> Path | None:
    """node_modules/wpt-runner/testharness, from $JSAPI_TESTHARNESS_DIR, the cwd or the repo."""
    env = os.environ.get("JSAPI_TESTHARNESS_DIR")
    if env:
        return Path(env)
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules" / "wpt-runner" / "testharness"
            if (candidate / "testharness.js").is_file():
                return candidate
    return None


@dataclass(frozen=True)
class WptRoot:
    path: Path
    harness_dir: Path | None = None

    def resolve(self, url: str) -> Path:
        """The file behind a root-relative URL path such as /resources/testharness.js."""
        if not url.startswith("/"):
            raise RootError(f"not a root-relative URL: {url}")
        rel = url.lstrip("/").split("?", 1)[0].split("#", 1)[0]
        candidate = _normal(self.path / rel)
        if candidate.is_file() and _normal(self.path) in candidate.parents:
            return candidate
        parts = rel.split("/")
        if len(parts) == 2 and parts[0] == "resources" and parts[1] in HARNESS_FILES:
            harness = self.harness_dir or find_bundled_harness()
            if harness is not None and (harness / parts[1]).is_file():
                return harness / parts[1]
        raise RootError(f"{url}: no such file under {self.path}")

    def url_of(self, file: Path) -> str:
        rel = _normal(file).relative_to(_normal(self.path))
        return "/" + rel.as_posix()


@dataclass(frozen=True)
class TestJob:
    """One variant of one test file: what a worker needs to run it."""

    __test__ = False  # not a pytest test class

    test_id: str
    url: str
    path: str
    scope: str
    scripts: tuple[str, ...]
    long_timeout: bool
    title: str | None

    @property
    def runnable(self) -> bool:
        return self.scope in RUNNABLE_SCOPES

    def runnable_in(self, scopes: tuple[str, ...]) -> bool:
        """Whether a host of `scopes` runs this job (the dedicatedworker host runs the worker
        variant of `.any.js` tests and `.worker.js` tests)."""
        return self.scope in scopes

    def to_json(self) -> dict[str, object]:
        return {
            "test_id": self.test_id,
            "url": self.url,
            "path": self.path,
            "scope": self.scope,
            "scripts": list(self.scripts),
            "long_timeout": self.long_timeout,
            "title": self.title,
        }

    @staticmethod
    def from_json(data: dict[str, object]) -> TestJob:
        return TestJob(
            test_id=str(data["test_id"]),
            url=str(data["url"]),
            path=str(data["path"]),
            scope=str(data["scope"]),
            scripts=tuple(str(s) for s in data["scripts"]),  # type: ignore[attr-defined]
            long_timeout=bool(data["long_timeout"]),
            title=None if data["title"] is None else str(data["title"]),
        )


def _normal(path: Path) -> Path:
    # Symlinks stay as they are: a root may link wasm/jsapi to a checkout elsewhere.
    return Path(os.path.normpath(os.path.abspath(path)))


def resolve_script(test_url: str, script: str) -> str:
    """A META script's URL: absolute from the root, or relative to the test's directory."""
    if script.startswith("/"):
        return script
    base = test_url.rsplit("/", 1)[0]
    parts: list[str] = []
    for part in f"{base}/{script}".split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/" + "/".join(parts)


def is_test_file(name: str) -> bool:
    return name.endswith((".any.js", ".window.js", ".worker.js"))


def jobs_for_file(root: WptRoot, file: Path) -> list[TestJob]:
    url = root.url_of(file)
    meta = parse_meta(file.read_text(encoding="utf-8"))
    if url.endswith(".any.js"):
        scoped = [(scope, variant_url(url, scope)) for scope in meta.scopes]
    elif url.endswith(".window.js"):
        scoped = [("window", url[: -len(".js")] + ".html")]
    else:
        scoped = [("dedicatedworker", url[: -len(".js")] + ".html")]
    return [_job(url, file, scope, test_id, meta) for scope, test_id in scoped]


def _job(url: str, file: Path, scope: str, test_id: str, meta: Meta) -> TestJob:
    return TestJob(
        test_id=test_id,
        url=url,
        path=str(file),
        scope=scope,
        scripts=tuple(resolve_script(url, s) for s in meta.scripts),
        long_timeout=meta.long_timeout,
        title=meta.title,
    )


def discover(root: WptRoot, paths: list[str]) -> list[TestJob]:
    """Test jobs under root-relative paths (files or directories), in a stable order."""
    files: list[Path] = []
    for given in paths or [""]:
        target = _normal(root.path / given.lstrip("/"))
        if not target.exists():
            raise RootError(f"{given}: no such file or directory under {root.path}")
        if target.is_file():
            files.append(target)
            continue
        for folder, dirs, names in os.walk(target, followlinks=True):
            dirs[:] = sorted(d for d in dirs if d not in _NOT_TESTS and not d.startswith("."))
            files.extend(Path(folder) / n for n in sorted(names) if is_test_file(n))
    jobs: list[TestJob] = []
    seen: set[str] = set()
    for file in sorted(set(files), key=lambda f: root.url_of(f)):
        for job in jobs_for_file(root, file):
            if job.test_id not in seen:
                seen.add(job.test_id)
                jobs.append(job)
    return jobs
