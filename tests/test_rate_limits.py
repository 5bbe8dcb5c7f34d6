"""catalog/rate_limits.yaml against the vendor's limits table (`tests/data/rate_limits.json`).

Every row of the table that belongs to a catalog API is that API's row in the catalog, with the
row's number, what it counts, whether client calls count, and the literal cells in both languages;
every catalog row comes from the table; an API the table states no limit for has no row (the site
shows the default). Where the table shares a limit, hides the English row or disagrees with the
API's own page, the catalog row carries a note. An API of the table that the catalog cannot list
is an exemption with a reason (`tests/data/rate_limit_exemptions.yaml`), and a stale one fails.
Nothing is counted by hand; a mismatch names the key to edit.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import Catalog, RateLimit
from generator.relations import CatalogRelations
from generator.ui import ui_text
from generator.validate import load_catalog
from tests.conftest import ROOT

DATA = Path(__file__).parent / "data"
LIMITS_FILE = "catalog/rate_limits.yaml"
VENDOR_DOCS = "https://doc.easemob.com/document/server-side/"


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads((DATA / "rate_limits.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def exemptions() -> dict[tuple[str, str], str]:
    listed = yaml.safe_load((DATA / "rate_limit_exemptions.yaml").read_text(encoding="utf-8"))["exemptions"]
    return {(item["page"], item["title"]): item["reason"] for item in listed}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "catalog")


def api_ids(catalog: Catalog) -> dict[tuple[str, str, str], str]:
    """(method, path, Chinese title) -> catalog API id: how the data names an API."""
    return {(api.method, api.path, api.title.zh): api.id for f in catalog.api_files for api in f.apis}


def rows(catalog: Catalog) -> dict[str, RateLimit]:
    assert catalog.rate_limits is not None, f"{LIMITS_FILE} is missing"
    return {row.api: row for row in catalog.rate_limits.apis}


def expected_row(row: dict[str, Any]) -> dict[str, Any]:
    """What the catalog row of the API a data row belongs to must hold."""
    shared = row.get("shared_limit") or {}
    english = row.get("en_edition") or {}
    addon_zh = row["addon_package_zh"] or shared.get("addon_zh") or None
    addon_en = row["addon_package_en"] or english.get("addon_package_en") or shared.get("addon_en") or None
    return {
        "calls_per_second": row["limit_per_second"],
        "counts": row["limit_counts"],
        "rest_only": row["no_client_api"],
        "text": {
            "zh": row["limit_text_zh"] or shared["text_zh"],
            "en": row["limit_text_en"] or english.get("limit_text_en") or shared["text_en"],
        },
        "addon": {"zh": addon_zh, "en": addon_en} if addon_zh else None,
    }


def needs_note(row: dict[str, Any], spotcheck: list[dict[str, Any]]) -> str | None:
    """Why the catalog row must explain itself to readers, or None."""
    if row.get("shared_limit"):
        return "the limit is shared by a group of APIs"
    if row.get("en_edition"):
        return "the vendor's English table hides the row in an HTML comment"
    pages = {check["page"].rsplit("/", 1)[1] for check in spotcheck if check["agrees_with_table"] is False}
    if row["matched_api"] and row["matched_api"]["page"] in pages:
        return "the API's own page disagrees with the table"
    return None


def row_problems(data: dict, catalog: Catalog, exemptions: dict[tuple[str, str], str]) -> list[str]:
    ids, listed = api_ids(catalog), rows(catalog)
    problems, covered, used = [], set(), set()
    for row in data["limits"]:
        for source in ([row["matched_api"]] if row["matched_api"] else []) + row.get("matched_api_also", []):
            api = ids.get((source["method"], source["path"], source["anchor_title_zh"]))
            if api is None:
                key = (source["page"], source["anchor_title_zh"])
                if key in exemptions:
                    used.add(key)
                else:
                    problems.append(f"{LIMITS_FILE}: the catalog has no API for {source} (row {row['api_title_zh']!r})")
                continue
            covered.add(api)
            found = listed.get(api)
            if found is None:
                problems.append(f"{LIMITS_FILE}: apis: add a row for {api!r} ({row['api_title_zh']!r})")
                continue
            actual = found.model_dump(include={"calls_per_second", "counts", "rest_only", "text", "addon"})
            for key, value in expected_row(row).items():
                if actual[key] != value:
                    problems.append(f"{LIMITS_FILE}: apis[{api}].{key}: should be {value!r}, is {actual[key]!r}")
            reason = needs_note(row, data["per_api_page_spotcheck"])
            if reason and found.note is None:
                problems.append(f"{LIMITS_FILE}: apis[{api}].note: say so to readers: {reason}")
    problems += [
        f"{LIMITS_FILE}: apis[{api}]: no row of the vendor's table belongs to this API" for api in set(listed) - covered
    ]
    problems += [f"tests/data/rate_limit_exemptions.yaml: {key} is no longer needed" for key in set(exemptions) - used]
    return sorted(problems)


def test_every_row_of_the_vendors_table_is_its_apis_row(data: dict, catalog: Catalog, exemptions: dict) -> None:
    assert row_problems(data, catalog, exemptions) == []


def test_an_api_without_a_stated_limit_has_the_default(data: dict, catalog: Catalog) -> None:
    ids, listed = api_ids(catalog), rows(catalog)
    without = [
        ids[(api["method"], api["path"], api["anchor_title_zh"])] for api in data["our_apis_without_stated_limit"]
    ]
    assert without and not set(without) & set(listed)
    every_api = set(ids.values())
    assert every_api - set(listed) == set(without), "an API with neither a row nor a place in the data's list"


def test_the_default_and_the_vendor_page_are_the_tables(data: dict, catalog: Catalog) -> None:
    limits = catalog.rate_limits
    assert limits is not None
    default = data["default_limit"]
    assert limits.default.calls_per_second == default["value"]
    # The table's default reads 100 次/秒; its cells add the App Key it counts per.
    assert limits.default.text.model_dump() == {
        "zh": default["text_zh"] + "/App Key",
        "en": default["text_en"] + "/App Key",
    }
    page = data["source"]["zh"]["path"].rsplit("/", 1)[1].removesuffix(".md")
    assert limits.vendor_page.url == f"{VENDOR_DOCS}{page}.html"


def test_the_check_finds_a_changed_cell(data: dict, catalog: Catalog, exemptions: dict) -> None:
    """The comparison above can fail: one literal cell off by a character is named."""
    changed = catalog.model_copy(
        update={
            "rate_limits": catalog.rate_limits.model_copy(
                update={
                    "apis": [
                        row.model_copy(update={"text": row.text.model_copy(update={"zh": row.text.zh + " "})})
                        if row.api == "message-group"
                        else row
                        for row in catalog.rate_limits.apis
                    ]
                }
            )
        }
    )
    problems = row_problems(data, changed, exemptions)
    assert len(problems) == 1 and problems[0].startswith(f"{LIMITS_FILE}: apis[message-group].text: should be")


def test_every_related_entry_reports_a_limit(catalog: Catalog) -> None:
    """The 429 page's cross-links go to limit errors answered with another status."""
    entries = {entry.slug: entry for entry in catalog.entries}
    assert catalog.rate_limits is not None
    related = [entries[slug] for slug in catalog.rate_limits.related_entries]
    assert related and all(entry.status != 429 and entry.category == "limit_exceeded" for entry in related)
    assert "message-send-reach-limit" in catalog.rate_limits.related_entries


# ---- the built site (slow: `built_site` is the real site) ----

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_TAG = re.compile(r"<[^>]+>")
EDITIONS = (("", "zh"), ("en/", "en"))


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _rows(html: str, needle: str) -> list[str]:
    """The text of every table row whose HTML holds ``needle``."""
    return [_text(row) for row in _ROW.findall(html) if needle in row]


def _read(site: Path, prefix: str, path: str) -> str:
    return (site / prefix / path / "index.html").read_text(encoding="utf-8")


def shown_limits(catalog: Catalog, lang: str) -> dict[str, str]:
    """API id -> the limit its rows must show: the catalog's cell, or the default marked as such."""
    listed = rows(catalog)
    default = getattr(catalog.rate_limits.default.text, lang)
    marked = ui_text(lang)("rate_limit.default_cell", text=default)
    return {
        api.id: getattr(listed[api.id].text, lang) if api.id in listed else marked
        for f in catalog.api_files
        for api in f.apis
    }


def test_every_module_page_shows_each_apis_limit_in_its_row_and_heading(built_site: Path, catalog: Catalog) -> None:
    modules = {api.id: f.module for f in catalog.api_files for api in f.apis}
    for prefix, lang in EDITIONS:
        label = ui_text(lang)("rate_limit.api_line")
        pages: dict[str, str] = {}
        for api_id, shown in shown_limits(catalog, lang).items():
            html = pages.setdefault(modules[api_id], _read(built_site, prefix, f"modules/{modules[api_id]}"))
            (row,) = _rows(html, f'href="#{api_id}"')
            assert shown in row, (prefix, api_id, row)
            section = _text(html.split(f'id="{api_id}"', 1)[1].split("<table", 1)[0])
            assert f"{label}{ui_text(lang)('list.colon')}{shown}".replace(" ", "") in section.replace(" ", ""), (
                prefix,
                api_id,
                section,
            )


def test_a_note_tells_readers_where_the_vendors_pages_disagree(built_site: Path, catalog: Catalog) -> None:
    listed = rows(catalog)
    for prefix, lang in EDITIONS:
        html = _read(built_site, prefix, "modules/presence")
        note = getattr(listed["presence-set"].note, lang)
        assert note and "100" in note
        (row,) = _rows(html, 'href="#presence-set"')
        assert _text(note) in row
        assert _text(note) in _text(html.split('id="presence-set"', 1)[1].split("<table", 1)[0])


def test_every_entry_pages_api_list_shows_each_apis_limit(built_site: Path, catalog: Catalog) -> None:
    rel = CatalogRelations.build(catalog)
    for prefix, lang in EDITIONS:
        shown = shown_limits(catalog, lang)
        for entry in catalog.entries:
            if not rel.occurrences[entry.slug]:
                continue
            html = _read(built_site, prefix, f"errors/{entry.slug}").split('id="apis"', 1)[1]
            for ref in rel.occurrences[entry.slug]:
                api_rows = _rows(html, f'#{ref.api.id}"')
                assert api_rows and all(shown[ref.api.id] in row for row in api_rows), (prefix, entry.slug, ref.api.id)


def test_the_429_page_explains_the_limits_in_both_editions(built_site: Path, catalog: Catalog) -> None:
    limits = catalog.rate_limits
    assert limits is not None
    for prefix, lang in EDITIONS:
        html = _read(built_site, prefix, "statuses/429")
        section = html.split('id="rate-limits"', 1)[1].split('<h2 id="', 1)[0]
        text = _text(section)
        for prose in (limits.counting, limits.period):
            assert _text(getattr(prose, lang).replace("`", "")) in text
        assert getattr(limits.default.text, lang) in text
        assert f'href="{limits.vendor_page.url}"' in section
        for slug in limits.related_entries:
            assert f'href="../../errors/{slug}/"' in section, (prefix, slug)
        (group_row,) = _rows(section, 'href="../../modules/message/#message-group"')
        assert getattr(rows(catalog)["message-group"].text, lang) in group_row
        assert (
            ui_text(lang)("rate_limit.kind_default", count=len(shown_limits(catalog, lang)) - len(limits.apis)) in text
        )


def test_every_rate_limit_entry_page_names_its_apis_limits(built_site: Path, catalog: Catalog) -> None:
    rel = CatalogRelations.build(catalog)
    assert catalog.rate_limits is not None
    pages = [e for e in catalog.entries if e.status == 429 or e.slug in catalog.rate_limits.related_entries]
    assert {e.status for e in pages} >= {429, 403}
    for prefix, lang in EDITIONS:
        shown = shown_limits(catalog, lang)
        for entry in pages:
            html = _read(built_site, prefix, f"errors/{entry.slug}")
            section = html.split('id="rate-limit"', 1)[1].split("<h2", 1)[0]
            assert 'href="../../statuses/429/#rate-limits"' in section, (prefix, entry.slug)
            for ref in rel.occurrences[entry.slug]:
                assert shown[ref.api.id] in _text(section), (prefix, entry.slug, ref.api.id)
        other = _read(built_site, prefix, "errors/token-corrupt")
        assert 'id="rate-limit"' not in other
