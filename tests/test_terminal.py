"""What the CLI prints is text: no escape sequence, bidi override or CI workflow command gets through.

Each attack puts the payload where a user or a pull request can: a catalog key or value, a file or
folder name, an argument, the query on stdin. The checks read the raw bytes the real CLI wrote.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.terminal import json_text, terminal_safe
from tests.conftest import MINIMAL_CATALOG, ROOT, quiet_env

# Written out here rather than imported, so the test does not trust the list it is testing.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# OSC 52 sets the clipboard, CSI 2K + CR erases the line to print a fake verdict.
CLIPBOARD = "\x1b]52;c;aGVsbG8=\x07"
ERASE_LINE = "\x1b[2K\r"

HOSTILE_ENTRY = r"""  - slug: hostile
    status: 400
    error: "evil_type ##[error]annotated"
    message: "evil thing \u202e gnp.exe \x9b31m"
    category: request
    modules: [group]
    cause:
      zh: "原因 \e]52;c;aGVsbG8=\a\n::warning title=pwned::from the cause"
    remedy:
      zh: "修复 \e[2K\rcatalog: OK"
"""


def assert_terminal_safe(raw: bytes) -> str:
    """Raw CLI output is UTF-8 text with no control, bidi or workflow command; returns it decoded."""
    text = raw.decode("utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        assert not RAW_CONTROL.search(line), (number, line)
        assert not line.lstrip().startswith("::"), (number, line)  # GitHub runs `::command::` lines
        assert "##[" not in line and "##vso[" not in line, (number, line)  # and these anywhere
    return text


def run_cli(
    *args: str, cwd: Path = ROOT, stdin: bytes = b"", encoding: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = quiet_env()
    if encoding:  # as in a terminal with a UTF-8 locale, where Python decodes stdin strictly
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120
    )


def hostile_catalog(folder: Path) -> Path:
    shutil.copytree(MINIMAL_CATALOG, folder)
    errors = folder / "errors" / "group.yaml"
    errors.write_text(errors.read_text(encoding="utf-8") + HOSTILE_ENTRY, encoding="utf-8")
    return folder


def test_terminal_safe_escapes_controls_bidi_and_workflow_commands() -> None:
    assert terminal_safe(f"a{ERASE_LINE}b") == "a\\x1b[2K\\rb"
    assert terminal_safe("x\n::error::y") == "x\\n::error::y"  # one line: the value cannot start one
    assert terminal_safe("\u202eabc\u2066\x9b\x7f") == "\\u202eabc\\u2066\\x9b\\x7f"
    assert terminal_safe("  \u3000::error::y") == "  \u3000\\x3a:error::y"  # the runner trims blanks
    assert terminal_safe("a ##[error]b ##vso[task]c") == "a #\\x23[error]b #\\x23vso[task]c"
    assert terminal_safe("bad \udcff byte") == "bad \\udcff byte"
    assert terminal_safe("检查 `group_id`: a::b") == "检查 `group_id`: a::b"  # ordinary text untouched
    for text in (f"{CLIPBOARD}::x", "::a", "###[b", "\n\n::c"):
        assert terminal_safe(terminal_safe(text)) == terminal_safe(text)


def test_json_text_keeps_the_data_and_escapes_what_json_dumps_leaves_raw() -> None:
    value = [{"error": "##[error]x", "message": "\x7f\x9b\u202e\u2028\ud800", "cause": "原因\n::a"}]
    assert json.dumps(value, ensure_ascii=False).count("\u202e") == 1  # why json_text exists
    text = json_text(value)
    assert json.loads(text) == value
    assert "原因" in text  # Chinese stays readable
    assert_terminal_safe(text.encode("utf-8"))


def test_check_prints_hostile_keys_and_file_names_as_escapes(tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path / "catalog")
    errors = catalog / "errors" / "group.yaml"
    errors.write_text(
        errors.read_text(encoding="utf-8") + f'    "{ERASE_LINE.encode("unicode_escape").decode()}catalog: OK": 1\n',
        encoding="utf-8",
    )
    (catalog / "errors" / f"evil{CLIPBOARD}\u202e.yaml").write_text("entries: [\n", encoding="utf-8")
    result = run_cli("check", "--catalog", str(catalog))
    assert result.returncode == 1
    out, err = assert_terminal_safe(result.stdout), assert_terminal_safe(result.stderr)
    # The loader refuses the key; its key path is shown escaped, never obeyed.
    assert "entries[2].'\\x1b[2K\\rcatalog: OK': control character U+001B" in out
    assert "errors/evil\\x1b]52;c;aGVsbG8=\\x07\\u202e.yaml:" in out
    assert "error(s)" in err and "Traceback" not in err


def test_paths_that_spell_workflow_commands_do_not_start_a_command(tmp_path: Path) -> None:
    """A catalog folder named like a workflow command: every problem line starts with its path."""
    folder = "::error title=pwned::x ##[add-mask]y"
    catalog = hostile_catalog(tmp_path / folder)
    (catalog / "statuses.yaml").write_text("statuses: [\n", encoding="utf-8")
    result = run_cli("check", "--catalog", folder, cwd=tmp_path)
    assert result.returncode == 1
    lines = assert_terminal_safe(result.stdout).splitlines()
    assert lines and all(line.startswith("\\x3a:error title=pwned::x #\\x23[add-mask]y/") for line in lines)
    assert assert_terminal_safe(result.stderr).endswith(" in ::error title=pwned::x #\\x23[add-mask]y\n")


def test_explain_prints_hostile_catalog_text_as_escapes(tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path / "catalog")
    text = run_cli("explain", "--catalog", str(catalog), "evil", "thing", "gnp")
    as_json = run_cli("explain", "--json", "--catalog", str(catalog), "evil", "thing", "gnp")
    for result in (text, as_json):
        assert "Traceback" not in assert_terminal_safe(result.stdout) + assert_terminal_safe(result.stderr)
    if text.returncode != 0:  # a loader that refuses these characters says so, printed just as safely
        assert text.returncode == as_json.returncode == 1
        return
    lines = text.stdout.decode("utf-8").splitlines()
    assert lines[0].split("] ", 1)[1] == "400 evil_type #\\x23[error]annotated: evil thing \\u202e gnp.exe \\x9b31m"
    assert lines[1] == "   可能原因：原因 \\x1b]52;c;aGVsbG8=\\x07\\n::warning title=pwned::from the cause"
    assert lines[2] == "   处理建议：修复 \\x1b[2K\\rcatalog: OK"
    listed = json.loads(as_json.stdout)[0]
    assert (listed["error"], listed["message"]) == ("evil_type ##[error]annotated", "evil thing \u202e gnp.exe \x9b31m")
    assert listed["remedy"] == "修复 \x1b[2K\rcatalog: OK"


def test_explain_reads_any_bytes_from_stdin() -> None:
    query = b'{"error":"resource_not_found","error_description":"\xff\xfe \x1b]52;c;eA==\x07 \xe2\x80\xae"}'
    result = run_cli("explain", stdin=query, encoding="utf-8:strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in assert_terminal_safe(result.stderr)
    shown = assert_terminal_safe(result.stdout).splitlines()
    assert shown[0].startswith("没有哪个错误") and shown[1].startswith("1. [")  # the message matched nothing


def test_arguments_quoted_in_errors_are_escaped(tmp_path: Path) -> None:
    bad_limit = run_cli("explain", "--limit", f"{CLIPBOARD}\n::error::x\udcff", "x", encoding="utf-8:strict")
    assert bad_limit.returncode == 2
    assert "\\x1b]52;c;aGVsbG8=\\x07" in assert_terminal_safe(bad_limit.stderr)
    missing = run_cli("check", "--catalog", f"{tmp_path}/none{ERASE_LINE}::error::x")
    assert missing.returncode == 1
    assert "none\\x1b[2K\\r::error::x" in assert_terminal_safe(missing.stdout) + assert_terminal_safe(missing.stderr)
    bad_base = run_cli("diff", f"main{CLIPBOARD}##[error]x", "--catalog", str(MINIMAL_CATALOG))
    assert bad_base.returncode == 2
    assert "neither a catalog folder nor a git ref" in assert_terminal_safe(bad_base.stderr)


@pytest.mark.slow
def test_mkdocs_build_prints_hostile_problems_as_escapes(tmp_path: Path) -> None:
    """The plugin prints problems through Problem.format: the same escapes as `check`."""
    catalog = hostile_catalog(tmp_path / "catalog")
    (catalog / "errors" / f"evil{CLIPBOARD}.yaml").write_text("entries: [\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - error-catalog:\n      catalog: catalog\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True,
        cwd=tmp_path,
        env=quiet_env(),
        timeout=300,
    )
    assert result.returncode != 0
    err = assert_terminal_safe(result.stderr)
    assert "catalog/errors/evil\\x1b]52;c;aGVsbG8=\\x07.yaml:2:1: (document): YAML syntax error" in err
