"""Every API and every error row of the vendor's per-API tables is in the catalog, and every fact
the catalog states about an API is in them, unless a reasoned list says otherwise.

The fact table `tests/data/easemob_rest_errors.json` is a copy of the project's input data. A row is
represented when the catalog API it belongs to lists an entry with the row's literal status, error
type, message and internal code; otherwise it must be one of the `exemptions` of
`tests/data/exemptions.yaml`. An entry an API lists beyond its rows must be one of the `additions`
there. Each exemption and addition has a reason, and one that is no longer needed fails too.
Nothing here counts entries or rows: adding an entry is a catalog change, and every figure comes
from the data. A mismatch names the file to edit and the key to change.
"""

from __future__ import annotations

import copy
import functools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import Api, Catalog, ErrorEntry
from generator.validate import load_catalog
from tests.conftest import ROOT

DATA = Path(__file__).parent / "data"
FACTS_FILE = "tests/data/easemob_rest_errors.json"
EXEMPTIONS_FILE = "tests/data/exemptions.yaml"
VENDOR_DOCS = "https://doc.easemob.com/document/server-side/"

ApiKey = tuple[str, str, str, str]  # module, Chinese title, method, path
Identity = tuple[Any, ...]


@dataclass(frozen=True)
class CatalogApi:
    file: str  # e.g. catalog/apis/group.yaml
    api: Api


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads((ROOT / FACTS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lists() -> dict:
    return yaml.safe_load((ROOT / EXEMPTIONS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "catalog")


@functools.cache
def _api_files() -> dict[str, str]:
    """Module key -> the catalog file holding its APIs."""
    files = {}
    for path in sorted((ROOT / "catalog" / "apis").glob("*.yaml")):
        files[yaml.safe_load(path.read_text(encoding="utf-8"))["module"]] = path.relative_to(ROOT).as_posix()
    return files


def catalog_apis(catalog: Catalog) -> dict[ApiKey, CatalogApi]:
    files = _api_files()
    return {
        (api_file.module, api.title.zh, api.method, api.path): CatalogApi(files[api_file.module], api)
        for api_file in catalog.api_files
        for api in api_file.apis
    }


def api_key(source: dict) -> ApiKey:
    return (source["module"], source["anchor_title_zh"], source["method"], source["path"])


def row_identity(row: dict) -> Identity:
    return (row["status"], row.get("status_raw"), row.get("error_code"), row["error"], row["message"])


def describe_row(row: dict) -> str:
    status = row["status"] or row.get("status_raw") or f"code {row.get('error_code')}"
    return f"{status} {row['error'] or '-'} {row['message']!r}"


def api_problems(data: dict, catalog: Catalog) -> list[str]:
    """Each API of the data is a catalog API with the same vendor page and query, and the reverse."""
    apis = catalog_apis(catalog)
    files = _api_files()
    problems = []
    for source in data["apis"]:
        key = api_key(source)
        found = apis.get(key)
        file = files.get(source["module"], f"catalog/apis/{source['module']}.yaml")
        if found is None:
            problems.append(
                f"{file}: apis: add an API titled {source['anchor_title_zh']!r}, "
                f"{source['method']} {source['path']} (data API of {source['page']})"
            )
            continue
        page = (source.get("api_page") or source["page"]).removesuffix(".md")
        if found.api.vendor_page != f"{VENDOR_DOCS}{page}.html":
            problems.append(f"{file}: apis[{found.api.id}].vendor_page: should be {VENDOR_DOCS}{page}.html")
        if (found.api.query or None) != (source.get("query") or None):
            problems.append(f"{file}: apis[{found.api.id}].query: should be {source.get('query')!r}")
    for key in set(apis) - {api_key(source) for source in data["apis"]}:
        found = apis[key]
        problems.append(
            f"{found.file}: apis[{found.api.id}]: no API of {FACTS_FILE} has this module, title, method and path"
        )
    return sorted(problems)


@dataclass
class Coverage:
    problems: list[str]
    represented: int
    exempted: int


def occurrence_problems(data: dict, catalog: Catalog, lists: dict) -> Coverage:
    """Rows the catalog does not list, facts the data does not have, and stale list items."""
    apis = catalog_apis(catalog)
    entries = {entry.slug: entry for entry in catalog.entries}
    by_identity: dict[Identity, ErrorEntry] = {entry.identity: entry for entry in catalog.entries}
    exempt = {(item["page"], item["row"]): item for item in lists.get("exemptions") or []}
    added = {(item["api"], item["entry"]): item for item in lists.get("additions") or []}
    problems = _reasonless(lists)
    used_exemptions: set[tuple[str, int]] = set()
    used_additions: set[tuple[str, str]] = set()
    represented = 0
    for source in data["apis"]:
        found = apis.get(api_key(source))
        if found is None:
            continue  # reported by api_problems
        listed = Counter(entries[slug].identity for slug in found.api.errors)
        for index, row in enumerate(source["errors"]):
            identity = row_identity(row)
            if listed[identity] > 0:
                listed[identity] -= 1
                represented += 1
            elif (source["page"], index) in exempt:
                used_exemptions.add((source["page"], index))
                if exempt[(source["page"], index)]["message"] != row["message"]:
                    problems.append(
                        f"{EXEMPTIONS_FILE}: exemptions[page {source['page']}, row {index}].message: "
                        f"should be {row['message']!r}"
                    )
            else:
                problems.append(_unlisted_row(found, source, row, by_identity.get(identity)))
        for identity, count in (+listed).items():
            slug = by_identity[identity].slug
            if (found.api.id, slug) in added:
                used_additions.add((found.api.id, slug))
                continue
            problems.append(
                f"{found.file}: apis[{found.api.id}].errors: `{slug}` is listed {count} more time(s) than the rows "
                f"of {source['page']} in {FACTS_FILE}: remove it, or add it to {EXEMPTIONS_FILE} additions "
                f"(api: {found.api.id}, entry: {slug}) with a reason"
            )
    problems += [
        f"{EXEMPTIONS_FILE}: exemptions: remove page {page} row {row}: no longer needed (the catalog lists it, "
        "or the data has no such row)"
        for page, row in sorted(set(exempt) - used_exemptions)
    ]
    problems += [
        f"{EXEMPTIONS_FILE}: additions: remove api {api} entry {slug}: no longer needed (the data has the row, "
        "or the API does not list the entry)"
        for api, slug in sorted(set(added) - used_additions)
    ]
    return Coverage(problems, represented, len(used_exemptions))


def _unlisted_row(found: CatalogApi, source: dict, row: dict, entry: ErrorEntry | None) -> str:
    where = f"data row: {describe_row(row)} on {source['method']} {source['path']}"
    if entry is not None:
        return f"{found.file}: apis[{found.api.id}].errors: add `{entry.slug}` ({where})"
    return (
        f"catalog/errors/{source['module']}.yaml: entries: add an entry for {describe_row(row)}, then list its "
        f"slug in {found.file}: apis[{found.api.id}].errors ({where})"
    )


def _reasonless(lists: dict) -> list[str]:
    return [
        f"{EXEMPTIONS_FILE}: {kind}[{index}].reason: say why"
        for kind in ("exemptions", "additions")
        for index, item in enumerate(lists.get(kind) or [])
        if not str(item.get("reason") or "").strip()
    ]


# --- The real catalog against the real data -----------------------------------------------------


def test_every_api_of_the_data_is_in_the_catalog_and_back(data: dict, catalog: Catalog) -> None:
    problems = api_problems(data, catalog)
    assert not problems, "\n".join(problems)


def test_every_error_row_is_an_occurrence_or_exempted(data: dict, catalog: Catalog, lists: dict) -> None:
    coverage = occurrence_problems(data, catalog, lists)
    assert not coverage.problems, "\n".join(coverage.problems)
    assert coverage.represented + coverage.exempted == sum(len(source["errors"]) for source in data["apis"])


def test_distinct_source_triples_are_distinct_entries(data: dict, catalog: Catalog) -> None:
    """Every distinct status + error + message (+ internal code) of the data is exactly one entry."""
    source_identities = {row_identity(row) for api in data["apis"] for row in api["errors"]}
    catalog_identities = Counter(entry.identity for entry in catalog.entries)
    assert source_identities, f"{FACTS_FILE} has no error rows"
    assert sorted(map(str, source_identities - {i for i, n in catalog_identities.items() if n == 1})) == []


def test_missing_facts_stay_missing(data: dict, catalog: Catalog) -> None:
    """Rows without an HTTP status or error type are null in the catalog, never a made-up value."""
    entries = {entry.identity: entry for entry in catalog.entries}
    checked = Counter()
    for api in data["apis"]:
        for row in api["errors"]:
            entry = entries[row_identity(row)]
            if row["status"] is None:
                checked["status"] += 1
                assert entry.status is None and (entry.error_code or entry.status_class)
            if row["error"] is None:
                checked["error"] += 1
                assert entry.error is None
                if row.get("error_raw") not in (None, "-"):
                    assert entry.error_label is not None and entry.error_label.zh == row["error_raw"]
            if row.get("message_raw") == "任意":
                checked["message"] += 1
                assert entry.message is None and entry.message_any
    assert set(checked) == {"status", "error", "message"}, f"{FACTS_FILE} has no row missing {checked}"


# --- The messages a maintainer gets, on the real data changed the way an edit changes it -----------


def _first_listed(data: dict, catalog: Catalog) -> tuple[dict, int, CatalogApi]:
    """A data API, the index of a row its catalog API lists, and that catalog API."""
    apis = catalog_apis(catalog)
    for source in data["apis"]:
        found = apis[api_key(source)]
        listed = {entry.identity for entry in catalog.entries if entry.slug in found.api.errors}
        for index, row in enumerate(source["errors"]):
            if row_identity(row) in listed:
                return source, index, found
    raise AssertionError(f"no row of {FACTS_FILE} is listed by the catalog")


def _slug_of(catalog: Catalog, row: dict) -> str:
    return next(entry.slug for entry in catalog.entries if entry.identity == row_identity(row))


def test_a_row_the_catalog_does_not_list_names_the_api_and_the_slug(data: dict, catalog: Catalog, lists: dict) -> None:
    changed = copy.deepcopy(data)
    source, index, _ = _first_listed(changed, catalog)
    row = source["errors"][index]
    apis = catalog_apis(catalog)
    other = next(s for s in changed["apis"] if _slug_of(catalog, row) not in apis[api_key(s)].api.errors)
    other["errors"].append(row)  # the vendor documents the row on one more API
    target = apis[api_key(other)]
    assert occurrence_problems(changed, catalog, lists).problems == [
        f"{target.file}: apis[{target.api.id}].errors: add `{_slug_of(catalog, row)}` "
        f"(data row: {describe_row(row)} on {other['method']} {other['path']})"
    ]


def test_a_row_of_no_entry_asks_for_an_entry(data: dict, catalog: Catalog, lists: dict) -> None:
    changed = copy.deepcopy(data)
    source, _, found = _first_listed(changed, catalog)
    row = {"status": 400, "error": "illegal_argument", "message": "a message no entry has"}
    source["errors"].append(row)
    (problem,) = occurrence_problems(changed, catalog, lists).problems
    assert problem.startswith(f"catalog/errors/{source['module']}.yaml: entries: add an entry for 400 illegal_argument")
    assert f"then list its slug in {found.file}: apis[{found.api.id}].errors" in problem


def test_a_fact_the_data_does_not_have_needs_an_addition(data: dict, catalog: Catalog, lists: dict) -> None:
    changed = copy.deepcopy(data)
    source, index, found = _first_listed(changed, catalog)
    slug = _slug_of(catalog, source["errors"].pop(index))  # the catalog lists an entry the data lacks
    (problem,) = occurrence_problems(changed, catalog, lists).problems
    assert problem.startswith(f"{found.file}: apis[{found.api.id}].errors: `{slug}` is listed 1 more time(s)")
    assert f"add it to {EXEMPTIONS_FILE} additions (api: {found.api.id}, entry: {slug}) with a reason" in problem
    addition = {"api": found.api.id, "entry": slug, "reason": "documented on the vendor's changelog"}
    assert occurrence_problems(changed, catalog, {**lists, "additions": [addition]}).problems == []
    assert occurrence_problems(data, catalog, {**lists, "additions": [addition]}).problems == [
        f"{EXEMPTIONS_FILE}: additions: remove api {found.api.id} entry {slug}: no longer needed (the data has the "
        "row, or the API does not list the entry)"
    ]
    assert occurrence_problems(changed, catalog, {**lists, "additions": [{**addition, "reason": " "}]}).problems == [
        f"{EXEMPTIONS_FILE}: additions[0].reason: say why"
    ]


def test_an_exemption_no_longer_needed_fails(data: dict, catalog: Catalog, lists: dict) -> None:
    source, index, _ = _first_listed(data, catalog)
    stale = {"page": source["page"], "row": index, "message": source["errors"][index]["message"], "reason": "x"}
    with_stale = {**lists, "exemptions": [*lists["exemptions"], stale]}
    assert occurrence_problems(data, catalog, with_stale).problems == [
        f"{EXEMPTIONS_FILE}: exemptions: remove page {source['page']} row {index}: no longer needed (the catalog "
        "lists it, or the data has no such row)"
    ]
    if lists["exemptions"]:  # and without an exemption its row is reported
        first = lists["exemptions"][0]
        problems = occurrence_problems(data, catalog, {**lists, "exemptions": lists["exemptions"][1:]}).problems
        assert len(problems) == 1 and "add `" in problems[0] and repr(first["message"]) in problems[0], problems


def test_an_api_the_data_does_not_have_is_named(data: dict, catalog: Catalog) -> None:
    changed = copy.deepcopy(data)
    removed = changed["apis"].pop(0)
    found = catalog_apis(catalog)[api_key(removed)]
    assert api_problems(changed, catalog) == [
        f"{found.file}: apis[{found.api.id}]: no API of {FACTS_FILE} has this module, title, method and path"
    ]
    changed["apis"].append({**removed, "method": "PATCH"})
    assert (
        f"{found.file}: apis: add an API titled {removed['anchor_title_zh']!r}, PATCH"
        in api_problems(changed, catalog)[0]
    )


# --- What the vendor changed: kept visible, never silently applied ------------------------------

CHANGES_FILE = "tests/data/upstream_changes.json"


def dropped_problems(data: dict, catalog: Catalog) -> list[str]:
    """A row the newest vendor pages no longer show (`upstream_note`) is marked on its catalog API
    as `vendor_dropped`, and a mark has such a row."""
    apis = catalog_apis(catalog)
    entries = {entry.slug: entry for entry in catalog.entries}
    problems = []
    for source in data["apis"]:
        found = apis.get(api_key(source))
        if found is None:
            continue
        marked = {row.entry for row in found.api.vendor_dropped}
        noted = {
            slug
            for row in source["errors"]
            if row.get("upstream_note")
            for slug in found.api.errors
            if entries[slug].identity == row_identity(row)
        }
        problems += [
            f"{found.file}: apis[{found.api.id}].vendor_dropped: add entry `{slug}` (the data row has an upstream_note)"
            for slug in sorted(noted - marked)
        ]
        problems += [
            f"{found.file}: apis[{found.api.id}].vendor_dropped: remove "
            f"entry `{slug}` (no upstream_note on its data row)"
            for slug in sorted(marked - noted)
        ]
    return problems


def test_rows_the_vendor_no_longer_documents_are_marked(data: dict, catalog: Catalog) -> None:
    assert any(row.get("upstream_note") for source in data["apis"] for row in source["errors"])
    problems = dropped_problems(data, catalog)
    assert not problems, "\n".join(problems)


def test_an_unmarked_dropped_row_names_the_api(data: dict, catalog: Catalog) -> None:
    changed = copy.deepcopy(data)
    source, index, found = _first_listed(changed, catalog)
    source["errors"][index]["upstream_note"] = "not in the newest version of the vendor page"
    assert dropped_problems(changed, catalog) == [
        f"{found.file}: apis[{found.api.id}].vendor_dropped: add entry "
        f"`{_slug_of(catalog, source['errors'][index])}` (the data row has an upstream_note)"
    ]


def test_each_vendor_change_is_in_the_catalog(catalog: Catalog) -> None:
    """Changed messages keep their entry with the old literal as a former message, a changed status
    moves the API to the entry of the new status, new APIs and rows are listed, and dropped rows are
    marked with the date of the check."""
    changes = json.loads((ROOT / CHANGES_FILE).read_text(encoding="utf-8"))
    by_route = {}
    for api_file in catalog.api_files:
        for api in api_file.apis:
            by_route.setdefault((api.method, api.path, api.vendor_page.rsplit("/", 1)[-1]), api)
    entries = {entry.slug: entry for entry in catalog.entries}
    problems = []
    for change in changes["changes"]:
        page = change["page"].removesuffix(".md") + ".html"
        api = by_route.get((change["method"], change["path"], page))
        if api is None:
            problems.append(f"{change['kind']} on {change['page']}: no catalog API {change['method']} {change['path']}")
            continue
        listed = [entries[slug] for slug in api.errors]
        kind = change["kind"]
        if kind == "message_changed":
            hits = [e for e in listed if e.message == change["new_message"]]
            if not any(change["old_message"] in [f.message for f in e.former_messages] for e in hits):
                problems.append(
                    f"{api.id}: no entry says {change['new_message']!r} with former {change['old_message']!r}"
                )
        elif kind == "status_changed":
            statuses = {e.status for e in listed if e.message == change["message"] and e.error == change["error"]}
            if statuses != {change["new_status"]}:
                problems.append(f"{api.id}: {change['message']!r} listed with {statuses}, not {change['new_status']}")
        elif kind == "row_added":
            if not any(
                (e.status, e.error, e.message) == (change["status"], change["error"], change["message"]) for e in listed
            ):
                problems.append(f"{api.id}: the added row {change['status']} {change['message']!r} is not listed")
        elif kind == "row_no_longer_documented":
            dropped = {row.entry: row.checked for row in api.vendor_dropped}
            slug = next(
                (e.slug for e in listed if e.message == change["message"] and e.status == change["status"]), None
            )
            if dropped.get(slug) != changes["checked"]:
                problems.append(f"{api.id}: {change['message']!r} is not marked dropped on {changes['checked']}")
        elif kind != "api_added":
            problems.append(f"unknown change kind {kind!r} in {CHANGES_FILE}")
    assert {change["kind"] for change in changes["changes"]} >= {"message_changed", "status_changed", "row_added"}
    assert not problems, "\n".join(problems)
