"""A host realm: one V8 context with the host's globals and event loop installed.

The context is either a plain MiniRacer (test realms) or the one a `jsapi.bridge.Bridge` owns
(pages: the web APIs and the WebAssembly namespace call Python through the bridge). Only
public mini-racer API is used here (eval, JSPromise.get): the event loop runs inside V8,
Python starts it once and waits for its completion promise.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from py_mini_racer import MiniRacer
from py_mini_racer._exc import JSEvalException, JSTimeoutException

from jsapi.host.clock import Deadline
from jsapi.host.engines import install_engine as install_namespace

if TYPE_CHECKING:
    from jsapi.bridge import Bridge

# Order matters: each script attaches to the namespace the previous ones created.
HOST_SCRIPTS = (
    "prelude.js",
    "console.js",
    "event_loop.js",
    "globals.js",
    "rejections.js",
    "dom.js",
)


def load_js(name: str, package: str = "jsapi.host") -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ConsoleMessage:
    level: str
    text: str


class ScriptTimeout(Exception):
    """A classic script ran past its time limit and was terminated."""


@dataclass(frozen=True)
class ScriptError:
    """An exception that escaped a classic script's top level (or its parse)."""

    filename: str
    message: str
    syntax: bool
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class EvalErrorInfo:
    message: str
    stack: str
    filename: str
    line: int
    column: int


@dataclass(frozen=True)
class LoopOutcome:
    """How a run of the event loop ended: "stopped", "deadline" or "hung" (no answer)."""

    reason: str
    seconds: float


class Realm:
    """A global object with the host installed; `engine` picks the WebAssembly namespace.

    With `bridge`, the realm lives in the bridge's context (and closing the realm closes the
    bridge); `install_engine=False` leaves the namespace to the caller, who may first install
    what the namespace depends on.
    """

    def __init__(
        self,
        engine: str = "v8",
        *,
        bridge: Bridge | None = None,
        install_engine: bool = True,
    ) -> None:
        self.engine = engine
        self.bridge = bridge
        self.last_value: object = None
        self.racer: Any = MiniRacer() if bridge is None else None
        for name in HOST_SCRIPTS:
            self.eval(_with_source_url(load_js(name), f"jsapi:host/{name}"))
        if install_engine:
            self.install_engine()

    @classmethod
    def on_bridge(cls, bridge: Bridge, engine: str = "v8", **options: Any) -> Realm:
        return cls(engine, bridge=bridge, **options)

    def install_engine(self) -> None:
        install_namespace(self, self.engine)

    def eval(self, code: str, timeout: float | None = None) -> object:
        """Evaluate host-internal JavaScript; exceptions propagate to Python.

        With ``timeout`` (seconds), a script still running then is terminated by V8 and
        ``ScriptTimeout`` is raised; the realm stays usable.
        """
        try:
            if self.bridge is None:
                return self.racer.eval(code, timeout_sec=timeout)
            return self.bridge.eval(code, timeout=timeout)
        except (TimeoutError, JSTimeoutException) as e:
            raise ScriptTimeout(f"the script did not finish within {timeout:g} s") from e

    def run_script(
        self, source: str, filename: str, timeout: float | None = None
    ) -> ScriptError | None:
        """Run a classic script; an uncaught exception is reported at the global (HTML 8.1.4.4).

        Each call is one V8 script, so top-level `let`/`const`/`class` are shared between the
        scripts of a realm as they are between a page's <script> elements. A script that runs
        past ``timeout`` raises ``ScriptTimeout``.
        """
        try:
            self.last_value = self.eval(_with_source_url(source, filename), timeout)
            return None
        except JSEvalException as e:
            syntax = type(e).__name__ == "JSParseException"
            info = parse_eval_error(str(e), syntax, filename)
            args = ", ".join(json.dumps(a) for a in (info.message, info.stack))
            where = json.dumps(
                {"filename": info.filename or filename, "lineno": info.line, "colno": info.column}
            )
            self.eval(f"__jsapiHost.reportError(__jsapiHost.scriptError({args}), {where})")
            message = info.message
            return ScriptError(filename, message, syntax, info.line, info.column)

    def run_loop(
        self,
        timeout: float | None = None,
        *,
        on_deadline: str | None = None,
        grace: float = 1.0,
        virtual_time: bool = False,
        backstop: float = 5.0,
        stop_when_idle: bool = False,
    ) -> LoopOutcome:
        """Run the event loop until `__jsapiHost.loop.stop()` or the deadline.

        `on_deadline` is a JavaScript function expression run as a task when the deadline
        passes; the loop then has `grace` seconds to stop. If V8 does not answer within
        `backstop` seconds after that (a script that never yields), the outcome is "hung" and
        the realm must be discarded.

        The deadline is kept here, on the jump-proof clock (jsapi.host.clock), not in the
        loop: V8's Date.now follows the machine's wall clock, which can leap forward.
        """
        options = json.dumps({"virtualTime": virtual_time, "stopWhenIdle": stop_when_idle})
        limit = Deadline(timeout)
        answer = None if timeout is None else timeout + grace + backstop
        try:
            # A task already running (a timer V8 fired before the loop started) may never end.
            done = LoopSignal(self.eval(f"__jsapiHost.loop.runSignalled({options})", answer))
            reason = done.wait(limit)
            if reason is None and on_deadline is not None:
                self.eval(f"__jsapiHost.loop.postTask(({on_deadline}), [])", backstop)
                reason = done.wait(Deadline(grace))
            if reason is None:
                self.eval("__jsapiHost.loop.stop('deadline')", backstop)
                reason = done.wait(Deadline(backstop))
        except (JSTimeoutException, ScriptTimeout):
            return LoopOutcome("hung", limit.elapsed())
        return LoopOutcome("hung" if reason is None else reason, limit.elapsed())

    def drain_console(self) -> list[ConsoleMessage]:
        raw = self.eval("__jsapiHost.console.drain()")
        return [ConsoleMessage(m["level"], m["text"]) for m in json.loads(str(raw))]

    def close(self) -> None:
        pool = getattr(getattr(self, "webassembly", None), "pool", None)
        if pool is not None:
            pool.stop()
        if self.bridge is not None:
            self.bridge.close()
        else:
            self.racer.close()

    def __enter__(self) -> Realm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LoopSignal:
    """Where a run of the event loop says how it ended (``loop.runSignalled``): a
    SharedArrayBuffer Python reads directly, so waiting for the end needs nothing from V8 or
    from mini-racer's event-loop thread, and a time limit holds even when a task never yields."""

    def __init__(self, buffer: Any) -> None:
        if not isinstance(buffer, memoryview):
            raise TypeError("the event loop did not return its signal buffer")
        self.view = buffer

    def reason(self) -> str | None:
        n = int.from_bytes(self.view[0:4], "little", signed=True)
        if n == 0:
            return None
        return "" if n < 0 else bytes(self.view[4 : 4 + n]).decode("ascii")

    def wait(self, deadline: Deadline) -> str | None:
        """The reason the run ended, or None if it is still going at the deadline."""
        pause = 0.0005
        while True:
            reason = self.reason()
            if reason is not None or deadline.expired():
                return reason
            time.sleep(min(pause, deadline.step()))
            pause = min(pause * 2, 0.01)


def _with_source_url(source: str, filename: str) -> str:
    # A sourceURL names the script in stack traces and in mini-racer's error text.
    return f"{source}\n//# sourceURL={filename}\n"


def parse_eval_error(text: str, syntax: bool, default_filename: str = "") -> EvalErrorInfo:
    """Splits mini-racer's error text: `file:line: Name: message`, the source line, a caret
    line, then (after a blank line) V8's stack. A syntax error's stack names its place the way
    Chrome's console does: `SyntaxError: message (at file:line:column)`."""
    message = _exception_message(text)
    head = text.split("\n", 1)[0]
    filename, line = "", 0
    where = head.split(": ", 1)[0]
    if ":" in where:
        name, _, number = where.rpartition(":")
        if number.isdigit():
            filename, line = name, int(number)
    if filename in ("", "<anonymous>"):
        filename = default_filename
    lines = text.split("\n")
    column = 0
    if len(lines) > 2 and lines[2].strip() == "^":
        column = lines[2].index("^") + 1
    _, blank, after = text.partition("\n\n")
    stack = after.rstrip("\n") if blank and after.strip() else message
    if syntax and filename:
        stack = (
            f"{message} (at {filename}:{line}:{column})"
            if column
            else f"{message} (at {filename}:{line})"
        )
    return EvalErrorInfo(message, stack, filename, line, column)


def _exception_message(text: str) -> str:
    """The "Name: message" line from mini-racer's error text (`file:line: Name: message`)."""
    first = text.split("\n", 1)[0]
    parts = first.split(": ", 1)
    if len(parts) == 2 and ":" in parts[0]:
        return parts[1]
    return first
