"""MkDocs glue: the plugin routes MkDocs' events; ``mkdocs_build`` does the MkDocs work they need.

``site.build_site_content`` makes every generated page and file from the checked catalog; this
plugin hands them to MkDocs (``mkdocs_build.assemble_files``), finishes each page
(``postprocess``, ``editions``), builds the other editions once the primary one is written and,
while serving, lets ``serve_reuse`` skip the pages an edit did not change. Live reload comes
from ``watch:`` in mkdocs.yml. These two are the only modules that import ``mkdocs``.
"""

from __future__ import annotations

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
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.editions import PRIMARY, Edition, edition_dir
from generator.mkdocs_build import add_theme_overrides, assemble_files, build_edition
from generator.output_guard import OutputRefused, claim_site_dir
from generator.postprocess import finish_page, finish_site
from generator.problems import CatalogError
from generator.render import TEMPLATES_DIR, TemplateProblem
from generator.search_terms import teach_jieba
from generator.serve_reuse import NoReuse, ServeReuse
from generator.site import SiteContent, build_site_content
from generator.validate import CheckResult, check_catalog

log = logging.getLogger("mkdocs.plugins.error_catalog")


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
    # run on it too. So what a build makes is kept per edition (``self.config.edition``).
    def __init__(self) -> None:
        self._serving = False
        self._primary: CheckResult | None = None  # the primary build's last good check
        self._primary_url = ""
        self._sites: dict[str, SiteContent] = {}
        self._editions: dict[str, Edition] = {}
        self._reuses: dict[str, ServeReuse] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"

    def adopt(self, other: ErrorCatalogPlugin) -> None:
        """Build another edition from ``other``'s (the primary build's) checked catalog and serve
        caches; a no-op where MkDocs gave both builds this very instance."""
        if other is not self:
            self._serving, self._primary, self._primary_url = other._serving, other._primary, other._primary_url
            self._reuses = other._reuses

    @property
    def _reuse(self) -> ServeReuse | NoReuse:
        return self._reuses.setdefault(self.config.edition, ServeReuse()) if self._serving else NoReuse()

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Generated pages give headings and index lines their anchors with attribute lists.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        add_theme_overrides(config)  # also when this build falls back to the last good site
        # Checked before MkDocs cleans site_dir, so a bad catalog leaves the last site untouched.
        catalog_dir = self._path(config, self.config.catalog)
        lang = self.config.edition
        result = check_catalog(catalog_dir) if lang == PRIMARY or self._primary is None else self._primary
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
        teach_jieba(result.search_terms)
        templates = self._path(config, self.config.templates)
        try:
            self._sites[lang] = build_site_content(
                result.catalog, [templates] if templates.is_dir() else [], config.site_url or "/", lang
            )
        except TemplateProblem as problem:
            return self._keep_last_good_site(config, f"An error catalog template is broken:\n{problem}", "the template")
        if lang == PRIMARY:
            self._primary, self._primary_url = result, config.site_url or "/"
        edition = self._editions[lang] = Edition(lang, result.catalog.site.languages, self._primary_url)
        if alternate := edition.alternate():
            config.extra["alternate"] = alternate
        return config

    def _keep_last_good_site(self, config: MkDocsConfig, message: str, what: str) -> MkDocsConfig:
        """Fail the build with ``message``; while serving, rebuild the last good site instead.

        MkDocs' server would otherwise hold every request until a build succeeds. Printed, not
        logged, so that `strict: true` does not turn the report into a traceback.
        """
        if not (self._serving and self.config.edition in self._sites):
            raise PluginError(message)
        print(f"{message}\nStill serving the last good build; fix {what} and save.", file=sys.stderr)
        self._claim_site_dir(config)
        return config

    def _claim_site_dir(self, config: MkDocsConfig) -> None:
        catalog, templates = self._path(config, self.config.catalog), self._path(config, self.config.templates)
        try:
            claim_site_dir(config, catalog, templates, TEMPLATES_DIR.parent)
        except OutputRefused as error:
            raise PluginError(str(error)) from error

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        lang = self.config.edition  # on_config ran
        try:
            assemble_files(files, config, self._sites[lang], self._editions[lang])
        except ValueError as error:
            raise PluginError(str(error)) from error
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._reuse.on_nav(nav, config, files)
        return nav

    @event_priority(-100)  # last, so the key is the Markdown every other plugin has finished with
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._reuse.on_page_markdown(markdown, page, self._finished_blocks(page))

    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._reuse.on_page_content(html, page, files)

    @event_priority(-100)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self._reuse.on_env(env, config, files)
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        return self._reuse.on_page_context(context, page)

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self._reuse.is_reused(page):
            return output
        output, missing = finish_page(output, self._finished_blocks(page))
        output = self._editions[self.config.edition].finish_page(output, page.url)
        if missing:
            log.warning(
                f"{page.file.src_uri}: {len(missing)} generated table(s) could not be placed, because the "
                "page's HTML lost their placeholder; check the template overrides for this page"
            )
        self._reuse.stage_output(page, output)
        return output

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        reused = self._reuse.on_post_build(site_dir)
        if reused is not None:
            log.info(f"Reused {reused} unchanged page(s) from the last build.")
        edition = self._editions[self.config.edition]
        for script, what in finish_site(site_dir, edition.finish_sitemap):
            log.warning(f"Could not fix {what} in {script.name}; see generator/search_patch.py")
        for lang in edition.others:  # the nested builds may reconfigure this very instance
            assert self._primary is not None and self._primary.catalog is not None
            log.info(f"Building the {lang} edition into {edition_dir(lang)}")
            build_edition(config, lang, self._primary.catalog.site, lambda plugin: plugin.adopt(self))

    def on_build_error(self, *, error: Exception) -> None:
        self._reuse.on_build_error()

    def _finished_blocks(self, page: Page) -> dict[str, str]:
        site = self._sites.get(self.config.edition)
        generated = site.pages.get(page.file.src_uri) if site else None
        return generated.finished_blocks if generated else {}
