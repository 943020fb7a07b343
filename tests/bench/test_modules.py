"""The bench modules are valid for both engines and export what the harness calls."""

from __future__ import annotations

from engine.api import Func, FuncType, Instance, Module, Store, ValType
from jsapi.bench import modules
from jsapi.bridge import Bridge


def test_bench_module_runs_in_our_engine() -> None:
    store = Store()
    i32 = ValType.i32()
    seen: list[int] = []

    def host(x: int) -> int:
        seen.append(x)
        return x

    f = Func(store, FuncType([i32], [i32]), host)
    ex = Instance(store, Module(store.engine, modules.bench_module()), [f]).exports(store)
    # sum of n..1: the baseline and the direct call agree; call_indirect alternates id/inc.
    assert ex["loop_base"](store, 10) == 55
    assert ex["loop_call"](store, 10) == 55
    assert ex["loop_indirect"](store, 8) == 36 + 4
    assert ex["loop_import"](store, 3) == 6 and seen == [3, 2, 1]
    assert ex["call_i64_4"](store, 1, 2, 3, 4) == 1
    assert ex["call_f64_2"](store, 1.5, 2.0) == 1.5
    assert ex["call_0"](store) is None


def test_modules_validate_in_v8() -> None:
    with Bridge() as b:
        blobs = {
            "bench": modules.bench_module(),
            "small": modules.small_module(),
            "sized": modules.sized_module(),
        }
        b.expose("blob", lambda name: blobs[name])
        for name in blobs:
            ok = b.eval(f"WebAssembly.validate(__jsapiBridge.services.blob('{name}'))")
            assert ok is True, name
        assert len(blobs["sized"]) > 4 * 1024
