"""The drift check: the vendor's doc pages against the catalog (``python -m generator upstream``).

DOCS_DIR is a checkout of the vendor's doc repository. The Chinese per-API pages
(``docs/document/server-side/*.md``) are the primary source; the English edition (``docs/rest/``)
is read where it is there. Each catalog API is found on its ``vendor_page`` by method and path
(placeholders compared by position only), or elsewhere in the edition (``api_moved``), or in the
English edition when the Chinese page is only a stub. Its error rows are then paired with the
entries the API lists:

* equal status, type and message: the same row;
* same type and message, another status: ``status_changed``; same status and message, another
  type: ``type_changed``; same status and type, another message: ``message_changed`` (a vendor
  row equal to one of the entry's ``former_messages`` is still one: the vendor says the old thing);
* what is left: ``row_added`` (the vendor's) and ``row_gone`` (the catalog's), except rows the
  catalog already marks as no longer documented (``Api.vendor_dropped``), which are not reported
  as gone again but as ``row_documented_again`` when the vendor shows them once more.

Pages absent from DOCS_DIR are a partial checkout, not APIs gone, unless the edition is whole
(at least half of the pages the catalog cites are there). Findings the catalog acknowledges
(``catalog/upstream_acknowledged.yaml``, each with a reason) are still listed, marked as such;
an acknowledgement that matches no finding is a finding of its own (``acknowledgement_stale``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.load import Document, load_yaml_file, read_catalog_bytes
from generator.model import Api, Catalog, ErrorEntry
from generator.problems import Problem, display_path
from generator.terminal import terminal_safe
from generator.ui import UiText
from generator.validate import UPSTREAM_ACKNOWLEDGED as ACKNOWLEDGED_FILE
from generator.vendor_pages import LimitRow, VendorApi, VendorPage, VendorRow, parse_limit_tables, path_shape, read_page

ZH_FOLDER = "docs/document/server-side"
EN_FOLDER = "docs/rest"
VENDOR_PAGE_PREFIX = "/document/server-side/"
MAX_PAGES = 5000  # per edition; the vendor has about 300
LIMITS_PAGE = "limitationapi.md"

# In report order: what makes the catalog wrong first, then what it lacks, then the editions.
BREAKING_KINDS = (
    "api_gone",
    "api_moved",
    "row_gone",
    "status_changed",
    "type_changed",
    "message_changed",
    "limit_changed",
)
ADDED_KINDS = ("api_added", "row_added", "row_documented_again")
EDITION_KINDS = ("editions_disagree",)
STALE_KIND = "acknowledgement_stale"
KINDS = (*BREAKING_KINDS, *ADDED_KINDS, *EDITION_KINDS, STALE_KIND)
GROUPS = (("breaking", BREAKING_KINDS), ("added", ADDED_KINDS), ("editions", EDITION_KINDS), ("stale", (STALE_KIND,)))


@dataclass
class Finding:
    """One difference; ``catalog`` names the entry (rows) or the API (APIs, added rows)."""

    kind: str
    vendor_path: str
    line: int | None
    catalog: str | None
    api: str | None
    vendor_value: Any
    catalog_value: Any
    acknowledged: str | None = None  # the reason, when the catalog acknowledges the finding

    def sort_key(self) -> tuple[int, str, int, str, str]:
        return (KINDS.index(self.kind), self.vendor_path, self.line or 0, self.catalog or "", self.api or "")

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "breaking": self.kind in BREAKING_KINDS,
            "vendor_path": self.vendor_path,
            "line": self.line,
            "catalog": self.catalog,
            "api": self.api,
            "vendor_value": self.vendor_value,
            "catalog_value": self.catalog_value,
            "acknowledged": self.acknowledged,
        }


@dataclass(frozen=True)
class Acknowledgement:
    kind: str
    vendor_path: str
    catalog: str | None
    reason: str
    line: int

    def matches(self, finding: Finding) -> bool:
        return (self.kind, self.vendor_path, self.catalog) == (finding.kind, finding.vendor_path, finding.catalog)


@dataclass
class Edition:
    """The pages of one edition folder, by file name."""

    folder: str
    pages: dict[str, VendorPage]

    def page_path(self, name: str) -> str:
        return f"{self.folder}/{name}"

    def apis(self) -> Iterator[tuple[VendorPage, VendorApi]]:
        for page in self.pages.values():
            for api in page.apis:
                yield page, api


@dataclass
class Located:
    """Where the vendor documents a catalog API, and the rows it documents for it."""

    edition: Edition
    page: VendorPage
    api: VendorApi
    rows: list[VendorRow] | None  # None: no error section at all
    rows_path: str
    rows_line: int | None


@dataclass
class DriftReport:
    findings: list[Finding] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)  # the edition folders read

    @property
    def unacknowledged(self) -> list[Finding]:
        return [f for f in self.findings if f.acknowledged is None]


def read_edition(docs_dir: Path, folder: str) -> Edition | None:
    """Every ``*.md`` page of one edition folder, or None when the folder is not there."""
    path = docs_dir / folder
    if not path.is_dir():
        return None
    names = sorted(entry.name for entry in os.scandir(path) if entry.name.endswith(".md") and entry.is_file())
    return Edition(folder, {name: read_page(docs_dir, f"{folder}/{name}") for name in names[:MAX_PAGES]})


def vendor_page_name(api: Api) -> str | None:
    """``https://doc.easemob.com/document/server-side/x.html`` -> ``x.md``."""
    path = urlsplit(api.vendor_page).path
    if not path.startswith(VENDOR_PAGE_PREFIX):
        return None
    name = path[len(VENDOR_PAGE_PREFIX) :]
    return name.removesuffix(".html") + ".md" if "/" not in name else None


def dropped_slugs(api: Api) -> dict[str, str]:
    """The API's rows the catalog marks as no longer documented, with the date of that check."""
    return {
        item.entry: item.checked.isoformat() if hasattr(item.checked, "isoformat") else str(item.checked)
        for item in api.vendor_dropped
    }


def former_messages(entry: ErrorEntry) -> list[str]:
    return [item.message for item in entry.former_messages]


class DriftCheck:
    """Compares the editions read from DOCS_DIR with one catalog."""

    def __init__(self, catalog: Catalog, zh: Edition | None, en: Edition | None, docs_dir: Path | None = None):
        self.catalog = catalog
        self.docs_dir = docs_dir
        self.zh, self.en = zh, en
        self.entries = {entry.slug: entry for entry in catalog.entries}
        self.apis = [api for api_file in catalog.api_files for api in api_file.apis]
        self.known_types = {entry.error for entry in catalog.entries if entry.error}
        self.claimed: set[int] = set()  # id() of the vendor APIs a catalog API accounts for
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        located = self._locate_all()
        for api in self.apis:
            where = located.get(api.id)
            if where is None:
                self._api_gone(api)
                continue
            self._compare_rows(api, where)
            self._compare_editions(api, where)
        self._apis_added()
        for edition, lang in ((self.zh, "zh"), (self.en, "en")):
            if edition is not None:
                self._compare_limits(edition, lang)
        return sorted(self.findings, key=Finding.sort_key)

    # Finding each catalog API on the vendor's pages.

    def _locate_all(self) -> dict[str, Located]:
        located: dict[str, Located] = {}
        # Every API on its own page first, so that a move only takes a request line no page claims;
        # the English edition stands in where the Chinese page lacks the API (a stub).
        for edition in (self.zh, self.en):
            if edition is None:
                continue
            for find in (self._on_own_page, self._elsewhere):
                for api in self.apis:
                    where = None if api.id in located else find(api, edition)
                    if where is None:
                        continue
                    located[api.id] = where
                    if find == self._elsewhere:
                        ours = {"vendor_page": api.vendor_page, "method": api.method, "path": api.path}
                        self._add(
                            "api_moved", where.page.path, where.api.line, api.id, api.id, _api_value(where.api), ours
                        )
        return located

    def _on_own_page(self, api: Api, edition: Edition) -> Located | None:
        name = vendor_page_name(api)
        page = edition.pages.get(name) if name else None
        found = page.find((api.method, path_shape(api.path))) if page else None
        if page is None or found is None or id(found) in self.claimed:
            return None
        return self._claim(edition, page, found)

    def _elsewhere(self, api: Api, edition: Edition) -> Located | None:
        key = (api.method, path_shape(api.path))
        candidates = [(p, a) for p, a in edition.apis() if a.key == key and id(a) not in self.claimed and not a.listed]
        if len(candidates) != 1:
            return None
        return self._claim(edition, *candidates[0])

    def _claim(self, edition: Edition, page: VendorPage, found: VendorApi) -> Located:
        self.claimed.add(id(found))
        if found.tables:
            return Located(edition, page, found, found.rows, page.path, found.table_line)
        shared = self._shared_table(edition, found)
        if shared is not None:
            shared_page, shared_api = shared
            self.claimed.add(id(shared_api))
            return Located(edition, page, found, shared_api.rows, shared_page.path, shared_api.table_line)
        return Located(edition, page, found, None, page.path, None)

    def _shared_table(self, edition: Edition, found: VendorApi) -> tuple[VendorPage, VendorApi] | None:
        """The table an error section links to: the linked page's API of the same method and
        path, or its only table; else any shared error page that lists this API (the vendor's
        own link is sometimes misspelled, e.g. ``push.error.html``)."""
        linked = edition.pages.get(found.error_link) if found.error_link else None
        if linked is not None:
            same = linked.find(found.key)
            if same is not None and same.tables:
                return linked, same
            with_tables = [api for api in linked.apis if api.tables]
            if len(with_tables) == 1:
                return linked, with_tables[0]
        listings = [(p, a) for p, a in edition.apis() if a.listed and a.key == found.key and a.tables]
        return listings[0] if listings and found.error_link is not None else None

    # Rows.

    def _compare_rows(self, api: Api, where: Located) -> None:
        dropped = dropped_slugs(api)
        entries = [self.entries[slug] for slug in api.errors if slug in self.entries]
        vendor_rows = _unique_rows(where.rows or [], self._literal)
        path = where.rows_path
        for vendor_row, entry, kind in pair_rows(vendor_rows, entries, self._literal):
            if kind == "same":
                assert entry is not None and vendor_row is not None
                if entry.slug in dropped:
                    value = {"vendor_dropped": dropped[entry.slug]}
                    self._add(
                        "row_documented_again", path, vendor_row.line, entry.slug, api.id, self._row(vendor_row), value
                    )
                continue
            if kind == "row_gone":
                assert entry is not None
                if entry.slug not in dropped:
                    self._add(
                        kind, path, where.rows_line or where.api.line, entry.slug, api.id, None, _entry_value(entry)
                    )
                continue
            assert vendor_row is not None
            value = _entry_value(entry) if entry is not None else None
            catalog = entry.slug if entry is not None else api.id
            self._add(kind, path, vendor_row.line, catalog, api.id, self._row(vendor_row), value)

    def _compare_editions(self, api: Api, where: Located) -> None:
        if self.en is None or where.edition is self.en:
            return
        twin = self._english_twin(api, where)
        if twin is None or twin.rows is None or where.rows is None:
            return
        zh_rows = _unique_rows(where.rows, self._literal)
        en_rows = _unique_rows(twin.rows, self._literal)
        zh_path = where.rows_path
        en_path = twin.rows_path
        for zh_row, en_row in pair_editions(zh_rows, en_rows, self._literal):
            value = {
                "zh": self._row(zh_row) if zh_row else None,
                "zh_path": zh_path,
                "zh_line": zh_row.line if zh_row else where.rows_line,
                "en": self._row(en_row) if en_row else None,
            }
            line = en_row.line if en_row else twin.rows_line
            self._add("editions_disagree", en_path, line, api.id, api.id, value, None)

    def _english_twin(self, api: Api, where: Located) -> Located | None:
        """The English page of the same API: the same file name, else the one renamed English
        page (a name the Chinese edition lacks) whose request line has the API's method and path."""
        assert self.en is not None
        name = where.page.path.rsplit("/", 1)[-1]
        page = self.en.pages.get(name)
        found = page.find(where.api.key) if page else None
        if page is None or found is None:
            candidates = [
                (p, a)
                for p, a in self.en.apis()
                if a.key == where.api.key
                and not a.listed
                and id(a) not in self.claimed
                and not self._has_chinese_twin(p)
            ]
            if len(candidates) != 1:
                return None
            page, found = candidates[0]
        self.claimed.add(id(found))
        if found.tables:
            return Located(self.en, page, found, found.rows, page.path, found.table_line)
        shared = self._shared_table(self.en, found)
        if shared is None:
            return None
        self.claimed.add(id(shared[1]))
        return Located(self.en, page, found, shared[1].rows, shared[0].path, shared[1].table_line)

    def _has_chinese_twin(self, page: VendorPage) -> bool:
        return self.zh is not None and page.path.rsplit("/", 1)[-1] in self.zh.pages

    # APIs.

    def _api_gone(self, api: Api) -> None:
        name = vendor_page_name(api)
        if name is None or self.zh is None:
            return
        if name not in self.zh.pages and not self._edition_is_whole(self.zh):
            return  # a partial checkout: the page may simply not be part of it
        value = {"method": api.method, "path": api.path, "errors": [_entry_value(self.entries[s]) for s in api.errors]}
        self._add("api_gone", self.zh.page_path(name), None, api.id, api.id, None, value)

    def _edition_is_whole(self, edition: Edition) -> bool:
        cited = {name for api in self.apis if (name := vendor_page_name(api))}
        return bool(cited) and 2 * len(cited & edition.pages.keys()) >= len(cited)

    def _apis_added(self) -> None:
        known: dict[tuple[str, str], list[Api]] = {}
        for api in self.apis:
            known.setdefault((api.method, path_shape(api.path)), []).append(api)
        reported: set[tuple[str, str]] = set()
        for edition in (self.zh, self.en):
            if edition is None:
                continue
            for page, vendor_api in edition.apis():
                if id(vendor_api) in self.claimed or vendor_api.key in reported:
                    continue
                if edition is self.en and self._documented_in_chinese(page, vendor_api):
                    continue
                if not self._adds_something(vendor_api, known.get(vendor_api.key, [])):
                    continue
                reported.add(vendor_api.key)
                value = {**_api_value(vendor_api), "errors": [self._row(r) for r in vendor_api.rows]}
                self._add("api_added", page.path, vendor_api.line, None, None, value, None)

    def _documented_in_chinese(self, page: VendorPage, vendor_api: VendorApi) -> bool:
        twin = self.zh.pages.get(page.path.rsplit("/", 1)[-1]) if self.zh else None
        return twin is not None and twin.find(vendor_api.key) is not None

    def _adds_something(self, vendor_api: VendorApi, same_key: list[Api]) -> bool:
        """An API the catalog knows under the same method and path, described again on another
        page (the vendor keeps older combined pages), adds something only if a row is new."""
        if not same_key:
            return not vendor_api.listed
        known = {self.entries[slug].identity for api in same_key for slug in api.errors if slug in self.entries}
        return any(self._literal(row) not in known for row in vendor_api.rows)

    # Call limits.

    def _compare_limits(self, edition: Edition, lang: str) -> None:
        """Each API's limit in ``catalog/rate_limits.yaml`` (its own row, else the default) against
        its row on the edition's limits page: every part of the catalog's literal cell (parts joined
        by ``; ``) must still stand in the vendor's cell."""
        limits = self.catalog.rate_limits
        if limits is None:
            return
        rows = read_limit_rows(self.docs_dir, edition) if self.docs_dir else []
        by_key: dict[tuple[str, str], LimitRow] = {}
        for row in rows:
            by_key.setdefault(row.key, row)
        own = {row.api: row for row in limits.apis}
        for api in self.apis:
            row = by_key.get((api.method, path_shape(api.path)))
            limit = own.get(api.id, limits.default)
            text = getattr(limit.text, lang, None)
            if not text or row is None:
                continue
            if limit_parts_missing(text, row.cell):
                ours = {"limit": text, "calls_per_second": limit.calls_per_second, "default": api.id not in own}
                self._add(
                    "limit_changed", edition.page_path(LIMITS_PAGE), row.line, api.id, api.id, {"limit": row.cell}, ours
                )

    # Values.

    def _literal(self, row: VendorRow) -> tuple[Any, ...]:
        """A row's identity with its type cell read as a literal only where it can be one: a cell
        with blanks is a description ("Request path does not exist") unless the catalog knows
        that type (``Bad Request``)."""
        error = row.error
        if error is not None and " " in error and error not in self.known_types:
            error = None
        return (row.status, row.status_class, row.error_code, error, row.message)

    def _row(self, row: VendorRow) -> dict[str, Any]:
        status, status_class, error_code, error, message = self._literal(row)
        value: dict[str, Any] = {"status": status if status is not None else status_class}
        if status is None and status_class is None and error_code is None and row.status_cell:
            value["status_cell"] = row.status_cell
        if error_code is not None:
            value["error_code"] = error_code
        value["error"] = error
        if error is None and (row.error_label or row.error):
            value["error_label"] = row.error_label or row.error
        value["message"] = message
        if row.message_any:
            value["message_any"] = True
        return value

    def _add(
        self, kind: str, path: str, line: int | None, catalog: str | None, api: str | None, vendor: Any, ours: Any
    ) -> None:
        self.findings.append(Finding(kind, path, line, catalog, api, vendor, ours))


def read_limit_rows(docs_dir: Path, edition: Edition) -> list[LimitRow]:
    if LIMITS_PAGE not in edition.pages:
        return []
    raw, problem = read_catalog_bytes(docs_dir / edition.page_path(LIMITS_PAGE))
    return [] if problem or raw is None else parse_limit_tables(raw.decode("utf-8", errors="replace"))


def limit_parts_missing(text: str, cell: str) -> list[str]:
    """The parts of the catalog's short limit text the vendor's cell no longer holds (blanks
    compared collapsed: the vendor's cells wrap and pad freely)."""
    shown = " ".join(cell.split())
    return [part for part in (" ".join(p.split()) for p in text.split(";")) if part and part not in shown]


def _api_value(api: VendorApi) -> dict[str, Any]:
    return {"method": api.method, "path": api.path, "title": api.title}


def _entry_value(entry: ErrorEntry) -> dict[str, Any]:
    value: dict[str, Any] = {
        "slug": entry.slug,
        "status": entry.status if entry.status is not None else entry.status_class,
    }
    if entry.error_code is not None:
        value["error_code"] = entry.error_code
    value["error"] = entry.error
    value["message"] = entry.message
    if former_messages(entry):
        value["former_messages"] = former_messages(entry)
    return value


def _unique_rows(rows: Iterable[VendorRow], literal: Any) -> list[VendorRow]:
    """The vendor's rows without its repeats (a table listing the same row twice)."""
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for row in rows:
        if literal(row) not in seen:
            seen.add(literal(row))
            unique.append(row)
    return unique


def pair_rows(
    vendor_rows: list[VendorRow], entries: list[ErrorEntry], literal: Any
) -> list[tuple[VendorRow | None, ErrorEntry | None, str]]:
    """Pair the vendor's rows with the API's entries: (row, entry, kind) in the vendor's order,
    the catalog's leftovers (``row_gone``) last."""
    left_rows = list(vendor_rows)
    left_entries = list(entries)
    pairs: list[tuple[VendorRow | None, ErrorEntry | None, str]] = []

    def take(kind: str, same: Any) -> None:
        for row in list(left_rows):
            match = next((e for e in left_entries if same(literal(row), e)), None)
            if match is not None:
                left_rows.remove(row)
                left_entries.remove(match)
                pairs.append((row, match, kind))

    take("same", lambda r, e: r == e.identity)
    take("status_changed", lambda r, e: r[3:] == e.identity[3:] and r[2] == e.error_code)
    take("type_changed", lambda r, e: r[:3] == e.identity[:3] and r[4] == e.message)
    take("message_changed", lambda r, e: r[:4] == e.identity[:4] and r[4] in former_messages(e))
    take("message_changed", lambda r, e: r[:4] == e.identity[:4])
    pairs += [(row, None, "row_added") for row in left_rows]
    pairs += [(None, entry, "row_gone") for entry in left_entries]
    order = {id(row): index for index, row in enumerate(vendor_rows)}
    return sorted(pairs, key=lambda p: (p[0] is None, order.get(id(p[0]), 0)))


def pair_editions(
    zh_rows: list[VendorRow], en_rows: list[VendorRow], literal: Any
) -> list[tuple[VendorRow | None, VendorRow | None]]:
    """The rows on which the two editions disagree, paired where only one field differs."""
    zh_left, en_left = list(zh_rows), list(en_rows)
    for zh_row in list(zh_left):
        twin = next((r for r in en_left if literal(r) == literal(zh_row)), None)
        if twin is not None:
            zh_left.remove(zh_row)
            en_left.remove(twin)
    pairs: list[tuple[VendorRow | None, VendorRow | None]] = []
    for zh_row in list(zh_left):
        a = literal(zh_row)
        twin = next((r for r in en_left if sum(x != y for x, y in zip(a, literal(r), strict=True)) == 1), None)
        if twin is not None:
            en_left.remove(twin)
        pairs.append((zh_row, twin))
    pairs += [(None, row) for row in en_left]
    return pairs


# Acknowledgements.


def load_acknowledgements(path: Path) -> tuple[list[Acknowledgement], list[Problem]]:
    """The catalog's acknowledged findings; every problem at its ``path:line:col``."""
    if not path.exists():
        return [], []
    document, problems = load_yaml_file(path)
    if problems or document.data is None:
        return [], problems
    data = document.data
    if not isinstance(data, dict) or set(data) != {"acknowledged"} or not isinstance(data["acknowledged"], list):
        return [], [document.problem((), "expected a mapping with one key, `acknowledged`: a list of findings")]
    acknowledgements = []
    for index, item in enumerate(data["acknowledged"]):
        found = _acknowledgement(document, index, item)
        if isinstance(found, Acknowledgement):
            acknowledgements.append(found)
        else:
            problems += found
    return acknowledgements, sorted(problems, key=Problem.sort_key)


def _acknowledgement(document: Document, index: int, item: Any) -> Acknowledgement | list[Problem]:
    at = ("acknowledged", index)
    if not isinstance(item, dict):
        return [document.problem(at, "expected a mapping with kind, vendor_path, catalog and reason")]
    problems = [
        document.problem((*at, key), f"unknown key {key!r}; expected kind, vendor_path, catalog, reason", of_key=True)
        for key in item
        if key not in ("kind", "vendor_path", "catalog", "reason")
    ]
    problems += [
        document.problem(at, f"missing key {key!r}")
        for key in ("kind", "vendor_path", "catalog", "reason")
        if key not in item
    ]
    kind, vendor_path, catalog, reason = (item.get(k) for k in ("kind", "vendor_path", "catalog", "reason"))
    if "kind" in item and kind not in KINDS[:-1]:
        problems.append(
            document.problem((*at, "kind"), f"{kind!r} is not a finding kind; one of {', '.join(KINDS[:-1])}")
        )
    if "vendor_path" in item and not (
        isinstance(vendor_path, str) and vendor_path.startswith((ZH_FOLDER + "/", EN_FOLDER + "/"))
    ):
        problems.append(
            document.problem((*at, "vendor_path"), f"expected a page path under {ZH_FOLDER}/ or {EN_FOLDER}/")
        )
    if "catalog" in item and catalog is not None and not isinstance(catalog, str):
        problems.append(document.problem((*at, "catalog"), "expected an entry slug, an API id or null"))
    if "reason" in item and not (isinstance(reason, str) and reason.strip()):
        problems.append(
            document.problem(
                (*at, "reason"), "an acknowledgement needs its reason: say why the catalog keeps its value"
            )
        )
    if problems:
        return problems
    return Acknowledgement(kind, vendor_path, catalog, reason, document.position(at).line)


def apply_acknowledgements(
    findings: list[Finding], acknowledgements: list[Acknowledgement], ack_path: str
) -> list[Finding]:
    """Mark the acknowledged findings; add one finding per acknowledgement that matches none."""
    stale = []
    for ack in acknowledgements:
        matched = [f for f in findings if ack.matches(f)]
        for finding in matched:
            finding.acknowledged = ack.reason
        if not matched:
            value = {"kind": ack.kind, "acknowledged_at": f"{ack_path}:{ack.line}", "reason": ack.reason}
            stale.append(Finding(STALE_KIND, ack.vendor_path, None, ack.catalog, None, None, value))
    return sorted([*findings, *stale], key=Finding.sort_key)


class DocsDirError(Exception):
    """DOCS_DIR is no checkout of the vendor's doc repository."""


def check_drift(catalog: Catalog, catalog_dir: Path, docs_dir: Path) -> tuple[DriftReport, list[Problem]]:
    """Read DOCS_DIR's editions and compare them with ``catalog``; problems are the
    acknowledgement file's (the report is then not made)."""
    acknowledgements, problems = load_acknowledgements(catalog_dir / ACKNOWLEDGED_FILE)
    if problems:
        return DriftReport(), problems
    if not docs_dir.is_dir():
        raise DocsDirError(f"{display_path(docs_dir)} is not a folder; pass a checkout of the vendor's doc repository")
    zh, en = read_edition(docs_dir, ZH_FOLDER), read_edition(docs_dir, EN_FOLDER)
    if zh is None and en is None:
        raise DocsDirError(
            f"{display_path(docs_dir)} has neither {ZH_FOLDER}/ nor {EN_FOLDER}/; "
            "pass a checkout of the vendor's doc repository"
        )
    findings = DriftCheck(catalog, zh, en, docs_dir).run()
    ack_path = display_path(catalog_dir / ACKNOWLEDGED_FILE)
    findings = apply_acknowledgements(findings, acknowledgements, ack_path)
    return DriftReport(findings, [e.folder for e in (zh, en) if e is not None]), []


# Reports.


def report_json(report: DriftReport) -> list[dict[str, Any]]:
    return [finding.as_json() for finding in report.findings]


def format_text(report: DriftReport, ui: UiText) -> list[str]:
    """The report as terminal lines: one group per heading, each finding ``path:line: kind: ...``."""
    if not report.findings:
        return [ui("upstream.no_drift", editions=", ".join(report.editions) or "-")]
    lines = []
    for group, kinds in GROUPS:
        found = [f for f in report.findings if f.kind in kinds]
        if not found:
            continue
        lines.append(ui(f"upstream.group_{group}", count=len(found)))
        lines += [terminal_safe(_finding_line(f, ui)) for f in found]
        lines.append("")
    lines.append(ui("upstream.summary", findings=len(report.findings), unacknowledged=len(report.unacknowledged)))
    return lines


def _finding_line(finding: Finding, ui: UiText) -> str:
    where = f"{finding.vendor_path}:{finding.line}" if finding.line else finding.vendor_path
    subject = finding.catalog or "-"
    if finding.api and finding.api != finding.catalog:
        subject += f" ({finding.api})"
    text = f"{where}: {finding.kind}: {subject}: {ui('upstream.vendor')} {_shown(finding.vendor_value)}; "
    text += f"{ui('upstream.catalog')} {_shown(finding.catalog_value)}"
    if finding.acknowledged:
        text += f" [{ui('upstream.acknowledged')} {finding.acknowledged}]"
    return text


def _shown(value: Any) -> str:
    """A value in one line: rows as ``status error "message"``, APIs as ``METHOD path``."""
    if value is None:
        return "-"
    if isinstance(value, dict) and "method" in value:
        page = f" @ {value['vendor_page']}" if "vendor_page" in value else ""
        return f"{value['method']} {value['path']}{page}"
    if isinstance(value, dict) and {"status", "message"} <= value.keys():
        status = value["status"] if value["status"] is not None else value.get("status_cell", "-")
        code = f" [{value['error_code']}]" if "error_code" in value else ""
        error = value.get("error") or (f"({value['error_label']})" if value.get("error_label") else "-")
        message = f'"{value["message"]}"' if value.get("message") is not None else "-"
        return f"{status}{code} {error} {message}"
    if isinstance(value, dict) and "en" in value:
        return f"zh {_shown(value['zh'])} | en {_shown(value['en'])}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_shown(v) if isinstance(v, dict) else v}" for k, v in value.items())
    return str(value)


def format_markdown(report: DriftReport, ui: UiText) -> str:
    """The report for a GitHub issue: the text report in a code block, so no vendor or catalog
    text becomes a link, a mention or markup."""
    lines = format_text(report, ui)
    block = "\n".join(lines)
    fence = "`" * max(3, _longest_backtick_run(block) + 1)
    summary = ui("upstream.issue_intro", unacknowledged=len(report.unacknowledged), findings=len(report.findings))
    return "\n".join([f"## {ui('upstream.issue_title')}", "", summary, "", fence + "text", block, fence, ""])


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for character in text:
        run = run + 1 if character == "`" else 0
        longest = max(longest, run)
    return longest
