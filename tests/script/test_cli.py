"""``python -m engine run`` and the wast runner's reporting options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import _rust_float, main

MODULE = """
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mix") (param i64 f32 f64) (result i64 f32 f64)
    (local.get 0) (local.get 1) (local.get 2))
  (func (export "vec") (param v128) (result v128) (local.get 0))
  (func $inner unreachable)
  (func (export "boom") (call $inner))
  (func (export "spin") (loop (br 0)))
  (func (export "_start") (call $print (i32.const 42)))
)
"""


@pytest.fixture
def wat(tmp_path: Path) -> str:
    p = tmp_path / "m.wat"
    p.write_text(MODULE)
    return str(p)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["run", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_results_one_per_line(wat: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, wat, "--invoke", "add", "1", "-3") == (0, "-2\n", "")
    status, out, _ = run(capsys, "--invoke", "mix", wat, "-5", "0.1", "1e20")
    assert status == 0
    assert out.splitlines() == ["-5", "0.1", "100000000000000000000"]
    status, out, _ = run(capsys, wat, "--invoke=vec", "0x1_0000_0000_0000_0000")
    assert (status, out) == (0, f"{1 << 64}\n")


def test_start_is_the_default_and_spectest_is_importable(
    wat: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, wat)
    assert status == 0 and "42 : i32" in out


def test_trap_prints_message_and_backtrace(wat: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, wat, "--invoke", "boom")
    assert status == 134 and out == ""
    lines = err.splitlines()
    assert lines[0] == "error: wasm trap: unreachable executed"
    assert lines[1] == "wasm backtrace:"
    assert lines[2].strip().startswith("0: inner")
    assert len(lines) == 4


def test_fuel_and_timeout_stop_a_loop(wat: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--fuel", "1000", wat, "--invoke", "spin")
    assert status == 134 and "out of fuel" in err
    status, _, err = run(capsys, "--timeout", "0.2", wat, "--invoke", "spin")
    assert status == 134 and "interrupted" in err


def test_usage_errors(wat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, wat, "--invoke", "add", "1")
    assert status == 2 and "expects 2 arguments, got 1" in err
    status, _, err = run(capsys, wat, "--invoke", "add", "x", "1")
    assert status == 2
    status, _, err = run(capsys, wat, "--invoke", "nope")
    assert status == 2 and "no exported function" in err
    bad = tmp_path / "bad.wat"
    bad.write_text("(module (func (result i32)))")
    status, _, err = run(capsys, str(bad))
    assert status == 1 and "failed to compile: type mismatch" in err


ADD_WASM = bytes.fromhex(
    "0061736d01000000"  # magic, version
    "01070160027f7f017f"  # type: (i32 i32) -> i32
    "03020100"  # func: type 0
    "070701036164640000"  # export "add" func 0
    "0a09010700200020016a0b"  # code: local.get 0 local.get 1 i32.add
)


def test_binary_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "m.wasm"
    p.write_bytes(ADD_WASM)
    assert run(capsys, str(p), "--invoke", "add", "2", "3") == (0, "5\n", "")


def test_rust_style_floats() -> None:
    assert _rust_float(1.0, 64) == "1"
    assert _rust_float(-0.0, 32) == "-0"
    assert _rust_float(0.10000000149011612, 32) == "0.1"
    assert _rust_float(1.5e-7, 64) == "0.00000015"
    assert _rust_float(float("nan"), 32) == "NaN"
    assert _rust_float(float("-inf"), 64) == "-inf"


# --- wast options -------------------------------------------------------------------------

SCRIPT = """
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 2))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected token")
(assert_malformed (module binary "") "unexpected end")
(assert_trap (invoke "one") "unreachable")
"""


def test_only_counts_the_selected_kinds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "s.wast"
    p.write_text(SCRIPT)
    assert main(["wast", "--only", "malformed,invalid,module", str(p)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "4 passed, 0 failed"
    assert main(["wast", "--only", "return", str(p)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 1 failed"
    with pytest.raises(SystemExit):
        main(["wast", "--only", "bogus", str(p)])


def test_per_folder_by_kind_and_failure_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "s.wast").write_text(SCRIPT)
    report = tmp_path / "failures.txt"
    argv = ["wast", "--per-folder", "--by-kind", "--failures", str(report), str(tmp_path)]
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{tmp_path / 'a'}/: 4 passed, 2 failed" in out
    assert "  return: 0 passed, 1 failed" in out
    assert "  trap: 0 passed, 1 failed" in out
    assert out[-1] == "4 passed, 2 failed"
    text = report.read_text()
    assert "== exec: 2 failures" in text
    assert f"{tmp_path / 'a' / 's.wast'}:3: [return] wrong return values" in text


def test_missing_pieces_are_skipped_not_passed(tmp_path: Path) -> None:
    p = tmp_path / "s.wast"
    started = '(module $s (func $f) (start $f) (func (export "g")))\n(invoke $s "g")\n'
    p.write_text(SCRIPT + started)
    code = (
        "import sys; sys.modules['engine.exec'] = None\n"
        "from engine.script.run import run_file\n"
        f"r = run_file({str(p)!r})\n"
        "print(r.passed, r.failed, r.skipped)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Instantiating the first module needs no execution (no start function); the two
    # commands that call into it are skipped, and so are the module with a start function
    # and the action on it.
    assert out.stdout.split() == ["4", "0", "4"]


def test_module_command_line(tmp_path: Path) -> None:
    p = tmp_path / "s.wast"
    p.write_text('(module (func (export "f")))\n(assert_return (invoke "f"))\n')
    out = subprocess.run(
        [sys.executable, "-m", "engine", "wast", str(p)], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.splitlines() == [f"{p}: 2 passed, 0 failed", "2 passed, 0 failed"]


def _dies_on_die_wast(job: tuple[str, float | None, frozenset[str] | None, bool]) -> object:
    if job[0].endswith("die.wast"):
        import os

        os._exit(1)
    from engine.script.run import run_file

    return run_file(*job)


def test_a_worker_that_dies_costs_its_file_one_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine.cli as cli

    monkeypatch.setattr(cli, "_run_one", _dies_on_die_wast)
    monkeypatch.setattr(cli, "WORKER_GRACE", 1.0)
    for name in ("a.wast", "die.wast", "z.wast"):
        (tmp_path / name).write_text('(module (func (export "f")))\n(invoke "f")\n')
    assert main(["wast", "-j", "2", "--timeout", "1", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{tmp_path / 'a.wast'}: 2 passed, 0 failed",
        f"{tmp_path / 'die.wast'}: 0 passed, 1 failed",
        f"{tmp_path / 'z.wast'}: 2 passed, 0 failed",
        "4 passed, 1 failed",
    ]


def test_slowest_lists_files_before_the_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.wast", "b.wast"):
        (tmp_path / name).write_text('(module (func (export "f")))\n(invoke "f")\n')
    assert main(["wast", "--slowest", "1", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and out[-1] == "4 passed, 0 failed"
    seconds, path = out[2].split()
    assert seconds.endswith("s") and float(seconds[:-1]) >= 0
    assert path in (str(tmp_path / "a.wast"), str(tmp_path / "b.wast"))


def test_roundtrip_checks_encode_decode_encode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "m.wast"
    p.write_text('(module (func (export "f") (result i32) (i32.const 7)))\n')
    assert main(["wast", "--roundtrip", str(p)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"

    import engine.binary

    empty = b"\0asm\x01\0\0\0"
    outputs = iter([empty, empty + b"\0\x02\x01x"])
    monkeypatch.setattr(engine.binary, "encode_module", lambda m: next(outputs))
    assert main(["wast", "--roundtrip", "-v", str(p)]) == 1
    out = capsys.readouterr().out
    assert f"{p}:1: round trip: re-encoding differs at byte 8" in out
