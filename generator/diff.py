"""Catalog diff for reviewers: what a change does to entries, modules and APIs, breaking first.

Breaking for API clients (and for links people keep): a published slug that disappears without
becoming an alias, and an entry whose status, error type or message changes (clients match on
them). Everything else (prose, APIs listing an entry, new entries) is reported but not breaking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model import Catalog, ErrorEntry
from generator.relations import CatalogRelations

IDENTITY_FIELDS = ("status", "status_class", "error_code", "error", "message")
TEXT_FIELDS = ("cause", "remedy", "drift_note")


@dataclass
class FieldChange:
    field: str
    before: str
    after: str


@dataclass
class CatalogDiff:
    breaking: list[str] = field(default_factory=list)
    added: list[ErrorEntry] = field(default_factory=list)
    removed: list[ErrorEntry] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)
    modules_added: list[str] = field(default_factory=list)
    modules_removed: list[str] = field(default_factory=list)
    apis_added: list[str] = field(default_factory=list)
    apis_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.renamed,
                self.changed,
                self.modules_added,
                self.modules_removed,
                self.apis_added,
                self.apis_removed,
            )
        )


def _show(value: object) -> str:
    if value is None:
        return "—"
    if hasattr(value, "zh"):
        return value.zh  # type: ignore[union-attr]
    return str(value)


def diff_catalogs(base: Catalog, head: Catalog) -> CatalogDiff:
    """Compare two checked catalogs."""
    result = CatalogDiff()
    base_entries = {e.slug: e for e in base.entries}
    head_entries = {e.slug: e for e in head.entries}
    head_aliases = {alias: e.slug for e in head.entries for alias in e.aliases}
    base_rel, head_rel = CatalogRelations.build(base), CatalogRelations.build(head)

    for slug, entry in base_entries.items():
        if slug in head_entries:
            continue
        if slug in head_aliases:
            result.renamed.append((slug, head_aliases[slug]))
        else:
            result.removed.append(entry)
            result.breaking.append(f"entry `{slug}` was removed without an alias: its URL breaks")
    renamed_to = {new for _, new in result.renamed}
    result.added = [e for s, e in head_entries.items() if s not in base_entries and s not in renamed_to]

    pairs = [(base_entries[s], head_entries[s]) for s in base_entries if s in head_entries]
    pairs += [(base_entries[old], head_entries[new]) for old, new in result.renamed]
    for before, after in pairs:
        changes = []
        for name in IDENTITY_FIELDS:
            old, new = getattr(before, name), getattr(after, name)
            if old != new:
                changes.append(FieldChange(name, _show(old), _show(new)))
                result.breaking.append(f"entry `{after.slug}`: {name} changed from `{_show(old)}` to `{_show(new)}`")
        for name in (*TEXT_FIELDS, "category", "message_template", "retry"):
            old, new = getattr(before, name), getattr(after, name)
            if old != new:
                changes.append(FieldChange(name, _show(old), _show(new)))
        old_apis = {ref.api.id for ref in base_rel.occurrences[before.slug]}
        new_apis = {ref.api.id for ref in head_rel.occurrences[after.slug]}
        if old_apis != new_apis:
            gone, new = sorted(old_apis - new_apis), sorted(new_apis - old_apis)
            changes.append(FieldChange("apis", ", ".join(gone) or "—", ", ".join(new) or "—"))
        if changes:
            result.changed[after.slug] = changes

    base_modules, head_modules = {m.key for m in base.modules}, {m.key for m in head.modules}
    result.modules_added = sorted(head_modules - base_modules)
    result.modules_removed = sorted(base_modules - head_modules)
    base_apis = {api.id for f in base.api_files for api in f.apis}
    head_apis = {api.id for f in head.api_files for api in f.apis}
    result.apis_added = sorted(head_apis - base_apis)
    result.apis_removed = sorted(base_apis - head_apis)
    return result


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")


def format_markdown(diff: CatalogDiff, base_label: str) -> str:
    """The reviewer's report, as GitHub-flavoured Markdown."""
    lines = [f"## Error catalog changes against `{base_label}`", ""]
    if diff.empty:
        return "\n".join([*lines, "No changes to entries, modules or APIs.", ""])
    if diff.breaking:
        lines += ["### ⚠️ Breaking changes", ""]
        lines += [f"- {item}" for item in diff.breaking]
        lines.append("")
    summary = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
        f"{len(diff.changed)} changed entries; {len(diff.apis_added)} APIs added, {len(diff.apis_removed)} removed"
    )
    lines += [summary, ""]
    if diff.added:
        lines += ["### Entries added", "", "| slug | status | error | message |", "| --- | --- | --- | --- |"]
        for e in diff.added:
            lines.append(f"| `{e.slug}` | {_show(e.status)} | `{_cell(_show(e.error))}` | {_cell(_show(e.message))} |")
        lines.append("")
    if diff.removed:
        lines += ["### Entries removed", ""]
        lines += [f"- `{e.slug}` ({_show(e.status)} `{_cell(_show(e.error))}`)" for e in diff.removed]
        lines.append("")
    if diff.renamed:
        lines += ["### Entries renamed (old URL redirects)", ""]
        lines += [f"- `{old}` → `{new}`" for old, new in diff.renamed]
        lines.append("")
    if diff.changed:
        lines += ["### Entries changed", ""]
        for slug, changes in diff.changed.items():
            lines += [f"#### `{slug}`", "", "| field | before | after |", "| --- | --- | --- |"]
            lines += [f"| {c.field} | {_cell(c.before)} | {_cell(c.after)} |" for c in changes]
            lines.append("")
    for title, items in (
        ("Modules added", diff.modules_added),
        ("Modules removed", diff.modules_removed),
        ("APIs added", diff.apis_added),
        ("APIs removed", diff.apis_removed),
    ):
        if items:
            lines += [f"### {title}", "", *(f"- `{item}`" for item in items), ""]
    return "\n".join(lines)
