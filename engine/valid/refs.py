"""Typing rules of reference, cast, i31, struct and array instructions (spec 3.4.4, 3.4.9).

Mirrors the reference interpreter's ``check_instr`` cases (valid.ml), messages included.
"""

from __future__ import annotations

from typing import Any

from engine.errors import InvalidError
from engine.syntax.ast import Instr
from engine.syntax.types import (
    ARRAYREF,
    BOT,
    EQREF,
    I31REF,
    I32,
    FieldType,
    RefType,
    defaultable,
    unpacked,
)
from engine.valid.code import Checker, handler
from engine.valid.match import (
    match_storagetype,
    match_valtype,
    str_results,
    str_valtype,
    top_heap,
)

_I31 = RefType(False, "i31")
_NUM_VEC = ("i32", "i64", "f32", "f64", "v128")


def _pop_ref(v: Checker, ins: Instr) -> RefType:
    """Pop the top operand, which must be of some reference type (``peek_ref`` + pop)."""
    t = v.peek_ref(ins)
    vals = v.vals
    f = v.frames[-1]
    if len(vals) > f.height:
        vals.pop()
    elif not f.unreachable:
        v.mismatch([RefType(True, BOT)], [], ins)
    return t


def _reftype(v: Checker, rt: RefType, at: int) -> RefType:
    h = rt.heap
    if isinstance(h, int):
        return RefType(rt.nullable, v.ctx.type_(h, at))
    return rt


def _top(h: Any) -> RefType:
    return RefType(True, top_heap(h))


# --- references (spec 3.4.4) ----------------------------------------------------------------


@handler("ref.null")
def _ref_null(v: Checker, ins: Instr) -> None:
    h = ins.imm[0]
    v.vals.append(v.ctx.val(RefType(True, h), ins.offset))


@handler("ref.func")
def _ref_func(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    dt = v.ctx.func(x, ins.offset)
    if x not in v.ctx.refs:
        raise InvalidError(f"undeclared function reference {x}", ins.offset)
    v.vals.append(RefType(False, dt))


@handler("ref.is_null")
def _ref_is_null(v: Checker, ins: Instr) -> None:
    _pop_ref(v, ins)
    v.vals.append(I32)


@handler("ref.as_non_null")
def _ref_as_non_null(v: Checker, ins: Instr) -> None:
    t = _pop_ref(v, ins)
    v.vals.append(RefType(False, t.heap) if t.nullable else t)


@handler("ref.eq")
def _ref_eq(v: Checker, ins: Instr) -> None:
    v.pop((EQREF, EQREF), ins)
    v.vals.append(I32)


@handler("ref.test", "ref.test_null")
def _ref_test(v: Checker, ins: Instr) -> None:
    rt = _reftype(v, ins.imm[0], ins.offset)
    v.pop1(_top(rt.heap), ins)
    v.vals.append(I32)


@handler("ref.cast", "ref.cast_null")
def _ref_cast(v: Checker, ins: Instr) -> None:
    rt = _reftype(v, ins.imm[0], ins.offset)
    v.pop1(_top(rt.heap), ins)
    v.vals.append(rt)


@handler("ref.i31")
def _ref_i31(v: Checker, ins: Instr) -> None:
    v.pop1(I32, ins)
    v.vals.append(_I31)


@handler("i31.get_s", "i31.get_u")
def _i31_get(v: Checker, ins: Instr) -> None:
    v.pop1(I31REF, ins)
    v.vals.append(I32)


@handler("any.convert_extern", "extern.convert_any")
def _extern_convert(v: Checker, ins: Instr) -> None:
    src, dst = ("extern", "any") if ins.op == "any.convert_extern" else ("any", "extern")
    nul = v.peek_ref(ins).nullable
    v.pop1(RefType(nul, src), ins)
    v.vals.append(RefType(nul, dst))


# --- branches on references (spec 3.4.9) ----------------------------------------------------


@handler("br_on_null")
def _br_on_null(v: Checker, ins: Instr) -> None:
    ht = v.peek_ref(ins).heap
    lt = v.label(ins.imm[0], ins)
    v.pop((*lt, RefType(True, ht)), ins)
    v.vals.extend(lt)
    v.vals.append(RefType(False, ht))


def _split_label(v: Checker, ins: Instr, what: str) -> tuple[tuple[Any, ...], Any]:
    lt = tuple(v.label(ins.imm[0], ins))
    if not lt:
        raise InvalidError(
            f"type mismatch: instruction requires {what} but label has {str_results(lt)}",
            ins.offset,
        )
    return lt[:-1], lt[-1]


@handler("br_on_non_null")
def _br_on_non_null(v: Checker, ins: Instr) -> None:
    ts0, t1 = _split_label(v, ins, "reference type")
    if type(t1) is not RefType:
        raise InvalidError(
            "type mismatch: instruction requires reference type but label has " + str_valtype(t1),
            ins.offset,
        )
    v.pop((*ts0, RefType(True, t1.heap)), ins)
    v.vals.extend(ts0)


def _diff(rt1: RefType, rt2: RefType) -> RefType:
    return RefType(False, rt1.heap) if rt2.nullable else rt1


@handler("br_on_cast", "br_on_cast_fail")
def _br_on_cast(v: Checker, ins: Instr) -> None:
    _, rt1, rt2 = ins.imm
    rt1 = _reftype(v, rt1, ins.offset)
    rt2 = _reftype(v, rt2, ins.offset)
    if not match_valtype(rt2, rt1):
        raise InvalidError(
            f"type mismatch on cast: type {str_valtype(rt2)} does not match {str_valtype(rt1)}",
            ins.offset,
        )
    on_fail = ins.op == "br_on_cast_fail"
    branch_t = _diff(rt1, rt2) if on_fail else rt2
    what = "type " + str_valtype(branch_t)
    ts0, t1 = _split_label(v, ins, what)
    if not match_valtype(branch_t, t1):
        raise InvalidError(
            f"type mismatch: instruction requires {what} but label has {str_results((*ts0, t1))}",
            ins.offset,
        )
    v.pop((*ts0, rt1), ins)
    v.vals.extend(ts0)
    v.vals.append(rt2 if on_fail else _diff(rt1, rt2))


# --- structures (spec 3.4.4, GC) ------------------------------------------------------------


def _str_field(ft: FieldType) -> str:
    s = ft.storage if isinstance(ft.storage, str) else str_valtype(ft.storage)
    return f"(mut {s})" if ft.mutable else s


@handler("struct.new", "struct.new_default")
def _struct_new(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    fields = v.ctx.struct_type(x, ins.offset).fields
    if ins.op == "struct.new":
        v.pop(tuple(unpacked(f.storage) for f in fields), ins)
    elif not all(defaultable(unpacked(f.storage)) for f in fields):
        raise InvalidError("field type is not defaultable", ins.offset)
    v.vals.append(v.ctx.ref_to(x, False))


def _field(v: Checker, ins: Instr) -> FieldType:
    x, i = ins.imm
    fields = v.ctx.struct_type(x, ins.offset).fields
    if not 0 <= i < len(fields):
        raise InvalidError(f"unknown field {i}", ins.offset)
    return fields[i]


@handler("struct.get", "struct.get_s", "struct.get_u")
def _struct_get(v: Checker, ins: Instr) -> None:
    ft = _field(v, ins)
    packed = ft.storage in ("i8", "i16")
    if packed != (ins.op != "struct.get"):
        raise InvalidError("field is " + ("packed" if packed else "unpacked"), ins.offset)
    v.pop1(v.ctx.ref_to(ins.imm[0], True), ins)
    v.vals.append(unpacked(ft.storage))


@handler("struct.set")
def _struct_set(v: Checker, ins: Instr) -> None:
    ft = _field(v, ins)
    if not ft.mutable:
        raise InvalidError("immutable field", ins.offset)
    v.pop((v.ctx.ref_to(ins.imm[0], True), unpacked(ft.storage)), ins)


# --- arrays (spec 3.4.4, GC) ----------------------------------------------------------------


@handler("array.new", "array.new_default")
def _array_new(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    t = unpacked(v.ctx.array_type(x, ins.offset).field.storage)
    if ins.op == "array.new":
        v.pop((t, I32), ins)
    else:
        if not defaultable(t):
            raise InvalidError("array type is not defaultable", ins.offset)
        v.pop1(I32, ins)
    v.vals.append(v.ctx.ref_to(x, False))


@handler("array.new_fixed")
def _array_new_fixed(v: Checker, ins: Instr) -> None:
    x, n = ins.imm
    t = unpacked(v.ctx.array_type(x, ins.offset).field.storage)
    v.pop_same(t, n, ins)
    v.vals.append(v.ctx.ref_to(x, False))


def _check_elem_field(v: Checker, ins: Instr, ft: FieldType, rt: RefType) -> None:
    if not match_valtype(rt, unpacked(ft.storage)):
        raise InvalidError(
            f"type mismatch: element segment's type {str_valtype(rt)} does not match "
            f"array's field type {_str_field(ft)}",
            ins.offset,
        )


def _check_numeric(ins: Instr, ft: FieldType) -> None:
    if unpacked(ft.storage) not in _NUM_VEC:
        raise InvalidError("array type is not numeric or vector", ins.offset)


@handler("array.new_elem")
def _array_new_elem(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    ft = v.ctx.array_type(x, ins.offset).field
    _check_elem_field(v, ins, ft, v.ctx.elem(y, ins.offset))
    v.pop((I32, I32), ins)
    v.vals.append(v.ctx.ref_to(x, False))


@handler("array.new_data")
def _array_new_data(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    ft = v.ctx.array_type(x, ins.offset).field
    v.ctx.data(y, ins.offset)
    _check_numeric(ins, ft)
    v.pop((I32, I32), ins)
    v.vals.append(v.ctx.ref_to(x, False))


@handler("array.get", "array.get_s", "array.get_u")
def _array_get(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    st = v.ctx.array_type(x, ins.offset).field.storage
    packed = st in ("i8", "i16")
    if packed != (ins.op != "array.get"):
        raise InvalidError("array is " + ("packed" if packed else "unpacked"), ins.offset)
    v.pop((v.ctx.ref_to(x, True), I32), ins)
    v.vals.append(unpacked(st))


def _mutable_array(v: Checker, ins: Instr, x: int) -> FieldType:
    ft: FieldType = v.ctx.array_type(x, ins.offset).field
    if not ft.mutable:
        raise InvalidError("immutable array", ins.offset)
    return ft


@handler("array.set")
def _array_set(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    ft = _mutable_array(v, ins, x)
    v.pop((v.ctx.ref_to(x, True), I32, unpacked(ft.storage)), ins)


@handler("array.len")
def _array_len(v: Checker, ins: Instr) -> None:
    v.pop1(ARRAYREF, ins)
    v.vals.append(I32)


@handler("array.copy")
def _array_copy(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    fd = v.ctx.array_type(x, ins.offset).field
    fs = v.ctx.array_type(y, ins.offset).field
    if not fd.mutable:
        raise InvalidError("immutable array", ins.offset)
    if not match_storagetype(fs.storage, fd.storage):
        raise InvalidError("array types do not match", ins.offset)
    v.pop((v.ctx.ref_to(x, True), I32, v.ctx.ref_to(y, True), I32, I32), ins)


@handler("array.fill")
def _array_fill(v: Checker, ins: Instr) -> None:
    x = ins.imm[0]
    ft = _mutable_array(v, ins, x)
    v.pop((v.ctx.ref_to(x, True), I32, unpacked(ft.storage), I32), ins)


@handler("array.init_data")
def _array_init_data(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    ft = _mutable_array(v, ins, x)
    v.ctx.data(y, ins.offset)
    _check_numeric(ins, ft)
    v.pop((v.ctx.ref_to(x, True), I32, I32, I32), ins)


@handler("array.init_elem")
def _array_init_elem(v: Checker, ins: Instr) -> None:
    x, y = ins.imm
    ft = _mutable_array(v, ins, x)
    _check_elem_field(v, ins, ft, v.ctx.elem(y, ins.offset))
    v.pop((v.ctx.ref_to(x, True), I32, I32, I32), ins)
