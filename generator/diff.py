"""Catalog diff for reviewers: what a change does to entries, modules and APIs, breaking first.

Breaking for API clients (and for links people keep): a published slug that disappears without
becoming an alias, and an entry whose status, error type or message changes (clients match on
them). Everything else (prose, APIs listing an entry, new entries) is reported but not breaking.

The report is posted as a pull request comment, so the catalog text in it is untrusted: every piece
of it is a code span (see ``md_code``), where GitHub makes no link, image, HTML, mention, issue
reference or emphasis. Escaping text outside code spans would not be enough: GitHub finds
``@name``, ``#123`` and bare URLs in the rendered text, after Markdown's escapes are undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import Catalog, ErrorEntry
from generator.relations import CatalogRelations
from generator.terminal import terminal_safe

IDENTITY_FIELDS = ("status", "status_class", "error_code", "error", "message")
TEXT_FIELDS = ("cause", "remedy", "drift_note")


@dataclass
class FieldChange:
    field: str
    before: str | None  # None: the field was not set
    after: str | None


@dataclass(frozen=True)
class BreakingChange:
    """An entry removed without an alias (``change`` is None), or a change to what clients match on."""

    slug: str
    change: FieldChange | None = None


@dataclass
class CatalogDiff:
    breaking: list[BreakingChange] = field(default_factory=list)
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


def _show(value: object) -> str | None:
    if value is None:
        return None
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
            result.breaking.append(BreakingChange(slug))
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
                result.breaking.append(BreakingChange(after.slug, changes[-1]))
        for name in (*TEXT_FIELDS, "category", "message_template", "retry"):
            old, new = getattr(before, name), getattr(after, name)
            if old != new:
                changes.append(FieldChange(name, _show(old), _show(new)))
        old_apis = {ref.api.id for ref in base_rel.occurrences[before.slug]}
        new_apis = {ref.api.id for ref in head_rel.occurrences[after.slug]}
        if old_apis != new_apis:
            gone, new = sorted(old_apis - new_apis), sorted(new_apis - old_apis)
            changes.append(FieldChange("apis", ", ".join(gone) or None, ", ".join(new) or None))
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


_BACKTICK_RUN = re.compile("`+")


def md_code(text: str, *, in_table: bool = False) -> str:
    """Any text as a GFM code span that shows it verbatim, on one line, terminal-safe.

    The fence is one backtick longer than the longest run inside, so no run can close it early;
    a space pads text that starts or ends with a backtick (or with a space at both ends), since
    a code span drops one space at each end. In a table cell a pipe ends the cell even inside a
    code span, so there it is written ``\\|``, which GFM turns back into ``|``.
    """
    text = terminal_safe(text, starts_line=False)  # newlines and controls become visible escapes
    if not text:
        return "(empty)"
    fence = "`" * (max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0) + 1)
    if text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " " and text.strip(" ")):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def _value(text: str | None, *, in_table: bool = False) -> str:
    return "—" if text is None else md_code(text, in_table=in_table)


def _cell(text: str | None) -> str:
    return _value(text, in_table=True)


def _status(entry: ErrorEntry) -> str:
    return "—" if entry.status is None else str(entry.status)  # an int: nothing to escape


def _breaking_line(item: BreakingChange) -> str:
    if item.change is None:
        return f"- entry {md_code(item.slug)} was removed without an alias: its URL breaks"
    change = item.change
    return (
        f"- entry {md_code(item.slug)}: {change.field} changed from {_value(change.before)} to {_value(change.after)}"
    )


def format_markdown(diff: CatalogDiff, base_label: str) -> str:
    """The reviewer's report, as GitHub-flavoured Markdown; every catalog text in it is a code span."""
    lines = [f"## Error catalog changes against {md_code(base_label)}", ""]
    if diff.empty:
        return "\n".join([*lines, "No changes to entries, modules or APIs.", ""])
    if diff.breaking:
        lines += ["### ⚠️ Breaking changes", ""]
        lines += [_breaking_line(item) for item in diff.breaking]
        lines.append("")
    summary = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
        f"{len(diff.changed)} changed entries; {len(diff.apis_added)} APIs added, {len(diff.apis_removed)} removed"
    )
    lines += [summary, ""]
    if diff.added:
        lines += ["### Entries added", "", "| slug | status | error | message |", "| --- | --- | --- | --- |"]
        for e in diff.added:
            lines.append(f"| {_cell(e.slug)} | {_status(e)} | {_cell(_show(e.error))} | {_cell(_show(e.message))} |")
        lines.append("")
    if diff.removed:
        lines += ["### Entries removed", ""]
        lines += [f"- {md_code(e.slug)} ({_status(e)} {_value(_show(e.error))})" for e in diff.removed]
        lines.append("")
    if diff.renamed:
        lines += ["### Entries renamed (old URL redirects)", ""]
        lines += [f"- {md_code(old)} → {md_code(new)}" for old, new in diff.renamed]
        lines.append("")
    if diff.changed:
        lines += ["### Entries changed", ""]
        for slug, changes in diff.changed.items():
            lines += [f"#### {md_code(slug)}", "", "| field | before | after |", "| --- | --- | --- |"]
            lines += [f"| {c.field} | {_cell(c.before)} | {_cell(c.after)} |" for c in changes]
            lines.append("")
    for title, items in (
        ("Modules added", diff.modules_added),
        ("Modules removed", diff.modules_removed),
        ("APIs added", diff.apis_added),
        ("APIs removed", diff.apis_removed),
    ):
        if items:
            lines += [f"### {title}", "", *(f"- {md_code(item)}" for item in items), ""]
    return "\n".join(lines)
