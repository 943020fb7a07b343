"""The services the WebAssembly namespace's JavaScript calls (``bridge.services["wasm.*"]``).

Engine objects (modules, function/memory/table/global/tag/exception instances) cross to JS as
opaque Python objects; each gets a small integer key, and the JS wrapper made for it is
remembered here (``bind``) so that the same engine object always surfaces as the same JS object
(the spec's object caches). Memories visible to JS live in native V8 memories from the pool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from engine.errors import CompileError, LinkError, Trap, WasmException
from engine.exec import WasmThrow, invoke
from engine.runtime.host import func_deftype
from engine.runtime.instances import (
    I31,
    PAGE_SIZE,
    ArrayInst,
    ExnInst,
    FuncInst,
    GlobalInst,
    HostRef,
    MemoryInst,
    StructInst,
    TableInst,
    TagInst,
)
from engine.runtime.instantiate import instantiate, resolve_import_type
from engine.runtime.store import Store
from engine.syntax.types import (
    EXTERNREF,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    TableType,
)
from jsapi.bridge import UNDEFINED, BigInt, Bridge, BufferView, JSError, JSHandle, ThrowJS
from jsapi.webassembly import limits
from jsapi.webassembly.pool import MemoryPool, PoolExhausted
from jsapi.webassembly.values import (
    default_value,
    numeric_to_js,
    parse_type,
    to_wasm,
    type_code,
)

KIND_NAMES = {
    "func": "function",
    "table": "table",
    "memory": "memory",
    "global": "global",
    "tag": "tag",
}


class CompiledModule:
    """A WebAssembly.Module's [[Module]] and [[Bytes]]. Bytes already known to be valid are
    decoded again only when the module is used (reflection, instantiation)."""

    __slots__ = ("_module", "_info", "_load", "bytes", "builtins", "strings", "__weakref__")

    def __init__(
        self, module: Any, info: Any, data: bytes, load: Callable[[bytes], Any] | None = None
    ) -> None:
        self._module = module
        self._info = info
        self._load = load
        self.bytes = data
        self.builtins: list[str] = []  # [[BuiltinSets]]
        self.strings: str | None = None  # [[ImportedStringModule]]

    @property
    def module(self) -> Any:
        if self._module is None and self._load is not None:
            self._module, self._info = self._load(self.bytes)
        return self._module

    @property
    def info(self) -> Any:
        return self._info if self._module is not None else (self.module, self._info)[1]

    def special(self, im: Any) -> str | None:
        """ "string" or "builtin" for imports the engine supplies itself, else None."""
        if self.strings is not None and im.module == self.strings:
            return "string"
        if "js-string" in self.builtins and im.module == "wasm:js-string":
            return "builtin"
        return None


class Services:
    def __init__(self, bridge: Bridge, pool: MemoryPool) -> None:
        self.bridge = bridge
        self.pool = pool
        self.store = Store()
        self.store.host_data = self
        self._keys: dict[int, int] = {}
        self._objs: dict[int, Any] = {}
        self._wrappers: dict[int, JSHandle] = {}
        self._natives: dict[int, tuple[BufferView, str]] = {}  # memory key -> (view, kind)
        self._compiled: dict[bytes, tuple[Any, Any]] = {}
        self._verdicts: dict[bytes, tuple[str, int] | None] = {}
        self.js_tag = TagInst(func_deftype(FuncType((EXTERNREF,), ())))
        self.errors = f"{bridge.key}.wasm."
        self.h_call_import = bridge.handle(f"globalThis[{bridge.key!r}].wasm.callImport")
        self.h_native_grow = bridge.handle(f"globalThis[{bridge.key!r}].wasm.nativeGrow")

    def expose_all(self) -> None:
        for name in dir(self):
            if name.startswith("svc_"):
                self.bridge.expose("wasm." + name[4:], getattr(self, name))

    # ---- identity ---------------------------------------------------------------------------

    def key_of(self, obj: Any) -> int:
        k = self._keys.get(id(obj))
        if k is None:
            k = len(self._objs) + 1
            self._keys[id(obj)] = k
            self._objs[k] = obj  # kept alive: the key must never be reused
        return k

    def to_js(self, v: Any) -> Any:
        """ToJSValue of a reference (or an engine object): the bound JS wrapper when there is one,
        else the engine object itself, which the JS side wraps (and binds)."""
        if v is None or v is UNDEFINED:
            return v
        if isinstance(v, I31):
            return v.value - (1 << 31) if v.value >= 1 << 30 else v.value
        if isinstance(v, HostRef):
            return self.to_js(v.ref)
        if isinstance(
            v,
            (FuncInst, StructInst, ArrayInst, ExnInst, TagInst, MemoryInst, TableInst, GlobalInst),
        ):
            if isinstance(v, ExnInst) and v.tag is self.js_tag:
                return v.fields[0]
            h = self._wrappers.get(self.key_of(v))
            return h if h is not None else v
        return v

    def value_to_js(self, v: Any, t: Any) -> Any:
        return numeric_to_js(v, t) if isinstance(t, str) else self.to_js(v)

    def throw(self, ctor: str, message: str) -> ThrowJS:
        return ThrowJS(
            self.errors + ctor if ctor in ("CompileError", "LinkError", "RuntimeError") else ctor,
            message,
        )

    def _wasm_error(self, e: BaseException) -> BaseException:
        if isinstance(e, Trap):
            if e.message == "call stack exhausted":
                return ThrowJS("RangeError", "Maximum call stack size exceeded")
            return self.throw("RuntimeError", e.message)
        if isinstance(e, LinkError):
            return self.throw("LinkError", e.message)
        if isinstance(e, RecursionError):
            return ThrowJS("RangeError", "Maximum call stack size exceeded")
        return e

    # ---- modules ----------------------------------------------------------------------------

    @staticmethod
    def _decode(raw: bytes) -> tuple[Any, Any]:
        from engine.binary import decode_module
        from engine.valid import validate_module

        limits.prescan(raw)
        module = decode_module(raw)
        limits.check_decoded(module)
        return module, validate_module(module)

    def _compile(self, data: Any) -> CompiledModule:
        raw = bytes(data)
        # The same bytes are often validated, compiled and compiled again: the verdict is kept
        # per digest, and a module known to be valid is decoded again only when used.
        digest = hashlib.sha256(raw).digest()
        if digest in self._verdicts:
            verdict = self._verdicts[digest]
            if verdict is not None:
                raise CompileError(*verdict)
            hit = self._compiled.get(digest)
            if hit is not None:
                return CompiledModule(hit[0], hit[1], raw)
            return CompiledModule(None, None, raw, self._decode)
        try:
            module, info = self._decode(raw)
        except CompileError as e:
            self._verdicts[digest] = (e.message, e.offset)
            raise
        self._verdicts[digest] = None
        if len(self._compiled) >= 4:
            self._compiled.pop(next(iter(self._compiled)))
        self._compiled[digest] = (module, info)
        return CompiledModule(module, info, raw)

    def _compile_with(self, data: Any, opts: list[Any]) -> CompiledModule:
        m = self._compile(data)
        builtins, strings = opts
        m.builtins = list(builtins or [])
        m.strings = strings
        if not m.builtins and strings is None:
            return m
        for im in m.module.imports:
            if m.special(im) == "builtin" and _import_kind(im.desc) == "func":
                limits.check_builtin_import(im.name, m.info.types[im.desc.type_index])
            if m.special(im) == "string":
                t = resolve_import_type(im.desc, m.info.types)
                ok = isinstance(t, GlobalType) and not t.mutable
                if not ok or not (isinstance(t.type, RefType) and t.type.heap == "extern"):
                    raise CompileError("imported string constant must be an immutable externref")
        return m

    def svc_validate(self, data: Any, opts: list[Any]) -> bool:
        try:
            self._compile_with(data, opts)
        except CompileError:
            return False
        return True

    def svc_compile(self, data: Any, opts: list[Any]) -> CompiledModule:
        try:
            return self._compile_with(data, opts)
        except CompileError as e:
            raise self.throw("CompileError", str(e)) from None
        except RecursionError:
            raise self.throw("CompileError", "module is too deeply nested") from None

    def svc_moduleExports(self, m: CompiledModule) -> list[list[str]]:
        return [[ex.name, KIND_NAMES[ex.kind]] for ex in m.module.exports]

    def svc_moduleImports(self, m: CompiledModule) -> list[list[str]]:
        return [
            [im.module, im.name, KIND_NAMES[_import_kind(im.desc)]]
            for im in m.module.imports
            if m.special(im) is None
        ]

    def svc_moduleImportTypes(self, m: CompiledModule) -> list[list[Any]]:
        out: list[list[Any]] = []
        for im in m.module.imports:
            kind = _import_kind(im.desc)
            info: list[Any] = []
            if kind == "global":
                t = resolve_import_type(im.desc, m.info.types)
                info = [type_code(t.type), t.mutable]
            out.append([im.module, im.name, m.special(im) or KIND_NAMES[kind], info])
        return out

    def svc_customSections(self, m: CompiledModule, name: str) -> list[bytes]:
        return [c.data for c in m.module.customs if c.name == name]

    # ---- instances --------------------------------------------------------------------------

    def svc_instantiate(self, m: CompiledModule, imports: list[Any]) -> list[Any]:
        module = m.module
        externs: list[Any] = []
        nfunc = 0
        for im, v in zip(module.imports, imports):
            kind = _import_kind(im.desc)
            if kind == "func":
                if isinstance(v, list):
                    dt = m.info.types[im.desc.type_index]
                    v = self.host_function(v[1], dt)
                    v.index = nfunc
                nfunc += 1
            elif kind == "global" and isinstance(v, list):
                t = resolve_import_type(im.desc, m.info.types)
                v = GlobalInst(GlobalType(t.type, False), to_wasm(v[1], t.type))
            externs.append(v)
        try:
            inst = instantiate(self.store, module, externs, m.info)
        except WasmException as e:
            return [1, self.to_js(e.exn)]
        except WasmThrow as e:
            return [1, self.to_js(e.exn)]
        except (Trap, LinkError, RecursionError) as e:
            raise self._wasm_error(e) from None
        exports = []
        for name, ex in inst.exports.items():
            if ex.kind == "memory":
                self.native_memory(ex.value)
            exports.append([name, self.to_js(ex.value)])
        return [0, exports]

    def host_function(self, fn: JSHandle, dt: Any) -> FuncInst:
        """A host function that calls the JS callable (JS-API "create a host function")."""
        ft = dt.comp
        params = list(ft.params)
        results = list(ft.results)
        codes = [type_code(t) for t in results]
        bridge = self.bridge
        call_import = self.h_call_import

        def host(*args: Any) -> list[Any]:
            js_args = [self.value_to_js(a, t) for a, t in zip(args, params)]
            status, values = bridge.call_js(call_import, fn, js_args, codes)
            if status == 1:
                if isinstance(values, ExnInst):
                    raise WasmThrow(values)
                raise WasmThrow(ExnInst(self.js_tag, [values]))
            return [to_wasm(v, t) for v, t in zip(values, results)]

        return FuncInst(dt, host=host)

    def svc_describe(self, obj: Any) -> list[Any]:
        key = self.key_of(obj)
        if isinstance(obj, FuncInst):
            ft = obj.type.comp
            meta = [str(obj.index), [type_code(t) for t in ft.params]]
            return [key, "func", meta]
        if isinstance(obj, MemoryInst):
            view, _kind = self.native_memory(obj)
            t = obj.type
            return [key, "memory", [view.owner, t.address, _limit(t.limits.max, t.address)]]
        if isinstance(obj, TableInst):
            return [key, "table", [obj.type.address, type_code(obj.type.elem)]]
        if isinstance(obj, GlobalInst):
            return [key, "global", [type_code(obj.type.type), obj.type.mutable]]
        if isinstance(obj, TagInst):
            return [key, "tag", [[type_code(t) for t in obj.type.comp.params]]]
        if isinstance(obj, ExnInst):
            return [key, "exception", [self.to_js(obj.tag)]]
        return [key, "gc", []]

    def svc_bind(self, obj: Any, wrapper: JSHandle) -> None:
        self._wrappers[self.key_of(obj)] = wrapper
        if isinstance(obj, ExnInst):
            obj.host_data = wrapper

    def svc_call(self, func: FuncInst, args: list[Any]) -> list[Any]:
        ft = func.type.comp
        values = [to_wasm(a, t) for a, t in zip(args, ft.params)]
        for t in ft.results:
            if t == "v128":
                raise TypeError("type incompatibility when transforming from/to JS")
        try:
            results = invoke(self.store, func, values)
        except WasmThrow as e:
            return [1, self.to_js(e.exn)]
        except (Trap, RecursionError) as e:
            raise self._wasm_error(e) from None
        return [0, [self.value_to_js(r, t) for r, t in zip(results, ft.results)]]

    # ---- memories ---------------------------------------------------------------------------

    def native_memory(self, mem: MemoryInst) -> tuple[BufferView, str]:
        """The native V8 memory behind ``mem``; a module-defined memory that becomes visible to
        JS moves into one (its bytes are copied once, then shared)."""
        key = self.key_of(mem)
        got = self._natives.get(key)
        if got is not None:
            return got
        t = mem.type
        # An i64 memory is backed by a native i32 one: a native i64 memory reserves 16 GiB of
        # the process's V8 address space, an i32 one 4 GiB (docs/jsapi.md), and a Python engine
        # never grows a memory past 4 GiB anyway (the engine enforces the spec maximum).
        kind = "shared" if t.shared else "i32"
        try:
            view = self.pool.take(kind)
        except PoolExhausted:
            raise ThrowJS(
                "RangeError",
                "WebAssembly.Memory(): could not allocate memory (the memory pool is exhausted "
                "until the event loop regains control)",
            ) from None
        n = len(mem.data)
        if n:
            self._grow_native(view, kind, n // PAGE_SIZE)
            view.resize(n)
            view.mem[:n] = mem.data
        mem.data = view.mem
        mem.grow_hook = self._grow_hook
        self._natives[key] = (view, kind)
        return view, kind

    def _grow_native(self, view: BufferView, kind: str, delta: int) -> None:
        arg = BigInt(delta) if kind == "i64" else delta
        self.bridge.call_js(self.h_native_grow, view.owner, arg)

    def _grow_hook(self, mem: MemoryInst, new_length: int) -> memoryview:
        view, kind = self._natives[self.key_of(mem)]
        delta = (new_length - view.length) // PAGE_SIZE
        try:
            self._grow_native(view, kind, delta)
        except JSError:
            raise MemoryError from None
        view.resize(new_length)
        return view.mem

    def svc_memNew(
        self, addrtype: str, initial: int, maximum: int | None, shared: bool
    ) -> list[Any]:
        mt = MemoryType(
            Limits(int(initial), None if maximum is None else int(maximum)), shared, addrtype
        )
        mem = MemoryInst(mt, data=bytearray())
        view, _kind = self.native_memory(mem)
        if initial and mem.grow(int(initial)) < 0:
            raise ThrowJS("RangeError", "WebAssembly.Memory(): could not allocate memory")
        return [self.key_of(mem), mem, view.owner]

    def svc_memGrow(self, mem: MemoryInst, delta: int) -> int:
        old = mem.grow(int(delta))
        if old < 0:
            raise ThrowJS("RangeError", "WebAssembly.Memory.grow(): Maximum memory size exceeded")
        return old

    # ---- tables -----------------------------------------------------------------------------

    def _ref(self, has: bool, v: Any, t: Any) -> Any:
        return to_wasm(v, t) if has else default_value(t)

    def svc_tableNew(
        self, addrtype: str, elem: str, initial: int, maximum: int | None, has: bool, v: Any
    ) -> list[Any]:
        rt = parse_type(elem)
        tt = TableType(
            Limits(int(initial), None if maximum is None else int(maximum)), rt, addrtype
        )
        table = TableInst(tt, self._ref(has, v, rt))
        return [self.key_of(table), table]

    def svc_tableGrow(self, table: TableInst, delta: int, has: bool, v: Any) -> int:
        ref = self._ref(has, v, table.type.elem)
        old = table.grow(int(delta), ref)
        if old < 0:
            raise ThrowJS("RangeError", "WebAssembly.Table.grow(): failed to grow table")
        return old

    def svc_tableGet(self, table: TableInst, i: int) -> Any:
        if i >= len(table.elements):
            raise ThrowJS("RangeError", "WebAssembly.Table.get(): invalid address")
        return self.to_js(table.elements[i])

    def svc_tableSet(self, table: TableInst, i: int, has: bool, v: Any) -> None:
        ref = self._ref(has, v, table.type.elem)
        if i >= len(table.elements):
            raise ThrowJS("RangeError", "WebAssembly.Table.set(): invalid address")
        table.elements[i] = ref

    def svc_tableLength(self, table: TableInst) -> int:
        return len(table.elements)

    # ---- globals, tags, exceptions ----------------------------------------------------------

    def svc_globalNew(self, code: str, mutable: bool, has: bool, v: Any) -> list[Any]:
        t = parse_type(code)
        g = GlobalInst(GlobalType(t, mutable), self._ref(has, v, t))
        return [self.key_of(g), g]

    def svc_globalGet(self, g: GlobalInst) -> Any:
        return self.value_to_js(g.value, g.type.type)

    def svc_globalSet(self, g: GlobalInst, v: Any) -> None:
        g.value = to_wasm(v, g.type.type)

    def svc_tagNew(self, params: list[str]) -> list[Any]:
        tag = TagInst(func_deftype(FuncType(tuple(parse_type(p) for p in params), ())))
        return [self.key_of(tag), tag]

    def svc_exnNew(self, tag: TagInst, values: list[Any]) -> list[Any]:
        params = tag.type.comp.params
        exn = ExnInst(tag, [to_wasm(v, t) for v, t in zip(values, params)])
        return [self.key_of(exn), exn]

    def svc_exnArg(self, exn: ExnInst, i: int) -> Any:
        params = exn.tag.type.comp.params
        if i >= len(params):
            raise ThrowJS("RangeError", "WebAssembly.Exception.getArg(): Index out of range")
        return self.value_to_js(exn.fields[i], params[i])

    def svc_arrayRead(self, a: ArrayInst, start: int, end: int) -> list[int]:
        """The i16 elements [start, end) of a GC array (js-string fromCharCodeArray)."""
        if start > end or end > len(a.elements):
            raise self.throw("RuntimeError", "out of bounds array access")
        return [v & 0xFFFF for v in a.elements[start:end]]

    def svc_arrayWrite(self, a: ArrayInst, start: int, codes: list[int]) -> int:
        if start + len(codes) > len(a.elements):
            raise self.throw("RuntimeError", "out of bounds array access")
        a.elements[start : start + len(codes)] = codes
        return len(codes)

    def svc_jsTag(self) -> Any:
        return self.to_js(self.js_tag)


def _import_kind(desc: Any) -> str:
    name = type(desc).__name__
    return {
        "FuncImportType": "func",
        "TableType": "table",
        "MemoryType": "memory",
        "GlobalType": "global",
        "TagType": "tag",
    }[name]


def _limit(v: int | None, address: str) -> Any:
    if v is None:
        return None
    return BigInt(v) if address == "i64" else v
