"""Pausing the cyclic garbage collector around bulk work that creates no reference cycles.

Loading, unpickling and pickling a large fact base allocate hundreds of thousands of objects;
each full collection walks all of them again, which made the 1,000-times data take twice as
long to load (5.9 s instead of 3.0 s, measured with bench/run.py --scale).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
