"""Linear memory from Python: write and read strings, grow (from wasm and from Python),
and re-acquire the memoryview after growing."""

from pathlib import Path

from engine import Instance, Module, Store

store = Store()
exports = Instance(store, Module.from_file(Path(__file__).with_suffix(".wat")), []).exports(store)
memory, alloc, upper, count = (exports[n] for n in ("memory", "alloc", "upper", "count"))
print(f"memory: {memory.size(store)} page(s), {memory.data_len(store)} bytes")


def put(text: str) -> tuple[int, int]:
    """Copy ``text`` into memory allocated by the module; return (address, length)."""
    data = text.encode("utf-8")
    ptr = alloc(store, len(data))
    memory.write(store, data, ptr)
    return ptr, len(data)


ptr, n = put("hello from python")
upper(store, ptr, n)
print("upper:", memory.read(store, ptr, ptr + n).decode())
print("count of 'O':", count(store, ptr, n, ord("O")))

# A 100 KB string does not fit in the first page: alloc grows the memory from wasm.
big, big_len = put("abc" * 40_000)
print(f"after a {big_len}-byte alloc: {memory.size(store)} pages")
print("count of 'b':", count(store, big, big_len, ord("b")))

# Growing from Python returns the old size in pages.
print("grow(2) returned", memory.grow(store, 2), "-> now", memory.size(store), "pages")

# A view taken before a grow may show the old buffer: take a fresh one afterwards.
view = memory.buffer(store)
view[ptr : ptr + 5] = b"HOWDY"
del view
print("through a view:", memory.read(store, ptr, ptr + n).decode())
print("last byte index:", memory.data_len(store) - 1, "value", memory[memory.data_len(store) - 1])
