"""`.ci/catalog-gate`, the pull-request check for breaking catalog changes, run the way ci.yml runs
it: in a clone whose `origin/main` holds the base catalog and whose HEAD holds the pull request."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

LABEL = "breaking-change-acknowledged"
ENTRY_FILE = Path("catalog/errors/presence.yaml")
ENTRY = "  - slug: too-many-get-presences\n    status: 400\n"


@dataclass(frozen=True)
class GateRun:
    returncode: int
    log: str
    summary: str


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone of a repository whose main branch holds the project's catalog and the gate script."""
    upstream = tmp_path / "upstream"
    shutil.copytree(ROOT / "catalog", upstream / "catalog")
    (upstream / ".ci").mkdir()
    shutil.copy2(ROOT / ".ci" / "catalog-gate", upstream / ".ci" / "catalog-gate")
    _git(upstream, "init", "-q", "-b", "main")
    _git(upstream, "add", ".")
    _git(upstream, "commit", "-qm", "base")
    clone = tmp_path / "pr"
    _git(tmp_path, "clone", "-q", str(upstream), str(clone))
    return clone


def _commit_edit(repo: Path, old: str, new: str) -> None:
    path = repo / ENTRY_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    _git(repo, "commit", "-qam", "edit an entry")


def _run_gate(repo: Path, *, labelled: bool) -> GateRun:
    summary = repo.parent / "summary.md"
    summary.write_text("", encoding="utf-8")  # the runner creates the step's summary file
    env = {
        **os.environ,
        "BASE_REF": "main",
        "ACKNOWLEDGED": "true" if labelled else "false",
        "GITHUB_STEP_SUMMARY": str(summary),
        "PYTHON": sys.executable,
    }
    result = subprocess.run(
        ["bash", ".ci/catalog-gate"], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    return GateRun(result.returncode, result.stdout + result.stderr, summary.read_text(encoding="utf-8"))


def test_a_breaking_change_without_the_label_fails_and_says_how_to_acknowledge(pull_request: Path) -> None:
    _commit_edit(pull_request, ENTRY, ENTRY.replace("400", "403"))
    gate = _run_gate(pull_request, labelled=False)
    assert gate.returncode == 1, gate.log
    assert "::error title=Breaking catalog change::" in gate.log
    assert f"a maintainer adds the label '{LABEL}' to the pull request" in gate.log
    assert "entry `too-many-get-presences`: status changed from `400` to `403`" in gate.summary


def test_the_label_acknowledges_a_breaking_change(pull_request: Path) -> None:
    _commit_edit(pull_request, ENTRY, ENTRY.replace("400", "403"))
    gate = _run_gate(pull_request, labelled=True)
    assert gate.returncode == 0, gate.log
    assert f"::notice title=Breaking catalog change acknowledged::the pull request carries the label {LABEL}" in (
        gate.log
    )
    assert "status changed from `400` to `403`" in gate.summary


def test_a_change_that_breaks_nothing_passes_without_the_label(pull_request: Path) -> None:
    _commit_edit(pull_request, "超出单次查询的上限。", "超出单次查询的上限（100 个）。")
    gate = _run_gate(pull_request, labelled=False)
    assert gate.returncode == 0, gate.log
    assert "catalog gate: no breaking change against origin/main" in gate.log
    assert "Breaking changes" not in gate.summary and "#### `too-many-get-presences`" in gate.summary


def test_the_label_cannot_pass_an_unsound_catalog(pull_request: Path) -> None:
    _commit_edit(pull_request, ENTRY, ENTRY.replace("400", "99"))
    gate = _run_gate(pull_request, labelled=True)
    assert gate.returncode == 1, gate.log
    assert "catalog/errors/presence.yaml:" in gate.log and "::error title=Catalog has problems::" in gate.log
    assert gate.summary == ""  # no diff was attempted


def test_a_missing_base_branch_is_an_error_not_a_pass(pull_request: Path) -> None:
    gate = subprocess.run(
        ["bash", ".ci/catalog-gate"],
        cwd=pull_request,
        env={**os.environ, "BASE_REF": "no-such-branch", "PYTHON": sys.executable, "ACKNOWLEDGED": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert gate.returncode == 2, gate.stdout + gate.stderr
    assert "::error title=Catalog diff failed::" in gate.stdout
