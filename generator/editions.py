"""The site's editions: Chinese at the root, every other language under ``<lang>/``, same paths.

One ``mkdocs build`` (or ``serve``) builds the primary edition, whose plugin then builds each
other edition into ``site_dir/<lang>/`` from the same mkdocs.yml with the overrides below: the
theme's interface language, the search language and separator, the site name, the URL. Pages are
twins by path, so the language switch and ``hreflang`` links point at the same page in the other
edition. Nothing here imports MkDocs.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

PRIMARY = "zh"
# The names readers pick in the language switch, each in its own language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


@dataclass(frozen=True)
class Edition:
    """One edition of a site whose editions are ``languages``, published at ``site_url`` (the
    primary edition's URL): what it changes in each page, the sitemap and the file set."""

    lang: str
    languages: list[str]
    site_url: str

    @property
    def others(self) -> list[str]:
        """The editions this one's build makes after itself (the primary makes all others)."""
        return self.languages[1:] if self.lang == PRIMARY else []

    def finish_page(self, page_html: str, page_url: str) -> str:
        if len(self.languages) < 2:
            return page_html
        return point_at_twins(page_html, twins(page_url, self.lang, self.languages, self.site_url))

    def finish_error_page(self, page_html: str) -> str:
        """The 404 page, which a host serves at any missing path: its switch and ``hreflang``
        links lead to each edition's home, by path from the host's root."""
        if len(self.languages) < 2:
            return page_html
        homes = [
            Twin(lang, urlsplit(edition_url(self.site_url, lang)).path, edition_url(self.site_url, lang))
            for lang in self.languages
        ]
        return point_at_twins(page_html, homes)

    def finish_sitemap(self, sitemap_xml: str) -> str:
        if len(self.languages) < 2:
            return sitemap_xml
        return sitemap_with_twins(sitemap_xml, self.lang, self.languages, self.site_url)

    def hand_written_pages(self, src_uris: list[str]) -> dict[str, str]:
        return hand_written_pages(src_uris, self.lang, self.languages)

    def alternate(self) -> list[dict[str, str]] | None:
        return alternate_config(self.lang, self.languages) if len(self.languages) > 1 else None


def edition_dir(lang: str) -> str:
    """Where an edition lives, relative to the site root: ``""`` or ``"en/"``."""
    return "" if lang == PRIMARY else f"{lang}/"


def edition_url(site_url: str, lang: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + edition_dir(lang)


@dataclass(frozen=True)
class Twin:
    lang: str
    href: str  # the same page in that edition, relative to the page
    url: str  # ...and its published URL


def twins(page_url: str, lang: str, languages: list[str], site_url: str) -> list[Twin]:
    """The page at ``page_url`` (relative to its edition's root, e.g. ``errors/x/``) in every
    edition of the site at ``site_url`` (the primary edition's URL)."""
    folders = page_url.split("/")[:-1] if not page_url.endswith("/") else page_url.split("/")
    depth = len([part for part in folders if part]) + len([part for part in edition_dir(lang).split("/") if part])
    to_site_root = "../" * depth
    return [
        Twin(other, (to_site_root + edition_dir(other) + page_url) or "./", edition_url(site_url, other) + page_url)
        for other in languages
    ]


def alternate_config(lang: str, languages: list[str]) -> list[dict[str, str]]:
    """Material's ``extra.alternate`` for one edition: the language switch (links are rewritten
    to the page's twin when each page is finished)."""
    up = "../" if lang != PRIMARY else ""
    return [
        {"name": LANGUAGE_NAMES[other], "lang": other, "link": (up + edition_dir(other)) or "./"} for other in languages
    ]


def edition_overrides(raw_config: dict[str, Any], lang: str, site_name: str, site_description: str) -> dict[str, Any]:
    """What an edition's build changes in mkdocs.yml: the top-level keys to pass to MkDocs'
    ``load_config`` (site URL and folder are set by the caller)."""
    theme = copy.deepcopy(raw_config.get("theme") or {})
    if isinstance(theme, dict):
        theme["language"] = lang
    plugins = []
    for plugin in raw_config.get("plugins") or []:
        name, options = (plugin, {}) if isinstance(plugin, str) else next(iter(plugin.items()))
        options = copy.deepcopy(options or {})
        if name in ("search", "material/search"):
            options = search_options(options, lang)
        elif name == "error-catalog":
            options["edition"] = lang
        plugins.append({name: options})
    return {"theme": theme, "plugins": plugins, "site_name": site_name, "site_description": site_description}


def palette_with_toggle_names(palette: Any, ui: Callable[[str], str]) -> Any:
    """Material's ``theme.palette`` with every toggle named in the edition's language.

    A toggle switches to the next option of the list (the last back to the first), so it is named
    after that option's scheme: ``ui("palette.to_slate")``. A palette that is one mapping (no
    toggle) is returned as it is. Raises KeyError when the UI text has no name for a scheme.
    """
    if not isinstance(palette, list):
        return palette
    options = [copy.deepcopy(option) for option in palette]
    for index, option in enumerate(options):
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if isinstance(toggle, dict):
            following = options[(index + 1) % len(options)]
            scheme = following.get("scheme") if isinstance(following, dict) else None
            toggle["name"] = ui(f"palette.to_{scheme or 'default'}")
    return options


# The theme templates' variable holding ``chrome_texts`` (generator/theme_overrides/main.html).
CHROME_TEXT_VARIABLE = "error_catalog_chrome"


def chrome_texts(ui: Callable[[str], str]) -> dict[str, str]:
    """The edition's names for the theme's controls that have none of their own: the search
    dialog, and the table wrappers that scroll (named by docs/assets/chrome.js)."""
    return {"search_dialog": ui("chrome.search_dialog"), "scroll_region": ui("chrome.scroll_region")}


def search_options(options: dict[str, Any], lang: str) -> dict[str, Any]:
    """The search plugin's options for an edition: its language only; the word separator without
    U+200B, which only jieba's Chinese segmentation puts between words."""
    options = {**options, "lang": [lang]}
    separator = options.get("separator")
    if lang != PRIMARY and isinstance(separator, str):
        options["separator"] = separator.replace("\\u200b", "")
    return options


def language_suffix(src_uri: str) -> tuple[str, str | None]:
    """``maintaining.en.md`` -> (``maintaining.md``, ``en``): a hand-written page's English twin
    sits beside it; a page without a suffix is the primary edition's."""
    for lang in LANGUAGE_NAMES:  # any edition's twin, so a site without that edition leaves it out
        suffix = f".{lang}.md"
        if lang != PRIMARY and src_uri.endswith(suffix):
            return src_uri.removesuffix(suffix) + ".md", lang
    return src_uri, None


def hand_written_pages(src_uris: list[str], lang: str, languages: list[str]) -> dict[str, str]:
    """Which hand-written page files an edition publishes: ``{source file: page URI}``."""
    chosen: dict[str, str] = {}
    for src_uri in src_uris:
        page, page_lang = language_suffix(src_uri)
        if page_lang == lang or (page_lang is None and lang == PRIMARY):
            chosen[src_uri] = page
    if lang != PRIMARY:  # a page not written in this language yet stays in the primary's
        written = set(chosen.values())
        for src_uri in src_uris:
            if language_suffix(src_uri)[1] is None and src_uri not in written:
                chosen[src_uri] = src_uri
    return chosen


_SITEMAP_LOC = re.compile(r"(<loc>)([^<]*)(</loc>)")


def sitemap_with_twins(sitemap_xml: str, lang: str, languages: list[str], site_url: str) -> str:
    """An edition's sitemap with every page's twins as ``xhtml:link`` alternates."""
    base = edition_url(site_url, lang)

    def with_twins(match: re.Match[str]) -> str:
        loc = html.unescape(match.group(2))
        if not loc.startswith(base):
            return match.group(0)
        links = "".join(
            f'\n         <xhtml:link rel="alternate" hreflang="{twin.lang}" href="{html.escape(twin.url)}"/>'
            for twin in twins(loc.removeprefix(base), lang, languages, site_url)
        )
        return match.group(0) + links

    xml = _SITEMAP_LOC.sub(with_twins, sitemap_xml)
    return xml.replace(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        1,
    )


_ALTERNATE_LINK = re.compile(r'(<link rel="alternate" href=")[^"]*(" hreflang="([a-z]+)">)')
_SWITCH_LINK = re.compile(r'(<a href=")[^"]*(" hreflang="([a-z]+)" class="md-select__link")')


def point_at_twins(page_html: str, page_twins: list[Twin]) -> str:
    """The page's ``hreflang`` links (head and language switch) pointed at its twins; the switch
    links leave instant navigation (``target``), since an edition is a site of its own."""
    by_lang = {twin.lang: twin for twin in page_twins}

    def head(match: re.Match[str]) -> str:
        twin = by_lang.get(match.group(3))
        if twin is None:
            return match.group(0)
        # data-ec-twin: the relative link docs/assets/editions.js gives the switch after instant navigation.
        return f'{match.group(1)}{html.escape(twin.url)}" data-ec-twin="{html.escape(twin.href)}{match.group(2)}'

    def switch(match: re.Match[str]) -> str:
        twin = by_lang.get(match.group(3))
        href = None if twin is None else html.escape(twin.href)
        return match.group(0) if href is None else f'{match.group(1)}{href}{match.group(2)} target="_self"'

    return _SWITCH_LINK.sub(switch, _ALTERNATE_LINK.sub(head, page_html))
