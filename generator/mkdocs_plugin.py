"""MkDocs glue: the plugin routes MkDocs' events; other modules do the work they need.

``build_session`` sets each build up (``on_config``: the checked catalog, the site
``site.build_site_content`` makes from it, or while serving the last good one) and keeps what
the builds of one process share; this plugin hands the site to MkDocs
(``mkdocs_build.assemble_files``), finishes each page (``postprocess``, ``editions``), builds the
other editions once the primary one is written and, while serving, lets ``serve_reuse`` skip the
pages an edit did not change. Live reload comes from ``watch:`` in mkdocs.yml. This module and
``mkdocs_build`` are the only ones that import ``mkdocs``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.build_session import BuildSession, BuildStopped, CatalogFolders, EditionSite
from generator.editions import PRIMARY, edition_dir, palette_with_toggle_names
from generator.mkdocs_build import assemble_files, build_edition, page_scripts_present, use_theme_overrides
from generator.serve_reuse import NoReuse, ServeReuse
from generator.ui import ui_text

log = logging.getLogger("mkdocs.plugins.error_catalog")
# The theme's page for missing paths, a static template MkDocs renders without a page.
NOT_FOUND_TEMPLATE = "404.html"


class ErrorCatalogConfig(Config):
    catalog = config_options.Type(str, default="catalog")
    """Catalog directory, relative to mkdocs.yml."""
    templates = config_options.Type(str, default="templates")
    """Folder of template overrides, relative to mkdocs.yml; searched before the package's templates."""
    edition = config_options.Type(str, default=PRIMARY)
    """The language this build makes; set by the primary edition's build for the others (editions.py)."""


class ErrorCatalogPlugin(BasePlugin[ErrorCatalogConfig]):
    # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds, and MkDocs
    # hands the same instance to every config it loads in this process: the other editions' builds
    # run on it too. So what a build makes is kept in the session per edition (``config.edition``).
    def __init__(self) -> None:
        self.session = BuildSession()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session.serving = command == "serve"

    def adopt(self, other: ErrorCatalogPlugin) -> None:
        """Build another edition in ``other``'s (the primary build's) session: its checked catalog
        and serve caches; a no-op where MkDocs gave both builds this very instance."""
        self.session = other.session

    @property
    def _reuse(self) -> ServeReuse | NoReuse:
        return self.session.reuse(self.config.edition)

    @property
    def _site(self) -> EditionSite:
        return self.session.site(self.config.edition)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        folders = CatalogFolders.beside(config.config_file_path, self.config.catalog, self.config.templates)
        use_theme_overrides(config)  # also when this build falls back to the last good site
        config.theme["palette"] = palette_with_toggle_names(config.theme.get("palette"), ui_text(self.config.edition))
        try:
            self.session.configure(config, self.config.edition, folders)
        except BuildStopped as stop:
            raise PluginError(str(stop)) from stop
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        site = self._site
        try:
            assemble_files(files, config, site.content, site.edition)
        except ValueError as error:
            raise PluginError(str(error)) from error
        site.page_scripts = page_scripts_present(files)
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._reuse.on_nav(nav, config, files)
        return nav

    @event_priority(-100)  # last, so the key is the Markdown every other plugin has finished with
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.meta.get("scripts"):
            page.meta["scripts"] = self._site.present_scripts(page.meta["scripts"], page.file.src_uri)
        return self._reuse.on_page_markdown(markdown, page, self._site.finished_blocks(page.file.src_uri))

    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._reuse.on_page_content(html, page, files)

    @event_priority(-100)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # The theme overrides' own words (generator/theme_overrides/main.html), in this edition's language.
        env.globals["error_catalog_text"] = ui_text(self.config.edition)
        self._reuse.on_env(env, config, files)
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        return self._reuse.on_page_context(context, page)

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self._reuse.is_reused(page):
            return output
        output, missing = self._site.finish_page(output, page.file.src_uri, page.url)
        if missing:
            log.warning(
                f"{page.file.src_uri}: {len(missing)} generated table(s) could not be placed, because the "
                "page's HTML lost their placeholder; check the template overrides for this page"
            )
        self._reuse.stage_output(page, output)
        return output

    def on_template_context(self, context: dict[str, Any], template_name: str, config: MkDocsConfig) -> Any:
        if template_name == NOT_FOUND_TEMPLATE:  # generator/theme_overrides/404.html
            context["error_catalog_not_found"] = self._site.not_found_page(template_name)
        return context

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        if template_name != NOT_FOUND_TEMPLATE:
            return output_content
        return self._site.finish_not_found_page(output_content)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        reused = self._reuse.on_post_build(site_dir)
        if reused is not None:
            log.info(f"Reused {reused} unchanged page(s) from the last build.")
        site = self._site
        for script, what in site.finish_site(site_dir):
            log.warning(f"Could not fix {what} in {script.name}; see generator/search_patch.py")
        for lang in site.edition.others:  # the nested builds may reconfigure this very instance
            primary = self.session.primary
            assert primary is not None and primary.catalog is not None
            log.info(f"Building the {lang} edition into {edition_dir(lang)}")
            build_edition(config, lang, primary.catalog.site, lambda plugin: plugin.adopt(self))

    def on_build_error(self, *, error: Exception) -> None:
        self._reuse.on_build_error()
