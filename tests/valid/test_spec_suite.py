"""The spec test suite's verdicts on validity: every module a script expects to be valid
validates, every ``assert_invalid`` module fails with the expected message prefix.

Reads the scripts from a spec repository checkout named by ``WASM_SPEC_DIR``; without it the
file is not collected (see conftest.py), since the suite is not part of this repository.
Execution is not involved: this isolates the validator.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.errors import InvalidError, MalformedError
from engine.valid import validate_module

SPEC = Path(os.environ.get("WASM_SPEC_DIR", "")) / "test" / "core"
FILES = sorted(SPEC.rglob("*.wast")) if SPEC.is_dir() else []


def _commands(commands: list[Any]) -> Iterator[Any]:
    from engine.script import ast as S

    for c in commands:
        if isinstance(c, S.Thread):
            yield from _commands(c.commands)
        else:
            yield c


def _cases(script: Any) -> Iterator[tuple[Any, str | None, int]]:
    """(script module, expected invalid message or None for valid, line)."""
    from engine.script import ast as S

    for c in _commands(script.commands):
        if isinstance(c, S.ModuleCommand):
            yield c.module, None, c.line
        elif isinstance(c, S.AssertModule) and c.kind in ("unlinkable", "uninstantiable"):
            yield c.module, None, c.line
        elif isinstance(c, S.AssertModule) and c.kind == "invalid":
            yield c.module, c.message, c.line
        elif isinstance(c, S.AssertTrap) and isinstance(c.target, S.ScriptModule):
            yield c.target, None, c.line


def _module(sm: Any) -> Any:
    if sm.kind == "text":
        return sm.module
    if sm.kind == "binary":
        from engine.binary import decode_module

        return decode_module(sm.data)
    from engine.text.script import parse_quoted_module

    return parse_quoted_module(sm.text)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SPEC)) for p in FILES])
def test_spec_validity(path: Path) -> None:
    from engine.text.script import parse_script

    script = parse_script(path.read_text(encoding="utf-8"), str(path))
    failures = []
    for sm, expected, line in _cases(script):
        try:
            m = _module(sm)
        except (MalformedError, NotImplementedError):
            continue  # a front-end matter, not the validator's
        if m is None:
            continue
        try:
            validate_module(m)
        except InvalidError as e:
            if expected is None:
                failures.append(f"line {line}: valid module rejected: {e.message}")
            elif not e.message.startswith(expected):
                failures.append(f"line {line}: expected {expected!r}, got {e.message!r}")
        else:
            if expected is not None:
                failures.append(f"line {line}: invalid module accepted ({expected!r})")
    assert not failures, "\n".join(failures)
