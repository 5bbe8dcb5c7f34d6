"""`python -m generator diff`: the reviewer's report, breaking changes first."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL_CATALOG

NEW_ENTRY = """  - slug: group-full
    status: 400
    error: exceed_limit
    message: "group is full"
    category: request
    modules: [group]
    cause:
      zh: 群成员已满。
    remedy:
      zh: 先移除成员。
"""


def _diff(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "diff", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _changed_copy(tmp_path: Path) -> Path:
    head = tmp_path / "head"
    shutil.copytree(MINIMAL_CATALOG, head)
    errors = head / "errors" / "group.yaml"
    text = errors.read_text(encoding="utf-8")
    text = text.replace("  - slug: group-not-found\n", "  - slug: group-missing\n    aliases: [group-not-found]\n")
    text = text.replace('message: "groupname cannot be null"', 'message: "groupname must not be null"')
    text = text.replace("zh: 检查 `group_id`。", "zh: 检查路径中的 `group_id`。")
    errors.write_text(text + NEW_ENTRY, encoding="utf-8")
    return head


def test_report_puts_breaking_changes_first(tmp_path: Path) -> None:
    head = _changed_copy(tmp_path)
    result = _diff(tmp_path, str(MINIMAL_CATALOG), "--catalog", str(head))
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert report.index("### ⚠️ Breaking changes") < report.index("### Entries added")
    assert (
        "entry `group-bad-argument`: message changed from `groupname cannot be null` to `groupname must not be null`"
        in report
    )
    assert "- `group-not-found` → `group-missing`" in report  # renamed with an alias: not breaking
    assert "group-not-found` was removed" not in report
    assert "| `group-full` | 400 | `exceed_limit` | group is full |" in report
    assert "| remedy | 检查 'group_id'。 | 检查路径中的 'group_id'。 |" in report
    assert "1 added, 0 removed, 1 renamed, 2 changed entries" in report


def test_fail_on_breaking(tmp_path: Path) -> None:
    head = _changed_copy(tmp_path)
    assert _diff(tmp_path, str(MINIMAL_CATALOG), "--catalog", str(head), "--fail-on-breaking").returncode == 1
    same = _diff(tmp_path, str(MINIMAL_CATALOG), "--catalog", str(MINIMAL_CATALOG), "--fail-on-breaking")
    assert same.returncode == 0
    assert "No changes to entries, modules or APIs." in same.stdout


def test_removed_slug_without_alias_is_breaking(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(MINIMAL_CATALOG, head)
    errors = head / "errors" / "group.yaml"
    errors.write_text(
        errors.read_text(encoding="utf-8").replace("  - slug: group-not-found\n", "  - slug: group-gone\n"), "utf-8"
    )
    result = _diff(tmp_path, str(MINIMAL_CATALOG), "--catalog", str(head), "--fail-on-breaking")
    assert result.returncode == 1
    assert "entry `group-not-found` was removed without an alias: its URL breaks" in result.stdout


def test_base_can_be_a_git_ref(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL_CATALOG, repo / "catalog")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, capture_output=True
        )

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "base")
    shutil.rmtree(repo / "catalog")
    shutil.copytree(_changed_copy(tmp_path), repo / "catalog")
    result = _diff(repo, "HEAD")
    assert result.returncode == 0, result.stderr
    assert "## Error catalog changes against `HEAD`" in result.stdout
    assert "`group-not-found` → `group-missing`" in result.stdout
    bad = _diff(repo, "no-such-ref")
    assert bad.returncode == 2 and "neither a catalog folder nor a git ref" in bad.stderr


def test_a_base_from_before_published_slugs_still_diffs(tmp_path: Path) -> None:
    """Older revisions may predate published_slugs.txt; the changed catalog still needs it."""
    base = tmp_path / "base"
    shutil.copytree(MINIMAL_CATALOG, base)
    (base / "published_slugs.txt").unlink()
    head = _changed_copy(tmp_path)
    result = _diff(tmp_path, str(base), "--catalog", str(head))
    assert result.returncode == 0, result.stderr
    assert "1 added, 0 removed, 1 renamed, 2 changed entries" in result.stdout
    (head / "published_slugs.txt").unlink()
    result = _diff(tmp_path, str(base), "--catalog", str(head))
    assert result.returncode == 1
    assert "published_slugs.txt:1:1: (document): required catalog file is missing" in result.stdout
