"""Catalog checks: every problem found, in one pass, each pointing at ``file:line:col``.

Stages run in order; a later stage only runs on files the earlier ones accepted, but every stage
collects all of its problems before anything is reported.

0. Layout: the required files exist (``site.yaml``, ``statuses.yaml``, ``modules.yaml``,
   ``categories.yaml``, at least one ``errors/*.yaml``) and no unknown YAML file sits in the catalog.
1. Strict YAML (see ``load.py``): syntax, encoding, duplicate keys, aliases, tags.
2. Schema: each file matches its model in ``model.py`` (unknown keys, wrong types, missing keys,
   malformed slugs and keys, empty text).
3. Unique keys: status codes, module keys, category keys and entry slugs are each unique, and none
   is a reserved name (``index``, ``all``) that would collide with a fixed page or keyword.
4. Unique identity: no two entries share HTTP status + error type + message.
5. References resolve: an entry's status is listed in ``statuses.yaml``, its category in
   ``categories.yaml``, its modules in ``modules.yaml`` (or it is exactly ``[all]``).
6. Entry statuses are error statuses (4xx or 5xx).
7. Every category and every module is shown: a category has at least one entry; a module has at
   least one vendor page to link to (schema) and its entries, if any, reference it by key.
8. External links are ``https`` to an allowed host, with at most one ``#`` fragment.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from generator.load import Document, load_yaml_file
from generator.model import (
    KEY_PATTERN,
    SLUG_PATTERN,
    Catalog,
    CategoriesFile,
    EntriesFile,
    Link,
    ModulesFile,
    SiteFile,
    StatusesFile,
)
from generator.problems import CatalogError, KeyPath, Position, Problem

# Hosts catalog links may point at; anything else is a review question, not a silent link.
ALLOWED_LINK_HOSTS = frozenset({"doc.easemob.com", "console.easemob.com", "www.easemob.com"})
# Names that generated URLs or the model already use.
RESERVED_NAMES = frozenset({"index", "all"})
ALL_MODULES = "all"

SINGLE_FILES: dict[str, type[BaseModel]] = {
    "site.yaml": SiteFile,
    "statuses.yaml": StatusesFile,
    "modules.yaml": ModulesFile,
    "categories.yaml": CategoriesFile,
}
ENTRIES_DIR = "errors"

_PATTERN_HINTS = {
    SLUG_PATTERN: "must be lowercase ASCII letters and digits joined by single hyphens, e.g. 'user-not-found'",
    KEY_PATTERN: "must be lowercase ASCII letters, digits and underscores, starting with a letter",
}


@dataclass
class CheckResult:
    """The outcome of :func:`check_catalog`: the catalog if it is sound, and every problem found."""

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)

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


def load_catalog(catalog_dir: Path) -> Catalog:
    """Load and check a catalog; raise :class:`CatalogError` with every problem if it has any."""
    result = check_catalog(catalog_dir)
    if result.errors or result.catalog is None:
        raise CatalogError(result.errors)
    return result.catalog


def check_catalog(catalog_dir: Path) -> CheckResult:
    """Run every stage over ``catalog_dir`` and return the catalog (if sound) with all problems."""
    catalog_dir = Path(catalog_dir)
    problems: list[Problem] = []
    if not catalog_dir.is_dir():
        return CheckResult(None, [Problem(catalog_dir, Position(1, 1), (), "catalog directory does not exist")])

    # Stage 0: layout.
    entry_paths = sorted((catalog_dir / ENTRIES_DIR).glob("*.yaml"))
    expected = {catalog_dir / name for name in SINGLE_FILES} | set(entry_paths)
    for name in SINGLE_FILES:
        if not (catalog_dir / name).is_file():
            problems.append(Problem(catalog_dir / name, Position(1, 1), (), "required catalog file is missing"))
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
    for path, model in [
        *((catalog_dir / n, m) for n, m in SINGLE_FILES.items()),
        *((p, EntriesFile) for p in entry_paths),
    ]:
        if not path.is_file():
            continue
        document, load_problems = load_yaml_file(path)
        problems += load_problems
        if load_problems:
            continue
        validated = _validate_document(document, model, problems)
        if validated is None:
            continue
        if isinstance(validated, EntriesFile):
            entry_files.append((document, validated))
        else:
            parsed[path.name] = (document, validated)

    if problems or len(parsed) != len(SINGLE_FILES) or not entry_files:
        return CheckResult(None, sorted(problems, key=Problem.sort_key))

    site_doc, site_file = parsed["site.yaml"]
    statuses_doc, statuses_file = parsed["statuses.yaml"]
    modules_doc, modules_file = parsed["modules.yaml"]
    categories_doc, categories_file = parsed["categories.yaml"]
    catalog = Catalog(
        site=site_file.site,  # type: ignore[attr-defined]
        statuses=statuses_file.statuses,  # type: ignore[attr-defined]
        modules=modules_file.modules,  # type: ignore[attr-defined]
        categories=categories_file.categories,  # type: ignore[attr-defined]
        entries=[entry for _, f in entry_files for entry in f.entries],
    )
    where = _Where(
        site=_Located(site_doc, ("site",)),
        statuses=[_Located(statuses_doc, ("statuses", i)) for i in range(len(catalog.statuses))],
        modules=[_Located(modules_doc, ("modules", i)) for i in range(len(catalog.modules))],
        categories=[_Located(categories_doc, ("categories", i)) for i in range(len(catalog.categories))],
        entries=[_Located(doc, ("entries", i)) for doc, f in entry_files for i in range(len(f.entries))],
    )
    problems += _check_consistency(catalog, where)
    errors = [p for p in problems if p.severity == "error"]
    return CheckResult(None if errors else catalog, sorted(problems, key=Problem.sort_key))


@dataclass
class _Where:
    site: _Located
    statuses: list[_Located]
    modules: list[_Located]
    categories: list[_Located]
    entries: list[_Located]


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

    # 3. Unique keys, none reserved.
    for items, locs, attr in (
        (catalog.statuses, where.statuses, "code"),
        (catalog.modules, where.modules, "key"),
        (catalog.categories, where.categories, "key"),
        (catalog.entries, where.entries, "slug"),
    ):
        problems += _duplicates([getattr(item, attr) for item in items], locs, attr)
        for item, loc in zip(items, locs, strict=True):
            if getattr(item, attr) in RESERVED_NAMES:
                problems.append(loc.problem((attr,), f"{getattr(item, attr)!r} is a reserved name; choose another"))

    # 4. Unique identity.
    identities = [(e.status, e.error, e.message) for e in catalog.entries]
    first: dict[tuple[int, str, str], int] = {}
    for index, identity in enumerate(identities):
        if identity in first:
            other = catalog.entries[first[identity]].slug
            problems.append(
                where.entries[index].problem(
                    ("message",), f"same status, error and message as entry {other!r}; merge the two entries"
                )
            )
        else:
            first[identity] = index

    # 5 and 6. References resolve; entry statuses are errors.
    status_codes = {s.code for s in catalog.statuses}
    module_keys = [m.key for m in catalog.modules]
    category_keys = [c.key for c in catalog.categories]
    for entry, loc in zip(catalog.entries, where.entries, strict=True):
        if not 400 <= entry.status <= 599:
            problems.append(loc.problem(("status",), f"{entry.status} is not an HTTP error status (400-599)"))
        elif entry.status not in status_codes:
            problems.append(loc.problem(("status",), f"status {entry.status} is not listed in statuses.yaml"))
        if entry.category not in category_keys:
            problems.append(loc.problem(("category",), _unknown("category", entry.category, category_keys)))
        if not entry.modules:
            problems.append(loc.problem(("modules",), "list at least one module key, or [all]"))
        elif ALL_MODULES in entry.modules and len(entry.modules) > 1:
            problems.append(loc.problem(("modules",), "'all' already covers every module; list it alone"))
        for index, key in enumerate(entry.modules):
            if key != ALL_MODULES and key not in module_keys:
                problems.append(loc.problem(("modules", index), _unknown("module", key, module_keys)))

    # 7. Every category is shown with entries.
    used_categories = {e.category for e in catalog.entries}
    for category, loc in zip(catalog.categories, where.categories, strict=True):
        if category.key not in used_categories:
            problems.append(loc.problem(("key",), f"category {category.key!r} has no entries; remove it or use it"))

    # 8. External links.
    for link, loc, sub_path in _links(catalog, where):
        message = _link_problem(link.url)
        if message:
            problems.append(loc.problem((*sub_path, "url"), message))
    return problems


def _duplicates(values: list[Any], locs: list[_Located], attr: str) -> list[Problem]:
    problems = []
    first_loc: dict[Any, _Located] = {}
    for value, loc in zip(values, locs, strict=True):
        if value in first_loc:
            earlier = first_loc[value]
            position = earlier.document.position((*earlier.key_path, attr))
            problems.append(
                loc.problem(
                    (attr,),
                    f"duplicate {attr} {value!r} (first used at {earlier.document.path.name}:{position.line})",
                )
            )
        else:
            first_loc[value] = loc
    return problems


def _unknown(kind: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} {value!r}{hint}"


def _links(catalog: Catalog, where: _Where) -> Iterable[tuple[Link, _Located, KeyPath]]:
    yield catalog.site.vendor_docs, where.site, ("vendor_docs",)
    for items, locs, attr in (
        (catalog.statuses, where.statuses, "see_also"),
        (catalog.modules, where.modules, "vendor_pages"),
        (catalog.categories, where.categories, "see_also"),
        (catalog.entries, where.entries, "see_also"),
    ):
        for item, loc in zip(items, locs, strict=True):
            for index, link in enumerate(getattr(item, attr)):
                yield link, loc, (attr, index)


def _link_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"{url!r} must use https"
    if parts.hostname not in ALLOWED_LINK_HOSTS:
        return f"host {parts.hostname!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_LINK_HOSTS))}"
    if "#" in parts.fragment:
        return f"{url!r} has more than one '#' fragment"
    if parts.username or parts.password:
        return f"{url!r} must not carry credentials"
    return None
