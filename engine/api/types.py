"""Types of the embedding API (shaped like wasmtime-py's): thin, comparable wrappers over the
engine's syntax types (engine/syntax/types.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.syntax import types as T


class ValType:
    """A value type: ``ValType.i32()``, ``ValType.funcref()``, ..."""

    __slots__ = ("_t",)

    def __init__(self, t: T.ValType) -> None:
        self._t = t

    @staticmethod
    def i32() -> ValType:
        return ValType("i32")

    @staticmethod
    def i64() -> ValType:
        return ValType("i64")

    @staticmethod
    def f32() -> ValType:
        return ValType("f32")

    @staticmethod
    def f64() -> ValType:
        return ValType("f64")

    @staticmethod
    def v128() -> ValType:
        return ValType("v128")

    @staticmethod
    def funcref() -> ValType:
        return ValType(T.FUNCREF)

    @staticmethod
    def externref() -> ValType:
        return ValType(T.EXTERNREF)

    @staticmethod
    def anyref() -> ValType:
        return ValType(T.ANYREF)

    @staticmethod
    def exnref() -> ValType:
        return ValType(T.EXNREF)

    @staticmethod
    def eqref() -> ValType:
        return ValType(T.EQREF)

    @staticmethod
    def i31ref() -> ValType:
        return ValType(T.I31REF)

    @staticmethod
    def structref() -> ValType:
        return ValType(T.STRUCTREF)

    @staticmethod
    def arrayref() -> ValType:
        return ValType(T.ARRAYREF)

    @staticmethod
    def nullref() -> ValType:
        return ValType(T.NULLREF)

    @staticmethod
    def nullfuncref() -> ValType:
        return ValType(T.NULLFUNCREF)

    @staticmethod
    def nullexternref() -> ValType:
        return ValType(T.NULLEXTERNREF)

    @staticmethod
    def ref(heap: str, nullable: bool = True) -> ValType:
        """A reference to an abstract heap type: ``ValType.ref("func", nullable=False)``."""
        if heap not in T.ABSTRACT_HEAP_TYPES:
            raise ValueError(f"unknown heap type {heap!r}")
        return ValType(T.RefType(nullable, heap))

    @property
    def is_ref(self) -> bool:
        return isinstance(self._t, T.RefType)

    @property
    def nullable(self) -> bool:
        """Whether a reference type admits null (False for number and vector types)."""
        return isinstance(self._t, T.RefType) and self._t.nullable

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValType) and other._t == self._t

    def __hash__(self) -> int:
        return hash(self._t) if isinstance(self._t, (str, T.RefType)) else id(self._t)

    def __str__(self) -> str:
        return str(self._t)

    __repr__ = __str__


def _raw(t: ValType | T.ValType) -> T.ValType:
    return t._t if isinstance(t, ValType) else t


class Limits:
    """Size limits in pages (memories) or entries (tables); ``max`` None means unbounded."""

    __slots__ = ("min", "max")

    def __init__(self, min: int, max: int | None = None) -> None:
        self.min = min
        self.max = max

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and (other.min, other.max) == (self.min, self.max)

    def __hash__(self) -> int:
        return hash((self.min, self.max))

    def __repr__(self) -> str:
        return f"Limits({self.min}, {self.max})"

    def _raw(self) -> T.Limits:
        return T.Limits(self.min, self.max)


class FuncType:
    """``FuncType([ValType.i32()], [ValType.i64()])``."""

    __slots__ = ("_t", "_deftype")

    def __init__(self, params: Iterable[ValType], results: Iterable[ValType]) -> None:
        self._t = T.FuncType(tuple(_raw(p) for p in params), tuple(_raw(r) for r in results))
        self._deftype: Any = None

    @classmethod
    def _from_deftype(cls, dt: Any) -> FuncType:
        ft = cls.__new__(cls)
        ft._t = dt.comp
        ft._deftype = dt
        return ft

    def _canonical(self) -> Any:
        if self._deftype is None:
            from engine.runtime.host import func_deftype

            self._deftype = func_deftype(self._t)
        return self._deftype

    @property
    def params(self) -> list[ValType]:
        return [ValType(t) for t in self._t.params]

    @property
    def results(self) -> list[ValType]:
        return [ValType(t) for t in self._t.results]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuncType) and other._t == self._t

    def __hash__(self) -> int:
        return hash(self._t)

    def __repr__(self) -> str:
        return f"FuncType({self._t})"


class GlobalType:
    """``GlobalType(ValType.i32(), mutable=True)``; ``content`` is the value type."""

    __slots__ = ("content", "mutable")

    def __init__(self, valtype: ValType, mutable: bool) -> None:
        self.content = valtype
        self.mutable = mutable

    def _raw(self) -> T.GlobalType:
        return T.GlobalType(_raw(self.content), self.mutable)

    @classmethod
    def _from_raw(cls, gt: T.GlobalType) -> GlobalType:
        return cls(ValType(gt.type), gt.mutable)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GlobalType) and other._raw() == self._raw()

    def __hash__(self) -> int:
        return hash((self.content, self.mutable))

    def __repr__(self) -> str:
        return f"GlobalType({self.content}, mutable={self.mutable})"


class MemoryType:
    """``MemoryType(Limits(1, 10))``; ``is_64`` for a 64-bit address space, ``shared`` for a
    memory that threads may share (it then needs a maximum)."""

    __slots__ = ("limits", "is_64", "shared")

    def __init__(self, limits: Limits, is_64: bool = False, shared: bool = False) -> None:
        self.limits = limits
        self.is_64 = is_64
        self.shared = shared

    def _raw(self) -> T.MemoryType:
        return T.MemoryType(self.limits._raw(), self.shared, "i64" if self.is_64 else "i32")

    @classmethod
    def _from_raw(cls, mt: T.MemoryType) -> MemoryType:
        return cls(Limits(mt.limits.min, mt.limits.max), mt.address == "i64", mt.shared)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MemoryType) and other._raw() == self._raw()

    def __hash__(self) -> int:
        return hash((self.limits, self.is_64, self.shared))

    def __repr__(self) -> str:
        return f"MemoryType({self.limits}, is_64={self.is_64}, shared={self.shared})"


class TableType:
    """``TableType(ValType.funcref(), Limits(1))``; the element type must be a reference."""

    __slots__ = ("element", "limits", "is_64")

    def __init__(self, valtype: ValType, limits: Limits, is_64: bool = False) -> None:
        self.element = valtype
        self.limits = limits
        self.is_64 = is_64

    def _raw(self) -> T.TableType:
        elem = _raw(self.element)
        if not isinstance(elem, T.RefType):
            raise TypeError("a table's element type must be a reference type")
        return T.TableType(self.limits._raw(), elem, "i64" if self.is_64 else "i32")

    @classmethod
    def _from_raw(cls, tt: T.TableType) -> TableType:
        return cls(ValType(tt.elem), Limits(tt.limits.min, tt.limits.max), tt.address == "i64")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableType) and other._raw() == self._raw()

    def __hash__(self) -> int:
        return hash((self.element, self.limits, self.is_64))

    def __repr__(self) -> str:
        return f"TableType({self.element}, {self.limits})"


class TagType:
    """An exception tag's type: the function type of its payload (no results)."""

    __slots__ = ("functype",)

    def __init__(self, functype: FuncType) -> None:
        self.functype = functype

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TagType) and other.functype == self.functype

    def __hash__(self) -> int:
        return hash(self.functype)

    def __repr__(self) -> str:
        return f"TagType({self.functype._t})"


ExternType = FuncType | TableType | MemoryType | GlobalType | TagType
