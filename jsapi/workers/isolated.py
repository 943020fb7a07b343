"""Isolated mode: each worker is its own isolate (a Bridge) on its own Python thread.

The page's JS serializes a message with the one structured-clone implementation; the record
(plain data and byte strings) crosses the bridge as msgpack, travels through a queue and is
deserialized in the other isolate. SharedArrayBuffers and shared memories cannot cross
isolates: postMessage throws DataCloneError, as in a page that is not cross-origin isolated. A
WebAssembly.Module of this project's engine can: the other isolate gets a Module of its own for
the same compiled module. MessagePorts can: an end that moves to another isolate gets a global
id, and messages to it go through the hub, which knows which isolate owns each id
(isolated_ports.js). A worker is terminated when it next returns to its event loop.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

from jsapi.bridge import Bridge
from jsapi.host import Realm
from jsapi.host.clock import Deadline

HERE = Path(__file__).parent
PAGE = 0  # the isolate id of the page; workers count from 1
# How long an idle event loop blocks in Python waiting for a message (ms).
IDLE_BLOCK_MS = 20.0


def plain(value: Any) -> Any:
    """A deep copy in which the bridge's mailbox views became bytes (they die with the call)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class _Inbox:
    def __init__(self) -> None:
        self.queue: queue.Queue[list[Any]] = queue.Queue()
        self.idle = False

    def take(self, block_ms: float) -> list[list[Any]]:
        items: list[list[Any]] = []
        try:
            if block_ms > 0:
                self.idle = True
                items.append(self.queue.get(timeout=block_ms / 1000))
            while True:
                items.append(self.queue.get_nowait())
        except queue.Empty:
            pass
        finally:
            self.idle = False
        return items


class IsolatedWorker:
    def __init__(
        self, hub: IsolatedHub, wid: int, url: str, name: str, source: str, parent: int = PAGE
    ) -> None:
        self.hub = hub
        self.id = wid
        self.parent = parent  # the isolate that owns its Worker object
        self.url = url
        self.name = name
        self.source = source
        self.inbox = _Inbox()
        self.terminated = False
        self.started = threading.Event()
        self.finished = threading.Event()
        self.thread = threading.Thread(target=self._main, name=f"worker-{wid}", daemon=True)

    def quiet(self) -> bool:
        return self.finished.is_set() or (self.inbox.idle and self.inbox.queue.empty())

    def _main(self) -> None:
        bridge = Bridge()
        try:
            realm = Realm.on_bridge(bridge, self.hub.engine, install_engine=False)
            import jsapi.web

            jsapi.web.install(bridge, root=self.hub.root, origin=self.hub.origin, page_url=self.url)
            realm.install_engine()
            from jsapi.workers.atomics import store_of, wait_alone

            store = store_of(getattr(realm, "webassembly", None))
            if store is not None:
                store.wait_hook = wait_alone
            bridge.expose("worker.recv", self._recv)
            bridge.expose("worker.post", self._post)
            bridge.expose("worker.error", self._error)
            bridge.expose("worker.console", self._console)
            bridge.expose("worker.rejection", self._rejection)
            self.hub.expose_ports(bridge)
            # Workers of its own: spawned through the same hub, their events come back here.
            bridge.expose("workers.spawn", self._spawn)
            bridge.expose("workers.post", self.hub.post)
            bridge.expose("workers.terminate", self.hub.terminate)
            from jsapi.workers.install import load_scripts

            scripts = ("scheduler.js", "messaging.js", "scope.js", "isolated_ports.js")
            load_scripts(bridge, (*scripts, "isolated_parent.js", "isolated_worker.js"), "isolated")
            bridge.eval(f"__jsapiHost.workers.setName({_js(self.name)})")
            bridge.eval(f"__jsapiHost.workers.isolateId = {self.id}")
            self.started.set()
            from jsapi.modules.rewrite import track_async_functions

            realm.run_script(track_async_functions(self.source), self.url)
            realm.run_loop()
        except Exception as e:  # noqa: BLE001 - a worker that cannot start is an error event
            self.hub.to_parent(self, "error", [f"Uncaught {e}", self.url, 0, 0])
        finally:
            self.started.set()
            self.finished.set()
            bridge.close()

    def _recv(self, block_ms: float) -> list[Any]:
        if self.terminated:
            return [["terminate"]]
        return self.inbox.take(block_ms if self.inbox.queue.empty() else 0)

    def _spawn(self, url: str, name: str, source: str) -> int:
        return self.hub.spawn(url, name, source, parent=self.id)

    def _post(self, record: Any) -> None:
        if not self.terminated:
            record = plain(record)
            self.hub.route_ports(record, self.parent)
            self.hub.to_parent(self, "message", record)

    def _error(self, info: Any) -> None:
        if not self.terminated:
            self.hub.to_parent(self, "error", plain(info))

    # The console and the error list are the page's, for workers at any depth.
    def _console(self, level: str, text: str) -> None:
        self.hub.main_inbox.queue.put([self.id, "console", [level, text]])

    def _rejection(self, text: str, url: str) -> None:
        if not self.terminated:
            self.hub.main_inbox.queue.put([self.id, "rejection", [text, url]])


class IsolatedHub:
    """The page side: spawns worker threads and carries messages between isolates."""

    def __init__(self, bridge: Bridge, *, root: Path, origin: str, engine: str) -> None:
        self.bridge = bridge
        self.root = root
        self.origin = origin
        self.engine = engine
        self.main_inbox = _Inbox()
        self.workers: dict[int, IsolatedWorker] = {}
        self._next = 1
        # Which isolate owns each MessagePort end that crossed isolates (global id -> isolate).
        self._port_owner: dict[int, int] = {}
        self._next_port = 1
        self._ports_lock = threading.Lock()
        # WebAssembly.Modules posted between isolates: token -> compiled module (one Python
        # object serves every isolate's namespace).
        self._modules: dict[int, Any] = {}
        self.expose_ports(bridge)
        bridge.expose("workers.spawn", self.spawn)
        bridge.expose("workers.post", self.post)
        bridge.expose("workers.recv", self.recv)
        bridge.expose("workers.terminate", self.terminate)

    def spawn(self, url: str, name: str, source: str, parent: int = PAGE) -> int:
        with self._ports_lock:
            wid = self._next
            self._next += 1
        worker = IsolatedWorker(self, wid, url, name, source, parent)
        self.workers[wid] = worker
        worker.thread.start()
        return wid

    def post(self, wid: int, record: Any) -> None:
        worker = self.workers.get(wid)
        if worker is not None and not worker.terminated:
            record = plain(record)
            self.route_ports(record, wid)
            worker.inbox.queue.put(["message", record])

    # ---- MessagePorts between isolates (isolated_ports.js) -----------------------------------

    def expose_ports(self, bridge: Bridge) -> None:
        bridge.expose("ports.claim", self.port_claim)
        bridge.expose("ports.owner", self.port_owner)
        bridge.expose("ports.post", self.port_post)
        bridge.expose("workers.shareModule", self.share_module)
        bridge.expose("workers.adoptModule", self.adopt_module)

    def share_module(self, compiled: Any) -> int:
        with self._ports_lock:
            token = len(self._modules) + 1
            self._modules[token] = compiled
            return token

    def adopt_module(self, token: int) -> Any:
        with self._ports_lock:
            return self._modules[token]

    def port_claim(self, owner: int) -> int:
        with self._ports_lock:
            pid = self._next_port
            self._next_port += 1
            self._port_owner[pid] = owner
            return pid

    def port_owner(self, pid: int) -> int:
        with self._ports_lock:
            return self._port_owner.get(pid, -1)

    def route_ports(self, record: Any, owner: int) -> None:
        """The ports a message carries (and those of the messages queued for them) now belong
        to the isolate the message goes to."""
        descriptors = record[3] if isinstance(record, list) and len(record) > 3 else []
        with self._ports_lock:
            for pid, _partner, _pending in descriptors:
                self._port_owner[pid] = owner
        for _pid, _partner, pending in descriptors:
            for queued in pending:
                self.route_ports(queued, owner)

    def port_post(self, pid: int, record: Any) -> None:
        owner = self.port_owner(pid)
        record = plain(record)
        self.route_ports(record, owner)
        if owner == PAGE:
            self.main_inbox.queue.put([PAGE, "port", [pid, record]])
            return
        worker = self.workers.get(owner)
        if worker is not None and not worker.terminated:
            worker.inbox.queue.put(["port", pid, record])

    def recv(self, block_ms: float) -> list[Any]:
        """[messages, quiet]: quiet when every worker waits idle and nothing is in flight."""
        items = self.main_inbox.take(block_ms)
        # Workers spawn workers from their own threads: iterate over a copy.
        workers = list(self.workers.values())
        live = [w for w in workers if not w.terminated and not w.finished.is_set()]
        quiet = not items and self.main_inbox.queue.empty() and all(w.quiet() for w in live)
        return [items, quiet]

    def terminate(self, wid: int) -> None:
        """Terminates a worker and the workers it owns (HTML: a terminated worker's children
        are terminated with it)."""
        worker = self.workers.get(wid)
        if worker is None or worker.terminated:
            return
        worker.terminated = True
        worker.inbox.queue.put(["terminate"])
        for child in list(self.workers.values()):
            if child.parent == wid:
                self.terminate(child.id)

    def to_parent(self, worker: IsolatedWorker, kind: str, payload: Any) -> None:
        """An event of `worker` ("message" or "error") for the isolate that owns its Worker."""
        if worker.parent == PAGE:
            self.main_inbox.queue.put([worker.id, kind, payload])
            return
        parent = self.workers.get(worker.parent)
        if parent is not None and not parent.terminated:
            parent.inbox.queue.put(["child", worker.id, kind, payload])

    def close(self, timeout: float = 2.0) -> None:
        for wid in list(self.workers):
            self.terminate(wid)
        # A join cut short by a jump of the machine's clock joins again (jsapi.host.clock).
        deadline = Deadline(timeout)
        for worker in list(self.workers.values()):
            while worker.thread.is_alive() and not deadline.expired():
                worker.thread.join(deadline.step())


def _js(text: str) -> str:
    import json

    return json.dumps(text)
