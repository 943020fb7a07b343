"""The WAST script parser: every command kind, literals, result patterns and errors."""

from __future__ import annotations

import pytest

from engine.errors import MalformedError
from engine.script import ast as S
from engine.text.script import parse_quoted_module, parse_script


def cmds(text: str) -> list[S.Command]:
    return parse_script(text).commands


def only(text: str) -> S.Command:
    (c,) = cmds(text)
    return c


def test_module_forms_and_their_lines() -> None:
    c = cmds(
        '(module $m (func (export "f")))\n'
        '(module binary "\\00asm" "\\01\\00\\00\\00")\n'
        '(module $q quote "(func" ")")\n'
        "(module definition $d (memory 1))\n"
        "(module instance $i $d)\n"
        "(module instance $d)\n"
    )
    m, b, q, d, i, i2 = c
    assert isinstance(m, S.ModuleCommand) and m.line == 1 and not m.definition
    assert m.module.kind == "text" and m.module.id == "m" and m.module.module is not None
    assert m.module.module.exports[0].name == "f"
    assert isinstance(b, S.ModuleCommand) and b.line == 2
    assert b.module.kind == "binary" and b.module.data == b"\0asm\x01\0\0\0"
    assert isinstance(q, S.ModuleCommand)
    assert q.module.kind == "quote" and q.module.text == "(func)" and q.module.id == "q"
    assert isinstance(d, S.ModuleCommand) and d.definition and d.module.id == "d"
    assert isinstance(i, S.InstanceCommand) and (i.instance_id, i.module_id) == ("i", "d")
    assert isinstance(i2, S.InstanceCommand) and (i2.instance_id, i2.module_id) == (None, "d")


def test_actions_and_argument_literals() -> None:
    c = only(
        '(invoke $m "f" (i32.const -1) (i64.const 0x10) (f32.const -0x1p-1) (f64.const nan:0x1)'
        " (v128.const i16x8 -1 0 0 0 0 0 0 0x8000) (ref.null func) (ref.extern 7)"
        " (ref.host 3))"
    )
    assert isinstance(c, S.ActionCommand)
    act = c.action
    assert isinstance(act, S.Invoke) and act.module_id == "m" and act.name == "f"
    assert act.args == [
        S.Const("i32", 0xFFFFFFFF),
        S.Const("i64", 16),
        S.Const("f32", 0xBF000000),
        S.Const("f64", 0x7FF0000000000001),
        S.Const("v128", 0x8000 << 112 | 0xFFFF),
        S.Const("ref.null", "func"),
        S.Const("ref.extern", 7),
        S.Const("ref.host", 3),
    ]
    g = only('(get "g")')
    assert isinstance(g, S.ActionCommand) and g.action == S.Get(None, "g", 1)


CANON = S.NanPattern("f32", "canonical")


def test_result_patterns() -> None:
    c = only(
        '(assert_return (invoke "f")'
        " (f32.const nan:canonical) (f64.const nan:arithmetic) (i32.const 3)"
        " (v128.const f32x4 nan:canonical 1 -0 nan:arithmetic)"
        " (v128.const i8x16 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 255)"
        " (ref.null) (ref.null extern) (ref.extern 1) (ref.host 2) (ref.extern) (ref)"
        " (ref.func) (ref.eq) (ref.i31) (ref.struct) (ref.array) (ref.exn)"
        " (either (i32.const 1) (i32.const 2)))"
    )
    assert isinstance(c, S.AssertReturn)
    r = c.results
    assert r[0] == S.NanPattern("f32", "canonical")
    assert r[1] == S.NanPattern("f64", "arithmetic")
    assert r[2] == S.Const("i32", 3)
    assert r[3] == S.VecPattern(
        "f32x4",
        (
            S.NanPattern("f32", "canonical"),
            0x3F800000,
            0x80000000,
            S.NanPattern("f32", "arithmetic"),
        ),
    )
    assert r[4] == S.Const("v128", 0xFF << 120 | 0xFF)
    assert r[5:] == [
        S.RefPattern("null"),
        S.RefPattern("null", "extern"),
        S.RefPattern("extern", 1),
        S.RefPattern("host", 2),
        S.RefPattern("extern"),
        S.RefPattern("any"),
        S.RefPattern("func"),
        S.RefPattern("eq"),
        S.RefPattern("i31"),
        S.RefPattern("struct"),
        S.RefPattern("array"),
        S.RefPattern("exn"),
        S.Either((S.Const("i32", 1), S.Const("i32", 2))),
    ]


def test_assertions() -> None:
    c = cmds(
        '(assert_trap (invoke "f") "unreachable")\n'
        '(assert_trap (module (start 0) (func unreachable)) "unreachable")\n'
        '(assert_exhaustion (invoke "f") "call stack exhausted")\n'
        '(assert_exception (invoke "f"))\n'
        '(assert_invalid (module (func (result i32))) "type mismatch")\n'
        '(assert_malformed (module quote "(func") "unexpected token")\n'
        '(assert_unlinkable (module (import "a" "b" (func))) "unknown import")\n'
        '(assert_uninstantiable (module binary "") "x")\n'
        '(register "name" $m)\n'
        '(register "other")\n'
    )
    trap, mtrap, exh, exc, inv, mal, unl, uni, reg, reg2 = c
    assert isinstance(trap, S.AssertTrap) and isinstance(trap.target, S.Invoke)
    assert trap.message == "unreachable"
    assert isinstance(mtrap, S.AssertTrap) and isinstance(mtrap.target, S.ScriptModule)
    assert isinstance(exh, S.AssertExhaustion) and exh.message == "call stack exhausted"
    assert isinstance(exc, S.AssertException) and exc.line == 4
    assert isinstance(inv, S.AssertModule) and inv.kind == "invalid"
    assert isinstance(mal, S.AssertModule) and mal.kind == "malformed"
    assert mal.module.kind == "quote" and mal.message == "unexpected token"
    assert isinstance(unl, S.AssertModule) and unl.kind == "unlinkable"
    assert isinstance(uni, S.AssertModule) and uni.kind == "uninstantiable"
    assert reg == S.Register("name", "m", 9)
    assert reg2 == S.Register("other", None, 10)


def test_threads_and_wait() -> None:
    c = cmds(
        "(module $s (memory 1 1 shared))\n"
        "(thread $t (shared (module $s))\n"
        '  (register "s" $s)\n'
        '  (invoke "f"))\n'
        "(wait $t)\n"
    )
    t, w = c[1], c[2]
    assert isinstance(t, S.Thread) and t.name == "t" and t.shared == ["s"] and t.line == 2
    assert [type(x) for x in t.commands] == [S.Register, S.ActionCommand]
    assert w == S.Wait("t", 5)


def test_annotations_and_comments_are_skipped() -> None:
    c = cmds('(@custom "x" (y)) ;; line\n(; block ;)(module (@a) (func))\n(invoke (@b) "f")')
    assert [type(x) for x in c] == [S.ModuleCommand, S.ActionCommand]


def test_a_script_of_bare_fields_is_one_module() -> None:
    c = only('(func (export "f")) (memory 1)')
    assert isinstance(c, S.ModuleCommand) and c.module.module is not None
    assert len(c.module.module.memories) == 1


def test_a_module_that_does_not_parse_keeps_its_error() -> None:
    c = cmds('(module (func (i32.const)))\n(invoke "f")')
    m = c[0]
    assert isinstance(m, S.ModuleCommand) and m.module.module is None
    assert m.module.error is not None and m.module.text == "(module (func (i32.const)))"
    assert isinstance(c[1], S.ActionCommand)


LANES = "wrong number of lane literals"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('(assert_return (invoke "f")\n (i32.const 0x1_0000_0000))', "constant out of range", 2),
        (
            '(assert_return (invoke "f") (v128.const i32x4 1 2 3))',
            "wrong number of lane literals",
            1,
        ),
        ('(invoke "f")\n\n(i32.add)', "unexpected token", 3),
        ("(frobnicate)", "unknown operator frobnicate", 1),
        ('(module (func)\n(invoke "f")', "unexpected token", 2),
        ('(assert_trap (module definition (func)) "x")', "misplaced module definition", 1),
        ('(invoke "f" (i32.const 1.5))', "unexpected token", 1),
        ('(invoke "\\ff")', "malformed UTF-8 encoding", 1),
    ],
)
def test_script_errors_carry_message_and_line(text: str, message: str, line: int) -> None:
    with pytest.raises(MalformedError) as e:
        parse_script(text)
    assert e.value.message == message
    assert getattr(e.value, "line", None) == line


def test_quoted_module_forms() -> None:
    m = parse_quoted_module('(module $x (func (export "f")))')
    assert m.exports[0].name == "f"
    assert len(parse_quoted_module("(memory 1) (memory 2)").memories) == 2
    with pytest.raises(MalformedError):
        parse_quoted_module("(module) (module)")
    with pytest.raises(MalformedError):
        parse_quoted_module("(func")
