"""A page: an HTML file (or a script) loaded headless under a virtual origin.

`http://localhost/` maps onto the served root; the page's scripts run in document order the
way HTML's parser runs them (HTML 8.1.4: classic scripts while parsing, `async` ones once
parsing is done, `defer` and module scripts in order after parsing), then `DOMContentLoaded`
and `load`, then the event loop runs until the page is quiescent or the timeout expires.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

from jsapi.bridge import Bridge, BridgeTimeout
from jsapi.host import Realm
from jsapi.host.clock import Deadline
from jsapi.host.engines import engine_available
from jsapi.host.realm import ScriptTimeout
from jsapi.page.html import ParsedPage, ScriptInfo, parse_fragment, parse_page
from jsapi.web.services import file_under_root

ORIGIN = "http://localhost"
# Seconds a page whose event loop hung gets to answer for its console and errors.
HUNG_ANSWER = 1.0
# Seconds past the timeout before a task that never returns makes the page "hung".
LOOP_BACKSTOP = 5.0
CLASSIC_TYPES = frozenset(
    ["", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"]
)


# The engine's services throw its error classes by their path under the bridge's internal
# global; only those constructors (no way to Python) stay reachable once the global is gone.
KEEP_ERRORS = """
const wasm = inner && inner.wasm;
if (wasm && typeof wasm.CompileError === "function") {
  const errors = Object.freeze({ CompileError: wasm.CompileError, LinkError: wasm.LinkError,
    RuntimeError: wasm.RuntimeError });
  Object.defineProperty(globalThis, %(key)s, { value: Object.freeze({ wasm: errors }) });
}
"""


def default_engine() -> str:
    """Our engine when its WebAssembly namespace is installed, else V8's own."""
    return "jsapi" if engine_available("jsapi") else "v8"


@dataclass(frozen=True)
class ConsoleEntry:
    level: str
    text: str
    time_ms: float


@dataclass(frozen=True)
class PageError:
    """An exception no listener handled: "exception", "rejection" or "resource"."""

    kind: str
    message: str
    text: str
    filename: str = ""


@dataclass
class PageResult:
    url: str
    engine: str
    status: int
    reason: str
    console: list[ConsoleEntry] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class PageLoadError(Exception):
    """The page file itself cannot be read or lies outside the served root."""


def _script_kind(info: ScriptInfo) -> str | None:
    kind = info.attrs.get("type", "").strip().lower()
    if kind in CLASSIC_TYPES:
        return "classic"
    if kind in ("module", "importmap"):
        return kind
    return None  # a data block: not run


class Page:
    """One page in its own V8 context. `Page.open(path)`, then `run()`; close when done."""

    def __init__(
        self,
        path: Path,
        *,
        root: Path,
        url: str,
        markup: str,
        timeout: float,
        virtual_time: bool,
        engine: str,
        echo: Callable[[str, str], None] | None,
        workers: str | None = None,
        seed: int = 0,
    ) -> None:
        self.path = path
        self.root = root
        self.url = url
        self.timeout = timeout
        self.virtual_time = virtual_time
        self.engine = engine
        self.echo = echo
        self.console: list[ConsoleEntry] = []
        self.errors: list[PageError] = []
        self.result: PageResult | None = None
        # Counted on the jump-proof clock: a leap of the machine's clock must not end the page.
        self._limit = Deadline(timeout)
        self.parsed: ParsedPage = parse_page(markup)
        self.bridge = Bridge()
        self.workers: Any = None  # jsapi.workers.WorkerHub when the page has workers
        try:
            self.realm = Realm.on_bridge(self.bridge, engine, install_engine=False)
            self._install()
            if workers is not None:
                from jsapi.workers import install_workers

                self.workers = install_workers(
                    self.bridge,
                    workers,
                    seed,
                    root=self.root,
                    engine=self.engine,
                    namespace=getattr(self.realm, "webassembly", None),
                )
        except BaseException:
            if self.workers is not None:
                self.workers.close()
            self.bridge.close()
            raise

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        root: str | Path | None = None,
        timeout: float = 30.0,
        virtual_time: bool = False,
        engine: str | None = None,
        echo: Callable[[str, str], None] | None = None,
        workers: str | None = None,
        seed: int = 0,
    ) -> Page:
        """Loads `path` (an .html page or a .js script) served from `root` (default: its folder).

        `echo(level, text)` sees each console message as it is printed. `workers` ("shared" or
        "isolated") gives the page `Worker` and `MessageChannel` (docs/workers.md); `seed`
        orders the agents' tasks in shared mode.
        """
        file = Path(path).resolve()
        served = Path(root).resolve() if root is not None else file.parent
        if not file.is_relative_to(served):
            raise PageLoadError(f"{file} is not inside the served root {served}")
        try:
            text = file.read_text("utf-8")
        except OSError as e:
            raise PageLoadError(f"cannot read {path}: {e.strerror}") from e
        rel = file.relative_to(served).as_posix()
        url = f"{ORIGIN}/{rel}"
        if file.suffix.lower() in (".js", ".mjs"):
            kind = ' type="module"' if file.suffix.lower() == ".mjs" else ""
            markup = f"<!doctype html><html><head><script{kind} src={json.dumps(rel)}></script>"
            url = f"{ORIGIN}/{rel.rsplit('/', 1)[0] + '/' if '/' in rel else ''}"
        else:
            markup = text
        return cls(
            file,
            root=served,
            url=url,
            markup=markup,
            timeout=timeout,
            virtual_time=virtual_time,
            engine=engine or default_engine(),
            echo=echo,
            workers=workers,
            seed=seed,
        )

    # ---- start-up -------------------------------------------------------------------------

    def _install(self) -> None:
        bridge = self.bridge
        bridge.expose("page.config", self._config)
        bridge.expose("page.console", self._on_console)
        bridge.expose("page.parseHTML", lambda markup: json.dumps(parse_fragment(markup)))
        try:
            import jsapi.web

            jsapi.web.install(bridge, root=self.root, origin=ORIGIN, page_url=self.url)
        except ImportError:
            pass
        self.realm.install_engine()
        self.modules: Any = None
        try:
            from jsapi.modules.loader import ModuleLoader, served_root

            self.modules = ModuleLoader(bridge, served_root(self.root, ORIGIN), base_url=self.url)
            self.modules.install()
        except ImportError:
            pass
        bridge.load_js(Path(__file__).with_name("page.js"))
        # Page code must not reach the bridge's internals (and through them, Python).
        key = json.dumps(bridge.key)
        bridge.eval(
            f"(() => {{ const inner = globalThis[{key}]; delete globalThis[{key}];"
            + KEEP_ERRORS % {"key": key}
            + "})()"
        )

    def _config(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "virtualTime": self.virtual_time,
            "tree": self.parsed.tree_json(),
        }

    def _on_console(self, level: str, text: str) -> None:
        entry = ConsoleEntry(level, text, round(self._limit.elapsed() * 1000, 3))
        self.console.append(entry)
        if self.echo is not None:
            self.echo(level, text)

    # ---- running --------------------------------------------------------------------------

    def _remaining(self) -> float:
        return self._limit.left()

    def _resolve(self, src: str) -> tuple[str, Path | None]:
        url = urljoin(self.url, src)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            return url, None
        target = file_under_root(self.root, parts.path)
        if target is None or not target.is_file():
            return url, None
        return url, target

    def _resource_error(self, url: str) -> None:
        # What Chrome's console shows for a script that does not load; no exception is thrown.
        text = f"GET {url} net::ERR_FILE_NOT_FOUND"
        self.realm.eval(f"__jsapiHost.console.emit('error', [{json.dumps(text)}])")
        self.errors.append(PageError("resource", text, text, url))

    def _run_classic(self, info: ScriptInfo, src: str | None) -> None:
        if src is not None:
            url, target = self._resolve(src)
            if target is None:
                self._resource_error(url)
                self.realm.eval(f"__jsapiHost.page.scriptEvent({info.index}, 'error')")
                return
            source = target.read_text("utf-8")
        else:
            url = self.url
            # Leading newlines keep V8's line numbers those of the HTML file.
            source = "\n" * max(info.line - 1, 0) + info.text
        if "import" in source or "async" in source:
            try:
                from jsapi.modules.rewrite import rewrite_classic_script

                source = rewrite_classic_script(source, url)
            except ImportError:
                pass
        self.realm.eval(f"__jsapiHost.page.setCurrentScript({info.index})")
        self.realm.run_script(source, url, timeout=max(self._remaining(), 0.001))
        self.realm.eval("__jsapiHost.page.setCurrentScript(-1)")
        if src is not None:
            self.realm.eval(f"__jsapiHost.page.scriptEvent({info.index}, 'load')")

    def _run_module(self, info: ScriptInfo, src: str | None) -> str:
        if self.modules is None:
            text = "module scripts need jsapi.modules, which is not installed"
            self.realm.eval(f"__jsapiHost.reportError(new TypeError({json.dumps(text)}))")
            return "error"
        if src is not None:
            url, _ = self._resolve(src)
            call = f"{json.dumps(url)}, null, null"
        else:
            source = "\n" * max(info.line - 1, 0) + info.text
            call = f"null, {json.dumps(source)}, {json.dumps(self.url)}"
        self.realm.eval(f"__jsapiHost.page.runModule({info.index}, {call})")
        return self._loop()

    def _loop(self) -> str:
        outcome = self.realm.run_loop(
            self._remaining(),
            virtual_time=self.virtual_time,
            stop_when_idle=True,
            grace=0.0,
            backstop=LOOP_BACKSTOP,
        )
        return outcome.reason

    def run(self) -> PageResult:
        """Runs the page to quiescence (or the timeout) and returns what happened."""
        if self.result is not None:
            return self.result
        try:
            reason = self._load()
        except ScriptTimeout:
            reason = "hung"  # a classic script never returned; V8 terminated it
        load_ms = self._limit.elapsed() * 1000
        if reason not in ("hung", "deadline"):
            reason = self._loop()
        # After a hang V8 may still be running the page's task: ask with a limit, not forever.
        limit = HUNG_ANSWER if reason == "hung" else None
        stuck = False  # V8 did not answer: it is still in the page's task
        try:
            self.realm.eval("void __jsapiHost.console.drain()", limit)
            raw = json.loads(str(self.realm.eval("__jsapiHost.page.errors()", limit)))
        except ScriptTimeout:
            raw = []
            stuck = True
        page_errors = [
            PageError(e["kind"], e["message"], e["text"], e.get("filename") or "") for e in raw
        ]
        resource = [e for e in self.errors if e.kind == "resource"]
        self.errors = page_errors + resource
        if reason == "hung":
            text = f"the page did not return to the event loop within {self.timeout:g} s"
            self.errors.append(PageError("timeout", text, text))
        deadlock = None
        if self.workers is not None and not stuck:
            try:
                deadlock = self.workers.deadlock(limit)
            except BridgeTimeout:
                deadlock = None
        if deadlock is not None:
            reason = "deadlock"
            if not any(e.kind == "deadlock" for e in self.errors):
                first = deadlock.split("\n", 1)[0]
                self.errors.append(PageError("deadlock", first, deadlock))
        failing = ("exception", "rejection", "timeout", "deadlock")
        status = 1 if any(e.kind in failing for e in self.errors) else 0
        self.result = PageResult(
            url=self.url,
            engine=self.engine,
            status=status,
            reason={"idle": "idle", "deadline": "timeout"}.get(reason, reason),
            console=list(self.console),
            errors=list(self.errors),
            timing={
                "load_ms": round(load_ms, 3),
                "total_ms": round(self._limit.elapsed() * 1000, 3),
            },
        )
        return self.result

    def _load(self) -> str:
        """The parser's part (HTML 13.2.6) and the end of parsing (HTML 13.2.7)."""
        deferred: list[tuple[ScriptInfo, str, str | None]] = []
        asynchronous: list[tuple[ScriptInfo, str, str | None]] = []
        for info in self.parsed.scripts:
            kind = _script_kind(info)
            src = info.attrs.get("src")
            if kind == "importmap":
                args = f"{json.dumps(info.text)}, {json.dumps(self.url)}"
                self.realm.eval(f"__jsapiHost.page.addImportMap({args})")
            elif kind == "module":
                (asynchronous if "async" in info.attrs else deferred).append((info, kind, src))
            elif kind == "classic":
                if src is not None and "async" in info.attrs:
                    asynchronous.append((info, kind, src))
                elif src is not None and "defer" in info.attrs:
                    deferred.append((info, kind, src))
                else:
                    self._run_classic(info, src)
        self.realm.eval("__jsapiHost.page.setReadyState('interactive')")
        for info, kind, src in asynchronous + deferred:
            if kind == "classic":
                self._run_classic(info, src)
            else:
                reason = self._run_module(info, src)
                if reason in ("hung", "deadline"):
                    return reason
        self.realm.eval("__jsapiHost.page.domContentLoaded()")
        self.realm.eval("__jsapiHost.page.setReadyState('complete')")
        self.realm.eval("__jsapiHost.page.load()")
        return "loaded"

    # ---- inspection -----------------------------------------------------------------------

    def evaluate(self, code: str) -> Any:
        """Evaluates an expression in the page (after `run()`, or before it to prepare the page)."""
        return self.realm.eval(code)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
        self.realm.close()

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def print_message(
    level: str, text: str, out: TextIO | None = None, err: TextIO | None = None
) -> None:
    """The console as a terminal shows it: warnings and errors on stderr."""
    stream = (err or sys.stderr) if level in ("warn", "error") else (out or sys.stdout)
    stream.write(text + "\n")
    stream.flush()
