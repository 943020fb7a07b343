"""Per-instance compilation state: the globals shared by the compiled functions of one module
instance, lazy per-function compilation, and the calling convention.

Calling convention: a compiled function takes its wasm arguments positionally and returns
``None`` (no result), the value (one result) or a tuple (several).  A function that makes
calls but no tail calls also takes an optional call depth ``d``: direct calls within the
module pass ``d + 1``; every other caller leaves it out and the function reads
``store.depth + 1``, which compiled code sets right before any call that is not direct.  So
``store.depth`` is exact whenever code other than compiled wasm runs.  Every callable also has a
``_wt`` attribute, its *tail entry*: for a function that makes tail calls, its body, which may
return a ``Tail`` request instead of results; the plain callable runs the trampoline.  So a
chain of ``return_call``s runs at constant Python stack depth.
"""

from __future__ import annotations

import functools
import linecache
import re
import struct
import sys
import weakref
from typing import Any

from engine.errors import CompileError, Frame, Trap, WasmError
from engine.runtime.float_bits import f32_from_bits, f32_to_bits
from engine.runtime.instances import I31, ArrayInst, FuncInst, ModuleInst, StructInst

from . import rt
from .state import state_of

_TRAPPING = re.compile(r"^i(32|64)\.((div|rem)_|trunc_f)")
_LANE_SIG = {"extract_lane": (1, 1), "replace_lane": (2, 1), "shuffle": (2, 1)}


class Tail:
    """A tail-call request returned by a tail-calling function's body."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: Any, args: tuple[Any, ...]) -> None:
        self.fn = fn
        self.args = args


def _exhausted() -> None:
    raise Trap("call stack exhausted")


def _line(e: BaseException, region: str | None) -> int:
    """The line of the function's source where ``e`` was raised: in the function's own frame
    or, for code outlined into region functions (``region`` prefix), the deepest of those."""
    tb = e.__traceback__
    if tb is None:
        return 0
    if region is not None:
        while tb.tb_next is not None and tb.tb_next.tb_frame.f_code.co_name.startswith(region):
            tb = tb.tb_next
    return tb.tb_lineno


def _frame(e: Trap, info: tuple[Any, ...], lines: list[int], region: str | None = None) -> None:
    ln = _line(e, region)
    off = lines[ln - 1] if 0 < ln <= len(lines) else -1
    e.frames.append(Frame(info[0], info[1], info[2], info[3], off))


def _oob_frame(
    e: BaseException, info: tuple[Any, ...], lines: list[int], region: str | None = None
) -> Trap:
    t = Trap("out of bounds memory access")
    ln = _line(e, region)
    off = lines[ln - 1] if 0 < ln <= len(lines) else -1
    t.frames.append(Frame(info[0], info[1], info[2], info[3], off))
    return t


def wants_caller(fi: FuncInst) -> bool:
    """A host function whose callable has a true ``wants_caller`` attribute is called as
    ``host(caller, store, *args)``: ``caller`` is the ModuleInst whose wasm code made the call
    (None when the embedder called it directly) and ``store`` the runtime store it runs in."""
    return fi.host is not None and getattr(fi.host, "wants_caller", False) is True


def wrong_store() -> WasmError:
    return WasmError("object used with the wrong store")


def wrap_host(fi: FuncInst, caller: ModuleInst | None = None, store: Any = None) -> Any:
    """The compiled-code calling convention around a host function (for a host function that
    wants its caller: as called from ``caller``'s code)."""
    host = fi.host
    assert host is not None
    if wants_caller(fi):
        host = functools.partial(host, caller, store)
    n = len(fi.type.comp.results)
    if n == 0:

        def call0(*args: Any) -> None:
            host(*args)

        fn: Any = call0
    elif n == 1:

        def call1(*args: Any) -> Any:
            return host(*args)[0]

        fn = call1
    else:

        def calln(*args: Any) -> Any:
            return tuple(host(*args))

        fn = calln
    fn._wt = fn
    return fn


def _nesting(body: list[Any]) -> int:
    """The deepest nesting of blocks in a function body (iteratively: it may be very deep)."""
    deepest = 0
    todo = [(body, 1)]
    while todo:
        instrs, depth = todo.pop()
        deepest = max(deepest, depth)
        for ins in instrs:
            op = ins.op
            if op == "block" or op == "loop":
                todo.append((ins.imm[1], depth + 1))
            elif op == "if":
                todo.append((ins.imm[1], depth + 1))
                todo.append((ins.imm[2], depth + 1))
            elif op == "try_table":
                todo.append((ins.imm[2], depth + 1))
    return deepest


_CALLS = frozenset(
    ("call", "call_indirect", "call_ref", "return_call", "return_call_indirect",
     "return_call_ref")
)  # fmt: skip


def _call_ops(body: list[Any]) -> set[str]:
    """The call instructions anywhere in a function body."""
    found: set[str] = set()
    todo = [body]
    while todo:
        for ins in todo.pop():
            op = ins.op
            if op in _CALLS:
                found.add(op)
            elif op == "block" or op == "loop":
                todo.append(ins.imm[1])
            elif op == "if":
                todo.append(ins.imm[1])
                todo.append(ins.imm[2])
            elif op == "try_table":
                todo.append(ins.imm[2])
    return found


_CODES: weakref.WeakKeyDictionary[ModuleInst, ModuleCode] = weakref.WeakKeyDictionary()


def module_code(inst: ModuleInst, store: Any) -> ModuleCode:
    """The compiled code of ``inst``.  It is bound to the store that first ran the instance
    (the store's depth, fuel and interrupt are baked into it); using the instance from
    another store is an error, as in wasmtime."""
    mc = _CODES.get(inst)
    if mc is None:
        mc = _CODES[inst] = ModuleCode(inst, store)
    elif mc.store is not store:
        raise wrong_store()
    return mc


def check_store(fi: FuncInst, store: Any) -> None:
    """Raise if ``fi`` belongs to an instance whose code is bound to another store."""
    if fi.module is not None:
        mc = _CODES.get(fi.module)
        if mc is not None and mc.store is not store:
            raise wrong_store()


def entry_of(fi: FuncInst, store: Any) -> Any:
    """The callable for any function, compiling or wrapping it on first use."""
    fn = fi.compiled
    if fn is not None:
        return fn
    if fi.host is not None:
        if wants_caller(fi):
            return wrap_host(fi, None, store)
        fn = fi.compiled = wrap_host(fi)
        return fn
    assert fi.module is not None
    return module_code(fi.module, store).compile(fi.index)


def _base_namespace() -> dict[str, Any]:
    from . import numerics, simd

    ns: dict[str, Any] = dict(numerics.NAMESPACE)
    ns.update(
        Trap=Trap,
        _Tail=Tail,
        _WasmThrow=rt.WasmThrow,
        _exhausted=_exhausted,
        _frame=_frame,
        _oob_frame=_oob_frame,
        _MemErrors=(struct.error, IndexError, OverflowError),
        _trap=rt.trap,
        _f32fb=f32_from_bits,
        _f32tb=f32_to_bits,
        _I31=I31,
        _Struct=StructInst,
        _Array=ArrayInst,
        _lane_get=simd.lane_get,
        _lane_set=simd.lane_set,
    )
    for name in (
        "mem_grow mem_fill mem_copy mem_init v128_load v128_store load_raw store_raw "
        "atomic_load atomic_store atomic_rmw atomic_cmpxchg atomic_wait atomic_notify "
        "table_get table_set table_grow table_fill table_copy table_init indirect func_ref "
        "ref_eq as_non_null i31_get any_convert_extern extern_convert_any struct_get "
        "struct_get_s struct_set array_new array_new_default array_new_data array_new_elem "
        "array_get array_get_s array_set array_len array_fill array_copy array_init_data "
        "array_init_elem throw throw_ref"
    ).split():
        ns["_" + name] = getattr(rt, name)
    return ns


class ModuleCode:
    def __init__(self, inst: ModuleInst, store: Any) -> None:
        from . import numerics, simd

        self.inst = inst
        self.store = store
        self.state = state_of(store)
        self.inline = numerics.INLINE
        self.scalar = numerics.SCALAR
        self.vector = simd.VECTOR
        self.vec_loads = simd.VEC_LOAD
        ns = _base_namespace()
        ns.update(S=store, B=self.state.budget, _poll=self.state.poll)
        ns["_entry"] = self.entry
        self.ns = ns
        self.names: dict[int, str] = {}
        self.keep: list[Any] = []
        self.sources: dict[int, str] = {}
        self.tests: dict[Any, str] = {}
        self.nconst = 0
        for prefix, space in (
            ("M", inst.memories), ("T", inst.tables), ("G", inst.globals), ("D", inst.datas),
            ("E", inst.elems), ("TAG", inst.tags), ("F", inst.funcs), ("DT", inst.types),
        ):  # fmt: skip
            for i, obj in enumerate(space):
                name = f"{prefix}{i}"
                ns[name] = obj
                self.names.setdefault(id(obj), name)
        self.keep.extend(inst.types)
        self.callers: dict[int, Any] = {}
        self.depth_conv: dict[int, bool] = {}
        for j, fi in enumerate(inst.funcs):
            if fi.module is inst and fi.code is not None:
                ns[f"f{j}"] = fi.compiled if fi.compiled is not None else self._stub(j)
            elif wants_caller(fi):
                ns[f"f{j}"] = self.entry(fi)
            else:
                if fi.module is not None:
                    module_code(fi.module, store)  # the exporting instance: same store
                ns[f"f{j}"] = self._lazy(fi, f"f{j}")

    def takes_depth(self, j: int) -> bool:
        """Does defined function ``j`` take its call depth as a parameter?"""
        r = self.depth_conv.get(j)
        if r is None:
            fi = self.inst.funcs[j]
            r = False
            if fi.module is self.inst and fi.code is not None:
                ops = _call_ops(fi.code.body)
                r = bool(ops) and not any(op.startswith("return_call") for op in ops)
            self.depth_conv[j] = r
        return r

    def entry(self, fi: FuncInst) -> Any:
        fn = fi.compiled
        if fn is not None:
            return fn
        if wants_caller(fi):
            fn = self.callers.get(id(fi))
            if fn is None:
                fn = self.callers[id(fi)] = wrap_host(fi, self.inst, self.store)
                self.keep.append(fi)
            return fn
        return entry_of(fi, self.store)

    def _lazy(self, fi: FuncInst, name: str) -> Any:
        if fi.compiled is not None:
            return fi.compiled

        def call(*args: Any) -> Any:
            fn = self.ns[name] = self.entry(fi)
            return fn(*args)

        def tail(*args: Any) -> Any:
            return self.entry(fi)._wt(*args)

        call._wt = tail  # type: ignore[attr-defined]
        return call

    def _stub(self, j: int) -> Any:
        def call(*args: Any) -> Any:
            return self.compile(j)(*args)

        def tail(*args: Any) -> Any:
            return self.compile(j)._wt(*args)

        call._wt = tail  # type: ignore[attr-defined]
        return call

    # --- names bound into the shared globals ------------------------------------------------

    def bind(self, obj: Any, prefix: str) -> str:
        name = self.names.get(id(obj))
        if name is None:
            self.nconst += 1
            name = f"{prefix}_{self.nconst}"
            self.ns[name] = obj
            self.names[id(obj)] = name
            self.keep.append(obj)
        return name

    def frame_info(self, index: int) -> tuple[Any, ...]:
        inst = self.inst
        names = inst.module.names
        fi = inst.funcs[index]
        return (index, names.funcs.get(index), names.module or inst.name, fi.code.offset)

    def signature(self, op: str) -> tuple[int, int] | None:
        from engine.valid.ops import SIMPLE

        sig = SIMPLE.get(op)
        if sig is not None:
            return len(sig[0]), len(sig[1])
        for suffix, s in _LANE_SIG.items():
            if op.endswith(suffix) or op.endswith(suffix + "_s") or op.endswith(suffix + "_u"):
                return s
        return None

    def trapping(self, op: str) -> bool:
        return _TRAPPING.match(op) is not None

    def op_function(self, op: str) -> str:
        fn = self.scalar.get(op) or self.vector.get(op)
        if fn is None:
            raise NotImplementedError(f"instruction {op}")
        name = "_o_" + re.sub(r"\W", "_", op)
        self.ns.setdefault(name, fn)
        return name

    def vec_load(self, op: str) -> str:
        name = "_vl_" + re.sub(r"\W", "_", op)
        self.ns.setdefault(name, self.vec_loads[op])
        return name

    def unpacker(self, fmt: str) -> str:
        name = f"_u{fmt}"
        if name not in self.ns:
            self.ns[name] = struct.Struct("<" + fmt).unpack_from
        return name

    def packer(self, fmt: str) -> str:
        name = f"_p{fmt}"
        if name not in self.ns:
            self.ns[name] = struct.Struct("<" + fmt).pack_into
        return name

    def ref_test(self, rtype: Any) -> str:
        key = ("test", rtype)
        name = self.tests.get(key)
        if name is None:
            name = self.bind(rt.ref_tester(rtype), "_rt")
            self.tests[key] = name
        return name

    def ref_cast(self, rtype: Any) -> str:
        key = ("cast", rtype)
        name = self.tests.get(key)
        if name is None:
            name = self.bind(rt.ref_caster(rtype), "_rc")
            self.tests[key] = name
        return name

    # --- compilation ------------------------------------------------------------------------

    def source(self, j: int) -> tuple[str, list[int]]:
        from .compile import Compiler

        # The code generator recurses once per nesting level of wasm control.
        old = sys.getrecursionlimit()
        need = old + 8 * _nesting(self.inst.funcs[j].code.body) + 1000
        sys.setrecursionlimit(need)
        try:
            return Compiler(self, j, f"f{j}").compile()
        finally:
            if sys.getrecursionlimit() == need:
                sys.setrecursionlimit(old)

    def compile(self, j: int) -> Any:
        fi = self.inst.funcs[j]
        if fi.compiled is not None:
            return fi.compiled
        filename = f"<wasm {self.inst.name or 'module'} func {j}>"
        try:
            src, offsets = self.source(j)
            code = compile(src, filename, "exec")
        except WasmError:
            raise
        except (Exception, RecursionError) as e:
            raise CompileError(
                f"function {j} could not be compiled: {type(e).__name__}: {e}"
            ) from e
        self.sources[j] = src
        self.ns[f"_L{j}"] = offsets
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(code, self.ns)
        fn = self.ns[f"f{j}"]
        fi.compiled = fn
        return fn
