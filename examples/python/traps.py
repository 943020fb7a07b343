"""Traps: the reference interpreter's message, a wasmtime-style trap_code, and the wasm
frames (innermost first) with function names and offsets."""

from pathlib import Path

from engine import Instance, Module, Store, Trap, wat2wasm

store = Store()
exports = Instance(store, Module.from_file(Path(__file__).with_suffix(".wat")), []).exports(store)

print("report(10, 4) =", exports["report"](store, 10, 4))
try:
    exports["report"](store, 10, 0)
except Trap as trap:
    print("message:", trap.message)
    print("trap_code:", trap.trap_code)
    for frame in trap.frames:
        print(f"  frame: {frame.module_name}!{frame.func_name} (function {frame.func_index})")
    print("--- str(trap) ---")
    print(trap)

for name, args in (("overflow", ()), ("peek", (65534,))):
    try:
        exports[name](store, *args)
    except Trap as trap:
        print(f"{name}: {trap.message} [{trap.trap_code}]")

# From the binary form, each frame also carries byte offsets into the module.
binary = Instance(store, Module(wat2wasm(Path(__file__).with_suffix(".wat").read_text())), [])
try:
    binary.exports(store)["report"](store, 1, 0)
except Trap as trap:
    for frame in trap.frames:
        print(
            f"  function {frame.func_index}: body at 0x{frame.func_offset:x},"
            f" trapped at 0x{frame.module_offset:x}"
        )
