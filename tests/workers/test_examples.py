"""The examples in examples/workers run and print the right combined result."""

from pathlib import Path

import pytest

from jsapi.host.engines import engine_available
from jsapi.workers import run_page

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workers"
ENGINES = ["v8"] + (["jsapi"] if engine_available("jsapi") else [])
RESULT = "sum of squares 1..16000 = 1365461336000 (expected 1365461336000) ok"


@pytest.mark.parametrize("engine", ENGINES)
def test_shared_memory_barrier_example(engine):
    result, deadlock = run_page(EXAMPLES / "shared.js", mode="shared", seed=1, engine=engine)
    logs = [e.text for e in result.console]
    assert deadlock is None
    assert logs == ["barrier passes: 1", RESULT]
    assert result.status == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_message_passing_example_in_isolated_mode(engine):
    result, _ = run_page(EXAMPLES / "isolated.js", mode="isolated", engine=engine)
    logs = [e.text for e in result.console]
    assert logs == ["crossOriginIsolated: false", RESULT]
    assert result.status == 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_shared_example_with_any_seed(seed):
    result, deadlock = run_page(EXAMPLES / "shared.js", mode="shared", seed=seed, engine="v8")
    assert deadlock is None
    assert [e.text for e in result.console][-1] == RESULT


@pytest.mark.skipif(not engine_available("jsapi"), reason="waits in wasm need this engine")
@pytest.mark.parametrize("seed", [0, 3, 9])
def test_stencil_example_passes_every_barrier_in_wasm(seed):
    result, deadlock = run_page(EXAMPLES / "stencil.js", mode="shared", seed=seed, engine="jsapi")
    assert deadlock is None
    assert [e.text for e in result.console] == [
        "barriers passed: 12 (4 workers, 12 phases)",
        "stencil of 1000 values: matches the JS reference",
    ]
    assert result.status == 0
