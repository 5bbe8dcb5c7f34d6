"""Driving Debian's Chromium through Playwright (the site is served by tests.servers)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The real site's editions (folders), and one page of each type in either: what the accessibility
# checks open (tests/test_accessibility.py, benchmarks/lighthouse_a11y.py).
EDITIONS = ["", "en/"]
PAGE_TYPES = [
    "",
    "lookup/?q=auth_bad_access_token",
    "errors/",
    "statuses/",
    "statuses/401/",
    "modules/",
    "modules/group/",
    "categories/",
    "remedies/",
    "types/",
    "errors/token-corrupt/",
    "maintaining/",
    "no/such/page/",
]


def chromium_path() -> str:
    """Debian's chromium; missing it skips browser tests locally but fails them in CI."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    message = "Debian chromium not found (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def served_browser(site_dir: Path, *, not_found_pages: bool = False) -> Iterator[tuple[object, str]]:
    """One Chromium, and ``site_dir`` served on loopback (missing paths answered with the nearest
    404.html when ``not_found_pages``, as a static host does): ``(browser, base_url)``."""
    from playwright.sync_api import sync_playwright

    from tests.servers import serve_directory

    executable = chromium_path()
    with serve_directory(site_dir, not_found_pages=not_found_pages) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser, base_url
        finally:
            browser.close()


@contextmanager
def fresh_page(browser, width: int = 1280, color_scheme: str = "light") -> Iterator[object]:
    """A tab in a context of its own (own storage), ``width`` by 900 px in ``color_scheme``;
    closed with its context afterwards."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
    try:
        yield context.new_page()
    finally:
        context.close()


def material_search(page, url: str, query: str) -> list[str]:
    """Open ``url``, wait until Material's search worker has its index, type ``query``; return
    the result paths, best first."""
    page.goto(url)
    page.wait_for_function(
        """() => {
            const meta = document.querySelector(".md-search-result__meta");
            const config = JSON.parse(document.getElementById("__config").textContent);
            return meta && meta.textContent.trim() === config.translations["search.result.placeholder"];
        }""",
        timeout=90_000,  # the worker indexes the whole edition first; slow on a busy machine
    )
    page.keyboard.press("/")  # Material's keyboard shortcut: focus search
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on key events; fill alone types no key
    page.locator(".md-search-result__list > li a").first.wait_for(timeout=30_000)
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
    return [urlsplit(href).path for href in hrefs]  # drop Material's ?h= highlight query


def allow_instant_navigation(page, base_url: str, site_url: str) -> None:
    """Let Material's instant navigation work on a site built for ``site_url`` and served at
    ``base_url``, as it does on the published site.

    Material follows a link without a page load only when the sitemap lists it: it gives the
    sitemap's URLs the page's protocol and host name, but keeps their port, so on a loopback
    port no link matched and every "instant" click was a full page load. The sitemap is served
    here as the published site serves its own: naming the origin the pages are read at.
    """

    def sitemap_for_this_origin(route) -> None:
        from playwright.sync_api import Error

        try:
            response = route.fetch()
            route.fulfill(response=response, body=response.text().replace(site_url, base_url))
        except Error:  # the page went on or closed before the sitemap arrived: nobody needs it
            pass

    page.route("**/sitemap.xml", sitemap_for_this_origin)


def open_for_instant_navigation(page, url: str) -> None:
    """Open ``url`` and wait until Material has the sitemap: a click before that is a full page
    load. Marks the document, so that ``is_same_document`` tells whether a click loaded a page."""
    with page.expect_request_finished(lambda request: request.url.endswith("/sitemap.xml")):
        page.goto(url)
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 100))")  # parsed, in Material's hands
    page.evaluate("window.__ecTestDocument = true")


def is_same_document(page) -> bool:
    """Whether the page is still the document ``open_for_instant_navigation`` opened."""
    return page.evaluate("window.__ecTestDocument === true")


def follow(page, act: Callable[[], None], url_glob: str) -> None:
    """Follow a link by ``act()`` (a click, a key) and wait until the new page is in place: with
    instant navigation the address changes first and Material's container is replaced after."""
    page.evaluate("window.__ecOldContainer = document.querySelector('[data-md-component=container]')")
    act()
    page.wait_for_url(url_glob)
    page.wait_for_function("document.querySelector('[data-md-component=container]') !== window.__ecOldContainer")
