"""Module encoding (spec chapter 5): the module AST to canonical bytes.

Canonical means minimal LEB128s, no empty sections, and the shortest element segment form.
``decode_module(encode_module(m)) == m`` for every module, and ``encode_module(decode_module(b))
== b`` for canonically encoded ``b``, custom sections included (each is written after the
standard section its ``after`` names).
"""

from __future__ import annotations

from engine.binary.instrs import DATA_OPS as DATA_OPS_SET
from engine.binary.reader import HEAP_BYTES, NUM_BYTES, PACKED_BYTES, REF_NONNULL, REF_NULL
from engine.binary.sections import MAGIC, SECTION_ORDER, VERSION
from engine.gcpause import paused_gc
from engine.syntax.ast import Active, Catch, Data, Elem, Expr, Func, Instr, Module, Names, Table
from engine.syntax.opcodes import OPCODES
from engine.syntax.types import (
    ArrayType,
    FieldType,
    FuncImportType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    SubType,
    TableType,
    TagType,
)

# --- Integers --------------------------------------------------------------------------------


def u(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def s(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


_U_SMALL = [bytes([i]) for i in range(0x80)]


def _signed(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def name(text: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    return u(len(raw)) + raw


def vec(items: list[bytes]) -> bytes:
    return u(len(items)) + b"".join(items)


# --- Types -----------------------------------------------------------------------------------


def heaptype(h: object) -> bytes:
    if isinstance(h, int):
        return s(h)
    if isinstance(h, str):
        return bytes([HEAP_BYTES[h]])
    raise TypeError(f"heap type {h!r} has no binary encoding")


def valtype(t: object) -> bytes:
    if isinstance(t, str):
        code = NUM_BYTES.get(t)
        if code is None:
            code = PACKED_BYTES[t]
        return bytes([code])
    assert isinstance(t, RefType)
    if t.nullable and isinstance(t.heap, str):
        return bytes([HEAP_BYTES[t.heap]])
    return bytes([REF_NULL if t.nullable else REF_NONNULL]) + heaptype(t.heap)


def blocktype(bt: object) -> bytes:
    if bt is None:
        return b"\x40"
    if isinstance(bt, int):
        return s(bt)
    return valtype(bt)


def fieldtype(f: FieldType) -> bytes:
    return valtype(f.storage) + (b"\x01" if f.mutable else b"\x00")


def comptype(c: object) -> bytes:
    if isinstance(c, FuncType):
        return b"\x60" + vec([valtype(t) for t in c.params]) + vec([valtype(t) for t in c.results])
    if isinstance(c, StructType):
        return b"\x5f" + vec([fieldtype(f) for f in c.fields])
    assert isinstance(c, ArrayType)
    return b"\x5e" + fieldtype(c.field)


def subtype(st: SubType) -> bytes:
    if st.final and not st.supers:
        return comptype(st.comp)
    head = b"\x4f" if st.final else b"\x50"
    return head + vec([u(x) for x in st.supers]) + comptype(st.comp)


def rectype(rt: RecType) -> bytes:
    if len(rt.subtypes) == 1:
        return subtype(rt.subtypes[0])
    return b"\x4e" + vec([subtype(st) for st in rt.subtypes])


def limits(lim: Limits, shared: bool, address: str) -> bytes:
    flags = (1 if lim.max is not None else 0) | (2 if shared else 0)
    flags |= 4 if address == "i64" else 0
    out = bytes([flags]) + u(lim.min)
    return out + u(lim.max) if lim.max is not None else out


def memorytype(mt: MemoryType) -> bytes:
    return limits(mt.limits, mt.shared, mt.address)


def tabletype(tt: TableType) -> bytes:
    return valtype(tt.elem) + limits(tt.limits, False, tt.address)


def globaltype(gt: GlobalType) -> bytes:
    return valtype(gt.type) + (b"\x01" if gt.mutable else b"\x00")


def externtype(desc: object) -> bytes:
    if isinstance(desc, FuncImportType):
        return b"\x00" + u(desc.type_index)
    if isinstance(desc, TableType):
        return b"\x01" + tabletype(desc)
    if isinstance(desc, MemoryType):
        return b"\x02" + memorytype(desc)
    if isinstance(desc, GlobalType):
        return b"\x03" + globaltype(desc)
    assert isinstance(desc, TagType)
    return b"\x04\x00" + u(desc.type_index)


# --- Instructions ----------------------------------------------------------------------------


def _opcode_bytes(prefix: int | None, code: int) -> bytes:
    return bytes([code]) if prefix is None else bytes([prefix]) + u(code)


ENC: dict[str, tuple[bytes, str]] = {
    op: (_opcode_bytes(prefix, code), kind) for op, (prefix, code, kind) in OPCODES.items()
}
_SELECT_T = ENC["select_t"][0]
_NULLABLE_OPS = {"ref.test": ENC["ref.test_null"][0], "ref.cast": ENC["ref.cast_null"][0]}
_ONE_IDX = frozenset(
    ("label", "func", "tag", "local", "global", "table", "memory", "data", "elem", "type", "lane")
)
_TWO_IDX = frozenset(
    ("type_field", "type_u32", "type_data", "type_elem", "type_type", "memory_memory")
) | {"table_table"}
_TWO_IDX_SWAPPED = frozenset(("table_type", "memory_data", "table_elem"))
_CATCH_CODES = {"catch": 0, "catch_ref": 1, "catch_all": 2, "catch_all_ref": 3}


def memarg(mem: int, align: int, offset: int) -> bytes:
    if mem:
        return u(align | 0x40) + u(mem) + u(offset)
    return u(align) + u(offset)


def _catch(c: Catch) -> bytes:
    code = _CATCH_CODES[c.kind]
    head = bytes([code]) + (u(c.tag) if c.tag is not None and code < 2 else b"")
    return head + u(c.label)


def _imm(kind: str, imm: tuple) -> bytes:
    if kind == "":
        return b""
    if kind in _ONE_IDX:
        return u(imm[0])
    if kind == "memarg":
        return memarg(*imm)
    if kind in _TWO_IDX:
        return u(imm[0]) + u(imm[1])
    if kind in _TWO_IDX_SWAPPED:
        return u(imm[1]) + u(imm[0])
    if kind == "i32":
        return s(_signed(imm[0], 32))
    if kind == "i64":
        return s(_signed(imm[0], 64))
    if kind == "f32":
        return (imm[0] & 0xFFFFFFFF).to_bytes(4, "little")
    if kind == "f64":
        return (imm[0] & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little")
    if kind == "v128":
        return (imm[0] & ((1 << 128) - 1)).to_bytes(16, "little")
    if kind == "br_table":
        return vec([u(x) for x in imm[0]]) + u(imm[1])
    if kind == "heaptype":
        return heaptype(imm[0])
    if kind == "reftype":
        return heaptype(imm[0].heap)
    if kind == "br_on_cast":
        x, rt1, rt2 = imm
        flags = (1 if rt1.nullable else 0) | (2 if rt2.nullable else 0)
        return bytes([flags]) + u(x) + heaptype(rt1.heap) + heaptype(rt2.heap)
    if kind == "memarg_lane":
        return memarg(imm[0], imm[1], imm[2]) + u(imm[3])
    if kind == "shuffle":
        return b"".join(u(x) for x in imm[0])
    if kind == "fence":
        return b"\x00"
    raise ValueError(f"no binary encoding for immediate kind {kind!r}")


def encode_expr(out: bytearray, body: Expr, flags: list[bool] | None = None) -> None:
    """Append ``body`` and its closing ``end``; nested bodies use an explicit stack.

    ``flags[0]`` is set when the code refers to a data segment."""
    enc = ENC
    stack = [(iter(body), b"\x0b")]
    while stack:
        it, trailer = stack[-1]
        ins: Instr | None = next(it, None)
        if ins is None:
            stack.pop()
            out += trailer
            continue
        op = ins.op
        imm = ins.imm
        code, kind = enc[op]
        if kind == "":
            if op == "select" and imm:
                out += _SELECT_T
                out += vec([valtype(t) for t in imm[0]])
            else:
                out += code
        elif kind == "block":
            out += code
            out += blocktype(imm[0])
            if op == "if" and imm[2]:
                stack.append((iter(imm[2]), b"\x0b"))
                stack.append((iter(imm[1]), b"\x05"))
            else:
                stack.append((iter(imm[1]), b"\x0b"))
        elif kind == "try_table":
            out += code
            out += blocktype(imm[0])
            out += vec([_catch(c) for c in imm[1]])
            stack.append((iter(imm[2]), b"\x0b"))
        else:
            if kind == "reftype" and imm[0].nullable:
                code = _NULLABLE_OPS[op]
            elif flags is not None and op in DATA_OPS_SET:
                flags[0] = True
            out += code
            out += _imm(kind, imm)


def _expr(body: Expr, flags: list[bool] | None = None) -> bytes:
    out = bytearray()
    encode_expr(out, body, flags)
    return bytes(out)


# --- Sections --------------------------------------------------------------------------------


def _table(t: Table, flags: list[bool]) -> bytes:
    if t.init is None:
        return tabletype(t.type)
    return b"\x40\x00" + tabletype(t.type) + _expr(t.init, flags)


_FUNCREF_NONNULL = RefType(False, "func")
_FUNCREF = RefType(True, "func")


def _elem(e: Elem, flags: list[bool]) -> bytes:
    mode = e.mode
    indices = e.type == _FUNCREF_NONNULL and all(
        len(x) == 1 and x[0].op == "ref.func" for x in e.init
    )
    if indices:
        items = vec([u(x[0].imm[0]) for x in e.init])
        if isinstance(mode, Active):
            if mode.index == 0:
                return b"\x00" + _expr(mode.offset) + items
            return b"\x02" + u(mode.index) + _expr(mode.offset) + b"\x00" + items
        return (b"\x01" if mode == "passive" else b"\x03") + b"\x00" + items
    items = vec([_expr(x, flags) for x in e.init])
    if isinstance(mode, Active):
        if mode.index == 0 and e.type == _FUNCREF:
            return b"\x04" + _expr(mode.offset) + items
        return b"\x06" + u(mode.index) + _expr(mode.offset) + valtype(e.type) + items
    return (b"\x05" if mode == "passive" else b"\x07") + valtype(e.type) + items


def _data(d: Data) -> bytes:
    mode = d.mode
    init = u(len(d.init)) + bytes(d.init)
    if isinstance(mode, Active):
        if mode.index == 0:
            return b"\x00" + _expr(mode.offset) + init
        return b"\x02" + u(mode.index) + _expr(mode.offset) + init
    return b"\x01" + init


def _code(f: Func, flags: list[bool]) -> bytes:
    runs: list[bytes] = []
    i = 0
    ls = f.locals
    while i < len(ls):
        j = i
        while j < len(ls) and ls[j] == ls[i]:
            j += 1
        runs.append(u(j - i) + valtype(ls[i]))
        i = j
    out = bytearray(vec(runs))
    encode_expr(out, f.body, flags)
    return u(len(out)) + bytes(out)


def encode_module(module: Module) -> bytes:
    """Encode a module AST to its canonical binary form."""
    with paused_gc():
        return _encode(module)


def _encode(m: Module) -> bytes:
    flags = [False]
    code = [_code(f, flags) for f in m.funcs]
    contents: dict[int, bytes | None] = {
        1: vec([rectype(t) for t in m.types]) if m.types else None,
        2: vec([name(i.module) + name(i.name) + externtype(i.desc) for i in m.imports])
        if m.imports
        else None,
        3: vec([u(f.type_index) for f in m.funcs]) if m.funcs else None,
        4: vec([_table(t, flags) for t in m.tables]) if m.tables else None,
        5: vec([memorytype(t) for t in m.memories]) if m.memories else None,
        13: vec([b"\x00" + u(t.type_index) for t in m.tags]) if m.tags else None,
        6: vec([globaltype(g.type) + _expr(g.init, flags) for g in m.globals])
        if m.globals
        else None,
        7: vec([name(e.name) + bytes([_EXPORT_CODES[e.kind]]) + u(e.index) for e in m.exports])
        if m.exports
        else None,
        8: u(m.start) if m.start is not None else None,
        9: vec([_elem(e, flags) for e in m.elems]) if m.elems else None,
        10: vec(code) if code else None,
        11: vec([_data(d) for d in m.datas]) if m.datas else None,
    }
    if m.data_count is not None:
        contents[12] = u(m.data_count)
    elif flags[0]:
        contents[12] = u(len(m.datas))
    else:
        contents[12] = None
    out = bytearray(MAGIC + VERSION)
    placed = {0, *SECTION_ORDER}
    _customs(out, m, lambda c: c.after == 0)
    for sid in SECTION_ORDER:
        body = contents[sid]
        if body is None and sid not in (8, 12) and any(c.after == sid for c in m.customs):
            # An empty section keeps the custom sections that followed it in place.
            body = b"\x00"
        if body is not None:
            out.append(sid)
            out += u(len(body))
            out += body
        _customs(out, m, lambda c, sid=sid: c.after == sid)  # type: ignore[misc]
    _customs(out, m, lambda c: c.after not in placed)
    if not any(c.name == "name" for c in m.customs):
        names = _name_section(m.names)
        if names:
            body = name("name") + names
            out.append(0)
            out += u(len(body))
            out += body
    return bytes(out)


def _name_map(entries: dict[int, str]) -> bytes:
    return vec([u(i) + name(entries[i]) for i in sorted(entries)])


def _name_section(names: Names) -> bytes:
    """The ``name`` custom section (appendix 7.4) for a module whose names came from text
    identifiers, so that traps of an encoded text module still name their functions."""
    out = bytearray()
    subsections = (
        (0, name(names.module) if names.module is not None else b""),
        (1, _name_map(names.funcs) if names.funcs else b""),
        (
            2,
            vec([u(f) + _name_map(names.locals[f]) for f in sorted(names.locals)])
            if names.locals
            else b"",
        ),
    )
    for sid, body in subsections:
        if body:
            out.append(sid)
            out += u(len(body))
            out += body
    return bytes(out)


_EXPORT_CODES = {"func": 0, "table": 1, "memory": 2, "global": 3, "tag": 4}


def _customs(out: bytearray, m: Module, pick) -> None:  # type: ignore[no-untyped-def]
    for c in m.customs:
        if pick(c):
            body = name(c.name) + bytes(c.data)
            out.append(0)
            out += u(len(body))
            out += body
