"""The hash locks in requirements/: every package of the tree pinned with its files' hashes, in step
with pyproject.toml, and used by the README's Quick start commands."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.metadata import entry_points

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from generator.mkdocs_plugin import ErrorCatalogPlugin
from tests.conftest import ROOT
from tests.test_repo import _quick_start

LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"(?P<name>[a-z0-9][a-z0-9._-]*)==(?P<version>[^\s;\\]+)(?: ; (?P<marker>[^\\]+?))? \\")
HASH = re.compile(r" {4}--hash=sha256:(?P<digest>[0-9a-f]{64})(?P<more> \\)?")


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: frozenset[str]


def _read_lock(name: str) -> dict[tuple[str, str], Pin]:
    """{(package, environment marker): pin}; fails on any line that is not a pin, a hash or a comment."""
    lines = (LOCKS / name).read_text(encoding="utf-8").splitlines()
    assert lines[1] == "#    requirements/refresh", f"{name} is not the output of requirements/refresh"
    pins: dict[tuple[str, str], Pin] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pin = PIN.fullmatch(line)
        assert pin, f"{name}: not an exact pin with hashes: {line!r}"
        hashes = []
        while index < len(lines) and (digest := HASH.fullmatch(lines[index])):
            hashes.append(digest["digest"])
            index += 1
            if not digest["more"]:
                break
        assert hashes, f"{name}: {pin['name']} has no hash"
        pins[(pin["name"], pin["marker"] or "")] = Pin(pin["version"], frozenset(hashes))
    return pins


def _versions(pins: dict[tuple[str, str], Pin]) -> dict[str, set[str]]:
    versions: dict[str, set[str]] = {}
    for (name, _), pin in pins.items():
        versions.setdefault(name, set()).add(pin.version)
    return versions


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        ("site.txt", PYPROJECT["project"]["dependencies"]),
        ("test.txt", PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]),
    ],
)
def test_lock_pins_what_pyproject_declares(lock: str, declared: list[str]) -> None:
    versions = _versions(_read_lock(lock))
    for line in declared:
        requirement = Requirement(line)
        (pinned,) = versions[_normalized(requirement.name)]
        assert requirement.specifier.contains(pinned), f"{lock}: {pinned} is not {requirement}; refresh it"


@pytest.mark.parametrize("lock", ["site.txt", "test.txt"])
def test_lock_holds_the_build_backend_but_not_the_lock_tool(lock: str) -> None:
    versions = _versions(_read_lock(lock))
    for line in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(line)
        (pinned,) = versions[_normalized(requirement.name)]
        assert requirement.specifier.contains(pinned), line
    assert "uv" not in versions and "pip-tools" not in versions


def test_tests_run_on_the_versions_the_site_is_built_with() -> None:
    site, test = _read_lock("site.txt"), _read_lock("test.txt")
    assert {key: test[key] for key in site} == site
    assert set(test) - set(site)  # and the test extra on top


def test_the_lock_tool_is_itself_locked() -> None:
    (uv,) = (pin for (name, _), pin in _read_lock("tools.txt").items() if name == "uv")
    assert Version(uv.version) and len(uv.hashes) > 1  # a wheel per platform, each hashed


def test_quick_start_installs_from_the_lock() -> None:
    serve, test = _quick_start()
    for command, lock in ((serve, "site.txt"), (test, "test.txt")):
        assert f".venv/bin/pip install -q --require-hashes -r requirements/{lock}" in command
        # The project alone, by the locked setuptools: nothing unhashed is downloaded.
        assert ".venv/bin/pip install -q --no-deps --no-build-isolation -e ." in command
        assert command.index("--require-hashes") < command.index("--no-build-isolation")


def test_the_installed_project_registers_its_mkdocs_plugin() -> None:
    (plugin,) = entry_points(group="mkdocs.plugins", name="error-catalog")
    assert plugin.value == "generator.mkdocs_plugin:ErrorCatalogPlugin"
    assert plugin.load() is ErrorCatalogPlugin
