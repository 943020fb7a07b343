"""One benchmark run: a realm with both WebAssembly namespaces, the harness, then the report.

The realm is built the way the page runner builds one (bridge, host scripts, web APIs, then the
namespace), except that V8's own `WebAssembly` is saved first, so both engines are timed in the
same isolate, in the same run, by the same harness.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from jsapi.bench import modules
from jsapi.bench.agents import measure_agents
from jsapi.bench.cases import AGENT_ROWS, GROUP_AGENTS, Case, cases
from jsapi.bench.pybench import EngineBench, engine_case_ids
from jsapi.bench.report import Missing, Report, Row
from jsapi.bench.sampler import Samples, Settings, collect
from jsapi.bridge import Bridge, JSHandle

NOT_YET = "not available yet"


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    try:
        racer_version = metadata.version("mini-racer")
    except metadata.PackageNotFoundError:
        racer_version = "unknown"
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": cpu,
        "python": platform.python_version(),
        "mini_racer": racer_version,
        "load_average_1m": round(load, 2),
    }


class JSHarness:
    """The realm under test with harness.js loaded; one top-level evaluation per sample."""

    def __init__(self) -> None:
        self.bridge = Bridge()
        self.jsapi_reason = ""
        self.namespace: Any = None
        try:
            self._install()
        except BaseException:
            self.bridge.close()
            raise

    def _install(self) -> None:
        from jsapi.host import Realm

        b = self.bridge
        b.expose("bench.now", time.perf_counter_ns)
        blobs = {
            "bench": modules.bench_module(),
            "small": modules.small_module(),
            "sized": modules.sized_module(),
        }
        b.expose("bench.bytes", lambda name: blobs[name])
        b.expose("bench.raw", lambda payload: bytes(payload[:4]), raw=True)
        b.expose("bench.inc", lambda x: x + 1)

        def bounce(fn: JSHandle, v: int) -> Any:
            return b.call_js(fn, v)

        b.expose("bench.bounce", bounce)
        self.realm = Realm.on_bridge(b, "jsapi", install_engine=False)
        try:
            import jsapi.web

            root = Path(tempfile.gettempdir())
            jsapi.web.install(b, root=root, page_url="http://localhost/bench.html")
        except ImportError:
            pass
        b.eval("globalThis.__jsapiBenchV8 = WebAssembly")
        from jsapi.host.engines import EngineUnavailable, engine_available

        try:
            if not engine_available("jsapi"):
                raise EngineUnavailable("jsapi")
            # The bridge form: the namespace shares this realm's context and bridge.
            self.namespace = importlib.import_module("jsapi.webassembly").install_webassembly(b)
            if b.eval("WebAssembly === globalThis.__jsapiBenchV8"):
                self.jsapi_reason = "install_webassembly left V8's WebAssembly in place"
        except EngineUnavailable:
            self.jsapi_reason = f"{NOT_YET} (jsapi.webassembly.install_webassembly)"
        except Exception as e:  # noqa: BLE001 - a broken namespace is a row error, not a crash
            self.jsapi_reason = f"the namespace failed to install: {type(e).__name__}: {e}"
        b.load_js(Path(__file__).with_name("harness.js"))
        self.overhead = float(self._call("clockCost", 200))

    def _call(self, method: str, *args: Any) -> Any:
        text = ", ".join(json.dumps(a) for a in args)
        return self.bridge.eval(f"globalThis[{json.dumps(self.bridge.key)}].bench.{method}({text})")

    def run_case(
        self, case: Case, engine: str, settings: Settings, quick: bool, base: Case | None = None
    ) -> Any:
        if engine == "jsapi" and self.jsapi_reason and case.kind not in _HOST_KINDS:
            return Missing("na", self.jsapi_reason)
        keys: list[str] = []
        try:
            opened = self._open(case, engine, quick, keys)
            if isinstance(opened, Missing):
                return opened
            sample, info = opened
            base_sample = None
            if base is not None:
                opened_base = self._open(base, engine, quick, keys)
                if isinstance(opened_base, Missing):
                    return opened_base
                base_sample = opened_base[0]
            units = float(info["units"])
            per_byte = case.unit.endswith("KiB") or case.kind == "clone"
            return collect(
                sample,
                settings,
                max_n=info.get("maxN"),
                units=1.0 if per_byte else units,
                bytes_per_op=int(units) if per_byte else 0,
                base=base_sample,
            )
        finally:
            for key in keys:
                self._call("close", key)

    def _open(self, case: Case, engine: str, quick: bool, keys: list[str]) -> Any:
        key = f"{case.id}@{engine}"
        opened = json.loads(self._call("open", key, case.kind, engine, case.a, case.b, quick))
        if not opened.get("ok"):
            return _missing(opened)
        keys.append(key)

        def sample(n: int) -> float | Missing:
            out = json.loads(self._call("sample", key, n, self.overhead))
            self._between_tasks()
            return float(out["ns"]) if "ns" in out else _missing(out)

        return sample, opened

    def _between_tasks(self) -> None:
        # What the event loop does between tasks: the namespace refills its memory pool.
        refill = getattr(self.namespace, "refill", None)
        if refill is not None:
            refill()

    def close(self) -> None:
        self.bridge.close()


def _missing(reply: dict[str, Any]) -> Missing:
    return Missing("na", reply["na"]) if "na" in reply else Missing("error", reply["error"])


# Cases that do not involve a WebAssembly namespace: the host column carries them.
_HOST_KINDS = frozenset(["bridge.raw", "bridge.msgpack", "bridge.nested", "clone"])


def measure(
    quick: bool = False,
    *,
    progress: Callable[[str], None] | None = None,
    only: Callable[[str], bool] | None = None,
) -> Report:
    """Runs every case in every column and returns the report (never raises for one case)."""
    settings = Settings.for_run(quick)
    started = time.monotonic()
    catalog = [c for c in cases(quick) if only is None or only(c.id)]
    raw: dict[tuple[str, str], Any] = {}
    by_id = {c.id: c for c in cases(quick)}
    harness = JSHarness()
    try:
        # A throwaway round first: the harness, both namespaces and the bench module get
        # compiled and warm before the first row is timed.
        warm = Settings(target_ms=2.0, samples=1)
        for engine in ("jsapi", "v8"):
            harness.run_case(by_id["call/i32/1"], engine, warm, quick)
        for case in catalog:
            for engine in case.js_engines:
                if progress is not None:
                    progress(f"{case.id} [{engine}]")
                base = by_id.get(case.base) if case.base else None
                raw[(case.id, engine)] = harness.run_case(case, engine, settings, quick, base)
        jsapi_reason = harness.jsapi_reason
    finally:
        harness.close()
    py_ids = set(engine_case_ids())
    engine_bench = EngineBench(quick)
    for case in catalog:
        if case.id in py_ids:
            if progress is not None:
                progress(f"{case.id} [engine.api]")
            py = engine_bench.case(case.id)
            base = engine_bench.case(case.base) if case.base else None
            if py is not None:
                raw[(case.id, "engine.api")] = _collect_py(py, settings, base)
    rows = _rows(catalog, raw)
    wanted = [r for r in AGENT_ROWS if only is None or only(r[0])]
    if wanted:
        if progress is not None:
            progress("agents")
        # No wasm crosses in these rows: V8's namespace keeps them independent of ours.
        agents = measure_agents(settings, quick, "v8")
        for row_id, label, reference in wanted:
            row = Row(row_id, GROUP_AGENTS, label, "ns/round trip", reference)
            got = agents.get(row_id, Missing("error", "not measured"))
            # The page's own engine carries the row; V8's wasm has no part in a round trip.
            row.cells = {
                "jsapi": got.measurement() if isinstance(got, Samples) else got,
                "v8": Missing("na", "an agent crossing: the host carries it, not the engine"),
            }
            rows.append(row)
    meta = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "jsapi bench" + (" --quick" if quick else ""),
        "quick": quick,
        "machine": {**machine_info(), "v8": _v8_version()},
        "settings": {"target_ms": settings.target_ms, "samples": settings.samples},
        "clock": "perf_counter_ns via a bridge service (JS); perf_counter_ns (engine.api)",
        "engines": {"jsapi": jsapi_reason or "installed", "v8": "installed"},
        "seconds": round(time.monotonic() - started, 2),
    }
    return Report(meta, rows)


def _py_sampler(py: Any) -> Callable[[int], float]:
    def sample(n: int) -> float:
        if py.prepare is not None:
            py.prepare()
        t0 = time.perf_counter_ns()
        py.run(n)
        return float(time.perf_counter_ns() - t0)

    return sample


def _collect_py(py: Any, settings: Settings, base: Any = None) -> Any:
    paired = _py_sampler(base) if base is not None else None
    try:
        return collect(_py_sampler(py), settings, max_n=py.max_n, units=py.units, base=paired)
    except Exception as e:  # noqa: BLE001
        return Missing("error", f"{type(e).__name__}: {e}")


def _rows(catalog: list[Case], raw: dict[tuple[str, str], Any]) -> list[Row]:
    rows: list[Row] = []
    for case in catalog:
        if case.hidden:
            continue
        row = Row(case.id, case.group, case.label, case.unit, case.reference)
        for engine in ("jsapi", "v8", "engine.api"):
            got = raw.get((case.id, engine))
            if got is None:
                if engine == "v8" and case.v8_na:
                    row.cells[engine] = Missing("na", case.v8_na)
                continue
            if isinstance(got, Samples):
                row.cells[engine] = got.measurement()
            else:
                row.cells[engine] = got
        rows.append(row)
    return rows


def _v8_version() -> str:
    from py_mini_racer import MiniRacer

    racer = MiniRacer()
    try:
        return str(racer.v8_version)
    finally:
        racer.close()


if __name__ == "__main__":  # pragma: no cover - manual runs
    print(json.dumps(measure(quick="--quick" in sys.argv).to_json(), indent=2))
