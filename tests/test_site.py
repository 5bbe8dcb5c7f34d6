"""The built site: strict build, links, search, navigation, and the MkDocs wiring's guarantees.

Tests about the real catalog's pages use `built_site` (slow tier); what holds for any catalog (theme,
search index format, fonts) is checked on the small site the fast tier builds (`small_site_build`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.search_patch import (
    BUNDLE_GLOB,
    SEARCH_RANKING,
    WORKER_GLOB,
    patch_bundle_source,
    patch_worker_source,
    rank_search_index,
)
from generator.validate import load_catalog
from tests.conftest import MINIMAL_CATALOG, ROOT, SMALL_CATALOG, SiteBuild, mkdocs_build, nav_uris
from tests.linkcheck import check_site_links


def test_strict_build_has_no_warnings(site_build: SiteBuild) -> None:
    assert "WARNING" not in site_build.log
    assert "ERROR" not in site_build.log
    assert (site_build.site_dir / "index.html").is_file()


def test_every_internal_link_and_fragment_resolves(built_site: Path) -> None:
    broken = check_site_links(built_site)
    assert [str(b) for b in broken] == []


def test_link_checker_fires_on_a_bad_raw_html_anchor(tmp_path: Path) -> None:
    """A hand-written page with a raw-HTML link to a missing fragment and to a missing page."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bad.md").write_text(
        '# Bad\n\n<a href="#no-such-anchor">anchor</a> <a href="missing/page.html">page</a>'
        ' <a href="javascript:alert(1)">js</a>\n',
        encoding="utf-8",
    )
    config = _site_config(tmp_path, catalog=MINIMAL_CATALOG)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr  # raw HTML is invisible to MkDocs' own validation
    broken = {(b.page, b.target, b.reason) for b in check_site_links(tmp_path / "site")}
    assert ("bad/index.html", "#no-such-anchor", "no element with id 'no-such-anchor'") in broken
    assert ("bad/index.html", "missing/page.html", "no such file") in broken
    assert ("bad/index.html", "javascript:alert(1)", "javascript: URLs are not allowed") in broken


def test_search_is_chinese_aware(small_site_build: SiteBuild) -> None:
    index = json.loads((small_site_build.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"]
    assert "\\u200b" in index["config"]["separator"]  # the regex escape, as the browser sees it
    han_docs = [d for d in index["docs"] if "\u200b" in d["text"] and any("\u4e00" <= c <= "\u9fff" for c in d["text"])]
    assert han_docs, "jieba did not segment Chinese text (is jieba installed?)"
    # Error types stay whole words: the entry page's title carries the type verbatim.
    titles = {d["location"]: d["title"] for d in index["docs"]}
    assert "auth_bad_access_token" in titles["errors/token-corrupt/"]


def test_navigation_lists_the_overviews_only(built_site: Path) -> None:
    catalog = load_catalog(ROOT / "catalog")
    in_nav = nav_uris(catalog)
    assert not any(uri.startswith("errors/") and uri != "errors/index.md" for uri in in_nav)
    assert in_nav == nav_uris(load_catalog(SMALL_CATALOG))  # the overviews, whatever the catalog's size
    home = (built_site / "index.html").read_text(encoding="utf-8")
    start = home.index('class="md-nav md-nav--primary"')
    nav = home[start : home.index("md-sidebar--secondary", start)]
    for overview in ("lookup/", "statuses/", "modules/", "categories/", "remedies/", "types/", "errors/"):
        assert f'href="{overview}"' in nav, overview
    for module in catalog.modules:  # listed on the modules overview, not on every page
        assert f'href="modules/{module.key}/"' not in nav
    assert 'href="errors/token-corrupt/"' not in nav
    # ...but every entry page exists, reachable from the tables.
    for entry in catalog.entries:
        assert (built_site / "errors" / entry.slug / "index.html").is_file()


def test_every_table_is_styled_by_the_theme(small_site_build: SiteBuild) -> None:
    """Material styles `.md-typeset table:not([class])`: a table with a class renders bare."""
    built_site = small_site_build.site_dir
    styled_only_without_class = re.compile(r"<table\s[^>]*class=")
    bare = [
        page.relative_to(built_site).as_posix()
        for page in built_site.rglob("*.html")
        if styled_only_without_class.search(page.read_text(encoding="utf-8"))
    ]
    assert not bare, bare[:5]


def test_no_google_fonts(small_site_build: SiteBuild) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    assert config["theme"]["font"] is False
    pages = list(small_site_build.site_dir.rglob("*.html"))
    assert pages
    assert [p.name for p in pages if "fonts.googleapis.com" in p.read_text(encoding="utf-8")] == []


def test_generated_pages_are_virtual(site_build: SiteBuild) -> None:
    """Nothing generated lands in docs/: the build leaves the hand-written folder as it was."""
    generated = {"index.md", "statuses", "modules", "errors", "categories"}
    assert not generated & {p.name for p in (ROOT / "docs").iterdir()}


def _site_config(tmp_path: Path, *, catalog: Path, extra: str = "") -> Path:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: test\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - search\n  - error-catalog:\n      catalog: {catalog.as_posix()}\n{extra}",
        encoding="utf-8",
    )
    return config


def test_hand_written_page_at_a_generated_uri_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "docs" / "errors").mkdir(parents=True)
    (tmp_path / "docs" / "errors" / "group-not-found.md").write_text("# mine\n", encoding="utf-8")
    result = mkdocs_build(_site_config(tmp_path, catalog=MINIMAL_CATALOG), tmp_path / "site")
    assert result.returncode != 0
    assert "docs/errors/group-not-found.md is hand-written" in result.stderr
    assert "generates the page errors/group-not-found.md" in result.stderr


def test_bad_catalog_fails_the_build_and_writes_nothing(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("last good build", encoding="utf-8")
    text = (catalog / "statuses.yaml").read_text(encoding="utf-8").replace("code: 404", "code: 99", 1)
    (catalog / "statuses.yaml").write_text(text, encoding="utf-8")
    result = mkdocs_build(_site_config(tmp_path, catalog=catalog), site)
    assert result.returncode != 0
    assert "statuses.yaml:11:11: statuses[1].code: integer 99 is out of range" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in site.iterdir()] == ["previous.html"]


def test_templates_can_be_overridden_from_a_site_folder(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "templates" / "_base"
    overrides.mkdir(parents=True)
    (tmp_path / "templates" / "entry_page.md.jinja").write_text(
        '{% extends "_base/entry_page.md.jinja" %}\n'
        "{% block remedy %}\n\n## 自定义建议\n\nOVERRIDDEN-REMEDY\n{% endblock %}\n",
        encoding="utf-8",
    )
    config = _site_config(tmp_path, catalog=MINIMAL_CATALOG)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "errors" / "group-not-found" / "index.html").read_text(encoding="utf-8")
    assert "OVERRIDDEN-REMEDY" in page
    assert "检查群组 ID" not in page and "可能原因" in page


def test_an_alias_keeps_the_old_url_working(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    errors = catalog / "errors" / "group.yaml"
    errors.write_text(
        errors.read_text(encoding="utf-8").replace(
            "  - slug: group-not-found\n", "  - slug: group-not-found\n    aliases: [group-missing]\n"
        ),
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    result = mkdocs_build(_site_config(tmp_path, catalog=catalog), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    redirect = (tmp_path / "site" / "errors" / "group-missing" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../group-not-found/"' in redirect
    assert check_site_links(tmp_path / "site") == []
    exported = json.loads((tmp_path / "site" / "catalog.json").read_text(encoding="utf-8"))
    entry = next(e for e in exported["entries"] if e["slug"] == "group-not-found")
    assert entry["aliases"] == ["group-missing"]
    assert entry["type"] == "https://example.org/errors/group-not-found/"


def test_chinese_query_segmentation_fix_is_applied(small_site_build: SiteBuild) -> None:
    """Material's worker must let the last word of a query match whole (see generator/search_patch.py)."""
    import material

    original = next((Path(material.__file__).parent / "templates").glob(WORKER_GLOB)).read_text(encoding="utf-8")
    patched = patch_worker_source(original)
    assert patched is not None and patched != original
    built = next(small_site_build.site_dir.glob(WORKER_GLOB)).read_text(encoding="utf-8")
    assert built == patched
    assert patch_worker_source("function unrelated(){}") is None


def test_bundle_leaves_twin_links_alone(built_site: Path) -> None:
    """Material's bundle must not probe a page's twins for sitemaps (see generator/search_patch.py)."""
    import material

    original = next((Path(material.__file__).parent / "templates").glob(BUNDLE_GLOB)).read_text(encoding="utf-8")
    patched = patch_bundle_source(original)
    assert patched is not None and 'M("link[rel=alternate]:not([data-ec-twin]):not([type])")' in patched
    for site in (built_site, built_site / "en"):
        assert next(site.glob(BUNDLE_GLOB)).read_text(encoding="utf-8") == patched
    assert patch_bundle_source("function unrelated(){}") is None


def test_domain_terms_stay_whole_in_the_search_index(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(doc["text"] for doc in index["docs"])
    assert "\u200b子区\u200b" in text  # jieba alone cuts it into 子/区
    assert "\u200b子\u200b区\u200b" not in text


def test_search_index_is_utf8_and_holds_what_readers_search_for(small_site_build: SiteBuild) -> None:
    raw = (small_site_build.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u" not in raw.replace("\\\\u200b", "")  # written as UTF-8 (the separator regex spells \u200b)
    docs = json.loads(raw)["docs"]
    locations = {doc["location"] for doc in docs}
    # An entry page is found by its title (status, type, message), cause, remedy, drift note and the
    # vendor's changes (a former message is what an older server still answers); its facts table, API
    # table and link lists are left out (they repeat other pages' words).
    assert {"errors/token-corrupt/", "errors/token-corrupt/#cause", "errors/token-corrupt/#remedy"} <= locations
    entry_sections = {loc.split("#")[1] for loc in locations if loc.startswith("errors/") and "#" in loc}
    assert entry_sections == {"cause", "remedy", "drift", "changes"}, entry_sections
    top = next(doc for doc in docs if doc["location"] == "errors/token-corrupt/")
    assert "HTTP" not in top["text"]


def test_the_search_index_ranks_entries_above_api_sections_in_each_edition(built_site: Path) -> None:
    """Entries, a module's own first section and its API sections carry the boosts of
    SEARCH_RANKING; the Chinese edition lowers the weight of titles (its entry titles are English
    literals). The rate-limit line under every API heading is not indexed."""
    for edition, lang in (("", "zh"), ("en/", "en")):
        ranking = SEARCH_RANKING[lang]
        index = json.loads((built_site / edition / "search" / "search_index.json").read_text(encoding="utf-8"))
        boosts = {doc["location"]: doc.get("boost") for doc in index["docs"]}
        assert boosts["errors/token-corrupt/"] == boosts["errors/token-corrupt/#cause"] == ranking.entry_page
        assert boosts["modules/chatroom/"] == ranking.module_page
        assert boosts["modules/chatroom/#chatroom-member-add-batch"] == ranking.module_sections
        assert boosts["statuses/429/"] is None and boosts["types/"] is None
        assert ranking.module_sections < ranking.entry_page
        title_weight = index["config"]["fields"]["title"]["boost"]
        assert title_weight == (ranking.title_weight or 1000)
        api_text = next(
            d["text"] for d in index["docs"] if d["location"] == "modules/chatroom/#chatroom-member-add-batch"
        )
        assert "/chatrooms/{chatroom_id}/users" in api_text and "App Key" not in api_text
    assert SEARCH_RANKING["zh"].title_weight < 1000


def test_ranking_an_index_twice_gives_the_same_index() -> None:
    """mkdocs serve merges the last build's ranked sections into the new index, which is ranked again."""
    index = {
        "config": {"fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "errors/a/", "title": "a"},
            {"location": "errors/a/#cause", "title": "a"},
            {"location": "modules/m/", "title": "m"},
            {"location": "modules/m/#api-1", "title": "api"},
            {"location": "errors/", "title": "all"},
            {"location": "errors/a.md", "title": "twin"},
            {"location": "statuses/403/", "title": "403"},
        ],
    }
    once = rank_search_index(json.loads(json.dumps(index)), SEARCH_RANKING["zh"])
    twice = rank_search_index(json.loads(json.dumps(once)), SEARCH_RANKING["zh"])
    assert once == twice
    assert [d.get("boost") for d in once["docs"]] == [2, 2, 1, 0.05, None, None, None]
    assert once["config"]["fields"]["title"] == {"boost": 3}


def test_vendor_changes_are_shown_in_both_editions(built_site: Path) -> None:
    """A changed message shows its earlier literal, a row the vendor dropped says so with the date,
    and the merged entry's old address leads to the entry that took it over."""
    for edition, changed, dropped in (
        ("", "以前的错误提示", "官方文档已不再列出本错误"),
        ("en/", "Earlier message", "no longer list"),
    ):
        page = (built_site / edition / "errors/mute-members-over-limit/index.html").read_text(encoding="utf-8")
        changes = html.unescape(page[page.index('id="changes"') :])
        assert changed in changes and "userNames size is more than max limit : 60" in changes, edition
        token = (built_site / edition / "errors/invalid-password/index.html").read_text(encoding="utf-8")
        assert dropped in token and "2026-12-01" in token, edition
        module = (built_site / edition / "modules/chatroom/index.html").read_text(encoding="utf-8")
        assert module.count("../../errors/grpid-does-not-exist/") >= 2, edition  # its table and the dropped list
        redirect = (built_site / edition / "errors/chatroom-mute-batch-limit-exceeded/index.html").read_text("utf-8")
        assert 'href="../mute-members-over-limit/"' in redirect, edition


class _CodeSpans(HTMLParser):
    """Each <code> element of a page: its text and its lang attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[str, str | None]] = []
        self._open: list[str | None] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code":
            self._open.append(dict(attrs).get("lang"))
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._open:
            self.spans.append(("".join(self._text), self._open.pop()))


def test_literal_api_text_on_a_chinese_page_is_marked_english(small_site_build: SiteBuild) -> None:
    """A screen reader reads the vendor's English literals on a Chinese page as English."""
    page = (small_site_build.site_dir / "errors" / "token-corrupt" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in page
    parser = _CodeSpans()
    parser.feed(page)
    literals = [
        span
        for span in parser.spans
        if span[0] in ("auth_bad_access_token", "Unable to authenticate due to corrupt access token")
    ]
    # The title (Markdown, escape.md_code) and the facts table (an HTML fragment), type and message.
    assert len(literals) >= 3
    assert all(lang == "en" for _, lang in literals), literals
