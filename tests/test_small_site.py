"""The fast tier's site: the repo's mkdocs.yml and docs/ with the small catalog (tests/fixtures/small),
built with `mkdocs build --strict` and checked on the HTML a reader gets: every generated page is
there under its title, every link and fragment resolves, redirects and data files are complete."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.editions import language_suffix
from generator.model import Catalog
from generator.render import render_pages
from generator.validate import load_catalog
from tests.conftest import ROOT, SMALL_CATALOG, SiteBuild, meta_descriptions, shared_descriptions
from tests.linkcheck import check_site_links


@pytest.fixture(scope="module")
def small_catalog() -> Catalog:
    return load_catalog(SMALL_CATALOG)


def html_path(site: Path, uri: str) -> Path:
    """Where MkDocs writes the page of ``uri`` (``errors/x.md`` -> ``errors/x/index.html``)."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def front_matter_title(markdown: str) -> str:
    front_matter = markdown.split("---\n", 2)[1]
    return yaml.safe_load(front_matter)["title"]


def page_title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "page has no <title>"
    return unescape(match.group(1))


def test_small_site_builds_strict_without_a_warning(small_site_build: SiteBuild) -> None:
    assert "WARNING" not in small_site_build.log, small_site_build.log
    assert "ERROR" not in small_site_build.log, small_site_build.log


def test_every_generated_page_is_built_under_its_title(small_site_build: SiteBuild, small_catalog: Catalog) -> None:
    pages = render_pages(small_catalog).markdown
    assert len(pages) > len(small_catalog.entries)  # the entry pages and the overviews
    site_name = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    for uri, markdown in pages.items():
        path = html_path(small_site_build.site_dir, uri)
        assert path.is_file(), f"{uri} was rendered but the build wrote no {path.name} for it"
        title = page_title(path.read_text(encoding="utf-8"))
        expected = unescape(front_matter_title(markdown))  # the generator writes it HTML-escaped
        assert title in (expected, f"{expected} - {site_name}"), (uri, title)


def test_every_hand_written_page_is_built(small_site_build: SiteBuild) -> None:
    hand_written = sorted((ROOT / "docs").rglob("*.md"))
    assert hand_written, "docs/ has no hand-written page"
    for page in hand_written:
        _page_uri, twin_of_lang = language_suffix(page.relative_to(ROOT / "docs").as_posix())
        built = html_path(small_site_build.site_dir, page.relative_to(ROOT / "docs").as_posix())
        # The small catalog's site is Chinese only: a page's English twin is not published there.
        assert built.is_file() != bool(twin_of_lang), page


def test_every_internal_link_and_fragment_resolves(small_site_build: SiteBuild) -> None:
    assert [str(b) for b in check_site_links(small_site_build.site_dir)] == []


def test_every_alias_redirects_to_its_entry(small_site_build: SiteBuild, small_catalog: Catalog) -> None:
    aliased = [(alias, entry.slug) for entry in small_catalog.entries for alias in entry.aliases]
    assert aliased, "tests/fixtures/small should keep an entry with an alias"
    for alias, slug in aliased:
        redirect = (small_site_build.site_dir / "errors" / alias / "index.html").read_text(encoding="utf-8")
        assert f'http-equiv="refresh" content="0; url=../{slug}/"' in redirect, alias


def test_data_files_list_every_entry(small_site_build: SiteBuild, small_catalog: Catalog) -> None:
    slugs = [entry.slug for entry in small_catalog.entries]
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    exported = json.loads((small_site_build.site_dir / "catalog.json").read_text(encoding="utf-8"))
    assert sorted(e["slug"] for e in exported["entries"]) == sorted(slugs)
    assert all(e["type"] == f"{site_url}errors/{e['slug']}/" for e in exported["entries"])
    rows = json.loads((small_site_build.site_dir / "all-errors.json").read_text(encoding="utf-8"))["rows"]
    assert sorted(row[0] for row in rows) == sorted(slugs)


def test_every_api_has_its_anchor_on_its_module_page(small_site_build: SiteBuild, small_catalog: Catalog) -> None:
    apis = [(api_file.module, api.id) for api_file in small_catalog.api_files for api in api_file.apis]
    assert apis, "tests/fixtures/small should keep APIs"
    for module, api_id in apis:
        page = (small_site_build.site_dir / "modules" / module / "index.html").read_text(encoding="utf-8")
        assert f'id="{api_id}"' in page, (module, api_id)


def test_the_build_writes_nothing_into_docs(small_site_build: SiteBuild) -> None:
    copied_docs = small_site_build.site_dir.parent / "docs"
    files = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))  # noqa: E731
    assert files(copied_docs) == files(ROOT / "docs")


def test_every_page_has_a_meta_description_of_its_own(small_site_build: SiteBuild) -> None:
    descriptions = meta_descriptions(small_site_build.site_dir)
    assert "errors/token-corrupt/index.html" in descriptions
    assert all(descriptions.values()), [page for page, text in descriptions.items() if not text]
    assert shared_descriptions(descriptions) == []
    entry = descriptions["errors/token-corrupt/index.html"]
    assert entry.startswith("401 auth_bad_access_token: Unable to authenticate due to corrupt access token——")


def _script_sources(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_each_page_script_loads_only_where_it_is_used(small_site_build: SiteBuild) -> None:
    """errors-table.js on the all-errors page, lookup.js on the lookup, home and 404 pages, and each
    inside Material's container, whose scripts instant navigation runs again."""
    site = small_site_build.site_dir
    loading: dict[str, set[str]] = {"errors-table.js": set(), "lookup.js": set()}
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for source in _script_sources(html):
            name = source.rsplit("/", 1)[-1]
            if name in loading:
                loading[name].add(path.relative_to(site).as_posix())
                container = html.index('data-md-component="container"')
                assert container < html.index(f'<script src="{source}"') < html.index('<script id="__config"'), path
    assert loading == {
        "errors-table.js": {"errors/index.html"},
        "lookup.js": {"lookup/index.html", "index.html", "404.html"},
    }


def test_the_404_page_offers_the_lookup_and_the_indexes_from_any_depth(small_site_build: SiteBuild) -> None:
    html = (small_site_build.site_dir / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html and '<meta name="robots" content="noindex">' in html
    assert page_title(html).startswith("找不到这个页面 - ")
    # A form that works without JavaScript: it opens lookup/?q=<the text>, by path from the root.
    form = re.search(r"<form [^>]*data-ec-lookup[^>]*>(.*?)</form>", html, re.S)
    assert form and 'action="/lookup/" method="get"' in form.group(0)
    assert '<textarea id="ec-lookup-input" name="q"' in form.group(1) and 'type="submit"' in form.group(1)
    assert "/assets/lookup.js" in _script_sources(html)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        ("/", "首页"),
        ("/errors/", "全部错误"),
        ("/statuses/", "HTTP 状态码"),
        ("/modules/", "功能模块"),
        ("/lookup/", "错误查找"),
    ]
