"""`jsapi bench`: boundary-crossing costs of our engine side by side with V8's own WebAssembly.

`measure(quick=...)` returns a `Report` (see `report.py`); `trace.py` is the crossing tracer
behind `jsapi run --trace-crossings`.
"""

from jsapi.bench.report import Measurement, Report, Row
from jsapi.bench.session import measure

__all__ = ["Measurement", "Report", "Row", "measure"]
