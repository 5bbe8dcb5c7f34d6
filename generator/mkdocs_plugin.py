"""MkDocs glue: the only module that imports ``mkdocs``.

``site.build_site_content`` makes every generated page and file from the checked catalog; this
plugin hands them to MkDocs as virtual files, finishes each page (``postprocess``) and, while
serving, lets ``serve_reuse`` skip the pages an edit did not change. Live reload comes from
``watch:`` in mkdocs.yml.
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
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.output_guard import OutputRefused, claim_site_dir
from generator.postprocess import finish_page, finish_site, unused_theme_files
from generator.problems import CatalogError
from generator.render import TEMPLATES_DIR, TemplateProblem
from generator.search_terms import teach_jieba
from generator.serve_reuse import ServeReuse
from generator.site import SiteContent, build_site_content
from generator.validate import check_catalog

log = logging.getLogger("mkdocs.plugins.error_catalog")


class ErrorCatalogConfig(Config):
    catalog = config_options.Type(str, default="catalog")
    """Catalog directory, relative to mkdocs.yml."""
    templates = config_options.Type(str, default="templates")
    """Folder of template overrides, relative to mkdocs.yml; searched before the package's templates."""


class ErrorCatalogPlugin(BasePlugin[ErrorCatalogConfig]):
    def __init__(self) -> None:
        self._site: SiteContent | None = None
        self._serving = False
        self._reuse: ServeReuse | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self._serving = command == "serve"
        self._reuse = ServeReuse() if self._serving else None

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Generated pages give headings and index lines their anchors with attribute lists.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if self._reuse is not None:  # also when this build falls back to the last good site
            self._reuse.on_config(config)
        # Checked before MkDocs cleans site_dir, so a bad catalog leaves the last site untouched.
        catalog_dir = self._path(config, self.config.catalog)
        result = check_catalog(catalog_dir)
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
            self._site = build_site_content(
                result.catalog, [templates] if templates.is_dir() else [], config.site_url or "/"
            )
        except TemplateProblem as problem:
            return self._keep_last_good_site(config, f"An error catalog template is broken:\n{problem}", "the template")
        return config

    def _keep_last_good_site(self, config: MkDocsConfig, message: str, what: str) -> MkDocsConfig:
        """Fail the build with ``message``; while serving, rebuild the last good site instead.

        MkDocs' server would otherwise hold every request until a build succeeds. Printed, not
        logged, so that `strict: true` does not turn the report into a traceback.
        """
        if not (self._serving and self._site is not None):
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
        assert self._site is not None  # on_config ran
        collisions = self._site.collisions({f.src_uri for f in files if f.generated_by is None})
        if collisions:
            raise PluginError("\n".join(collisions))
        for uri, page in self._site.pages.items():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=page.markdown, inclusion=inclusion))
        for path, content in self._site.static_files.items():
            files.append(File.generated(config, path, content=content))
        self._leave_out_unused_theme_assets(files, config)
        if config.nav is None:
            hand_written = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
            config.nav = [*self._site.nav, *hand_written]
        return files

    def _leave_out_unused_theme_assets(self, files: Files, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        own_dirs = [config.docs_dir, *([config.theme.custom_dir] if config.theme.custom_dir else [])]
        for file in unused_theme_files(files, own_dirs, search.config.lang if search is not None else None):
            files.remove(file)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self._reuse is not None:
            self._reuse.on_nav(nav, config, files)
        return nav

    @event_priority(-100)  # last, so the key is the Markdown every other plugin has finished with
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._reuse is None:
            return markdown
        return self._reuse.on_page_markdown(markdown, page, self._finished_blocks(page))

    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return html if self._reuse is None else self._reuse.on_page_content(html, page, files)

    @event_priority(-100)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self._reuse is not None:
            self._reuse.on_env(env, config, files)
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        return context if self._reuse is None else self._reuse.on_page_context(context, page)

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self._reuse is not None and self._reuse.is_reused(page):
            return output
        output, missing = finish_page(output, self._finished_blocks(page))
        if missing:
            log.warning(
                f"{page.file.src_uri}: {len(missing)} generated table(s) could not be placed, because the "
                "page's HTML lost their placeholder; check the template overrides for this page"
            )
        if self._reuse is not None:
            self._reuse.stage_output(page, output)
        return output

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self._reuse is not None:
            reused = self._reuse.on_post_build(site_dir)
            log.info(f"Reused {reused} unchanged page(s) from the last build.")
        for worker in finish_site(site_dir):
            log.warning(f"Could not fix Chinese query segmentation in {worker.name}; see generator/search_patch.py")

    def on_build_error(self, *, error: Exception) -> None:
        if self._reuse is not None:
            self._reuse.on_build_error()

    def _finished_blocks(self, page: Page) -> dict[str, str]:
        generated = self._site.pages.get(page.file.src_uri) if self._site else None
        return generated.finished_blocks if generated else {}


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
