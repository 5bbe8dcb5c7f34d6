"""Builds MkDocs runs from code: another edition of the site, a PR preview for another URL.

With ``mkdocs_plugin``, the only modules that import ``mkdocs``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load

from generator.editions import edition_dir, edition_overrides, edition_url
from generator.model import Site
from generator.ui import ui_text


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
