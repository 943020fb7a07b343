from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jsapi.workers import run_page


class Run:
    """Writes files into a served folder and runs `page.js` with workers."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(
        self, files: dict[str, str], *, mode: str = "shared", seed: int = 0, timeout: float = 20.0
    ) -> Any:
        for name, text in files.items():
            (self.root / name).write_text(text)
        result, deadlock = run_page(
            self.root / "page.js", mode=mode, seed=seed, timeout=timeout, engine="v8"
        )
        return Outcome(result, deadlock)


class Outcome:
    def __init__(self, result: Any, deadlock: str | None) -> None:
        self.result = result
        self.deadlock = deadlock
        self.logs = [e.text for e in result.console if e.level in ("log", "info")]
        self.errors = [e.text for e in result.errors]


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Outcome]:
    return Run(tmp_path)
