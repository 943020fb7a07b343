"""References, casts, i31, structs, arrays and exceptions (spec 3.4.4, 3.4.9)."""

from __future__ import annotations

from vbuild import I, check_body, ft, sub

from engine.syntax.ast import Catch, Data, Elem, Export, Global
from engine.syntax.types import (
    ANYREF,
    EXNREF,
    EXTERNREF,
    FUNCREF,
    I32,
    I64,
    ArrayType,
    FieldType,
    GlobalType,
    RecType,
    RefType,
    StructType,
    TagType,
)

# type 0: struct {i8, mut i64}; type 1: array (mut i16); type 2: array (ref func) immutable
GC_TYPES = [
    RecType((sub(StructType((FieldType(False, "i8"), FieldType(True, I64)))),)),
    RecType((sub(ArrayType(FieldType(True, "i16"))),)),
    RecType((sub(ArrayType(FieldType(False, RefType(False, "func")))),)),
]


def gc(body, results=(), message=None, **extra):  # type: ignore[no-untyped-def]
    return check_body(body, (), results, message, types=GC_TYPES, **extra)


def test_ref_func_must_be_declared() -> None:
    check_body([I("ref.func", 0), I("drop")], message="undeclared function reference 0")
    check_body([I("ref.func", 0), I("drop")], exports=[Export("f", "func", 0)])
    check_body([I("ref.func", 0), I("drop")], elems=[Elem(FUNCREF, [[I("ref.func", 0)]],
                                                           "declarative")])  # fmt: skip
    check_body([I("ref.func", 3), I("drop")], message="unknown function 3")


def test_ref_func_type_is_exact_and_non_null() -> None:
    e = [Export("f", "func", 0)]
    check_body([I("ref.func", 0)], (), (RefType(False, 0),), exports=e)
    check_body([I("ref.func", 0)], (), (FUNCREF,), exports=e)
    check_body([I("ref.func", 0)], (), (ANYREF,), exports=e, message="type mismatch")


def test_null_tests_and_non_null() -> None:
    check_body([I("ref.null", "extern"), I("ref.is_null")], (), (I32,))
    check_body([I("i32.const", 0), I("ref.is_null")], (), (I32,),
               message="type mismatch: instruction requires reference type")  # fmt: skip
    check_body([I("ref.null", "extern"), I("ref.as_non_null")], (), (RefType(False, "extern"),))
    check_body([I("ref.null", "any"), I("ref.null", "none"), I("ref.eq")], (), (I32,),
               message="type mismatch")  # fmt: skip
    check_body([I("unreachable"), I("ref.as_non_null")], (), (RefType(False, "extern"),))
    check_body([I("ref.null", 9), I("drop")], message="unknown type 9")


def test_br_on_null_and_non_null() -> None:
    body = [I("block", None, [I("ref.null", "func"), I("br_on_null", 0), I("drop")])]
    check_body(body)
    body = [I("block", FUNCREF, [I("ref.null", "func"), I("br_on_non_null", 0), I("ref.null",
                                                                             "func")])]  # fmt: skip
    check_body(body, (), (FUNCREF,))
    body = [I("block", None, [I("ref.null", "func"), I("br_on_non_null", 0)])]
    check_body(body, message="type mismatch: instruction requires reference type but label")


def test_casts() -> None:
    check_body([I("ref.null", "any"), I("ref.test", RefType(False, "i31"))], (), (I32,))
    check_body([I("ref.null", "extern"), I("ref.cast", RefType(True, "i31"))], (), (ANYREF,),
               message="type mismatch")  # fmt: skip
    cast = [I("ref.null", "any"), I("ref.cast", RefType(False, 0))]
    gc(cast, (RefType(False, 0),))
    ok = [
        I(
            "block",
            ANYREF,
            [
                I("ref.null", "any"),
                I("br_on_cast", 0, ANYREF, RefType(False, "i31")),
            ],
        )
    ]
    check_body(ok, (), (ANYREF,))
    wrong_dir = [
        I("block", ANYREF, [I("ref.null", "i31"), I("br_on_cast", 0, RefType(True, "i31"), ANYREF)])
    ]
    check_body(wrong_dir, (), (ANYREF,), message="type mismatch on cast")
    fail_label = [I("block", RefType(True, "i31"), [
        I("ref.null", "any"), I("br_on_cast_fail", 0, ANYREF, RefType(False, "i31")),
        I("drop"), I("ref.null", "i31")])]  # fmt: skip
    check_body(fail_label, (), (RefType(True, "i31"),),
               message="type mismatch: instruction requires type (ref null any) but")  # fmt: skip


def test_i31_and_extern_conversions() -> None:
    check_body([I("i32.const", 1), I("ref.i31"), I("i31.get_s")], (), (I32,))
    check_body([I("ref.null", "extern"), I("any.convert_extern")], (), (ANYREF,))
    check_body([I("ref.null", "extern"), I("any.convert_extern")], (), (RefType(False, "any"),),
               message="type mismatch")  # fmt: skip
    check_body([I("ref.null", "any"), I("extern.convert_any")], (), (EXTERNREF,))


def test_structs() -> None:
    gc([I("i32.const", 1), I("i64.const", 2), I("struct.new", 0)], (RefType(False, 0),))
    gc([I("struct.new_default", 0), I("struct.get_s", 0, 0)], (I32,))
    gc([I("struct.new_default", 0), I("struct.get", 0, 0)], (I32,), message="field is packed")
    gc([I("struct.new_default", 0), I("struct.get_u", 0, 1)], (I64,), message="field is unpacked")
    gc([I("struct.new_default", 0), I("struct.get", 0, 2)], (I64,), message="unknown field 2")
    gc([I("struct.new_default", 0), I("i32.const", 0), I("struct.set", 0, 0)],
       message="immutable field")  # fmt: skip
    gc([I("ref.null", "none"), I("i64.const", 0), I("struct.set", 0, 1)])
    gc([I("struct.new_default", 1), I("drop")], message="non-structure type 1")


def test_arrays() -> None:
    gc([I("i32.const", 7), I("i32.const", 3), I("array.new", 1), I("array.len")], (I32,))
    gc([I("i32.const", 3), I("array.new_default", 2), I("drop")],
       message="array type is not defaultable")  # fmt: skip
    gc([I("i32.const", 3), I("array.new_default", 1), I("i32.const", 0), I("array.get_s", 1)],
       (I32,))  # fmt: skip
    gc([I("ref.null", "none"), I("i32.const", 0), I("array.get", 1)], (I32,),
       message="array is packed")  # fmt: skip
    gc([I("i32.const", 1), I("i32.const", 2), I("array.new_fixed", 1, 2)], (RefType(False, 1),))
    gc([I("i32.const", 1), I("array.new_fixed", 1, 2)], (RefType(False, 1),),
       message="type mismatch")  # fmt: skip
    fill = [I("ref.null", 2), I("i32.const", 0), I("ref.func", 0), I("i32.const", 1),
            I("array.fill", 2)]  # fmt: skip
    gc(fill, exports=[Export("f", "func", 0)], message="immutable array")
    copy = [I("ref.null", 1), I("i32.const", 0), I("ref.null", 2), I("i32.const", 0),
            I("i32.const", 0), I("array.copy", 1, 2)]  # fmt: skip
    gc(copy, message="array types do not match")


def test_array_segments() -> None:
    datas = [Data(b"\x01\x02")]
    gc([I("i32.const", 0), I("i32.const", 1), I("array.new_data", 1, 0), I("drop")], datas=datas)
    gc([I("i32.const", 0), I("i32.const", 1), I("array.new_data", 2, 0), I("drop")], datas=datas,
       message="array type is not numeric or vector")  # fmt: skip
    elems = [Elem(FUNCREF, [])]
    gc([I("i32.const", 0), I("i32.const", 1), I("array.new_elem", 2, 0), I("drop")], elems=elems,
       message="type mismatch: element segment's type")  # fmt: skip
    elems = [Elem(RefType(False, "func"), [])]
    gc([I("i32.const", 0), I("i32.const", 1), I("array.new_elem", 2, 0), I("drop")], elems=elems)


def test_exceptions() -> None:
    types = [ft((I32,), ())]
    tags = [TagType(0)]
    check_body([I("i32.const", 1), I("throw", 0)], (), (I64,), types=types, tags=tags)
    check_body([I("throw", 0)], types=types, tags=tags, message="type mismatch")
    check_body([I("throw", 1)], types=types, tags=tags, message="unknown tag 1")
    check_body([I("ref.null", "exn"), I("throw_ref")])
    catch_i32 = [I("block", I32, [I("try_table", None, [Catch("catch", 0, 0)], []),
                                  I("i32.const", 0)])]  # fmt: skip
    check_body(catch_i32, (), (I32,), types=types, tags=tags)
    catch_ref = [I("block", I32, [I("try_table", None, [Catch("catch_ref", 0, 0)], []),
                                  I("i32.const", 0)])]  # fmt: skip
    check_body(catch_ref, (), (I32,), types=types, tags=tags,
               message="type mismatch: catch handler requires [i32] but label has")  # fmt: skip
    all_ref = [I("block", EXNREF, [I("try_table", None, [Catch("catch_all_ref", None, 0)], []),
                                   I("ref.null", "exn")])]  # fmt: skip
    check_body(all_ref, (), (EXNREF,))


def test_global_reference_types_resolve_to_deftypes() -> None:
    g = Global(GlobalType(RefType(True, 0)), [I("ref.null", 0)])
    info = gc([I("global.get", 0)], (RefType(True, 0),), globals=[g])
    assert info.globals[0].type.heap is info.types[0]
