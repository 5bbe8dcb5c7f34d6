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
from generator.output_guard import MARKER
from tests.conftest import MINIMAL_CATALOG, ROOT, mkdocs_build, quiet_env
from tests.servers import fetch, mkdocs_serve, wait_for


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
    assert result.returncode == 1
    assert "refusing to write the Markdown pages into docs/generated: it is inside the docs folder" in result.stderr
    assert not (ROOT / "docs" / "generated").exists()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture
def clone(checkout: Path) -> Path:
    """The checkout as a git repository with tracked tests, an untracked user folder and file, and
    a link to the catalog: what a maintainer's clone holds."""
    for name in ("pyproject.toml", "README.md", "tests/__init__.py", "tests/conftest.py"):
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, checkout / name)
    _git(checkout, "init", "-q")
    _git(checkout, "add", ".")
    _git(checkout, "commit", "-qm", "clone")
    (checkout / "drafts").mkdir()
    (checkout / "drafts" / "new-entry.yaml").write_text("mine, not yet committed\n", encoding="utf-8")
    (checkout / "notes.txt").write_text("mine too\n", encoding="utf-8")
    (checkout / "catalog-link").symlink_to("catalog")
    return checkout


def _generator(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=quiet_env(), timeout=300)


PREVIEW = ("preview", "--base-url", "https://example.org/pr-preview/pr-7/", "--out")

ATTACKS = [
    ([*PREVIEW, ".git"], "into .git: it is git's own data"),
    ([*PREVIEW, "catalog"], "into catalog: it is the catalog folder"),
    ([*PREVIEW, "tests"], "into tests: it holds files git tracks (__init__.py, conftest.py)"),
    ([*PREVIEW, "."], "into .: it is the checkout itself"),
    ([*PREVIEW, ".."], "into ..: it holds the checkout"),
    ([*PREVIEW, "drafts"], "into drafts: it holds files no build made (new-entry.yaml)"),
    ([*PREVIEW, "catalog-link"], "into catalog-link (which is {root}/catalog): it is the catalog folder"),
    ([*PREVIEW, "generator"], "into generator: it is the generator's source folder"),
    (["render", "-o", "drafts"], "the Markdown pages into drafts: it holds files no build made"),
    (["export", "-o", "catalog/site.yaml"], "the export to catalog/site.yaml: it is inside the catalog folder"),
    (["export", "-o", "mkdocs.yml"], "the export to mkdocs.yml: it is the MkDocs config"),
    (["export", "-o", "notes.txt"], "the export to notes.txt: it holds something other than an earlier export"),
    (["export", "-o", "tests/catalog.json"], "the export's schema to tests/catalog.schema.json"),
    (["schema", "-o", "generator/templates/entry_page.md.jinja"], "it is inside the generator's source folder"),
    (["schema", "-o", "README.md"], "the schema to README.md: git tracks it"),
    (["schema", "-o", "pyproject.toml"], "the schema to pyproject.toml: it is the project's pyproject.toml"),
]


@pytest.mark.slow
def test_no_command_writes_over_a_users_files(clone: Path) -> None:
    """Each command pointed at the checkout's own files, as a slip of the keyboard would."""
    (clone / "tests" / "catalog.schema.json").write_text("{}", encoding="utf-8")  # not an earlier export's schema
    before = _tree_digest(clone)
    for args, expected in ATTACKS:
        result = _generator(clone, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert expected.format(root=clone) in result.stderr, (args, result.stderr)
        assert result.stderr.startswith("error: refusing to write ") and "Traceback" not in result.stderr
    assert _tree_digest(clone) == before  # .git included


def _mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=quiet_env(), timeout=300)


@pytest.mark.slow
def test_mkdocs_build_refuses_a_site_dir_holding_files(clone: Path) -> None:
    """The plugin refuses before MkDocs cleans site_dir, whether -d or mkdocs.yml names it."""
    before = _tree_digest(clone)
    for site_dir, expected in [
        ("catalog", "it is the catalog folder"),
        ("drafts", "it holds files no build made (new-entry.yaml)"),
    ]:
        result = _mkdocs(clone, "-d", site_dir)
        assert result.returncode == 1, result.stderr
        assert f"refusing to write the site (site_dir) into {clone / site_dir}: {expected}" in result.stderr
        assert "Traceback" not in result.stderr
    assert _tree_digest(clone) == before
    config = clone / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_dir: tests\n", encoding="utf-8")
    before = _tree_digest(clone)
    result = _mkdocs(clone)
    assert result.returncode == 1, result.stderr
    assert f"into {clone / 'tests'}: it holds files git tracks (__init__.py, conftest.py)" in result.stderr
    assert _tree_digest(clone) == before


@pytest.mark.slow
def test_a_site_folder_is_rebuilt_in_place(clone: Path, tmp_path: Path) -> None:
    """A new folder is built and marked; the next build replaces the last one whole."""
    site = tmp_path / "out" / "site"
    first = _generator(clone, *PREVIEW, str(site))
    assert first.returncode == 0, first.stderr
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    (site / "errors" / "removed-entry").mkdir()
    (site / "errors" / "removed-entry" / "index.html").write_text("a page of the last build", encoding="utf-8")
    again = mkdocs_build(clone / "mkdocs.yml", site)
    assert again.returncode == 0, again.stderr
    assert not (site / "errors" / "removed-entry").exists()
    assert (site / MARKER).is_file() and (site / "index.html").is_file()


@pytest.mark.slow
def test_mkdocs_serve_never_touches_a_bad_site_dir(tmp_path: Path) -> None:
    """`mkdocs serve` builds into a temp folder of its own (the guard passes it and marks it),
    so a site_dir naming the catalog is left alone and the site is still served."""
    shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nsite_dir: catalog\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\n",
        encoding="utf-8",
    )
    before = _tree_digest(tmp_path)
    with mkdocs_serve(tmp_path) as server:
        wait_for(lambda: "grpID XX does not exist" in (fetch(server.url + "errors/group-not-found/") or ""))
        assert "Traceback" not in "".join(server.output)
    assert _tree_digest(tmp_path) == before
