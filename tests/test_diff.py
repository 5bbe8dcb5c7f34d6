"""`python -m generator diff`: the reviewer's report, breaking changes first."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import cmarkgfm.cmark

from tests.conftest import MINIMAL_CATALOG
from tests.test_terminal import assert_terminal_safe

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
    assert "| `group-full` | 400 | `exceed_limit` | `group is full` |" in report
    assert "| remedy | ``检查 `group_id`。`` | ``检查路径中的 `group_id`。`` |" in report
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


# What a pull request could put into catalog text to take over the bot's comment.
HOSTILE_TEXTS = {
    "error": "bad_<b>type</b>_@everyone",
    "message": "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![x](https://evil.example/p.png)",
    "cause": "```\n# heading\n| a | b |\n| --- | --- |\n@everyone #1 <script>alert(1)</script> https://evil.example",
    "remedy": "`` a ``` b ` *bold* _em_ ~~gone~~ &amp; <!-- c --> www.evil.example",
    "added_message": "`starts and ends with a backtick` | pipe \\| escaped pipe",
    "added_error": "::error title=pwned::x ##[add-mask]y",
}
HOSTILE_LABEL = "base ``` <img src=x> @everyone #1 [l](https://evil.example)"


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _hostile_pair(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / HOSTILE_LABEL
    shutil.copytree(MINIMAL_CATALOG, base)
    head = tmp_path / "head"
    shutil.copytree(MINIMAL_CATALOG, head)
    errors = head / "errors" / "group.yaml"
    text = errors.read_text(encoding="utf-8")
    text = text.replace("error: illegal_argument", f"error: {_yaml_string(HOSTILE_TEXTS['error'])}")
    text = text.replace('"groupname cannot be null"', _yaml_string(HOSTILE_TEXTS["message"]))
    text = text.replace("zh: 缺少 `groupname`。", f"zh: {_yaml_string(HOSTILE_TEXTS['cause'])}")
    text = text.replace("zh: 传入群组名称。", f"zh: {_yaml_string(HOSTILE_TEXTS['remedy'])}")
    added = NEW_ENTRY.replace('"group is full"', _yaml_string(HOSTILE_TEXTS["added_message"]))
    added = added.replace("exceed_limit", _yaml_string(HOSTILE_TEXTS["added_error"]))
    errors.write_text(text + added, encoding="utf-8")
    return base, head


class _RenderedHtml(HTMLParser):
    """Tags, the text of each <code> element, and the text outside code, of rendered Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.code: list[str] = []
        self.outside_code: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "code":
            self._in_code, self.code = True, [*self.code, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code[-1] += data
        else:
            self.outside_code.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("<!--")


def _render_like_github(markdown: str) -> _RenderedHtml:
    """GitHub's own parser (cmark-gfm) with its extensions, raw HTML let through to see any."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    parsed = _RenderedHtml()
    parsed.feed(html)
    return parsed


def _shown(text: str) -> str:
    """How the report shows a text: one line, control characters as escapes, workflow commands broken."""
    return text.replace("\n", "\\n").replace("##[", "#\\x23[")


def test_hostile_catalog_text_stays_text_in_the_report(tmp_path: Path) -> None:
    base, head = _hostile_pair(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(base), "--catalog", str(head)],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    report = assert_terminal_safe(result.stdout)
    rendered = _render_like_github(report)

    # Nothing but the report's own structure: no link, image, HTML, extra heading or table.
    assert set(rendered.tags) <= {
        "h2",
        "h3",
        "h4",
        "p",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
    }
    assert rendered.tags.count("table") == 2 and rendered.tags.count("h4") == 1
    # Every text reads exactly as written, inside a code span, where GitHub links no @mention,
    # #reference or URL; outside code there is only the report's own wording.
    for text in [*HOSTILE_TEXTS.values(), str(base)]:
        assert _shown(text) in rendered.code, text
    outside = "".join(rendered.outside_code)
    for trigger in ("@", "#1", "http", "www.", "<", "[", "`", "*", "_"):
        assert trigger not in outside, trigger


def test_report_source_keeps_catalog_text_inside_long_enough_fences(tmp_path: Path) -> None:
    """On the Markdown itself, not one renderer: each text sits between fences longer than its runs."""
    base, head = _hostile_pair(tmp_path)
    report = _diff(tmp_path, str(base), "--catalog", str(head)).stdout
    for text in [*HOSTILE_TEXTS.values(), str(base)]:
        shown = _shown(text)
        fence_length = max((len(run) for run in re.findall("`+", shown)), default=0) + 1
        for source in {shown, shown.replace("|", "\\|")}:  # table cells escape pipes for GFM
            for match in re.finditer(re.escape(source), report):
                before, after = report[: match.start()], report[match.end() :]
                padded = shown.startswith("`") or shown.endswith("`")
                opening = re.search(r"(`+)" + (" " if padded else "") + r"\Z", before)
                closing = re.match((" " if padded else "") + r"(`+)", after)
                assert opening and closing, (text, report[match.start() - 5 : match.end() + 5])
                assert len(opening.group(1)) == len(closing.group(1)) == fence_length, text
        assert any(source in report for source in (shown, shown.replace("|", "\\|"))), text


def _git_out(repo: Path, *args: str, stdin: bytes = b"") -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, input=stdin, capture_output=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode().strip()


def _tree(repo: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree object from (mode, sha, name) entries; `git mktree` takes any name, `..` included."""
    listing = "".join(f"{mode} {'tree' if mode == '040000' else 'blob'} {sha}\t{name}\n" for mode, sha, name in entries)
    return _git_out(repo, "mktree", stdin=listing.encode())


def test_a_base_tree_cannot_write_outside_its_temp_folder(tmp_path: Path) -> None:
    """A commit whose catalog holds `..` entries, as a hostile pull request's base could."""
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL_CATALOG, repo / "catalog")
    _git_out(repo, "init", "-q")
    _git_out(repo, "add", ".")
    _git_out(repo, "commit", "-qm", "base")
    payload = _git_out(repo, "hash-object", "-w", "--stdin", stdin=b"written outside\n")
    escape = _tree(repo, [("100644", payload, "escaped.yaml")])
    for _ in range(3):  # catalog/../../../escaped.yaml: out of the temp catalog, its folder and TMPDIR
        escape = _tree(repo, [("040000", escape, "..")])
    catalog = [line.split(None, 3) for line in _git_out(repo, "ls-tree", "HEAD:catalog").splitlines()]
    hostile = _tree(repo, [*((mode, sha, name) for mode, _kind, sha, name in catalog), ("040000", escape, "..")])
    root = _tree(repo, [("040000", hostile, "catalog")])
    commit = _git_out(repo, "commit-tree", root, "-m", "hostile")
    assert "catalog/../../../../escaped.yaml" in _git_out(repo, "ls-tree", "-r", "--name-only", commit)
    temp = tmp_path / "deep" / "tmp"
    temp.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", commit],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        f"error: {commit!r} holds a file named 'catalog/../../../../escaped.yaml', "
        "which would be written outside the catalog"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert [p for p in tmp_path.rglob("escaped.yaml")] == []
    assert list(temp.iterdir()) == []  # the temp folder is gone too


def test_base_is_never_taken_as_an_option(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL_CATALOG, repo / "catalog")
    _git_out(repo, "init", "-q")
    _git_out(repo, "add", ".")
    _git_out(repo, "commit", "-qm", "base")
    for base in ("--output=written.txt", "-o", "HEAD:catalog"):  # an option, and a tree that is no commit
        result = _diff(repo, "--", base)
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"error: {base!r} is neither a catalog folder nor a git ref" in result.stderr
    assert sorted(p.name for p in repo.iterdir()) == [".git", "catalog"]


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
