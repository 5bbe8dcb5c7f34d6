"""Catalog checks: the real catalog is clean; each invalid fixture gives exactly its expected output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.validate import _link_problem, check_catalog
from tests.conftest import FIXTURES, MINIMAL_CATALOG, ROOT, mkdocs_build

INVALID_CASES = sorted((FIXTURES / "invalid").glob("*.yaml"))


def test_real_catalog_has_no_problems() -> None:
    result = check_catalog(ROOT / "catalog")
    assert [p.format() for p in result.problems] == []
    assert result.catalog is not None


def test_minimal_fixture_is_valid() -> None:
    result = check_catalog(MINIMAL_CATALOG)
    assert result.problems == [] and result.catalog is not None


def _check_cli(catalog: str, cwd: Path | None) -> subprocess.CompletedProcess[str]:
    """The real `python -m generator check`, run from the folder that holds the catalog."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--catalog", catalog],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _materialize(case: dict, workdir: Path) -> Path:
    catalog = workdir / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    for name, content in case["files"].items():
        target = catalog / name
        if content is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file_bytes(content))
    return catalog


def file_bytes(content: str | dict) -> bytes:
    """A fixture file's bytes: text, or {hex: ...} for raw bytes, or {text: ...} for text with
    characters a block scalar cannot hold (written as escapes in the fixture), or
    {prefix, repeat, times, suffix} for a large generated file (so a 50 MB case stays a few lines)."""
    if isinstance(content, str):
        return content.encode("utf-8")
    if "hex" in content:
        return bytes.fromhex(content["hex"])
    if "text" in content:
        return content["text"].encode("utf-8")
    body = content.get("prefix", "") + content["repeat"] * content["times"] + content.get("suffix", "")
    return body.encode("utf-8")


def _write_golden(path: Path, case: dict, actual: str) -> None:
    lines = [f"about: {case['about']}", "files:"]
    for name, content in case["files"].items():
        if content is None:
            lines.append(f"  {name}: null")
        elif isinstance(content, dict):
            lines.append(f"  {name}: {_escaped(json.dumps(content, ensure_ascii=False))}")
        else:
            lines.append(f"  {name}: |")
            lines += [f"    {line}" if line else "" for line in content.splitlines()]
    lines.append("expected: |")
    lines += [f"  {line}" for line in actual.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\U000e0000-\U000e007f]")


def _escaped(flow: str) -> str:
    """JSON as a YAML flow mapping, every control, line-break, bidi and invisible character written as
    a YAML escape, so the fixture shows them and reads back the same."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return _UNSHOWABLE.sub(escape, flow)


@pytest.mark.parametrize("case_path", INVALID_CASES, ids=[p.stem for p in INVALID_CASES])
def test_invalid_fixture_reports_exactly(case_path: Path, tmp_path: Path, update_goldens: bool) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    _materialize(case, tmp_path)
    result = _check_cli("catalog", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    if update_goldens:
        _write_golden(case_path, case, result.stdout)
    assert result.stdout == case["expected"]
    assert result.returncode == 1
    assert "error(s)" in result.stderr


def test_enough_invalid_cases_cover_the_required_kinds() -> None:
    names = {p.stem for p in INVALID_CASES}
    required = {
        "duplicate_key",
        "unknown_field",
        "bad_status",
        "dangling_reference",
        "duplicate_slug",
        "missing_remedy",
        "yaml_syntax_error",
    }
    assert required <= names


def test_check_exits_zero_on_a_clean_catalog(tmp_path: Path) -> None:
    result = _check_cli(str(MINIMAL_CATALOG), cwd=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "OK (2 entries" in result.stderr


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    """Problems in several files come out together, sorted by file and line."""
    catalog = _materialize(
        {
            "files": {
                "modules.yaml": "modules:\n  - key: Group\n",
                "categories.yaml": (
                    "categories:\n  - key: request\n    title: {zh: x}\n    summary: {zh: y}\n    colour: red\n"
                ),
            }
        },
        tmp_path,
    )
    result = check_catalog(catalog)
    formatted = [p.format() for p in result.problems]
    files = [line.split(":")[0] for line in formatted]
    assert any(f.endswith("modules.yaml") for f in files) and any(f.endswith("categories.yaml") for f in files)
    assert len(formatted) >= 5
    assert result.catalog is None


DRIFTING_ENTRIES = """entries:
  - slug: group-not-found
    status: 404
    error: resource_not_found
    message: "grpID XX does not exist!"
    category: request
    modules: [group]
    cause:
      zh: 群组 ID 不存在。
    remedy:
      zh: 检查群组 ID。
  - slug: group-not-found-400
    status: 400
    error: Resource_Not_Found
    message: "grpID XX does not exist!"
    category: request
    modules: [group]
    cause:
      zh: 群组 ID 不存在。
    remedy:
      zh: 检查群组 ID。
"""


def test_drift_in_the_source_is_a_warning_with_its_location(tmp_path: Path) -> None:
    _materialize({"files": {"errors/group.yaml": DRIFTING_ENTRIES}}, tmp_path)
    result = _check_cli("catalog", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "catalog/errors/group.yaml:5:14: entries[0].message: warning: the same message is documented as "
        "400 Resource_Not_Found (group-not-found-400); review and add a drift_note",
        "catalog/errors/group.yaml:14:12: entries[1].error: warning: error type 'Resource_Not_Found' is a spelling "
        "variant of 'resource_not_found' (1 entries); review and add a drift_note",
        "catalog/errors/group.yaml:15:14: entries[1].message: warning: the same message is documented as "
        "404 resource_not_found (group-not-found); review and add a drift_note",
    ]
    assert "3 warning(s)" in result.stderr


def test_a_reviewed_drift_note_silences_the_warning(tmp_path: Path) -> None:
    reviewed = DRIFTING_ENTRIES.replace(
        "      zh: 检查群组 ID。\n",
        "      zh: 检查群组 ID。\n    drift_note:\n      zh: 官方文档在不同接口中记为 404 和 400。\n",
    )
    catalog = _materialize({"files": {"errors/group.yaml": reviewed}}, tmp_path)
    result = check_catalog(catalog)
    assert result.problems == [] and result.catalog is not None


@pytest.mark.slow
@pytest.mark.parametrize("case_path", INVALID_CASES, ids=[p.stem for p in INVALID_CASES])
def test_invalid_fixture_stops_mkdocs_build_with_the_same_messages(case_path: Path, tmp_path: Path) -> None:
    """`mkdocs build` prints what `check` prints, and the previous site is left exactly as it was."""
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    catalog = _materialize(case, tmp_path)
    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last good build", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\n",
        encoding="utf-8",
    )
    result = mkdocs_build(config, site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for line in case["expected"].splitlines():
        assert line in result.stderr, line
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "last good build"
    assert catalog.is_dir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_sparse_files_and_fifos_in_the_catalog_are_refused_at_once(tmp_path: Path) -> None:
    """A 3 GB sparse file is refused by its size, unread; FIFOs are refused, never opened for a
    blocking read (the run would otherwise hang until the timeout)."""
    catalog = _materialize({"files": {}}, tmp_path)
    with (catalog / "errors" / "huge.yaml").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    os.mkfifo(catalog / "errors" / "pipe.yaml")
    os.mkfifo(catalog / "search_terms.txt")
    (catalog / "published_slugs.txt").unlink()
    (catalog / "published_slugs.txt").mkdir()
    start = time.monotonic()
    result = check_catalog(catalog)
    assert time.monotonic() - start < 2
    assert result.catalog is None
    cli = _check_cli("catalog", cwd=tmp_path)
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert cli.stdout.splitlines() == [
        "catalog/errors/huge.yaml:1:1: (document): file is larger than 16 MiB; split it",
        "catalog/errors/pipe.yaml:1:1: (document): a named pipe (FIFO) is not a catalog file; save a plain file here",
        "catalog/published_slugs.txt:1:1: (document): a folder is not a catalog file; save a plain file here",
        "catalog/search_terms.txt:1:1: (document): a named pipe (FIFO) is not a catalog file; save a plain file here",
    ]


def test_publish_slugs_starts_a_missing_list(tmp_path: Path) -> None:
    catalog = _materialize({"files": {"published_slugs.txt": None}}, tmp_path)
    assert _check_cli("catalog", cwd=tmp_path).returncode == 1
    result = subprocess.run(
        [sys.executable, "-m", "generator", "publish-slugs", "--catalog", "catalog"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    listed = (catalog / "published_slugs.txt").read_text(encoding="utf-8").splitlines()
    assert listed[-2:] == ["group-bad-argument", "group-not-found"]
    assert _check_cli("catalog", cwd=tmp_path).returncode == 0


@settings(max_examples=500, deadline=None)
@given(rest=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_link_makes_the_link_check_raise(rest: str) -> None:
    for url in (f"https://{rest}", f"https://doc.easemob.com{rest}", f"https://[{rest}"):
        message = _link_problem(url)
        assert message is None or url[:8] in message or "host" in message


def test_search_terms_are_read_by_the_check(tmp_path: Path) -> None:
    """The build takes jieba's terms from the check's result, so it never reads an unchecked file."""
    terms = (ROOT / "catalog" / "search_terms.txt").read_text(encoding="utf-8").splitlines()
    expected = [line.strip() for line in terms if line.strip() and not line.startswith("#")]
    assert check_catalog(ROOT / "catalog").search_terms == expected and "子区" in expected
    catalog = _materialize({"files": {"search_terms.txt": "# none yet\n"}}, tmp_path)
    assert check_catalog(catalog).search_terms == []
