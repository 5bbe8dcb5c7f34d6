"""Shared fixtures: the repo paths, a built copy of the real site, catalog copies to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL_CATALOG = FIXTURES / "minimal"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite expected outputs of golden fixtures from actual output"
    )


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


def copy_catalog(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
