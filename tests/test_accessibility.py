"""Accessibility in Chromium, as keyboard and screen-reader users meet the site.

axe-core (vendored, tests/vendor/axe-core) on every page type of the real site, both editions, at
1280 and 390 px, light and dark: no violation of impact serious or critical. And what axe cannot
see: the closed navigation drawer is out of the Tab order, a table that scrolls sideways is a named
Tab stop, the all-errors table's sort buttons say that they sort and its headers how it is sorted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.ui import ui_text
from tests.browser import EDITIONS, PAGE_TYPES, fresh_page, material_search, served_browser
from tests.conftest import build_small_site
from tests.servers import serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[tuple[object, str]]:
    """One Chromium, and the built site served as a host serves it: missing paths get a 404 page."""
    with served_browser(built_site, not_found_pages=True) as session:
        yield session


# The dark scheme changes the theme's colours only (Material's slate scheme is a set of colour
# variables): in it, axe runs the rules about colour; every rule runs in the light scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def _severe_violations(page, rules: list[str] | None = None) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "rule", "values": rules}} if rules else {})}
    violations = page.evaluate("async options => (await axe.run(document, options)).violations", options)
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in violations
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]


def _open_settled(page, url: str) -> None:
    """Open ``url`` and wait for what the page's scripts draw: the all-errors rows, the lookup's
    results (axe checks the page a reader sees, not the one before its scripts ran)."""
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("[data-ec-table]").count():
        page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
    if page.locator("[data-ec-lookup]").count() and "?q=" in url:
        page.locator("[data-ec-lookup-results] [data-entry-slug]").first.wait_for(timeout=15_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_no_serious_or_critical_axe_violation_on_any_page_type(site, edition: str, width: int, scheme: str) -> None:
    browser, base_url = site
    found = []
    with fresh_page(browser, width, scheme) as page:
        for path in PAGE_TYPES:
            _open_settled(page, base_url + edition + path)
            rules = COLOUR_RULES if scheme == "dark" else None
            found += [f"/{edition}{path}: {v}" for v in _severe_violations(page, rules)]
    assert found == [], "\n".join(found)


TOKEN_BODY = (
    '{"error":"auth_bad_access_token","error_description":"Unable to authenticate due to corrupt access token"}'
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_what_a_paste_shows_has_no_serious_violation(site, edition: str, scheme: str) -> None:
    """The home page's box with its answers, and the search dialog open with its offer of the
    lookup: states the page-type pass does not reach."""
    browser, base_url = site
    found = []
    for width in (1280, 390):
        with fresh_page(browser, width, scheme) as page:
            page.goto(base_url + edition)
            page.locator("form[data-ec-lookup][data-ec-ready='2']").wait_for(timeout=15_000)
            page.locator("form[data-ec-lookup] textarea").fill(TOKEN_BODY)
            page.locator("[data-ec-lookup-results] [data-entry-slug]").first.wait_for(timeout=5_000)
            found += [f"{width}px home with answers: {v}" for v in _severe_violations(page)]
            material_search(page, base_url + edition, "auth_bad_access_token")
            box = page.locator("input.md-search__input")
            box.fill(TOKEN_BODY)
            box.press("End")
            page.locator(".md-search .ec-search-offer:not([hidden])").wait_for(timeout=5_000)
            # On a phone the dialog slides and fades in: axe must see its colours, not a blend.
            page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
            found += [f"{width}px search dialog with the offer: {v}" for v in _severe_violations(page)]
    assert found == [], "\n".join(found)


# Keyboard ------------------------------------------------------------------------------------


def _tab_stops(page, count: int) -> list[dict]:
    """Press Tab ``count`` times from the top of the page: where the focus went each time."""
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => {
                    const element = document.activeElement;
                    return {
                        text: element.textContent.trim().slice(0, 40),
                        in_drawer: element.closest(".md-sidebar--primary") !== null,
                    };
                }"""
            )
        )
    return stops


def _tab_to(page, selector: str, limit: int) -> bool:
    """Press Tab until the focus is on an element matching ``selector``; whether it got there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return True
    return False


@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_the_closed_navigation_drawer_is_out_of_the_tab_order_on_a_phone(site, edition: str) -> None:
    browser, base_url = site
    with fresh_page(browser, 390) as page:
        page.goto(base_url + edition + "statuses/")
        # Past the header and well into the page: no stop may be a link of the drawer nobody sees.
        assert [stop for stop in _tab_stops(page, 40) if stop["in_drawer"]] == []
        page.locator("label.md-header__button[for=__drawer]").click()  # the menu button opens it
        drawer_link = page.locator(".md-sidebar--primary a.md-nav__link[href]").nth(1)
        drawer_link.focus()
        assert drawer_link.evaluate("link => link === document.activeElement")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")


def test_the_sidebar_stays_reachable_on_a_wide_screen(site) -> None:
    browser, base_url = site
    with fresh_page(browser, 1280) as page:
        page.goto(base_url + "statuses/")
        assert [stop for stop in _tab_stops(page, 20) if stop["in_drawer"]] != []


# A hand-written page with a table too wide for a phone, whatever its cells wrap.
WIDE_TABLE_PAGE = (
    "# Wide table\n\n"
    + "| "
    + " | ".join(f"column {n}" for n in range(24))
    + " |\n| "
    + " | ".join("---" for _ in range(24))
    + " |\n| "
    + " | ".join(f"value {n}" for n in range(24))
    + " |\n"
)


@pytest.fixture(scope="module")
def wide_table_site(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    """The small site (one edition, Chinese) with WIDE_TABLE_PAGE, served beside the real one (one
    Playwright per process)."""
    browser, _ = site
    build = build_small_site(tmp_path_factory.mktemp("wide-table-site"), {"wide-table.md": WIDE_TABLE_PAGE})
    with serve_directory(build.site_dir) as base_url:
        yield browser, base_url


def test_a_table_that_scrolls_sideways_is_a_named_tab_stop_on_a_phone(wide_table_site) -> None:
    browser, base_url = wide_table_site
    with fresh_page(browser, 390) as page:
        page.goto(base_url + "wide-table/")
        wrapper = page.locator(".md-typeset__scrollwrap")
        assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth")  # the premise: it scrolls
        assert _tab_to(page, ".md-typeset__scrollwrap", limit=40)
        region = page.get_by_role("region", name=ui_text("zh")("chrome.scroll_region"))
        assert region.evaluate("r => r === document.activeElement")
        page.keyboard.press("ArrowRight")  # the keyboard scrolls what it focuses
        page.wait_for_function("document.activeElement.scrollLeft > 0")
        # A table that fits is no Tab stop: the statuses page's tables fit a phone.
        page.goto(base_url + "statuses/")
        assert page.locator(".md-typeset__scrollwrap").count() > 0
        assert page.locator(".md-typeset__scrollwrap[tabindex]").count() == 0


# The all-errors table's sorting ---------------------------------------------------------------


def _header_of(button):
    return button.locator("xpath=ancestor::th[1]")


@pytest.mark.parametrize(("edition", "lang"), [("", "zh"), ("en/", "en")], ids=["zh", "en"])
def test_sort_buttons_say_that_they_sort_and_headers_say_how(site, edition: str, lang: str) -> None:
    browser, base_url = site
    ui = ui_text(lang)
    page = browser.new_page()
    try:
        page.goto(base_url + edition + "errors/")
        page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
        by_status = page.get_by_role("button", name=ui("all_errors.sort_by", column=ui("column.status")), exact=True)
        by_type = page.get_by_role("button", name=ui("all_errors.sort_by", column=ui("column.error_short")), exact=True)
        assert _header_of(by_status).get_attribute("aria-sort") == "ascending"
        assert _header_of(by_type).get_attribute("aria-sort") == "none"
        by_type.click()
        assert _header_of(by_type).get_attribute("aria-sort") == "ascending"
        assert _header_of(by_status).get_attribute("aria-sort") == "none"
        by_type.click()
        assert _header_of(by_type).get_attribute("aria-sort") == "descending"
    finally:
        page.close()


def test_literal_api_text_the_scripts_draw_on_chinese_pages_is_marked_english(site) -> None:
    """The all-errors rows and the lookup's results are drawn by scripts; their error types and
    messages are marked English like the pages' own (generator/escape.py md_code)."""
    browser, base_url = site
    page = browser.new_page()
    try:
        page.goto(base_url + "errors/")
        page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
        literal_cells = "[data-ec-table] tbody td:is(:nth-child(2), :nth-child(3)) code"  # type, message
        table_codes = page.locator(literal_cells).evaluate_all("codes => codes.map(c => c.lang)")
        page.goto(base_url + "lookup/?q=auth_bad_access_token")
        page.locator("[data-ec-lookup-results] [data-entry-slug]").first.wait_for(timeout=15_000)
        result_codes = page.locator(".ec-result__head code").evaluate_all("codes => codes.map(c => c.lang)")
    finally:
        page.close()
    assert table_codes and set(table_codes) == {"en"}
    assert result_codes and set(result_codes) == {"en"}
