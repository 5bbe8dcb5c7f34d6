"""Machines as readers: one edition's ``llms.txt`` and a Markdown twin of every entry page.

``llms.txt`` follows the llms.txt proposal (llmstxt.org): an H1 with the site's name, a
blockquote summary, a note on how to read the file, then H2 sections of ``- [name](url): note``
lines: the overview pages, every entry (linked to its twin, with its title and one-line remedy)
and the data files. A twin (``errors/<slug>.md``) is the entry page as plain CommonMark, whole in
itself: the facts, cause, remedy, APIs, drift and changes in the vendor's docs, and a link to the
page.

Everything comes from the views, in the edition's language (one wording per fact; labels from
``ui_text.yaml``). UI text is ours and goes in as Markdown; catalog text goes through the
``commonmark_*`` helpers of ``escape``. Inside link text, literals are escaped text rather than
code spans: parsers that do not give code spans precedence over brackets (Python-Markdown) would
let a ``]`` in a literal end the link. No I/O: the site hands these files to MkDocs as static files.
"""

from __future__ import annotations

from generator import urls
from generator.escape import commonmark_code, commonmark_prose, commonmark_text, md_fence
from generator.model import ALL_MODULES, Catalog
from generator.relations import CatalogRelations
from generator.views import ApiView, EntryView, SiteViews

# What follows a link of llms.txt before its note: ASCII in every language, as the proposal has it.
NOTE = ": "
# The overview pages in llms.txt, with the UI text that says what each is for.
OVERVIEW_NOTES = {
    "home": "machine.home_note",
    "lookup": "home.lookup_hint",
    "statuses": "home.statuses_hint",
    "modules": "home.modules_hint",
    "categories": "machine.categories_note",
    "remedies": "home.remedies_hint",
    "types": "home.types_hint",
    "all_errors": "home.all_errors_hint",
}


def machine_readable_files(catalog: Catalog, rel: CatalogRelations, views: SiteViews, site_url: str) -> dict[str, str]:
    """``{site path: text}``: ``llms.txt`` and the twin of every entry, with absolute URLs under
    ``site_url`` (the edition's URL)."""
    writer = MachineText(catalog, rel, views, site_url)
    files = {urls.LLMS_TXT: writer.llms_txt()}
    for entry in catalog.entries:
        view = views.entries[entry.slug]
        files[view.twin] = writer.entry_twin(view)
    return files


class MachineText:
    """The Markdown of one edition for machines; ``site_url`` makes every URL absolute."""

    def __init__(self, catalog: Catalog, rel: CatalogRelations, views: SiteViews, site_url: str):
        self.catalog, self.rel, self.views, self.ui = catalog, rel, views, views.ui
        self.site_url = site_url or "/"
        self._api_lines: dict[str, str] = {}  # an API is listed on the twin of each of its entries

    def page_url(self, uri: str, anchor: str = "") -> str:
        return urls.absolute_url(self.site_url, uri, anchor)

    def twin_url(self, entry: EntryView) -> str:
        return urls.absolute_file_url(self.site_url, entry.twin)

    # llms.txt

    def llms_txt(self) -> str:
        ui, site = self.ui, self.catalog.site
        blocks = [
            f"# {commonmark_text(self.views.text(site.title))}",
            f"> {commonmark_prose(self.views.text(site.intro[0]))}",
            ui("machine.llms_note"),
            self._section(ui("machine.overview_section"), self._overview_lines()),
            self._section(ui("machine.entries_section"), self._entry_lines()),
            self._section(ui("machine.data_section"), self._data_lines()),
        ]
        return "\n\n".join(blocks) + "\n"

    @staticmethod
    def _section(heading: str, lines: list[str]) -> str:
        return "\n".join([f"## {heading}", "", *lines])

    def _overview_lines(self) -> list[str]:
        ui = self.ui
        counts = {"modules": len(self.views.modules), "apis": len(self.views.apis), "entries": len(self.views.entries)}
        return [
            f"- [{commonmark_text(ui(f'page.{name}'))}]({self.page_url(uri)}){NOTE}{ui(OVERVIEW_NOTES[name], **counts)}"
            for name, uri in urls.OVERVIEW_URIS.items()
        ]

    def _entry_lines(self) -> list[str]:
        """One line per entry, in status order. The link's name is the slug: it never holds a
        bracket (parsers of llms.txt read the name up to the first ``]``), and the title's
        literals stay byte-exact in the code spans of the note."""
        lines = []
        for entry in self.rel.sorted_entries():
            view = self.views.entries[entry.slug]
            note = self.ui("machine.entry_note", title=self._title(view), remedy=commonmark_prose(view.remedy_summary))
            lines.append(f"- [{view.slug}]({self.twin_url(view)}){NOTE}{note}")
        return lines

    def _data_lines(self) -> list[str]:
        files = ((urls.CATALOG_JSON, "machine.catalog_json"), (urls.CATALOG_SCHEMA_JSON, "machine.catalog_schema"))
        return [
            f"- [{path}]({urls.absolute_file_url(self.site_url, path)}){NOTE}{self.ui(note)}" for path, note in files
        ]

    # The twin of an entry page

    def entry_twin(self, entry: EntryView) -> str:
        ui = self.ui
        blocks = [
            f"# {self._title(entry)}",
            self._facts(entry),
            f"## {ui('entry.cause')}",
            commonmark_prose(entry.cause),
            f"## {ui('entry.remedy')}",
            commonmark_prose(entry.remedy),
            *self._example(entry),
            f"## {ui('entry.apis')}",
            self._apis(entry),
            *self._drift(entry),
            *self._changes(entry),
            f"[{ui('machine.html_page')}]({self.page_url(entry.uri)})",
        ]
        return "\n\n".join(blocks) + "\n"

    def _example(self, entry: EntryView) -> list[str]:
        """The example response, as on the page: a fenced block no backtick run can close."""
        if entry.example is None:
            return []
        return [f"## {self.ui('entry.example')}", self.ui("entry.example_intro"), md_fence(entry.example.text)]

    @staticmethod
    def _title(entry: EntryView) -> str:
        """``EntryView.title`` with the literals as code spans."""
        error = commonmark_code(entry.error) if entry.error is not None else commonmark_text(entry.error_named)
        message = commonmark_code(entry.message) if entry.message is not None else commonmark_text(entry.message_named)
        return f"{commonmark_text(entry.status_text)} {error}: {message}"

    def _facts(self, entry: EntryView) -> str:
        ui = self.ui
        if entry.status is not None:
            status = self.views.statuses[entry.status]
            status_fact = (
                f"[{status.code} {commonmark_text(status.reason)}]({self.page_url(status.uri)})"
                f"{ui('list.paren_open')}{commonmark_text(status.label)}{ui('list.paren_close')}"
            )
        else:
            status_fact = commonmark_prose(entry.status_explained or entry.status_text)
        facts = [
            (ui("column.http_status"), status_fact),
            (ui("column.error"), self._literal_or(entry.error, entry.error_explained)),
            (ui("column.message"), self._literal_or(entry.message, entry.message_explained)),
            (ui("column.category"), f"[{commonmark_text(entry.category.title)}]({self.page_url(entry.category.uri)})"),
            (ui("column.scope"), self._modules(entry)),
            (ui("column.retry"), commonmark_prose(entry.retry_text)),
        ]
        return "\n".join(f"- {label}{ui('list.colon')}{value}" for label, value in facts)

    @staticmethod
    def _literal_or(literal: str | None, explained: str | None) -> str:
        """The literal as code, or the facts table's wording of what the vendor's docs give instead."""
        return commonmark_code(literal) if literal is not None else commonmark_prose(explained or "")

    def _modules(self, entry: EntryView) -> str:
        if ALL_MODULES in entry.modules:
            return self.ui("stand_in.all_apis")
        modules = [self.views.modules[key] for key in entry.modules]
        links = [f"[{commonmark_text(module.name)}]({self.page_url(module.uri)})" for module in modules]
        return self.ui("list.separator").join(links)

    def _api_line(self, api: ApiView) -> str:
        line = self._api_lines.get(api.id)
        if line is None:
            line = self._api_lines[api.id] = self._new_api_line(api)
        return line

    def _new_api_line(self, api: ApiView) -> str:
        ui = self.ui
        link = f"[{commonmark_text(api.title)}]({self.page_url(api.module.uri, api.anchor)})"
        module = f"{ui('list.paren_open')}{commonmark_text(api.module.name)}{ui('list.paren_close')}"
        return f"{link}{module}{ui('list.colon')}{commonmark_code(api.method)} {commonmark_code(api.path)}"

    def _apis(self, entry: EntryView) -> str:
        occurrences = self.rel.occurrences[entry.slug]
        if not occurrences:
            return f"{self.ui('entry.no_api')}{self._modules(entry)}{self.ui('list.sentence_end')}"
        return "\n".join(f"- {self._api_line(self.views.of(ref))}" for ref in occurrences)

    def _drift(self, entry: EntryView) -> list[str]:
        ui = self.ui
        siblings = self.rel.message_siblings[entry.slug]
        if not (siblings or entry.drift_note):
            return []
        blocks = [f"## {ui('entry.drift')}"]
        if entry.drift_note:
            blocks.append(commonmark_prose(entry.drift_note))
        if siblings:
            count = len(self.rel.occurrences[entry.slug])
            lines = [f"- {ui('entry.drift_this')}{self._status_and_type(entry)}{ui('entry.api_count', count=count)}"]
            for sibling in siblings:
                other = self.views.entries[sibling.slug]
                count = len(self.rel.occurrences[other.slug])
                link = f"[{commonmark_text(f'{other.status_text} {other.error_text}')}]({self.twin_url(other)})"
                lines.append(f"- {link}{ui('entry.api_count', count=count)}")
            blocks += [ui("entry.drift_siblings"), "\n".join(lines)]
        return blocks

    @staticmethod
    def _status_and_type(entry: EntryView) -> str:
        error = commonmark_code(entry.error) if entry.error is not None else commonmark_text(entry.error_text)
        return f"{commonmark_text(entry.status_text)} {error}"

    def _changes(self, entry: EntryView) -> list[str]:
        ui = self.ui
        if not (entry.former_messages or entry.vendor_dropped):
            return []
        # Each note is a second paragraph of its list item, indented four spaces: CommonMark needs
        # two (past the marker), Python-Markdown four.
        items = [
            f"- {ui('entry.former_message', date=former.until)}{commonmark_code(former.message)}\n\n"
            f"    {commonmark_prose(former.note)}"
            for former in entry.former_messages
        ]
        for dropped in entry.vendor_dropped:
            api = f"[{commonmark_text(dropped.api.title)}]({self.page_url(dropped.api.module.uri, dropped.api.anchor)})"
            note = commonmark_prose(dropped.note)
            items.append(f"- {ui('entry.dropped', api=api, date=dropped.checked)}\n\n    {note}")
        return [f"## {ui('entry.changes')}", "\n".join(items)]
