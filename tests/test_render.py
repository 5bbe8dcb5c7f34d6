"""Rendering: every page from the catalog, golden pages of the small catalog, inert catalog text,
overridable templates."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.escape import html_path, md_code, md_escape, md_prose
from generator.output_guard import mark_output_folder
from generator.postprocess import compact_html
from generator.render import TemplateProblem, render_pages
from generator.validate import load_catalog
from tests.conftest import GOLDENS, MINIMAL_CATALOG, ROOT, SMALL_CATALOG, mkdocs_build

GOLDEN_PAGES = GOLDENS / "small"
REFRESH_GOLDENS = "python -m pytest tests/test_render.py --update-goldens"
MAX_DIFF_LINES = 400


def _html(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["tables", "attr_list"])


class TagsAndText(HTMLParser):
    """The start tags of some HTML (with ``end_tags``, the end tags too, as "/tag") and its text."""

    def __init__(self, end_tags: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.end_tags = end_tags
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.end_tags:
            self.tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "![x](data:text/html,<b>x</b>)",
        "**bold** _em_ ~~del~~",
        "a | b | c",
        "# heading",
        "1. list",
        "{: onclick=alert(1) }",
        "{{ 7 * 7 }} {% raw %}",
        "&lt;already escaped&gt;",
        "line one\nline two",
    ],
)
def test_escaped_text_renders_as_exactly_the_text(payload: str) -> None:
    for render, wrapper in ((md_escape, "p"), (md_code, "code")):
        parser = TagsAndText()
        parser.feed(_html(render(payload)))
        assert parser.text == " ".join(payload.split())
        assert set(parser.tags) <= {"p", "code"}, (render.__name__, parser.tags)
        assert wrapper in parser.tags
    # In a table cell the pipe must not split the row.
    parser = TagsAndText()
    parser.feed(_html(f"| a |\n| - |\n| {md_escape(payload)} |\n"))
    assert parser.text.strip().endswith(" ".join(payload.split()))
    assert parser.tags.count("td") == 1


@pytest.mark.parametrize(
    "path",
    [
        "/{org_name}/{app_name}/users/{username}",
        '/a/<script>alert(1)</script>/"x"/&amp;',
        "<wbr>/</wbr>//",
        "/users/" + "x" * 5000 + "/" * 5000,
    ],
)
def test_api_paths_break_after_each_slash_and_nothing_else(path: str) -> None:
    """html_path escapes first, so a hostile path brings no markup, then adds a <wbr> per "/"."""
    parser = TagsAndText(end_tags=True)
    parser.feed(str(html_path(path)))
    assert parser.text == path
    assert parser.tags == ["wbr"] * path.count("/")
    assert str(html_path(path)).count("/<wbr>") == path.count("/")


def test_prose_turns_backticks_into_code_and_nothing_else() -> None:
    html = _html(md_prose("设置 `grant_type` 为 `inherit`，<b>不</b>要 **强调**"))
    assert "<code>grant&#95;type</code>" in html and "<code>inherit</code>" in html
    assert "<b>" not in html and "<strong>" not in html
    assert unescape(html) == "<p>设置 <code>grant_type</code> 为 <code>inherit</code>，<b>不</b>要 **强调**</p>"
    assert md_prose("unpaired ` backtick") == md_escape("unpaired ` backtick")


def test_every_catalog_item_gets_a_page() -> None:
    catalog = load_catalog(ROOT / "catalog")
    rendered = render_pages(catalog)
    pages = rendered.markdown
    for entry in catalog.entries:
        assert f"errors/{entry.slug}.md" in pages
    for module in catalog.modules:
        assert f"modules/{module.key}.md" in pages
    for status in catalog.statuses:
        assert f"statuses/{status.code}.md" in pages
    for category in catalog.categories:
        assert f"categories/{category.key}.md" in pages
    assert {"index.md", "statuses/index.md", "modules/index.md", "errors/index.md"} <= set(pages)
    assert all(page.startswith("---\ntitle: ") for page in pages.values())
    assert {item for nav in rendered.nav for item in nav.values()} < set(pages)


def _render_cli(catalog: Path, out: Path) -> dict[str, str]:
    """Every page `python -m generator render` writes, by its path under ``out``."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "render", "--catalog", str(catalog), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return _pages_under(out)


def _pages_under(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


def _write_goldens(pages: dict[str, str]) -> None:
    """Make tests/goldens/small/ exactly the rendered pages (its files are all written by this flag)."""
    for stale in set(_pages_under(GOLDEN_PAGES)) - set(pages):
        (GOLDEN_PAGES / stale).unlink()
    for uri, text in pages.items():
        (GOLDEN_PAGES / uri).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN_PAGES / uri).write_text(text, encoding="utf-8")


def golden_diff(goldens: dict[str, str], rendered: dict[str, str]) -> list[str]:
    """A unified diff from the goldens to the rendered pages; empty when they are the same."""
    lines: list[str] = []
    for uri in sorted(set(goldens) | set(rendered)):
        before, after = goldens.get(uri), rendered.get(uri)
        if before == after:
            continue
        lines += difflib.unified_diff(
            (before or "").splitlines(),
            (after or "").splitlines(),
            f"tests/goldens/small/{uri}" if before is not None else "/dev/null",
            f"rendered/{uri}" if after is not None else "/dev/null",
            lineterm="",
        )
    return lines


def test_rendered_pages_of_the_small_catalog_match_the_goldens(tmp_path: Path, update_goldens: bool) -> None:
    rendered = _render_cli(SMALL_CATALOG, tmp_path / "pages")
    assert rendered, "render wrote no page"
    if update_goldens:
        _write_goldens(rendered)
    diff = golden_diff(_pages_under(GOLDEN_PAGES), rendered)
    shown = diff[:MAX_DIFF_LINES] + (
        [f"... {len(diff) - MAX_DIFF_LINES} more lines"] if len(diff) > MAX_DIFF_LINES else []
    )
    if diff:
        pytest.fail(
            f"the pages rendered from tests/fixtures/small differ from tests/goldens/small/. If the change is "
            f"intended, refresh them with `{REFRESH_GOLDENS}` and review `git diff tests/goldens`.\n"
            + "\n".join(shown),
            pytrace=False,
        )


def test_user_template_folder_comes_first(tmp_path: Path) -> None:
    (tmp_path / "module_page.md.jinja").write_text(
        '{% extends "_base/module_page.md.jinja" %}{% block covers %}CUSTOM COVERS{% endblock %}', encoding="utf-8"
    )
    pages = render_pages(load_catalog(MINIMAL_CATALOG), [tmp_path]).markdown
    body = pages["modules/group.md"].split("---\n", 2)[2]  # the meta description quotes the covers too
    assert "CUSTOM COVERS" in body
    assert "群组管理。" not in body
    assert "CUSTOM COVERS" not in pages["errors/group-not-found.md"]


def test_hostile_catalog_text_is_inert_in_the_built_site(tmp_path: Path) -> None:
    """HTML, Markdown and Jinja in catalog prose and messages come out as text on every page."""
    catalog = tmp_path / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    errors = catalog / "errors" / "group.yaml"
    text = errors.read_text(encoding="utf-8")
    for literal, hostile in (
        ('message: "grpID XX does not exist!"', "message: '<script>alert(1)</script> | {{ 7*7 }}'"),
        ("zh: 群组 ID 不存在。", "zh: '<img src=x onerror=alert(2)> [x](javascript:alert(3))'"),
    ):
        assert literal in text, f"tests/fixtures/minimal no longer has {literal!r}: the payload would go nowhere"
        text = text.replace(literal, hostile)
    errors.write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - search\n  - error-catalog:\n      catalog: {catalog.as_posix()}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and '<img src="x"' not in html, page
        assert 'href="javascript:' not in html, page
    entry = (tmp_path / "site" / "errors" / "group-not-found" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in unescape(entry)  # shown, never evaluated by Jinja
    assert "<script>alert(1)</script>" in unescape(entry) and "<img src=x onerror=alert(2)>" in unescape(entry)
    search = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert" not in search


def test_compact_html_drops_indentation_but_keeps_verbatim_elements() -> None:
    page = (
        "<div>\n    <p>一</p>\n\n      <p>二</p>\n</div>\n"
        '<pre><code>{\n  "error": "x"\n}</code></pre>\n'
        "  <textarea>\n  keep\n</textarea>\n  <script>\n  var a = `\n  b`;\n</script>\n"
    )
    assert compact_html(page) == (
        "<div>\n<p>一</p>\n<p>二</p>\n</div>\n"
        '<pre><code>{\n  "error": "x"\n}</code></pre>\n'
        "<textarea>\n  keep\n</textarea>\n<script>\n  var a = `\n  b`;\n</script>\n"
    )


def test_compact_html_writes_the_theme_config_as_utf8_and_keeps_it_inert() -> None:
    config = {"translations": {"search.result.none": "没有找到符合条件的结果"}, "note": "</script><b>'&\\u4e2d"}
    escaped = json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    other = '<script>var a = "\\u4e2d"</script>'
    page = f'<p>x</p>\n<script id="__config" type="application/json">{escaped}</script>\n{other}'
    compacted = compact_html(page)
    body = re.search(r'<script id="__config" type="application/json">(.*?)</script>', compacted, re.S).group(1)
    assert json.loads(body) == config  # the same data
    assert "没有找到符合条件的结果" in body and len(body) < len(escaped)
    assert "<" not in body and ">" not in body and "&" not in body and "'" not in body  # cannot end the element
    assert compacted.endswith(other)  # other scripts are left as they were
    broken = '<script id="__config" type="application/json">{"a": "\\u4e2d",</script>'
    assert compact_html(broken) == broken  # not JSON: untouched


@pytest.mark.parametrize(
    ("name", "source", "line", "message"),
    [
        (
            "module_page.md.jinja",
            '{% extends "_base/module_page.md.jinja" %}\n{% block covers %}\n{{ module.key | }}\n{% endblock %}\n',
            3,
            "template syntax error: expected token 'name', got 'end of print statement'",
        ),
        (
            "module_page.md.jinja",
            '{% extends "_base/module_page.md.jinja" %}\n{% block covers %}\n\n{{ no_such_variable }}\n{% endblock %}',
            4,
            "template error: 'no_such_variable' is undefined",
        ),
        (
            "entry_page.md.jinja",
            '{% extends "_base/entry_page.md.jinja" %}\n{% block title %}{{ entry.slug + 1 }}{% endblock %}',
            2,
            'template error: TypeError: can only concatenate str (not "int") to str',
        ),
        (
            "module_apis_table.html.jinja",
            "<table>\n{% for api in apis %}{{ api.missing_attribute }}{% endfor %}</table>",
            2,
            "template error: 'generator.model.Api object' has no attribute 'missing_attribute'",
        ),
    ],
)
def test_a_broken_template_is_reported_at_its_line(
    tmp_path: Path, name: str, source: str, line: int, message: str
) -> None:
    catalog = load_catalog(MINIMAL_CATALOG)
    if name == "module_apis_table.html.jinja":  # a fragment only module pages with APIs render
        catalog = load_catalog(ROOT / "catalog")
    (tmp_path / name).write_text(source, encoding="utf-8")
    with pytest.raises(TemplateProblem) as raised:
        render_pages(catalog, [tmp_path])
    problem = raised.value
    assert (Path(problem.path), problem.line, problem.message) == (tmp_path / name, line, message)
    assert str(problem) == f"{tmp_path / name}:{line}:1: {message}"


def test_render_cli_reports_a_broken_override_without_a_traceback(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "home_page.md.jinja").write_text("# {{ catalog.site.title.zh\n", encoding="utf-8")
    command = ["render", "--catalog", str(MINIMAL_CATALOG), "--templates", "templates", "-o", "out"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("templates/home_page.md.jinja:1:1: template syntax error: ")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_broken_override_stops_mkdocs_build_and_leaves_the_site(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "status_page.md.jinja").write_text(
        '{% extends "_base/status_page.md.jinja" %}\n{% block title %}\n# {{ status.code | no_such_filter }}\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    site.mkdir()
    mark_output_folder(site)  # the last good build, as a build leaves it
    (site / "index.html").write_text("last good build", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - search\n  - error-catalog:\n      catalog: {MINIMAL_CATALOG.as_posix()}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(config, site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        "templates/status_page.md.jinja:3:1: template syntax error: No filter named 'no_such_filter'." in result.stderr
    )
    assert sorted(p.name for p in site.iterdir()) == [".error-catalog-output", "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "last good build"


def test_the_404_article_links_from_the_site_root_under_a_sub_path() -> None:
    from generator.relations import CatalogRelations
    from generator.render import render_not_found_page
    from generator.views import SiteViews

    catalog = load_catalog(MINIMAL_CATALOG)
    views = SiteViews(catalog, CatalogRelations.build(catalog), "en")
    article = render_not_found_page(views, "/pr-preview/pr-7/en/")
    urls = re.findall(r'(?:href|src|action|data-catalog)="([^"]+)"', article)
    assert urls and all(url.startswith("/pr-preview/pr-7/en/") for url in urls), urls
    data = json.loads(unescape(re.search(r"data-ec-script-data='([^']*)'", article).group(1)))
    assert data["lang"] == "en" and data["urls"]["entry"] == "/pr-preview/pr-7/en/errors/{slug}/"
    assert "Page not found" in article and "找" not in article
