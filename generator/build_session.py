"""What the error-catalog plugin keeps across the builds of one MkDocs process, and its ``on_config``.

`mkdocs serve` rebuilds on every save, and the primary edition's build starts the other editions'
builds in the same process, all on the one plugin instance MkDocs caches. They share a
:class:`BuildSession`: the primary build's last good check of the catalog (the other editions
build from it) and, per edition, the last good site and the serve-time page reuse. A broken
catalog or template stops a build with :class:`BuildStopped`, except while serving an edition that
has a good site already: that site is built again and the problem printed. Nothing here imports
MkDocs (its config is used as it is passed in).
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.editions import PRIMARY, Edition
from generator.output_guard import OutputRefused, claim_site_dir
from generator.postprocess import compact_html, finish_page, finish_site
from generator.problems import CatalogError
from generator.render import TEMPLATES_DIR, TemplateProblem
from generator.search_terms import teach_jieba
from generator.serve_reuse import NoReuse, ServeReuse
from generator.site import NotFoundPage, SiteContent, build_site_content
from generator.validate import CheckResult, check_catalog

log = logging.getLogger("mkdocs.plugins.error_catalog")


class BuildStopped(Exception):
    """This build cannot go on; the message says why and what to fix."""


@dataclass(frozen=True)
class CatalogFolders:
    """The plugin's folders, given relative to mkdocs.yml."""

    catalog: Path
    templates: Path  # template overrides, searched before the package's templates; may be missing

    @classmethod
    def beside(cls, config_file: str, catalog: str, templates: str) -> CatalogFolders:
        root = Path(config_file).parent
        return cls((root / catalog).resolve(), (root / templates).resolve())


@dataclass
class EditionSite:
    """An edition's site as a good build made it: the generated content and the edition's changes,
    and which of the page scripts the build's files hold."""

    content: SiteContent
    edition: Edition
    page_scripts: set[str] = field(default_factory=set)

    def present_scripts(self, scripts: list[str], where: str) -> list[str]:
        """The page scripts the site has (a site built without docs/assets/ goes without them, as
        it did before pages named their scripts)."""
        for script in scripts:
            if script not in self.page_scripts:
                log.info(f"{where} uses {script}, which this site does not have; the page goes without it")
        return [script for script in scripts if script in self.page_scripts]

    def not_found_page(self, template_name: str) -> NotFoundPage:
        """The 404 page's content (generator/theme_overrides/404.html), with the scripts the site has."""
        page = self.content.not_found
        return dataclasses.replace(page, scripts=self.present_scripts(page.scripts, template_name))

    def finish_not_found_page(self, html: str) -> str:
        return self.edition.finish_error_page(compact_html(html))

    def finished_blocks(self, src_uri: str) -> dict[str, str]:
        """The finished HTML a generated page's placeholders stand for (none for other pages)."""
        generated = self.content.pages.get(src_uri)
        return generated.finished_blocks if generated else {}

    def finish_page(self, html: str, src_uri: str, url: str) -> tuple[str, list[str]]:
        """The page's final HTML, and the placeholders of finished blocks it lost."""
        html, missing = finish_page(html, self.finished_blocks(src_uri))
        return self.edition.finish_page(html, url), missing

    def finish_site(self, site_dir: Path) -> list[tuple[Path, str]]:
        """Fix the theme's scripts and the sitemap in the written site; returns what could not be."""
        return finish_site(site_dir, self.edition.finish_sitemap, self.edition.lang)


@dataclass
class EditionState:
    """One edition's part of the session."""

    reuse: ServeReuse = field(default_factory=ServeReuse)  # used only while serving
    last_good: EditionSite | None = None


@dataclass
class BuildSession:
    """The builds of one MkDocs process: every rebuild of `mkdocs serve` and every edition's build."""

    serving: bool = False
    primary: CheckResult | None = None  # the primary build's last good check
    primary_url: str = ""
    editions: dict[str, EditionState] = field(default_factory=dict)

    def state(self, lang: str) -> EditionState:
        if lang not in self.editions:
            self.editions[lang] = EditionState()
        return self.editions[lang]

    def reuse(self, lang: str) -> ServeReuse | NoReuse:
        return self.state(lang).reuse if self.serving else NoReuse()

    def site(self, lang: str) -> EditionSite:
        """The site the ``lang`` edition's build makes, once :meth:`configure` has run."""
        site = self.state(lang).last_good
        assert site is not None, "configure makes the site or stops the build"
        return site

    def configure(self, config: Any, lang: str, folders: CatalogFolders) -> None:
        """Set up the ``lang`` edition's build of MkDocs' ``config``: check the catalog (the other
        editions take the primary build's check), claim site_dir, make the site.

        Runs before MkDocs cleans site_dir, so a bad catalog leaves the last site untouched.
        Raises :class:`BuildStopped`.
        """
        # Generated pages give headings and index lines their anchors with attribute lists.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        result = self._checked_catalog(lang, folders)
        if result.errors or result.catalog is None:
            listed = CatalogError(result.problems)  # warnings too: the same lines as `check`
            message = f"The error catalog has {len(result.errors)} problem(s):\n{listed}"
            return self._keep_last_good_site(config, lang, folders, message, "the catalog")
        self._claim_site_dir(config, folders)
        teach_jieba(result.search_terms)
        templates = [folders.templates] if folders.templates.is_dir() else []
        try:
            content = build_site_content(result.catalog, templates, config.site_url or "/", lang)
        except TemplateProblem as problem:
            message = f"An error catalog template is broken:\n{problem}"
            return self._keep_last_good_site(config, lang, folders, message, "the template")
        if lang == PRIMARY:
            self.primary, self.primary_url = result, config.site_url or "/"
        edition = Edition(lang, result.catalog.site.languages, self.primary_url)
        self.state(lang).last_good = EditionSite(content, edition)
        _show_language_switch(config, edition)

    def _checked_catalog(self, lang: str, folders: CatalogFolders) -> CheckResult:
        """The primary build checks the catalog; the other editions' builds take its check."""
        result = check_catalog(folders.catalog) if lang == PRIMARY or self.primary is None else self.primary
        # Drift in the vendor's docs is a review item, not a broken site: it must not fail --strict.
        if result.warnings:
            log.info(
                f"The error catalog has {len(result.warnings)} warning(s); "
                "run `python -m generator check` to list them."
            )
        return result

    def _keep_last_good_site(self, config: Any, lang: str, folders: CatalogFolders, message: str, what: str) -> None:
        """Stop the build with ``message``; while serving, rebuild the last good site instead.

        MkDocs' server would otherwise hold every request until a build succeeds. Printed, not
        logged, so that `strict: true` does not turn the report into a traceback.
        """
        last_good = self.state(lang).last_good
        if not self.serving or last_good is None:
            raise BuildStopped(message)
        print(f"{message}\nStill serving the last good build; fix {what} and save.", file=sys.stderr)
        self._claim_site_dir(config, folders)
        _show_language_switch(config, last_good.edition)  # MkDocs loaded this config afresh

    def _claim_site_dir(self, config: Any, folders: CatalogFolders) -> None:
        try:
            claim_site_dir(config, folders.catalog, folders.templates, TEMPLATES_DIR.parent)
        except OutputRefused as error:
            raise BuildStopped(str(error)) from error


def _show_language_switch(config: Any, edition: Edition) -> None:
    """Material's language switch in every page of a site with more than one edition."""
    if alternate := edition.alternate():
        config.extra["alternate"] = alternate
