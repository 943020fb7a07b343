"""The body checker's inlined common cases agree with the full typing rules at their edges.

Each frequent instruction shape (constants, unary and binary operators, locals, plain loads and
stores, br_if, call, drop) is checked inline when its operands are exactly the declared types;
everything else must reach the general rules with the reference interpreter's message.
"""

from __future__ import annotations

from vbuild import I, check_body, ft

from engine.syntax.ast import Func
from engine.syntax.types import (
    ANYREF,
    EQREF,
    F32,
    F64,
    I32,
    I64,
    V128,
    Limits,
    MemoryType,
    RefType,
)

MEM = [MemoryType(Limits(1, None))]
MEM64 = [MemoryType(Limits(1, None), address="i64")]
I31 = RefType(False, "i31")


def test_binary_operator_does_not_reach_below_the_block() -> None:
    body = [I("i32.const", 1), I("block", None, [I("i32.const", 2), I("i32.add"), I("drop")])]
    e = check_body(body + [I("drop")], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32 i32] but stack has [i32]"


def test_binary_operator_messages() -> None:
    e = check_body([I("i64.const", 1), I("i32.const", 2), I("i32.add"), I("drop")],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32 i32] but stack has [i64 i32]"
    e = check_body([I("i32.const", 1), I("f32.const", 0), I("i32.add"), I("drop")],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32 i32] but stack has [i32 f32]"


def test_unary_operator_messages() -> None:
    e = check_body([I("i64.const", 1), I("i32.eqz"), I("drop")], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    e = check_body([I("block", None, [I("f64.neg"), I("drop")])], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [f64] but stack has []"


def test_operators_in_unreachable_code_take_the_bottom_type() -> None:
    check_body([I("unreachable"), I("f64.neg"), I("i64.trunc_f64_s")], (), (I64,))
    check_body([I("unreachable"), I("i32.const", 1), I("i32.add")], (), (I32,))
    check_body([I("unreachable"), I("i32.load", 0, 2, 0)], (), (I32,), memories=MEM)
    check_body([I("unreachable"), I("i32.store", 0, 2, 0)], memories=MEM)
    check_body([I("unreachable"), I("drop"), I("br_if", 0), I("call", 0)])
    check_body([I("unreachable"), I("local.set", 0), I("local.tee", 0)], (), (I32,),
               locals_=[I32])  # fmt: skip
    check_body([I("unreachable"), I("i64.const", 0), I("i32.eqz")], (), (I32,),
               message="type mismatch: instruction requires [i32] but stack has [i64]")  # fmt: skip


def test_ternary_and_nullary_simple_instructions() -> None:
    v = [I("v128.const", 0)]
    check_body(v + v + v + [I("v128.bitselect")], (), (V128,))
    e = check_body(v + v + [I("i32.const", 0), I("v128.bitselect")], (), (V128,),
                   message="type mismatch")  # fmt: skip
    assert e.message == ("type mismatch: instruction requires [v128 v128 v128] but stack has "
                         "[v128 v128 i32]")  # fmt: skip
    check_body([I("nop"), I("atomic.fence")])


def test_locals_inline_and_slow() -> None:
    check_body([I("local.get", 1), I("local.tee", 0), I("local.set", 1)], (I32,), (),
               locals_=[I32])  # fmt: skip
    e = check_body([I("local.get", 2)], (I32,), (I32,), message="unknown local")
    assert e.message == "unknown local 2"
    e = check_body([I("f32.const", 0), I("local.tee", 0)], (I32,), (I32,), message="type")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [f32]"
    e = check_body([I("local.set", 0)], (I32,), message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32] but stack has []"


def test_local_set_accepts_a_subtype_and_initialises() -> None:
    nn = RefType(False, "i31")
    body = [I("i32.const", 1), I("ref.i31"), I("local.set", 0), I("local.get", 0)]
    check_body(body, (), (EQREF,), locals_=[EQREF])
    body = [I("i32.const", 1), I("ref.i31"), I("local.tee", 0), I("drop"), I("local.get", 0)]
    check_body(body, (), (nn,), locals_=[nn])
    # Initialisation lasts to the end of the block only.
    body = [I("block", None, [I("i32.const", 1), I("ref.i31"), I("local.set", 0)]),
            I("local.get", 0)]  # fmt: skip
    e = check_body(body, (), (nn,), locals_=[nn], message="uninitialized")
    assert e.message == "uninitialized local"


def test_plain_memory_accesses() -> None:
    check_body([I("i32.const", 0), I("f64.load", 0, 3, 1 << 20)], (), (F64,), memories=MEM)
    check_body([I("i32.const", 0), I("f32.const", 0), I("f32.store", 0, 2, 0)], memories=MEM)
    e = check_body([I("i32.const", 0), I("i32.load", 0, 2, 0)], (), (I32,),
                   message="unknown memory")  # fmt: skip
    assert e.message == "unknown memory 0"
    e = check_body([I("i32.const", 0), I("i32.load16_s", 0, 2, 0)], (), (I32,), memories=MEM,
                   message="alignment")  # fmt: skip
    assert e.message == "alignment must not be larger than natural"
    e = check_body([I("i32.const", 0), I("i32.load", 0, 2, 1 << 32)], (), (I32,), memories=MEM,
                   message="offset")  # fmt: skip
    assert e.message == "offset out of range"
    e = check_body([I("i64.const", 0), I("i32.load", 0, 2, 0)], (), (I32,), memories=MEM,
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    e = check_body([I("i32.const", 0), I("i64.const", 0), I("i32.store", 0, 2, 0)],
                   memories=MEM, message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32 i32] but stack has [i32 i64]"


def test_memory64_and_second_memory() -> None:
    check_body([I("i64.const", 0), I("i32.load", 0, 2, 1 << 40)], (), (I32,), memories=MEM64)
    e = check_body([I("i32.const", 0), I("i32.load", 0, 2, 0)], (), (I32,), memories=MEM64,
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i64] but stack has [i32]"
    mems = MEM + MEM64
    check_body([I("i64.const", 0), I("i64.const", 1), I("i64.store", 1, 3, 0)], memories=mems)
    check_body([I("i32.const", 0), I("i64.const", 1), I("i64.store", 0, 3, 0)], memories=mems)


def test_br_if_inline_and_with_label_values() -> None:
    check_body([I("block", None, [I("i32.const", 1), I("br_if", 0)])])
    check_body([I("loop", None, [I("i32.const", 1), I("br_if", 0)])])
    body = [I("block", I64, [I("i64.const", 1), I("i32.const", 1), I("br_if", 0)])]
    check_body(body, (), (I64,))
    e = check_body([I("block", None, [I("i32.const", 1), I("br_if", 2)])], message="unknown")
    assert e.message == "unknown label 2"
    e = check_body([I("block", None, [I("i64.const", 1), I("br_if", 0)])], message="type")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    e = check_body([I("block", None, [I("br_if", 0)])], message="type")
    assert e.message == "type mismatch: instruction requires [i32] but stack has []"


def test_calls() -> None:
    types = [ft((I32, I64), (F32,))]
    callee = Func(0, [], [I("f32.const", 0)])
    body = [I("i32.const", 1), I("i64.const", 2), I("call", 0)]
    check_body(body, (), (F32,), types=types, funcs=[callee])
    e = check_body([I("i64.const", 2), I("i32.const", 1), I("call", 0)], (), (F32,),
                   types=types, funcs=[callee], message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32 i64] but stack has [i64 i32]"
    e = check_body([I("call", 5)], types=types, funcs=[callee], message="unknown function")
    assert e.message == "unknown function 5"
    # Only part of the arguments inside the block: the rest is below its height.
    e = check_body([I("i32.const", 1), I("block", None, [I("i64.const", 2), I("call", 0),
                    I("drop")]), I("drop")], types=types, funcs=[callee],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32 i64] but stack has [i64]"


def test_call_accepts_subtyped_arguments() -> None:
    types = [ft((ANYREF,), (I31,))]
    callee = Func(0, [], [I("i32.const", 0), I("ref.i31")])
    body = [I("i32.const", 1), I("ref.i31"), I("call", 0)]
    check_body(body, (), (EQREF,), types=types, funcs=[callee])


def test_drop() -> None:
    e = check_body([I("drop")], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [bot] but stack has []"
    e = check_body([I("i32.const", 0), I("block", None, [I("drop")]), I("drop")],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [bot] but stack has []"
    check_body([I("i32.const", 0), I("block", None, [I("unreachable"), I("drop")]), I("drop")])


def test_if_arms() -> None:
    nn = RefType(False, "i31")
    set_nn = [I("i32.const", 1), I("ref.i31"), I("local.set", 0)]
    check_body([I("i32.const", 1), I("if", None, set_nn, set_nn)], locals_=[nn])
    # What the then-arm initialised is not initialised in the else-arm.
    body = [I("i32.const", 1), I("if", None, set_nn, [I("local.get", 0), I("drop")])]
    e = check_body(body, locals_=[nn], message="uninitialized")
    assert e.message == "uninitialized local"
    e = check_body([I("i32.const", 1), I("if", None, [I("i32.const", 2)], [])],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: block requires [] but stack has [i32]"
    e = check_body([I("i32.const", 1), I("if", None, [], [I("i32.const", 2)])],
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: block requires [] but stack has [i32]"
    e = check_body([I("i64.const", 1), I("if", None, [], [])], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    # A result needs an else-arm that produces it.
    e = check_body([I("i32.const", 1), I("if", I32, [I("i32.const", 2)], [])], (), (I32,),
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i32] but stack has []"
    body = [I("i32.const", 1), I("if", I32, [I("i32.const", 2)], [I("i32.const", 3)])]
    check_body(body, (), (I32,))


def test_unreachable_arm_ends_polymorphic() -> None:
    body = [I("i32.const", 1), I("if", I64, [I("unreachable")], [I("i64.const", 3)])]
    check_body(body, (), (I64,))
    body = [I("block", None, [I("unreachable"), I("i32.const", 1)])]
    e = check_body(body, message="type mismatch")
    assert e.message == "type mismatch: block requires [] but stack has [i32]"


def test_typed_blocks() -> None:
    check_body([I("block", I32, [I("i32.const", 1)])], (), (I32,))
    check_body([I("loop", F64, [I("f64.const", 0)])], (), (F64,))
    e = check_body([I("block", I32, [I("i64.const", 1)])], (), (I32,), message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    e = check_body([I("block", RefType(True, 7), [])], message="unknown type")
    assert e.message == "unknown type 7"
    e = check_body([I("if", RefType(True, 7), [], [])], message="unknown type")
    assert e.message == "unknown type 7"
    # A loop's label is its inputs: a branch to it carries nothing.
    check_body([I("loop", I32, [I("br", 0)])], (), (I32,))
    body = [I("block", I32, [I("i32.const", 1), I("br", 0)])]
    check_body(body, (), (I32,))
    e = check_body([I("block", I32, [I("br", 0)])], (), (I32,), message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32] but stack has []"


def test_br_and_return() -> None:
    check_body(
        [I("block", None, [I("br", 0), I("i32.add"), I("drop")]), I("i32.const", 2)], (), (I32,)
    )
    e = check_body([I("br", 1)], message="unknown label")
    assert e.message == "unknown label 1"
    check_body([I("i64.const", 1), I("return"), I("i64.add")], (), (I64,))
    e = check_body([I("i32.const", 1), I("return")], (), (I64,), message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i64] but stack has [i32]"
    # Values below the current block are out of reach.
    e = check_body([I("i64.const", 1), I("block", None, [I("return")])], (), (I64,),
                   message="type mismatch")  # fmt: skip
    assert e.message == "type mismatch: instruction requires [i64] but stack has []"
    check_body([I("i32.const", 1), I("ref.i31"), I("return")], (), (EQREF,))


def test_globals() -> None:
    from engine.syntax.ast import Global
    from engine.syntax.types import GlobalType

    gs = [Global(GlobalType(I32, True), [I("i32.const", 0)]),
          Global(GlobalType(I64, False), [I("i64.const", 0)])]  # fmt: skip
    check_body([I("global.get", 0), I("global.set", 0), I("global.get", 1)], (), (I64,),
               globals=gs)  # fmt: skip
    e = check_body([I("i64.const", 0), I("global.set", 1)], globals=gs, message="immutable")
    assert e.message == "immutable global"
    e = check_body([I("i64.const", 0), I("global.set", 0)], globals=gs, message="type")
    assert e.message == "type mismatch: instruction requires [i32] but stack has [i64]"
    e = check_body([I("global.get", 2), I("drop")], globals=gs, message="unknown global")
    assert e.message == "unknown global 2"


def test_select() -> None:
    check_body([I("f32.const", 0), I("f32.const", 1), I("i32.const", 1), I("select")], (), (F32,))
    e = check_body([I("f32.const", 0), I("f64.const", 1), I("i32.const", 1), I("select")],
                   (), (F32,), message="type mismatch")  # fmt: skip
    assert (
        e.message == "type mismatch: instruction requires [f64 f64 i32] but stack has [f32 f64 i32]"
    )
    e = check_body([I("ref.null", "func"), I("ref.null", "func"), I("i32.const", 1), I("select"),
                    I("drop")], message="type mismatch")  # fmt: skip
    assert e.message.startswith("type mismatch: instruction requires numeric or vector type")
    check_body([I("unreachable"), I("select")], (), (I64,))
    check_body([I("unreachable"), I("i32.const", 1), I("select"), I("drop")])
    typed = [I("ref.null", "func"), I("ref.null", "func"), I("i32.const", 1),
             I("select", (RefType(True, "func"),))]  # fmt: skip
    check_body(typed, (), (RefType(True, "func"),))
