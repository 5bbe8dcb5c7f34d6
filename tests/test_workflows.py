"""The GitHub Actions workflows: valid, known events, actions pinned by commit, commands that exist,
installs from the hash lock, one GitHub Pages mode, the catalog gate, and no fork code running next
to a write token."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
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
    "JamesIves/github-pages-deploy-action",
    "rossjrw/pr-preview-action",
    "marocchino/sticky-pull-request-comment",
}
# A tag can be moved to other code after review; a commit cannot. The comment says which release it is.
PINNED_USES = re.compile(r"uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+\.\d+\.\d+)")
SHELL_WORDS = {"python3", "bash", "cat", "echo", "true", "test", "cd", "touch", "mkdir", "git", "gh"}
# The one job that writes with a script: upstream.yml's issue job, which runs `gh` on a report.
ISSUE_JOB_COMMANDS = {"gh", "test"}
GENERATOR_COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
LOCKED_INSTALLS = {
    ("install", "-q", "--require-hashes", "-r", "requirements/site.txt"),
    ("install", "-q", "--require-hashes", "-r", "requirements/test.txt"),
    # After the locked install: the project alone, built by the locked setuptools, fetching nothing.
    ("install", "-q", "--no-deps", "--no-build-isolation", "-e", "."),
}
GATE_LABEL = "breaking-change-acknowledged"


def _load(path: Path) -> dict:
    document, problems = load_yaml_file(path)  # strict: `on` stays a key, duplicate keys fail
    assert problems == [], [p.format() for p in problems]
    return document.data


def _steps(workflow: dict) -> Iterator[tuple[str, dict, dict]]:
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield name, job, step


def _uses(workflow: dict, action: str) -> list[dict]:
    return [step for _, _, step in _steps(workflow) if step.get("uses", "").startswith(action + "@")]


def test_there_are_ci_preview_deploy_and_upstream_workflows() -> None:
    assert {p.stem for p in WORKFLOWS} == {"ci", "preview", "deploy", "upstream"}
    triggers = {p.stem: set(_load(p)["on"]) for p in WORKFLOWS}
    assert triggers == {
        "ci": {"push", "pull_request"},
        "preview": {"pull_request"},
        "deploy": {"push", "workflow_dispatch"},
        "upstream": {"schedule", "workflow_dispatch"},
    }


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_workflow_is_well_formed(path: Path) -> None:
    workflow = _load(path)
    assert set(workflow["on"]) <= KNOWN_EVENTS
    assert "pull_request_target" not in workflow["on"]  # would run fork code with a write token
    for name, job in workflow["jobs"].items():
        assert job["runs-on"].startswith("ubuntu-"), name
        assert "timeout-minutes" in job, name
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].partition("@")[0] in KNOWN_ACTIONS, step["uses"]
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
                assert tuple(words[1:]) in LOCKED_INSTALLS, f"pip must install from the hash lock: {command!r}"
            else:
                assert tool in {"mkdocs", "python"}, command


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(- )?uses:", line):
                pinned = PINNED_USES.search(line)
                assert pinned and line.strip().removeprefix("- ") == pinned.group(0), f"{path.name}:{number}: {line}"
                pins.setdefault(pinned["action"], set()).add((pinned["sha"], pinned["version"]))
    assert set(pins) == KNOWN_ACTIONS
    assert {action: len(found) for action, found in pins.items()} == dict.fromkeys(pins, 1), pins  # one pin each


def test_every_checkout_drops_its_credentials() -> None:
    for path in WORKFLOWS:
        for step in _uses(_load(path), "actions/checkout"):
            assert step.get("with", {}).get("persist-credentials") is False, path.name


def test_no_expression_inside_a_run_script() -> None:
    """`${{ }}` is pasted into the script before the shell parses it: a branch name or label becomes code."""
    for path in WORKFLOWS:
        for name, _, step in _steps(_load(path)):
            assert "${{" not in step.get("run", ""), (path.name, name, step["run"])


def test_workflows_install_from_the_hash_lock() -> None:
    for path in WORKFLOWS:
        runs = [step["run"] for _, _, step in _steps(_load(path)) if "run" in step]
        installs = [run for run in runs if "pip install" in run]
        assert all("--require-hashes -r requirements/" in run for run in installs), path.name
        assert path.stem == "ci" or installs, f"{path.name} builds the site without installing it"


def test_production_and_previews_share_the_gh_pages_branch() -> None:
    """One Pages mode: both workflows push to gh-pages, which the repository serves as a branch."""
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "deploy-pages" not in text and "upload-pages-artifact" not in text, path.name
        for _, job, _ in _steps(_load(path)):
            assert "pages" not in job.get("permissions", {}) and "id-token" not in job.get("permissions", {})
    (deploy,) = _uses(_load(ROOT / ".github/workflows/deploy.yml"), "JamesIves/github-pages-deploy-action")
    previews = _uses(_load(ROOT / ".github/workflows/preview.yml"), "rossjrw/pr-preview-action")
    assert {step["with"]["action"] for step in previews} == {"deploy", "remove"}
    assert {step["with"]["preview-branch"] for step in previews} == {deploy["with"]["branch"]} == {"gh-pages"}
    umbrellas = {step["with"]["umbrella-dir"] for step in previews}
    # The production deploy keeps the previews' folder and rebases instead of overwriting the branch.
    assert {deploy["with"]["clean-exclude"]} == {umbrella + "/" for umbrella in umbrellas}
    assert deploy["with"]["force"] is False


def test_the_catalog_gate_runs_on_every_pull_request_change_and_label() -> None:
    ci = _load(ROOT / ".github/workflows/ci.yml")
    assert set(ci["on"]["pull_request"]["types"]) >= {"opened", "reopened", "synchronize", "labeled", "unlabeled"}
    gate = ci["jobs"]["catalog-gate"]
    assert gate["if"] == "github.event_name == 'pull_request'"
    (checkout,) = _uses({"jobs": {"gate": gate}}, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to diff against
    (step,) = [step for step in gate["steps"] if step.get("run") == "bash .ci/catalog-gate"]
    assert step["env"] == {
        "BASE_REF": "${{ github.base_ref }}",
        "ACKNOWLEDGED": f"${{{{ contains(github.event.pull_request.labels.*.name, '{GATE_LABEL}') }}}}",
    }
    assert f'label="{GATE_LABEL}"' in (ROOT / ".ci" / "catalog-gate").read_text(encoding="utf-8")


def test_jobs_hold_only_the_permissions_they_need() -> None:
    """Read-only by default; a job that can write runs no script of its own, only pinned actions."""
    for path in WORKFLOWS:
        workflow = _load(path)
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for name, job in workflow["jobs"].items():
            permissions = job["permissions"]
            writes = {scope for scope, level in permissions.items() if level == "write"}
            assert set(permissions.values()) <= {"read", "write"}, (path.name, name)
            if writes and (path.stem, name) == ("upstream", "issue"):
                assert writes == {"issues"} and not _uses({"jobs": {name: job}}, "actions/checkout")
                assert _programs(job) <= ISSUE_JOB_COMMANDS, _programs(job)
            elif writes:
                assert not any("run" in step for step in job["steps"]), (path.name, name)
                assert writes <= {"contents", "pull-requests"}, (path.name, name)


def _programs(job: dict) -> set[str]:
    """The first word of every command the job's scripts run."""
    programs = set()
    for step in job["steps"]:
        for line in step.get("run", "").splitlines():
            for command in re.split(r"&&|\|\||;", line):
                words = shlex.split(command.replace(">", " "))
                programs |= {words[0]} if words else set()
    return programs


def test_the_upstream_check_clones_the_vendor_docs_and_keeps_one_issue() -> None:
    workflow = _load(ROOT / ".github/workflows/upstream.yml")
    (cron,) = [item["cron"] for item in workflow["on"]["schedule"]]
    assert cron.split()[2:] == ["*", "*", "1"]  # weekly
    check, issue = workflow["jobs"]["check"], workflow["jobs"]["issue"]
    assert check["permissions"] == {"contents": "read"}
    assert issue["permissions"] == {"contents": "read", "issues": "write"} and issue["needs"] == "check"
    runs = "\n".join(step.get("run", "") for step in check["steps"])
    assert "git clone --depth 1 --quiet https://github.com/easemob/easemob-doc vendor-docs" in runs
    assert ".venv/bin/python -m generator upstream vendor-docs --json > report/drift.json" in runs
    (step,) = [step for step in issue["steps"] if "run" in step]
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}" and "${{" not in step["env"]["TITLE"]
    # One issue: found by its fixed title and edited; a new one only when none is open.
    assert "select(.title == env.TITLE)" in step["run"] and "gh issue edit" in step["run"]
    assert step["run"].count("gh issue create") == 1 and "test -s issue-number ||" in step["run"]


def test_write_tokens_never_meet_fork_code() -> None:
    for path in WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            permissions = job.get("permissions", _load(path).get("permissions", {}))
            writes = [scope for scope, level in permissions.items() if level == "write"]
            runs_code = any("run" in step for step in job["steps"])
            if writes and path.stem == "preview":
                assert "head.repo.full_name == github.repository" in job.get("if", ""), (path.name, name)
                assert not runs_code, (path.name, name)
