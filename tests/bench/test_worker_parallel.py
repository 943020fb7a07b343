"""bench/worker_parallel.py --quick: the report's shape and the kernels' agreement, no times."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "worker_parallel.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    done = run("--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_every_mode_and_kernel_is_measured(report: dict[str, Any]) -> None:
    pairs = {(r["kernel"], r["mode"]) for r in report["results"]}
    assert pairs == {("js", "isolated"), ("js", "shared"), ("wasm", "isolated"), ("wasm", "shared")}
    assert report["repeat"] == 1
    assert report["engine"] == "jsapi"
    assert report["distinct_wasm"] is False
    assert isinstance(report["cpus"], int) and report["cpus"] >= 1


def test_the_page_sees_its_mode(report: dict[str, Any]) -> None:
    for res in report["results"]:
        assert res["cross_origin_isolated"] is (res["mode"] == "shared")


def test_rows_per_worker_count(report: dict[str, Any]) -> None:
    for res in report["results"]:
        rows = res["per_n"]
        assert [row["n"] for row in rows] == [1, 2]
        for row in rows:
            assert row["wall_ms"] > 0 and row["worker_ms_median"] > 0
            assert len(row["wall_ms_all"]) == 1
            assert isinstance(row["speedup"], float)
            # Cores kept busy by this process and by the others (None off Linux).
            assert row["cores_busy"] is None or row["cores_busy"] >= 0
            assert "other_cores_busy" in row and "other_cores_at_best" in row
            assert row["best_wall_ms"] == min(row["wall_ms_all"])
            assert isinstance(row["best_speedup"], float)
            # Every worker ran the same kernel: the same checksum everywhere.
            assert row["checksums_agree"] is True
        # The speed-up is relative to this mode's own N = 1.
        assert rows[0]["speedup"] == 1.0 and rows[0]["best_speedup"] == 1.0


def test_text_output_has_a_table_per_mode_and_kernel() -> None:
    done = run("--kernel", "js", "--mode", "isolated", "--workers", "1", "2", "4")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("js kernel, isolated mode")
    assert "speed-up" in lines[1] and "cores" in lines[1] and "others" in lines[1]
    assert [line.split()[0] for line in lines[2:5]] == ["1", "2", "4"]
    assert lines[-1].startswith("cpus ")
