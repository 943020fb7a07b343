"""The WAST script runner: checks every command the way the reference's script/runner.ml
does.

Counting: every command of a script counts as one check, passed or failed (a module
definition passes when it decodes/parses, validates and, unless it is a ``module
definition``, instantiates).  A command that makes the runner itself fail with an unexpected
Python exception is a failure too, and the run goes on with the next command.

Threads: ``(thread $t ...)`` runs its commands to completion, in order, when the thread is
declared, in a namespace holding only its shared modules (plus ``spectest``); ``(wait $t)``
then has nothing left to do.  Running threads one after the other is one of the
interleavings the reference may choose; a script that needs a real rendezvous (a thread
blocking until another one notifies it) sees its wait time out or trap instead.

Time limit: each file runs under a deadline (``Store.deadline``); running code past it traps
with "interrupted", and the file's remaining commands are counted as failed without running.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from engine.errors import CompileError, LinkError, MalformedError, Trap, WasmError, WasmException
from engine.runtime.instances import GlobalInst, ModuleInst
from engine.runtime.instantiate import call, instantiate, validate
from engine.runtime.link import Registry
from engine.runtime.store import Store
from engine.script import ast as S
from engine.script.results import results_match, show_result, show_value, value_of_const
from engine.script.spectest import Spectest
from engine.syntax.ast import Module


class Failure(Exception):
    """A check did not hold (the reference's Assert.error / wrong ... error)."""


@dataclass
class FileResult:
    path: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        s = f"{self.path}: {self.passed} passed, {self.failed} failed"
        return s + (f", {self.skipped} skipped" if self.skipped else "")


@dataclass
class _Defined:
    module: Module
    info: Any


class Namespace:
    """What a script (or one of its threads) can name: modules, instances, registrations."""

    def __init__(self, spectest: Spectest) -> None:
        self.modules: dict[str, _Defined] = {}
        self.instances: dict[str, ModuleInst] = {}
        self.registry = Registry()
        self.registry.register_lookup("spectest", spectest.lookup)

    def bind_module(self, name: str | None, d: _Defined) -> None:
        if name is not None:
            self.modules[name] = d
        self.modules[""] = d

    def bind_instance(self, name: str | None, inst: ModuleInst) -> None:
        if name is not None:
            self.instances[name] = inst
        self.instances[""] = inst

    def module(self, name: str | None) -> _Defined:
        d = self.modules.get(name or "")
        if d is None:
            raise Failure("no module defined" if name is None else f"unknown module {name}")
        return d

    def instance(self, name: str | None) -> ModuleInst:
        inst = self.instances.get(name or "")
        if inst is None:
            raise Failure(
                "no module instance defined" if name is None else f"unknown instance {name}"
            )
        return inst


def _parse_text(text: str) -> Module:
    from engine.text import parse_wat

    return parse_wat(text)


def _decode(data: bytes) -> Module:
    from engine.binary import decode_module

    return decode_module(data)


def _encode(m: Module) -> bytes:
    from engine.binary import encode_module

    return encode_module(m)


def load_definition(sm: S.ScriptModule) -> Module:
    """The module a script module denotes (decode a binary, parse a quote)."""
    if sm.kind == "text":
        assert sm.module is not None
        return sm.module
    if sm.kind == "binary":
        assert sm.data is not None
        return _decode(sm.data)
    assert sm.text is not None
    return _parse_text(sm.text)


def _check_message(kind: str, msg: str, expected: str) -> None:
    if not msg.startswith(expected):
        raise Failure(f'wrong {kind} error: got "{msg}", expected "{expected}"')


class ScriptRunner:
    def __init__(self, path: str = "", timeout: float | None = None) -> None:
        self.path = path
        self.store = Store()
        self.timeout = timeout
        self.spectest = Spectest()
        self.result = FileResult(path)

    # --- driving ---------------------------------------------------------------------

    def run_text(self, text: str) -> FileResult:
        from engine.text import parse_script

        try:
            script = parse_script(text, self.path)
        except Exception as e:  # a file that does not parse is one failure
            self._fail(0, f"parse error: {type(e).__name__}: {e}")
            return self.result
        return self.run_script(script)

    def run_script(self, script: S.Script) -> FileResult:
        if self.timeout is not None:
            self.store.deadline = time.monotonic() + self.timeout
        self._run_commands(script.commands, Namespace(self.spectest))
        return self.result

    def _run_commands(self, commands: list[S.Command], ns: Namespace) -> None:
        for cmd in commands:
            if self.store.deadline is not None and time.monotonic() > self.store.deadline:
                self._fail(cmd.line, "file time limit exceeded")
                continue
            try:
                self.run_command(cmd, ns)
            except Failure as e:
                self._fail(cmd.line, str(e))
            except WasmError as e:
                self._fail(cmd.line, f"unexpected {type(e).__name__}: {e}")
            except RecursionError as e:
                self._fail(cmd.line, f"crash: {type(e).__name__}: {e}")
            except Exception as e:
                tb = traceback.format_exc(limit=-3)
                self._fail(cmd.line, f"crash: {type(e).__name__}: {e}\n{tb}")
            else:
                if not isinstance(cmd, S.Thread):
                    self.result.passed += 1

    def _fail(self, line: int, why: str) -> None:
        self.result.failed += 1
        self.result.failures.append((line, why))

    # --- commands ------------------------------------------------------------------

    def run_command(self, cmd: S.Command, ns: Namespace) -> None:
        if isinstance(cmd, S.ModuleCommand):
            self._module(cmd, ns)
        elif isinstance(cmd, S.InstanceCommand):
            d = ns.module(cmd.module_id)
            ns.bind_instance(cmd.instance_id, self._instantiate(d, ns))
        elif isinstance(cmd, S.Register):
            ns.registry.register_instance(cmd.name, ns.instance(cmd.module_id))
        elif isinstance(cmd, S.ActionCommand):
            self._action(cmd.action, ns)
        elif isinstance(cmd, S.AssertReturn):
            got = self._action(cmd.action, ns)
            if not results_match(got, cmd.results):
                raise Failure(
                    "wrong return values: got ["
                    + ", ".join(show_value(v) for v in got)
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
        elif isinstance(cmd, S.Thread):
            self._thread(cmd, ns)
        elif isinstance(cmd, S.Wait):
            pass  # threads run to completion when declared (see the module docstring)
        else:
            self.result.skipped += 1
            self.result.passed -= 1

    def _module(self, cmd: S.ModuleCommand, ns: Namespace) -> None:
        m = load_definition(cmd.module)
        d = _Defined(m, validate(m))
        ns.bind_module(cmd.module.id, d)
        if not cmd.definition:
            ns.bind_instance(cmd.module.id, self._instantiate(d, ns))

    def _instantiate(self, d: _Defined, ns: Namespace) -> ModuleInst:
        externs = ns.registry.resolve(d.module.imports)
        return instantiate(self.store, d.module, externs, d.info)

    def _action(self, act: S.Action, ns: Namespace) -> list[Any]:
        inst = ns.instance(act.module_id)
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
        params = getattr(ex.value.type.comp, "params", ())
        if len(args) != len(params):
            raise Failure("wrong number of arguments")
        return call(self.store, ex.value, args)

    def _assert_trap(self, cmd: S.AssertTrap, ns: Namespace) -> None:
        if isinstance(cmd.target, S.ScriptModule):
            m = load_definition(cmd.target)
            d = _Defined(m, validate(m))
            try:
                self._instantiate(d, ns)
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
        if kind == "malformed":
            self._assert_malformed(cmd)
            return
        if kind == "invalid":
            m = load_definition(cmd.module)
            try:
                validate(m)
            except CompileError as e:
                _check_message("validation", e.message, cmd.message)
            else:
                raise Failure("expected validation error")
            return
        m = load_definition(cmd.module)
        d = _Defined(m, validate(m))
        try:
            self._instantiate(d, ns)
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

    def _assert_malformed(self, cmd: S.AssertModule) -> None:
        sm = cmd.module
        try:
            m = load_definition(sm)
            if sm.kind != "binary":
                # Some rules the reference checks while parsing text only hold for us in
                # the binary form; a text module that parses is checked by a round trip.
                _decode(_encode(m))
        except MalformedError as e:
            _check_message("decoding" if sm.kind == "binary" else "parsing", e.message, cmd.message)
        else:
            raise Failure("expected decoding/parsing error")

    def _thread(self, cmd: S.Thread, parent: Namespace) -> None:
        ns = Namespace(self.spectest)
        for name in cmd.shared:
            if name in parent.modules:
                ns.modules[name] = parent.modules[name]
            if name in parent.instances:
                ns.instances[name] = parent.instances[name]
        self._run_commands(cmd.commands, ns)


def run_file(path: str, timeout: float | None = None) -> FileResult:
    runner = ScriptRunner(path, timeout)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        runner._fail(0, f"cannot read: {e}")
        return runner.result
    try:
        return runner.run_text(text)
    except WasmError as e:  # defensive: the per-command handler should have caught it
        runner._fail(0, f"{type(e).__name__}: {e}")
        return runner.result
