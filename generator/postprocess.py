"""What the generator does to MkDocs' output, in one place.

Per page (``finish_page``): the finished HTML blocks go back where the Markdown left their
placeholders, and the theme's indentation is dropped. Per site (``finish_site``): the search
index is written as UTF-8 and the search worker's Chinese segmentation fixed (``search_patch``).
Per file set (``unused_theme_files``): the theme's files no page loads are left out.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.fragments import FINISHED_HTML_END, FINISHED_HTML_START
from generator.search_patch import patch_site
from generator.theme_assets import unused_theme_assets

_FINISHED_HTML = re.compile(
    "^" + re.escape(FINISHED_HTML_START) + r"\n(.*?)\n" + re.escape(FINISHED_HTML_END) + "$", re.S | re.M
)
_VERBATIM_ELEMENT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENTATION = re.compile(r"\n\s+")
_THEME_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
# What Jinja's tojson escapes so that JSON cannot end its <script> element early.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def lift_finished_html(markdown: str) -> tuple[str, dict[str, str]]:
    """Take the finished HTML blocks out of a page's Markdown, leaving an empty placeholder each.

    Python-Markdown walks raw HTML with a pure-Python parser, and so does the search indexer;
    for the big entry tables (excluded from search anyway) that was most of the build. The
    blocks go back in the page's final HTML in ``finish_page``. Without the lift, the Markdown
    renders the same page (``python -m generator render`` writes it that way).
    """
    blocks: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        key = f'<div data-ec-finished="{len(blocks)}"></div>'
        blocks[key] = match.group(1)
        return key

    return _FINISHED_HTML.sub(placeholder, markdown), blocks


def finish_page(page_html: str, blocks: dict[str, str]) -> tuple[str, list[str]]:
    """The page as published: compact, with its lifted blocks back; and the placeholders that
    were not found (a template override that lost them)."""
    page_html = compact_html(page_html)
    missing = []
    for key, block in blocks.items():
        if key in page_html:
            page_html = page_html.replace(key, block, 1)
        else:
            missing.append(key)
    return page_html, missing


def finish_site(
    site_dir: Path, sitemap: Callable[[str], str] | None = None, lang: str | None = None
) -> list[tuple[Path, str]]:
    """Rewrite the built site's search index (ranked for ``lang``'s edition), worker and bundle,
    and its sitemap through ``sitemap``; returns the scripts that could not be patched (Material
    changed), and what."""
    sitemap_file = site_dir / "sitemap.xml"
    if sitemap is not None and sitemap_file.is_file():
        xml = sitemap(sitemap_file.read_text(encoding="utf-8"))
        sitemap_file.write_text(xml, encoding="utf-8")
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
            packed.write(xml.encode("utf-8"))
    return patch_site(site_dir, lang)


def unused_theme_files(files: Iterable[Any], own_dirs: Iterable[str], search_languages: list[str] | None) -> list[Any]:
    """The theme's files (MkDocs ``File`` objects) that no page or search worker loads.

    Only the theme's own: anything in docs/ or a custom_dir (``own_dirs``) is the site's to keep.
    """
    own = {Path(folder).resolve() for folder in own_dirs}
    theme_files = {
        f.src_uri: f
        for f in files
        if f.generated_by is None and f.abs_src_path and own.isdisjoint(Path(f.abs_src_path).resolve().parents)
    }
    return [theme_files[uri] for uri in sorted(unused_theme_assets(theme_files, search_languages))]


def compact_html(page_html: str) -> str:
    """Drop the indentation and blank lines the theme leaves in every page.

    Outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>`` a newline followed by more
    whitespace renders exactly like the newline alone; inside them everything is kept, except
    that the theme's JSON configuration is written again as the same data with Chinese as UTF-8
    instead of six-byte ``\\u`` escapes (its translations are half of it).
    """
    parts, last = [], 0
    for match in _VERBATIM_ELEMENT.finditer(page_html):
        parts.append(_INDENTATION.sub("\n", page_html[last : match.start()]))
        parts.append(_THEME_CONFIG.sub(_compact_theme_config, match.group(0), count=1))
        last = match.end()
    parts.append(_INDENTATION.sub("\n", page_html[last:]))
    return "".join(parts)


def _compact_theme_config(match: re.Match[str]) -> str:
    try:
        data = json.loads(match.group(2))
    except ValueError:  # not the theme's config after all: leave it exactly as it was
        return match.group(0)
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML)
    return match.group(1) + compact + match.group(3)
