"""The bridge: one V8 context, synchronous JS -> Python services, re-entrant JS calls.

JS drives, Python serves. JS writes a request into a SharedArrayBuffer mailbox and calls a raw
synchronous callback; Python runs the service in a fresh greenlet on the V8 thread and writes the
reply. A service that needs to call JS (``Bridge.call_js``) writes a "call JS" reply and switches
out of its greenlet; JS performs the call (which may request more services, to any depth) and
sends the result or the thrown value back, which resumes the suspended greenlet. Python never
touches the isolate from inside a callback: that would deadlock.

Top-level calls (``eval``, ``call``, ``handle``...) come from other Python threads while V8 may
still be running timers and microtasks that call services on the V8 thread, so they never touch
the mailbox those services use: their requests and replies travel in a second mailbox that only
the calling thread and the JS side of the top-level task use (``bridge.js``: ``fromTop``/``toTop``).
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from greenlet import GreenletExit, getcurrent, greenlet
from py_mini_racer import JSTimeoutException

from jsapi.bridge._racer import RacerContext, buffer_address, view_at
from jsapi.bridge.errors import BridgeError, BridgeTimeout, JSError, ThrowJS
from jsapi.bridge.values import UNDEFINED, Codec, HandleTable, JSHandle, PyTable

HEADER = 32
# op, payload length, capacity, argument, releases, message length, request id (JS numbers each
# request; a reply names the request it completes, -1: whichever request is waiting on top).
_HDR = struct.Struct("<7i")
OP_CALL, OP_RESUME, OP_RESUME_THROW, OP_FETCH, OP_RAW_CALL = 1, 2, 3, 4, 5
R_RET, R_THROW_PY, R_THROW_JS, R_CALLJS, R_NEED, R_RET_RAW, R_PARKED = 1, 2, 3, 4, 5, 6, 7
_MAX_RELEASES = 4096
# A growable SharedArrayBuffer reserves its maximum up front, out of a process-wide V8 budget of
# about 1 TiB (docs/bridge.md), so one message is at most 256 MiB (a larger one throws a
# RangeError in JS); top-level calls carry start-up data only.
MAX_MAILBOX = 1 << 28
MAX_TOP_MAILBOX = 1 << 28


def _align(n: int, a: int) -> int:
    return (n + a - 1) & ~(a - 1)


class _Request(greenlet):  # type: ignore[misc]
    bridge: Bridge | None = None
    rid = -1


class Bridge:
    """Owns one MiniRacer context and the JS half of the bridge (``bridge.js``)."""

    def __init__(
        self,
        *,
        key: str = "__jsapiBridge",
        initial_mailbox: int = 1 << 16,
        max_mailbox: int = MAX_MAILBOX,
        max_top_mailbox: int = MAX_TOP_MAILBOX,
        racer: Any = None,
    ) -> None:
        self.key = key
        # ``racer``: an existing MiniRacer to serve (e.g. a host realm's); a fresh one otherwise.
        self._racer = RacerContext(racer)
        self.handles = HandleTable()
        self.pyobjs = PyTable()
        self.codec = Codec(self.handles, self.pyobjs)
        # Binaries in top-level replies are copied: the top mailbox is reused by the next call.
        self._top_codec = Codec(self.handles, self.pyobjs, copy_attachments=True)
        self.error_types: dict[type[BaseException], str] = {
            TypeError: "TypeError",
            RecursionError: "RangeError",
        }
        self._services: dict[int, tuple[str, Callable[..., Any], bool]] = {}
        self._suspended: dict[int, greenlet] = {}
        self._next_token = 1
        self._pending: tuple[int, int, bytes, int] | None = None
        self._closed = False
        # Serialises top-level calls of different threads (they share the top mailbox). Never
        # taken on the V8 thread, so holding it while V8 works cannot deadlock.
        self._top_lock = threading.Lock()
        self._top_owner: int | None = None
        source = resources.files("jsapi.bridge").joinpath("bridge.js").read_text("utf-8")
        top_max = min(max_top_mailbox, max_mailbox)
        args = f"{json.dumps(key)}, {max_mailbox}, {initial_mailbox}, {top_max}"
        install = self._racer.eval(f"{source}({args})")
        mailbox = install(self._racer.make_callback(self._serve))
        self._mb_keep = mailbox
        self._mb_addr = buffer_address(mailbox)
        self._mv: memoryview = view_at(self._mb_addr, len(mailbox))
        self.codec.mailbox = self._mv
        k = json.dumps(key)
        top = self._racer.eval(
            f"(() => {{ const b = globalThis[{k}]; return (n) => b.top[n]; }})()"
        )
        self._top: dict[str, Any] = {
            n: top(n) for n in ("call", "handleOf", "releases", "grow", "define", "load", "pin")
        }
        top_box = top("mailbox")
        self._top_keep = top_box
        self._top_addr = buffer_address(top_box)
        self._top_mv: memoryview = view_at(self._top_addr, len(top_box))
        self._top_codec.mailbox = self._top_mv

    # ---- top level: Python drives (start-up, tear-down, tests) ----------------------------------

    def _check_top(self) -> None:
        if self._closed:
            raise BridgeError("the bridge is closed")
        if threading.get_ident() == self._racer.v8_thread:
            # A service runs inside a V8 task: a new task could only start after it returns.
            raise BridgeError("cannot drive JS from Python while serving a JS request")
        if self._top_owner == threading.get_ident():
            raise BridgeError("a top-level call is already in progress on this thread")

    @contextmanager
    def _top_call(self) -> Iterator[None]:
        """Checks and serialises one top-level operation (any thread but V8's)."""
        self._check_top()
        with self._top_lock:
            self._top_owner = threading.get_ident()
            try:
                if self._closed:
                    raise BridgeError("the bridge is closed")
                yield
            finally:
                self._top_owner = None

    def _flush_top(self) -> None:
        if self.handles.pending:
            self._write_top(b"")
            self._top["releases"]()

    def _write_top(self, payload: bytes) -> None:
        """Writes a top-level request (and pending handle releases) into the top mailbox."""
        rel = self.handles.take_pending(_MAX_RELEASES)
        need = _align(HEADER + len(payload), 4) + 8 * len(rel)
        mv = self._refresh_top()
        if need > len(mv):
            self._top["grow"](need)
            mv = self._refresh_top()
        n = len(payload)
        mv[HEADER : HEADER + n] = payload
        at = _align(HEADER + n, 4)
        for hid, count in rel:
            struct.pack_into("<ii", mv, at, hid, count)
            at += 8
        _HDR.pack_into(mv, 0, 0, n, len(mv), 0, len(rel), n, 0)

    def _refresh_top(self) -> memoryview:
        cap = struct.unpack_from("<i", self._top_mv, 8)[0]
        if cap > len(self._top_mv):
            self._top_mv = view_at(self._top_addr, cap)
            self._top_codec.mailbox = self._top_mv
        return self._top_mv

    def _timed(self, run: Callable[[], Any], timeout: float | None) -> Any:
        if timeout is None:
            return run()
        try:
            return run()
        except JSTimeoutException as exc:
            raise BridgeTimeout(
                f"JavaScript did not finish within {timeout} s and was terminated"
            ) from exc

    def eval(self, code: str, *, timeout: float | None = None) -> Any:
        """Evaluates a script (start-up and tear-down; hundreds of microseconds per call).

        ``timeout`` (seconds, counted from the call, so including any wait for V8 to finish
        the task it is running) terminates the script and raises ``BridgeTimeout``; the
        bridge stays usable."""
        with self._top_call():
            self._flush_top()
            return self._timed(lambda: self._racer.eval(code, timeout), timeout)

    def load_js(self, path: str | Path, *, timeout: float | None = None) -> Any:
        """Runs a .js file as the body of ``function (bridge) {...}``, ``bridge`` being the
        internal object (``bridge.services.<name>(...)`` calls an exposed service)."""
        source = Path(path).read_text("utf-8")
        with self._top_call():
            return self._timed(lambda: self._top["load"](source, timeout_sec=timeout), timeout)

    def expose(self, name: str, handler: Callable[..., Any], *, raw: bool = False) -> None:
        """Makes ``bridge.services[name]`` a synchronous JS function served by ``handler``.

        msgpack services get the decoded JS arguments and return a value; raw services get a
        memoryview of the request bytes and return a bytes-like reply, which JS receives as a
        Uint8Array view of the mailbox (valid until the next crossing)."""
        with self._top_call():
            sid = len(self._services) + 1
            self._services[sid] = (name, handler, raw)
            self._top["define"](name, sid, raw)

    def handle(self, expr: str) -> JSHandle:
        """A handle to the value of a JS expression."""
        with self._top_call():
            self._flush_top()
            self._top["handleOf"](expr)
            return self._read_top_reply()

    def call(self, fn: JSHandle, *args: Any, this: Any = UNDEFINED) -> Any:
        """Calls a JS function from the top level (outside of any served request)."""
        cur = getcurrent()
        if isinstance(cur, _Request) and cur.bridge is self:
            return self.call_js(fn, *args, this=this)
        with self._top_call():
            self._write_top(self._top_codec.pack([fn, this, list(args)]))
            self._top["call"]()
            return self._read_top_reply()

    def _read_top_reply(self) -> Any:
        mv = self._refresh_top()
        op, _total, _cap, _arg, nrel, msglen, _rid = _HDR.unpack_from(mv, 0)
        self._apply_py_releases(mv, nrel)
        value = self._top_codec.unpack(mv[HEADER : HEADER + msglen], _align(HEADER + msglen, 8))
        if op == R_THROW_JS:
            raise self._thrown(value)
        return value

    def acquire_view(self, expr: str) -> Any:
        from jsapi.bridge.views import BufferView

        with self._top_call():
            self._flush_top()
            buf = self._top["pin"](expr)
            if not isinstance(buf, memoryview):
                raise BridgeError(f"not a buffer: {expr}")
            owner, kind, maximum = self._read_top_reply()
        return BufferView(self, owner, buffer_address(buf), len(buf), kind, maximum)

    def close(self) -> None:
        """Tears the context down; suspended requests are dropped, handles become invalid."""
        if self._closed:
            return
        self._closed = True
        self._suspended.clear()
        self.pyobjs.clear()
        self._racer.close()

    def __enter__(self) -> Bridge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    # ---- serving: JS drives ---------------------------------------------------------------------

    def call_js(self, fn: JSHandle, *args: Any, this: Any = UNDEFINED) -> Any:
        """Calls a JS function from inside a served request; JS exceptions raise ``JSError``
        (or the original Python exception, when the thrown value came from Python)."""
        cur = getcurrent()
        if not (isinstance(cur, _Request) and cur.bridge is self):
            return self.call(fn, *args, this=this)
        token = self._next_token
        self._next_token += 1
        self._suspended[token] = cur
        self._reply(R_CALLJS, token, self.codec.pack([fn, this, list(args)]))
        kind, value = cur.parent.switch()
        if kind == "err":
            raise value
        return value

    def park_token(self) -> int:
        """A token for ``park``: give it to the JS code that will resume the request."""
        token = self._next_token
        self._next_token += 1
        return token

    def park(self, token: int) -> Any:
        """Suspends the request being served until JS calls ``bridge.resume(token, value)``,
        and returns that value.

        The JS frame that made the request stays on the stack and runs the host's park hook
        (``bridge.parkHook``, e.g. a scheduler running other agents) until its reply is ready.
        The request may be resumed from inside any later crossing, so suspended requests are
        resumed in any order, not only last-in first-out as the JS frames return; a reply that
        completes a request whose frame is not on top waits on the JS side for that frame."""
        cur = getcurrent()
        if not (isinstance(cur, _Request) and cur.bridge is self):
            raise BridgeError("park() outside of a served request")
        self._suspended[token] = cur
        self._reply(R_PARKED, token, b"")
        kind, value = cur.parent.switch()
        if kind == "err":
            raise value
        return value

    def _refresh(self) -> memoryview:
        cap = struct.unpack_from("<i", self._mv, 8)[0]
        if cap > len(self._mv):
            self._mv = view_at(self._mb_addr, cap)
            self.codec.mailbox = self._mv
        return self._mv

    def _write(
        self, op: int, arg: int, payload: bytes | memoryview, msglen: int = -1, rid: int = -1
    ) -> None:
        mv = self._mv
        n = len(payload)
        mv[HEADER : HEADER + n] = payload
        at = _align(HEADER + n, 4)
        # Releases queued since ``_reply`` measured the message wait for the next one.
        rel = self.handles.take_pending(min(_MAX_RELEASES, (len(mv) - at) >> 3))
        for hid, count in rel:
            struct.pack_into("<ii", mv, at, hid, count)
            at += 8
        cap = struct.unpack_from("<i", mv, 8)[0]
        _HDR.pack_into(mv, 0, op, n, cap, arg, len(rel), n if msglen < 0 else msglen, rid)

    def _reply(
        self, op: int, arg: int, payload: bytes | memoryview, rid: int | None = None
    ) -> None:
        if rid is None:
            rid = getattr(getcurrent(), "rid", -1)
        mv = self._refresh()
        rel = min(len(self.handles.pending), _MAX_RELEASES)
        need = _align(HEADER + len(payload), 4) + 8 * rel
        if need > len(mv):
            self._pending = (op, arg, bytes(payload), rid)
            cap = struct.unpack_from("<i", mv, 8)[0]
            _HDR.pack_into(mv, 0, R_NEED, 0, cap, need, 0, 0, -1)
            return
        self._write(op, arg, payload, rid=rid)

    def _apply_py_releases(self, mv: memoryview, nrel: int) -> None:
        if not nrel:
            return
        total = struct.unpack_from("<i", mv, 4)[0]
        at = _align(HEADER + total, 4)
        for _ in range(nrel):
            pid, n = struct.unpack_from("<ii", mv, at)
            self.pyobjs.release(pid, n)
            at += 8

    def _serve(self) -> None:
        """The raw callback, on the V8 thread, while JS waits. Nothing may escape."""
        try:
            mv = self._refresh()
            op, total, _cap, arg, nrel, msglen, rid = _HDR.unpack_from(mv, 0)
            self._apply_py_releases(mv, nrel)
            if op in (OP_CALL, OP_RAW_CALL):
                g = _Request(self._run, parent=getcurrent())
                g.bridge = self
                g.rid = rid
                g.switch(op, arg, total, msglen)
            elif op in (OP_RESUME, OP_RESUME_THROW):
                g = self._suspended.pop(arg)
                value = self.codec.unpack(mv[HEADER : HEADER + msglen], _align(HEADER + msglen, 8))
                if op == OP_RESUME:
                    g.switch(("ok", value))
                else:
                    g.switch(("err", self._thrown(value)))
            elif op == OP_FETCH:
                pending, self._pending = self._pending, None
                if pending is None:
                    raise BridgeError("no pending reply to fetch")
                self._reply(*pending)
            else:
                raise BridgeError(f"bad request op {op}")
        except BaseException as exc:  # noqa: BLE001 - a crash in ctypes would hang JS
            self._reply_error(exc)

    def _thrown(self, info: list[Any]) -> BaseException:
        value, text, pyexc = info
        if isinstance(pyexc, BaseException):
            return pyexc
        return JSError(value, text)

    def _run(self, op: int, sid: int, total: int, msglen: int) -> None:
        try:
            _name, handler, raw = self._services[sid]
            mv = self._mv
            if op == OP_RAW_CALL:
                result = handler(mv[HEADER : HEADER + msglen])
                self._reply(R_RET_RAW, 0, result)
            else:
                args = self.codec.unpack(mv[HEADER : HEADER + msglen], _align(HEADER + msglen, 8))
                self._reply(R_RET, 0, self.codec.pack(handler(*args)))
        except GreenletExit:
            raise
        except BaseException as exc:  # noqa: BLE001
            self._reply_error(exc)

    def _reply_error(self, exc: BaseException) -> None:
        try:
            if isinstance(exc, JSError):
                self._reply(R_THROW_JS, exc.value.id, b"")
                return
            if isinstance(exc, ThrowJS):
                info: list[Any] = [exc.constructor, exc.message, None]
            else:
                ctor = "Error"
                for klass in type(exc).__mro__:
                    if klass in self.error_types:
                        ctor = self.error_types[klass]
                        break
                text = str(exc)
                message = text if ctor != "Error" else f"{type(exc).__name__}: {text}"
                info = [ctor, message, exc]
            self._reply(R_THROW_PY, 0, self.codec.pack(info))
        except BaseException as inner:  # noqa: BLE001
            fallback = self.codec.pack(["Error", f"{type(inner).__name__}: {inner}", None])
            self._write(R_THROW_PY, 0, fallback, rid=getattr(getcurrent(), "rid", -1))

    # ---- introspection for tests and the bench --------------------------------------------------

    def js_handle_count(self) -> int:
        return int(self.eval(f"globalThis[{json.dumps(self.key)}].handleCount()"))

    def js_pyref_count(self) -> int:
        return int(self.eval(f"globalThis[{json.dumps(self.key)}].pyRefCount()"))
