"""Linear memory: every load/store width, bounds, grow, bulk operations, multi-memory,
memory64, and a memory whose bytes live in a host-owned buffer replaced on grow."""

from __future__ import annotations

import struct

import pytest
from wasm_helpers import Wasm

from engine.errors import Trap
from engine.runtime.instances import PAGE_SIZE, MemoryInst
from engine.syntax.types import Limits, MemoryType

WIDTHS = """
(module
  (memory (export "mem") 1 3)
  (data (i32.const 16) "\\80\\ff\\7f\\01\\fe\\ff\\ff\\ff\\00\\00\\c0\\7f")
  (func (export "i32.load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "i32.load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i64.load8_s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64.load16_s") (param i32) (result i64) (i64.load16_s (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load32_u") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "f32.load") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "f64.load") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "store-all") (param i32)
    (i32.store8 (local.get 0) (i32.const 0x1234))
    (i32.store16 offset=2 (local.get 0) (i32.const 0xABCDEF))
    (i64.store8 offset=4 (local.get 0) (i64.const 0x1FF))
    (i64.store16 offset=6 (local.get 0) (i64.const 0x12345))
    (i64.store32 offset=8 (local.get 0) (i64.const 0x1122334455))
    (i64.store offset=12 (local.get 0) (i64.const 0x0102030405060708))
    (f32.store offset=20 (local.get 0) (f32.const -1.5))
    (f64.store offset=24 (local.get 0) (f64.const 0.1))
    (i32.store offset=32 (local.get 0) (i32.const 0xDEADBEEF)))
  (func (export "nan-roundtrip") (param i32) (result i32)
    (f32.store (i32.const 100) (f32.load (local.get 0)))
    (i32.load (i32.const 100)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load-after-grow") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.load8_u (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill
            (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy
            (local.get 0) (local.get 1) (local.get 2)))
)
"""


@pytest.fixture()
def w() -> Wasm:
    return Wasm(WIDTHS)


def test_loads_sign_and_zero_extend(w: Wasm) -> None:
    assert w.one("i32.load8_s", 16) == 0xFFFFFF80
    assert w.one("i32.load8_u", 16) == 0x80
    assert w.one("i32.load16_s", 16) == 0xFFFFFF80
    assert w.one("i32.load16_u", 17) == 0x7FFF
    assert w.one("i32.load", 16) == 0x017FFF80
    assert w.one("i64.load8_s", 16) == 0xFFFFFFFFFFFFFF80
    assert w.one("i64.load16_s", 20) == 0xFFFFFFFFFFFFFFFE
    assert w.one("i64.load32_s", 20) == 0xFFFFFFFFFFFFFFFE
    assert w.one("i64.load32_u", 20) == 0xFFFFFFFE
    assert w.one("i64.load", 16) == 0xFFFFFFFE017FFF80


def test_f32_nan_payload_survives_load_and_store(w: Wasm) -> None:
    mem = w.export("mem")
    mem.data[200:204] = struct.pack("<I", 0x7FA00001)  # a signalling NaN
    assert w.one("nan-roundtrip", 200) == 0x7FA00001
    mem.data[204:208] = struct.pack("<f", 2.5)
    assert w.one("f32.load", 204) == 2.5


def test_stores_wrap_to_width(w: Wasm) -> None:
    w.call("store-all", 1000)
    data = bytes(w.export("mem").data[1000:1036])
    assert data[0] == 0x34
    assert data[2:4] == b"\xef\xcd"
    assert data[4] == 0xFF
    assert data[6:8] == b"\x45\x23"
    assert data[8:12] == bytes.fromhex("55443322")
    assert data[12:20] == bytes.fromhex("0807060504030201")
    assert struct.unpack("<f", data[20:24])[0] == -1.5
    assert struct.unpack("<d", data[24:32])[0] == 0.1
    assert w.one("i32.load", 1032) == 0xDEADBEEF
    assert w.one("f64.load", 1024) == 0.1


@pytest.mark.parametrize(
    "name,addr",
    [("i32.load", 65533), ("i32.load8_u", 65536), ("i64.load", 65529), ("f64.load", 65535),
     ("i32.load", 0xFFFFFFFF)],
)  # fmt: skip
def test_out_of_bounds_loads(w: Wasm, name: str, addr: int) -> None:
    with pytest.raises(Trap) as e:
        w.call(name, addr)
    assert e.value.message == "out of bounds memory access"
    assert e.value.frames and e.value.frames[0].func_index == list(w.inst.exports).index(name) - 1


def test_last_bytes_in_bounds(w: Wasm) -> None:
    assert w.one("i32.load", 65532) == 0
    assert w.one("i32.load8_u", 65535) == 0


def test_grow_size_and_limits(w: Wasm) -> None:
    assert w.one("size") == 1
    assert w.one("grow", 1) == 1
    assert w.one("size") == 2
    assert w.one("grow", 5) == 0xFFFFFFFF
    assert w.one("grow", 0) == 2
    assert w.one("load-after-grow", 3 * PAGE_SIZE - 1) == 0
    assert w.one("size") == 3


def test_bulk_fill_and_copy(w: Wasm) -> None:
    w.call("fill", 500, 0x1AB, 10)
    mem = w.export("mem")
    assert bytes(mem.data[500:510]) == b"\xab" * 10
    w.call("copy", 505, 500, 10)  # overlapping
    assert bytes(mem.data[500:515]) == b"\xab" * 15
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("fill", 65530, 0, 7)
    w.call("fill", 65536, 0, 0)  # zero length at the end is fine
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("copy", 0, 65530, 7)


def test_memory_init_and_data_drop() -> None:
    w = Wasm(
        """
        (module (memory 1)
          (data $d "hello")
          (func (export "init") (param i32 i32 i32) (memory.init $d
            (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drop") (data.drop $d))
          (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0))))
        """
    )
    w.call("init", 10, 1, 4)
    assert [w.one("get", 10 + i) for i in range(4)] == list(b"ello")
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("init", 0, 2, 4)
    w.call("drop")
    w.call("init", 0, 0, 0)
    with pytest.raises(Trap, match="out of bounds memory access"):
        w.call("init", 0, 0, 1)


def test_multi_memory_and_memory64() -> None:
    w = Wasm(
        """
        (module
          (memory $a 1)
          (memory $b 2)
          (memory $c i64 1)
          (func (export "move") (param i32) (result i32)
            (i32.store $b (i32.const 70000) (local.get 0))
            (memory.copy $a $b (i32.const 8) (i32.const 70000) (i32.const 4))
            (i32.load $a (i32.const 8)))
          (func (export "sizes") (result i32 i32 i64)
            (memory.size $a) (memory.size $b) (memory.size $c))
          (func (export "load64") (param i64) (result i32) (i32.load8_u $c (local.get 0)))
          (func (export "grow64") (param i64) (result i64) (memory.grow $c (local.get 0))))
        """
    )
    assert w.one("move", 0xCAFEBABE) == 0xCAFEBABE
    assert w.call("sizes") == [1, 2, 1]
    assert w.one("load64", 65535) == 0
    for addr in (65536, 2**40, 2**64 - 1):
        with pytest.raises(Trap, match="out of bounds memory access"):
            w.call("load64", addr)
    assert w.one("grow64", 1) == 1


def test_host_owned_buffer_replaced_on_grow() -> None:
    """A memory backed by a memoryview whose host replaces the buffer on every grow."""
    buffers: list[bytearray] = []

    def grow_hook(mem: MemoryInst, new_len: int) -> memoryview:
        fresh = bytearray(new_len)
        fresh[: len(mem.data)] = mem.data
        buffers.append(fresh)
        return memoryview(fresh)

    first = bytearray(PAGE_SIZE)
    mem = MemoryInst(MemoryType(Limits(1, 10)), memoryview(first), grow_hook)
    w = Wasm(
        """
        (module
          (import "env" "mem" (memory 1))
          (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "run") (result i32)
            (i32.store (i32.const 4) (i32.const 77))
            ;; the callee grows: the caller must re-read the buffer afterwards
            (drop (call $grow (i32.const 2)))
            (i32.store (i32.const 131072) (i32.const 99))
            (i32.add (i32.load (i32.const 4)) (i32.load (i32.const 131072)))))
        """,
        [mem],
    )
    assert w.one("run") == 176
    assert len(buffers) == 1
    assert mem.data.obj is buffers[0]  # type: ignore[union-attr]
    assert struct.unpack_from("<I", buffers[0], 131072)[0] == 99
    assert struct.unpack_from("<I", first, 4)[0] == 77  # written before the grow
