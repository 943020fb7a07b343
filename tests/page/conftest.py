from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jsapi.page import Page, PageResult


@pytest.fixture
def run_page(tmp_path: Path) -> Callable[..., tuple[PageResult, Page]]:
    """Writes files into a fresh served root and runs `index.html` (or `entry`)."""
    pages: list[Page] = []

    def run(files: dict[str, str | bytes], entry: str = "index.html", **options: object):
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, "utf-8")
        options.setdefault("engine", "v8")
        options.setdefault("timeout", 20.0)
        page = Page.open(tmp_path / entry, **options)  # type: ignore[arg-type]
        pages.append(page)
        return page.run(), page

    yield run
    for page in pages:
        page.close()


def logs(result: PageResult) -> list[str]:
    return [m.text for m in result.console if m.level in ("log", "info")]


def errors(result: PageResult) -> list[str]:
    return [m.text for m in result.console if m.level == "error"]
