"""The presentation layer: every fact of the catalog as readers see it, computed once per build.

A view holds the texts of one language with their stand-ins for facts the vendor's docs leave
out, the page's URL and the retry verdict, so every page, ``catalog.json``, the browser scripts
and the CLI show one wording per fact. Literal API strings stay as they are (``error``,
``message``, paths); templates escape them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.model import ALL_MODULES, Api, Catalog, Category, ErrorEntry, HttpStatus, LocalizedText, Module
from generator.relations import ApiRef, CatalogRelations
from generator.ui import UiText, ui_text
from generator.urls import category_uri, entry_twin_path, entry_uri, module_uri, status_uri


def in_language(text: LocalizedText, lang: str) -> str:
    """The text in ``lang``; Chinese where a text has no twin yet."""
    return (text.en if lang == "en" else None) or text.zh


def first_sentence(text: str) -> str:
    """The first sentence of prose, for one-line summaries in tables."""
    one_line = " ".join(text.split())
    match = re.match(r"(.+?[。！？]|.+?[.!?](?=\s|$))", one_line)
    return match.group(1) if match else one_line


@dataclass(frozen=True)
class StatusView:
    code: int
    reason: str
    label: str
    summary: str
    cases: list[str]
    retry: str  # the policy: never, with_backoff, not_applicable
    retry_text: str
    retry_note: str
    uri: str
    title: str


@dataclass(frozen=True)
class ModuleView:
    key: str
    name: str
    covers: str
    uri: str


@dataclass(frozen=True)
class ApiView:
    id: str
    module: ModuleView
    title: str
    method: str
    path: str
    query: str | None
    vendor_page: str
    anchor: str


@dataclass(frozen=True)
class FormerMessageView:
    message: str
    until: str
    note: str


@dataclass(frozen=True)
class DroppedView:
    """An API of an entry whose newest vendor page no longer lists the entry."""

    api: ApiView
    checked: str
    note: str


@dataclass(frozen=True)
class CategoryView:
    key: str
    title: str
    summary: str
    details: list[str]
    uri: str


@dataclass(frozen=True)
class EntryView:
    """One error as readers see it.

    ``*_text`` is the literal value or the short stand-in for a table cell (the column says which
    field it is); ``*_named`` also says which field is missing (titles, the lookup's results);
    ``*_explained`` is the facts table's wording of what the vendor's docs give instead.
    """

    slug: str
    uri: str
    twin: str  # the site path of the page's Markdown twin (machine_readable)
    status: int | None
    status_text: str
    status_explained: str | None
    error: str | None
    error_text: str
    error_named: str
    error_explained: str | None
    message: str | None
    message_text: str
    message_named: str
    message_explained: str | None
    title: str
    category: CategoryView
    modules: list[str]  # module keys, or ["all"]
    modules_text: str
    retry: str
    retry_text: str
    cause: str
    remedy: str
    remedy_summary: str
    drift_note: str | None
    former_messages: list[FormerMessageView]
    vendor_dropped: list[DroppedView]


class SiteViews:
    """The views of one catalog in one language; ``views.of(entry)`` and the like in templates."""

    def __init__(self, catalog: Catalog, rel: CatalogRelations, lang: str):
        self.lang = lang
        self.ui: UiText = ui_text(lang)
        self.statuses = {s.code: self._status(s) for s in catalog.statuses}
        self.modules = {m.key: self._module(m) for m in catalog.modules}
        self.categories = {c.key: self._category(c) for c in catalog.categories}
        self.apis: dict[str, ApiView] = {
            api.id: self._api(api, self.modules[key]) for key, apis in rel.apis_by_module.items() for api in apis
        }
        self.dropped: dict[str, list[DroppedView]] = {}
        for apis in rel.apis_by_module.values():
            for api in apis:
                for row in api.vendor_dropped:
                    view = DroppedView(self.apis[api.id], row.checked, self.text(row.note))
                    self.dropped.setdefault(row.entry, []).append(view)
        self.entries = {e.slug: self._entry(e, rel) for e in catalog.entries}

    def of(self, item: Any) -> Any:
        """The view of a catalog object (entry, status, module, category, API or an ApiRef)."""
        if isinstance(item, ErrorEntry):
            return self.entries[item.slug]
        if isinstance(item, HttpStatus):
            return self.statuses[item.code]
        if isinstance(item, Module):
            return self.modules[item.key]
        if isinstance(item, Category):
            return self.categories[item.key]
        if isinstance(item, Api):
            return self.apis[item.id]
        if isinstance(item, ApiRef):
            return self.apis[item.api.id]
        raise TypeError(f"no view for {type(item).__name__}")

    def text(self, text: LocalizedText | None) -> str | None:
        return in_language(text, self.lang) if text is not None else None

    def modules_text(self, keys: list[str]) -> str:
        if ALL_MODULES in keys:
            return self.ui("stand_in.all_apis")
        return self.ui("list.separator").join(self.modules[key].name for key in keys)

    def _status(self, status: HttpStatus) -> StatusView:
        return StatusView(
            code=status.code,
            reason=status.reason,
            label=self.text(status.label),
            summary=self.text(status.summary),
            cases=[self.text(case) for case in status.cases],
            retry=status.retry,
            retry_text=self.ui(f"retry.{status.retry}"),
            retry_note=self.text(status.retry_note),
            uri=status_uri(status.code),
            title=f"{status.code} {status.reason}",
        )

    def _module(self, module: Module) -> ModuleView:
        return ModuleView(
            key=module.key, name=self.text(module.name), covers=self.text(module.covers), uri=module_uri(module.key)
        )

    def _category(self, category: Category) -> CategoryView:
        return CategoryView(
            key=category.key,
            title=self.text(category.title),
            summary=self.text(category.summary),
            details=[self.text(d) for d in category.details],
            uri=category_uri(category.key),
        )

    def _api(self, api: Api, module: ModuleView) -> ApiView:
        return ApiView(
            id=api.id,
            module=module,
            title=self.text(api.title),
            method=api.method,
            path=api.path,
            query=api.query,
            vendor_page=api.vendor_page,
            anchor=api.id,
        )

    def _entry(self, entry: ErrorEntry, rel: CatalogRelations) -> EntryView:
        ui = self.ui
        if entry.status is not None:
            status_text, status_explained = str(entry.status), None
        elif entry.error_code is not None:
            status_text = ui("stand_in.status_internal_code", code=entry.error_code)
            status_explained = ui("stand_in.status_internal_code_explained", code=entry.error_code)
        else:
            status_text = entry.status_class or ""
            status_explained = ui("stand_in.status_class_explained", status_class=entry.status_class)
        if entry.error is not None:
            error_text = error_named = entry.error
            error_explained = None
        elif entry.error_label is not None:
            label = self.text(entry.error_label)
            error_text = error_named = ui("stand_in.error_label", label=label)
            error_explained = ui("stand_in.error_label_explained", label=label)
        else:
            error_text, error_named = ui("stand_in.error_missing"), ui("stand_in.error_missing_named")
            error_explained = ui("stand_in.error_missing_explained")
        if entry.message is not None:
            message_text = message_named = entry.message
            message_explained = None
        elif entry.message_any:
            message_text, message_named = ui("stand_in.message_any"), ui("stand_in.message_any_named")
            message_explained = ui("stand_in.message_any_explained")
        else:
            message_text, message_named = ui("stand_in.message_missing"), ui("stand_in.message_missing_named")
            message_explained = ui("stand_in.message_missing_explained")
        retry = rel.retry_policy(entry)
        remedy = self.text(entry.remedy)
        modules = rel.entry_modules[entry.slug]
        return EntryView(
            slug=entry.slug,
            uri=entry_uri(entry.slug),
            twin=entry_twin_path(entry.slug),
            status=entry.status,
            status_text=status_text,
            status_explained=status_explained,
            error=entry.error,
            error_text=error_text,
            error_named=error_named,
            error_explained=error_explained,
            message=entry.message,
            message_text=message_text,
            message_named=message_named,
            message_explained=message_explained,
            title=f"{status_text} {error_named}: {message_named}",
            category=self.categories[entry.category],
            modules=modules,
            modules_text=self.modules_text(modules),
            retry=retry,
            retry_text=ui(f"retry.{retry}"),
            cause=self.text(entry.cause),
            remedy=remedy,
            remedy_summary=first_sentence(remedy),
            drift_note=self.text(entry.drift_note),
            former_messages=[
                FormerMessageView(former.message, former.until, self.text(former.note))
                for former in entry.former_messages
            ],
            vendor_dropped=self.dropped.get(entry.slug, []),
        )
