"""Two fixes to Material's search output, applied to the built site.

The index is written again as the same JSON in UTF-8: Material writes every Chinese character
and every U+200B word break jieba adds as a six-byte ``\\u`` escape, which made the index about
much larger than its text (benchmarks/README.md has the figures).

And a one-character fix to the search worker. Material (9.8.2, pinned) segments a Chinese query
greedily by the words of the search index, but its loop stops one character short
(``j < query.length``), so the last word of a query is never tried whole: 用户属性 is searched as
用户* alone and lands on whatever page says 用户 most. Allowing ``j <= query.length`` lets a query
that is an indexed word (a page title, a module name) match it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SEARCH_INDEX = "search/search_index.json"
WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
# `for(let o=s+1;o<t.length;o++)t.slice(s,o)in e` in the minified worker (names vary by build).
_SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


def patch_worker_source(source: str) -> str | None:
    """The worker with the segmentation loop fixed; None if the loop is not there (Material changed)."""
    patched, count = _SEGMENT_LOOP.subn(lambda m: m.group(0).replace("<", "<=", 1), source)
    return patched if count == 1 else None


def compact_search_index(index_json: str) -> str:
    """The same index, with text as UTF-8 instead of ``\\u`` escapes (JSON is UTF-8 by definition)."""
    return json.dumps(json.loads(index_json), ensure_ascii=False, separators=(",", ":"))


def patch_site(site_dir: Path) -> list[Path]:
    """Compact the search index and patch the worker(s) in a built site; returns the workers that
    could not be patched."""
    index = site_dir / SEARCH_INDEX
    if index.is_file():  # no index without a search plugin
        index.write_text(compact_search_index(index.read_text(encoding="utf-8")), encoding="utf-8")
    unpatched = []
    for worker in sorted(site_dir.glob(WORKER_GLOB)):
        patched = patch_worker_source(worker.read_text(encoding="utf-8"))
        if patched is None:
            unpatched.append(worker)
        else:
            worker.write_text(patched, encoding="utf-8")
    return unpatched
