"""MkDocs glue: load the catalog, add its pages as virtual files, build the navigation.

Live reload comes from ``watch:`` in mkdocs.yml (the catalog and the template folders). While
serving, unchanged pages are reused from the last build (``page_cache``), so an edit shows within
about a second instead of a full rebuild's eight.

The only module that imports ``mkdocs``. The work is done by ``validate`` and ``render``; this
class only moves their results into MkDocs at the right events.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from generator.export import export_json, export_schema
from generator.output_guard import OutputRefused, check_output_folder, mark_output_folder, project_at
from generator.page_cache import CompiledTemplates, PageCache, RenderedPage, digest
from generator.problems import CatalogError
from generator.relations import CatalogRelations
from generator.render import (
    ALL_ERRORS_ROWS,
    TEMPLATES_DIR,
    TemplateProblem,
    all_errors_rows,
    compact_html,
    lift_finished_html,
    navigation,
    page_specs,
    redirect_pages,
    render_pages,
    restore_finished_html,
)
from generator.search_patch import SEARCH_INDEX, patch_site
from generator.theme_assets import unused_theme_assets
from generator.validate import check_catalog

log = logging.getLogger("mkdocs.plugins.error_catalog")

REUSED_PAGE_TEMPLATE = "error-catalog-reused-page.html"
REUSED_PAGE_VARIABLE = "error_catalog_reused_html"
REUSED_PAGE_SOURCE = "{% autoescape false %}{{ " + REUSED_PAGE_VARIABLE + " }}{% endautoescape %}"


class ErrorCatalogConfig(Config):
    catalog = config_options.Type(str, default="catalog")
    """Catalog directory, relative to mkdocs.yml."""
    templates = config_options.Type(str, default="templates")
    """Folder of template overrides, relative to mkdocs.yml; searched before the package's templates."""


class ErrorCatalogPlugin(BasePlugin[ErrorCatalogConfig]):
    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._finished: dict[str, dict[str, str]] = {}
        self._static: dict[str, str] = {}
        self._serving = False
        self._in_nav: set[str] = set()
        self._nav: list = []
        # Serving only: the page cache and what the current build took from it.
        self._cache: PageCache | None = None
        self._compiled_templates = CompiledTemplates()
        self._navigation: Navigation | None = None
        self._doc_pages: list[Page] = []
        self._render_inputs = ""
        self._render_keys: dict[str, str] = {}
        self._output_keys: dict[str, str] = {}
        self._reused_renders: dict[str, RenderedPage] = {}
        self._reused_outputs: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self._serving = command == "serve"
        self._cache = PageCache() if self._serving else None

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Generated pages give headings and index lines their anchors with attribute lists.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        # Checked before MkDocs cleans site_dir, so a bad catalog leaves the last site untouched.
        result = check_catalog(self._path(config, self.config.catalog))
        # Drift in the vendor's docs is a review item, not a broken site: it must not fail --strict.
        if result.warnings:
            log.info(
                f"The error catalog has {len(result.warnings)} warning(s); "
                "run `python -m generator check` to list them."
            )
        if result.errors or result.catalog is None:
            listed = CatalogError(result.problems)  # warnings too: the same lines as `check`
            return self._keep_last_good_site(
                config, f"The error catalog has {len(result.errors)} problem(s):\n{listed}", "the catalog"
            )
        self._claim_site_dir(config)
        _teach_jieba(result.search_terms)
        templates = self._path(config, self.config.templates)
        rel = CatalogRelations.build(result.catalog)  # shared by the pages and the export
        try:
            pages = render_pages(result.catalog, [templates] if templates.is_dir() else [], rel)
        except TemplateProblem as problem:
            return self._keep_last_good_site(config, f"An error catalog template is broken:\n{problem}", "the template")
        # The entry tables skip Markdown and the search indexer; on_post_page puts them back.
        self._pages, self._finished = {}, {}
        for uri, markdown in pages.items():
            self._pages[uri], self._finished[uri] = lift_finished_html(markdown)
        # Static files next to the pages: the export the lookup page reads, its schema, alias redirects.
        self._static = {
            "catalog.json": export_json(result.catalog, config.site_url or "/", rel),
            ALL_ERRORS_ROWS: all_errors_rows(result.catalog, rel),
            "catalog.schema.json": json.dumps(export_schema(), ensure_ascii=False, indent=2) + "\n",
            **redirect_pages(result.catalog),
        }
        self._in_nav = {spec.uri for spec in page_specs(result.catalog) if spec.in_nav}
        if config.nav is None:
            self._nav = navigation(result.catalog)
        return config

    def _claim_site_dir(self, config: MkDocsConfig) -> None:
        """Refuse a site_dir holding anyone's files, then mark it as this site's build. Runs in
        on_config, before MkDocs empties site_dir (``mkdocs build -d catalog`` would)."""
        root = Path(config.config_file_path).parent
        sources = {
            Path(config.docs_dir): "the docs folder (docs_dir)",
            self._path(config, self.config.catalog): "the catalog folder",
            self._path(config, self.config.templates): "the template overrides folder",
            TEMPLATES_DIR.parent: "the generator package",
            Path(config.config_file_path): "the MkDocs config",
        }
        if config.theme.custom_dir:
            sources.setdefault(Path(config.theme.custom_dir), "the theme's custom_dir")
        for watched in config.watch:
            sources.setdefault(Path(watched), "a folder `mkdocs serve` watches")
        try:
            site_dir = check_output_folder(Path(config.site_dir), project_at(root, sources), "the site (site_dir)")
        except OutputRefused as error:
            raise PluginError(str(error)) from error
        mark_output_folder(site_dir)

    def _keep_last_good_site(self, config: MkDocsConfig, message: str, what: str) -> MkDocsConfig:
        """Fail the build with ``message``; while serving, rebuild the last good site instead.

        MkDocs' server would otherwise hold every request until a build succeeds. Printed, not
        logged, so that `strict: true` does not turn the report into a traceback.
        """
        if not (self._serving and self._pages):
            raise PluginError(message)
        print(f"{message}\nStill serving the last good build; fix {what} and save.", file=sys.stderr)
        self._claim_site_dir(config)
        return config

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self._cache is not None:
            self._complete_search_index(config)
        for worker in patch_site(Path(config.site_dir)):
            log.warning(f"Could not fix Chinese query segmentation in {worker.name}; see generator/search_patch.py")
        if self._cache is not None:
            log.info(f"Reused {self._cache.reused_count} unchanged page(s) from the last build.")
            self._cache.commit()

    def on_build_error(self, *, error: Exception) -> None:
        if self._cache is not None:
            self._cache.clear()  # the next build starts from nothing rather than from half a build

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for uri, markdown in self._pages.items():
            existing = files.get_file_from_path(uri)
            if existing is not None and existing.generated_by is None:
                raise PluginError(
                    f"docs/{uri} is hand-written, but the error catalog generates the page {uri}; "
                    f"rename or remove docs/{uri}"
                )
            inclusion = InclusionLevel.UNDEFINED if uri in self._in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=markdown, inclusion=inclusion))
        for uri, content in self._static.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} already exists, but the error catalog generates {uri}; remove one")
            files.append(File.generated(config, uri, content=content))
        self._leave_out_unused_theme_assets(files, config)
        if config.nav is None:
            hand_written = [
                f.src_uri
                for f in files.documentation_pages()
                if f.generated_by is None and f.src_uri not in self._pages
            ]
            config.nav = [*self._nav, *hand_written]
        return files

    def _leave_out_unused_theme_assets(self, files: Files, config: MkDocsConfig) -> None:
        # Only the theme's own files: anything in docs/ or a custom_dir is the site's to keep.
        own_dirs = {Path(config.docs_dir).resolve()}
        if config.theme.custom_dir:
            own_dirs.add(Path(config.theme.custom_dir).resolve())
        theme_files = {
            f.src_uri: f
            for f in files
            if f.generated_by is None and f.abs_src_path and own_dirs.isdisjoint(Path(f.abs_src_path).resolve().parents)
        }
        search = config.plugins.get("material/search") or config.plugins.get("search")
        languages = search.config.lang if search is not None else None
        for uri in unused_theme_assets(theme_files, languages):
            files.remove(theme_files[uri])

    # Reuse of unchanged pages while serving; generator/page_cache.py explains the two levels.

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self._cache is not None:
            self._cache.start_build()
            self._navigation = nav
            # How Markdown converts depends on its settings and on which files links can resolve to.
            self._render_inputs = digest(
                config.markdown_extensions,
                config.mdx_configs,
                config.validation,
                config.use_directory_urls,
                sorted(f.src_uri for f in files),
            )
            self._render_keys = {}
            self._reused_renders = {}
            self._reused_outputs = {}
            self._output_keys = {}
        return nav

    @event_priority(-100)  # last, so the key is the Markdown every other plugin has finished with
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._cache is None:
            return markdown
        finished = self._finished.get(page.file.src_uri, {})
        key = digest(self._render_inputs, page.file.src_uri, markdown, "".join(finished.values()))
        self._render_keys[page.file.src_uri] = key
        cached = self._cache.reusable_render(page.file.src_uri, key)
        if cached is None:
            return markdown
        self._reused_renders[page.file.src_uri] = cached
        return ""  # converts in no time; on_page_content puts the last build's HTML back

    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._cache is None:
            return html
        src_uri = page.file.src_uri
        cached = self._reused_renders.get(src_uri)
        if cached is None:
            self._cache.stage_render(src_uri, _rendered(page, self._render_keys[src_uri], html))
            return html
        # What Page.render would have set (mkdocs is pinned to 1.6.x, where these attributes live).
        page.toc = cached.toc
        page._title_from_render = cached.title
        page.present_anchor_ids = set(cached.present_anchor_ids)
        page.links_to_anchors = (
            None
            if cached.links_to_anchors is None
            else {
                linked: links
                for uri, links in cached.links_to_anchors.items()
                if (linked := files.get_file_from_path(uri)) is not None
            }
        )
        return cached.content

    @event_priority(-100)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self._cache is None:
            return env
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSED_PAGE_TEMPLATE: REUSED_PAGE_SOURCE}), env.loader])
        env.bytecode_cache = self._compiled_templates
        # Every page is converted now, so the navigation's titles are final.
        assert self._navigation is not None  # on_nav ran
        site = digest(_site_inputs(config, self._navigation))
        self._doc_pages = [file.page for file in files.documentation_pages() if file.page is not None]
        for page in self._doc_pages:
            src_uri = page.file.src_uri
            key = self._output_keys[src_uri] = digest(site, self._render_keys.get(src_uri))
            if src_uri not in self._reused_renders:
                continue
            built = self._cache.reusable_output(src_uri, key)
            if built is not None:
                # The theme renders the last build's HTML as it is, and search takes its documents
                # from the cache (on_post_build), so neither walks the page again.
                self._reused_outputs[src_uri] = built.html
                page.meta["template"] = REUSED_PAGE_TEMPLATE
                page.meta["search"] = {"exclude": True}
                page.content = ""
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if self._cache is not None and page.file.src_uri in self._reused_outputs:
            context[REUSED_PAGE_VARIABLE] = self._reused_outputs[page.file.src_uri]
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        src_uri = page.file.src_uri
        if self._cache is not None and src_uri in self._reused_outputs:
            return output
        output, missing = restore_finished_html(compact_html(output), self._finished.get(src_uri, {}))
        if missing:
            log.warning(
                f"{src_uri}: {len(missing)} generated table(s) could not be placed, because the page's "
                "HTML lost their placeholder; check the template overrides for this page"
            )
        if self._cache is not None:
            self._cache.stage_output(src_uri, self._output_keys[src_uri], output)
        return output

    def _complete_search_index(self, config: MkDocsConfig) -> None:
        index_file = Path(config.site_dir) / SEARCH_INDEX
        if not index_file.is_file():  # no search plugin
            return
        pages = [(page.url, page.file.src_uri) for page in self._doc_pages]
        index_file.write_text(
            self._cache.merge_search_index(index_file.read_text(encoding="utf-8"), pages), encoding="utf-8"
        )


def _rendered(page: Page, key: str, html: str) -> RenderedPage:
    links = page.links_to_anchors
    return RenderedPage(
        key=key,
        content=html,
        toc=page.toc,
        title=page._title_from_render,
        present_anchor_ids=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else {linked.src_uri: dict(to) for linked, to in links.items()},
    )


def _site_inputs(config: MkDocsConfig, nav: Navigation) -> list[Any]:
    """What a page's HTML depends on besides its own content: mkdocs.yml, the URL it is served
    at, theme overrides, and the navigation (titles, URLs, order: the sidebar and the footer)."""
    config_file = Path(config.config_file_path or "")
    inputs: list[Any] = [config_file.read_bytes() if config_file.is_file() else b"", config.site_url]
    if config.theme.custom_dir:
        overrides = Path(config.theme.custom_dir)
        inputs.append(sorted((str(f), f.stat().st_mtime_ns) for f in overrides.rglob("*") if f.is_file()))
    inputs.append(_nav_outline(nav.items))
    return inputs


def _nav_outline(items: list[Any]) -> list[Any]:
    outline: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            outline.append(("section", item.title, _nav_outline(item.children)))
        elif isinstance(item, Link):
            outline.append(("link", item.title, item.url))
        else:
            outline.append(("page", item.title, item.url))
    return outline


def _teach_jieba(terms: list[str]) -> None:
    """Give jieba the catalog's domain terms (``search_terms.txt``, read and checked with the
    catalog) so Chinese search matches them as whole words.

    Material's search plugin segments pages with jieba's global dictionary after this event,
    and segments queries greedily by the index's own tokens, so a term added here is found whole.
    """
    try:
        import jieba
    except ImportError:  # Material then indexes Chinese unsegmented; the build still works
        return
    for term in terms:
        jieba.add_word(term)


class SiteBuildError(Exception):
    """A build of the site failed; the message says why."""


def build_site(config_file: Path, site_dir: Path, site_url: str) -> None:
    """`mkdocs build --strict` of ``config_file`` for another base URL (a PR preview's sub-path)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), site_url=site_url, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:
        raise SiteBuildError(str(error)) from error
