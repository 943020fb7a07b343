"""Pausing Python's cyclic garbage collector around allocation-heavy front-end work.

Decoding, encoding and validating a large module allocate millions of small objects that live
on; the cyclic collector would rescan that growing heap over and over (measured: it triples
decode time).  None of this work creates garbage cycles, so pausing is safe.  The pause is
counted, so overlapping pauses from several threads re-enable collection only when the last
one ends, and only if it was enabled before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
