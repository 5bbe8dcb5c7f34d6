"""The site on a phone and while it loads, in Chromium, both editions (issue #16): at 390 px no
page is wider than the screen and no table sticks out of it, controls and links in tables are at
least 44 px tall, code in tables is at least 12.8 px; on every page type, at 390 and at 1280 px,
the layout shift (CLS, from a PerformanceObserver) stays below 0.1, the all-errors rows and the
lookup's results arriving included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser import served_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDITIONS = ["", "en/"]
PHONE, LAPTOP = 390, 1280
TOKEN_QUERY = quote(
    '{"error":"auth_bad_access_token","error_description":"Unable to authenticate due to corrupt access token"}'
)
# One page of each type; the big ones (all errors, a module, statuses, an entry) first.
PAGE_TYPES = [
    "errors/",
    "modules/chatroom/",
    "statuses/",
    "errors/allowlist-add-batch-over-limit/",
    "",
    "lookup/?q=" + TOKEN_QUERY,
    "statuses/401/",
    "modules/",
    "types/",
    "categories/",
    "remedies/",
]
MIN_TAP_PX = 44
MIN_CODE_PX = 12.8
MAX_CLS = 0.1

# Sums every layout shift not caused by the reader's own input, from the first paint on.
CLS_OBSERVER = """
window.__ecCls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__ecCls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

MEASURE_LAYOUT = """([minTap, minCode]) => {
  const width = document.documentElement.clientWidth;
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const describe = el => el.outerHTML.slice(0, 120);
  const tables = [...document.querySelectorAll(".md-content table")].filter(visible);
  const targets = [...document.querySelectorAll(
    ".md-content [data-ec-sort], .ec-filters select, .ec-filters input, .ec-filters button, " +
    ".md-content [data-ec-more], .md-content td a")].filter(visible);
  return {
    pageWidth: document.documentElement.scrollWidth,
    wideTables: tables.filter(t => t.getBoundingClientRect().right > width + 0.5).map(describe),
    smallTargets: targets.filter(t => t.getBoundingClientRect().height < minTap).map(describe),
    smallCode: [...document.querySelectorAll(".md-content td code")].filter(visible)
      .filter(c => parseFloat(getComputedStyle(c).fontSize) < minCode).map(describe),
    tableCount: tables.length,
  };
}"""


@pytest.fixture(scope="module")
def browser_and_site(built_site: Path) -> Iterator[tuple[object, str]]:
    with served_browser(built_site, not_found_pages=True) as session:
        yield session


def open_settled(browser_and_site, path: str, width: int):
    """A fresh tab at ``width`` with the CLS observer, on ``path`` once its rows or results are in."""
    browser, base_url = browser_and_site
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)
    page.goto(base_url.rstrip("/") + "/" + path, wait_until="networkidle")
    if path.endswith("errors/"):
        page.wait_for_function("document.querySelector('[data-ec-table]').dataset.ecReady === '2'")
    if path.startswith("lookup/"):
        page.wait_for_function("document.querySelector('[data-ec-lookup]').dataset.ecReady === '2'")
        assert page.locator("[data-ec-lookup-results] > li").count() > 0  # the results did arrive
    page.wait_for_timeout(300)  # a late shift (a web font, a script's last paint) is counted too
    return context, page


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_phone_layout_fits_the_screen(browser_and_site, edition: str, path: str) -> None:
    context, page = open_settled(browser_and_site, edition + path, PHONE)
    try:
        layout = page.evaluate(MEASURE_LAYOUT, [MIN_TAP_PX, MIN_CODE_PX])
    finally:
        context.close()
    assert layout["pageWidth"] <= PHONE, layout
    assert layout["wideTables"] == [], layout["wideTables"]
    assert layout["smallTargets"] == [], layout["smallTargets"]
    assert layout["smallCode"] == [], layout["smallCode"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_big_tables_are_labelled_cards_on_a_phone(browser_and_site, edition: str) -> None:
    """Each cell of the all-errors table (drawn by errors-table.js) leads with its column's name."""
    context, page = open_settled(browser_and_site, edition + "errors/", PHONE)
    try:
        headers = page.locator("[data-ec-table] thead th").all_inner_texts()
        first_row = page.locator("[data-ec-table] tbody tr").first
        labels = first_row.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)"
        )
        row_display = first_row.evaluate("row => getComputedStyle(row).display")
    finally:
        context.close()
    assert row_display == "block"
    assert labels == [f'"{header.strip().rstrip("▲▼ ").strip()}"' for header in headers]


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_layout_shift(browser_and_site, edition: str, path: str, width: int) -> None:
    context, page = open_settled(browser_and_site, edition + path, width)
    try:
        cls = page.evaluate("window.__ecCls")
    finally:
        context.close()
    assert cls < MAX_CLS, f"{edition}{path} at {width} px: CLS {cls:.3f}"


def test_module_api_table_fits_a_laptop_screen(browser_and_site) -> None:
    """A module's API table used to be clipped at 1280 px: its paths now wrap at "/"."""
    context, page = open_settled(browser_and_site, "modules/chatroom/", LAPTOP)
    try:
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('.md-content .md-typeset__scrollwrap')]
                 .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length"""
        )
    finally:
        context.close()
    assert overflow == 0
