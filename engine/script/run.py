"""The WAST script runner: checks every command the way the reference's script/runner.ml
does.

Counting: every command of a script counts as one check, passed, failed or skipped (a module
command passes when it decodes/parses, validates and, unless it is a ``module definition``,
instantiates).  A command that makes the runner itself fail with an unexpected Python
exception is a failure too, and the run goes on with the next command.  A command that needs
a piece of the engine that is not built yet (an import that fails) is skipped, never passed;
so is every later command that uses a module that could not be built for that reason.

Threads: ``(thread $t ...)`` starts a Python thread that runs the commands, in order, in a
namespace holding only its shared modules (plus ``spectest``), with a store of its own;
``(wait $t)`` joins it.  ``memory.atomic.wait`` / ``notify`` work across these threads
(engine/script/threads.py).  The checks a thread makes count like any other.

Time limit: each file runs under a deadline.  Running code past it traps with "interrupted"
(``Store.deadline``), and, should anything not reach such a check, a timer signal stops the
command; the file's remaining commands are counted as failed without running.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from engine.errors import (
    CompileError,
    InvalidError,
    LinkError,
    MalformedError,
    Trap,
    WasmError,
    WasmException,
)
from engine.runtime.instances import GlobalInst, ModuleInst
from engine.runtime.link import Registry
from engine.runtime.store import Store
from engine.script import ast as S
from engine.script.results import results_match, show_result, show_value, value_of_const
from engine.script.spectest import Spectest
from engine.script.threads import WaitQueues
from engine.syntax.ast import Module
from engine.text.script import UnavailableError, parse_quoted_module


class Failure(Exception):
    """A check did not hold (the reference's Assert.error / wrong ... error)."""


class Skip(Exception):
    """The check cannot run: a piece of the engine it needs is not built."""


class FileTimeout(BaseException):
    """The file's time limit passed (a BaseException so that no handler swallows it)."""


# The part of the engine a failure most likely belongs to, by the stage that was running.
OWNERS = ("decoder", "text parser", "validator", "exec", "runner")

# Command kinds, as ``--only`` names them.
KINDS = (
    "module",
    "instance",
    "register",
    "action",
    "return",
    "trap",
    "exhaustion",
    "exception",
    "malformed",
    "invalid",
    "unlinkable",
    "uninstantiable",
    "thread",
)
# Kinds that need instances: when none of these is selected, modules are only compiled.
EXEC_KINDS = frozenset(KINDS) - {"module", "malformed", "invalid"}


def command_kind(cmd: S.Command) -> str:
    if isinstance(cmd, S.ModuleCommand):
        return "module"
    if isinstance(cmd, S.InstanceCommand):
        return "instance"
    if isinstance(cmd, S.Register):
        return "register"
    if isinstance(cmd, S.ActionCommand):
        return "action"
    if isinstance(cmd, S.AssertReturn):
        return "return"
    if isinstance(cmd, S.AssertTrap):
        return "uninstantiable" if isinstance(cmd.target, S.ScriptModule) else "trap"
    if isinstance(cmd, S.AssertExhaustion):
        return "exhaustion"
    if isinstance(cmd, S.AssertException):
        return "exception"
    if isinstance(cmd, S.AssertModule):
        return cmd.kind
    return "thread"


@dataclass
class FileResult:
    path: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # parallel to failures
    kinds: list[str] = field(default_factory=list)  # parallel to failures
    # kind -> [passed, failed, skipped]
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        s = f"{self.path}: {self.passed} passed, {self.failed} failed"
        return s + (f", {self.skipped} skipped" if self.skipped else "")

    def count(self, kind: str, outcome: int) -> None:
        self.by_kind.setdefault(kind, [0, 0, 0])[outcome] += 1


_SKIPPED: Any = object()  # a module or instance that could not be built for want of a piece


@dataclass
class _Defined:
    module: Module
    info: Any


class Namespace:
    """What a script (or one of its threads) can name: modules, instances, registrations."""

    def __init__(self, spectest: Spectest) -> None:
        self.modules: dict[str, Any] = {}
        self.instances: dict[str, Any] = {}
        self.registry = Registry()
        self.registry.register_lookup("spectest", spectest.lookup)

    def bind_module(self, name: str | None, d: Any) -> None:
        if name is not None:
            self.modules[name] = d
        self.modules[""] = d

    def bind_instance(self, name: str | None, inst: Any) -> None:
        if name is not None:
            self.instances[name] = inst
        self.instances[""] = inst

    def module(self, name: str | None) -> _Defined:
        d = self.modules.get(name or "")
        if d is None:
            raise Failure("no module defined" if name is None else f"unknown module ${name}")
        if d is _SKIPPED:
            raise Skip("module not built")
        return d  # type: ignore[no-any-return]

    def instance(self, name: str | None) -> ModuleInst:
        inst = self.instances.get(name or "")
        if inst is None:
            raise Failure(
                "no module instance defined" if name is None else f"unknown instance ${name}"
            )
        if inst is _SKIPPED:
            raise Skip("instance not built")
        return inst  # type: ignore[no-any-return]


def _check_message(kind: str, msg: str, expected: str) -> None:
    # The reference's assert_message: the expected text is a prefix of the actual one.
    if not msg.startswith(expected):
        raise Failure(f'wrong {kind} error: got "{msg}", expected "{expected}"')


def _missing_piece(e: BaseException) -> bool:
    """Is this exception a part of the engine that has not been built?"""
    if isinstance(e, (ImportError, UnavailableError)):
        return True
    return isinstance(e, AttributeError) and "module 'engine." in str(e)


class ScriptRunner:
    def __init__(
        self,
        path: str = "",
        timeout: float | None = None,
        only: frozenset[str] | None = None,
        roundtrip: bool = False,
    ) -> None:
        self.path = path
        self.store = Store()
        self.timeout = timeout
        self.only = only
        self.instantiate_modules = only is None or bool(only & EXEC_KINDS)
        self.roundtrip = roundtrip
        self.spectest = Spectest()
        self.result = FileResult(path)
        self.stage = "runner"
        self.timed_out = False
        self.lock = threading.Lock()  # the result is shared with the script's threads
        self.waits = WaitQueues()
        self.waits.install(self.store)
        self.threads: dict[str, threading.Thread] = {}

    def child(self) -> ScriptRunner:
        """A runner for a script thread: its own store and stage, everything else shared."""
        c = ScriptRunner.__new__(ScriptRunner)
        c.__dict__.update(self.__dict__)
        c.store = Store(max_call_depth=self.store.max_call_depth)
        c.store.deadline = self.store.deadline
        c.waits.install(c.store)
        c.stage = "runner"
        return c

    # --- driving ---------------------------------------------------------------------

    def run_text(self, text: str) -> FileResult:
        from engine.text.script import parse_script

        try:
            script = parse_script(text, self.path)
        except MalformedError as e:
            self._fail(getattr(e, "line", 0), f"parse error: {e.message}", "runner", "script")
            return self.result
        except Exception as e:  # a file that does not parse is one failure
            self._fail(0, f"parse error: {type(e).__name__}: {e}", "runner", "script")
            return self.result
        return self.run_script(script)

    def run_script(self, script: S.Script) -> FileResult:
        if self.timeout is not None:
            self.store.deadline = time.monotonic() + self.timeout
        self._run_commands(script.commands, Namespace(self.spectest))
        for t in list(self.threads.values()):
            self._join(t)
        return self.result

    def _run_commands(self, commands: list[S.Command], ns: Namespace) -> None:
        for cmd in commands:
            kind = command_kind(cmd)
            if isinstance(cmd, S.Thread):
                self._thread(cmd, ns)
                continue
            if self.only is not None and kind not in self.only:
                if isinstance(cmd, S.ModuleCommand) and self.instantiate_modules:
                    pass  # still needed by the selected commands, but not counted
                else:
                    continue
            deadline = self.store.deadline
            if deadline is not None and time.monotonic() > deadline:
                self.timed_out = True
            if self.timed_out:
                self._fail(cmd.line, "file time limit exceeded", "exec", kind)
                continue
            self.stage = "runner"
            counted = self.only is None or kind in self.only
            try:
                self.run_command(cmd, ns)
            except Failure as e:
                self._outcome(counted, cmd.line, str(e), kind)
            except Skip:
                self._skip(counted, kind)
            except FileTimeout:
                self.timed_out = True
                self._outcome(counted, cmd.line, "file time limit exceeded", kind)
            except WasmError as e:
                self._outcome(counted, cmd.line, f"unexpected {type(e).__name__}: {e}", kind)
            except RecursionError as e:
                self._outcome(counted, cmd.line, f"crash: RecursionError: {e}", kind)
            except Exception as e:
                if _missing_piece(e):
                    self._bind_skipped(cmd, ns)
                    self._skip(counted, kind)
                    continue
                tb = traceback.format_exc(limit=-3)
                self._outcome(counted, cmd.line, f"crash: {type(e).__name__}: {e}\n{tb}", kind)
            else:
                if counted:
                    with self.lock:
                        self.result.passed += 1
                        self.result.count(kind, 0)

    def _outcome(self, counted: bool, line: int, why: str, kind: str) -> None:
        if counted:
            self._fail(line, why, self._owner(), kind)

    def _skip(self, counted: bool, kind: str) -> None:
        if counted:
            with self.lock:
                self.result.skipped += 1
                self.result.count(kind, 2)

    def _owner(self) -> str:
        return self.stage

    def _fail(self, line: int, why: str, owner: str, kind: str) -> None:
        with self.lock:
            self.result.failed += 1
            self.result.failures.append((line, why))
            self.result.owners.append(owner)
            self.result.kinds.append(kind)
        self.result.count(kind, 1)

    def _bind_skipped(self, cmd: S.Command, ns: Namespace) -> None:
        if isinstance(cmd, S.ModuleCommand):
            ns.bind_module(cmd.module.id, _SKIPPED)
            if not cmd.definition:
                ns.bind_instance(cmd.module.id, _SKIPPED)
        elif isinstance(cmd, S.InstanceCommand):
            ns.bind_instance(cmd.instance_id, _SKIPPED)

    # --- the pieces of the engine ----------------------------------------------------

    def load(self, sm: S.ScriptModule) -> Module:
        """The module a script module denotes (decode a binary, parse a quote)."""
        if sm.kind == "binary":
            self.stage = "decoder"
            assert sm.data is not None
            try:
                from engine.binary import decode_module
            except ImportError as e:
                raise Skip(str(e)) from None
            return decode_module(sm.data)
        self.stage = "text parser"
        try:
            if sm.kind == "text":
                if sm.module is None:
                    if sm.unavailable:
                        raise Skip(sm.error)
                    raise MalformedError(sm.error or "unparsed module", -1)
                return sm.module
            assert sm.text is not None
            try:
                return parse_quoted_module(sm.text)
            except RecursionError:
                raise MalformedError("nesting too deep", -1) from None
        except UnavailableError as e:
            raise Skip(str(e)) from None

    def validate(self, m: Module) -> Any:
        self.stage = "validator"
        try:
            from engine.valid import validate_module  # type: ignore[attr-defined]
        except ImportError as e:
            raise Skip(str(e)) from None
        return validate_module(m)

    def define(self, sm: S.ScriptModule) -> _Defined:
        m = self.load(sm)
        d = _Defined(m, self.validate(m))
        if self.roundtrip:
            self.check_roundtrip(m)
        return d

    def check_roundtrip(self, m: Module) -> None:
        """Encoding a valid module and decoding it again must give a module that encodes to
        the same bytes (the binary format loses nothing the module means)."""
        self.stage = "decoder"
        try:
            from engine.binary import decode_module, encode_module
        except ImportError as e:
            raise Skip(str(e)) from None
        data = encode_module(m)
        try:
            again = encode_module(decode_module(data))
        except MalformedError as e:
            raise Failure(f"round trip: the encoded module does not decode: {e}") from None
        if again != data:
            diffs = (i for i, (a, b) in enumerate(zip(data, again)) if a != b)
            at = next(diffs, min(len(data), len(again)))
            raise Failure(f"round trip: re-encoding differs at byte {at}")

    def instantiate(self, d: _Defined, ns: Namespace) -> ModuleInst:
        from engine.runtime.instantiate import instantiate

        self.stage = "exec"
        externs = ns.registry.resolve(d.module.imports)
        try:
            return instantiate(self.store, d.module, externs, d.info)
        except Exception as e:
            if _missing_piece(e):
                raise Skip(str(e)) from None
            raise

    def call(self, func: Any, args: list[Any]) -> list[Any]:
        self.stage = "exec"
        try:
            from engine.exec import WasmThrow, invoke  # type: ignore[attr-defined]
        except ImportError as e:
            raise Skip(str(e)) from None
        try:
            return list(invoke(self.store, func, args))
        except WasmThrow as e:
            raise WasmException(e.exn) from None

    # --- commands ------------------------------------------------------------------

    def run_command(self, cmd: S.Command, ns: Namespace) -> None:
        if isinstance(cmd, S.ModuleCommand):
            self._module(cmd, ns)
        elif isinstance(cmd, S.InstanceCommand):
            d = ns.module(cmd.module_id)
            ns.bind_instance(cmd.instance_id, self.instantiate(d, ns))
        elif isinstance(cmd, S.Register):
            ns.registry.register_instance(cmd.name, ns.instance(cmd.module_id))
        elif isinstance(cmd, S.ActionCommand):
            self._action(cmd.action, ns)
        elif isinstance(cmd, S.AssertReturn):
            got = self._action(cmd.action, ns)
            if not results_match(got, cmd.results):
                raise Failure(
                    "wrong return values: got ["
                    + ", ".join(
                        show_value(v, cmd.results[i] if i < len(cmd.results) else None)
                        for i, v in enumerate(got)
                    )
                    + "], expected ["
                    + ", ".join(show_result(r) for r in cmd.results)
                    + "]"
                )
        elif isinstance(cmd, S.AssertTrap):
            self._assert_trap(cmd, ns)
        elif isinstance(cmd, S.AssertExhaustion):
            try:
                got = self._action(cmd.action, ns)
            except Trap as e:
                _check_message("exhaustion", e.message, cmd.message)
            except RecursionError:
                _check_message("exhaustion", "call stack exhausted", cmd.message)
            else:
                raise Failure(f"expected exhaustion error, got {len(got)} results")
        elif isinstance(cmd, S.AssertException):
            try:
                self._action(cmd.action, ns)
            except WasmException:
                pass
            else:
                raise Failure("expected exception")
        elif isinstance(cmd, S.AssertModule):
            self._assert_module(cmd, ns)
        elif isinstance(cmd, S.Wait):
            t = self.threads.get(cmd.thread)
            if t is None:
                raise Failure(f"unknown thread ${cmd.thread}")
            if not self._join(t):
                raise Failure(f"thread ${cmd.thread} did not finish in time")
        else:
            raise Failure(f"unknown command {type(cmd).__name__}")

    def _module(self, cmd: S.ModuleCommand, ns: Namespace) -> None:
        try:
            d = self.define(cmd.module)
        except (Skip, UnavailableError):
            self._bind_skipped(cmd, ns)
            raise
        ns.bind_module(cmd.module.id, d)
        if not cmd.definition:
            if not self.instantiate_modules:
                return
            try:
                inst = self.instantiate(d, ns)
            except Skip:
                ns.bind_instance(cmd.module.id, _SKIPPED)
                raise
            ns.bind_instance(cmd.module.id, inst)

    def _action(self, act: S.Action, ns: Namespace) -> list[Any]:
        inst = ns.instance(act.module_id)
        self.stage = "exec"
        ex = inst.exports.get(act.name)
        if ex is None:
            raise Failure(f'undefined export "{act.name}"')
        if isinstance(act, S.Get):
            if not isinstance(ex.value, GlobalInst):
                raise Failure("export is not a global")
            return [ex.value.value]
        if ex.kind != "func":
            raise Failure("export is not a function")
        args = [value_of_const(c) for c in act.args]
        comp = getattr(ex.value.type, "comp", None)
        params = getattr(comp, "params", None)
        if params is not None:
            if len(args) != len(params):
                raise Failure("wrong number of arguments")
            for c, t in zip(act.args, params):
                numeric = c.type in ("i32", "i64", "f32", "f64", "v128")
                if (c.type != t) if numeric else isinstance(t, str):
                    raise Failure("wrong type of argument")
        return self.call(ex.value, args)

    def _assert_trap(self, cmd: S.AssertTrap, ns: Namespace) -> None:
        if isinstance(cmd.target, S.ScriptModule):
            d = self.define(cmd.target)
            try:
                self.instantiate(d, ns)
            except (Trap, WasmException) as e:
                _check_message("instantiation", e.message, cmd.message)
            else:
                raise Failure("expected instantiation error")
            return
        try:
            got = self._action(cmd.target, ns)
        except Trap as e:
            _check_message("runtime", e.message, cmd.message)
        else:
            raise Failure(f"expected runtime error, got [{', '.join(map(show_value, got))}]")

    def _assert_module(self, cmd: S.AssertModule, ns: Namespace) -> None:
        kind = cmd.kind
        sm = cmd.module
        if kind == "malformed":
            try:
                self.load(sm)
            except MalformedError as e:
                what = "decoding" if sm.kind == "binary" else "parsing"
                _check_message(what, e.message, cmd.message)
            else:
                raise Failure("expected decoding/parsing error")
            return
        if kind == "invalid":
            m = self.load(sm)
            try:
                self.validate(m)
            except InvalidError as e:
                _check_message("validation", e.message, cmd.message)
            except CompileError as e:
                raise Failure(f"expected validation error, got {e.message}") from None
            else:
                raise Failure("expected validation error")
            return
        if kind in ("malformed_custom", "invalid_custom"):
            raise Skip("custom annotations are not checked")
        d = self.define(sm)
        try:
            self.instantiate(d, ns)
        except LinkError as e:
            if kind != "unlinkable":
                raise Failure(
                    f"expected instantiation error, got link error: {e.message}"
                ) from None
            _check_message("linking", e.message, cmd.message)
        except (Trap, WasmException) as e:
            if kind != "uninstantiable":
                raise Failure(f"expected linking error, got trap: {e.message}") from None
            _check_message("instantiation", e.message, cmd.message)
        else:
            raise Failure(
                "expected linking error" if kind == "unlinkable" else "expected instantiation error"
            )

    def _thread(self, cmd: S.Thread, parent: Namespace) -> None:
        ns = Namespace(self.spectest)
        for name in cmd.shared:
            if name in parent.modules:
                ns.modules[name] = parent.modules[name]
            if name in parent.instances:
                ns.instances[name] = parent.instances[name]
        runner = self.child()

        def body() -> None:
            try:
                runner._run_commands(cmd.commands, ns)
            finally:
                self.waits.thread_finished()

        t = threading.Thread(target=body, name=f"wast thread ${cmd.name}", daemon=True)
        self.waits.thread_started()
        self.threads[cmd.name] = t
        t.start()

    def _join(self, t: threading.Thread) -> bool:
        """Wait for a script thread until the file's deadline; did it finish?"""
        deadline = self.store.deadline
        while t.is_alive():
            if deadline is not None and time.monotonic() > deadline + 2.0:
                return False
            t.join(0.05)
        return True


def _on_alarm(signum: int, frame: Any) -> None:
    raise FileTimeout()


def run_file(
    path: str,
    timeout: float | None = None,
    only: frozenset[str] | None = None,
    roundtrip: bool = False,
) -> FileResult:
    runner = ScriptRunner(path, timeout, only, roundtrip)
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    except OSError as e:
        runner._fail(0, f"cannot read: {e}", "runner", "script")
        return runner.result
    # A hard stop a little after the soft deadline, for code that never checks it.
    use_alarm = (
        timeout is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    old: Any = None
    started = time.monotonic()
    if use_alarm:
        assert timeout is not None
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout + 1.0)
    try:
        return runner.run_text(text)
    except FileTimeout:
        runner._fail(0, "file time limit exceeded", "exec", "script")
        return runner.result
    finally:
        runner.result.seconds = time.monotonic() - started
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
