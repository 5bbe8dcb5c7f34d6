"""The GitHub Actions workflows: valid, known events, pinned actions, commands that exist, and no
fork code running next to a write token."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from generator.cli import build_parser
from generator.load import load_yaml_file
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
KNOWN_EVENTS = {"push", "pull_request", "workflow_dispatch", "schedule", "release"}
KNOWN_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
    "rossjrw/pr-preview-action",
    "marocchino/sticky-pull-request-comment",
}
SHELL_WORDS = {"python3", "bash", "cat", "echo", "true", "test", "cd"}
GENERATOR_COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def _load(path: Path) -> dict:
    document, problems = load_yaml_file(path)  # strict: `on` stays a key, duplicate keys fail
    assert problems == [], [p.format() for p in problems]
    return document.data


def test_there_are_ci_preview_and_deploy_workflows() -> None:
    assert {p.stem for p in WORKFLOWS} == {"ci", "preview", "deploy"}
    triggers = {p.stem: set(_load(p)["on"]) for p in WORKFLOWS}
    assert triggers == {
        "ci": {"push", "pull_request"},
        "preview": {"pull_request"},
        "deploy": {"push", "workflow_dispatch"},
    }


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_workflow_is_well_formed(path: Path) -> None:
    workflow = _load(path)
    assert set(workflow["on"]) <= KNOWN_EVENTS
    assert "pull_request_target" not in workflow["on"]  # would run fork code with a write token
    for name, job in workflow["jobs"].items():
        assert job["runs-on"].startswith("ubuntu-"), name
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert action in KNOWN_ACTIONS, step["uses"]
                assert re.fullmatch(r"v\d+(\.\d+)*|[0-9a-f]{40}", version), step["uses"]
            else:
                _check_run(step["run"])


def _check_run(script: str) -> None:
    """Every command of a `run:` step exists: a shell builtin we allow, the venv's tools, or a repo file."""
    for line in script.splitlines():
        for command in re.split(r"&&|\|\||\||;", line):
            words = shlex.split(command.replace(">>", " ").replace(">", " "))
            if not words:
                continue
            program = words[0]
            if program in SHELL_WORDS:
                if program == "bash":
                    assert (ROOT / words[1]).is_file(), command
                continue
            assert program.startswith(".venv/bin/"), f"unknown command {program!r} in {command!r}"
            tool = program.removeprefix(".venv/bin/")
            if tool == "python" and words[1:3] == ["-m", "generator"]:
                assert words[3] in GENERATOR_COMMANDS, command
            elif tool == "pip":
                assert words[1] == "install", command
            else:
                assert tool in {"mkdocs", "python"}, command


def test_write_tokens_never_meet_fork_code() -> None:
    for path in WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            permissions = job.get("permissions", _load(path).get("permissions", {}))
            writes = [scope for scope, level in permissions.items() if level == "write"]
            runs_code = any("run" in step for step in job["steps"])
            if writes and path.stem == "preview":
                assert "head.repo.full_name == github.repository" in job.get("if", ""), (path.stem, name)
                assert not runs_code, (path.stem, name)
