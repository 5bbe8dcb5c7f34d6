"""MkDocs work the plugin hands off: the file set of a build, another edition's build, a PR
preview's build for another URL.

With ``mkdocs_plugin`` (which routes MkDocs' events here), the only modules that import ``mkdocs``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.yaml import yaml_load

from generator.editions import Edition, edition_dir, edition_overrides, edition_url
from generator.model import Site
from generator.postprocess import unused_theme_files
from generator.site import SiteContent
from generator.ui import ui_text
from generator.urls import PAGE_SCRIPTS

# Templates the site's pages need from the theme: the page scripts (main.html), the 404 page, the
# entry page's head (its Markdown twin) and the page `mkdocs serve` reuses.
THEME_OVERRIDES = Path(__file__).parent / "theme_overrides"


def use_theme_overrides(config: MkDocsConfig) -> None:
    """Find the package's theme templates before the theme's own, but after the site's
    ``custom_dir``, which still overrides anything."""
    folder = str(THEME_OVERRIDES)
    if folder not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, folder)


def page_scripts_present(files: Files) -> set[str]:
    """Which of the page scripts (``urls.PAGE_SCRIPTS``) the site's files hold."""
    return {path for path in PAGE_SCRIPTS.values() if files.get_file_from_path(path) is not None}


def assemble_files(files: Files, config: MkDocsConfig, site: SiteContent, edition: Edition) -> None:
    """An edition's file set: its hand-written pages, the generated pages and files, none of the
    theme's unused assets; and the navigation. Raises ValueError where docs/ collides."""
    collisions = site.collisions({f.src_uri for f in files if f.generated_by is None})
    if collisions:
        raise ValueError("\n".join(collisions))
    _pick_hand_written_pages(files, config, edition)
    for uri, page in site.pages.items():
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, uri, content=page.markdown, inclusion=inclusion))
    for path, content in site.static_files.items():
        files.append(_static_file(config, path, content))
    search = config.plugins.get("material/search") or config.plugins.get("search")
    own_dirs = [config.docs_dir, *([config.theme.custom_dir] if config.theme.custom_dir else [])]
    for file in unused_theme_files(files, own_dirs, search.config.lang if search is not None else None):
        files.remove(file)
    if config.nav is None:
        hand_written = [f.src_uri for f in files.documentation_pages() if f.src_uri not in site.pages]
        config.nav = [*site.nav, *hand_written]


# Appended to the source name of a static ``*.md`` file (a Markdown twin), which MkDocs would
# otherwise convert into a page; it never reaches the site.
_VERBATIM_SUFFIX = ".verbatim"


def _static_file(config: MkDocsConfig, path: str, content: str) -> File:
    """A generated file MkDocs copies to ``path`` as it is.

    MkDocs takes every source named ``*.md`` for a page to convert, so a Markdown twin gets a
    source name of another kind and its own destination.
    """
    if not utils.is_markdown_file(path):
        return File.generated(config, path, content=content)
    file = File.generated(config, path + _VERBATIM_SUFFIX, content=content)
    file.dest_uri = path
    return file


def _pick_hand_written_pages(files: Files, config: MkDocsConfig, edition: Edition) -> None:
    """The edition's hand-written pages: ``page.en.md`` is published as ``page.md`` in English."""
    pages = [f for f in files.documentation_pages() if f.generated_by is None]
    chosen = edition.hand_written_pages([f.src_uri for f in pages])
    moved = [file for file in pages if chosen.get(file.src_uri) != file.src_uri]
    for file in moved:  # all out first: a twin is published at the path of the page it replaces
        files.remove(file)
    for file in moved:
        if file.src_uri in chosen:
            files.append(File.generated(config, chosen[file.src_uri], abs_src_path=file.abs_src_path))


def build_edition(config: MkDocsConfig, lang: str, site: Site, prepare: Callable[[Any], None]) -> None:
    """Build the ``lang`` edition into ``site_dir/<lang>/`` from the same mkdocs.yml; ``prepare``
    is handed the edition's error-catalog plugin before the build starts."""
    with open(config.config_file_path, encoding="utf-8") as handle:
        raw = yaml_load(handle)
    site_name = (site.title.en if lang == "en" else None) or config.site_name
    overrides = edition_overrides(raw, lang, site_name, ui_text(lang)("site.description"))
    edition = load_config(
        config_file=config.config_file_path,
        site_dir=str(Path(config.site_dir) / edition_dir(lang)),
        site_url=edition_url(config.site_url or "/", lang),
        strict=config.strict,
        **overrides,
    )
    prepare(edition.plugins["error-catalog"])
    build(edition)


class SiteBuildError(Exception):
    """A build of the site failed; the message says why."""


def build_site(config_file: Path, site_dir: Path, site_url: str) -> None:
    """`mkdocs build --strict` of ``config_file`` for another base URL (a PR preview's sub-path)."""
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), site_url=site_url, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:
        raise SiteBuildError(str(error)) from error
