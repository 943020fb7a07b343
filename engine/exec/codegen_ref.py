"""Code generation for tables (spec 4.4.6), references and casts (4.4.5), GC aggregates and
exception handling (``throw``, ``throw_ref``, ``try_table``)."""

from __future__ import annotations

from typing import Any

from engine.runtime.const import field_default
from engine.syntax.ast import Instr
from engine.syntax.types import ArrayType, FieldType, RefType, StructType

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF
_PACK = {"i8": "({} & 0xFF)", "i16": "({} & 0xFFFF)"}
_BITS = {"i8": 8, "i16": 16}


def _pack(ft: FieldType, v: str) -> str:
    t = _PACK.get(ft.storage) if isinstance(ft.storage, str) else None
    return t.format(v) if t else v


def handle(c: Any, ins: Instr) -> bool:
    op = ins.op
    h = _HANDLERS.get(op)
    if h is None:
        return False
    h(c, ins)
    return True


# --- tables ---------------------------------------------------------------------------------


def _table(c: Any, x: int) -> str:
    return str(c.name_of(c.inst.tables[x], "T"))


def _table_get(c: Any, ins: Instr) -> None:
    i = c.pop_expr()
    c.push_stmt(f"_table_get({_table(c, ins.imm[0])}, {i})")


def _table_set(c: Any, ins: Instr) -> None:
    v, i = c.pop_expr(), c.pop_expr()
    c.emit(f"_table_set({_table(c, ins.imm[0])}, {i}, {v})")


def _table_size(c: Any, ins: Instr) -> None:
    c.push_stmt(f"len({_table(c, ins.imm[0])}.elements)")


def _table_grow(c: Any, ins: Instr) -> None:
    t = c.inst.tables[ins.imm[0]]
    mask = M64 if t.type.address == "i64" else M32
    n, v = c.pop_expr(), c.pop_expr()
    c.push_stmt(f"_table_grow({_table(c, ins.imm[0])}, {v}, {n}, {mask})")


def _table_fill(c: Any, ins: Instr) -> None:
    n, v, i = c.pop_expr(), c.pop_expr(), c.pop_expr()
    c.emit(f"_table_fill({_table(c, ins.imm[0])}, {i}, {v}, {n})")


def _table_copy(c: Any, ins: Instr) -> None:
    dst, src = ins.imm
    n, s, d = c.pop_expr(), c.pop_expr(), c.pop_expr()
    c.emit(f"_table_copy({_table(c, dst)}, {_table(c, src)}, {d}, {s}, {n})")


def _table_init(c: Any, ins: Instr) -> None:
    x, y = ins.imm
    n, s, d = c.pop_expr(), c.pop_expr(), c.pop_expr()
    seg = c.name_of(c.inst.elems[y], "E")
    c.emit(f"_table_init({_table(c, x)}, {seg}, {d}, {s}, {n})")


def _elem_drop(c: Any, ins: Instr) -> None:
    c.emit(f"{c.name_of(c.inst.elems[ins.imm[0]], 'E')}.elements = []")


# --- references -----------------------------------------------------------------------------


def _ref_null(c: Any, ins: Instr) -> None:
    c.push("None")


def _ref_is_null(c: Any, ins: Instr) -> None:
    e, d = c.pop()
    c.push(f"(1 if {e} is None else 0)", d)


def _ref_func(c: Any, ins: Instr) -> None:
    c.push(c.name_of(c.inst.funcs[ins.imm[0]], "F"))


def _ref_eq(c: Any, ins: Instr) -> None:
    b, a = c.pop_expr(), c.pop_expr()
    c.push_stmt(f"_ref_eq({a}, {b})")


def _ref_as_non_null(c: Any, ins: Instr) -> None:
    c.push_stmt(f"_as_non_null({c.pop_expr()})")


def _ref_i31(c: Any, ins: Instr) -> None:
    c.push_stmt(f"_I31({c.pop_expr()})")


def _i31_get(c: Any, ins: Instr) -> None:
    c.push_stmt(f"_i31_get({c.pop_expr()}, {ins.op == 'i31.get_s'})")


def _convert(c: Any, ins: Instr) -> None:
    fn = "_any_convert_extern" if ins.op == "any.convert_extern" else "_extern_convert_any"
    c.push_stmt(f"{fn}({c.pop_expr()})")


def resolve_rt(c: Any, rt: RefType) -> RefType:
    if isinstance(rt.heap, int):
        return RefType(rt.nullable, c.inst.types[rt.heap])
    return rt


def _ref_test(c: Any, ins: Instr) -> None:
    rt = resolve_rt(c, ins.imm[0])
    c.push_stmt(f"(1 if {c.mc.ref_test(rt)}({c.pop_expr()}) else 0)")


def _ref_cast(c: Any, ins: Instr) -> None:
    rt = resolve_rt(c, ins.imm[0])
    c.push_stmt(f"{c.mc.ref_cast(rt)}({c.pop_expr()})")


def _br_on_null(c: Any, ins: Instr) -> None:
    c.simple_top()
    entry = c.pop()
    c.cond_branch(f"{entry[0]} is None", ins.imm[0])
    c.stack.append(entry)


def _br_on_non_null(c: Any, ins: Instr) -> None:
    x = c.simple_top()
    c.cond_branch(f"{x} is not None", ins.imm[0])
    c.pop()


def _br_on_cast(c: Any, ins: Instr) -> None:
    label, _rt1, rt2 = ins.imm
    test = c.mc.ref_test(resolve_rt(c, rt2))
    x = c.simple_top()
    neg = "not " if ins.op == "br_on_cast_fail" else ""
    c.cond_branch(f"{neg}{test}({x})", label)


# --- aggregates -----------------------------------------------------------------------------


def _dt(c: Any, x: int) -> str:
    return str(c.name_of(c.inst.types[x], "DT"))


def _struct_new(c: Any, ins: Instr) -> None:
    x = ins.imm[0]
    st: StructType = c.inst.types[x].comp
    if ins.op == "struct.new_default":
        vals = [repr(field_default(f)) for f in st.fields]
    else:
        args = c.pop_n(len(st.fields))
        vals = [_pack(f, a) for f, a in zip(st.fields, args)]
    c.push_stmt(f"_Struct({_dt(c, x)}, [{', '.join(vals)}])")


def _struct_get(c: Any, ins: Instr) -> None:
    x, i = ins.imm
    st: StructType = c.inst.types[x].comp
    s = c.pop_expr()
    if ins.op == "struct.get_s":
        c.push_stmt(f"_struct_get_s({s}, {i}, {_BITS[st.fields[i].storage]})")  # type: ignore[index]
    else:
        c.push_stmt(f"_struct_get({s}, {i})")


def _struct_set(c: Any, ins: Instr) -> None:
    x, i = ins.imm
    st: StructType = c.inst.types[x].comp
    v, s = c.pop_expr(), c.pop_expr()
    c.emit(f"_struct_set({s}, {i}, {_pack(st.fields[i], v)})")


def _array_new(c: Any, ins: Instr) -> None:
    op = ins.op
    x = ins.imm[0]
    at: ArrayType = c.inst.types[x].comp
    dt = _dt(c, x)
    if op == "array.new":
        n, v = c.pop_expr(), c.pop_expr()
        c.push_stmt(f"_array_new({dt}, {_pack(at.field, v)}, {n})")
    elif op == "array.new_default":
        c.push_stmt(f"_array_new_default({dt}, {c.pop_expr()})")
    elif op == "array.new_fixed":
        args = c.pop_n(ins.imm[1])
        vals = [_pack(at.field, a) for a in args]
        c.push_stmt(f"_Array({dt}, [{', '.join(vals)}])")
    elif op == "array.new_data":
        n, s = c.pop_expr(), c.pop_expr()
        seg = c.name_of(c.inst.datas[ins.imm[1]], "D")
        c.push_stmt(f"_array_new_data({dt}, {seg}, {s}, {n})")
    else:
        n, s = c.pop_expr(), c.pop_expr()
        seg = c.name_of(c.inst.elems[ins.imm[1]], "E")
        c.push_stmt(f"_array_new_elem({dt}, {seg}, {s}, {n})")


def _array_get(c: Any, ins: Instr) -> None:
    at: ArrayType = c.inst.types[ins.imm[0]].comp
    i, a = c.pop_expr(), c.pop_expr()
    if ins.op == "array.get_s":
        c.push_stmt(f"_array_get_s({a}, {i}, {_BITS[at.field.storage]})")  # type: ignore[index]
    else:
        c.push_stmt(f"_array_get({a}, {i})")


def _array_set(c: Any, ins: Instr) -> None:
    at: ArrayType = c.inst.types[ins.imm[0]].comp
    v, i, a = c.pop_expr(), c.pop_expr(), c.pop_expr()
    c.emit(f"_array_set({a}, {i}, {_pack(at.field, v)})")


def _array_len(c: Any, ins: Instr) -> None:
    c.push_stmt(f"_array_len({c.pop_expr()})")


def _array_fill(c: Any, ins: Instr) -> None:
    at: ArrayType = c.inst.types[ins.imm[0]].comp
    n, v, i, a = c.pop_expr(), c.pop_expr(), c.pop_expr(), c.pop_expr()
    c.emit(f"_array_fill({a}, {i}, {_pack(at.field, v)}, {n})")


def _array_copy(c: Any, ins: Instr) -> None:
    n, s, sa, d, da = (c.pop_expr() for _ in range(5))
    c.emit(f"_array_copy({da}, {d}, {sa}, {s}, {n})")


def _array_init(c: Any, ins: Instr) -> None:
    n, s, d, a = (c.pop_expr() for _ in range(4))
    if ins.op == "array.init_data":
        seg = c.name_of(c.inst.datas[ins.imm[1]], "D")
        c.emit(f"_array_init_data({a}, {seg}, {d}, {s}, {n})")
    else:
        seg = c.name_of(c.inst.elems[ins.imm[1]], "E")
        c.emit(f"_array_init_elem({a}, {seg}, {d}, {s}, {n})")


# --- exceptions -----------------------------------------------------------------------------


def _throw(c: Any, ins: Instr) -> None:
    tag = c.inst.tags[ins.imm[0]]
    n = len(tag.type.comp.params)
    args = c.pop_n(n)
    c.emit(f"_throw({c.name_of(tag, 'TAG')}, [{', '.join(args)}])")
    c.reachable = False


def _throw_ref(c: Any, ins: Instr) -> None:
    c.emit(f"_throw_ref({c.pop_expr()})")
    c.reachable = False


def _try_table(c: Any, ins: Instr) -> None:
    bt, catches, body = ins.imm
    if not catches:
        c.do_block(Instr("block", (bt, body), ins.offset), ins)
        return
    np_, nr = c.blocktype(bt)
    lab = c.open_label(ins, "try_table", np_, nr)
    pyloop = lab.targeted and not lab.guard
    if pyloop:
        c.start_pyloop(lab)
    base = list(c.stack)
    c.emit("try:")
    c.ind += 1
    c.try_depth += 1
    mark = len(c.lines)
    c.block_body(body)
    end = c.finish_arm(nr)
    c.end_body()
    c.try_depth -= 1
    if len(c.lines) == mark:
        c.emit("pass")
    c.ind -= 1
    xn = c.tmp()
    c.emit(f"except _WasmThrow as {xn}:")
    c.ind += 1
    # The catch clauses' labels are relative to the try_table's enclosing block.
    c.labels.pop()
    c.handler_of = lab
    c.stack = list(base[: lab.height])
    c.reachable = True
    if c.has_calls:
        c.emit("S.depth = d")
    c.after_call()
    xe = xn + "e"
    c.emit(f"{xe} = {xn}.exn")
    first = True
    catch_all = False
    for cat in catches:
        if cat.kind in ("catch", "catch_ref"):
            tag = c.inst.tags[cat.tag]
            n = len(tag.type.comp.params)
            c.emit(f"{'if' if first else 'elif'} {xe}.tag is {c.name_of(tag, 'TAG')}:")
            vals = [f"{xe}.fields[{i}]" for i in range(n)]
        else:
            if first:
                c.emit("if True:")
            else:
                c.emit("else:")
            vals = []
            catch_all = True
        if cat.kind.endswith("_ref"):
            vals.append(xe)
        first = False
        c.ind += 1
        c.branch(cat.label, vals)
        c.ind -= 1
        if catch_all:
            break
    if not catch_all:
        if not first:
            c.emit("else:")
            c.ind += 1
        c.emit("raise")
        if not first:
            c.ind -= 1
    c.ind -= 1
    c.handler_of = None
    c.labels.append(lab)
    c.stack = base
    c.reachable = end
    if pyloop:
        c.end_pyloop(lab)
    c.end_guard_label(lab)
    c.close_label(lab, nr, end)
    c.after_construct(lab)


_HANDLERS = {
    "table.get": _table_get,
    "table.set": _table_set,
    "table.size": _table_size,
    "table.grow": _table_grow,
    "table.fill": _table_fill,
    "table.copy": _table_copy,
    "table.init": _table_init,
    "elem.drop": _elem_drop,
    "ref.null": _ref_null,
    "ref.is_null": _ref_is_null,
    "ref.func": _ref_func,
    "ref.eq": _ref_eq,
    "ref.as_non_null": _ref_as_non_null,
    "ref.i31": _ref_i31,
    "i31.get_s": _i31_get,
    "i31.get_u": _i31_get,
    "any.convert_extern": _convert,
    "extern.convert_any": _convert,
    "ref.test": _ref_test,
    "ref.cast": _ref_cast,
    "br_on_null": _br_on_null,
    "br_on_non_null": _br_on_non_null,
    "br_on_cast": _br_on_cast,
    "br_on_cast_fail": _br_on_cast,
    "struct.new": _struct_new,
    "struct.new_default": _struct_new,
    "struct.get": _struct_get,
    "struct.get_s": _struct_get,
    "struct.get_u": _struct_get,
    "struct.set": _struct_set,
    "array.new": _array_new,
    "array.new_default": _array_new,
    "array.new_fixed": _array_new,
    "array.new_data": _array_new,
    "array.new_elem": _array_new,
    "array.get": _array_get,
    "array.get_s": _array_get,
    "array.get_u": _array_get,
    "array.set": _array_set,
    "array.len": _array_len,
    "array.fill": _array_fill,
    "array.copy": _array_copy,
    "array.init_data": _array_init,
    "array.init_elem": _array_init,
    "throw": _throw,
    "throw_ref": _throw_ref,
    "try_table": _try_table,
}
