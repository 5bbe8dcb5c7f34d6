"""The vendored axe-core is the package its lock names: the tarball's SHA-512 is the lock's
integrity hash, and the committed axe.min.js and LICENSE are that tarball's own files."""

from __future__ import annotations

import base64
import hashlib
import json
import tarfile
from pathlib import Path

AXE_DIR = Path(__file__).parent / "vendor" / "axe-core"


def _locked() -> dict:
    lock = json.loads((AXE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]


def _tarball() -> Path:
    return AXE_DIR / f"axe-core-{_locked()['version']}.tgz"


def test_package_json_pins_the_locked_version_exactly() -> None:
    package = json.loads((AXE_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["axe-core"] == _locked()["version"]


def test_tarball_matches_the_lock_integrity() -> None:
    algorithm, _, expected = _locked()["integrity"].partition("-")
    assert algorithm == "sha512"
    digest = base64.b64encode(hashlib.sha512(_tarball().read_bytes()).digest()).decode()
    assert digest == expected


def test_committed_files_are_the_tarball_files() -> None:
    with tarfile.open(_tarball()) as archive:
        for name in ("axe.min.js", "LICENSE"):
            member = archive.extractfile(f"package/{name}")
            assert member is not None
            assert member.read() == (AXE_DIR / name).read_bytes(), name
