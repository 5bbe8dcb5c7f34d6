"""Machines as readers: the CommonMark escapes, llms.txt and the Markdown twins of entry pages,
from the module, on the small site the fast tier builds, and in both editions of the real site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from generator import urls
from generator.escape import commonmark_code, commonmark_prose, commonmark_text, one_line
from generator.machine_readable import machine_readable_files
from generator.model import Catalog, LocalizedText
from generator.relations import CatalogRelations
from generator.validate import load_catalog
from generator.views import SiteViews
from tests.conftest import ROOT, SMALL_CATALOG, SiteBuild
from tests.machine_text import parse_llms_txt, render_markdown
from tests.servers import serve_directory

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")  # Chinese and its punctuation
# What a twin or llms.txt may render to: nothing a catalog text could have brought in.
PLAIN_TAGS = {"h1", "h2", "p", "ul", "li", "a", "code", "pre"}

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](data:text/html,<b>x</b>)",
    "<https://evil.example/>",
    "**bold** *em* _em_ ~~del~~",
    "# heading",
    "- item",
    "+ item",
    "> quote",
    "1. list",
    "2) list",
    "---",
    "***",
    "{: onclick=alert(1) }",
    "&lt;already escaped&gt; &amp; &#60;b&#62;",
    "back\\slash\\ at the end\\",
    "[ref]: https://evil.example/",
    "line one\nline two\n\n# three",
]


# The escapes


@pytest.mark.parametrize("payload", HOSTILE)
def test_commonmark_text_renders_as_exactly_the_text(payload: str) -> None:
    rendered = render_markdown(commonmark_text(payload))
    assert rendered.tags == ["p"], rendered.tags
    assert rendered.attributes == set()
    assert rendered.text == one_line(payload)


@pytest.mark.parametrize("payload", [p for p in HOSTILE if "\n" not in p])
def test_commonmark_code_keeps_a_literal_byte_for_byte(payload: str) -> None:
    rendered = render_markdown(f"x {commonmark_code(payload)} y")
    assert rendered.tags == ["p", "code"] and rendered.codes == [payload]


@pytest.mark.parametrize(
    ("literal", "span"),
    [
        ("plain", "`plain`"),
        ("a  b", "`a  b`"),  # inner spaces are part of the literal
        ("a`b", "``a`b``"),
        ("a``b`c", "```a``b`c```"),
        ("`x`", "`` `x` ``"),  # CommonMark strips one space each side when one pads both
        ("```", "```` ``` ````"),
        (" both ", "`  both  `"),
        ("one\ntwo", "`one two`"),  # a line break would let the next line start a block
        ("", ""),
    ],
)
def test_code_span_fence_outgrows_every_backtick_run(literal: str, span: str) -> None:
    assert commonmark_code(literal) == span


def test_identifiers_keep_their_underscores_and_everything_else_is_escaped() -> None:
    assert commonmark_text("auth_bad_access_token 用户_ID") == "auth_bad_access_token 用户_ID"
    assert commonmark_text("_em_ a_ _b __init__") == r"\_em\_ a\_ \_b \_\_init\_\_"
    assert commonmark_text("1. a") == r"1\. a" and commonmark_text("- a") == r"\- a"
    assert render_markdown(commonmark_text("_em_ and __strong__")).tags == ["p"]


def test_prose_makes_code_of_backtick_spans_and_text_of_the_rest() -> None:
    prose = "- 设置 `grant_type` 为 `<b>` 的值，<b>不</b>要 **强调** [x](y)"
    rendered = render_markdown(commonmark_prose(prose))
    assert rendered.tags == ["p", "code", "code"]
    assert rendered.codes == ["grant_type", "<b>"]
    assert rendered.text == prose.replace("`", "")
    unpaired = render_markdown(commonmark_prose("一个 ` 反引号 <i>"))
    assert unpaired.tags == ["p"] and unpaired.text == "一个 ` 反引号 <i>"


# The module


@pytest.fixture(scope="module")
def small_catalog() -> Catalog:
    return load_catalog(SMALL_CATALOG)


def _files(catalog: Catalog, lang: str = "zh", site_url: str = "https://example.org/sub/") -> dict[str, str]:
    rel = CatalogRelations.build(catalog)
    return machine_readable_files(catalog, rel, SiteViews(catalog, rel, lang), site_url)


def test_llms_txt_follows_the_proposal_and_lists_every_page_and_entry(small_catalog: Catalog) -> None:
    llms = parse_llms_txt(_files(small_catalog)["llms.txt"])
    assert llms.title == small_catalog.site.title.zh
    assert llms.summary == commonmark_prose(small_catalog.site.intro[0].zh)
    assert llms.details, "a note says how to read the lists"
    overview, entries, data = llms.sections.values()
    assert [link.url for link in overview] == [
        f"https://example.org/sub/{urls.built_url(uri)}" for uri in urls.OVERVIEW_URIS.values()
    ]
    rel = CatalogRelations.build(small_catalog)
    assert [link.name for link in entries] == [entry.slug for entry in rel.sorted_entries()]
    views = SiteViews(small_catalog, rel, "zh")
    for link in entries:
        view = views.entries[link.name]
        assert link.url == f"https://example.org/sub/errors/{view.slug}.md"
        assert link.note is not None and link.note.endswith(commonmark_prose(view.remedy_summary))
        literals = [literal for literal in (view.error, view.message) if literal is not None]
        assert render_markdown(link.note).codes[: len(literals)] == literals  # the title's, as code
    assert [link.name for link in data] == ["catalog.json", "catalog.schema.json"]
    assert all(link.note for section in llms.sections.values() for link in section)


def test_every_entry_has_a_twin_with_its_facts_and_a_link_to_its_page(small_catalog: Catalog) -> None:
    files = _files(small_catalog)
    assert set(files) == {"llms.txt"} | {f"errors/{entry.slug}.md" for entry in small_catalog.entries}
    rel = CatalogRelations.build(small_catalog)
    views = SiteViews(small_catalog, rel, "zh")
    for entry in small_catalog.entries:
        view = views.entries[entry.slug]
        twin = files[view.twin]
        rendered = render_markdown(twin)
        assert set(rendered.tags) <= PLAIN_TAGS, (entry.slug, rendered.tags)
        assert rendered.headings["h1"] == [view.title]
        example = [views.ui("entry.example")] if view.example is not None else []
        assert rendered.headings["h2"][: 3 + len(example)] == [
            views.ui("entry.cause"),
            views.ui("entry.remedy"),
            *example,
            views.ui("entry.apis"),
        ]
        if view.example is not None:  # the example as a code block, exactly its text
            assert any(code.strip() == view.example.text for code in rendered.codes), entry.slug
        for label in ("column.http_status", "column.category", "column.scope", "column.retry"):
            assert f"\n- {views.ui(label)}{views.ui('list.colon')}" in twin, (entry.slug, label)
        for prose in (view.cause, view.remedy):
            assert one_line(prose.replace("`", "")) in rendered.text, entry.slug
        for ref in rel.occurrences[entry.slug]:
            assert f"https://example.org/sub/modules/{ref.module.key}/#{ref.api.id}" in rendered.hrefs
            assert ref.api.path in rendered.codes and ref.api.method in rendered.codes
        assert rendered.hrefs[-1] == f"https://example.org/sub/errors/{entry.slug}/"
        assert all(href.startswith("https://example.org/sub/") for href in rendered.hrefs), rendered.hrefs


def test_twins_tell_of_drift_and_of_changes_in_the_vendors_docs(small_catalog: Catalog) -> None:
    files = _files(small_catalog)
    drifted = render_markdown(files["errors/group-not-found.md"])
    assert "文档差异" in drifted.headings["h2"]
    assert "https://example.org/sub/errors/group-not-found-400.md" in drifted.hrefs  # the sibling's twin
    former = render_markdown(files["errors/group-name-missing.md"])
    assert "group name <b>cannot</b> be null" in former.codes  # the earlier literal, as code
    assert "<b>" in former.codes and "b" not in former.tags  # the note's `<b>`, as code
    dropped = files["errors/token-corrupt.md"]
    assert "2026-12-01" in dropped and "&lt;script>" in dropped
    rendered = render_markdown(dropped)
    assert "script" not in rendered.tags and "这一行 <script>，" in rendered.text
    assert "https://example.org/sub/modules/group/#group-get" in rendered.hrefs


def test_english_edition_takes_its_labels_from_the_english_ui_text(small_catalog: Catalog) -> None:
    english = small_catalog.model_copy(
        update={"site": small_catalog.site.model_copy(update={"languages": ["zh", "en"]})}
    )
    files = _files(english, "en")
    llms = parse_llms_txt(files["llms.txt"])
    assert list(llms.sections) == ["Overview pages", "Errors", "Data"]
    assert "Remedy: " in llms.sections["Errors"][0].note
    assert "## Possible causes" in files["errors/server-busy.md"]


def _poisoned(catalog: Catalog) -> Catalog:
    """The small catalog with a hostile text in every free-text field the twins show."""
    payloads = iter(HOSTILE * 20)

    def text(value: LocalizedText) -> LocalizedText:
        return LocalizedText(zh=f"{value.zh} {next(payloads)}", en=None)

    def literal(value: str | None) -> str | None:
        return None if value is None else one_line(f"{value} {next(payloads)} ``a`b")

    entries = [
        entry.model_copy(
            update={
                "cause": text(entry.cause),
                "remedy": LocalizedText(zh=f"{next(payloads)} {entry.remedy.zh}"),
                "drift_note": text(entry.drift_note) if entry.drift_note else None,
                "message": literal(entry.message),
                "error": literal(entry.error),
            }
        )
        for entry in catalog.entries
    ]
    modules = [module.model_copy(update={"name": text(module.name)}) for module in catalog.modules]
    categories = [category.model_copy(update={"title": text(category.title)}) for category in catalog.categories]
    api_files = [
        api_file.model_copy(
            update={"apis": [api.model_copy(update={"title": text(api.title)}) for api in api_file.apis]}
        )
        for api_file in catalog.api_files
    ]
    site = catalog.site.model_copy(update={"title": text(catalog.site.title), "intro": [text(catalog.site.intro[0])]})
    return catalog.model_copy(
        update={"entries": entries, "modules": modules, "categories": categories, "api_files": api_files, "site": site}
    )


def test_hostile_catalog_text_stays_text_in_llms_txt_and_every_twin(small_catalog: Catalog) -> None:
    catalog = _poisoned(small_catalog)
    files = _files(catalog)
    parse_llms_txt(files["llms.txt"])  # still the proposal's structure, line for line
    for path, text in files.items():
        rendered = render_markdown(text)
        summary = ["blockquote"] if path == "llms.txt" else []  # llms.txt's one summary
        assert set(rendered.tags) <= PLAIN_TAGS | set(summary), (path, rendered.tags)
        assert [tag for tag in rendered.tags if tag == "blockquote"] == summary, path
        assert rendered.attributes <= {"href"}, (path, rendered.attributes)
        assert all(href.startswith("https://example.org/sub/") for href in rendered.hrefs), (path, rendered.hrefs)
    for entry in catalog.entries:
        codes = render_markdown(files[f"errors/{entry.slug}.md"]).codes
        for literal in (entry.error, entry.message):
            assert literal is None or literal in codes, (entry.slug, literal)  # byte for byte


# The small site: what `mkdocs build` publishes


def _page_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path.removeprefix(urlsplit(SITE_URL).path)
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_small_site_publishes_llms_txt_with_every_overview_page_and_entry(
    small_site_build: SiteBuild, small_catalog: Catalog
) -> None:
    site = small_site_build.site_dir
    llms = parse_llms_txt((site / "llms.txt").read_text(encoding="utf-8"))
    overview, entries, _data = llms.sections.values()
    assert [link.url for link in overview] == [urls.absolute_url(SITE_URL, uri) for uri in urls.OVERVIEW_URIS.values()]
    assert {link.name: link.url for link in entries} == {
        entry.slug: f"{SITE_URL}errors/{entry.slug}.md" for entry in small_catalog.entries
    }
    rel = CatalogRelations.build(small_catalog)
    views = SiteViews(small_catalog, rel, "zh")
    for link in [*overview, *entries, *_data]:
        assert _page_file(site, link.url).is_file(), link.url
    for link in entries:
        assert link.note is not None and link.note.endswith(commonmark_prose(views.entries[link.name].remedy_summary))


def test_small_site_twins_parse_and_hold_no_html_from_the_catalog(
    small_site_build: SiteBuild, small_catalog: Catalog
) -> None:
    site = small_site_build.site_dir
    for entry in small_catalog.entries:
        twin = site / "errors" / f"{entry.slug}.md"
        rendered = render_markdown(twin.read_text(encoding="utf-8"))
        assert set(rendered.tags) <= PLAIN_TAGS, (entry.slug, rendered.tags)
        assert rendered.hrefs[-1] == f"{SITE_URL}errors/{entry.slug}/"
        for href in rendered.hrefs:
            assert _page_file(site, href.split("#")[0]).is_file(), (entry.slug, href)
    # The small catalog's hostile notes: `<b>` in a former message and its note, `<script>` bare.
    assert (
        "group name <b>cannot</b> be null"
        in render_markdown((site / "errors/group-name-missing.md").read_text(encoding="utf-8")).codes
    )
    assert "这一行 <script>，" in render_markdown((site / "errors/token-corrupt.md").read_text(encoding="utf-8")).text


def test_small_site_entry_pages_link_to_their_twin_in_the_head(
    small_site_build: SiteBuild, small_catalog: Catalog
) -> None:
    site = small_site_build.site_dir
    for entry in small_catalog.entries:
        page = (site / "errors" / entry.slug / "index.html").read_text(encoding="utf-8")
        head = page[: page.index("</head>")]
        links = re.findall(r'<link rel="alternate" type="text/markdown" href="([^"]+)">', head)
        assert len(links) == 1, (entry.slug, links)
        target = urljoin(f"{SITE_URL}errors/{entry.slug}/", links[0])
        assert target == f"{SITE_URL}errors/{entry.slug}.md"
    assert 'type="text/markdown"' not in (site / "statuses/index.html").read_text(encoding="utf-8")


def test_a_static_host_serves_llms_txt_and_twins_as_text(small_site_build: SiteBuild) -> None:
    import urllib.request

    with serve_directory(small_site_build.site_dir) as base_url:
        for path, content_type in (("llms.txt", "text/plain"), ("errors/token-corrupt.md", "text/markdown")):
            with urllib.request.urlopen(base_url + path, timeout=10) as response:
                assert response.headers.get_content_type() == content_type, path
                assert response.read().decode("utf-8").startswith("# ")


# The real site, both editions


def test_both_editions_publish_llms_txt_listing_every_entry(built_site: Path) -> None:
    catalog = load_catalog(ROOT / "catalog")
    slugs = {entry.slug for entry in catalog.entries}
    for edition, title in (("", catalog.site.title.zh), ("en/", catalog.site.title.en)):
        llms = parse_llms_txt((built_site / edition / "llms.txt").read_text(encoding="utf-8"))
        assert llms.title == title
        entries = next(links for links in llms.sections.values() if {link.name for link in links} == slugs)
        assert len(entries) == len(slugs), edition
        for link in entries:
            assert link.url == f"{SITE_URL}{edition}errors/{link.name}.md"
            twin = built_site / edition / "errors" / f"{link.name}.md"
            assert twin.read_text(encoding="utf-8").startswith("# "), twin
        for link in (link for links in llms.sections.values() for link in links):
            assert link.url.startswith(f"{SITE_URL}{edition}"), (edition, link.url)


def test_english_llms_txt_and_twins_are_in_english(built_site: Path) -> None:
    english = built_site / "en"
    llms = (english / "llms.txt").read_text(encoding="utf-8")
    assert HAN.findall(llms) == []
    for twin in sorted((english / "errors").glob("*.md")):
        text = twin.read_text(encoding="utf-8")
        assert HAN.findall(text) == [], (twin.name, HAN.findall(text)[:10])
        assert "\n## Remedy\n" in text, twin.name
    assert HAN.search((built_site / "llms.txt").read_text(encoding="utf-8"))  # the Chinese edition's is Chinese
