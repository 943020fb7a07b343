"""The module and instruction abstract syntax (spec sections 2.4 - 2.5).

Instructions are nested, like the reference interpreter's AST: ``block``, ``loop``, ``if`` and
``try_table`` carry their bodies.  Every instruction is an ``Instr(op, imm, offset)``:

- ``op`` is the text-format mnemonic (``"i32.add"``, ``"br_table"``, ``"i8x16.shuffle"``), one of
  the keys of ``engine.syntax.opcodes.OPCODES`` except the binary-only spellings ``select_t``,
  ``ref.test_null`` and ``ref.cast_null``.
- ``imm`` is a tuple whose shape depends on the op's immediate kind (the third field of its
  OPCODES entry).  Indices are always resolved ints.  Immediates are in *reference AST order*,
  which is the text format's order (``call_indirect`` is table then type, while the binary
  format writes type then table).

  ========== ===============================================================================
  kind       imm
  ========== ===============================================================================
  ""         ()
  block      (blocktype, body)                          block, loop
             (blocktype, then_body, else_body)          if   (else_body may be [])
  try_table  (blocktype, catches, body)                 catches: list[Catch]
  label      (labelidx,)
  br_table   (labels: tuple[int, ...], default: int)
  func/tag/local/global/table/memory/data/elem/type   (idx,)
  table_type (tableidx, typeidx)                        call_indirect, return_call_indirect
  type_field (typeidx, fieldidx)                        struct.get*, struct.set
  type_u32   (typeidx, n)                               array.new_fixed
  type_data  (typeidx, dataidx)   type_elem (typeidx, elemidx)   type_type (dst, src)
  memory_memory (dst, src)   memory_data (memidx, dataidx)
  table_table (dst, src)     table_elem (tableidx, elemidx)
  memarg     (memidx, align_log2, offset)
  memarg_lane (memidx, align_log2, offset, laneidx)
  lane       (laneidx,)
  shuffle    (lanes: tuple[int, ...16],)
  i32 / i64  (value,)  unsigned canonical: 0 <= value < 2**32 / 2**64
  f32 / f64  (bits,)   the IEEE bit pattern as an unsigned int (NaN payloads exact)
  v128       (value,)  128-bit unsigned int, little-endian lane order
  heaptype   (heaptype,)                                ref.null
  reftype    (RefType,)                                 ref.test, ref.cast
  br_on_cast (labelidx, RefType, RefType)
  select_t   -- decoded as op "select" with imm (types,) ; plain select has imm ()
  fence      ()                                         atomic.fence
  ========== ===============================================================================

- A blocktype is ``None`` (no result), a ``ValType`` (one result) or an ``int`` type index.
- ``offset`` is the byte offset of the instruction's opcode in the binary (or -1 when the
  module came from text and was not encoded); traps and validation errors report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from engine.syntax.types import (
    ExternType,
    GlobalType,
    MemoryType,
    RecType,
    RefType,
    TableType,
    TagType,
    ValType,
)

BlockType = Union[None, ValType, int]


class Instr:
    __slots__ = ("op", "imm", "offset")

    def __init__(self, op: str, imm: tuple[Any, ...] = (), offset: int = -1) -> None:
        self.op = op
        self.imm = imm
        self.offset = offset

    def __repr__(self) -> str:
        return f"Instr({self.op!r}, {self.imm!r})" if self.imm else f"Instr({self.op!r})"

    def __eq__(self, other: object) -> bool:
        # Offsets are positions, not meaning: two decodes of one module compare equal.
        return isinstance(other, Instr) and self.op == other.op and self.imm == other.imm

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Catch:
    """``catch x l``, ``catch_ref x l``, ``catch_all l``, ``catch_all_ref l``."""

    kind: str  # "catch" | "catch_ref" | "catch_all" | "catch_all_ref"
    tag: int | None  # None for the catch_all forms
    label: int


Expr = list[Instr]  # a constant expression or a function body (without the final `end`)


@dataclass(slots=True)
class Func:
    type_index: int
    locals: list[ValType] = field(default_factory=list)
    body: Expr = field(default_factory=list)
    offset: int = -1  # byte offset of the function body (its size field) in the code section


@dataclass(slots=True)
class Table:
    type: TableType
    init: Expr | None = None  # None: initialised with ref.null of the element type


@dataclass(slots=True)
class Global:
    type: GlobalType
    init: Expr


@dataclass(slots=True)
class Active:
    index: int  # table or memory index
    offset: Expr


SegmentMode = Union[str, Active]  # "passive" | "declarative" | Active(...)


@dataclass(slots=True)
class Elem:
    type: RefType
    init: list[Expr]  # one constant expression per element
    mode: SegmentMode = "passive"


@dataclass(slots=True)
class Data:
    init: bytes
    mode: SegmentMode = "passive"


@dataclass(slots=True)
class Import:
    module: str
    name: str
    desc: ExternType


@dataclass(slots=True)
class Export:
    name: str
    kind: str  # "func" | "table" | "memory" | "global" | "tag"
    index: int


@dataclass(slots=True)
class Custom:
    name: str
    data: bytes
    # The id of the standard section this custom section followed (0 = before any), so that
    # encoding reproduces the original placement.
    after: int = 0


@dataclass(slots=True)
class Names:
    """The `name` custom section, decoded (appendix 7.4).  Used in trap backtraces."""

    module: str | None = None
    funcs: dict[int, str] = field(default_factory=dict)
    locals: dict[int, dict[int, str]] = field(default_factory=dict)


@dataclass(slots=True)
class Module:
    types: list[RecType] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    funcs: list[Func] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    memories: list[MemoryType] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    tags: list[TagType] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    start: int | None = None
    elems: list[Elem] = field(default_factory=list)
    datas: list[Data] = field(default_factory=list)
    data_count: int | None = None  # present iff the binary had a data count section
    customs: list[Custom] = field(default_factory=list)
    names: Names = field(default_factory=Names)

    # Convenience views used by the validator, the runtime and the JS API.
    def imports_of(self, kind: str) -> list[Import]:
        cls = _KIND_CLASSES[kind]
        return [im for im in self.imports if isinstance(im.desc, cls)]


def _kind_classes() -> dict[str, type]:
    from engine.syntax.types import FuncImportType

    return {
        "func": FuncImportType,
        "table": TableType,
        "memory": MemoryType,
        "global": GlobalType,
        "tag": TagType,
    }


_KIND_CLASSES = _kind_classes()
