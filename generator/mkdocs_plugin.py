"""MkDocs glue: load the catalog, add its pages as virtual files, build the navigation.

Live reload comes from ``watch:`` in mkdocs.yml (the catalog and the template folders).

The only module that imports ``mkdocs``. The work is done by ``validate`` and ``render``; this
class only moves their results into MkDocs at the right events.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.export import export_json, export_schema
from generator.problems import CatalogError
from generator.relations import CatalogRelations
from generator.render import navigation, page_specs, redirect_pages, render_pages
from generator.search_patch import patch_site
from generator.validate import SEARCH_TERMS, check_catalog

log = logging.getLogger("mkdocs.plugins.error_catalog")


class ErrorCatalogConfig(Config):
    catalog = config_options.Type(str, default="catalog")
    """Catalog directory, relative to mkdocs.yml."""
    templates = config_options.Type(str, default="templates")
    """Folder of template overrides, relative to mkdocs.yml; searched before the package's templates."""


class ErrorCatalogPlugin(BasePlugin[ErrorCatalogConfig]):
    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._static: dict[str, str] = {}
        self._serving = False
        self._in_nav: set[str] = set()
        self._nav: list = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self._serving = command == "serve"

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
            error = CatalogError(result.errors)
            message = f"The error catalog has {len(error.problems)} problem(s):\n{error}"
            if self._serving and self._pages:
                # While serving, rebuild the last good site instead of failing: MkDocs' server would
                # otherwise hold every request until a build succeeds. Printed, not logged, so that
                # `strict: true` does not turn the report into a traceback.
                print(f"{message}\nStill serving the last good build; fix the catalog and save.", file=sys.stderr)
                return config
            raise PluginError(message)
        _teach_jieba(self._path(config, self.config.catalog))
        templates = self._path(config, self.config.templates)
        rel = CatalogRelations.build(result.catalog)  # shared by the pages and the export
        self._pages = render_pages(result.catalog, [templates] if templates.is_dir() else [], rel)
        # Static files next to the pages: the export the lookup page reads, its schema, alias redirects.
        self._static = {
            "catalog.json": export_json(result.catalog, config.site_url or "/", rel),
            "catalog.schema.json": json.dumps(export_schema(), ensure_ascii=False, indent=2) + "\n",
            **redirect_pages(result.catalog),
        }
        self._in_nav = {spec.uri for spec in page_specs(result.catalog) if spec.in_nav}
        if config.nav is None:
            self._nav = navigation(result.catalog)
        return config

    def on_post_build(self, config: MkDocsConfig) -> None:
        for worker in patch_site(Path(config.site_dir)):
            log.warning(f"Could not fix Chinese query segmentation in {worker.name}; see generator/search_patch.py")

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
        if config.nav is None:
            hand_written = [
                f.src_uri
                for f in files.documentation_pages()
                if f.generated_by is None and f.src_uri not in self._pages
            ]
            config.nav = [*self._nav, *hand_written]
        return files


def _teach_jieba(catalog_dir: Path) -> None:
    """Give jieba the catalog's domain terms so Chinese search matches them as whole words.

    Material's search plugin segments pages with jieba's global dictionary after this event,
    and segments queries greedily by the index's own tokens, so a term added here is found whole.
    """
    try:
        import jieba
    except ImportError:  # Material then indexes Chinese unsegmented; the build still works
        return
    terms = []
    terms_file = catalog_dir / SEARCH_TERMS
    if terms_file.is_file():
        for line in terms_file.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                terms.append(line.strip())
    for term in terms:
        if " " not in term:
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
