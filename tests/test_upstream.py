"""The drift check (`python -m generator upstream DOCS_DIR`): the vendor's pages parsed with their
quirks, every finding kind on fixture trees in the vendor's format (golden reports), the
acknowledgements, and the 16 changes of the fact table found on pages written from its versions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.vendor_pages import parse_page, path_shape, split_cells
from tests.conftest import GOLDENS, ROOT, SMALL_CATALOG
from tests.vendor_tree import load_facts, write_vendor_tree

VENDOR_DOCS = ROOT / "tests" / "fixtures" / "vendor_docs"
UPSTREAM_GOLDENS = GOLDENS / "upstream"
UPSTREAM_DATA = ROOT / "tests" / "data" / "upstream"
SMALL = SMALL_CATALOG.relative_to(ROOT).as_posix()


def upstream(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "upstream", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def findings(*args: str) -> list[dict]:
    result = upstream(*args, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


# The parser, page by page.


def test_rows_keep_their_literals_through_the_vendors_quirks() -> None:
    page = parse_page(
        "docs/document/server-side/x.md",
        "\n".join(
            [
                "# 占位标题",
                "## 请求 URL",
                "```http",
                "POST https://{host}/{org}/{app}/things/{thing_id}?notify={N}",
                "```",
                "## 错误码",
                "| HTTP 状态码 | 错误类型 | 错误提示 | 可能原因 | 处理建议 |",
                "| :--- | :--- | :--- | :--- | :--- |",
                '| 400 | invalid_parameter | "quoted message" | 占位。 | 占位。 |',
                "| 400 | illegal_argument | a \\| b | 占位。 | 占位。 |",
                "| 400 | illegal_argument | c | d | 占位。 | 占位。 |",
                "| 403 | forbidden_op |",
                "| 404 | 请求路径不存在 | url is invalid。 | 占位。 | 占位。 |",
                "| 5xx | - | 任意 | 占位。 | 占位。 |",
                "| 14001 |  |  | 占位。 | 占位。 |",
                "| 429 | `reach_limit` | reached\\n  limit | 占位。 | 占位。",
            ]
        ),
    )
    (api,) = page.apis
    assert (api.method, api.path, api.query, api.line, api.title) == (
        "POST",
        "/{org}/{app}/things/{thing_id}",
        "notify={N}",
        4,
        "占位标题",
    )
    assert [row.identity for row in api.rows] == [
        (400, None, None, "invalid_parameter", "quoted message"),
        (400, None, None, "illegal_argument", "a | b"),
        (400, None, None, "illegal_argument", "c | d"),
        (403, None, None, "forbidden_op", None),
        (404, None, None, None, "url is invalid"),
        (None, "5xx", None, None, None),
        (None, None, 14001, None, None),
        (429, None, None, "reach_limit", "reached\\n  limit"),
    ]
    assert [row.line for row in api.rows] == list(range(9, 17))
    assert api.rows[4].error_label == "请求路径不存在" and api.rows[5].message_any
    assert api.rows[2].notes == ("row has 6 cells vs 5 header columns; | in the message",)
    assert api.rows[3].notes == ("row has 2 cells vs 5 header columns",)


def test_a_page_of_several_apis_gives_each_its_tables() -> None:
    text = "\n".join(
        [
            "# 合集",
            "## 接口一",
            "### HTTP 请求",
            "```http",
            "GET https://{host}/{org_name}/{app_name}/a",
            "```",
            "### 错误码",
            "| 401 | unauthorized | one | 占位。 | 占位。 |",  # no header row
            "## 接口二",
            "```http",
            "PUT https://{host}/{org_name}/{app_name}/b",
            "```",
            "```http",
            "PUT https://{host}/{org_name}/{app_name}/b",  # written again for another variant
            "```",
            "## 接口三（没有错误码一节）",
            "```",
            "DELETE https://{host}/{org_name}/{app_name}/c",
            "```",
            "## Error code",
            "1. first",
            "| HTTP status code | Error type | Error message |",
            "| --- | --- | --- |",
            "| 400 | bad | two |",
            "2. second",
            "| HTTP status code | Error type | Error message |",
            "| --- | --- | --- |",
            "| 400 | bad | three |",
            "```shell",
            "curl -X POST https://{host}/{org_name}/{app_name}/nope",
            "```",
        ]
    )
    apis = parse_page("docs/rest/x.md", text).apis
    assert [(a.method, a.path, [r.message for r in a.rows]) for a in apis] == [
        ("GET", "/{org_name}/{app_name}/a", ["one"]),
        ("PUT", "/{org_name}/{app_name}/b", ["two"]),
        ("DELETE", "/{org_name}/{app_name}/c", ["three"]),
    ]
    assert [a.title for a in apis] == ["接口一", "合集", "合集"]


def test_error_sections_that_only_link_and_shared_tables_of_apis() -> None:
    linking = parse_page(
        "docs/document/server-side/a.md",
        "# A\n## 请求 URL\n```http\nPUT https://{host}/{org}/{app}/users/{userId}\n```\n"
        "## 错误码\n参见 [常见错误码](push.error.html#x)，其他见 [响应状态码](error.html)。\n",
    )
    assert linking.apis[0].error_link == "push.error.md" and linking.apis[0].rows == []
    shared = parse_page(
        "docs/document/server-side/push_error.md",
        "# 错误码\n## 第一组的错误码\n| RESTful API 接口 | 方法 | 接口 URL |\n| --- | --- | --- |\n"
        "| 设置 | PUT | /{org_name}/{app_name}/users/{userId} |\n"
        "| 查询 | GET | /{org_name}/{app_name}/users/{userId} |\n\n"
        "| HTTP 状态码 | 错误类型 | 错误提示 |\n| --- | --- | --- |\n| 400 | bad | shared |\n",
    )
    assert [(a.method, a.listed, a.title, [r.message for r in a.rows]) for a in shared.apis] == [
        ("PUT", True, "设置", ["shared"]),
        ("GET", True, "查询", ["shared"]),
    ]
    stub = parse_page("docs/document/server-side/s.md", '---\n{\n    title: "占位"\n}\n---')
    assert stub.apis == () and stub.title is None


def test_paths_compare_by_shape_and_cells_split_only_at_unescaped_pipes() -> None:
    assert path_shape("/{org}/{app}/chatrooms/{chatroomid}/") == path_shape(
        "/{org_name}/{app_name}/chatrooms/{chatroom_id}"
    )
    assert path_shape("/{a}/x") != path_shape("/{a}/y")
    assert split_cells("| a \\| b | c") == [" a \\| b ", " c"]
    assert split_cells("a | b |") == ["a ", " b "]


def test_hostile_pages_parse_in_linear_time() -> None:
    """Twice the input takes about twice the time (a backtracking parser would take far more);
    the largest page here is several times the vendor's largest."""
    pages = [
        lambda n: "|" * (40 * n),
        lambda n: "## 错误码\n| 400 | x | " + "\\|" * (10 * n) + " |\n",
        lambda n: "```http\nPOST https://" + "{" * (10 * n) + "\n```",
        lambda n: "#" * (10 * n) + "\n## 错误码\n" + "[a](" * (5 * n),
        lambda n: "## 错误码\n" + "| 400 | a | b |\n" * n,
    ]
    for page in pages:
        small, large = _parse_seconds(page(5_000)), _parse_seconds(page(20_000))
        assert large < 8 * small + 0.5, (small, large)


def _parse_seconds(text: str) -> float:
    started = time.perf_counter()
    parse_page("docs/document/server-side/h.md", text)
    return time.perf_counter() - started


# The CLI on fixture trees against the small catalog: golden reports.


@pytest.mark.parametrize(
    ("case", "lang"), [("quirks", "en"), ("drift", "zh"), ("drift", "en")], ids=["quirks-en", "drift-zh", "drift-en"]
)
def test_text_report_matches_its_golden(case: str, lang: str, update_goldens: bool) -> None:
    result = upstream(f"tests/fixtures/vendor_docs/{case}", "--catalog", SMALL, "--lang", lang)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    golden = UPSTREAM_GOLDENS / f"{case}.{lang}.txt"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_json_report_matches_its_golden_and_names_every_kind(update_goldens: bool) -> None:
    result = upstream("tests/fixtures/vendor_docs/drift", "--catalog", SMALL, "--json")
    golden = UPSTREAM_GOLDENS / "drift.json"
    if update_goldens:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
    report = json.loads(result.stdout)
    assert {f["kind"] for f in report} == {
        "api_gone",
        "api_moved",
        "row_gone",
        "status_changed",
        "type_changed",
        "message_changed",
        "api_added",
        "row_added",
        "editions_disagree",
    }
    for finding in report:
        assert {"kind", "vendor_path", "line", "catalog", "vendor_value", "catalog_value"} <= finding.keys()
        assert (VENDOR_DOCS / "drift" / finding["vendor_path"]).is_file() or finding["kind"] == "api_gone"
    breaking = [f["breaking"] for f in report]
    assert breaking == sorted(breaking, reverse=True)  # breaking first


def test_markdown_report_keeps_every_text_inside_its_code_block() -> None:
    result = upstream("tests/fixtures/vendor_docs/drift", "--catalog", SMALL, "--markdown", "--lang", "en")
    lines = result.stdout.split("\n")
    fence = next(line for line in lines if line.startswith("```"))
    assert fence == "```text" and lines.count("```") == 1
    inside = result.stdout.split("```text\n", 1)[1].split("\n```\n", 1)[0]
    assert "message_changed" in inside and "getGroups | page size" in inside


def test_hostile_vendor_text_stays_text_in_the_terminal_and_the_issue(tmp_path: Path) -> None:
    import cmarkgfm
    import cmarkgfm.cmark

    page = tmp_path / "docs/document/server-side/group_manage.md"
    page.parent.mkdir(parents=True)
    hostile = "x\x1b[2J\u202e ```` @admin #1 <img src=x onerror=alert(1)> [a](javascript:b) ::error::boom"
    page.write_text(
        "# t\n## 请求 URL\n```http\nGET https://{host}/{org_name}/{app_name}/chatgroups/{id}\n```\n## 错误码\n"
        f"| 400 | bad | {hostile} | 占位。 | 占位。 |\n",
        encoding="utf-8",
    )
    text = upstream(str(tmp_path), "--catalog", SMALL).stdout
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b[2J" in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    markdown = upstream(str(tmp_path), "--catalog", SMALL, "--markdown").stdout
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    assert html.count("<pre") == 1 and "<img" not in html and "<a " not in html
    assert "@admin" in html.split("<pre", 1)[1]  # inside the code block, where GitHub links nothing


def test_a_partial_checkout_reports_no_api_gone(tmp_path: Path) -> None:
    """One page of three: the missing two are outside the checkout, not gone."""
    page = "docs/document/server-side/group_manage.md"
    (tmp_path / page).parent.mkdir(parents=True)
    shutil.copy(VENDOR_DOCS / "quirks" / page, tmp_path / page)
    assert findings(str(tmp_path), "--catalog", SMALL) == []


def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    for docs in (tmp_path / "missing", tmp_path):
        result = upstream(str(docs), "--catalog", SMALL)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "checkout of the vendor's doc repository" in result.stderr


# Acknowledging a finding: a batch limit raised from 60 to 100.


def _catalog_with_batch_limit(tmp_path: Path) -> Path:
    """The small catalog plus one API whose entry still says the old limit (60)."""
    catalog = tmp_path / "catalog"
    shutil.copytree(SMALL_CATALOG, catalog)
    with (catalog / "errors" / "group.yaml").open("a", encoding="utf-8") as errors:
        errors.write(
            "  - slug: allowlist-batch-over-limit\n    status: 400\n    error: invalid_parameter\n"
            '    message: "usernames size is more than max limit : 60"\n    category: request\n'
            "    cause:\n      zh: 一次添加的用户超过上限。\n    remedy:\n      zh: 分批添加。\n"
        )
    with (catalog / "apis" / "group.yaml").open("a", encoding="utf-8") as apis:
        apis.write(
            "  - id: group-allowlist-add-batch\n    title:\n      zh: 批量添加群组白名单\n    method: POST\n"
            '    path: "/{org_name}/{app_name}/chatgroups/{group_id}/white/users"\n'
            "    vendor_page: https://doc.easemob.com/document/server-side/group_allowlist_add_batch.html\n"
            "    errors:\n      - allowlist-batch-over-limit\n      - group-not-found\n"
        )
    return catalog


ACK = """acknowledged:
  - kind: message_changed
    vendor_path: docs/document/server-side/group_allowlist_add_batch.md
    catalog: allowlist-batch-over-limit
    reason: the new limit is checked with the vendor before the entry changes
"""


def test_fail_on_drift_until_acknowledged_and_a_stale_acknowledgement_is_reported(tmp_path: Path) -> None:
    catalog = _catalog_with_batch_limit(tmp_path)
    docs = tmp_path / "docs-checkout"
    shutil.copytree(VENDOR_DOCS / "batch_limit", docs)
    args = (str(docs), "--catalog", str(catalog), "--fail-on-drift", "--lang", "en")

    drifted = upstream(*args)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    assert (
        "docs/document/server-side/group_allowlist_add_batch.md:17: message_changed: allowlist-batch-over-limit "
        '(group-allowlist-add-batch): vendor 400 invalid_parameter "usernames size is more than max limit : 100"; '
        'catalog 400 invalid_parameter "usernames size is more than max limit : 60"'
    ) in drifted.stdout

    (catalog / "upstream_acknowledged.yaml").write_text(ACK, encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog)]).returncode == 0
    acknowledged = upstream(*args)
    assert acknowledged.returncode == 0, acknowledged.stdout
    assert "[acknowledged: the new limit is checked with the vendor before the entry changes]" in acknowledged.stdout
    assert "1 finding(s), 0 not acknowledged." in acknowledged.stdout

    page = docs / "docs/document/server-side/group_allowlist_add_batch.md"
    page.write_text(page.read_text(encoding="utf-8").replace("limit : 100", "limit : 60"), encoding="utf-8")
    stale = upstream(*args)
    assert stale.returncode == 1
    assert "acknowledgement_stale: allowlist-batch-over-limit" in stale.stdout
    assert f"acknowledged_at={catalog / 'upstream_acknowledged.yaml'}:2" in stale.stdout


def test_a_bad_acknowledgement_file_is_reported_where_it_is(tmp_path: Path) -> None:
    catalog = _catalog_with_batch_limit(tmp_path)
    (catalog / "upstream_acknowledged.yaml").write_text(
        "acknowledged:\n  - kind: message_moved\n    vendor_path: elsewhere/x.md\n    catalog: x\n    why: because\n",
        encoding="utf-8",
    )
    result = upstream(str(VENDOR_DOCS / "batch_limit"), "--catalog", str(catalog), "--lang", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    ack = catalog / "upstream_acknowledged.yaml"
    assert result.stdout.splitlines() == [
        f"{ack}:2:5: acknowledged[0]: missing key 'reason'",
        f"{ack}:2:11: acknowledged[0].kind: 'message_moved' is not a finding kind; one of "
        "api_gone, api_moved, row_gone, status_changed, type_changed, message_changed, limit_changed, api_added, "
        "row_added, row_documented_again, editions_disagree",
        f"{ack}:3:18: acknowledged[0].vendor_path: expected a page path under docs/document/server-side/ or docs/rest/",
        f"{ack}:5:5: acknowledged[0].why: unknown key 'why'; expected kind, vendor_path, catalog, reason",
    ]


# The 16 changes between the fact table's versions, found on pages written from them.


def _expected(change: dict, *, older_pages: bool) -> tuple[str, str, tuple]:
    """(kind, page, values) of the finding a change makes: on the older pages against the catalog
    (brought to the newest pages) the vendor shows the old value; on the newest pages against a
    catalog of the first version it would show the new one."""
    page = f"docs/document/server-side/{change['page']}"
    kind = change["kind"]
    old_new = ("old", "new") if older_pages else ("new", "old")
    if kind == "message_changed":
        return kind, page, tuple(change[f"{side}_message"] for side in old_new)
    if kind == "status_changed":
        return kind, page, tuple(change[f"{side}_status"] for side in old_new)
    row = (change.get("status"), change.get("error"), change.get("message"))
    if change["page"] == "easemob_app_token.md":  # the whole API is new: its rows come with it
        if older_pages:
            return "api_gone", page, row if kind == "row_added" else ()
        return "api_added", f"docs/rest/{change['page']}", row if kind == "row_added" else ()
    if kind == "row_added":
        return ("row_gone" if older_pages else "row_added"), page, row
    assert kind == "row_no_longer_documented"
    return ("row_documented_again" if older_pages else "row_gone"), page, row


def _values(finding: dict) -> list[tuple]:
    """The values a finding can stand for: the pair it shows, or each row it carries."""
    vendor, ours = finding["vendor_value"] or {}, finding["catalog_value"] or {}
    pairs = [(vendor.get("message"), ours.get("message")), (vendor.get("status"), ours.get("status"))]
    rows = [vendor, ours, *vendor.get("errors", []), *ours.get("errors", [])]
    return [*pairs, *((r.get("status"), r.get("error"), r.get("message")) for r in rows if r), ()]


def _found(change: dict, report: list[dict], *, older_pages: bool) -> bool:
    kind, page, values = _expected(change, older_pages=older_pages)
    return any(f["kind"] == kind and f["vendor_path"] == page and values in _values(f) for f in report)


def test_the_16_changes_between_the_fact_tables_are_found(tmp_path: Path) -> None:
    """The catalog follows the newest vendor pages: on pages written from the first version of the
    fact table the check finds each change (with its kind, page and values) and nothing else, and on
    pages written from the newest version it finds no drift at all."""
    changes = json.loads((ROOT / "tests" / "data" / "upstream_changes.json").read_text(encoding="utf-8"))["changes"]
    assert len(changes) == 16
    older = write_vendor_tree(load_facts(UPSTREAM_DATA / "first_version.json"), tmp_path / "older")
    newest = write_vendor_tree(
        load_facts(ROOT / "tests" / "data" / "easemob_rest_errors.json"), tmp_path / "newest", omit_noted_rows=True
    )
    report = findings(str(older))
    missed = [c for c in changes if not _found(c, report, older_pages=True)]
    assert missed == [], json.dumps(report, ensure_ascii=False, indent=1)
    expected = {_expected(c, older_pages=True)[:2] for c in changes}
    assert {(f["kind"], f["vendor_path"]) for f in report} == expected  # each finding stands for a change
    assert findings(str(newest)) == []


# Call limits (limitationapi.md): each API's short limit text against the vendor's table.


LIMITS_PAGE = "\n".join(
    [
        "# 测试占位：接口频率限制",
        "",
        "## 群组管理",
        "",
        "| RESTful API 接口 | 方法 | 接口 URL | 接口最高调用频率（默认值） | 增值包 |",
        "| :--- | :--- | :--- | :--- | :--- |",
        "| 获取群组详情 | GET | /{org_name}/{app_name}/chatgroups/{group_ids} | 50 次/秒/App Key | 50 次/秒 |",
        "| 发消息 | POST | /{org_name}/{app_name}/messages/users?x=1 | <br/> - 100 次/秒/App Key"
        " <br/> - 6000 条/分钟 <br/> - 600 人/次 | —— |",
        "",
    ]
)


def test_a_changed_call_limit_is_reported(tmp_path: Path) -> None:
    """A limits page in which one API's limit changed: the CLI names it (the other API's cell still
    holds every part of the catalog's), and an API without a row of its own is held to the default."""
    from generator.upstream import ZH_FOLDER, limit_parts_missing
    from generator.vendor_pages import parse_limit_tables

    rows = parse_limit_tables(LIMITS_PAGE)
    assert [(r.method, r.path, r.cell, r.line) for r in rows] == [
        ("GET", "/{org_name}/{app_name}/chatgroups/{group_ids}", "50 次/秒/App Key", 7),
        ("POST", "/{org_name}/{app_name}/messages/users", "- 100 次/秒/App Key - 6000 条/分钟 - 600 人/次", 8),
    ]
    assert limit_parts_missing("100 次/秒/App Key; 6000 条/分钟", rows[1].cell) == []
    assert limit_parts_missing("100 次/秒/App Key", rows[0].cell) == ["100 次/秒/App Key"]

    (tmp_path / ZH_FOLDER).mkdir(parents=True)
    (tmp_path / ZH_FOLDER / "limitationapi.md").write_text(LIMITS_PAGE, encoding="utf-8")
    assert findings(str(tmp_path), "--catalog", str(SMALL_CATALOG)) == [
        {
            "kind": "limit_changed",
            "breaking": True,
            "vendor_path": "docs/document/server-side/limitationapi.md",
            "line": 7,
            "catalog": "group-get",
            "api": "group-get",
            "vendor_value": {"limit": "50 次/秒/App Key"},
            "catalog_value": {"limit": "100 次/秒/App Key", "calls_per_second": 100, "default": True},
            "acknowledged": None,
        }
    ]
    failing = upstream(str(tmp_path), "--catalog", str(SMALL_CATALOG), "--fail-on-drift")
    assert failing.returncode == 1 and "limit_changed: group-get" in failing.stdout, failing.stdout


def test_the_limits_page_written_from_the_vendor_table_agrees_until_a_limit_changes(tmp_path: Path) -> None:
    """End to end on the real catalog: the vendor's limits table as a page gives no finding; raise
    one API's limit on it and the drift check names that API, at that line."""
    from tests.vendor_tree import write_limits_page

    limits = json.loads((ROOT / "tests" / "data" / "rate_limits.json").read_text(encoding="utf-8"))
    page = write_limits_page(limits, tmp_path)
    assert findings(str(tmp_path)) == []
    lines = page.read_text(encoding="utf-8").split("\n")
    row = next(
        i for i, line in enumerate(lines) if "| /{org_name}/{app_name}/chatrooms |" in line and "| POST |" in line
    )
    assert "50 次/秒/App Key" in lines[row], lines[row]
    lines[row] = lines[row].replace("50 次/秒/App Key", "20 次/秒/App Key", 1)
    page.write_text("\n".join(lines), encoding="utf-8")
    (finding,) = findings(str(tmp_path))
    assert (finding["kind"], finding["line"], finding["vendor_value"]["limit"]) == (
        "limit_changed",
        row + 1,
        "20 次/秒/App Key",
    )
    assert finding["catalog_value"]["limit"] == "50 次/秒/App Key" and finding["catalog"] == "chatroom-create"
