"""Types of the WebAssembly 3.0 abstract syntax (spec section 2.3).

Representation chosen for speed and for readable tests:

- Number and vector types are the strings ``"i32" "i64" "f32" "f64" "v128"``.
- A reference type is a ``RefType(nullable, heap)``.  ``heap`` is either an abstract heap type
  name (``"func" "extern" "any" "eq" "i31" "struct" "array" "none" "nofunc" "noextern" "exn"
  "noexn"``, plus ``"bot"`` used only inside the validator) or an ``int``, a type index into the
  module's type space.  After validation the validator may substitute ``DefType`` objects for
  indices (see engine/valid/); the syntax layer itself only ever produces ints.
- ``BOT`` is the bottom value type of the validator's polymorphic stack (spec 3.3.1).
- Packed storage types are the strings ``"i8"`` and ``"i16"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

NumType = str  # "i32" | "i64" | "f32" | "f64"
VecType = str  # "v128"
HeapType = Union[str, int, object]  # abstract name, type index, or a validator DefType


@dataclass(frozen=True, slots=True)
class RefType:
    nullable: bool
    heap: HeapType

    def __str__(self) -> str:
        heap = self.heap if isinstance(self.heap, str) else str(self.heap)
        if self.nullable and isinstance(self.heap, str) and self.heap in _SHORTHANDS:
            return _SHORTHANDS[self.heap]
        return f"(ref {'null ' if self.nullable else ''}{heap})"


ValType = Union[str, RefType]  # number/vector type name, or a RefType

I32, I64, F32, F64, V128 = "i32", "i64", "f32", "f64", "v128"
BOT = "bot"
NUM_TYPES = (I32, I64, F32, F64)

ABSTRACT_HEAP_TYPES = (
    "func",
    "nofunc",
    "extern",
    "noextern",
    "any",
    "eq",
    "i31",
    "struct",
    "array",
    "none",
    "exn",
    "noexn",
)

FUNCREF = RefType(True, "func")
EXTERNREF = RefType(True, "extern")
ANYREF = RefType(True, "any")
EQREF = RefType(True, "eq")
I31REF = RefType(True, "i31")
STRUCTREF = RefType(True, "struct")
ARRAYREF = RefType(True, "array")
NULLREF = RefType(True, "none")
NULLFUNCREF = RefType(True, "nofunc")
NULLEXTERNREF = RefType(True, "noextern")
EXNREF = RefType(True, "exn")
NULLEXNREF = RefType(True, "noexn")

_SHORTHANDS = {
    "func": "funcref",
    "extern": "externref",
    "any": "anyref",
    "eq": "eqref",
    "i31": "i31ref",
    "struct": "structref",
    "array": "arrayref",
    "none": "nullref",
    "nofunc": "nullfuncref",
    "noextern": "nullexternref",
    "exn": "exnref",
    "noexn": "nullexnref",
}

PACKED_TYPES = ("i8", "i16")
StorageType = Union[str, RefType]  # a ValType or "i8" / "i16"


def val_size(t: ValType) -> int:
    """Byte width of a number or vector type."""
    return {"i32": 4, "f32": 4, "i64": 8, "f64": 8, "v128": 16, "i8": 1, "i16": 2}[t]  # type: ignore[index]


def is_num(t: ValType) -> bool:
    return t in NUM_TYPES


def is_ref(t: ValType) -> bool:
    return isinstance(t, RefType)


def defaultable(t: ValType) -> bool:
    return not isinstance(t, RefType) or t.nullable


def unpacked(t: StorageType) -> ValType:
    return "i32" if t in PACKED_TYPES else t


# --- Composite and defined types (spec 2.3.8 - 2.3.11) -------------------------------------


@dataclass(frozen=True, slots=True)
class FuncType:
    params: tuple[ValType, ...] = ()
    results: tuple[ValType, ...] = ()

    def __str__(self) -> str:
        return f"[{' '.join(map(str, self.params))}] -> [{' '.join(map(str, self.results))}]"


@dataclass(frozen=True, slots=True)
class FieldType:
    mutable: bool
    storage: StorageType


@dataclass(frozen=True, slots=True)
class StructType:
    fields: tuple[FieldType, ...] = ()


@dataclass(frozen=True, slots=True)
class ArrayType:
    field: FieldType


CompType = Union[FuncType, StructType, ArrayType]


@dataclass(frozen=True, slots=True)
class SubType:
    """``sub final? supers comptype``.  A plain ``(type (func ...))`` is final with no supers."""

    comp: CompType
    supers: tuple[int, ...] = ()
    final: bool = True


@dataclass(frozen=True, slots=True)
class RecType:
    """A recursion group.  Every type definition lives in one; a lone one is a group of one."""

    subtypes: tuple[SubType, ...]


# --- External types (spec 2.3.12 - 2.3.17) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    min: int
    max: int | None = None


@dataclass(frozen=True, slots=True)
class MemoryType:
    limits: Limits
    shared: bool = False
    address: str = "i32"  # "i32" | "i64" (memory64)


@dataclass(frozen=True, slots=True)
class TableType:
    limits: Limits
    elem: RefType
    address: str = "i32"  # "i32" | "i64" (table64)


@dataclass(frozen=True, slots=True)
class GlobalType:
    type: ValType
    mutable: bool = False


@dataclass(frozen=True, slots=True)
class TagType:
    type_index: int  # a function type with no results


@dataclass(frozen=True, slots=True)
class FuncImportType:
    type_index: int


ExternType = Union[FuncImportType, TableType, MemoryType, GlobalType, TagType]

EXTERN_KINDS = ("func", "table", "memory", "global", "tag")
