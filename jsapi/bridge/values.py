"""Values crossing the bridge: the msgpack codec, JS handles and the Python object table.

Encoding (msgpack, with extension types):

| JS                                  | wire                 | Python                         |
|-------------------------------------|----------------------|--------------------------------|
| undefined                           | ext 2                | ``UNDEFINED``                  |
| null, boolean, string               | nil, bool, str       | None, bool, str                |
| number                              | int / float64        | int / float                    |
| bigint                              | ext 3 (decimal)      | ``BigInt`` (an int subclass)   |
| Array                               | array (copied)       | list                           |
| ArrayBuffer, typed array, DataView  | bin / ext 5          | bytes / memoryview (see below) |
| any other object, function, symbol  | ext 1 (handle id)    | ``JSHandle``                   |
| ``PyObject`` wrapper                | ext 4 (object id)    | the Python object itself       |

Binaries of 256 bytes or more travel beside the msgpack text (ext 5 holds their place) and reach
Python as a memoryview of the mailbox: valid until the handler returns or first calls JS.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from typing import Any

import msgpack

EXT_HANDLE = 1
EXT_UNDEFINED = 2
EXT_BIGINT = 3
EXT_PYREF = 4
EXT_ATTACH = 5


class _Undefined:
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()


class BigInt(int):
    """A JS BigInt (Python ints otherwise become JS numbers)."""

    def __repr__(self) -> str:
        return f"BigInt({int(self)})"


class JSHandle:
    """A JS value kept alive in the JS-side handle table while this object lives.

    The same JS value always maps to the same id; while a ``JSHandle`` for an id is alive, the
    bridge hands out that same object, so identity of JS values is identity in Python.
    """

    __slots__ = ("id", "_cell", "__weakref__")

    def __init__(self, hid: int, cell: list[int]) -> None:
        self.id = hid
        self._cell = cell

    def __repr__(self) -> str:
        return f"<JSHandle #{self.id}>"


class HandleTable:
    """Python side of the JS handle table. Releases are queued, never sent from a finalizer:
    they ride on the next crossing.

    Used from two threads (services on the V8 thread, top-level calls on others); the locks
    are held only for dictionary and queue updates, never across a crossing. They are
    re-entrant because a collection inside ``get`` may run a release callback there."""

    def __init__(self) -> None:
        self._live: dict[int, weakref.ref[JSHandle]] = {}
        self.pending: deque[tuple[int, int]] = deque()
        self._lock = threading.RLock()
        self._take_lock = threading.Lock()

    def get(self, hid: int) -> JSHandle:
        with self._lock:
            ref = self._live.get(hid)
            h = ref() if ref is not None else None
            if h is not None:
                h._cell[0] += 1
                return h
            cell = [1]
            h = JSHandle(hid, cell)
            pending = self.pending
            live = self._live

            lock = self._lock

            def released(r: weakref.ref[JSHandle], hid: int = hid, cell: list[int] = cell) -> None:
                pending.append((hid, cell[0]))
                with lock:
                    if live.get(hid) is r:
                        del live[hid]

            self._live[hid] = weakref.ref(h, released)
            return h

    def live_count(self) -> int:
        return sum(1 for r in list(self._live.values()) if r() is not None)

    def take_pending(self, limit: int) -> list[tuple[int, int]]:
        """Up to ``limit`` queued releases; each one is taken by exactly one caller."""
        pending = self.pending
        if not pending:
            return []
        out: list[tuple[int, int]] = []
        with self._take_lock:
            while pending and len(out) < limit:
                out.append(pending.popleft())
        return out


class PyTable:
    """Python objects referenced from JS, by small int ids, with counts of how many times each
    id was sent; JS gives the counts back when its wrapper is collected."""

    def __init__(self) -> None:
        self._objs: dict[int, list[Any]] = {}
        self._ids: dict[int, int] = {}
        self._next = 1
        # Services (V8 thread) and top-level calls (other threads) both send and release.
        self._lock = threading.Lock()

    def put(self, obj: Any) -> int:
        with self._lock:
            pid = self._ids.get(id(obj))
            if pid is None:
                pid = self._next
                self._next += 1
                self._ids[id(obj)] = pid
                self._objs[pid] = [obj, 0]
            self._objs[pid][1] += 1
            return pid

    def get(self, pid: int) -> Any:
        return self._objs[pid][0]

    def release(self, pid: int, n: int) -> None:
        with self._lock:
            entry = self._objs.get(pid)
            if entry is None:
                return
            entry[1] -= n
            if entry[1] <= 0:
                del self._objs[pid]
                del self._ids[id(entry[0])]

    def __len__(self) -> int:
        return len(self._objs)

    def clear(self) -> None:
        with self._lock:
            self._objs.clear()
            self._ids.clear()


class Codec:
    """One per mailbox (``attach_base`` and ``mailbox`` belong to the message being decoded).
    ``copy_attachments``: large binaries arrive as ``bytes`` rather than views of the mailbox."""

    def __init__(
        self, handles: HandleTable, pyobjs: PyTable, *, copy_attachments: bool = False
    ) -> None:
        self.handles = handles
        self.pyobjs = pyobjs
        self.attach_base = 0
        self.mailbox: memoryview = memoryview(b"")
        self.copy_attachments = copy_attachments

    def _default(self, obj: Any) -> Any:
        if isinstance(obj, JSHandle):
            return msgpack.ExtType(EXT_HANDLE, obj.id.to_bytes(4, "big"))
        if obj is UNDEFINED:
            return msgpack.ExtType(EXT_UNDEFINED, b"\0")
        if isinstance(obj, BigInt):
            return msgpack.ExtType(EXT_BIGINT, str(int(obj)).encode())
        if isinstance(obj, tuple):
            return list(obj)
        if isinstance(obj, bool | int):
            if -(2**63) <= obj < 2**64:
                return int(obj)
            return msgpack.ExtType(EXT_BIGINT, str(int(obj)).encode())
        if isinstance(obj, float):
            return float(obj)
        if isinstance(obj, str):
            return str(obj)
        if isinstance(obj, bytearray | memoryview):
            return bytes(obj)
        return msgpack.ExtType(EXT_PYREF, self.pyobjs.put(obj).to_bytes(4, "big"))

    def _ext(self, code: int, data: bytes) -> Any:
        if code == EXT_HANDLE:
            return self.handles.get(int.from_bytes(data, "big"))
        if code == EXT_UNDEFINED:
            return UNDEFINED
        if code == EXT_BIGINT:
            return BigInt(int(data.decode()))
        if code == EXT_PYREF:
            return self.pyobjs.get(int.from_bytes(data, "big"))
        if code == EXT_ATTACH:
            off = self.attach_base + int.from_bytes(data[:4], "big")
            view = self.mailbox[off : off + int.from_bytes(data[4:], "big")]
            return bytes(view) if self.copy_attachments else view
        return msgpack.ExtType(code, data)

    def pack(self, value: Any) -> bytes:
        # Ints beyond 64 bits are not handed to default by msgpack: route them through it.
        if type(value) is int and not -(2**63) <= value < 2**64:
            value = BigInt(value)
        try:
            return self._packb(value)
        except OverflowError:
            return self._packb(_widen(value))

    def _packb(self, value: Any) -> bytes:
        return msgpack.packb(
            value,
            default=self._default,
            strict_types=True,
            use_bin_type=True,
            unicode_errors="surrogatepass",
        )

    def unpack(self, data: memoryview, attach_base: int) -> Any:
        self.attach_base = attach_base
        return msgpack.unpackb(
            data,
            ext_hook=self._ext,
            raw=False,
            strict_map_key=False,
            unicode_errors="surrogatepass",
            use_list=True,
        )


def _widen(value: Any) -> Any:
    if type(value) is int and not -(2**63) <= value < 2**64:
        return BigInt(value)
    if type(value) in (list, tuple):
        return [_widen(v) for v in value]
    if type(value) is dict:
        return {k: _widen(v) for k, v in value.items()}
    return value
