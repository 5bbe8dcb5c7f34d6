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

from generator.examples import ExampleResponse, example_response
from generator.model import (
    ALL_MODULES,
    Api,
    Catalog,
    Category,
    ErrorEntry,
    HttpStatus,
    LocalizedText,
    Module,
    RateLimit,
    RateLimits,
)
from generator.relations import ApiRef, CatalogRelations
from generator.ui import UiText, ui_text
from generator.urls import RATE_LIMITS_STATUS, category_uri, entry_twin_path, entry_uri, module_uri, status_uri


def in_language(text: LocalizedText, lang: str) -> str:
    """The text in ``lang``; Chinese where a text has no twin yet."""
    return (text.en if lang == "en" else None) or text.zh


def first_sentence(text: str) -> str:
    """The first sentence of prose, for one-line summaries in tables."""
    one_line = " ".join(text.split())
    match = re.match(r"(.+?[。！？]|.+?[.!?](?=\s|$))", one_line)
    return match.group(1) if match else one_line


# Characters of prose a page's meta description quotes: search engines show about 150.
DESCRIPTION_PROSE_LIMIT = 150


def plain_prose(text: str) -> str:
    """Prose without its `backtick` marks (an unpaired backtick is just a character), on one line."""
    parts = " ".join(text.split()).split("`")
    return "".join(parts) if len(parts) % 2 else "`".join(parts)


def clipped(text: str, limit: int = DESCRIPTION_PROSE_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters (code points, never half of one), at the end of
    a word when one ends in its last third, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:，、；：") + "…"


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
    explains_rate_limits: bool  # the page holds the section on the vendor's call limits
    description: str  # the page's meta description


@dataclass(frozen=True)
class ModuleView:
    key: str
    name: str
    covers: str
    uri: str
    description: str


@dataclass(frozen=True)
class RateLimitView:
    """An API's call limit as readers see it: the vendor's cell, or the default, saying so."""

    text: str  # the vendor's cell, byte-exact
    shown: str  # what a table cell shows: the cell, marked as the default where it is
    is_default: bool
    calls_per_second: int | None
    counts: str | None  # calls, messages, messages+calls; None without a per-second number
    scope: str | None  # which calls count (REST only, or REST and client); None for the default
    addon: str | None  # the vendor's add-on package cell, with its label
    note: str | None  # our note (prose with `code`)


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
    rate_limit: RateLimitView | None  # None when the catalog has no rate_limits.yaml


@dataclass(frozen=True)
class RateLimitKind:
    """One kind of limit on the 429 page, with how many APIs have it."""

    text: str
    count: int


@dataclass(frozen=True)
class RateLimitsView:
    """The section of the 429 page on the vendor's call limits."""

    default: str
    counting: str
    period: str
    vendor_title: str
    vendor_url: str
    kinds: list[RateLimitKind]
    own_limits: list[ApiView]  # the APIs whose limit is not the default's
    related: list[EntryView]  # entries that report such a limit under another status


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
    description: str


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
    description: str  # the page's meta description: the title and the start of the cause
    category: CategoryView
    modules: list[str]  # module keys, or ["all"]
    modules_text: str
    retry: str
    retry_text: str
    cause: str
    remedy: str
    remedy_summary: str
    drift_note: str | None
    example: ExampleResponse | None  # the status line and a JSON body with sample values
    former_messages: list[FormerMessageView]
    vendor_dropped: list[DroppedView]
    about_rate_limits: bool  # a 429 or a related entry: its page names the limits of its APIs


class SiteViews:
    """The views of one catalog in one language; ``views.of(entry)`` and the like in templates."""

    def __init__(self, catalog: Catalog, rel: CatalogRelations, lang: str):
        self.lang = lang
        self.ui: UiText = ui_text(lang)
        self._status_of = {status.code: status for status in catalog.statuses}
        self._has_limits = catalog.rate_limits is not None
        self.statuses = {s.code: self._status(s) for s in catalog.statuses}
        self.modules = {m.key: self._module(m) for m in catalog.modules}
        self.categories = {c.key: self._category(c) for c in catalog.categories}
        limits = catalog.rate_limits
        rows = {row.api: row for row in limits.apis} if limits else {}
        default_limit = self._default_limit(limits) if limits else None
        self.apis: dict[str, ApiView] = {
            api.id: self._api(api, self.modules[key], self._rate_limit(rows.get(api.id), default_limit))
            for key, apis in rel.apis_by_module.items()
            for api in apis
        }
        self.dropped: dict[str, list[DroppedView]] = {}
        for apis in rel.apis_by_module.values():
            for api in apis:
                for row in api.vendor_dropped:
                    view = DroppedView(self.apis[api.id], row.checked, self.text(row.note))
                    self.dropped.setdefault(row.entry, []).append(view)
        related = set(limits.related_entries) if limits else set()
        self.entries = {
            e.slug: self._entry(e, rel, limits is not None and self._about_limits(e, related)) for e in catalog.entries
        }
        self.rate_limits = self._rate_limits(limits) if limits else None

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

    def described(self, title: str, prose: str) -> str:
        """A meta description: a page's title, then the start of its prose as plain text."""
        return self.ui("meta.described", title=title, text=clipped(plain_prose(prose)))

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
            explains_rate_limits=status.code == RATE_LIMITS_STATUS and self._has_limits,
            description=self.described(f"{status.code} {status.reason}", self.text(status.summary)),
        )

    def _module(self, module: Module) -> ModuleView:
        name, covers = self.text(module.name), self.text(module.covers)
        return ModuleView(
            key=module.key,
            name=name,
            covers=covers,
            uri=module_uri(module.key),
            description=self.ui("meta.module", name=name, covers=clipped(plain_prose(covers))),
        )

    def _category(self, category: Category) -> CategoryView:
        return CategoryView(
            key=category.key,
            title=self.text(category.title),
            summary=self.text(category.summary),
            details=[self.text(d) for d in category.details],
            uri=category_uri(category.key),
            description=self.described(self.text(category.title), self.text(category.summary)),
        )

    def _api(self, api: Api, module: ModuleView, rate_limit: RateLimitView | None) -> ApiView:
        return ApiView(
            id=api.id,
            module=module,
            title=self.text(api.title),
            method=api.method,
            path=api.path,
            query=api.query,
            vendor_page=api.vendor_page,
            anchor=api.id,
            rate_limit=rate_limit,
        )

    def _default_limit(self, limits: RateLimits) -> RateLimitView:
        """The limit of every API without a row of its own; one view shared by all of them."""
        text = self.text(limits.default.text)
        return RateLimitView(
            text=text,
            shown=self.ui("rate_limit.default_cell", text=text),
            is_default=True,
            calls_per_second=limits.default.calls_per_second,
            counts="calls",
            scope=None,
            addon=None,
            note=None,
        )

    def _rate_limit(self, row: RateLimit | None, default: RateLimitView | None) -> RateLimitView | None:
        """An API's row, or the default where it has none (None: the catalog has no limits)."""
        if row is None:
            return default
        text = self.text(row.text)
        return RateLimitView(
            text=text,
            shown=text,
            is_default=False,
            calls_per_second=row.calls_per_second,
            counts=row.counts,
            scope=self.ui("rate_limit.scope_rest_only" if row.rest_only else "rate_limit.scope_with_client"),
            addon=self.ui("rate_limit.addon", text=self.text(row.addon)) if row.addon else None,
            note=self.text(row.note),
        )

    @staticmethod
    def _about_limits(entry: ErrorEntry, related: set[str]) -> bool:
        return entry.status == RATE_LIMITS_STATUS or entry.slug in related

    def _rate_limits(self, limits: RateLimits) -> RateLimitsView:
        shown = [api.rate_limit for api in self.apis.values() if api.rate_limit is not None]
        own = [limit for limit in shown if not limit.is_default]
        kinds = {
            "rate_limit.kind_calls": sum(limit.counts == "calls" for limit in own),
            "rate_limit.kind_messages": sum(limit.counts == "messages" for limit in own),
            "rate_limit.kind_both": sum(limit.counts == "messages+calls" for limit in own),
            "rate_limit.kind_period": sum(limit.calls_per_second is None for limit in own),
            "rate_limit.kind_default": len(shown) - len(own),
            "rate_limit.kind_addon": sum(limit.addon is not None for limit in own),
        }
        default = self.text(limits.default.text)
        return RateLimitsView(
            default=default,
            counting=self.text(limits.counting),
            period=self.text(limits.period),
            vendor_title=self.text(limits.vendor_page.title),
            vendor_url=limits.vendor_page.url,
            kinds=[RateLimitKind(self.ui(key, count=count), count) for key, count in kinds.items() if count],
            # A row that only repeats the default's numbers is no news on the 429 page.
            own_limits=[
                api
                for api in self.apis.values()
                if api.rate_limit is not None
                and not api.rate_limit.is_default
                # the vendor ends some cells with a full stop
                and (api.rate_limit.text.rstrip("。."), api.rate_limit.counts) != (default, "calls")
            ],
            related=[self.entries[slug] for slug in limits.related_entries],
        )

    def _entry(self, entry: ErrorEntry, rel: CatalogRelations, about_rate_limits: bool) -> EntryView:
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
        cause = self.text(entry.cause)
        title = f"{status_text} {error_named}: {message_named}"
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
            title=title,
            description=self.described(title, first_sentence(cause)),
            category=self.categories[entry.category],
            modules=modules,
            modules_text=self.modules_text(modules),
            retry=retry,
            retry_text=ui(f"retry.{retry}"),
            cause=cause,
            remedy=remedy,
            remedy_summary=first_sentence(remedy),
            drift_note=self.text(entry.drift_note),
            example=example_response(entry, self._status_of.get(entry.status) if entry.status is not None else None),
            former_messages=[
                FormerMessageView(former.message, former.until, self.text(former.note))
                for former in entry.former_messages
            ],
            vendor_dropped=self.dropped.get(entry.slug, []),
            about_rate_limits=about_rate_limits,
        )
