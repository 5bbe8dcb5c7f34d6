"""Repository promises: the README's Quick start, the CI script, lint, and `mkdocs serve`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.servers import fetch, mkdocs_serve, wait_for


def _quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") :]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    serve, test = _quick_start()
    assert serve.endswith("mkdocs serve -a 127.0.0.1:8000")
    assert test.endswith("python -m pytest")
    assert serve.startswith("python3 -m venv .venv") and test.startswith("python3 -m venv .venv")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extracted = subprocess.run(
        ["bash", "-c", "awk '/^```/{n++; next} n==1{print}' README.md | sed -n 2p"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == _quick_start()[1]
    assert 'eval "$test_command"' in ci and "apt-get install -y -qq chromium" in ci


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    folders = ["generator", "tests", "benchmarks"]
    result = subprocess.run([ruff, "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mkdocs_serve_serves_the_site() -> None:
    """The serve half of Quick start command (1), on a free port, always stopped."""
    with mkdocs_serve(ROOT, "--no-livereload") as server:
        url = server.url + "errors/token-corrupt/"
        wait_for(lambda: "Unable to authenticate due to corrupt access token" in (fetch(url) or ""))
        english = fetch(server.url + "en/errors/token-corrupt/") or ""  # both editions are served
        assert '<html lang="en"' in english and "Possible causes" in english
        assert server.process.poll() is None
