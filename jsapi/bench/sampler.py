"""Calibration, warm-up and repeated samples, the same for every column.

A sample is n operations timed as one block; n is calibrated (doubling, then scaled) until a
sample lasts at least `target_ms`, capped by the case's own limit (a memory can only grow to its
maximum). One warm-up sample follows calibration, then `samples` timed samples; the result is
the per-operation time of each sample, from which the report takes median and quartiles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jsapi.bench.report import Measurement, Missing

# A sample either took this many nanoseconds or failed for a reason.
SampleFn = Callable[[int], "float | Missing"]


@dataclass(frozen=True)
class Settings:
    target_ms: float
    samples: int
    max_calibration_steps: int = 24

    @classmethod
    def for_run(cls, quick: bool) -> Settings:
        return cls(target_ms=3.0, samples=3) if quick else cls(target_ms=40.0, samples=9)


@dataclass(frozen=True)
class Samples:
    per_op_ns: list[float]
    ops: int
    bytes_per_op: int = 0

    def measurement(self) -> Measurement:
        return Measurement.of(self.per_op_ns, self.ops, self.bytes_per_op)


def collect(
    sample: SampleFn,
    settings: Settings,
    *,
    max_n: int | None = None,
    units: float = 1.0,
    bytes_per_op: int = 0,
    base: SampleFn | None = None,
) -> Samples | Missing:
    """With `base`, each sample is the case minus the baseline timed right after it at the same
    n (paired, so a change of machine load between them mostly cancels); calibration uses the
    case alone."""
    target = settings.target_ms * 1e6
    n = 1
    limit = max_n if max_n is not None else 1 << 40
    for _ in range(settings.max_calibration_steps):
        t = sample(n)
        if isinstance(t, Missing):
            return t
        if t >= target or n >= limit:
            break
        scale = target / t * 1.25 if t > 0 else 100.0
        n = min(limit, max(n * 2, int(n * min(scale, 100.0))))
    warm = sample(n)
    if isinstance(warm, Missing):
        return warm
    values: list[float] = []
    for _ in range(settings.samples):
        t = sample(n)
        if isinstance(t, Missing):
            return t
        if base is not None:
            b = base(n)
            if isinstance(b, Missing):
                return b
            t = max(t - b, 0.0)
        values.append(t / n / units)
    return Samples(values, n, bytes_per_op)
