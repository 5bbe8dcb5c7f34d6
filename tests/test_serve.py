"""`mkdocs serve` for maintainers: a catalog edit shows up live; a bad edit is reported and the
server keeps serving the last good site; fixing the file brings the new site back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL_CATALOG, ROOT
from tests.servers import fetch, mkdocs_serve, wait_for
from tests.test_validate import INVALID_CASES, file_bytes

STILL_SERVING = "Still serving the last good build"

pytestmark = pytest.mark.slow  # live `mkdocs serve` sessions


def test_live_edit_bad_edit_and_recovery(tmp_path: Path, capsys) -> None:
    site = tmp_path / "repo"
    site.mkdir()
    for name in ("catalog", "docs"):
        shutil.copytree(ROOT / name, site / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("  - generator/templates\n", "")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    errors_file = site / "catalog" / "errors" / "common.yaml"
    original = errors_file.read_text(encoding="utf-8")
    group_file = site / "catalog" / "errors" / "group.yaml"
    with mkdocs_serve(site) as server:
        page_url = server.url + "errors/token-corrupt/"
        wait_for(lambda: "corrupt access token" in (fetch(page_url) or ""))

        # 1. Good edits show up. A typical one: an entry's cause, shown on its own page only.
        group_text = group_file.read_text(encoding="utf-8")
        group_file.write_text(
            group_text.replace("当前 App 没有开通子区", "TYPICAL-EDIT 当前 App 没有开通子区", 1), "utf-8"
        )
        typical = wait_for(lambda: "TYPICAL-EDIT" in (fetch(server.url + "errors/thread-not-open/") or ""))
        # The widest one: the remedy of an error every API can return, shown in 18 pages' tables.
        edited = original.replace("如果 Token 本身已损坏", "LIVE-EDIT-MARKER 如果 Token 本身已损坏", 1)
        assert edited != original
        errors_file.write_text(edited, encoding="utf-8")
        widest = wait_for(lambda: "LIVE-EDIT-MARKER" in (fetch(server.url + "modules/group/") or ""))
        assert "LIVE-EDIT-MARKER" in (fetch(page_url) or "")

        # 2. A bad edit: problems in the terminal, no traceback, the last good site still served.
        errors_file.write_text(edited.replace("    status: 401\n", "    status: 401\n    status: 402\n", 1), "utf-8")
        wait_for(lambda: STILL_SERVING in server.log_since(0))
        log = server.log_since(0)
        assert "common.yaml:" in log and "duplicate key 'status'" in log
        assert "Traceback" not in log
        wait_for(lambda: "LIVE-EDIT-MARKER" in (fetch(page_url) or ""))  # answers, with the last good page
        assert server.process.poll() is None

        # 3. Fixing the file brings the site back with the newest text.
        errors_file.write_text(edited.replace("LIVE-EDIT-MARKER", "LIVE-EDIT-FIXED"), encoding="utf-8")
        wait_for(lambda: "LIVE-EDIT-FIXED" in (fetch(page_url) or ""))
        builds = re.findall(r"Documentation built in ([\d.]+) seconds", server.log_since(0))
    with capsys.disabled():
        print(
            f"\n[serve] edit visible after {typical:.1f} s (one entry's cause), {widest:.1f} s (an all-API remedy); "
            f"builds took {', '.join(builds)} s (first: the initial full build)"
        )


def test_serve_keeps_the_last_good_site_through_every_invalid_case(tmp_path: Path) -> None:
    """Each case of tests/fixtures/invalid, applied to a live server's catalog: its messages are
    printed, the last good page is still served, and restoring the files brings the server back."""
    shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\nwatch:\n  - catalog\n",
        encoding="utf-8",
    )
    with mkdocs_serve(tmp_path) as server:
        page_url = server.url + "errors/group-not-found/"
        wait_for(lambda: "grpID XX does not exist" in (fetch(page_url) or ""))
        for case_path in INVALID_CASES:
            case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
            targets = {name: tmp_path / "catalog" / name for name in case["files"]}
            saved = {name: path.read_bytes() if path.exists() else None for name, path in targets.items()}
            start = len(server.output)
            _write_files(targets, {name: None if c is None else file_bytes(c) for name, c in case["files"].items()})
            expected = case["expected"].splitlines()
            # Writing a file is not atomic: a build may first read it half-written; the next has it whole.
            wait_for(
                lambda start=start, expected=expected: all(
                    line in server.log_since(start) for line in [*expected, STILL_SERVING]
                )
            )
            log = server.log_since(start)
            assert STILL_SERVING in log, case_path.stem
            assert "Traceback" not in log, case_path.stem
            wait_for(lambda: "grpID XX does not exist" in (fetch(page_url) or ""))
            assert server.process.poll() is None, case_path.stem
            _write_files(targets, saved)
            wait_for(lambda start=start: "Reloading browsers" in server.log_since(start).split(STILL_SERVING)[-1])


def _write_files(targets: dict[str, Path], contents: dict[str, bytes | None]) -> None:
    for name, content in contents.items():
        if content is None:
            targets[name].unlink(missing_ok=True)
        else:
            targets[name].parent.mkdir(parents=True, exist_ok=True)
            targets[name].write_bytes(content)


@pytest.mark.slow
def test_serve_reports_a_broken_template_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    """A template override that does not compile, then one that fails while rendering: each is
    printed as path:line:col, the last good page is still served, and the fix shows up."""
    shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    (tmp_path / "docs").mkdir()
    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "status_page.md.jinja"

    def write_override(title: str) -> None:
        override.write_text(
            f'{{% extends "_base/status_page.md.jinja" %}}\n{{% block title %}}\n# {title}\n{{% endblock %}}\n',
            encoding="utf-8",
        )

    write_override("GOOD-OVERRIDE {{ status.code }}")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\nwatch:\n  - catalog\n  - templates\n",
        encoding="utf-8",
    )
    with mkdocs_serve(tmp_path) as server:
        page_url = server.url + "statuses/404/"
        wait_for(lambda: "GOOD-OVERRIDE 404" in (fetch(page_url) or ""))
        for broken, expected in (
            ("{{ status.code | }}", "templates/status_page.md.jinja:3:1: template syntax error: expected token"),
            ("{{ no_such_variable }}", "templates/status_page.md.jinja:3:1: template error: 'no_such_variable' is"),
        ):
            start = len(server.output)
            write_override(broken)
            wait_for(lambda start=start: STILL_SERVING in server.log_since(start))
            log = server.log_since(start)
            assert expected in log and "Traceback" not in log, log
            assert "GOOD-OVERRIDE 404" in (fetch(page_url) or "")
            assert server.process.poll() is None
        write_override("FIXED-OVERRIDE {{ status.code }}")
        wait_for(lambda: "FIXED-OVERRIDE 404" in (fetch(page_url) or ""))
