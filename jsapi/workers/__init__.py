"""Dedicated workers, MessageChannel and cross-agent SharedArrayBuffer/Atomics (docs/workers.md).

Two modes behind one API:

- ``shared`` (cross-origin isolated): every agent lives in the page's isolate with its own global
  scope, interleaved by a deterministic scheduler (``seed``); SharedArrayBuffers and shared
  WebAssembly memories are truly shared and ``Atomics.wait`` blocks only the waiting agent.
- ``isolated``: each worker is its own isolate on its own Python thread; messages cross as msgpack.
"""

from jsapi.workers.install import MODES, WorkerHub, install_workers
from jsapi.workers.run import run_page

__all__ = ["MODES", "WorkerHub", "install_workers", "run_page"]
