"""Fixes to Material's output, applied to the built site: two for search, one for editions.

The index is written again as the same JSON in UTF-8: Material writes every Chinese character
and every U+200B word break jieba adds as a six-byte ``\\u`` escape, which made the index about
much larger than its text (benchmarks/README.md has the figures).

And a one-character fix to the search worker. Material (9.8.2, pinned) segments a Chinese query
greedily by the words of the search index, but its loop stops one character short
(``j < query.length``), so the last word of a query is never tried whole: 用户属性 is searched as
用户* alone and lands on whatever page says 用户 most. Allowing ``j <= query.length`` lets a query
that is an indexed word (a page title, a module name) match it.

And the main bundle leaves the twins of a page alone: Material fetches ``sitemap.xml`` next to
every ``<link rel="alternate">`` of a page, expecting them to name other sites' roots; the twin
links (``editions``) name the same page in the other edition, where there is no sitemap, and an
entry page's link to its Markdown twin (``type="text/markdown"``, ``machine_readable``) names a
file. Material's own language alternates carry no ``type``.
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


BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"
_ALTERNATE_PROBE = 'M("link[rel=alternate]")'


def patch_bundle_source(source: str) -> str | None:
    """The bundle probing only alternates that are no twins and name no typed document; None if
    the probe is not there."""
    if source.count(_ALTERNATE_PROBE) != 1:
        return None
    return source.replace(_ALTERNATE_PROBE, 'M("link[rel=alternate]:not([data-ec-twin]):not([type])")')


def compact_search_index(index_json: str) -> str:
    """The same index, with text as UTF-8 instead of ``\\u`` escapes (JSON is UTF-8 by definition)."""
    return json.dumps(json.loads(index_json), ensure_ascii=False, separators=(",", ":"))


def patch_site(site_dir: Path) -> list[tuple[Path, str]]:
    """Compact the search index and patch the worker(s) and bundle in a built site; returns the
    files that could not be patched (Material changed), each with what was not fixed."""
    index = site_dir / SEARCH_INDEX
    if index.is_file():  # no index without a search plugin
        index.write_text(compact_search_index(index.read_text(encoding="utf-8")), encoding="utf-8")
    unpatched = []
    for pattern, patch, what in (
        (WORKER_GLOB, patch_worker_source, "Chinese query segmentation"),
        (BUNDLE_GLOB, patch_bundle_source, "the probe of alternate links"),
    ):
        for script in sorted(site_dir.glob(pattern)):
            patched = patch(script.read_text(encoding="utf-8"))
            if patched is None:
                unpatched.append((script, what))
            else:
                script.write_text(patched, encoding="utf-8")
    return unpatched
