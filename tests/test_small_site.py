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
from tests.conftest import ROOT, SMALL_CATALOG, SiteBuild
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
