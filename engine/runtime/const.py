"""Evaluation of constant expressions (spec 3.3.10 "constant expressions", 4.4.10).

Constant expressions initialise globals, tables and segments, and give active segments their
offsets.  The validator has already restricted them to the constant instructions, so a small
stack machine over the instruction list is all that is needed; it never enters the execution
tier, which keeps instantiation independent of how code is compiled.
"""

from __future__ import annotations

from typing import Any

from engine.errors import Trap
from engine.runtime.instances import I31, ArrayInst, HostRef, ModuleInst, StructInst
from engine.runtime.values import MASK32, MASK64, default_value, f32_from_bits, f64_from_bits
from engine.syntax.ast import Instr
from engine.syntax.types import ArrayType, FieldType, StructType

# Arrays built by a constant expression are bounded so that bad input cannot exhaust memory.
MAX_CONST_ARRAY = 10_000_000

_PACK_MASK = {"i8": 0xFF, "i16": 0xFFFF}


def pack_field(ft: FieldType, v: Any) -> Any:
    """Store a value into a field: packed fields keep only their low bits (spec 4.2.12)."""
    mask = _PACK_MASK.get(ft.storage) if isinstance(ft.storage, str) else None
    return v & mask if mask is not None else v


def field_default(ft: FieldType) -> Any:
    if isinstance(ft.storage, str) and ft.storage in _PACK_MASK:
        return 0
    return default_value(ft.storage)


def internalize(v: Any) -> Any:
    """``any.convert_extern``: unbox an internal reference that was made external."""
    return v.ref if isinstance(v, HostRef) else v


def externalize(v: Any) -> Any:
    """``extern.convert_any``: box internal references; host values pass through."""
    if isinstance(v, (I31, StructInst, ArrayInst)):
        return HostRef(v)
    return v


def eval_const(inst: ModuleInst, expr: list[Instr]) -> Any:
    """Run a constant expression in the (partially built) instance; return its value."""
    stack: list[Any] = []
    push = stack.append
    pop = stack.pop
    for ins in expr:
        op = ins.op
        imm = ins.imm
        if op == "i32.const" or op == "i64.const" or op == "v128.const":
            push(imm[0])
        elif op == "f32.const":
            push(f32_from_bits(imm[0]))
        elif op == "f64.const":
            push(f64_from_bits(imm[0]))
        elif op == "global.get":
            push(inst.globals[imm[0]].value)
        elif op == "ref.null":
            push(None)
        elif op == "ref.func":
            push(inst.funcs[imm[0]])
        elif op == "ref.i31":
            push(I31(pop()))
        elif op in _BINOPS:
            b = pop()
            a = pop()
            push(_BINOPS[op](a, b))
        elif op == "any.convert_extern":
            push(internalize(pop()))
        elif op == "extern.convert_any":
            push(externalize(pop()))
        elif op.startswith("struct.") or op.startswith("array."):
            _eval_aggregate(inst, ins, stack)
        else:
            # The validator admits only constant instructions; reaching this is a bug upstream.
            raise Trap(f"non-constant instruction in constant expression: {op}")
    if len(stack) != 1:
        raise Trap("wrong number of results on stack")
    return stack[0]


_BINOPS = {
    "i32.add": lambda a, b: (a + b) & MASK32,
    "i32.sub": lambda a, b: (a - b) & MASK32,
    "i32.mul": lambda a, b: (a * b) & MASK32,
    "i64.add": lambda a, b: (a + b) & MASK64,
    "i64.sub": lambda a, b: (a - b) & MASK64,
    "i64.mul": lambda a, b: (a * b) & MASK64,
}


def _eval_aggregate(inst: ModuleInst, ins: Instr, stack: list[Any]) -> None:
    op = ins.op
    dt = inst.types[ins.imm[0]]
    comp = dt.comp
    if op == "struct.new":
        assert isinstance(comp, StructType)
        n = len(comp.fields)
        args = stack[len(stack) - n :] if n else []
        del stack[len(stack) - n :]
        stack.append(StructInst(dt, [pack_field(f, v) for f, v in zip(comp.fields, args)]))
    elif op == "struct.new_default":
        assert isinstance(comp, StructType)
        stack.append(StructInst(dt, [field_default(f) for f in comp.fields]))
    elif op == "array.new":
        assert isinstance(comp, ArrayType)
        n = stack.pop()
        v = stack.pop()
        _check_len(n)
        stack.append(ArrayInst(dt, [pack_field(comp.field, v)] * n))
    elif op == "array.new_default":
        assert isinstance(comp, ArrayType)
        n = stack.pop()
        _check_len(n)
        stack.append(ArrayInst(dt, [field_default(comp.field)] * n))
    elif op == "array.new_fixed":
        assert isinstance(comp, ArrayType)
        n = ins.imm[1]
        args = stack[len(stack) - n :] if n else []
        del stack[len(stack) - n :]
        stack.append(ArrayInst(dt, [pack_field(comp.field, v) for v in args]))
    else:
        raise Trap(f"non-constant instruction in constant expression: {op}")


def _check_len(n: int) -> None:
    if n > MAX_CONST_ARRAY:
        raise Trap("out of memory")
