"""Finished HTML fragments: tables and lists of entries, rendered from overridable templates.

Tables of entries appear on status, module, category and type pages, and every entry page lists
its APIs and entries of its type. As finished HTML they skip Python-Markdown and the search
indexer (see ``postprocess``), and each row is rendered once per way back to the site root and
reused on every page at that depth (entry pages repeat the same rows many times over).
Templates reach this as ``tables``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from generator.model import ErrorEntry
from generator.relations import ApiRef, CatalogRelations
from generator.urls import Linker, RootUrls
from generator.views import EntryView, SiteViews

FINISHED_HTML_START = "<!--ec:finished-->"
FINISHED_HTML_END = "<!--/ec:finished-->"


def finished_html(fragment: str) -> str:
    """Mark HTML the generator has finished (escaped, links resolved) for ``postprocess.lift_finished_html``."""
    return f"{FINISHED_HTML_START}\n{fragment}\n{FINISHED_HTML_END}"


class EntryTables:
    """``tables(entries, link, ...)`` for a table of entries, ``.apis``, ``.same_type``, ``.facts``."""

    def __init__(self, rel: CatalogRelations, views: SiteViews, render: Callable[..., str], same_type_limit: int = 5):
        self.rel = rel
        self.views = views
        self._render = render  # (template name, **context) -> HTML
        self._rows: dict[tuple[object, ...], Markup] = {}
        self._urls: dict[str, RootUrls] = {}
        self.same_type_limit = same_type_limit

    def _root_urls(self, link: Linker) -> RootUrls:
        if link.root not in self._urls:
            self._urls[link.root] = RootUrls(link.root, self.rel.type_anchors)
        return self._urls[link.root]

    def _cached(self, key: tuple[object, ...], template: str, **context: Any) -> Markup:
        if key not in self._rows:
            self._rows[key] = Markup(self._render(template, **context))
        return self._rows[key]

    def __call__(
        self,
        entries: Sequence[ErrorEntry | EntryView],
        link: Linker,
        show_modules: bool = False,
        show_status: bool = True,
        show_remedy: bool = True,
    ) -> str:
        urls = self._root_urls(link)
        columns = {"status": show_status, "remedy": show_remedy, "modules": show_modules}
        column_key = (show_modules, show_status, show_remedy)
        rows = [
            self._cached(
                ("entry", entry.slug, column_key, urls.root),
                "entry_row.html.jinja",
                entry=self.views.entries[entry.slug],
                columns=columns,
                urls=urls,
            )
            for entry in entries
        ]
        return finished_html(self._render("entries_table.html.jinja", rows=rows, columns=columns))

    def apis(self, occurrences: Sequence[ApiRef], link: Linker) -> str:
        """The APIs whose error tables list an entry."""
        urls = self._root_urls(link)
        rows = [
            self._cached(
                ("api", ref.api.id, urls.root), "api_row.html.jinja", api=self.views.apis[ref.api.id], urls=urls
            )
            for ref in occurrences
        ]
        return finished_html(self._render("entry_apis.html.jinja", rows=rows))

    def same_type(self, entry: ErrorEntry | EntryView, link: Linker) -> str:
        """Some other entries of this entry's error type, and a link to the rest ("" if none)."""
        others, total = self.rel.same_type(self.rel.entries[entry.slug], self.same_type_limit)
        if not others:
            return ""
        urls = self._root_urls(link)
        items = [
            self._cached(
                ("same-type", other.slug, urls.root),
                "same_type_item.html.jinja",
                entry=self.views.entries[other.slug],
                urls=urls,
            )
            for other in others
        ]
        more = total if total > self.same_type_limit else None
        view = self.views.entries[entry.slug]
        return finished_html(self._render("same_type_list.html.jinja", entry=view, items=items, total=more, urls=urls))

    def facts(self, entry: ErrorEntry | EntryView, link: Linker) -> str:
        """An entry page's facts table: status, type, message, category, modules, retry."""
        view = self.views.entries[entry.slug]
        status = self.views.statuses.get(view.status) if view.status is not None else None
        return finished_html(
            self._render("entry_facts.html.jinja", entry=view, status=status, urls=self._root_urls(link))
        )
