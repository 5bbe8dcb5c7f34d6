"""axe-core (vendored, tests/vendor/axe-core) on every page type of the real site, both editions,
at 1280 and 390 px, light and dark: no violation of impact serious or critical."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import served_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
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
SEVERE = ("serious", "critical")


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[tuple[object, str]]:
    """One Chromium, and the built site served as a host serves it: missing paths get a 404 page."""
    with served_browser(built_site, not_found_pages=True) as session:
        yield session


def _severe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate('async () => (await axe.run(document, {resultTypes: ["violations"]})).violations')
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in violations
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("edition", EDITIONS, ids=["zh", "en"])
def test_no_serious_or_critical_axe_violation_on_any_page_type(site, edition: str, width: int, scheme: str) -> None:
    browser, base_url = site
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = []
    try:
        for path in PAGE_TYPES:
            page.goto(base_url + edition + path)
            page.wait_for_load_state("load")
            found += [f"/{edition}{path}: {v}" for v in _severe_violations(page)]
    finally:
        context.close()
    assert found == [], "\n".join(found)
