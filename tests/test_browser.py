"""The site as a reader meets it: Material search in a real Chromium finds entries by type and by Chinese text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path, serve_directory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(built_site: Path) -> Iterator[tuple[object, str]]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with serve_directory(built_site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, base_url
        browser.close()
        assert errors == []


def _search(page, base_url: str, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the result links, best first."""
    page.goto(base_url)
    page.keyboard.press("/")  # Material's keyboard shortcut: focus search
    page.locator("input.md-search__input").fill(query)
    first = page.locator(".md-search-result__list > li a").first
    first.wait_for(timeout=15_000)
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
    return [urlsplit(href).path for href in hrefs]  # drop Material's ?h= highlight query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("auth_bad_access_token", "errors/token-corrupt/"),
        ("no_full_text_index", "errors/no-full-text-index/"),
        ("message_rewrite_error", "errors/message-rewrite-not-enabled/"),
    ],
)
def test_search_by_error_type_finds_its_entry_first(page, query: str, expected: str) -> None:
    browser_page, base_url = page
    results = _search(browser_page, base_url, query)
    assert results, f"no search results for {query!r}"
    assert results[0].endswith(expected), results[:3]


def test_search_in_chinese_finds_the_module(page) -> None:
    browser_page, base_url = page
    results = _search(browser_page, base_url, "在线状态订阅")
    assert any(href.endswith("modules/presence/") for href in results[:3]), results[:5]


def test_keyboard_navigation_reaches_an_entry_page(page) -> None:
    """From the all-errors table a keyboard user follows a link to the entry page."""
    browser_page, base_url = page
    browser_page.goto(base_url + "errors/")
    link = browser_page.locator('a[href$="token-corrupt/"]').first
    link.focus()
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url("**/errors/token-corrupt/")
    assert "Unable to authenticate due to corrupt access token" in browser_page.locator("h1").inner_text()
