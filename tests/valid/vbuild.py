"""Small builders for validator tests: modules written directly as ASTs."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import InvalidError
from engine.syntax.ast import Export, Func, Instr, Module
from engine.syntax.types import FuncType, RecType, SubType, ValType
from engine.valid import ModuleInfo, validate_module


def I(op: str, *imm: Any) -> Instr:  # noqa: E743
    return Instr(op, tuple(imm))


def ft(params: tuple[ValType, ...] = (), results: tuple[ValType, ...] = ()) -> RecType:
    return RecType((SubType(FuncType(tuple(params), tuple(results))),))


def sub(comp: Any, supers: tuple[int, ...] = (), final: bool = True) -> SubType:
    return SubType(comp, supers, final)


def func_module(
    params: tuple[ValType, ...] = (),
    results: tuple[ValType, ...] = (),
    body: list[Instr] | None = None,
    locals_: list[ValType] | None = None,
    **extra: Any,
) -> Module:
    """A module whose last type is ``[params] -> [results]`` and whose last function has
    ``body``; ``extra`` fields (types, memories, ...) go before them."""
    m = Module(**extra)
    m.types = list(m.types) + [ft(params, results)]
    m.funcs = list(m.funcs) + [Func(len(m.types) - 1, locals_ or [], body or [])]
    return m


def valid(m: Module) -> ModuleInfo:
    return validate_module(m)


def invalid(m: Module, message: str) -> InvalidError:
    with pytest.raises(InvalidError) as e:
        validate_module(m)
    assert e.value.message.startswith(message), e.value.message
    return e.value


def check_body(
    body: list[Instr], params: tuple[ValType, ...] = (), results: tuple[ValType, ...] = (),
    message: str | None = None, **extra: Any,
) -> Any:  # fmt: skip
    m = func_module(params, results, body, **extra)
    if message is None:
        return valid(m)
    return invalid(m, message)


__all__ = ["Export", "I", "check_body", "ft", "func_module", "invalid", "sub", "valid"]
