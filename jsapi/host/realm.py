"""A host realm: one MiniRacer context with the host's globals and event loop installed.

Only the public API of `py_mini_racer.MiniRacer` is used here (eval, JSPromise.get): the
event loop runs inside V8, Python starts it once and waits for its completion promise.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from importlib import resources

from py_mini_racer import MiniRacer
from py_mini_racer._exc import JSEvalException, JSTimeoutException

from jsapi.host.engines import install_engine

# Order matters: each script attaches to the namespace the previous ones created.
HOST_SCRIPTS = ("prelude.js", "console.js", "event_loop.js", "globals.js")


def load_js(name: str, package: str = "jsapi.host") -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ConsoleMessage:
    level: str
    text: str


@dataclass(frozen=True)
class ScriptError:
    """An exception that escaped a classic script's top level (or its parse)."""

    filename: str
    message: str
    syntax: bool


@dataclass(frozen=True)
class LoopOutcome:
    """How a run of the event loop ended: "stopped", "deadline" or "hung" (no answer)."""

    reason: str
    seconds: float


class Realm:
    """A global object with the host installed; `engine` picks the WebAssembly namespace."""

    def __init__(self, engine: str = "v8") -> None:
        self.engine = engine
        self.racer = MiniRacer()
        for name in HOST_SCRIPTS:
            self.racer.eval(_with_source_url(load_js(name), f"jsapi:host/{name}"))
        install_engine(self, engine)

    def eval(self, code: str) -> object:
        """Evaluate host-internal JavaScript; exceptions propagate to Python."""
        return self.racer.eval(code)

    def run_script(self, source: str, filename: str) -> ScriptError | None:
        """Run a classic script; an uncaught exception is reported at the global (HTML 8.1.4.4).

        Each call is one V8 script, so top-level `let`/`const`/`class` are shared between the
        scripts of a realm as they are between a page's <script> elements.
        """
        try:
            self.racer.eval(_with_source_url(source, filename))
            return None
        except JSEvalException as e:
            syntax = type(e).__name__ == "JSParseException"
            message = _exception_message(str(e))
            args = ", ".join(json.dumps(a) for a in (message, str(e)))
            where = json.dumps({"filename": filename})
            self.racer.eval(f"__jsapiHost.reportError(__jsapiHost.scriptError({args}), {where})")
            return ScriptError(filename, message, syntax)

    def run_loop(
        self,
        timeout: float | None = None,
        *,
        on_deadline: str | None = None,
        grace: float = 1.0,
        virtual_time: bool = False,
        backstop: float = 5.0,
    ) -> LoopOutcome:
        """Run the event loop until `__jsapiHost.loop.stop()` or the deadline.

        `on_deadline` is a JavaScript function expression run as a task when the deadline
        passes; the loop then has `grace` seconds to stop. If V8 does not answer within
        `backstop` seconds after that (a script that never yields), the outcome is "hung" and
        the realm must be discarded.
        """
        options = {"graceMs": grace * 1000, "virtualTime": virtual_time}
        if timeout is not None:
            options["timeoutMs"] = timeout * 1000
        opts = json.dumps(options)
        if on_deadline is not None:
            opts = f"Object.assign({opts}, {{onDeadline: {on_deadline}}})"
        start = time.monotonic()
        promise = self.racer.eval(f"__jsapiHost.loop.run({opts})")
        wait = None if timeout is None else timeout + grace + backstop
        try:
            reason = promise.get(timeout=wait)  # type: ignore[union-attr]
        except JSTimeoutException:
            return LoopOutcome("hung", time.monotonic() - start)
        return LoopOutcome(str(reason), time.monotonic() - start)

    def drain_console(self) -> list[ConsoleMessage]:
        raw = self.racer.eval("__jsapiHost.console.drain()")
        return [ConsoleMessage(m["level"], m["text"]) for m in json.loads(str(raw))]

    def close(self) -> None:
        self.racer.close()

    def __enter__(self) -> Realm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _with_source_url(source: str, filename: str) -> str:
    # A sourceURL names the script in stack traces and in mini-racer's error text.
    return f"{source}\n//# sourceURL={filename}\n"


def _exception_message(text: str) -> str:
    """The "Name: message" line from mini-racer's error text (`file:line: Name: message`)."""
    first = text.split("\n", 1)[0]
    parts = first.split(": ", 1)
    if len(parts) == 2 and ":" in parts[0]:
        return parts[1]
    return first
