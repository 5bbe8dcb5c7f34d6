"""Nothing is ever lost: builds only write the site, and file-writing commands are atomic."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from tests.conftest import ROOT, quiet_env


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _run_read_only(source: Path, command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``source`` read-only: a read-only bind mount as root, chmod otherwise."""
    if os.geteuid() == 0:
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
        argv = ["unshare", "-m", "sh", "-c", script, str(source), *command]
    else:
        for path in [source, *source.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
        argv = command
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=quiet_env(), timeout=300)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    source = tmp_path / "checkout"
    source.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", source / "mkdocs.yml")
    for name in ("catalog", "docs"):
        shutil.copytree(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator" / "templates", source / "generator" / "templates")
    return source


@pytest.mark.slow
def test_a_read_only_checkout_builds(checkout: Path, tmp_path: Path) -> None:
    before = _tree_digest(checkout)
    site = tmp_path / "site"
    result = _run_read_only(
        checkout, [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=checkout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").is_file() and (site / "catalog.json").is_file()
    assert _tree_digest(checkout) == before  # nothing written into docs/, catalog/ or anywhere else


def test_a_refused_write_leaves_the_old_file(checkout: Path, tmp_path: Path) -> None:
    target = checkout / "catalog" / "schema.json"
    old = target.read_bytes()
    result = _run_read_only(checkout, [sys.executable, "-m", "generator", "schema", "-o", str(target)], cwd=checkout)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert target.read_bytes() == old


def test_a_write_killed_midway_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "catalog.json"
    target.write_text("previous export", encoding="utf-8")
    real_fdopen = os.fdopen

    class Dying:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text: str) -> None:
            self.handle.write(text[: len(text) // 2])
            raise KeyboardInterrupt  # the process is stopped halfway through the write

    monkeypatch.setattr(cli.os, "fdopen", lambda fd, *a, **k: Dying(real_fdopen(fd, *a, **k)))
    with pytest.raises(KeyboardInterrupt):
        cli.write_atomically(target, "new export " * 1000)
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]  # no temp file left behind


def test_render_refuses_to_write_into_docs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "render", "-o", "docs/generated"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "docs/ holds hand-written pages only" in result.stderr
    assert not (ROOT / "docs" / "generated").exists()
