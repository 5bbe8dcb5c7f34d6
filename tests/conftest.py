"""Shared fixtures: the repo paths, built copies of the real and of a small site, catalog copies to break.

Test tiers: `pytest -m "not slow"` is the fast tier (about a minute); plain `pytest` runs everything.
A test that needs the real site (`site_build`, `built_site`) is slow, marked here so that no fast
test can start the real build; fast tests meet the site through `small_site_build`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.model import Catalog
from generator.site import build_site_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL_CATALOG = FIXTURES / "minimal"
SMALL_CATALOG = FIXTURES / "small"
GOLDENS = Path(__file__).resolve().parent / "goldens"
REAL_SITE_FIXTURE = "site_build"
# Where the site is published (mkdocs.yml): absolute URLs of the built pages start with it.
SITE_URL: str = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite expected outputs of golden fixtures from actual output"
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if REAL_SITE_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def mkdocs_build(config_file: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build` CLI, as a maintainer or CI does."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir), *extra],
        capture_output=True,
        text=True,
        env=quiet_env(),
        cwd=config_file.parent,
        timeout=300,
    )


@dataclass(frozen=True)
class SiteBuild:
    site_dir: Path
    log: str


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The real site, built once with `mkdocs build --strict` into a temp dir."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return SiteBuild(site, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    return site_build.site_dir


@pytest.fixture(scope="session")
def small_site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The repo's own mkdocs.yml and docs/ with tests/fixtures/small as the catalog, built with
    `mkdocs build --strict`: the site a reader meets, at the size the fast tier can afford."""
    return build_small_site(tmp_path_factory.mktemp("small-site"))


def build_small_site(root: Path, extra_pages: dict[str, str] | None = None) -> SiteBuild:
    """The small site, built in ``root`` (its site in ``root/site``), with ``extra_pages``
    (``{path in docs/: Markdown}``) written beside the repo's hand-written pages."""
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs")
    for path, markdown in (extra_pages or {}).items():
        (root / "docs" / path).write_text(markdown, encoding="utf-8")
    shutil.copytree(SMALL_CATALOG, root / "catalog")
    # mkdocs.yml watches the package's templates, and MkDocs refuses a watch path that is missing.
    shutil.copytree(ROOT / "generator" / "templates", root / "generator" / "templates")
    if (ROOT / "templates").is_dir():  # the site's own template overrides, when there are any
        shutil.copytree(ROOT / "templates", root / "templates")
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict of the small catalog failed:\n{result.stdout}\n{result.stderr}")
    return SiteBuild(root / "site", result.stdout + result.stderr)


def nav_uris(catalog: Catalog) -> list[str]:
    """The generated pages the navigation lists, in its order."""
    return [uri for uri, page in build_site_content(catalog, [], "/").pages.items() if page.in_nav]


def copy_catalog(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def meta_descriptions(site: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """Every indexable page's meta description (``{path: text}``); pages marked ``noindex`` (the
    404 page, the redirects of renamed entries) are no search result and are left out, and so are
    paths starting with ``exclude`` (another edition's folder)."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).as_posix().startswith(exclude):
            continue
        html = path.read_text(encoding="utf-8")
        if '<meta name="robots" content="noindex">' in html:
            continue
        match = re.search(r'<meta name="description" content="([^"]*)">', html)
        found[path.relative_to(site).as_posix()] = unescape(match.group(1)) if match else ""
    return found


def shared_descriptions(descriptions: dict[str, str]) -> list[list[str]]:
    """The groups of pages that share one description (none, on a good site)."""
    pages_by_text: dict[str, list[str]] = {}
    for page, text in descriptions.items():
        pages_by_text.setdefault(text, []).append(page)
    return [pages for pages in pages_by_text.values() if len(pages) > 1]
