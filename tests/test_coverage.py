"""Every API and every error row of the vendor's per-API tables is in the catalog (or exempted, with why).

The fact table `tests/data/easemob_rest_errors.json` is a copy of the project's input data. A row is
represented when the catalog API it belongs to lists an entry with the row's literal status, error
type, message and internal code; otherwise it must be in `tests/data/exemptions.yaml`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.validate import load_catalog
from tests.conftest import ROOT

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads((DATA / "easemob_rest_errors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog")


def _catalog_apis(catalog) -> dict[tuple[str, str, str, str], object]:
    return {
        (api_file.module, api.title.zh, api.method, api.path): api
        for api_file in catalog.api_files
        for api in api_file.apis
    }


def _row_identity(row: dict) -> tuple:
    return (row["status"], row.get("status_raw"), row.get("error_code"), row["error"], row["message"])


def test_every_api_of_the_data_is_in_the_catalog(data: dict, catalog) -> None:
    apis = _catalog_apis(catalog)
    missing = []
    for source in data["apis"]:
        key = (source["module"], source["anchor_title_zh"], source["method"], source["path"])
        api = apis.get(key)
        if api is None:
            missing.append(key)
            continue
        page = (source.get("api_page") or source["page"]).removesuffix(".md")
        assert api.vendor_page == f"https://doc.easemob.com/document/server-side/{page}.html", key
        assert (api.query or None) == (source.get("query") or None), key
    assert missing == []
    assert len(apis) == len(data["apis"]) == 200


def test_every_error_row_is_an_occurrence_or_exempted(data: dict, catalog) -> None:
    apis = _catalog_apis(catalog)
    entries = {entry.slug: entry for entry in catalog.entries}
    exemptions = yaml.safe_load((DATA / "exemptions.yaml").read_text(encoding="utf-8"))["exemptions"]
    exempt = {(e["page"], e["row"]): e for e in exemptions}
    assert all(e["reason"].strip() for e in exemptions)
    unrepresented, used_exemptions, represented = [], set(), 0
    for source in data["apis"]:
        api = apis[(source["module"], source["anchor_title_zh"], source["method"], source["path"])]
        listed = Counter(entries[slug].identity for slug in api.errors)
        for index, row in enumerate(source["errors"]):
            identity = _row_identity(row)
            if listed[identity] > 0:
                listed[identity] -= 1
                represented += 1
            elif (source["page"], index) in exempt:
                used_exemptions.add((source["page"], index))
                assert exempt[(source["page"], index)]["message"] == row["message"]
            else:
                unrepresented.append((source["page"], index, identity))
        # Nothing listed that the vendor's table does not document.
        assert +listed == Counter(), (source["page"], +listed)
    assert unrepresented == []
    assert set(exempt) - used_exemptions == set(), "exemptions no longer needed: remove them"
    assert represented + len(used_exemptions) == 758


def test_distinct_source_triples_are_distinct_entries(data: dict, catalog) -> None:
    """Every distinct status + error + message (+ internal code) of the data is exactly one entry."""
    source_identities = {_row_identity(row) for api in data["apis"] for row in api["errors"]}
    catalog_identities = Counter(entry.identity for entry in catalog.entries)
    assert len(source_identities) == 255
    assert all(catalog_identities[identity] == 1 for identity in source_identities)


def test_missing_facts_stay_missing(data: dict, catalog) -> None:
    """Rows without an HTTP status or error type are null in the catalog, never a made-up value."""
    entries = {entry.identity: entry for entry in catalog.entries}
    for api in data["apis"]:
        for row in api["errors"]:
            entry = entries[_row_identity(row)]
            if row["status"] is None:
                assert entry.status is None and (entry.error_code or entry.status_class)
            if row["error"] is None:
                assert entry.error is None
                if row.get("error_raw") not in (None, "-"):
                    assert entry.error_label is not None and entry.error_label.zh == row["error_raw"]
            if row.get("message_raw") == "任意":
                assert entry.message is None and entry.message_any
