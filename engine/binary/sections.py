"""Module decoding (spec 5.5), mirroring decode.ml's ``module_``: sections in their fixed
order, custom sections anywhere between them, and the checks made after the last section."""

from __future__ import annotations

import gc

from engine.binary.instrs import DecodedInstr, decode_expr, small_index
from engine.binary.reader import (
    UNEXPECTED_END,
    eos,
    read_bytes,
    read_globaltype,
    read_len,
    read_memorytype,
    read_name,
    read_rectype,
    read_reftype,
    read_tabletype,
    read_typeidx,
    read_u32,
    read_valtype,
)
from engine.errors import MalformedError
from engine.gcpause import paused_gc
from engine.syntax.ast import (
    Active,
    Custom,
    Data,
    Elem,
    Export,
    Expr,
    Func,
    Global,
    Import,
    Instr,
    Module,
    Names,
    SegmentMode,
    Table,
)
from engine.syntax.types import (
    ExternType,
    FuncImportType,
    GlobalType,
    RefType,
    TagType,
    ValType,
)

MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"

# Standard sections in the order the binary format requires them (tags sit after memories).
SECTION_ORDER = (1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11)

EXPORT_KINDS = ("func", "table", "memory", "global", "tag")

# An implementation limit, as in the JS API (and V8): a function body may declare at most
# this many locals.  It also bounds the memory a short input can make the decoder allocate.
MAX_LOCALS = 50000
# Declared locals are run-length encoded but the AST lists them one by one, so a few bytes
# can stand for 50000 locals.  Across a module they may not outnumber its bytes 8 to 1, which
# no compiler comes near, and which keeps memory proportional to the input.
LOCALS_PER_BYTE = 8

FUNCREF_NONNULL = RefType(False, "func")
FUNCREF = RefType(True, "func")
# Global types are immutable: the number-typed ones, by type byte 0x7c + i and mutability.
_NUM_GLOBALTYPES = [
    (GlobalType(t, False), GlobalType(t, True)) for t in ("f64", "f32", "i64", "i32")
]


class _Decoder:
    __slots__ = ("data", "uses_data", "locals_left")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.uses_data = [False]
        self.locals_left = MAX_LOCALS + LOCALS_PER_BYTE * len(data)

    def vec(self, p: int, item):  # type: ignore[no-untyped-def]
        n, p = read_len(self.data, p)
        out = []
        for _ in range(n):
            x, p = item(p)
            out.append(x)
        return out, p

    def const(self, p: int) -> tuple[Expr, int]:
        # Only function bodies make the data count section mandatory (decode.ml, Free.func).
        return decode_expr(self.data, p, [False])

    # --- one entry of each section ---------------------------------------------------

    def rectype(self, p: int):  # type: ignore[no-untyped-def]
        return read_rectype(self.data, p)

    def import_(self, p: int) -> tuple[Import, int]:
        data = self.data
        module, p = read_name(data, p)
        name, p = read_name(data, p)
        kind = data[p]
        p += 1
        desc: ExternType
        if kind == 0:
            x, p = read_typeidx(data, p)
            desc = FuncImportType(x)
        elif kind == 1:
            desc, p = read_tabletype(data, p)
        elif kind == 2:
            desc, p = read_memorytype(data, p)
        elif kind == 3:
            desc, p = read_globaltype(data, p)
        elif kind == 4:
            desc, p = self.tagtype(p)
        else:
            raise MalformedError("malformed import kind", p - 1)
        return Import(module, name, desc), p

    def tagtype(self, p: int) -> tuple[TagType, int]:
        data = self.data
        if data[p] != 0:
            raise MalformedError("zero byte expected", p)
        x, p = read_typeidx(data, p + 1)
        return TagType(x), p

    def funcidx(self, p: int) -> tuple[int, int]:
        return read_u32(self.data, p)

    def table(self, p: int) -> tuple[Table, int]:
        data = self.data
        if data[p] == 0x40:
            try:
                if data[p + 1] != 0:
                    raise MalformedError("zero byte expected", p + 1)
                tt, q = read_tabletype(data, p + 2)
                init, q = self.const(q)
                return Table(tt, init), q
            except (MalformedError, IndexError):
                pass
        tt, p = read_tabletype(data, p)
        return Table(tt), p

    def memory(self, p: int):  # type: ignore[no-untyped-def]
        return read_memorytype(self.data, p)

    def global_(self, p: int) -> tuple[Global, int]:
        data = self.data
        # A number-typed global initialised by a one-byte non-negative i32.const, inline.
        t = data[p]
        if 0x7C <= t <= 0x7F and data[p + 1] < 2 and data[p + 2] == 0x41:
            if data[p + 3] < 0x40 and data[p + 4] == 0x0B:
                ins = DecodedInstr()
                ins.op = "i32.const"
                ins.imm = small_index[data[p + 3]]
                ins.offset = p + 2
                return Global(_NUM_GLOBALTYPES[t - 0x7C][data[p + 1]], [ins]), p + 5
        gt, p = read_globaltype(data, p)
        init, p = self.const(p)
        return Global(gt, init), p

    def export(self, p: int) -> tuple[Export, int]:
        data = self.data
        name, p = read_name(data, p)
        kind = data[p]
        if kind > 4:
            raise MalformedError("malformed export kind", p)
        x, p = read_u32(data, p + 1)
        return Export(name, EXPORT_KINDS[kind], x), p

    def active(self, p: int, explicit: bool) -> tuple[Active, int]:
        x = 0
        if explicit:
            x, p = read_u32(self.data, p)
        offset, p = self.const(p)
        return Active(x, offset), p

    def elem_index(self, p: int) -> tuple[Expr, int]:
        x, q = read_u32(self.data, p)
        return [Instr("ref.func", (x,), p)], q

    def elem(self, p: int) -> tuple[Elem, int]:
        data = self.data
        flags, p = read_u32(data, p)
        if flags > 7:
            raise MalformedError("malformed elements segment kind", p - 1)
        mode: SegmentMode
        if flags & 1:
            mode = "declarative" if flags & 2 else "passive"
        else:
            mode, p = self.active(p, bool(flags & 2))
        rt: RefType
        if flags & 4:
            if flags == 4:
                rt = FUNCREF
            else:
                rt, p = read_reftype(data, p)
            init, p = self.vec(p, self.const)
        else:
            if flags != 0:
                if data[p] != 0:
                    raise MalformedError("malformed element kind", p)
                p += 1
            rt = FUNCREF_NONNULL
            init, p = self.vec(p, self.elem_index)
        return Elem(rt, init, mode), p

    def elems(self, p: int) -> tuple[list[Elem], int]:
        """The element section.  Segments of the most common shape (flags 0, offset a one-byte
        non-negative ``i32.const``, no more than 127 function indices of one or two bytes) are
        read inline; any other segment goes through ``elem``.  Modules at the JS embedding's
        limit have ten million segments, where the generic reader's calls dominate."""
        data = self.data
        n, p = read_len(data, p)
        out: list[Elem] = []
        append = out.append
        new = object.__new__
        I = DecodedInstr  # noqa: E741
        one = small_index
        nonnull = FUNCREF_NONNULL
        elem = self.elem
        for _ in range(n):
            if data[p] == 0 and data[p + 1] == 0x41 and data[p + 2] < 0x40 and data[p + 3] == 0x0B:
                k = data[p + 4]
                if k < 0x80 and k <= len(data) - p - 4:
                    ins = I()
                    ins.op = "i32.const"
                    ins.imm = one[data[p + 2]]
                    ins.offset = p + 1
                    q = p + 5
                    init: list[Expr] = []
                    for _ in range(k):
                        x = data[q]
                        if x >= 0x80:
                            break
                        ref = I()
                        ref.op = "ref.func"
                        ref.imm = one[x]
                        ref.offset = q
                        init.append([ref])
                        q += 1
                    else:
                        mode = new(Active)
                        mode.index = 0
                        mode.offset = [ins]
                        e = new(Elem)
                        e.type = nonnull
                        e.init = init
                        e.mode = mode
                        append(e)
                        p = q
                        continue
            e, p = elem(p)
            append(e)
        return out, p

    def data_(self, p: int) -> tuple[Data, int]:
        flags, p = read_u32(self.data, p)
        mode: SegmentMode
        if flags == 1:
            mode = "passive"
        elif flags == 0 or flags == 2:
            mode, p = self.active(p, flags == 2)
        else:
            raise MalformedError("malformed data segment kind", p - 1)
        init, p = read_bytes(self.data, p)
        return Data(init, mode), p

    def code(self, p: int) -> tuple[Func, int]:
        data = self.data
        offset = p
        size, p = read_len(data, p)
        start = p
        n, p = read_len(data, p)
        groups: list[tuple[int, ValType]] = []
        total = 0
        for _ in range(n):
            count, p = read_u32(data, p)
            t, p = read_valtype(data, p)
            groups.append((count, t))
            total += count
        if total >= 1 << 32:
            raise MalformedError("too many locals", start)
        if total > MAX_LOCALS or total > self.locals_left:
            raise MalformedError("too many locals", start)
        self.locals_left -= total
        local_types: list[ValType] = []
        for count, t in groups:
            local_types.extend([t] * count)
        body, p = decode_expr(data, p, self.uses_data)
        if p != start + size:
            raise MalformedError("section size mismatch", start)
        return Func(-1, local_types, body, offset), p

    def custom(self, p: int, size: int, after: int) -> tuple[Custom, int]:
        data = self.data
        start = p
        name, p = read_name(data, p)
        n = size - (p - start)
        if n < 0 or p + n > len(data):
            raise eos(data)
        return Custom(name, data[p : p + n], after), p + n


def decode_module(data: bytes) -> Module:
    """Decode a binary module; every failure is a ``MalformedError`` (spec 5)."""
    data = bytes(data)
    with paused_gc():
        try:
            m = _decode(data)
        except IndexError:
            raise MalformedError(UNEXPECTED_END, len(data)) from None
        if len(data) >= PROMOTE_SIZE:
            _promote_to_oldest()
        return m


# From this size on, a decoded module's objects skip the collector's young generations.
PROMOTE_SIZE = 1 << 16


def _promote_to_oldest() -> None:
    """Move every tracked object to the collector's oldest generation, without a traversal.

    A decoded module is half a million objects per MB of code, none of them in a cycle, and it
    lives as long as its module.  Left in the young generation, the first allocation after the
    pause would make the collector traverse all of them, then again when they are promoted
    from the middle generation: together as long as decoding itself.  Freezing and at once
    unfreezing merges every generation into the oldest (only lists are spliced), where objects
    are examined by full collections only, as they would have been after surviving the young
    ones.  Other young objects are promoted too: a garbage cycle among them waits for the next
    full collection instead of the next young one.
    """
    if gc.get_freeze_count():
        return  # the program froze objects of its own: unfreezing would release them
    gc.freeze()
    gc.unfreeze()


def _decode(data: bytes) -> Module:
    if data[:4] != MAGIC:
        if len(data) < 4:
            raise eos(data)
        raise MalformedError("magic header not detected", 0)
    if data[4:8] != VERSION:
        if len(data) < 8:
            raise eos(data)
        raise MalformedError("unknown binary version", 4)
    d = _Decoder(data)
    m = Module()
    end = len(data)
    p = 8
    last = 0
    func_types: list[int] = []
    bodies: list[Func] = []
    data_count: int | None = None
    readers = {
        1: d.rectype,
        2: d.import_,
        3: d.funcidx,
        4: d.table,
        5: d.memory,
        13: d.tagtype,
        6: d.global_,
        7: d.export,
        9: d.elem,
        10: d.code,
        11: d.data_,
    }
    order = iter(SECTION_ORDER)
    expected = next(order)
    while p < end:
        sid = data[p]
        if sid > 13:
            raise MalformedError("malformed section id", p)
        if sid == 0:
            size, q = read_len(data, p + 1)
            custom, q2 = d.custom(q, size, last)
            if q2 != q + size:
                raise MalformedError("section size mismatch", q)
            m.customs.append(custom)
            p = q2
            continue
        # Skip the slots of absent sections; a section out of order ends the module.
        while expected != sid:
            expected = next(order, None)  # type: ignore[arg-type]
            if expected is None:
                raise MalformedError("unexpected content after last section", p)
        expected = next(order, -1)
        size, q = read_len(data, p + 1)
        if sid == 8:
            start, q2 = read_u32(data, q)
            m.start = start
        elif sid == 12:
            data_count, q2 = read_u32(data, q)
        elif sid == 9:
            m.elems, q2 = d.elems(q)
        else:
            items, q2 = d.vec(q, readers[sid])
            _store(m, sid, items, func_types, bodies)
        if q2 != q + size:
            raise MalformedError("section size mismatch", q)
        last = sid
        p = q2
    if len(func_types) != len(bodies):
        raise MalformedError("function and code section have inconsistent lengths", end)
    if data_count is not None and data_count != len(m.datas):
        raise MalformedError("data count and data section have inconsistent lengths", end)
    if data_count is None and d.uses_data[0]:
        raise MalformedError("data count section required", end)
    for x, f in zip(func_types, bodies):
        f.type_index = x
    m.funcs = bodies
    m.data_count = data_count
    for c in m.customs:
        if c.name == "name":
            m.names = decode_names(c.data)
    return m


def _store(m: Module, sid: int, items: list, func_types: list[int], bodies: list[Func]) -> None:
    if sid == 1:
        m.types = items
    elif sid == 2:
        m.imports = items
    elif sid == 3:
        func_types.extend(items)
    elif sid == 4:
        m.tables = items
    elif sid == 5:
        m.memories = items
    elif sid == 13:
        m.tags = items
    elif sid == 6:
        m.globals = items
    elif sid == 7:
        m.exports = items
    elif sid == 9:
        m.elems = items
    elif sid == 10:
        bodies.extend(items)
    elif sid == 11:
        m.datas = items


# --- The name section (appendix 7.4.1) -----------------------------------------------------


def decode_names(data: bytes) -> Names:
    """Module, function and local names; a malformed name section is ignored, as the reference
    ignores custom sections."""
    try:
        return _names(data)
    except (MalformedError, IndexError):
        return Names()


def _name_map(data: bytes, p: int) -> tuple[dict[int, str], int]:
    n, p = read_len(data, p)
    out: dict[int, str] = {}
    for _ in range(n):
        x, p = read_u32(data, p)
        out[x], p = read_name(data, p)
    return out, p


def _names(data: bytes) -> Names:
    names = Names()
    p = 0
    last = -1
    while p < len(data):
        sub = data[p]
        if sub <= last:
            raise MalformedError("out-of-order name subsection", p)
        last = sub
        size, p = read_len(data, p + 1)
        end = p + size
        if sub == 0:
            names.module, q = read_name(data, p)
        elif sub == 1:
            names.funcs, q = _name_map(data, p)
        elif sub == 2:
            n, q = read_len(data, p)
            for _ in range(n):
                x, q = read_u32(data, q)
                names.locals[x], q = _name_map(data, q)
        else:
            q = end
        if q != end:
            raise MalformedError("name subsection size mismatch", p)
        p = end
    return names
