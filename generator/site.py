"""The whole generated site as one value: pages, static files and navigation of one language.

``build_site_content`` is what the MkDocs plugin, ``python -m generator render`` and the
benchmarks call; MkDocs then only converts, themes and writes what it is given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import urls
from generator.escape import html_text
from generator.export import export_json, export_schema
from generator.fragments import finished_html
from generator.machine_readable import machine_readable_files
from generator.memory import collector_paused
from generator.model import Catalog
from generator.postprocess import lift_finished_html
from generator.relations import CatalogRelations
from generator.render import environments, render_not_found_page, render_pages, template_problems
from generator.views import SiteViews


@dataclass(frozen=True)
class GeneratedPage:
    """One page: the Markdown MkDocs converts, and the finished HTML blocks lifted out of it
    (``postprocess.finish_page`` puts them back)."""

    markdown: str
    finished_blocks: dict[str, str]
    in_nav: bool

    def whole_markdown(self) -> str:
        """The Markdown with its finished HTML in place: the same page without the lift."""
        markdown = self.markdown
        for placeholder, block in self.finished_blocks.items():
            markdown = markdown.replace(placeholder, finished_html(block), 1)
        return markdown


@dataclass(frozen=True)
class NotFoundPage:
    """What the theme's 404 page shows (generator/theme_overrides/404.html): its title, HTML-escaped
    (themes insert titles unescaped), its article and the scripts it loads (paths from the root)."""

    title: str
    html: str
    scripts: list[str]


@dataclass(frozen=True)
class SiteContent:
    pages: dict[str, GeneratedPage]  # source URI -> page
    static_files: dict[str, str]  # site path -> content (catalog.json, redirects, llms.txt, twins, ...)
    nav: list[Any]  # MkDocs `nav` items of the generated pages
    lang: str
    not_found: NotFoundPage

    def collisions(self, hand_written: set[str]) -> list[str]:
        """What is wrong when hand-written files (docs/) stand where this site generates one."""
        pages = [
            f"docs/{uri} is hand-written, but the error catalog generates the page {uri}; rename or remove docs/{uri}"
            for uri in self.pages
            if uri in hand_written
        ]
        files = [
            f"docs/{path} already exists, but the error catalog generates {path}; remove one"
            for path in self.static_files
            if path in hand_written
        ]
        return pages + files


def build_site_content(catalog: Catalog, template_dirs: Sequence[Path], site_url: str, lang: str = "zh") -> SiteContent:
    """Every generated page and file of a checked catalog, for ``site_url``, in ``lang``.

    Raises ``render.TemplateProblem`` when a template is broken.
    """
    with collector_paused(), template_problems():
        rel = CatalogRelations.build(catalog)
        views = SiteViews(catalog, rel, lang)
        rendered = render_pages(catalog, template_dirs, rel, views)
        in_nav = {spec.uri for spec in rendered.specs if spec.nav_title is not None}
        pages = {}
        for uri, markdown in rendered.markdown.items():
            lifted, blocks = lift_finished_html(markdown)
            pages[uri] = GeneratedPage(lifted, blocks, uri in in_nav)
        static_files = {
            urls.CATALOG_JSON: export_json(catalog, site_url or "/", rel, views),
            urls.ALL_ERRORS_ROWS: all_errors_rows(catalog, rel, views),
            urls.CATALOG_SCHEMA_JSON: json.dumps(export_schema(), ensure_ascii=False, indent=2) + "\n",
            **redirect_pages(catalog, views, template_dirs),
            **machine_readable_files(catalog, rel, views, site_url),
        }
        root_path = urlsplit(site_url or "/").path or "/"
        article = render_not_found_page(views, root_path, template_dirs)
        not_found = NotFoundPage(html_text(views.ui("not_found.title")), article, [urls.PAGE_SCRIPTS["lookup"]])
        return SiteContent(pages, static_files, rendered.nav, lang, not_found)


def all_errors_rows(catalog: Catalog, rel: CatalogRelations, views: SiteViews) -> str:
    """The all-errors table's rows as JSON, for docs/assets/errors-table.js.

    ``{"modules": {key: name}, "rows": [...]}``; each row, in status order, is ``[slug, status or
    null, the status as shown, error type or null, message or null, module keys ("all" for
    every API), the remedy's first sentence with `code` spans]``, and where the message is null,
    what stands in for it. Plain text only: the script escapes everything it inserts.
    """
    rows = []
    for entry in rel.sorted_entries():
        view = views.entries[entry.slug]
        row = [view.slug, view.status, view.status_text, view.error, view.message, view.modules, view.remedy_summary]
        rows.append(row if view.message is not None else [*row, view.message_text])
    names = {key: module.name for key, module in views.modules.items()}
    return json.dumps({"modules": names, "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def redirect_pages(catalog: Catalog, views: SiteViews, template_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """``{path: html}`` for every alias: the old URL forwards to the entry's current page."""
    template = environments(template_dirs)[1].get_template("alias_redirect.html.jinja")
    pages = {}
    for entry in catalog.entries:
        for alias in entry.aliases:
            context = {"t": views.ui, "views": views, "entry": views.entries[entry.slug], "target": f"../{entry.slug}/"}
            pages[urls.alias_redirect_path(alias)] = template.render(**context) + "\n"
    return pages
