"""Catalog checks: every problem found, in one pass, each pointing at ``file:line:col``.

Stages run in order; a later stage only runs on files the earlier ones accepted, but every stage
collects all of its problems before anything is reported.

0. Layout: the required files exist (``site.yaml``, ``statuses.yaml``, ``modules.yaml``,
   ``categories.yaml``, ``published_slugs.txt``, at least one ``errors/*.yaml``; ``apis/*.yaml``,
   ``rate_limits.yaml`` and ``search_terms.txt`` optional) and no unknown YAML file sits in the catalog.
1. Strict YAML (see ``load.py``): syntax, encoding, characters, duplicate keys, aliases, tags;
   the two ``.txt`` files get the same encoding and character checks, and a search term is one word.
2. Schema: each file matches its model in ``model.py`` (unknown keys, wrong types, missing keys,
   malformed slugs and keys, empty text).
3. Unique keys: status codes, module keys, category keys, entry slugs and API ids are each
   unique, and none is a reserved name (``index``, ``all``) that would collide with a fixed page;
   ``rate_limits.yaml`` gives each API one row at most.
4. Unique identity: no two entries share HTTP status + error type + message (+ internal code).
   Checks 3, 4 and 10 compare text NFC-normalized and without invisible characters, so a twin
   with a zero-width space is still a twin.
5. References resolve: an entry's status is listed in ``statuses.yaml``, its category in
   ``categories.yaml``, its modules in ``modules.yaml`` (or it is exactly ``[all]``); an API file's
   module exists; every slug an API lists is an entry, listed once per API; every API of
   ``rate_limits.yaml`` is a catalog API, and its ``related_entries`` are entries.
6. Statuses are honest: an entry's status is 4xx or 5xx; where it is null the entry says why
   (``status_class`` or ``error_code``); ``status_class``, ``error_label`` and ``message_any`` only
   stand where the field they replace is null.
7. Every entry and category is shown: a category has at least one entry; an entry is listed by an
   API or names its modules; a module has a vendor page to link to (schema).
8. External links parse, are ``https`` to an allowed host, with at most one ``#`` fragment.
9. No placeholder prose (TODO, TBD, FIXME, 待补充) in causes, remedies, notes and rate-limit notes.
10. Drift in the source, reported as warnings until an entry carries a reviewed ``drift_note``:
    the same message documented under another status or error type, and error types that differ
    only in spelling (``Bad Request``/``Bad request``, ``exceed_limit``/``exceeded_limit``).
11. Message templates parse and match the literal message they describe.
12. Published URLs never break: aliases are unique and are no current slug; every slug listed in
    ``published_slugs.txt`` is still an entry's slug or alias.
13. Texts are twins: once ``site.languages`` lists a language, every text (every mapping with a
    ``zh`` key) has its text in that language too, so an edition never silently lags behind.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from generator.characters import comparable
from generator.load import Document, load_text_lines, load_yaml_file
from generator.memory import collector_paused
from generator.message_template import TemplateError, normalize_message, pieces_match, template_pieces
from generator.model import (
    ALL_MODULES,
    DATE_PATTERN,
    KEY_PATTERN,
    SLUG_PATTERN,
    ApisFile,
    Catalog,
    CategoriesFile,
    EntriesFile,
    ErrorEntry,
    ModulesFile,
    RateLimits,
    RateLimitsFile,
    SiteFile,
    StatusesFile,
)
from generator.problems import CatalogError, KeyPath, Position, Problem
from generator.urls import RATE_LIMITS_STATUS

# Hosts catalog links may point at; anything else is a review question, not a silent link.
ALLOWED_LINK_HOSTS = frozenset({"doc.easemob.com", "console.easemob.com", "www.easemob.com"})
# Names that generated URLs or the model already use.
RESERVED_NAMES = frozenset({"index", "all"})

SINGLE_FILES: dict[str, type[BaseModel]] = {
    "site.yaml": SiteFile,
    "statuses.yaml": StatusesFile,
    "modules.yaml": ModulesFile,
    "categories.yaml": CategoriesFile,
}
ENTRIES_DIR = "errors"
APIS_DIR = "apis"
RATE_LIMITS = "rate_limits.yaml"
PUBLISHED_SLUGS = "published_slugs.txt"
SEARCH_TERMS = "search_terms.txt"
# Read by `python -m generator upstream` (generator/upstream.py), which checks it with located problems.
UPSTREAM_ACKNOWLEDGED = "upstream_acknowledged.yaml"
PLACEHOLDERS = ("TODO", "TBD", "FIXME", "XXX-", "待补充", "待填写")

_PATTERN_HINTS = {
    SLUG_PATTERN: "must be lowercase ASCII letters and digits joined by single hyphens, e.g. 'user-not-found'",
    KEY_PATTERN: "must be lowercase ASCII letters, digits and underscores, starting with a letter",
    DATE_PATTERN: "must be a date written YYYY-MM-DD, e.g. 2026-12-01",
}


@dataclass
class CheckResult:
    """The outcome of :func:`check_catalog`: the catalog if it is sound, and every problem found."""

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)
    search_terms: list[str] = field(default_factory=list)
    """Domain terms for Chinese search segmentation (``search_terms.txt``), checked like the rest."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class _Located:
    """Where an item of the assembled catalog came from."""

    document: Document
    key_path: KeyPath

    def problem(self, sub_path: KeyPath, message: str, **kwargs: Any) -> Problem:
        return self.document.problem((*self.key_path, *sub_path), message, **kwargs)


def load_catalog(catalog_dir: Path, *, require_published_slugs: bool = True) -> Catalog:
    """Load and check a catalog; raise :class:`CatalogError` with every problem if it has any."""
    result = check_catalog(catalog_dir, require_published_slugs=require_published_slugs)
    if result.errors or result.catalog is None:
        raise CatalogError(result.errors)
    return result.catalog


def check_catalog(catalog_dir: Path, *, require_published_slugs: bool = True) -> CheckResult:
    """Run every stage over ``catalog_dir`` and return the catalog (if sound) with all problems.

    ``require_published_slugs=False`` accepts a catalog without ``published_slugs.txt``: one that
    has published nothing yet (``publish-slugs`` starts the file) or an old revision to diff against.
    """
    with collector_paused():
        return _check_catalog(Path(catalog_dir), require_published_slugs)


def _check_catalog(catalog_dir: Path, require_published_slugs: bool) -> CheckResult:
    problems: list[Problem] = []
    if not catalog_dir.is_dir():
        return CheckResult(None, [Problem(catalog_dir, Position(1, 1), (), "catalog directory does not exist")])

    # Stage 0: layout.
    entry_paths = sorted((catalog_dir / ENTRIES_DIR).glob("*.yaml"))
    api_paths = sorted((catalog_dir / APIS_DIR).glob("*.yaml"))
    optional = [catalog_dir / RATE_LIMITS] if (catalog_dir / RATE_LIMITS).exists() else []
    expected = {catalog_dir / name for name in SINGLE_FILES} | set(entry_paths) | set(api_paths) | set(optional)
    expected.add(catalog_dir / UPSTREAM_ACKNOWLEDGED)
    for name in SINGLE_FILES:
        if not (catalog_dir / name).exists():
            problems.append(Problem(catalog_dir / name, Position(1, 1), (), "required catalog file is missing"))
    if require_published_slugs and not (catalog_dir / PUBLISHED_SLUGS).exists():
        message = (
            "required catalog file is missing: it lists the entry URLs that must keep working; "
            "restore it, or start it with `python -m generator publish-slugs`"
        )
        problems.append(Problem(catalog_dir / PUBLISHED_SLUGS, Position(1, 1), (), message))
    if not entry_paths:
        problems.append(
            Problem(catalog_dir / ENTRIES_DIR, Position(1, 1), (), "no error files: add errors/<module>.yaml")
        )
    for stray in sorted({*catalog_dir.rglob("*.yaml"), *catalog_dir.rglob("*.yml")} - expected):
        problems.append(
            Problem(stray, Position(1, 1), (), "unexpected file: catalog YAML goes in the files listed in README")
        )

    # Stages 1 and 2: strict YAML, then the schema of each file's kind.
    parsed: dict[str, tuple[Document, BaseModel]] = {}
    entry_files: list[tuple[Document, EntriesFile]] = []
    api_files: list[tuple[Document, ApisFile]] = []
    for path, model in [
        *((catalog_dir / n, m) for n, m in SINGLE_FILES.items()),
        *((p, EntriesFile) for p in entry_paths),
        *((p, ApisFile) for p in api_paths),
        *((p, RateLimitsFile) for p in optional),
    ]:
        if not path.exists():
            continue
        document, load_problems = load_yaml_file(path)
        problems += load_problems
        if _errors(load_problems):
            continue
        validated = _validate_document(document, model, problems)
        if validated is None:
            continue
        if isinstance(validated, EntriesFile):
            entry_files.append((document, validated))
        elif isinstance(validated, ApisFile):
            api_files.append((document, validated))
        else:
            parsed[path.name] = (document, validated)

    published = _load_listing(catalog_dir / PUBLISHED_SLUGS, problems)
    terms_path = catalog_dir / SEARCH_TERMS
    search_terms = _search_terms(terms_path, _load_listing(terms_path, problems), problems)

    if _errors(problems) or len(parsed) != len(SINGLE_FILES) + len(optional) or not entry_files:
        return CheckResult(None, sorted(problems, key=Problem.sort_key))

    site_doc, site_file = parsed["site.yaml"]
    statuses_doc, statuses_file = parsed["statuses.yaml"]
    modules_doc, modules_file = parsed["modules.yaml"]
    categories_doc, categories_file = parsed["categories.yaml"]
    limits_doc, limits_file = parsed.get(RATE_LIMITS, (None, None))
    catalog = Catalog(
        site=site_file.site,  # type: ignore[attr-defined]
        statuses=statuses_file.statuses,  # type: ignore[attr-defined]
        modules=modules_file.modules,  # type: ignore[attr-defined]
        categories=categories_file.categories,  # type: ignore[attr-defined]
        entries=[entry for _, f in entry_files for entry in f.entries],
        api_files=[f for _, f in api_files],
        rate_limits=limits_file.rate_limits if limits_file else None,  # type: ignore[attr-defined]
    )
    where = _Where(
        site=_Located(site_doc, ("site",)),
        statuses=[_Located(statuses_doc, ("statuses", i)) for i in range(len(catalog.statuses))],
        modules=[_Located(modules_doc, ("modules", i)) for i in range(len(catalog.modules))],
        categories=[_Located(categories_doc, ("categories", i)) for i in range(len(catalog.categories))],
        entries=[_Located(doc, ("entries", i)) for doc, f in entry_files for i in range(len(f.entries))],
        api_files=[_Located(doc, ()) for doc, _ in api_files],
        rate_limits=_Located(limits_doc, ("rate_limits",)) if limits_doc else None,
    )
    problems += _check_consistency(catalog, where)
    problems += check_published_slugs(catalog_dir / PUBLISHED_SLUGS, published, catalog)
    documents = [site_doc, statuses_doc, modules_doc, categories_doc, *(d for d, _ in entry_files + api_files)]
    documents += [limits_doc] if limits_doc else []
    problems += missing_twins(documents, catalog.site.languages)
    return CheckResult(None if _errors(problems) else catalog, sorted(problems, key=Problem.sort_key), search_terms)


def missing_twins(documents: list[Document], languages: list[str]) -> list[Problem]:
    """Every text without its twin in one of the site's languages (check 13)."""
    problems = []
    for document in documents:
        for key_path, text in _texts(document.data, ()):
            for lang in languages:
                if not isinstance(text.get(lang), str):
                    name = LANGUAGE_NAMES.get(lang, lang)
                    message = f"this text has no {name} twin ({lang}); the site lists {lang} in site.languages"
                    problems.append(document.problem(key_path, message, of_key=True))
    return problems


LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def _texts(value: Any, key_path: KeyPath) -> Iterable[tuple[KeyPath, dict[str, Any]]]:
    """Every text object (a mapping with a ``zh`` key) in a loaded document, with its key path."""
    if isinstance(value, dict):
        if "zh" in value:
            yield key_path, value
            return
        for key, item in value.items():
            yield from _texts(item, (*key_path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*key_path, index))


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _load_listing(path: Path, problems: list[Problem]) -> list[str]:
    """The lines of an optional line-based file (none if it is absent); its problems join ``problems``."""
    if not path.exists():
        return []
    lines, load_problems = load_text_lines(path)
    problems += load_problems
    return lines


def _listed(line: str) -> str:
    """A listing line without its ``#`` comment and surrounding blanks."""
    return line.split("#", 1)[0].strip()


def _search_terms(path: Path, lines: list[str], problems: list[Problem]) -> list[str]:
    """The terms of ``search_terms.txt``: one per line, ``#`` lines are comments."""
    terms = []
    for number, line in enumerate(lines, start=1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        if term.split() != [term]:
            message = f"{term!r} holds a blank; a term is one word (jieba keeps words whole, never phrases)"
            problems.append(Problem(path, Position(number, 1), (f"line {number}",), message))
            continue
        terms.append(term)
    return terms


@dataclass
class _Where:
    site: _Located
    statuses: list[_Located]
    modules: list[_Located]
    categories: list[_Located]
    entries: list[_Located]
    api_files: list[_Located]
    rate_limits: _Located | None = None


def _validate_document(document: Document, model: type[BaseModel], problems: list[Problem]) -> BaseModel | None:
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else f"{type(document.data).__name__} value"
        top = next(iter(model.model_fields))
        problems.append(document.problem((), f"expected a mapping with key {top!r}, got {kind}"))
        return None
    try:
        return model.model_validate(document.data, strict=True)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            problems.append(_schema_problem(document, model, detail))
        return None


def _schema_problem(document: Document, model: type[BaseModel], detail: Any) -> Problem:
    loc: KeyPath = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    if kind == "missing":
        return document.problem(loc, f"missing required key {loc[-1]!r}")
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed keys: {', '.join(known)}"
        return document.problem(loc, f"unknown key {loc[-1]!r}{hint}", of_key=True)
    return document.problem(loc, _describe_type_error(kind, detail, value))


def _describe_type_error(kind: str, detail: Any, value: Any) -> str:
    got = _describe_value(value)
    if kind == "int_type":
        hint = " (write a plain number without quotes or leading zeros)" if isinstance(value, str) else ""
        return f"expected an integer, got {got}{hint}"
    if kind == "bool_type":
        return f"expected true or false, got {got} (yes/no/on/off are not booleans here)"
    if kind == "string_type":
        return f"expected text, got {got} (quote it to keep it as text)"
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping, got {got}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {got}"
    if kind == "string_pattern_mismatch":
        pattern = detail.get("ctx", {}).get("pattern", "")
        hint = _PATTERN_HINTS.get(pattern)
        if hint:
            return f"{got} {hint}"
        if pattern.startswith("^https://"):
            return f"{got} is not an https URL"
        if pattern == r"\S":
            return "text is blank"
        return f"{got} must be one line of text without control characters or surrounding blanks"
    if kind == "literal_error":
        return f"{got} is not allowed; expected {detail['ctx']['expected']}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{got} is out of range ({detail['msg'].lower()})"
    if kind in ("too_short", "too_long", "string_too_long"):
        return f"{detail['msg'].lower()}"
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, ")
    return f"{detail['msg']} (got {got})"


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 120 else value[:117] + "..."
        return f"text {shown!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _known_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed at ``loc`` in ``model``, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = _inner_model(field_info.annotation)
    return sorted(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _check_consistency(catalog: Catalog, where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    apis = [
        (api, loc.document, ("apis", i))
        for f, loc in zip(catalog.api_files, where.api_files, strict=True)
        for i, api in enumerate(f.apis)
    ]
    api_locs = [_Located(document, key_path) for _, document, key_path in apis]

    # 3. Unique keys, none reserved.
    for items, locs, attr in (
        (catalog.statuses, where.statuses, "code"),
        (catalog.modules, where.modules, "key"),
        (catalog.categories, where.categories, "key"),
        (catalog.entries, where.entries, "slug"),
        ([api for api, _, _ in apis], api_locs, "id"),
    ):
        problems += _duplicates([getattr(item, attr) for item in items], locs, attr)
        for item, loc in zip(items, locs, strict=True):
            if getattr(item, attr) in RESERVED_NAMES:
                problems.append(loc.problem((attr,), f"{getattr(item, attr)!r} is a reserved name; choose another"))

    # 4. Unique identity.
    first: dict[tuple, int] = {}
    for index, entry in enumerate(catalog.entries):
        identity = tuple(map(_comparable, entry.identity))
        if identity in first:
            other = catalog.entries[first[identity]].slug
            problems.append(
                where.entries[index].problem(
                    ("message",), f"same status, error and message as entry {other!r}; merge the two entries"
                )
            )
        else:
            first[identity] = index
    problems += _former_message_problems(catalog, where, first)

    # 5. References resolve (entries -> statuses, categories, modules; APIs -> modules, entries).
    status_codes = {s.code for s in catalog.statuses}
    module_keys = [m.key for m in catalog.modules]
    category_keys = [c.key for c in catalog.categories]
    slugs = [e.slug for e in catalog.entries]
    known_slugs = set(slugs)  # membership per API error row; the list is for suggestions
    listed_slugs: set[str] = set()
    for api_file, loc in zip(catalog.api_files, where.api_files, strict=True):
        if api_file.module not in module_keys:
            problems.append(loc.problem(("module",), _unknown("module", api_file.module, module_keys)))
    for api, document, key_path in apis:
        seen: set[str] = set()
        for index, slug in enumerate(api.errors):
            path = (*key_path, "errors", index)
            if slug not in known_slugs:
                problems.append(document.problem(path, _unknown("entry", slug, slugs)))
            elif slug in seen:
                problems.append(document.problem(path, f"entry {slug!r} is listed twice for this API"))
            seen.add(slug)
        listed_slugs |= seen
        dropped: set[str] = set()
        for index, row in enumerate(api.vendor_dropped):
            path = (*key_path, "vendor_dropped", index, "entry")
            if row.entry not in seen:
                problems.append(document.problem(path, f"entry {row.entry!r} is not one of this API's errors"))
            elif row.entry in dropped:
                problems.append(document.problem(path, f"entry {row.entry!r} is marked twice"))
            dropped.add(row.entry)
    for entry, loc in zip(catalog.entries, where.entries, strict=True):
        if entry.category not in category_keys:
            problems.append(loc.problem(("category",), _unknown("category", entry.category, category_keys)))
        if ALL_MODULES in entry.modules and len(entry.modules) > 1:
            problems.append(loc.problem(("modules",), "'all' already covers every module; list it alone"))
        for index, key in enumerate(entry.modules):
            if key != ALL_MODULES and key not in module_keys:
                problems.append(loc.problem(("modules", index), _unknown("module", key, module_keys)))
        problems += _status_problems(entry, loc, status_codes)
        # 7. Every entry is shown somewhere.
        if entry.slug not in listed_slugs and not entry.modules:
            problems.append(loc.problem(("slug",), "no API lists this entry and it names no modules; add `modules`"))
        # 9. No placeholder prose.
        for field_name in ("cause", "remedy", "drift_note"):
            text = getattr(entry, field_name)
            for language in ("zh", "en"):
                value = getattr(text, language, None) if text else None
                if value and any(marker in value for marker in PLACEHOLDERS):
                    problems.append(loc.problem((field_name, language), "placeholder text; write the real prose"))

    # 7. Every category is shown with entries.
    used_categories = {e.category for e in catalog.entries}
    for category, loc in zip(catalog.categories, where.categories, strict=True):
        if category.key not in used_categories:
            problems.append(loc.problem(("key",), f"category {category.key!r} has no entries; remove it or use it"))

    # 8. External links.
    for link_url, loc, sub_path in _links(catalog, where, apis):
        message = _link_problem(link_url)
        if message:
            problems.append(loc.problem(sub_path, message))

    # 10. Drift warnings.
    problems += _drift_warnings(catalog, where)

    # 11. Message templates.
    for entry, loc in zip(catalog.entries, where.entries, strict=True):
        if entry.message_template is None:
            continue
        if entry.message is None:
            problems.append(loc.problem(("message_template",), "a template needs the literal message it describes"))
            continue
        try:
            pieces = template_pieces(entry.message_template)
        except TemplateError as error:
            problems.append(loc.problem(("message_template",), f"column {error.column + 1}: {error}"))
            continue
        if not pieces_match(pieces, normalize_message(entry.message)):
            problems.append(
                loc.problem(
                    ("message_template",), f"does not match the message {entry.message!r}; keep its literal text"
                )
            )

    # 12. Published URLs.
    problems += _alias_problems(catalog, where)
    if catalog.rate_limits is not None and where.rate_limits is not None:
        api_ids = [api.id for api, _, _ in apis]
        problems += _rate_limit_problems(catalog.rate_limits, where.rate_limits, api_ids, slugs)
        if RATE_LIMITS_STATUS not in status_codes:  # the limits are explained on its page
            message = f"the rate limits are shown on the page of status {RATE_LIMITS_STATUS}; list it in statuses.yaml"
            problems.append(where.rate_limits.problem((), message))
    return problems


def _rate_limit_problems(limits: RateLimits, loc: _Located, api_ids: list[str], slugs: list[str]) -> list[Problem]:
    """Each row names a catalog API, once (checks 3 and 5); related entries exist; notes are real prose (9)."""
    problems = []
    rows = [_Located(loc.document, (*loc.key_path, "apis", i)) for i in range(len(limits.apis))]
    problems += _duplicates([row.api for row in limits.apis], rows, "api")
    known_apis = set(api_ids)
    for row, row_loc in zip(limits.apis, rows, strict=True):
        if row.api not in known_apis:
            problems.append(row_loc.problem(("api",), _unknown("API", row.api, api_ids)))
        for language in ("zh", "en"):
            value = getattr(row.note, language, None) if row.note else None
            if value and any(marker in value for marker in PLACEHOLDERS):
                problems.append(row_loc.problem(("note", language), "placeholder text; write the real prose"))
    known_slugs = set(slugs)
    for index, slug in enumerate(limits.related_entries):
        if slug not in known_slugs:
            problems.append(loc.problem(("related_entries", index), _unknown("entry", slug, slugs)))
    return problems


def _former_message_problems(catalog: Catalog, where: _Where, current: dict[tuple, int]) -> list[Problem]:
    """A former message is another literal of the same error: never its current message, never
    listed twice, and never the current message of another entry (the lookup could not tell them
    apart)."""
    problems = []
    for index, entry in enumerate(catalog.entries):
        seen: set[str] = set()
        for number, former in enumerate(entry.former_messages):
            loc = where.entries[index]
            path = ("former_messages", number, "message")
            identity = tuple(map(_comparable, (*entry.identity[:4], former.message)))
            if former.message == entry.message:
                problems.append(loc.problem(path, "is the entry's current message; list only earlier ones"))
            elif former.message in seen:
                problems.append(loc.problem(path, "is listed twice"))
            elif identity in current:
                other = catalog.entries[current[identity]].slug
                problems.append(loc.problem(path, f"is the current message of entry {other!r}; merge the two entries"))
            seen.add(former.message)
    return problems


def _alias_problems(catalog: Catalog, where: _Where) -> list[Problem]:
    problems = []
    slugs = {entry.slug for entry in catalog.entries}
    seen: dict[str, str] = {}
    for entry, loc in zip(catalog.entries, where.entries, strict=True):
        for index, alias in enumerate(entry.aliases):
            if alias in slugs:
                message = f"{alias!r} is a current slug; an alias must be retired"
                problems.append(loc.problem(("aliases", index), message))
            elif alias in seen:
                problems.append(loc.problem(("aliases", index), f"{alias!r} is already an alias of {seen[alias]!r}"))
            seen.setdefault(alias, entry.slug)
    return problems


def check_published_slugs(path: Path, lines: list[str], catalog: Catalog) -> list[Problem]:
    """Every slug ever published (the ``lines`` of ``path``) still resolves, as a slug or an alias
    (check 12)."""
    known = {e.slug for e in catalog.entries} | {alias for e in catalog.entries for alias in e.aliases}
    problems = []
    for number, line in enumerate(lines, start=1):
        slug = _listed(line)
        if slug and slug not in known:
            problems.append(
                Problem(
                    path,
                    Position(number, 1),
                    (f"line {number}",),
                    f"published slug {slug!r} no longer exists; add it to the renamed entry's aliases",
                )
            )
    return problems


def _status_problems(entry: ErrorEntry, loc: _Located, status_codes: set[int]) -> list[Problem]:
    problems = []
    if entry.status is not None:
        if not 400 <= entry.status <= 599:
            problems.append(loc.problem(("status",), f"{entry.status} is not an HTTP error status (400-599)"))
        elif entry.status not in status_codes:
            problems.append(loc.problem(("status",), f"status {entry.status} is not listed in statuses.yaml"))
        if entry.status_class is not None:
            problems.append(loc.problem(("status_class",), "only for entries whose status is null"))
    elif entry.status_class is None and entry.error_code is None:
        problems.append(loc.problem(("status",), "null status needs `status_class` or `error_code` to say why"))
    if entry.error is not None and entry.error_label is not None:
        problems.append(loc.problem(("error_label",), "only for entries whose error is null"))
    if entry.message is not None and entry.message_any:
        problems.append(loc.problem(("message_any",), "only for entries whose message is null"))
    return problems


def normalized_error_type(error_type: str) -> str:
    """Spelling-insensitive form of an error type, to spot drift such as FORBIDDEN / forbidden_op.

    Case, separators and the suffixes Java exception names and vendor variants add are dropped;
    ``exceeded`` and ``exceed`` are one word.
    """
    key = re.sub(r"[^a-z]", "", error_type.lower()).replace("exceeded", "exceed")
    for suffix in ("exception", "error", "op"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    return key


def _drift_warnings(catalog: Catalog, where: _Where) -> list[Problem]:
    problems = []
    by_message: dict[str, list[int]] = defaultdict(list)
    by_type_key: dict[str, set[str]] = defaultdict(set)
    spelling_counts = Counter(entry.error for entry in catalog.entries if entry.error is not None)
    for index, entry in enumerate(catalog.entries):
        if entry.message is not None:
            by_message[comparable(entry.message)].append(index)
        if entry.error is not None:
            by_type_key[normalized_error_type(entry.error)].add(entry.error)
    for index, entry in enumerate(catalog.entries):
        if entry.drift_note is not None:
            continue
        loc = where.entries[index]
        if entry.message is not None:
            others = [
                catalog.entries[i]
                for i in by_message[comparable(entry.message)]
                if (catalog.entries[i].status, catalog.entries[i].error) != (entry.status, entry.error)
            ]
            if others:
                described = ", ".join(f"{o.status} {o.error} ({o.slug})" for o in others)
                problems.append(
                    loc.problem(
                        ("message",),
                        f"the same message is documented as {described}; review and add a drift_note",
                        severity="warning",
                    )
                )
        variants = by_type_key[normalized_error_type(entry.error)] if entry.error is not None else set()
        # The most used spelling wins; on a tie, the lower-case one (the API's usual style).
        preferred = max(variants, key=lambda t: (spelling_counts[t], t == t.lower(), t)) if variants else None
        if entry.error is not None and entry.error != preferred:
            problems.append(
                loc.problem(
                    ("error",),
                    f"error type {entry.error!r} is a spelling variant of {preferred!r} "
                    f"({spelling_counts[preferred]} entries); review and add a drift_note",
                    severity="warning",
                )
            )
    return problems


def _duplicates(values: list[Any], locs: list[_Located], attr: str) -> list[Problem]:
    problems = []
    first_loc: dict[Any, _Located] = {}
    for value, loc in zip(values, locs, strict=True):
        key = _comparable(value)
        if key in first_loc:
            earlier = first_loc[key]
            position = earlier.document.position((*earlier.key_path, attr))
            problems.append(
                loc.problem(
                    (attr,),
                    f"duplicate {attr} {value!r} (first used at {earlier.document.path.name}:{position.line})",
                )
            )
        else:
            first_loc[key] = loc
    return problems


def _comparable(value: Any) -> Any:
    """Text as identity checks compare it (a twin behind an invisible character is still a twin)."""
    return comparable(value) if isinstance(value, str) else value


def _unknown(kind: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} {value!r}{hint}"


def _links(catalog: Catalog, where: _Where, apis: list) -> Iterable[tuple[str, _Located, KeyPath]]:
    yield catalog.site.vendor_docs.url, where.site, ("vendor_docs", "url")
    for items, locs, attr in (
        (catalog.statuses, where.statuses, "see_also"),
        (catalog.modules, where.modules, "vendor_pages"),
        (catalog.categories, where.categories, "see_also"),
        (catalog.entries, where.entries, "see_also"),
    ):
        for item, loc in zip(items, locs, strict=True):
            for index, link in enumerate(getattr(item, attr)):
                yield link.url, loc, (attr, index, "url")
    for api, document, key_path in apis:
        yield api.vendor_page, _Located(document, key_path), ("vendor_page",)
    if catalog.rate_limits is not None and where.rate_limits is not None:
        yield catalog.rate_limits.vendor_page.url, where.rate_limits, ("vendor_page", "url")


def _link_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        # These parse lazily and raise too: a port that is no number, an unbalanced "[".
        host, _, username, password = parts.hostname, parts.port, parts.username, parts.password
    except ValueError as error:
        if "NFKC" in str(error):  # e.g. a fullwidth solidus, which browsers read as "/"
            return f"{url!r} has a character in its host part that reads as '/', '?', '#', '@' or ':'; type it in ASCII"
        return f"{url!r} is not a valid URL: {error}"
    if parts.scheme != "https":
        return f"{url!r} must use https"
    if host not in ALLOWED_LINK_HOSTS:
        return f"host {host!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_LINK_HOSTS))}"
    if "#" in parts.fragment:
        return f"{url!r} has more than one '#' fragment"
    if username or password:
        return f"{url!r} must not carry credentials"
    return None
