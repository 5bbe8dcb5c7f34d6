"""Catalog -> ``catalog.json``: every entry with its matching data and permanent URL; no I/O.

Published at the site root on every build and written by ``python -m generator export``. The
lookup page and ``python -m generator explain`` both match against this one document. Its JSON
Schema comes from the models below.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator import urls
from generator.match import path_pattern
from generator.message_template import literal_template, template_pieces, template_regex
from generator.model import Catalog
from generator.relations import CatalogRelations
from generator.views import ApiView, SiteViews

EXPORT_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExportText(_Frozen):
    zh: str
    en: str | None = None


class ExportApi(_Frozen):
    id: str
    module: str
    title: str
    method: str
    path: str
    url: str = Field(description="The entry of this API on its module page")


class ExportRateLimit(_Frozen):
    """An API's call limit as the edition shows it."""

    text: str = Field(description="The vendor's limit cell, in the edition's language")
    shown: str = Field(description="What the site shows: the cell, marked where it is the default")
    is_default: bool = Field(description="The vendor's table has no row for this API: the default applies")
    addon: str | None = Field(description="The add-on package the vendor offers on top, with its label")
    note: str | None = Field(description="The site's note on this limit (prose; `backticks` mark code)")


class ExportRequestApi(_Frozen):
    """An API a pasted request line can name: the lookup finds it by method and path pattern."""

    id: str
    module: str
    title: str
    method: str
    path: str
    path_pattern: list[str | None] = Field(
        description="The path's segments: a literal segment, or null for a placeholder that matches any one segment"
    )
    url: str = Field(description="The entry of this API on its module page")
    rate_limit: ExportRateLimit | None = Field(description="Its call limit; null when the catalog has none")


class ExportShown(_Frozen):
    """How the site shows the entry's status, type and message: the literal, or what stands in for it."""

    status: str
    error: str
    message: str


class ExportEntry(_Frozen):
    slug: str
    aliases: list[str]
    type: str = Field(description="Absolute URL of the entry page; usable as an RFC 9457 problem `type`")
    status: int | None
    status_class: str | None
    error_code: int | None
    error: str | None
    message: str | None
    message_template: str | None = Field(description="The message with variable parts as {name}")
    message_pieces: list[str] | None = Field(
        description="The literal pieces of the whitespace-normalized template, one more than its placeholders. "
        "A normalized message matches when it starts with the first piece, ends with the last, holds the others "
        "in order, and has at least one character in place of each placeholder; this is what the lookup page "
        "and `explain` match (in linear time)"
    )
    message_regex: str | None = Field(
        description="Informational: an anchored regex (Python and JavaScript) equivalent to message_pieces. "
        "Do not run it on untrusted text with a backtracking engine: some inputs take exponential time"
    )
    former_message_pieces: list[list[str]] = Field(
        description="The pieces (as in message_pieces) of each earlier message the vendor's docs gave for this "
        "error; a message that matches one of them matches the entry too"
    )
    message_any: bool
    category: str
    modules: list[str]
    apis: list[ExportApi]
    retry: Literal["never", "with_backoff", "not_applicable"]
    cause: ExportText
    remedy: ExportText
    shown: ExportShown
    about_rate_limits: bool = Field(
        description="A 429 or another call-limit error: the lookup shows the limit of the API the paste names"
    )


class ExportModule(_Frozen):
    key: str
    name: str
    url: str


class CatalogExport(_Frozen):
    """The published ``catalog.json``."""

    version: Literal[1] = EXPORT_VERSION
    site_url: str
    lang: Literal["zh", "en"] = Field(
        description="The edition's language: `shown`, module names and API titles are in it, and the lookup "
        "matches words of the cause and remedy in it (both languages are in every entry)"
    )
    entries: list[ExportEntry]
    modules: list[ExportModule]
    apis: list[ExportRequestApi] = Field(description="Every API, for the request lines of a paste")
    rate_limits_url: str | None = Field(
        description="The section that explains the call limits (how they count, the default, every API's limit)"
    )


def export_catalog(
    catalog: Catalog, site_url: str, rel: CatalogRelations | None = None, views: SiteViews | None = None
) -> CatalogExport:
    """Build the export; ``site_url`` is the site's base URL (``https://host/sub/path/``)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    rel = rel or CatalogRelations.build(catalog)
    views = views or SiteViews(catalog, rel, "zh")
    lang = views.lang
    entries = []
    for entry in catalog.entries:
        view = views.entries[entry.slug]
        template = entry.message_template or (literal_template(entry.message) if entry.message is not None else None)
        entries.append(
            ExportEntry(
                slug=entry.slug,
                aliases=list(entry.aliases),
                type=urls.absolute_url(base, view.uri),
                status=entry.status,
                status_class=entry.status_class,
                error_code=entry.error_code,
                error=entry.error,
                message=entry.message,
                message_template=template,
                message_pieces=template_pieces(template) if template is not None else None,
                message_regex=template_regex(template) if template is not None else None,
                former_message_pieces=[
                    template_pieces(literal_template(former.message)) for former in entry.former_messages
                ],
                message_any=entry.message_any,
                category=entry.category,
                modules=rel.entry_modules[entry.slug],
                apis=[
                    ExportApi(
                        id=ref.api.id,
                        module=ref.module.key,
                        title=views.apis[ref.api.id].title,
                        method=ref.api.method,
                        path=ref.api.path,
                        url=urls.absolute_url(base, urls.module_uri(ref.module.key), ref.api.id),
                    )
                    for ref in rel.occurrences[entry.slug]
                ],
                retry=rel.retry_policy(entry),
                cause=ExportText(zh=entry.cause.zh, en=entry.cause.en),
                remedy=ExportText(zh=entry.remedy.zh, en=entry.remedy.en),
                shown=ExportShown(status=view.status_text, error=view.error_named, message=view.message_named),
                about_rate_limits=view.about_rate_limits,
            )
        )
    modules = [
        ExportModule(key=key, name=module.name, url=urls.absolute_url(base, module.uri))
        for key, module in views.modules.items()
    ]
    limits_url = (
        urls.absolute_url(base, urls.status_uri(urls.RATE_LIMITS_STATUS), urls.RATE_LIMITS_ANCHOR)
        if views.rate_limits is not None
        else None
    )
    return CatalogExport(
        site_url=base,
        lang=lang,
        entries=entries,
        modules=modules,
        apis=[_request_api(api, base) for api in views.apis.values()],
        rate_limits_url=limits_url,
    )


def _request_api(api: ApiView, base: str) -> ExportRequestApi:
    limit = api.rate_limit
    return ExportRequestApi(
        id=api.id,
        module=api.module.key,
        title=api.title,
        method=api.method,
        path=api.path,
        path_pattern=path_pattern(api.path),
        url=urls.absolute_url(base, urls.module_uri(api.module.key), api.anchor),
        rate_limit=ExportRateLimit(
            text=limit.text, shown=limit.shown, is_default=limit.is_default, addon=limit.addon, note=limit.note
        )
        if limit is not None
        else None,
    )


def export_json(
    catalog: Catalog, site_url: str, rel: CatalogRelations | None = None, views: SiteViews | None = None
) -> str:
    return export_catalog(catalog, site_url, rel, views).model_dump_json(indent=None) + "\n"


def export_schema() -> dict:
    schema = CatalogExport.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
