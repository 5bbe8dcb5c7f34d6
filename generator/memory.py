"""Keeping Python's cycle collector out of the catalog's way.

Loading, checking and rendering a catalog allocate hundreds of thousands of objects that all stay
alive until the pages are written. The cyclic garbage collector, triggered by the allocation count,
walks every one of them again and again, most of the time of checking a large catalog. None of these
objects form garbage cycles worth collecting mid-run, so the collector waits until the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off; restores whatever state it found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
