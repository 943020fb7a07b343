"""Running a page or script with workers: `python -m jsapi.workers PAGE --workers MODE --seed N`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from jsapi.page import Page, PageResult
from jsapi.page.page import print_message
from jsapi.workers.install import MODES, WorkerHub


def open_page(
    path: str | Path,
    *,
    mode: str = "shared",
    seed: int = 0,
    timeout: float = 30.0,
    engine: str | None = None,
    root: str | Path | None = None,
    echo: Callable[[str, str], None] | None = None,
) -> tuple[Page, WorkerHub]:
    """A page with the worker APIs installed, not yet run."""
    if mode not in MODES:
        raise ValueError(f"unknown workers mode {mode!r} (choose from {', '.join(MODES)})")
    page = Page.open(
        path, root=root, timeout=timeout, engine=engine, echo=echo, workers=mode, seed=seed
    )
    assert page.workers is not None
    return page, page.workers


def run_page(
    path: str | Path,
    *,
    mode: str = "shared",
    seed: int = 0,
    timeout: float = 30.0,
    engine: str | None = None,
    root: str | Path | None = None,
    echo: Callable[[str, str], None] | None = None,
) -> tuple[PageResult, str | None]:
    """Runs the page to quiescence; returns its result and the deadlock report (if any)."""
    page, hub = open_page(
        path, mode=mode, seed=seed, timeout=timeout, engine=engine, root=root, echo=echo
    )
    with page:
        try:
            result = page.run()
            # Page.run asked the scheduler already (with a limit, after a hang).
            deadlock = next((e.text for e in result.errors if e.kind == "deadlock"), None)
        finally:
            hub.close()
    return result, deadlock


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jsapi.workers", description=__doc__)
    parser.add_argument("page", help="an .html page or a .js script")
    parser.add_argument("--workers", choices=MODES, default="shared")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--engine", default=None, help="jsapi or v8")
    parser.add_argument("--root", default=None)
    args = parser.parse_args(argv)
    result, deadlock = run_page(
        args.page,
        mode=args.workers,
        seed=args.seed,
        timeout=args.timeout,
        engine=args.engine,
        root=args.root,
        echo=print_message,
    )
    if deadlock is not None:
        return 3
    return result.status


if __name__ == "__main__":
    sys.exit(main())
