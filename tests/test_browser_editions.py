"""The English edition in Chromium: the language switch keeps the page, English search and lookup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.browser import (
    allow_instant_navigation,
    follow,
    is_same_document,
    material_search,
    open_for_instant_navigation,
    served_browser,
)
from tests.conftest import SITE_URL

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def page(built_site: Path) -> Iterator[tuple[object, str]]:
    with served_browser(built_site) as (browser, base_url):
        browser_page = browser.new_page()
        allow_instant_navigation(browser_page, base_url, SITE_URL)
        errors: list[str] = []
        failed: list[str] = []
        browser_page.on("pageerror", lambda error: errors.append(str(error)))
        # A request the page cancels by moving on (the search index of a page left early) is no failure.
        browser_page.on(
            "requestfailed", lambda r: failed.append(r.url) if "ERR_ABORTED" not in (r.failure or "") else None
        )
        browser_page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        yield browser_page, base_url
        assert errors == [] and failed == []


def _switch_to(browser_page, lang: str) -> None:
    link = browser_page.locator(f'a.md-select__link[hreflang="{lang}"]')
    link.evaluate("a => a.click()")  # the switch is a hover menu; the reader's click lands on the link


def test_the_switch_keeps_the_page_also_after_instant_navigation(page) -> None:
    browser_page, base_url = page
    open_for_instant_navigation(browser_page, base_url + "errors/token-corrupt/")
    # Instant navigation: follow a link inside the site without a full page load.
    follow(browser_page, browser_page.locator("article a[href$='statuses/401/']").first.click, "**/statuses/401/")
    assert is_same_document(browser_page), "the click loaded the page instead of navigating instantly"
    _switch_to(browser_page, "en")
    browser_page.wait_for_url(base_url + "en/statuses/401/")
    assert browser_page.locator("html").get_attribute("lang") == "en"
    assert not CJK.search(browser_page.locator("article h1").inner_text())
    # Instant navigation in English.
    follow(browser_page, browser_page.locator("article a[href$='statuses/']").last.click, base_url + "en/statuses/")
    _switch_to(browser_page, "zh")
    browser_page.wait_for_url(base_url + "statuses/")
    assert browser_page.locator("html").get_attribute("lang") == "zh"


def test_the_english_lookup_answers_in_english(page) -> None:
    browser_page, base_url = page
    body = '{"error":"resource_not_found","error_description":"grpID 98765 does not exist!"}'
    browser_page.goto(base_url + "en/lookup/?q=" + quote(body))
    first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
    first.wait_for(timeout=15_000)
    assert first.get_attribute("data-entry-slug") == "grpid-does-not-exist"
    text = first.inner_text()
    assert "Possible causes" in text and "Remedy" in text and "grpID XX does not exist!" in text
    assert not CJK.search(text), text
    assert not CJK.search(browser_page.locator("[data-ec-lookup-status]").inner_text())
    first.locator("a.ec-result__more").click()
    browser_page.wait_for_url("**/en/errors/grpid-does-not-exist/")


def test_the_english_table_filters_in_english(page) -> None:
    browser_page, base_url = page
    browser_page.goto(base_url + "en/errors/?status=403")
    browser_page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
    assert browser_page.locator("[data-ec-count]").inner_text().startswith("Showing ")
    rows = browser_page.locator("[data-ec-table] tbody tr").evaluate_all("rows => rows.map(r => r.textContent)")
    assert rows and not any(CJK.search(row) for row in rows)
    assert all(
        urlsplit(h).path.startswith("/en/")
        for h in browser_page.locator("[data-ec-table] tbody a").evaluate_all("as => as.map(a => a.href)")
    )


# English search, first result: error types and messages (the same literals as the Chinese
# edition), phrases of English causes and remedies, module names, status codes.
ENGLISH_FIRST_RESULTS = [
    ("auth_bad_access_token", "errors/token-corrupt/"),
    ("no_full_text_index", "errors/no-full-text-index/"),
    ("web_application", "errors/web-application-exception/"),
    ("organization_application_not_found", "errors/could-not-find-application-from-uri/"),
    ("message_rewrite_error", "errors/message-rewrite-not-enabled/"),
    ("Unable to authenticate due to corrupt access token", "errors/token-corrupt/"),
    ("thread not open.", "errors/thread-not-open/"),
    ("Service resource not found", "errors/user-not-found/"),
    ("The rewrite message feature is not open.", "errors/message-rewrite-not-enabled/"),
    ("full-text index", "errors/no-full-text-index/"),
    ("quotation marks", "errors/token-corrupt/"),
    ("fuzzy matching", "errors/no-full-text-index/"),
    ("consecutive chunks", "errors/code-14033-stream-message-chunk-interval-timeout/"),
    ("activate message editing", "errors/message-rewrite-not-enabled/"),
    ("User account management", "modules/account/"),
    ("User attributes", "modules/user_attributes/"),
    ("User relationships", "modules/contacts/"),
    ("Chat rooms", "modules/chatroom/"),
    ("Presence subscriptions", "modules/presence/"),
    ("Offline push", "modules/push/"),
    ("Content moderation", "modules/moderation/"),
    ("403", "statuses/403/"),
    ("429", "statuses/429/"),
    ("token expired", "errors/token-expired/"),
    ("recall message time", "errors/exceed-recall-time-limit/"),
]


@pytest.mark.parametrize(("query", "expected"), ENGLISH_FIRST_RESULTS, ids=[q for q, _ in ENGLISH_FIRST_RESULTS])
def test_english_search_puts_the_right_page_first(page, query: str, expected: str) -> None:
    browser_page, base_url = page
    results = material_search(browser_page, base_url + "en/", query)
    assert results and results[0] == "/en/" + expected, (query, results[:5])
