"""Catalog text is untrusted: HTML, Markdown, Jinja and script links in it render inert everywhere."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.conftest import MINIMAL_CATALOG, mkdocs_build
from tests.linkcheck import check_site_links
from tests.machine_text import render_markdown
from tests.servers import serve_directory

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '<iframe src="javascript:window.__pwned=3"></iframe>',
    "[click](javascript:window.__pwned=4)",
    "![x](data:text/html,<script>window.__pwned=5</script>)",
    '<a href="javascript:window.__pwned=6">a</a> <svg onload="window.__pwned=7">',
    "{{ 7*7 }} {% raw %} {# comment #}",
    "| cell | break |\n# heading\n- list",
    "`code` **bold** _em_ {: onclick=window.__pwned=8 }",
    # Overrides (U+202E) are refused by `check`; a right-to-left mark is only a warning, so it is built.
    "\u200f right-to-left mark &amp; &lt;b&gt;",
]


def _hostile(text: str, index: int) -> str:
    return f"{text} {PAYLOADS[index % len(PAYLOADS)]}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal catalog with a payload in every free-text field, built with mkdocs."""
    root = tmp_path_factory.mktemp("hostile")
    catalog = root / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    counter = iter(range(1000))

    def poison(value, key=""):
        if isinstance(value, dict):
            return {k: poison(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(v, key) for v in value]
        if isinstance(value, str) and key == "zh":
            return _hostile(value, next(counter))
        if isinstance(value, str) and key in ("reason", "name", "type"):  # one-line fields
            return _one_line(_hostile(value, next(counter)))
        return value

    for path in catalog.rglob("*.yaml"):
        data = poison(yaml.safe_load(path.read_text(encoding="utf-8")))
        if path.name == "group.yaml":
            for entry in data["entries"]:
                entry["error"] = _one_line(_hostile(entry["error"], next(counter)))
                entry["message"] = _one_line(_hostile(entry["message"], next(counter)))
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (catalog / "apis").mkdir()
    (catalog / "apis" / "group.yaml").write_text(
        yaml.safe_dump(
            {
                "module": "group",
                "apis": [
                    {
                        "id": "group-create",
                        "title": {"zh": _hostile("创建群组", 1)},
                        "method": "POST",
                        "path": _one_line(_hostile("/{org_name}/{app_name}/chatgroups", 5)),
                        "vendor_page": "https://doc.easemob.com/document/server-side/group_manage.html",
                        "errors": ["group-not-found", "group-bad-argument"],
                    },
                    {
                        "id": "group-limit",
                        "title": {"zh": _hostile("群组限流", 3)},
                        "method": "POST",
                        "path": "/{org_name}/{app_name}/chatgroups/{group_id}/limit",
                        "vendor_page": "https://doc.easemob.com/document/server-side/group_manage.html",
                        "errors": ["group-rate-limited"],
                    },
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    _add_hostile_rate_limits(catalog)
    (root / "docs").mkdir()
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: t\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\n",
        encoding="utf-8",
    )
    assets = root / "docs" / "assets"  # the pages that use them load these (front matter `scripts:`)
    assets.mkdir()
    for name in ("lookup.js", "errors-table.js"):
        shutil.copy(Path(__file__).parent.parent / "docs" / "assets" / name, assets / name)
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def _add_hostile_rate_limits(catalog: Path) -> None:
    """A 429 status and entry, and rate limits whose every text (the vendor's cells too) is a payload.

    Payloads 4 and 5 hold `javascript:` and `data:text` as text, which the marker check below
    cannot tell from markup; the other payloads take their turns."""
    counter = itertools.cycle([0, 1, 2, 3, 6, 7, 8, 9])
    statuses = yaml.safe_load((catalog / "statuses.yaml").read_text(encoding="utf-8"))
    statuses["statuses"].append(
        {
            "code": 429,
            "reason": "Too Many Requests",
            "label": {"zh": _hostile("请求过于频繁", next(counter))},
            "summary": {"zh": _hostile("超出上限。", next(counter))},
            "retry": "with_backoff",
            "retry_note": {"zh": _hostile("稍后重试。", next(counter))},
        }
    )
    (catalog / "statuses.yaml").write_text(yaml.safe_dump(statuses, allow_unicode=True), encoding="utf-8")
    errors = yaml.safe_load((catalog / "errors" / "group.yaml").read_text(encoding="utf-8"))
    errors["entries"].append(
        {
            "slug": "group-rate-limited",
            "status": 429,
            "error": "reach_limit",
            "message": _one_line(_hostile("This request has reached api limit.", next(counter))),
            "category": "request",
            "cause": {"zh": _hostile("调用超出上限。", next(counter))},
            "remedy": {"zh": _hostile("降低调用频率。", next(counter))},
        }
    )
    (catalog / "errors" / "group.yaml").write_text(yaml.safe_dump(errors, allow_unicode=True), encoding="utf-8")
    (catalog / "published_slugs.txt").write_text(
        (catalog / "published_slugs.txt").read_text(encoding="utf-8") + "group-rate-limited\n", encoding="utf-8"
    )

    def text() -> dict[str, str]:
        return {"zh": _one_line(_hostile("100 次/秒/App Key", next(counter)))}

    limits = {
        "default": {"calls_per_second": 100, "text": text()},
        "counting": {"zh": _hostile("按 App Key 计数。", next(counter))},
        "period": {"zh": _hostile("按天计。", next(counter))},
        "vendor_page": {"title": text(), "url": "https://doc.easemob.com/document/server-side/limitationapi.html"},
        "related_entries": ["group-bad-argument"],
        "apis": [
            {
                "api": "group-limit",
                "calls_per_second": 20,
                "text": text(),
                "counts": "messages",
                "rest_only": True,
                "addon": text(),
                "note": {"zh": _hostile("说明。", next(counter))},
            },
        ],
    }
    (catalog / "rate_limits.yaml").write_text(
        yaml.safe_dump({"rate_limits": limits}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def test_no_payload_reaches_the_html_as_markup(hostile_site: Path) -> None:
    assert check_site_links(hostile_site) == []
    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for marker in (
            "<script>window.__pwned",
            "<img src=x",
            "<iframe",
            "<svg onload",
            'href="javascript:',
            '="data:text',  # as an attribute's value; meta descriptions quote the prose as text
        ):
            assert marker not in html, (page, marker)
        for description in re.findall(r'<meta name="description" content="([^"]*)">', html):
            assert "<" not in description and ">" not in description, (page, description)


def test_payloads_are_shown_as_text(hostile_site: Path) -> None:
    """Each poisoned error type and message is on its entry page, character for character."""
    from html import unescape

    entries = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))["entries"]
    poisoned = [entry for entry in entries if "__pwned" in entry["message"] or "{{" in entry["message"]]
    assert poisoned, "no message carries a payload"
    for entry in poisoned:
        page = (hostile_site / "errors" / entry["slug"] / "index.html").read_text(encoding="utf-8")
        code_spans = {unescape(span) for span in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S)}  # the facts table
        assert entry["message"] in code_spans and entry["error"] in code_spans, (entry["slug"], code_spans)


def test_search_index_and_catalog_json_carry_text_not_markup(hostile_site: Path) -> None:
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for marker in ("<script>", "<img", "<iframe", "<svg"):
        assert marker not in index
    exported = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))
    messages = [e["message"] for e in exported["entries"]]
    assert any("<script>window.__pwned=2</script>" in m or "<img src=x" in m for m in messages)  # data, verbatim


def test_llms_txt_and_markdown_twins_carry_text_not_markup(hostile_site: Path) -> None:
    """What machines read renders to plain Markdown elements only, each literal byte for byte."""
    entries = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))["entries"]
    twins = {entry["slug"]: hostile_site / "errors" / f"{entry['slug']}.md" for entry in entries}
    for path in [hostile_site / "llms.txt", *twins.values()]:
        rendered = render_markdown(path.read_text(encoding="utf-8"))
        plain = {"h1", "h2", "blockquote", "p", "ul", "li", "a", "code", "pre"}
        assert set(rendered.tags) <= plain, (path, rendered.tags)
        assert rendered.attributes <= {"href"}, (path, rendered.attributes)
        assert all(href.startswith("https://example.org/") for href in rendered.hrefs), (path, rendered.hrefs)
    for entry in entries:
        codes = render_markdown(twins[entry["slug"]].read_text(encoding="utf-8")).codes
        assert entry["error"] in codes and entry["message"] in codes, entry["slug"]


@pytest.mark.slow
def test_every_page_and_the_lookup_stay_inert_in_a_browser(hostile_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("index.html"))
    assert "lookup/index.html" in pages and "errors/group-not-found/index.html" in pages
    with serve_directory(hostile_site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        console_errors: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        for path in pages:
            page.goto(base_url + path.removesuffix("index.html"))
            page.wait_for_load_state("load")
            _assert_inert(page, path)
        page.goto(base_url + "lookup/")
        page.locator("[data-ec-lookup][data-ec-ready='2']").wait_for(timeout=15_000)
        for payload in PAYLOADS:
            page.locator("[data-ec-lookup] textarea").fill(payload)
            page.wait_for_timeout(50)
            _assert_inert(page, f"lookup with {payload!r}")
        page.locator("[data-ec-lookup] textarea").fill("grpID 1 does not exist")
        page.locator("[data-entry-slug]").first.wait_for(timeout=5_000)
        _assert_inert(page, "lookup results")
        page.locator("[data-ec-lookup] textarea").fill('POST /o/a/chatgroups/1/limit 429 {"error":"reach_limit"}')
        page.locator("[data-entry-slug] [data-api-id='group-limit']").first.wait_for(timeout=5_000)
        _assert_inert(page, "lookup results with a named API's limit")
        for parameter in ("keyword", "q"):  # q: links made before the keyword was renamed
            page.goto(base_url + f"errors/?{parameter}=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
            page.wait_for_load_state("load")
            _assert_inert(page, f"all-errors filter ({parameter})")
        browser.close()
    assert dialogs == []
    assert console_errors == []


def _assert_inert(page, where: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", where
    injected = page.evaluate(
        """() => [
            ...document.querySelectorAll('img[src="x"], iframe, svg[onload], [onerror], [onclick]'),
            ...[...document.querySelectorAll('a[href]')]
                .filter(a => /^(javascript|data):/i.test(a.getAttribute('href'))),
            ...[...document.scripts].filter(s => s.textContent.includes('__pwned')),
        ].map(e => e.outerHTML.slice(0, 80))"""
    )
    assert injected == [], (where, injected)
