"""Control instructions, the polymorphic stack, select and locals (spec 3.4.1, 3.4.5, 3.4.9)."""

from __future__ import annotations

from vbuild import I, check_body, ft

from engine.syntax.types import FUNCREF, I32, I64, RefType


def test_add_and_result_type() -> None:
    check_body([I("local.get", 0), I("local.get", 0), I("i32.add")], (I32,), (I32,))
    check_body([I("local.get", 0)], (I32,), (I64,), message="type mismatch")


def test_missing_operand_message() -> None:
    e = check_body([I("i32.const", 1), I("i32.add"), I("drop")], message="type mismatch")
    assert e.message == "type mismatch: instruction requires [i32 i32] but stack has [i32]"


def test_leftover_value_at_function_end() -> None:
    e = check_body([I("i32.const", 1), I("i32.const", 2)], (), (I32,), message="type mismatch")
    assert e.message == "type mismatch: block requires [i32] but stack has [i32 i32]"


def test_unreachable_makes_stack_polymorphic() -> None:
    check_body([I("unreachable"), I("i32.add")], (), (I32,))
    check_body([I("unreachable"), I("i64.const", 0), I("i32.add")], (), (I32,), "type mismatch")
    # Polymorphism lasts to the end of the current block only.
    body = [I("block", None, [I("unreachable")]), I("i32.add")]
    check_body(body, (), (I32,), message="type mismatch")


def test_block_with_params_from_type_index() -> None:
    types = [ft((I32,), (I64,))]
    body = [I("i32.const", 1), I("block", 0, [I("i64.extend_i32_u")])]
    check_body(body, (), (I64,), types=types)
    bad = [I("i64.const", 1), I("block", 0, [I("i64.extend_i32_u")])]
    check_body(bad, (), (I64,), message="type mismatch", types=types)


def test_unknown_block_type_and_label() -> None:
    check_body([I("block", 7, [])], message="unknown type 7")
    check_body([I("block", None, [I("br", 2)])], message="unknown label 2")
    check_body([I("block", None, [I("br", 1)])])


def test_br_to_loop_takes_its_params() -> None:
    types = [ft((I32,), ())]
    body = [I("i32.const", 0), I("loop", 0, [I("br", 0)])]
    check_body(body, types=types)
    body = [I("i32.const", 0), I("loop", 0, [I("drop"), I("br", 0)])]
    check_body(body, message="type mismatch", types=types)


def test_if_without_else_needs_equal_params_and_results() -> None:
    check_body([I("i32.const", 1), I("if", I32, [I("i32.const", 2)], [])], (), (I32,),
               message="type mismatch")  # fmt: skip
    body = [I("i32.const", 1), I("if", I32, [I("i32.const", 2)], [I("i32.const", 3)])]
    check_body(body, (), (I32,))


def test_br_if_and_br_table() -> None:
    body = [
        I("block", I32, [I("i32.const", 1), I("i32.const", 0), I("br_if", 0)]),
    ]
    check_body(body, (), (I32,))
    table = [
        I("block", I32, [I("block", I64, [I("i32.const", 1), I("i32.const", 0),
                                          I("br_table", (0,), 1)]), I("drop"), I("i32.const", 0)]),
    ]  # fmt: skip
    check_body(table, (), (I32,), message="type mismatch")
    ok = [I("block", None, [I("block", None, [I("i32.const", 0), I("br_table", (0, 1), 0)])])]
    check_body(ok)


def test_br_table_in_unreachable_code_with_mixed_arity() -> None:
    body = [I("block", I32, [I("block", None, [I("unreachable"), I("br_table", (0,), 1)])]),
            I("drop")]  # fmt: skip
    check_body(body, message="type mismatch")


def test_return_and_drop() -> None:
    check_body([I("i32.const", 1), I("return"), I("i64.const", 0)], (), (I32,), "type mismatch")
    check_body([I("i32.const", 1), I("return")], (), (I32,))
    check_body([I("drop")], message="type mismatch")


def test_select() -> None:
    check_body([I("i32.const", 1), I("i32.const", 2), I("i32.const", 0), I("select")], (), (I32,))
    body = [I("ref.null", "func"), I("ref.null", "func"), I("i32.const", 0), I("select")]
    check_body(body, (), (FUNCREF,), message="type mismatch: instruction requires numeric")
    typed = [I("ref.null", "func"), I("ref.null", "func"), I("i32.const", 0),
             I("select", (FUNCREF,))]  # fmt: skip
    check_body(typed, (), (FUNCREF,))
    check_body([I("unreachable"), I("select", (I32, I32))], message="invalid result arity")
    check_body([I("unreachable"), I("select")], (), (I32,))


def test_locals() -> None:
    check_body([I("local.get", 2)], (I32,), (I32,), locals_=[I64], message="unknown local 2")
    check_body([I("local.get", 1)], (I32,), (I64,), locals_=[I64])
    check_body([I("i32.const", 1), I("local.tee", 0)], (I32,), (I32,))


def test_non_defaultable_local_initialisation() -> None:
    ref = RefType(False, "func")
    nullable = RefType(True, "func")
    check_body([I("local.get", 0), I("drop")], locals_=[ref], message="uninitialized local")
    set_then_get = [I("ref.func", 0), I("local.set", 0), I("local.get", 0), I("drop")]
    from engine.syntax.ast import Export

    exports = [Export("f", "func", 0)]
    check_body(set_then_get, locals_=[ref], exports=exports)
    # An initialisation inside a block does not outlive the block.
    in_block = [I("block", None, [I("ref.func", 0), I("local.set", 0)]), I("local.get", 0),
                I("drop")]  # fmt: skip
    check_body(in_block, locals_=[ref], exports=exports, message="uninitialized local")
    check_body([I("local.get", 0), I("drop")], locals_=[nullable])


def test_calls() -> None:
    types = [ft((I32,), (I64,))]
    from engine.syntax.ast import Func

    callee = Func(0, [], [I("local.get", 0), I("i64.extend_i32_s")])
    check_body([I("i32.const", 1), I("call", 0)], (), (I64,), types=types, funcs=[callee])
    check_body([I("call", 0)], (), (I64,), types=types, funcs=[callee], message="type mismatch")
    check_body([I("call", 5)], message="unknown function 5")
    e = check_body([I("i32.const", 1), I("return_call", 0)], (), (I32,), types=types,
                   funcs=[callee], message="type mismatch")  # fmt: skip
    assert "callee returns [i64]" in e.message
    check_body([I("i32.const", 1), I("return_call", 0)], (), (I64,), types=types, funcs=[callee])


def test_deep_nesting_does_not_recurse() -> None:
    body: list = []
    for _ in range(5000):
        body = [I("block", None, body)]
    check_body(body)
