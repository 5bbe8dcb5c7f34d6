"""Which of Material's static files a site never loads, so the build can leave them out.

Material copies its whole asset folder into every site. Most of it is never requested: its search
worker loads a lunr language file only for a language listed in the search plugin's ``lang``
(and a word segmenter only for Japanese, Thai or Hindi), and source maps are fetched only by a
developer debugging Material's own minified code. Leaving them out makes every site smaller by
the same amount, whatever the catalog's size (benchmarks/README.md has the figures).

The rules mirror the worker in Material 9 (``setupSearchLanguages``); the browser search tests
fail if they ever drop a file the worker needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LUNR_DIR = "assets/javascripts/lunr/"
LUNR_LANGUAGE = re.compile(r"min/lunr\.(?P<lang>[a-z]+)\.min\.js")
# Loaded for any language but English, and for more than one language; not language files.
LUNR_SUPPORT = {"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js"}
SEGMENTERS = {"tinyseg.js": {"ja"}, "wordcut.js": {"th", "hi"}}


def unused_theme_assets(theme_files: Iterable[str], search_languages: Iterable[str] | None) -> set[str]:
    """The site paths among ``theme_files`` that no page or worker of the site loads.

    ``search_languages`` is the search plugin's ``lang`` list, or None when the site has no search
    plugin (then no lunr file is used at all).
    """
    languages = set(search_languages or ())
    return {
        path
        for path in theme_files
        if (path.startswith("assets/") and path.endswith(".map"))
        or (path.startswith(LUNR_DIR) and not _lunr_file_used(path.removeprefix(LUNR_DIR), languages))
    }


def _lunr_file_used(name: str, languages: set[str]) -> bool:
    if not languages or languages == {"en"}:
        return False  # English needs no lunr add-on at all
    if name in LUNR_SUPPORT:
        return True
    if name in SEGMENTERS:
        return bool(SEGMENTERS[name] & languages)
    match = LUNR_LANGUAGE.fullmatch(name)
    # A file this module does not recognise is kept: better a few kilobytes too many than a
    # search that cannot start.
    return match is None or match["lang"] in languages
