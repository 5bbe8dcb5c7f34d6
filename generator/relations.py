"""Derived views of a checked catalog: which APIs list an entry, which entries a module has, ...

Computed once per build so templates never scan the whole catalog per page (the site must grow
linearly with the number of entries).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from generator.model import ALL_MODULES, Api, Catalog, ErrorEntry, HttpStatus, Module


@dataclass(frozen=True)
class ApiRef:
    """An API together with the module whose file lists it."""

    module: Module
    api: Api


@dataclass(frozen=True)
class TypeGroup:
    error: str | None
    anchor: str
    entries: list[ErrorEntry]


@dataclass(frozen=True)
class StatusGroup:
    status: int | None
    anchor: str
    types: list[TypeGroup]


@dataclass
class CatalogRelations:
    catalog: Catalog
    statuses: dict[int, HttpStatus] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    entries: dict[str, ErrorEntry] = field(default_factory=dict)
    apis_by_module: dict[str, list[Api]] = field(default_factory=dict)
    occurrences: dict[str, list[ApiRef]] = field(default_factory=dict)
    entry_modules: dict[str, list[str]] = field(default_factory=dict)
    entries_by_module: dict[str, list[ErrorEntry]] = field(default_factory=dict)
    all_api_entries: list[ErrorEntry] = field(default_factory=list)
    entries_by_status: dict[int | None, list[ErrorEntry]] = field(default_factory=dict)
    entries_by_category: dict[str, list[ErrorEntry]] = field(default_factory=dict)
    entries_by_type: dict[str | None, list[ErrorEntry]] = field(default_factory=dict)
    type_anchors: dict[str | None, str] = field(default_factory=dict)
    message_siblings: dict[str, list[ErrorEntry]] = field(default_factory=dict)

    @classmethod
    def build(cls, catalog: Catalog) -> CatalogRelations:
        rel = cls(catalog)
        rel.statuses = {s.code: s for s in catalog.statuses}
        rel.modules = {m.key: m for m in catalog.modules}
        rel.entries = {e.slug: e for e in catalog.entries}
        module_order = {m.key: i for i, m in enumerate(catalog.modules)}

        apis_by_module: dict[str, list[Api]] = defaultdict(list)
        for api_file in sorted(catalog.api_files, key=lambda f: module_order.get(f.module, len(module_order))):
            apis_by_module[api_file.module].extend(api_file.apis)
        rel.apis_by_module = dict(apis_by_module)

        occurrences: dict[str, list[ApiRef]] = defaultdict(list)
        for key, apis in rel.apis_by_module.items():
            for api in apis:
                for slug in api.errors:
                    occurrences[slug].append(ApiRef(rel.modules[key], api))
        rel.occurrences = {e.slug: occurrences.get(e.slug, []) for e in catalog.entries}

        by_module: dict[str, list[ErrorEntry]] = defaultdict(list)
        by_status: dict[int | None, list[ErrorEntry]] = defaultdict(list)
        by_category: dict[str, list[ErrorEntry]] = defaultdict(list)
        by_type: dict[str | None, list[ErrorEntry]] = defaultdict(list)
        by_message: dict[str, list[ErrorEntry]] = defaultdict(list)
        for entry in catalog.entries:
            keys = list(dict.fromkeys([*entry.modules, *(ref.module.key for ref in rel.occurrences[entry.slug])]))
            if ALL_MODULES in keys:
                keys = [ALL_MODULES]
                rel.all_api_entries.append(entry)
            else:
                keys.sort(key=lambda k: module_order.get(k, len(module_order)))
                for key in keys:
                    by_module[key].append(entry)
            rel.entry_modules[entry.slug] = keys
            by_status[entry.status].append(entry)
            by_category[entry.category].append(entry)
            by_type[entry.error].append(entry)
            if entry.message is not None:
                by_message[entry.message].append(entry)
        rel.entries_by_module = {m.key: by_module.get(m.key, []) for m in catalog.modules}
        rel.entries_by_status = {
            status: sorted(entries, key=lambda e: (e.error is None, (e.error or "").lower(), e.message or ""))
            for status, entries in by_status.items()
        }
        rel.entries_by_category = {c.key: by_category.get(c.key, []) for c in catalog.categories}
        rel.entries_by_type = dict(sorted(by_type.items(), key=lambda item: (item[0] is None, (item[0] or "").lower())))
        rel.type_anchors = _type_anchors(rel.entries_by_type)
        rel.message_siblings = {
            e.slug: [o for o in by_message.get(e.message or "", []) if o.slug != e.slug] for e in catalog.entries
        }
        return rel

    def retry_policy(self, entry: ErrorEntry) -> str:
        if entry.retry:
            return entry.retry
        status = self.statuses.get(entry.status) if entry.status is not None else None
        return status.retry if status else "never"

    def shared_entries(self, module_key: str) -> list[ErrorEntry]:
        """Entries of this module that other modules' APIs list too."""
        return [e for e in self.entries_by_module[module_key] if len(self.entry_modules[e.slug]) > 1]

    def entries_without_api(self, module_key: str) -> list[ErrorEntry]:
        """Entries assigned to the module that none of its APIs lists (e.g. seed-only errors)."""
        listed = {slug for api in self.apis_by_module.get(module_key, []) for slug in api.errors}
        return [e for e in self.entries_by_module[module_key] if e.slug not in listed]

    def same_type(self, entry: ErrorEntry, limit: int) -> tuple[list[ErrorEntry], int]:
        """Up to ``limit`` other entries with this entry's error type, and how many there are."""
        if entry.error is None:
            return [], 0
        others = self.entries_by_type[entry.error]
        shown = [o for o in others[: limit + 1] if o.slug != entry.slug][:limit]
        return shown, len(others) - 1

    def api_entries(self, api: Api) -> list[ErrorEntry]:
        return [self.entries[slug] for slug in api.errors]

    def modules_of(self, entries: list[ErrorEntry]) -> list[str]:
        """The module keys (or "all") these entries belong to, in module order, each once."""
        keys = dict.fromkeys(key for entry in entries for key in self.entry_modules[entry.slug])
        order = {m.key: i for i, m in enumerate(self.catalog.modules)}
        return sorted(keys, key=lambda k: order.get(k, -1))

    def remedy_groups(self) -> list[StatusGroup]:
        """Entries grouped by HTTP status (missing last), then error type; with unique anchors."""
        groups: list[StatusGroup] = []
        by_status = sorted(self.entries_by_status.items(), key=lambda item: (item[0] is None, item[0] or 0))
        for status, entries in by_status:
            status_anchor = f"status-{status if status is not None else 'none'}"
            by_type: dict[str | None, list[ErrorEntry]] = defaultdict(list)
            for entry in entries:
                by_type[entry.error].append(entry)
            types = [
                TypeGroup(error_type, f"{status_anchor}-{self.type_anchors[error_type]}", by_type[error_type])
                for error_type in sorted(by_type, key=lambda t: (t is None, (t or "").lower(), t or ""))
            ]
            groups.append(StatusGroup(status, status_anchor, types))
        return groups

    def sorted_entries(self) -> list[ErrorEntry]:
        """All entries by status (missing statuses last), then error type and message."""
        return sorted(
            self.catalog.entries,
            key=lambda e: (e.status is None, e.status or 0, (e.error or "").lower(), e.message or ""),
        )


def _type_anchors(types: dict[str | None, list[ErrorEntry]]) -> dict[str | None, str]:
    """Readable, unique anchors for error types: 'Bad Request' and 'Bad request' must not collide."""
    anchors: dict[str | None, str] = {}
    used: set[str] = set()
    for error_type in types:
        base = "type-" + (re.sub(r"[^a-z0-9]+", "-", error_type.lower()).strip("-") if error_type else "none")
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        anchors[error_type] = anchor
    return anchors
