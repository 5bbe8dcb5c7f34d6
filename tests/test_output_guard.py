"""generator/output_guard.py: which output folders and files a command may write (no build here).

The real CLI and `mkdocs build` meet the same rule in tests/test_nothing_lost.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.output_guard import (
    MARKER,
    OutputRefused,
    Project,
    check_output_file,
    check_output_folder,
    holds_json,
    mark_output_folder,
    project_at,
)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small checkout: sources, tracked tests, an untracked user folder, a link to the catalog."""
    root = tmp_path / "repo"
    for name, text in {
        "mkdocs.yml": "site_name: t\n",
        "catalog/site.yaml": "site: {}\n",
        "docs/index.md": "# t\n",
        "templates/entry.md.jinja": "x\n",
        "tests/test_a.py": "def test(): pass\n",
        "README.md": "# readme\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "init")
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("mine\n", encoding="utf-8")
    (root / "link-to-catalog").symlink_to(root / "catalog")
    return root


@pytest.fixture
def project(repo: Path) -> Project:
    return project_at(
        repo,
        {
            Path("catalog"): "the catalog folder",
            Path("docs"): "the docs folder",
            Path("templates"): "the template overrides folder",
            Path("mkdocs.yml"): "the MkDocs config",
        },
    )


@pytest.mark.parametrize(
    ("folder", "reason"),
    [
        (".", "it is the checkout itself"),
        ("..", "it holds the checkout"),
        ("/", "it holds the checkout"),
        (".git", "it is git's own data"),
        (".git/refs", "it is inside git's own data"),
        ("catalog", "it is the catalog folder"),
        ("catalog/new-site", "it is inside the catalog folder"),
        ("catalog/../docs", "it is the docs folder"),
        ("templates", "it is the template overrides folder"),
        ("link-to-catalog", "it is the catalog folder"),
        ("tests", "it holds files git tracks (test_a.py)"),
        ("notes", "it holds files no build made (todo.txt)"),
        ("mkdocs.yml", "it is the MkDocs config"),
        ("README.md", "it is a file, not a folder"),
    ],
)
def test_a_folder_holding_anyones_files_is_refused(
    folder: str, reason: str, repo: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)  # relative paths are taken from the working directory, as the CLI does
    with pytest.raises(OutputRefused) as refused:
        check_output_folder(Path(folder), project, "the site")
    message = str(refused.value)
    assert message.startswith(f"refusing to write the site into {folder}")
    assert reason in message
    assert message.endswith(f"Choose a new or empty folder, or one an earlier build made (it holds {MARKER}).")


def test_a_link_is_named_with_where_it_leads(repo: Path, project: Project) -> None:
    with pytest.raises(OutputRefused, match=r"link-to-catalog \(which is .*/repo/catalog\): it is the catalog folder"):
        check_output_folder(repo / "link-to-catalog", project, "the site")


def test_a_planted_marker_does_not_unlock_a_tracked_folder(repo: Path, project: Project) -> None:
    (repo / "tests" / MARKER).write_text("", encoding="utf-8")
    with pytest.raises(OutputRefused, match="it holds files git tracks"):
        check_output_folder(repo / "tests", project, "the site")
    (repo / "catalog" / MARKER).write_text("", encoding="utf-8")
    with pytest.raises(OutputRefused, match="it is the catalog folder"):
        check_output_folder(repo / "catalog", project, "the site")


def test_a_new_an_empty_or_an_earlier_build_folder_is_accepted(repo: Path, project: Project, tmp_path: Path) -> None:
    assert check_output_folder(repo / "site", project, "the site") == repo / "site"  # missing
    assert check_output_folder(tmp_path / "a" / "b", project, "the site") == tmp_path / "a" / "b"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_output_folder(empty, project, "the site") == empty
    mark_output_folder(empty)
    (empty / "index.html").write_text("an earlier build", encoding="utf-8")
    assert check_output_folder(empty, project, "the site") == empty
    link = tmp_path / "link-to-build"
    link.symlink_to(empty)
    assert check_output_folder(link, project, "the site") == empty


def test_marking_creates_the_folder_and_keeps_an_existing_marker(tmp_path: Path) -> None:
    site = tmp_path / "new" / "site"
    mark_output_folder(site)
    text = (site / MARKER).read_text(encoding="utf-8")
    assert "replaces" in text
    (site / MARKER).write_text("kept", encoding="utf-8")
    mark_output_folder(site)
    assert (site / MARKER).read_text(encoding="utf-8") == "kept"


def test_outside_a_git_checkout_only_the_named_folders_and_occupied_ones_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "catalog").mkdir(parents=True)
    (root / "stuff").mkdir()
    (root / "stuff" / "a.txt").write_text("a", encoding="utf-8")
    project = project_at(root, {Path("catalog"): "the catalog folder"})
    assert project.git_dirs == (root.resolve() / ".git",)
    for folder, reason in [(root, "the checkout itself"), (root / "catalog", "catalog"), (root / "stuff", "a.txt")]:
        with pytest.raises(OutputRefused, match=reason):
            check_output_folder(folder, project, "the site")
    assert check_output_folder(root / "site", project, "the site") == root.resolve() / "site"


def test_a_worktree_protects_the_main_checkouts_git_data(tmp_path: Path, repo: Path) -> None:
    worktree = tmp_path / "worktree"
    _git(repo, "worktree", "add", "-q", str(worktree))
    project = project_at(worktree, {})
    assert repo.resolve() / ".git" in project.git_dirs
    with pytest.raises(OutputRefused, match="it holds git's own data"):
        check_output_folder(repo, project, "the site")
    with pytest.raises(OutputRefused, match="it is inside git's own data"):
        check_output_folder(repo / ".git" / "worktrees", project, "the site")


def _is_export(document: object) -> bool:
    return isinstance(document, dict) and "entries" in document


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("catalog/site.yaml", "it is inside the catalog folder"),
        ("catalog/new.json", "it is inside the catalog folder"),
        ("docs/catalog.json", "it is inside the docs folder"),
        ("templates/entry.md.jinja", "it is inside the template overrides folder"),
        ("mkdocs.yml", "it is the MkDocs config"),
        ("README.md", "git tracks it"),
        ("tests/test_a.py", "git tracks it"),
        (".git/config", "it is inside git's own data"),
        ("notes/todo.txt", "it holds something other than an earlier export"),
        ("notes", "it is a folder"),
        ("link-to-catalog/site.yaml", "it is inside the catalog folder"),
    ],
)
def test_a_file_output_never_replaces_someone_elses_file(
    target: str, reason: str, repo: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    with pytest.raises(OutputRefused) as refused:
        check_output_file(Path(target), project, "the export", earlier_output=lambda p: holds_json(p, _is_export))
    message = str(refused.value)
    assert message.startswith(f"refusing to write the export to {target}")
    assert reason in message
    assert message.endswith("Write to a new file, or over an earlier export.")


def test_a_file_output_may_be_new_its_own_or_an_earlier_output(repo: Path, project: Project) -> None:
    earlier = lambda p: holds_json(p, _is_export)  # noqa: E731
    assert check_output_file(repo / "out" / "catalog.json", project, "the export", earlier_output=earlier)
    previous = repo / "notes" / "catalog.json"
    previous.write_text(json.dumps({"entries": []}), encoding="utf-8")
    assert check_output_file(previous, project, "the export", earlier_output=earlier) == previous
    own = repo / "catalog" / "site.yaml"  # tracked and in the catalog, but the command's own file
    assert check_output_file(own, project, "the slugs", own=[own]) == own


def test_a_symbolic_link_is_refused_as_a_file_output(repo: Path, project: Project) -> None:
    link = repo / "notes" / "catalog.json"
    link.symlink_to(repo / "mkdocs.yml")
    with pytest.raises(OutputRefused, match="it is a symbolic link"):
        check_output_file(link, project, "the export", earlier_output=lambda p: True)


def test_holds_json_accepts_only_a_json_document_the_predicate_likes(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    assert not holds_json(path, _is_export)  # missing
    for text, expected in [('{"entries": []}', True), ('{"other": 1}', False), ("[1]", False), ("{not json", False)]:
        path.write_text(text, encoding="utf-8")
        assert holds_json(path, _is_export) is expected, text
    path.write_bytes(b"\xff\xfe")
    assert not holds_json(path, _is_export)
    path.write_text("[" * 100_000, encoding="utf-8")  # nesting deeper than the JSON parser goes
    assert not holds_json(path, _is_export)


def test_the_guard_writes_nothing_while_checking(repo: Path, project: Project) -> None:
    before = sorted((p.relative_to(repo).as_posix(), p.stat().st_mtime_ns) for p in repo.rglob("*") if p.is_file())
    for folder in (repo, repo / "tests", repo / "site", repo / "notes"):
        with contextlib.suppress(OutputRefused):
            check_output_folder(folder, project, "the site")
    after = sorted((p.relative_to(repo).as_posix(), p.stat().st_mtime_ns) for p in repo.rglob("*") if p.is_file())
    assert after == before
    assert not (repo / "site").exists()
    assert os.listdir(repo / "notes") == ["todo.txt"]
