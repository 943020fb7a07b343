"""The catalog of crossings `jsapi bench` measures, in report order.

A case names the JS factory that times it (`kind` and its arguments, see harness.js), the
columns it applies to, and the reference figure the issue gives for that kind of crossing.
Loop cases run inside wasm; the rows shown for them are derived: the loop with a call minus the
baseline loop, sample by sample, is the cost of the call.
"""

from __future__ import annotations

from dataclasses import dataclass

from jsapi.bench.modules import MAX_ARITY, VALUE_TYPES

REF_HOST_TO_WASM = "0.4-2 us"
REF_WASM_TO_HOST = "0.4-2 us"
REF_WASM_TO_WASM = "1-2 ns"
REF_SAB = "~0"
REF_POST_MESSAGE = "100-1000 us"

GROUP_JS_WASM = "JS -> wasm export call"
GROUP_IN_WASM = "calls made inside wasm"
GROUP_BRIDGE = "JS <-> Python (bridge)"
GROUP_MEMORY = "memory"
GROUP_OBJECTS = "tables and globals"
GROUP_COMPILE = "compile and instantiate"
GROUP_AGENTS = "agents and cloning"


@dataclass(frozen=True)
class Case:
    id: str
    group: str
    label: str
    kind: str
    a: object = None
    b: object = None
    unit: str = "ns/op"
    reference: str = ""
    # The columns timed in JS ("jsapi", "v8"); engine.api rows are listed in pybench.py.
    js_engines: tuple[str, ...] = ("jsapi", "v8")
    # For host-only rows: why the V8 column has no number.
    v8_na: str = ""
    # Derived rows: this case minus `base`, sample by sample; hidden rows are only inputs.
    base: str = ""
    hidden: bool = False


def call_cases(quick: bool) -> list[Case]:
    out = [
        Case("call/0", GROUP_JS_WASM, "0 arguments", "call", "i32", 0, "ns/call", REF_HOST_TO_WASM)
    ]
    arities = (1, MAX_ARITY) if quick else tuple(range(1, MAX_ARITY + 1))
    for vt in VALUE_TYPES:
        for arity in arities:
            label = f"{arity} x {'i64 (BigInt)' if vt == 'i64' else vt}"
            out.append(
                Case(
                    f"call/{vt}/{arity}",
                    GROUP_JS_WASM,
                    label,
                    "call",
                    vt,
                    arity,
                    "ns/call",
                    REF_HOST_TO_WASM,
                )
            )
    return out


def cases(quick: bool = False) -> list[Case]:
    host_only = "V8's WebAssembly has no counterpart (host crossing)"
    return [
        *call_cases(quick),
        Case(
            "loop/base", GROUP_IN_WASM, "loop iteration (baseline)", "loop", "base", unit="ns/iter"
        ),
        Case(
            "loop/call",
            GROUP_IN_WASM,
            "wasm -> wasm call",
            "loop",
            "call",
            unit="ns/call",
            reference=REF_WASM_TO_WASM,
            base="loop/base",
        ),
        Case(
            "loop/indirect",
            GROUP_IN_WASM,
            "wasm -> wasm call_indirect",
            "loop",
            "indirect",
            unit="ns/call",
            reference=REF_WASM_TO_WASM,
            base="loop/base",
        ),
        Case(
            "loop/import",
            GROUP_IN_WASM,
            "wasm -> host import call (JS; Python for engine.api)",
            "loop",
            "import",
            unit="ns/call",
            reference=REF_WASM_TO_HOST,
            base="loop/base",
        ),
        Case(
            "bridge/raw",
            GROUP_BRIDGE,
            "JS -> Python raw service, 16 B",
            "bridge.raw",
            unit="ns/call",
            js_engines=("jsapi",),
            v8_na=host_only,
        ),
        Case(
            "bridge/msgpack",
            GROUP_BRIDGE,
            "JS -> Python service, 1 int (msgpack)",
            "bridge.msgpack",
            unit="ns/call",
            js_engines=("jsapi",),
            v8_na=host_only,
        ),
        Case(
            "bridge/nested",
            GROUP_BRIDGE,
            "JS -> Python -> JS and back",
            "bridge.nested",
            unit="ns/call",
            js_engines=("jsapi",),
            v8_na=host_only,
        ),
        Case("memory/buffer", GROUP_MEMORY, "memory.buffer getter", "memory.buffer"),
        Case(
            "memory/read",
            GROUP_MEMORY,
            "read 64 KiB via Int32Array",
            "memory.read",
            unit="ns/64KiB",
        ),
        Case(
            "memory/write",
            GROUP_MEMORY,
            "write 64 KiB via Uint8Array.set",
            "memory.write",
            unit="ns/64KiB",
        ),
        Case("memory/grow", GROUP_MEMORY, "memory.grow(1)", "memory.grow", unit="ns/grow"),
        Case("table/get", GROUP_OBJECTS, "Table.get", "table.get"),
        Case("table/set", GROUP_OBJECTS, "Table.set", "table.set"),
        Case("global/get", GROUP_OBJECTS, "Global.value get", "global.get"),
        Case("global/set", GROUP_OBJECTS, "Global.value set", "global.set"),
        Case("compile", GROUP_COMPILE, "new Module (compile), per KB", "compile", unit="ns/KB"),
        Case(
            "instantiate",
            GROUP_COMPILE,
            "new Instance of a small module",
            "instantiate",
            unit="ns/inst",
        ),
        Case(
            "atomics/shared",
            GROUP_AGENTS,
            "Atomics.load+store on a shared memory",
            "atomics.shared",
            reference=REF_SAB,
        ),
        Case(
            "clone/1k",
            GROUP_AGENTS,
            "structuredClone 1 KB",
            "clone",
            1024,
            unit="ns/clone",
            js_engines=("jsapi",),
            v8_na="V8 has no structuredClone in this embedding",
        ),
        Case(
            "clone/64k",
            GROUP_AGENTS,
            "structuredClone 64 KB",
            "clone",
            65536,
            unit="ns/clone",
            js_engines=("jsapi",),
            v8_na="V8 has no structuredClone in this embedding",
        ),
        Case(
            "clone/1m",
            GROUP_AGENTS,
            "structuredClone 1 MB",
            "clone",
            1 << 20,
            unit="ns/clone",
            js_engines=("jsapi",),
            v8_na="V8 has no structuredClone in this embedding",
        ),
    ]


# Rows measured by the agents module (workers), not by the synchronous harness.
AGENT_ROWS = (
    ("agents/pingpong", "Atomics ping-pong page <-> worker (notify + waitAsync)", REF_SAB),
    ("agents/post-shared", "postMessage round trip, shared mode", REF_POST_MESSAGE),
    ("agents/post-isolated", "postMessage round trip, isolated mode", REF_POST_MESSAGE),
)
