"""Cross-links on the built site: every entry is reachable from modules and the quick index, in two clicks."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.editions import language_suffix
from generator.model import ALL_MODULES
from generator.relations import CatalogRelations
from generator.validate import load_catalog
from tests.conftest import ROOT, nav_uris


class _Article(HTMLParser):
    """hrefs, ids and text inside the page's <article>, i.e. without the navigation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if self.depth:
            values = dict(attrs)
            if tag == "a" and values.get("href"):
                self.hrefs.append(values["href"] or "")
            if values.get("id"):
                self.ids.add(values["id"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _page(site: Path, url_path: str) -> _Article:
    parser = _Article()
    parser.feed((site / url_path / "index.html").read_text(encoding="utf-8"))
    return parser


def _targets(page_url: str, parser: _Article) -> set[str]:
    """Site-relative directory URLs (e.g. 'errors/token-corrupt') this page links to."""
    targets = set()
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        resolved = posixpath.normpath(posixpath.join(page_url, unquote(parts.path)))
        targets.add(resolved.strip("/"))
    return targets


@pytest.fixture(scope="module")
def rel() -> CatalogRelations:
    return CatalogRelations.build(load_catalog(ROOT / "catalog"))


def test_every_module_page_links_to_every_entry_it_lists(built_site: Path, rel: CatalogRelations) -> None:
    for module in rel.catalog.modules:
        page_url = f"modules/{module.key}"
        links = _targets(page_url, _page(built_site, page_url))
        expected = {f"errors/{e.slug}" for e in [*rel.entries_by_module[module.key], *rel.all_api_entries]}
        assert expected - links == set(), module.key


def test_every_entry_is_linked_from_a_module_page_and_the_remedy_index(built_site: Path, rel: CatalogRelations) -> None:
    from_modules: set[str] = set()
    for module in rel.catalog.modules:
        from_modules |= _targets(f"modules/{module.key}", _page(built_site, f"modules/{module.key}"))
    remedies = _page(built_site, "remedies")
    from_remedies = _targets("remedies", remedies)
    for entry in rel.catalog.entries:
        assert f"errors/{entry.slug}" in from_modules, entry.slug
        assert f"errors/{entry.slug}" in from_remedies, entry.slug
        assert entry.slug in remedies.ids, f"remedies/#{entry.slug} is not an anchor"


def test_every_api_is_on_its_module_page_with_method_and_path(built_site: Path, rel: CatalogRelations) -> None:
    in_catalog = sum(len(api_file.apis) for api_file in rel.catalog.api_files)
    assert sum(len(apis) for apis in rel.apis_by_module.values()) == in_catalog > 0
    for module_key, apis in rel.apis_by_module.items():
        page = _page(built_site, f"modules/{module_key}")
        text = " ".join("".join(page.text).split())
        for api in apis:
            assert api.id in page.ids, (module_key, api.id)
            assert api.title.zh in text, api.title.zh
            assert f"{api.method} {api.path}" in text, (api.method, api.path)


def test_entry_pages_show_apis_modules_status_and_same_type(built_site: Path, rel: CatalogRelations) -> None:
    listed = sum(len(api.errors) for api_file in rel.catalog.api_files for api in api_file.apis)
    assert sum(len(rel.occurrences[entry.slug]) for entry in rel.catalog.entries) == listed > 0
    for entry in rel.catalog.entries:
        url = f"errors/{entry.slug}"
        page = _page(built_site, url)
        links = _targets(url, page)
        for ref in rel.occurrences[entry.slug]:
            assert f"modules/{ref.module.key}" in links, (entry.slug, ref.api.id)
            assert ref.api.vendor_page in page.hrefs
        if entry.status is not None:
            assert f"statuses/{entry.status}" in links, entry.slug
        if entry.error is not None:
            assert "types" in links, entry.slug
            others = [o for o in rel.entries_by_type[entry.error] if o is not entry]
            assert {f"errors/{o.slug}" for o in others[:5]} <= links, entry.slug  # the page shows 5
            rest = {f"errors/{o.slug}" for o in others[5:] if o not in rel.message_siblings[entry.slug]}
            assert not rest & links, entry.slug  # the rest are a link to the type away
        for key in rel.entry_modules[entry.slug]:
            if key != ALL_MODULES:
                assert f"modules/{key}" in links, (entry.slug, key)


def test_module_pages_link_to_each_other_where_an_entry_is_shared(built_site: Path, rel: CatalogRelations) -> None:
    shared_somewhere = False
    for module in rel.catalog.modules:
        links = _targets(f"modules/{module.key}", _page(built_site, f"modules/{module.key}"))
        for entry in rel.shared_entries(module.key):
            shared_somewhere = True
            for other in rel.entry_modules[entry.slug]:
                assert other == module.key or f"modules/{other}" in links, (module.key, entry.slug, other)
    assert shared_somewhere


def test_drift_is_shown_to_readers(built_site: Path, rel: CatalogRelations) -> None:
    drifting = [e for e in rel.catalog.entries if rel.message_siblings[e.slug]]
    assert drifting, "the vendor's docs have conflicts; the catalog must record them"
    for entry in drifting:
        page = _page(built_site, f"errors/{entry.slug}")
        text = "".join(page.text)
        assert "文档差异" in text and "见于" in text, entry.slug
        for other in rel.message_siblings[entry.slug]:
            assert f"errors/{other.slug}" in _targets(f"errors/{entry.slug}", page)


def test_type_index_lists_every_type_with_statuses_and_modules(built_site: Path, rel: CatalogRelations) -> None:
    page = _page(built_site, "types")
    links = _targets("types", page)
    indexed = {entry.slug for entries in rel.entries_by_type.values() for entry in entries}
    assert indexed >= {entry.slug for entry in rel.catalog.entries if entry.error is not None} != set()
    for error_type, entries in rel.entries_by_type.items():
        assert rel.type_anchors[error_type] in page.ids, error_type
        for entry in entries:
            assert f"errors/{entry.slug}" in links
            if entry.status is not None:
                assert f"statuses/{entry.status}" in links


def _nav_href(uri: str) -> str:
    """The home page's link to the page of ``uri`` (``index.md`` -> ``.``, ``x/index.md`` -> ``x/``)."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return "."
    return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"


def test_navigation_stays_small(built_site: Path, rel: CatalogRelations) -> None:
    """The navigation holds the overviews and the hand-written pages, whatever the catalog's size."""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    start = home.index('class="md-nav md-nav--primary"')
    nav = home[start : home.index("md-sidebar--secondary", start)]
    pages = {href for href in re.findall(r'href="([^"#]+)"', nav)}
    # A page's English twin (page.en.md) is the same page in the English edition's navigation.
    sources = [p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")]
    hand_written = [uri for uri in sources if language_suffix(uri)[1] is None]
    assert pages == {_nav_href(uri) for uri in [*nav_uris(rel.catalog), *hand_written]}
