"""The site's chrome in Chromium, both editions: page scripts after instant navigation, the dark
scheme and its toggle, text contrast in both schemes, the 404 page, printing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser import (
    allow_instant_navigation,
    follow,
    is_same_document,
    material_search,
    served_browser,
)
from tests.browser import open_for_instant_navigation as open_instantly
from tests.conftest import SITE_URL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDITIONS = ["", "en/"]
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
TOKEN_QUERY = (
    '{"error":"auth_bad_access_token","error_description":"Unable to authenticate due to corrupt access token"}'
)
# A4 at 96 dpi, less Chromium's default print margins: the width a printed page lays out in.
PRINT_WIDTH = 718


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[tuple[object, str]]:
    """One Chromium, and the built site served as a host serves it: missing paths get a 404 page."""
    with served_browser(built_site, not_found_pages=True) as session:
        yield session


@pytest.fixture
def open_page(site):
    """``open_page(color_scheme=..., width=..., javascript=...)``: a fresh tab (own storage), whose
    script errors and failed requests fail the test; missing pages may answer 404."""
    browser, base_url = site
    contexts, errors, failed = [], [], []

    def make(color_scheme: str = "light", width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=color_scheme, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        allow_instant_navigation(page, base_url, SITE_URL)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "response",
            lambda r: failed.append(r.url) if r.status >= 400 and r.request.resource_type != "document" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [] and failed == []


def _ready(page, selector: str) -> None:
    page.locator(f"{selector}[data-ec-ready='2']").wait_for(timeout=15_000)


def _nav(page, target: str) -> None:
    follow(page, page.locator(f"nav.md-nav--primary a[href$='{target}']").first.click, f"**/{target}")


def _lookup_answers(page) -> str:
    page.locator("[data-ec-lookup] textarea").fill(TOKEN_QUERY)
    first = page.locator("[data-ec-lookup-results] [data-entry-slug]").first
    first.wait_for(timeout=5_000)
    return first.get_attribute("data-entry-slug")


# Per-page scripts ------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_the_lookup_and_the_table_work_after_instant_navigation(open_page, site, edition: str) -> None:
    """Each page loads its own script; instant navigation (no page load) runs it on every visit,
    and a second visit sets up the page's new elements without doubling anything."""
    _, base_url = site
    page = open_page()
    open_instantly(page, base_url + edition + "statuses/")
    scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert not [s for s in scripts if s.endswith(("/lookup.js", "/errors-table.js"))], "the statuses page loads them"
    for _visit in range(2):
        _nav(page, "lookup/")
        _ready(page, "[data-ec-lookup]")
        assert _lookup_answers(page) == "token-corrupt"
        _nav(page, "errors/")
        _ready(page, "[data-ec-table]")
        page.locator("[data-ec-table] select[name=status]").select_option("429")
        statuses = page.locator("[data-ec-table] tbody tr:not([hidden])").evaluate_all(
            "rows => rows.map(r => r.dataset.status)"
        )
        assert statuses and set(statuses) == {"429"}
        assert page.locator("[data-ec-table] tbody tr").count() == len(statuses), "rows drawn twice"
        _nav(page, "statuses/")
    assert is_same_document(page), "a click loaded a page instead of navigating instantly"


# Dark scheme -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("edition", "to_light"), [("", "切换到浅色模式"), ("en/", "Switch to light mode")])
def test_the_scheme_follows_the_system_and_the_toggle_overrides_it(open_page, site, edition, to_light) -> None:
    _, base_url = site
    light = open_page("light")
    light.goto(base_url + edition)
    assert light.evaluate("document.body.dataset.mdColorScheme") == "default"
    page = open_page("dark")
    open_instantly(page, base_url + edition + "errors/token-corrupt/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    assert toggle.get_attribute("title") == to_light
    toggle.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    _nav(page, "lookup/")  # instant navigation keeps the reader's choice...
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.goto(base_url + edition + "statuses/")  # ...and so does a page load
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"


CONTRAST_PAGES = [
    "",
    "errors/token-corrupt/",
    "errors/",
    "lookup/?q=auth_bad_access_token",
    "statuses/401/",
    "modules/group/",
    "maintaining/",
    "no/such/page/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_every_text_meets_wcag_aa_contrast_in_both_schemes(open_page, site, scheme: str, edition: str) -> None:
    _, base_url = site
    below: dict[str, list[dict]] = {}
    for width in (1280, 390):
        page = open_page(scheme, width)
        for path in CONTRAST_PAGES if width == 1280 else CONTRAST_PAGES[:4]:
            page.goto(base_url + edition + path)
            if path == "errors/":
                _ready(page, "[data-ec-table]")
            if path.startswith("lookup/"):
                _ready(page, "[data-ec-lookup]")
                page.locator("[data-ec-lookup-results] [data-entry-slug]").first.wait_for()
            texts = page.evaluate(CONTRAST_JS)
            assert len(texts) > 10, path
            failing = [t for t in texts if "ratio" not in t or t["ratio"] < t["needed"]]
            if failing:
                below[f"{width}px /{edition}{path}"] = failing[:5]
    assert below == {}


# The 404 page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "lang", "heading"), [("", "zh", "找不到这个页面"), ("en/", "en", "Page not found")], ids=["zh", "en"]
)
def test_a_missing_deep_path_gets_the_404_page_with_a_working_lookup(open_page, site, edition, lang, heading) -> None:
    _, base_url = site
    page = open_page()
    response = page.goto(base_url + edition + "errors/no-such-entry/and/deeper/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("article h1").inner_text() == heading
    _ready(page, "[data-ec-lookup]")
    assert _lookup_answers(page) == "token-corrupt"
    assert page.url.endswith("/errors/no-such-entry/and/deeper/"), "the box left the address alone"
    links = page.locator("article h2 + ul a").evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    root = "/" + edition
    assert links == [root, root + "errors/", root + "statuses/", root + "modules/", root + "lookup/"]
    page.locator("[data-ec-lookup-results] a.ec-result__more").first.click()
    page.wait_for_url(f"{base_url}{edition}errors/token-corrupt/")


@pytest.mark.parametrize("path", ["a/b/c/missing.html", ""], ids=["404", "home"])
@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_the_lookup_box_elsewhere_works_without_javascript(open_page, site, edition: str, path: str) -> None:
    """The 404 page's and the home page's box open the lookup page with the text."""
    _, base_url = site
    page = open_page(javascript=False)
    page.goto(base_url + edition + path)
    page.locator("form[data-ec-lookup] textarea").fill("grpID 42 does not exist!")
    page.locator("form[data-ec-lookup] button[type=submit]").click()
    page.wait_for_url(f"{base_url}{edition}lookup/?q=grpID+42+does+not+exist%21")
    for href in page.locator("article a").evaluate_all("as => as.map(a => a.href)"):
        if href.startswith(base_url):
            assert page.request.get(href).status == 200, href


# The home page and the search dialog ----------------------------------------------------------


@pytest.mark.parametrize(("edition", "remedy"), [("", "处理建议"), ("en/", "Remedy")], ids=["zh", "en"])
def test_on_a_phone_a_response_pasted_on_the_home_page_shows_its_remedy_in_place(
    open_page, site, edition, remedy
) -> None:
    _, base_url = site
    page = open_page(width=390)
    page.goto(base_url + edition)
    box = page.locator("form[data-ec-lookup] textarea")
    assert box.bounding_box()["y"] < 450, "the paste box leads the page, above the fold"
    _ready(page, "[data-ec-lookup]")
    box.fill(TOKEN_QUERY)
    first = page.locator("[data-ec-lookup-results] > li").first
    first.wait_for(timeout=5_000)
    assert first.get_attribute("data-entry-slug") == "token-corrupt"
    assert first.get_attribute("data-match") == "exact"
    heading = first.locator("dt", has_text=remedy)
    assert heading.is_visible() and first.locator("dd").nth(1).inner_text().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing scrolls sideways"
    assert abs(first.bounding_box()["x"] - box.bounding_box()["x"]) < 1, "a card is as wide as the box"
    assert page.url == base_url + edition, "the home page keeps its address"


def _search_offer(page) -> dict | None:
    return page.evaluate(
        """() => {
            const offer = document.querySelector(".md-search .ec-search-offer");
            const shown = offer && !offer.hidden && offer.getClientRects().length > 0;
            return offer && {shown, href: offer.querySelector("a").href};
        }"""
    )


@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_a_response_typed_into_the_site_search_offers_the_lookup(open_page, site, edition: str) -> None:
    _, base_url = site
    page = open_page()
    material_search(page, base_url + edition + "errors/token-corrupt/", "auth_bad_access_token")
    assert not (_search_offer(page) or {}).get("shown"), "a plain error type is a word search"
    box = page.locator("input.md-search__input")
    for query in (TOKEN_QUERY, "2026-12-01 10:00:01 ERROR POST /org/app/users 401 Unauthorized"):
        box.fill(query)
        box.press("End")
        page.wait_for_function(
            "() => { const o = document.querySelector('.md-search .ec-search-offer'); return o && !o.hidden; }"
        )
        offer = _search_offer(page)
        assert offer["shown"] and offer["href"] == f"{base_url}{edition}lookup/?q={quote(query, safe='')}", query
    box.fill(TOKEN_QUERY)
    box.press("End")
    page.locator(".md-search .ec-search-offer a").click()
    page.wait_for_url(f"{base_url}{edition}lookup/?q=**")
    _ready(page, "[data-ec-lookup]")
    assert (
        page.locator("[data-ec-lookup-results] [data-entry-slug]").first.get_attribute("data-entry-slug")
        == "token-corrupt"
    )


# Print -----------------------------------------------------------------------------------------

PRINT_CHECK = """() => {
  const width = document.documentElement.clientWidth;
  const shown = selector => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).length;
  const wider = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + " " + (e.textContent || "").trim().slice(0, 40));
  return {
    chrome: shown(".md-header, .md-sidebar, .md-search, .md-footer, .md-top, .ec-filters, .md-button")
      + shown("[data-ec-more-row]"),
    wider: wider.slice(0, 10),
    externalUrls: [...document.querySelectorAll("article a[rel~=noopener]")]
      .map(a => getComputedStyle(a, "::after").content).filter(c => c.includes("https://")).length,
    internalUrls: [...document.querySelectorAll("article a:not([rel~=noopener])")]
      .filter(a => getComputedStyle(a, "::after").content.includes("http")).length,
  };
}"""


@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
@pytest.mark.parametrize("path", ["errors/message-roaming-not-enabled/", "errors/token-corrupt/", "errors/"])
def test_pages_print_without_the_screens_controls_and_within_the_paper(open_page, site, edition, path) -> None:
    """The entry page with the longest API paths, a common one, and the all-errors table."""
    _, base_url = site
    page = open_page(width=PRINT_WIDTH)
    page.goto(base_url + edition + path)
    if path == "errors/":
        _ready(page, "[data-ec-table]")
    page.emulate_media(media="print")
    printed = page.evaluate(PRINT_CHECK)
    assert printed["chrome"] == 0 and printed["wider"] == []
    assert printed["internalUrls"] == 0
    if path != "errors/":
        assert printed["externalUrls"] > 0, "the vendor's pages are printed with their address"


def test_a_printed_table_holds_every_row_not_only_the_first_page(open_page, site, built_site: Path) -> None:
    """At 700 errors the screen draws 300 rows; the browser's beforeprint event draws the rest."""
    import json

    _, base_url = site
    page = open_page(width=PRINT_WIDTH)
    data = json.loads((built_site / "all-errors.json").read_text(encoding="utf-8"))
    rows = [[f"{row[0]}-copy-{n}", *row[1:]] for n in range(3) for row in data["rows"]][:700]
    big = json.dumps({"modules": data["modules"], "rows": rows}, ensure_ascii=False)
    page.route("**/all-errors.json", lambda route: route.fulfill(body=big, content_type="application/json"))
    page.goto(base_url + "errors/")
    _ready(page, "[data-ec-table]")
    assert page.locator("[data-ec-table] tbody tr").count() == 300
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser fires first
    page.emulate_media(media="print")
    assert page.locator("[data-ec-table] tbody tr").count() == 700
    assert page.evaluate(PRINT_CHECK)["wider"] == []
