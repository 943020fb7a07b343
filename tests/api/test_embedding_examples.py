"""Every example in examples/python runs and prints what it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "python"


def run(name: str) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=str(EXAMPLES),
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_every_example_has_its_wat() -> None:
    scripts = sorted(EXAMPLES.glob("*.py"))
    assert len(scripts) >= 5
    for script in scripts:
        assert script.with_suffix(".wat").is_file(), script.name


def test_hello() -> None:
    out = run("hello.py").splitlines()
    assert out[0].startswith("exports: answer")
    assert "answer() = 42" in out
    assert "factorial(20) = 2432902008176640000" in out
    assert "divmod(-7, 2) = (-3, -1)" in out


def test_imports() -> None:
    out = run("imports.py")
    assert "import env.log: FuncType([i32 i64] -> [])" in out
    steps = [line.strip() for line in out.splitlines() if line.strip().startswith("step")]
    assert steps == [
        "step 1: running total 1",
        "step 2: running total 5",
        "step 3: running total 14",
        "step 4: running total 30",
    ]
    assert "sum_squares(4) = 30" in out
    assert "area(2.0) = 12.566371" in out
    assert "host exception propagated: ValueError('radius -1.0 refused by the host')" in out


def test_memory() -> None:
    out = run("memory.py").splitlines()
    assert "memory: 1 page(s), 65536 bytes" in out
    assert "upper: HELLO FROM PYTHON" in out
    assert "count of 'O': 3" in out
    assert "after a 120000-byte alloc: 2 pages" in out
    assert "count of 'b': 40000" in out
    assert "grow(2) returned 2 -> now 4 pages" in out
    assert "through a view: HOWDY FROM PYTHON" in out
    assert "last byte index: 262143 value 0" in out


def test_fuel_interrupt() -> None:
    out = run("fuel_interrupt.py").splitlines()
    assert "count_down(1000) consumed 1001 fuel; left: 8999" in out
    assert "spin with fuel: out of fuel (trap_code=out_of_fuel)" in out
    assert "fuel left: 0" in out
    assert "spin interrupted by a thread: interrupted (trap_code=interrupt)" in out
    assert "stopped within a second: True" in out
    assert "spin past its deadline: interrupted" in out
    assert "still usable afterwards: count_down(5) = 0" in out


def test_traps() -> None:
    out = run("traps.py")
    assert "report(10, 4) = 2" in out
    assert "message: integer divide by zero" in out
    assert "trap_code: int_divz" in out
    assert (
        "  frame: calculator!divide (function 0)\n"
        "  frame: calculator!average (function 1)\n"
        "  frame: calculator!report (function 2)\n"
    ) in out
    assert "wasm backtrace:\n  0: calculator!divide\n  1: calculator!average\n" in out
    assert "overflow: integer overflow [int_ovf]" in out
    assert "peek: out of bounds memory access [memory_out_of_bounds]" in out
    offsets = [line for line in out.splitlines() if "trapped at 0x" in line]
    assert len(offsets) == 3
    for line in offsets:
        body = int(line.split("body at ")[1].split(",")[0], 16)
        at = int(line.split("trapped at ")[1], 16)
        assert 0 < body < at


def test_linking() -> None:
    out = run("linking.py").splitlines()
    assert out == [
        "defined: lib.memory, lib.strlen",
        "host print: linked across modules",
        "main() = 21",
        'LinkError: import of "lib"."strlen" defined twice',
        "shadowing allowed: redefined lib.strlen",
        'LinkError: unknown import "lib"."memory"',
    ]


def test_exceptions() -> None:
    out = run("exceptions.py").splitlines()
    assert out == [
        "guarded(5) = 0",
        "guarded(-3) = -3",
        "uncaught wasm exception: tag is ours: True payload: [-77]",
    ]
