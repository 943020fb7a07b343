"""The WAST runner: every command kind, counting, the output format and the exit status."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from engine.cli import main
from engine.runtime.instances import I31
from engine.script import ast as S
from engine.script.results import HostValue, result_matches, value_of_const
from engine.script.run import ScriptRunner, run_file
from engine.syntax.ast import Export, Global, Instr, Module
from engine.syntax.types import GlobalType

HERE = Path(__file__).parent / "wast"


def test_every_command_kind_passes() -> None:
    r = run_file(str(HERE / "commands.wast"))
    assert r.failures == []
    assert r.failed == 0 and r.skipped == 0
    # Every top-level command counts once, and the thread's commands count for themselves.
    text = (HERE / "commands.wast").read_text()
    assert r.passed == 50 or r.passed == text.count("\n(") + 3 - 1


def test_each_failing_check_is_counted_and_explained() -> None:
    r = run_file(str(HERE / "failures.wast"))
    assert (r.passed, r.failed, r.skipped) == (2, 9, 0)
    reasons = dict(r.failures)
    assert "wrong return values" in reasons[6]
    assert "wrong return values" in reasons[7]
    assert "wrong return values" in reasons[8]
    assert "undefined export" in reasons[9]
    assert "expected runtime error" in reasons[10]
    assert 'wrong runtime error: got "unreachable executed"' in reasons[11]
    assert "expected validation error" in reasons[12]
    assert "expected decoding/parsing error" in reasons[13]
    assert "expected linking error" in reasons[14]


def test_a_file_that_does_not_parse_is_one_failure() -> None:
    r = run_file(str(HERE / "broken.wast"))
    assert (r.passed, r.failed) == (0, 1)
    assert r.failures[0][1].startswith("parse error")


def test_cli_output_one_line_per_file_then_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "suite"
    (d / "sub").mkdir(parents=True)
    shutil.copy(HERE / "failures.wast", d / "b.wast")
    shutil.copy(HERE / "commands.wast", d / "sub" / "a.wast")
    (d / "notes.txt").write_text("not a script")
    status = main(["wast", str(d)])
    out = capsys.readouterr().out.splitlines()
    # Directories are searched recursively, files in sorted path order.
    assert out[0] == f"{d / 'b.wast'}: 2 passed, 9 failed"
    assert out[1].startswith(f"{d / 'sub' / 'a.wast'}: ")
    assert out[1].endswith(" passed, 0 failed")
    first = int(out[1].split(": ")[1].split()[0])
    assert out[-1] == f"{first + 2} passed, 9 failed"
    assert len(out) == 3
    assert status == 1


def test_cli_verbose_shows_line_and_reason(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(HERE / "failures.wast")
    assert main(["wast", "--verbose", path]) == 1
    out = capsys.readouterr().out
    assert f"  {path}:11: wrong runtime error" in out
    assert out.splitlines()[-1] == "2 passed, 9 failed"


def test_cli_exit_status_zero_when_all_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wast", str(HERE / "commands.wast")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" passed, 0 failed")


def test_parallel_jobs_give_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(HERE / "failures.wast"), str(HERE / "broken.wast")]
    main(["wast", *files])
    serial = capsys.readouterr().out
    main(["wast", "-j", "2", *files])
    assert capsys.readouterr().out == serial


def test_hand_built_script_get_register_and_namespaces() -> None:
    m = Module(
        globals=[Global(GlobalType("i32"), [Instr("i32.const", (5,))])],
        exports=[Export("g", "global", 0)],
    )
    script = S.Script(
        [
            S.ModuleCommand(S.ScriptModule("text", 1, "a", module=m), 1),
            S.AssertReturn(S.Get("a", "g", 2), [S.Const("i32", 5)], 2),
            S.AssertReturn(S.Get(None, "g", 3), [S.Const("i32", 6)], 3),
            S.AssertReturn(S.Get("b", "g", 4), [S.Const("i32", 5)], 4),
            S.Register("reg", "a", 5),
            S.Wait("nothing", 6),
        ]
    )
    r = ScriptRunner("hand").run_script(script)
    assert (r.passed, r.failed) == (3, 3)
    assert [line for line, _ in r.failures] == [3, 4, 6]
    assert "unknown instance $b" in r.failures[1][1]
    assert "unknown thread $nothing" in r.failures[2][1]


def test_result_patterns() -> None:
    assert result_matches(None, S.RefPattern("null"))
    assert result_matches(None, S.RefPattern("any"))  # as the reference's ref.any does
    assert not result_matches(None, S.RefPattern("i31"))
    assert result_matches(I31(3), S.RefPattern("eq"))
    assert result_matches(HostValue(1), S.RefPattern("host", 1))
    assert value_of_const(S.Const("ref.extern", 4)) == HostValue(4)
    nan = value_of_const(S.Const("f64", 0xFFF8000000000001))
    assert result_matches(nan, S.NanPattern("f64", "arithmetic"))
    assert not result_matches(nan, S.NanPattern("f64", "canonical"))
    lanes = (0x7FC00000, 1, 2, 0xFFFFFFFF)
    v = sum(x << (32 * i) for i, x in enumerate(lanes))
    pat = S.VecPattern("f32x4", (S.NanPattern("f32", "canonical"), 1, 2, 0xFFFFFFFF))
    assert result_matches(v, pat)
    alt = S.Either((S.Const("i32", 1), S.Const("i32", 2)))
    assert result_matches(2, alt) and not result_matches(3, alt)


def test_file_time_limit_fails_remaining_commands(tmp_path: Path) -> None:
    p = tmp_path / "spin.wast"
    p.write_text(
        '(module (func (export "spin") (loop (br 0))))\n'
        '(invoke "spin")\n'
        '(assert_return (invoke "spin"))\n'
    )
    r = run_file(str(p), timeout=0.5)
    assert r.passed == 1 and r.failed == 2
    assert "interrupted" in r.failures[0][1] or "time limit" in r.failures[0][1]


def test_missing_file_is_a_failure() -> None:
    r = run_file(os.path.join(str(HERE), "does-not-exist.wast"))
    assert r.failed == 1 and "cannot read" in r.failures[0][1]


def test_arguments_are_checked_against_the_parameter_types(tmp_path: Path) -> None:
    p = tmp_path / "args.wast"
    p.write_text(
        '(module (func (export "f") (param i32 externref)))\n'
        '(invoke "f" (i32.const 1) (ref.extern 1))\n'
        '(invoke "f" (i64.const 1) (ref.extern 1))\n'
        '(invoke "f" (i32.const 1) (i32.const 1))\n'
        '(invoke "f" (i32.const 1))\n'
    )
    r = run_file(str(p))
    assert (r.passed, r.failed) == (2, 3)
    assert [why for _, why in r.failures] == [
        "wrong type of argument",
        "wrong type of argument",
        "wrong number of arguments",
    ]


def test_hard_time_limit_stops_code_that_never_checks_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    def stuck(self: ScriptRunner, func: object, args: object) -> list[object]:
        while True:
            time.sleep(0.05)

    monkeypatch.setattr(ScriptRunner, "call", stuck)
    p = tmp_path / "stuck.wast"
    p.write_text('(module (func (export "f")))\n(invoke "f")\n(invoke "f")\n')
    start = time.monotonic()
    r = run_file(str(p), timeout=0.2)
    assert time.monotonic() - start < 5
    assert (r.passed, r.failed) == (1, 2)
    assert all("time limit" in why for _, why in r.failures)
    assert [line for line, _ in r.failures] == [2, 3]


def test_threads_wait_and_notify_across_script_threads() -> None:
    r = run_file(str(HERE / "threads.wast"), timeout=30)
    assert r.failures == []
    # Eight commands of the main script and five of the thread.
    assert (r.passed, r.failed, r.skipped) == (13, 0, 0)


def test_wait_queues_single_thread_rules() -> None:
    from engine.errors import Trap
    from engine.runtime.instances import MemoryInst
    from engine.runtime.store import Store
    from engine.script.threads import WaitQueues
    from engine.syntax.types import Limits, MemoryType

    q = WaitQueues()
    store = Store()
    q.install(store)
    mem = MemoryInst(MemoryType(Limits(1, 1), True))
    assert store.wait_hook is not None and store.notify_hook is not None
    assert store.wait_hook(mem, 0, 5, (1 << 64) - 1, False) == 1  # not-equal
    assert store.wait_hook(mem, 0, 0, 10, False) == 2  # nobody could notify: timed-out
    with pytest.raises(Trap, match="wait would block forever"):
        store.wait_hook(mem, 0, 0, (1 << 64) - 1, False)
    assert store.notify_hook(mem, 0, 1) == 0
