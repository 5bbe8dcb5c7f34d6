"""A one-character fix to Material's search worker, applied to the built site.

Material (9.8.2, pinned) segments a Chinese query greedily by the words of the search index, but
its loop stops one character short (``j < query.length``), so the last word of a query is never
tried whole: 用户属性 is searched as 用户* alone and lands on whatever page says 用户 most. Allowing
``j <= query.length`` lets a query that is an indexed word (a page title, a module name) match it.
"""

from __future__ import annotations

import re
from pathlib import Path

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
# `for(let o=s+1;o<t.length;o++)t.slice(s,o)in e` in the minified worker (names vary by build).
_SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


def patch_worker_source(source: str) -> str | None:
    """The worker with the segmentation loop fixed; None if the loop is not there (Material changed)."""
    patched, count = _SEGMENT_LOOP.subn(lambda m: m.group(0).replace("<", "<=", 1), source)
    return patched if count == 1 else None


def patch_site(site_dir: Path) -> list[Path]:
    """Patch the worker(s) in a built site; returns the workers that could not be patched."""
    unpatched = []
    for worker in sorted(site_dir.glob(WORKER_GLOB)):
        patched = patch_worker_source(worker.read_text(encoding="utf-8"))
        if patched is None:
            unpatched.append(worker)
        else:
            worker.write_text(patched, encoding="utf-8")
    return unpatched
