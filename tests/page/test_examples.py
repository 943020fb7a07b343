"""Every example under examples/ runs with one command; on our engine once it is installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jsapi.page import Page
from jsapi.page.page import default_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ENGINES = sorted({default_engine(), "v8"})


def run_example(path: Path, engine: str, **options: object) -> list[str]:
    with Page.open(path, engine=engine, timeout=60, **options) as page:  # type: ignore[arg-type]
        result = page.run()
    assert result.status == 0, result.errors
    assert result.reason == "idle"
    return [m.text for m in result.console]


def test_committed_wasm_matches_our_encoder() -> None:
    build = subprocess.run(
        [sys.executable, str(EXAMPLES / "build.py"), "--check"], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_hello(engine: str) -> None:
    lines = run_example(EXAMPLES / "hello" / "index.html", engine)
    assert lines == [
        "Hello from WebAssembly!",
        "add(2, 40) = 42",
        "factorial(20n) = 2432902008176640000",
        "exports: memory, add, factorial, greeting_ptr, greeting_len",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_life_board_in_wasm_memory(engine: str) -> None:
    lines = run_example(EXAMPLES / "life" / "index.html", engine, virtual_time=True)
    populations = [line for line in lines if line.startswith("generation")]
    assert populations == [f"generation {g}: population 8" for g in range(9)]
    # After 8 generations the glider has moved two cells right and two cells down.
    assert lines[-1].split("\n")[2:5] == ["...#....", "....#...", "..###..."]


@pytest.mark.parametrize("engine", ENGINES)
def test_imports_call_back_and_forth(engine: str) -> None:
    lines = run_example(EXAMPLES / "imports" / "index.html", engine)
    assert lines == [
        "wasm logged 385",
        "sum_of_squares(10) = 385",
        "square was called with 1,2,3,4,5,6,7,8,9,10",
        "countdown(25) = 25",
    ]


def test_plain_script_from_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "jsapi", "run", str(EXAMPLES / "script" / "main.js"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    texts = [m["text"] for m in record["console"]]
    assert texts[0] == "Hello from a script, 1 + 2 = 3"
    assert texts[1] == "{name: 'jsapi', tags: (2) ['wasm', 'v8'], nested: {deep: true}}"
    assert "order: sync < microtask < promise < timeout 0 < timeout 20" in texts
    assert texts[-1] == "done after at least 50 ms"
    assert record["status"] == 0 and record["errors"] == []
