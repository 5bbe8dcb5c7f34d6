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

And the ranking (``SEARCH_RANKING``): how much each kind of section weighs, per edition. A
module page is a document per API heading; its API sections rank below the entries, so that a
question about an error (聊天室 成员 上限) finds the entry rather than every API whose title shares
a word with it, while the module's own first section still answers its name (群组). In the
Chinese edition, entry titles are the English literals (type and message), so a Chinese question
can only match an entry's text: there Material's title weight (1000 to 1) is lowered to 3, or a
title sharing one word would outweigh a cause sharing all of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class SearchRanking:
    """Document boosts by kind of section, and Material's weight of a title against text."""

    entry_page: float
    module_page: float  # the module's first section: its name and what it covers
    module_sections: float  # its API sections, and the other headings after the first
    title_weight: float | None = None  # None: the theme's own


SEARCH_RANKING = {
    "zh": SearchRanking(entry_page=2, module_page=1, module_sections=0.05, title_weight=3),
    "en": SearchRanking(entry_page=2, module_page=4, module_sections=0.05),
}


def _section_boost(location: str, ranking: SearchRanking) -> float | None:
    """``errors/<slug>/...`` and ``modules/<key>/[#...]``; None for every other page."""
    page, _, anchor = location.partition("#")
    parts = page.strip("/").split("/")
    if len(parts) != 2 or not page.endswith("/"):
        return None
    if parts[0] == "errors":
        return ranking.entry_page
    if parts[0] == "modules":
        return ranking.module_sections if anchor else ranking.module_page
    return None


def rank_search_index(index: dict[str, Any], ranking: SearchRanking) -> dict[str, Any]:
    """The index with each entry and module section boosted by ``ranking`` (the same result when
    applied twice: ``mkdocs serve`` merges a ranked index into a new one)."""
    for doc in index.get("docs", []):
        boost = _section_boost(doc.get("location", ""), ranking)
        if boost is not None:
            doc["boost"] = boost
    if ranking.title_weight is not None:
        index.setdefault("config", {}).setdefault("fields", {})["title"] = {"boost": ranking.title_weight}
    return index


def compact_search_index(index_json: str, lang: str | None = None) -> str:
    """The same index, ranked for ``lang``'s edition (``SEARCH_RANKING``), with text as UTF-8
    instead of ``\\u`` escapes (JSON is UTF-8 by definition)."""
    index = json.loads(index_json)
    if lang in SEARCH_RANKING:
        index = rank_search_index(index, SEARCH_RANKING[lang])
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def patch_site(site_dir: Path, lang: str | None = None) -> list[tuple[Path, str]]:
    """Rank and compact the search index and patch the worker(s) and bundle in a built site;
    returns the files that could not be patched (Material changed), each with what was not fixed."""
    index = site_dir / SEARCH_INDEX
    if index.is_file():  # no index without a search plugin
        index.write_text(compact_search_index(index.read_text(encoding="utf-8"), lang), encoding="utf-8")
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
