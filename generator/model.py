"""The catalog's shape: the one definition, used for validation and for ``catalog/schema.json``.

Every model is frozen and strict: a value of the wrong type is a problem, never converted.
Human text is per language (:class:`LocalizedText`): Chinese is required, English optional.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# Keys and slugs end up in URLs and file names: lowercase ASCII only, no dots or slashes.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=40)]
# One line of text with no surrounding blanks: what the API returns or what a heading shows.
Line = Annotated[str, StringConstraints(pattern=r"^\S(?:[^\x00-\x1f\x7f]*\S)?$", max_length=500)]
Prose = Annotated[str, StringConstraints(pattern=r"\S", max_length=4000)]


DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _real_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is no day of the calendar") from None
    return text


# A day as the catalog writes it (YYYY-MM-DD); kept as text, which is how the loader reads it.
IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_real_date)]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']+$", max_length=500)]

RetryPolicy = Literal["never", "with_backoff", "not_applicable"]
# The module list of an entry that any API can return.
ALL_MODULES = "all"


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class LocalizedText(Model):
    """Text a reader sees. Inline code is written in backticks; nothing else is interpreted."""

    zh: Prose = Field(description="Chinese text (required)")
    en: Prose | None = Field(default=None, description="English text (optional)")


class Link(Model):
    """A link to a page outside this site (the vendor's documentation or console)."""

    title: LocalizedText
    url: HttpsUrl = Field(description="https URL on an allowed host (see validate.ALLOWED_LINK_HOSTS)")


class ResponseField(Model):
    name: Line = Field(description="Field name as it appears in the JSON body")
    type: Line = Field(description="JSON type of the field")
    description: LocalizedText


class ResponseFormat(Model):
    intro: LocalizedText
    fields: list[ResponseField] = Field(min_length=1)
    example: dict[str, Any] = Field(description="An error body exactly as the API returns it")


class Site(Model):
    """Site-wide text: the home page, the response format and the client advice."""

    title: LocalizedText
    intro: list[LocalizedText] = Field(min_length=1)
    status_classes: list[LocalizedText] = Field(
        min_length=1, description="What each class of HTTP status (2xx/4xx/5xx) means"
    )
    response_format: ResponseFormat
    client_advice: list[LocalizedText] = Field(min_length=1)
    how_to_find: list[LocalizedText] = Field(min_length=1)
    vendor_docs: Link = Field(description="The vendor's own page of common error codes")
    languages: list[Literal["zh", "en"]] = Field(
        default=["zh"],
        min_length=1,
        description="The site's editions, Chinese first; every text needs its twin in each (check 13)",
    )


class HttpStatus(Model):
    """An HTTP status the REST API answers with."""

    code: int = Field(ge=100, le=599)
    reason: Line = Field(description="Standard reason phrase, e.g. 'Bad Request'")
    label: LocalizedText = Field(description="Short name shown next to the code")
    summary: LocalizedText
    cases: list[LocalizedText] = Field(default=[], description="Typical situations that lead to it")
    retry: RetryPolicy
    retry_note: LocalizedText
    see_also: list[Link] = []


class Module(Model):
    """A functional module of the REST API; each gets a page."""

    key: Key
    name: LocalizedText
    covers: LocalizedText = Field(description="What the module's APIs do")
    kind: Literal["feature", "auth"] = Field(
        description="feature: a functional module of the vendor's module table; auth: tokens"
    )
    vendor_pages: list[Link] = Field(min_length=1, description="Vendor pages with the per-API error tables")


class Category(Model):
    """A cross-cutting family of errors (token, user not found, service not enabled, ...)."""

    key: Key
    title: LocalizedText
    summary: LocalizedText
    details: list[LocalizedText] = []
    see_also: list[Link] = []


class FormerMessage(Model):
    """A message the vendor's docs gave for this error before they changed it.

    Servers and logs may still carry it, so the lookup and ``explain`` keep matching it, and the
    entry page says what changed.
    """

    message: Line = Field(description="The earlier `error_description`, byte-exact")
    until: IsoDate = Field(description="Date of the check that found the vendor's docs changed")
    note: LocalizedText = Field(description="What changed and what it means for callers")


class ErrorEntry(Model):
    """One error the API returns, identified by HTTP status + ``error`` + ``error_description``.

    The source does not always give all three: internal codes (``error_code``) stand where no HTTP
    status is documented, some tables have no error type, some rows give no message. Those fields
    are null rather than invented, and the page says what the source left out.
    """

    slug: Slug = Field(description="Permanent, URL-safe name of the entry page; never change once published")
    aliases: list[Slug] = Field(
        default=[], description="Earlier slugs of this entry; their URLs keep working as redirects"
    )
    status: int | None = Field(ge=100, le=599, description="HTTP status; null where the source documents none")
    status_class: Literal["4xx", "5xx"] | None = Field(
        default=None, description="Where the source gives only a class of statuses (status is then null)"
    )
    error_code: int | None = Field(
        default=None, ge=1, description="Internal error code the source gives instead of an HTTP status"
    )
    error: Line | None = Field(description="The response's `error` field, byte-exact; null where the source has none")
    error_label: LocalizedText | None = Field(
        default=None, description="The source's own description where it gives no literal error type"
    )
    message: Line | None = Field(
        description="The response's `error_description` field, byte-exact; null where the source gives none"
    )
    message_template: Line | None = Field(
        default=None,
        description="The message with its variable parts marked as {name} ({{ and }} for literal braces), "
        "with text between any two of them; it must match the literal message",
    )
    message_any: bool = Field(default=False, description="The source says any message can come with this error")
    former_messages: list[FormerMessage] = Field(
        default=[], description="Earlier messages of this error in the vendor's docs, newest first"
    )
    category: Key
    modules: list[Key] = Field(
        default=[],
        description="[all] when any API can return it; otherwise modules beyond those of the APIs listing it",
    )
    cause: LocalizedText
    remedy: LocalizedText
    retry: RetryPolicy | None = Field(default=None, description="Overrides the status's retry policy")
    drift_note: LocalizedText | None = Field(
        default=None,
        description="Reviewed explanation of a conflict in the source: the same message under another status or "
        "type, or vendor pages that disagree on a fact or a remedy",
    )
    see_also: list[Link] = []

    @property
    def identity(self) -> tuple[int | None, str | None, int | None, str | None, str | None]:
        return (self.status, self.status_class, self.error_code, self.error, self.message)


HttpMethod = Literal["GET", "POST", "PUT", "DELETE", "PATCH"]


class VendorDropped(Model):
    """An error row of this API that the newest vendor page no longer shows.

    The catalog keeps the fact (callers may still meet the error) and tells readers it is no
    longer documented.
    """

    entry: Slug = Field(description="The entry, one of the API's `errors`")
    checked: IsoDate = Field(description="Date of the check that found the row gone")
    note: LocalizedText = Field(description="Where the row was documented and what the newest page shows instead")


class Api(Model):
    """One REST API of a module and the errors its vendor page documents."""

    id: Slug = Field(description="Unique name; the anchor of the API on its module page")
    title: LocalizedText
    method: HttpMethod
    path: Line = Field(description="Request path as the vendor documents it, byte-exact")
    query: Line | None = Field(default=None, description="Query string as the vendor documents it")
    vendor_page: HttpsUrl = Field(description="The vendor page that documents this API")
    errors: list[Slug] = Field(min_length=1, description="Slugs of the entries its error table lists, in order")
    vendor_dropped: list[VendorDropped] = Field(
        default=[], description="Rows of `errors` the newest vendor page no longer shows"
    )


RateCounting = Literal["calls", "messages", "messages+calls"]


class DefaultRateLimit(Model):
    """The limit of every API the vendor's limits table gives no row of its own."""

    calls_per_second: int = Field(ge=1, le=1_000_000, description="Calls per second per App Key")
    text: LocalizedText = Field(description="The vendor's short cell for it, byte-exact per language")


class RateLimit(Model):
    """One API's row of the vendor's limits table (an API without a row has the default)."""

    api: Slug = Field(description="The id of a catalog API (catalog/apis/*.yaml)")
    calls_per_second: int | None = Field(
        ge=1, le=1_000_000, description="The per-second number of the row; null where it counts per minute or day"
    )
    text: LocalizedText = Field(description="The vendor's limit cell, byte-exact per language")
    counts: RateCounting | None = Field(
        description="What the per-second number counts: API calls, messages, or both; null with no per-second number"
    )
    rest_only: bool = Field(
        description="true: only REST calls count (the vendor stars the API); false: calls of the client API count too"
    )
    addon: LocalizedText | None = Field(
        default=None, description="The vendor's add-on package cell (what can be bought on top), byte-exact"
    )
    note: LocalizedText | None = Field(
        default=None,
        description="Our note: the vendor's pages disagree, the limit is shared, the English table hides the row, ...",
    )


class RateLimits(Model):
    """The vendor's per-API call limits, what the site shows next to every API and on the 429 page."""

    default: DefaultRateLimit
    counting: LocalizedText = Field(description="How calls and messages are counted against a limit (our words)")
    period: LocalizedText = Field(description="When per-day counts start again (our words)")
    vendor_page: Link = Field(description="The vendor's page of call limits")
    related_entries: list[Slug] = Field(
        default=[],
        description="Entries that report a limit of the vendor's table under another status than 429 (403 send "
        "and broadcast limits, 400 translation limit): the 429 page links them, and their pages show the limits",
    )
    apis: list[RateLimit] = Field(default=[], description="The APIs with a row of their own, each once")


class RateLimitsFile(Model):
    rate_limits: RateLimits


class SiteFile(Model):
    site: Site


class StatusesFile(Model):
    statuses: list[HttpStatus] = Field(min_length=1)


class ModulesFile(Model):
    modules: list[Module] = Field(min_length=1)


class CategoriesFile(Model):
    categories: list[Category] = Field(min_length=1)


class EntriesFile(Model):
    entries: list[ErrorEntry] = Field(min_length=1)


class ApisFile(Model):
    module: Key
    apis: list[Api] = Field(min_length=1)


class Catalog(Model):
    """The whole catalog, assembled from its files."""

    site: Site
    statuses: list[HttpStatus]
    modules: list[Module]
    categories: list[Category]
    entries: list[ErrorEntry]
    api_files: list[ApisFile] = []
    rate_limits: RateLimits | None = None

    def status(self, code: int) -> HttpStatus:
        return next(s for s in self.statuses if s.code == code)

    def module(self, key: str) -> Module:
        return next(m for m in self.modules if m.key == key)

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)


CatalogFile = SiteFile | StatusesFile | ModulesFile | CategoriesFile | EntriesFile | ApisFile | RateLimitsFile
