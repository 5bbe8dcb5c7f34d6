"""The matcher and its command-line front end: shared vectors, `explain`, `export`, published slugs."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.export import export_catalog, export_schema
from generator.match import (
    MATCH_KINDS,
    MAX_QUERY_LENGTH,
    find_matches,
    message_unmatched,
    parse_query,
    path_pattern,
    prepare_catalog,
    requested_apis,
)
from generator.validate import load_catalog
from tests.conftest import ROOT

VECTORS = json.loads((Path(__file__).parent / "data" / "lookup_vectors.json").read_text(encoding="utf-8"))["vectors"]


@pytest.fixture(scope="module")
def exported() -> dict:
    catalog = load_catalog(ROOT / "catalog")
    return json.loads(export_catalog(catalog, "https://errors.example.org/docs/").model_dump_json())


def vector_input(vector: dict) -> str:
    """A vector's text: as written, or ``{prefix, repeat, times, suffix}`` for a long generated one."""
    text = vector["input"]
    if isinstance(text, str):
        return text
    return text.get("prefix", "") + text["repeat"] * text["times"] + text.get("suffix", "")


def check_vector(vector: dict, ranked: list[tuple[str, int]]) -> None:
    """The expectations of one vector against a ranking of (slug, score); shared with the JS test."""
    slugs = [slug for slug, _ in ranked]
    if vector.get("expect_none"):
        assert ranked == [], (vector["note"], ranked[:3])
        return
    assert ranked, vector["note"]
    if "expect_first" in vector:
        assert slugs[0] == vector["expect_first"], (vector["note"], ranked[:3])
    for slug in vector.get("expect_top", []):
        assert slug in slugs[:5], (vector["note"], slug, ranked[:5])
    if "expect_score" in vector:
        assert ranked[0][1] == vector["expect_score"], (vector["note"], ranked[:3])
    if "expect_score_below" in vector:
        assert ranked[0][1] < vector["expect_score_below"], (vector["note"], ranked[:3])


@pytest.mark.parametrize("vector", VECTORS, ids=[v["note"] for v in VECTORS])
def test_python_matcher_meets_the_shared_vectors(exported: dict, vector: dict) -> None:
    ranked = [(m.entry["slug"], m.score) for m in find_matches(exported, vector_input(vector))]
    check_vector(vector, ranked)


@pytest.mark.parametrize("vector", [v for v in VECTORS if "expect_apis" in v], ids=lambda v: v["note"])
def test_python_finds_the_api_a_request_line_names(exported: dict, vector: dict) -> None:
    assert [api["id"] for api in requested_apis(exported, vector_input(vector))] == vector["expect_apis"]


def test_path_patterns_read_the_vendors_placeholders() -> None:
    assert path_pattern("/{org_name}/{app_name}/chatgroups/{group_id}/mute") == [None, None, "chatgroups", None, "mute"]
    assert path_pattern("/{org}/{app}/chatmessages/${time}") == [None, None, "chatmessages", None]
    assert path_pattern("/{o}/{a}/moderation/text/list/(list_id)/word") == [
        None,
        None,
        "moderation",
        "text",
        "list",
        None,
        "word",
    ]
    assert path_pattern("/{o}/{a}/chatgroups/{group_id}/users/{member1}(,{member2},…)")[-1] is None


def test_every_api_is_found_by_its_own_request_line(exported: dict) -> None:
    """Each catalog path, its placeholders filled in, names its API (alone or with its look-alikes)."""
    for api in exported["apis"]:
        path = "/".join(part or "x1" for part in api["path_pattern"])
        found = [a["id"] for a in requested_apis(exported, f"{api['method']} /{path}?q=1 HTTP/1.1")]
        assert api["id"] in found, (api["id"], found)


def test_every_message_template_matches_its_own_message(exported: dict) -> None:
    """Each documented message, pasted as is, puts its own entry among the best matches."""
    for entry in exported["entries"]:
        if entry["message"] is None:
            continue
        body = json.dumps({"error": entry["error"], "error_description": entry["message"]})
        best = find_matches(exported, f"HTTP/1.1 {entry['status'] or 500} X\n\n{body}")
        assert best and best[0].score >= 80, entry["slug"]
        assert entry["slug"] in [m.entry["slug"] for m in best if m.score == best[0].score], entry["slug"]


def test_a_known_error_type_never_gets_an_empty_answer(exported: dict) -> None:
    for error_type in {e["error"] for e in exported["entries"] if e["error"]}:
        assert find_matches(exported, error_type), error_type
        assert find_matches(exported, json.dumps({"error": error_type, "error_description": "zzz qqq"})), error_type


def test_parse_query_reads_status_type_and_message() -> None:
    query = parse_query('HTTP/2 403\r\nx: y\r\n\r\n{"error":"forbidden_op","error_description":"m"}', {"forbidden_op"})
    assert (query.status, query.error, query.message) == (403, "forbidden_op", "m")
    assert parse_query("404", set()).status == 404
    assert parse_query("Forbidden_Op", {"forbidden_op"}).error == "forbidden_op"


def test_export_has_absolute_problem_type_urls(exported: dict) -> None:
    entry = next(e for e in exported["entries"] if e["slug"] == "token-corrupt")
    assert entry["type"] == "https://errors.example.org/docs/errors/token-corrupt/"
    assert entry["message_regex"] == "^Unable to authenticate due to corrupt access token$"
    grp = next(e for e in exported["entries"] if e["slug"] == "grpid-does-not-exist")
    assert grp["message_template"] == "grpID {group_id} does not exist!"
    assert grp["message_pieces"] == ["grpID ", " does not exist!"]  # what both matchers match against
    assert entry["message_pieces"] == ["Unable to authenticate due to corrupt access token"]
    entry_schema = export_schema()["$defs"]["ExportEntry"]["properties"]
    assert entry_schema["message_regex"]["description"].startswith("Informational")
    assert {"id", "module", "title", "method", "path", "url"} <= set(grp["apis"][0])
    assert set(export_schema()["properties"]) == {
        "version",
        "site_url",
        "lang",
        "entries",
        "modules",
        "apis",
        "rate_limits_url",
    }
    assert exported["lang"] == "zh" and entry["shown"] == {
        "status": "401",
        "error": "auth_bad_access_token",
        "message": "Unable to authenticate due to corrupt access token",
    }


def _cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120
    )


def _timed_explain(stdin: bytes) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """`explain --json` reading ``stdin``; it must answer (exit 0 or 1) without a traceback."""
    started = time.monotonic()
    command = [sys.executable, "-m", "generator", "explain", "--json"]
    result = subprocess.run(command, input=stdin, capture_output=True, cwd=ROOT, timeout=120)
    elapsed = time.monotonic() - started
    stderr = result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr, stderr
    assert result.returncode in (0, 1), stderr
    return result, elapsed


def test_explain_prints_the_remedy_and_the_url() -> None:
    result = _cli("explain", "grpID 42 does not exist!")
    assert result.returncode == 0, result.stderr
    assert "grpid-does-not-exist" in result.stdout
    assert "/errors/grpid-does-not-exist/" in result.stdout
    assert "处理建议" in result.stdout


def test_explain_json_reads_stdin() -> None:
    body = '{"error":"auth_bad_access_token","error_description":"Unable to authenticate due to corrupt access token"}'
    result = _cli("explain", "--json", stdin=body)
    assert result.returncode == 0, result.stderr
    matches = json.loads(result.stdout)
    assert matches[0]["slug"] == "token-corrupt"
    assert {"slug", "status", "error", "message", "url", "score"} <= set(matches[0])
    assert matches[0]["url"].endswith("/errors/token-corrupt/")
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)


RATE_LIMITED_LOG = (
    '10.0.0.7 - - [24/Nov/2026:08:00:00 +0800] "POST /easemob-demo/chatdemoui/messages/chatgroups HTTP/1.1" 429 '
    '{"error_description":"This request has reached api limit"}'
)


def test_explain_shows_the_limit_of_the_api_a_429_log_line_names() -> None:
    result = _cli("explain", "--limit", "1", RATE_LIMITED_LOG)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. [80] 429 ") and lines[-1].endswith("/errors/request-reached-api-limit/")
    assert (
        "   调用频率上限：发送群聊消息（POST /{org_name}/{app_name}/messages/chatgroups）："
        "20 条/秒/App Key; 20 次/秒; 3 个群/次"
    ) in lines
    assert "   计数方式和各接口的上限：https://easemob-errors.example.org/statuses/429/#rate-limits" in lines
    english = _cli("explain", "--limit", "1", "--lang", "en", RATE_LIMITED_LOG)
    assert (
        "   Rate limit: Send Group Messages (POST /{org_name}/{app_name}/messages/chatgroups): "
        "20 messages/second/App Key; 20 calls/second; 3 chat groups/request"
    ) in english.stdout.splitlines()
    assert "https://easemob-errors.example.org/en/statuses/429/#rate-limits" in english.stdout


def test_explain_json_gives_the_named_apis_limit_to_rate_limit_matches_only() -> None:
    log = RATE_LIMITED_LOG.replace("POST /easemob-demo/chatdemoui/messages/chatgroups", "GET /o/a/users/u1/disconnect")
    result = _cli("explain", "--json", "--limit", "10", log)
    assert result.returncode == 0, result.stderr
    matches = json.loads(result.stdout)
    assert matches[0]["slug"] == "request-reached-api-limit"
    assert matches[0]["rate_limits"] == [
        {
            "api": "account-offline-forced",
            "method": "GET",
            "path": "/{org_name}/{app_name}/users/{username}/disconnect",
            "url": "https://easemob-errors.example.org/modules/account/#account-offline-forced",
            "text": "100 次/秒/App Key",
            "shown": "100 次/秒/App Key",
            "is_default": False,
            "addon": "叠加包：50 次/秒",
            "note": "该接口没有单独的上限：用户体系管理接口和离线推送相关接口共用这一个总上限，它们的调用合并计数。",
        }
    ]
    others = [m for m in matches if m["status"] != 429 and m["slug"] != "request-reached-maximum-limit"]
    assert others and all(m["rate_limits"] == [] for m in others)


def test_explain_names_the_default_and_says_when_no_api_is_named() -> None:
    default = _cli("explain", "--limit", "1", RATE_LIMITED_LOG.replace("chatgroups", "chatgroups/import"))
    assert "（POST /{org_name}/{app_name}/messages/chatgroups/import）：100 次/秒/App Key（默认）" in default.stdout
    unnamed = _cli("explain", "--limit", "1", RATE_LIMITED_LOG.replace("POST ", ""))
    assert "   调用频率上限：粘贴的内容中没有能对应到接口的请求方法和路径。" in unnamed.stdout.splitlines()
    other = _cli("explain", "--limit", "1", "grpID 42 does not exist! POST /o/a/messages/chatgroups")
    assert "调用频率上限" not in other.stdout  # a 404 is no call-limit error


def test_explain_with_nothing_in_common_says_so() -> None:
    result = _cli("explain", "qqqqzzzz")
    assert result.returncode == 1
    assert "no matching error" in result.stderr


def test_export_cli_writes_the_catalog_and_its_schema(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    result = _cli("export", "-o", str(target), "--site-url", "https://example.org/x/")
    assert result.returncode == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["site_url"] == "https://example.org/x/"
    assert len(data["entries"]) == len(load_catalog(ROOT / "catalog").entries)
    schema = json.loads((tmp_path / "catalog.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "CatalogExport"


def test_every_current_slug_is_published() -> None:
    published = {
        line.split("#", 1)[0].strip()
        for line in (ROOT / "catalog" / "published_slugs.txt").read_text(encoding="utf-8").splitlines()
    }
    missing = {e.slug for e in load_catalog(ROOT / "catalog").entries} - published
    assert missing == set(), "run `python -m generator publish-slugs` and commit catalog/published_slugs.txt"


MEGABYTE = 1 << 20
TEMPLATE_BAIT = "Could not find application for " + "a/ from URI: a/" * (MEGABYTE // 15)
PASTES = {
    "1 MB log after a body": '{"error":"file_expired","error_description":"file 5b8f is expired"}'.ljust(MEGABYTE),
    "1 MB template bait": TEMPLATE_BAIT,
    "1 MB of words": "rate limit reached " * (MEGABYTE // 19),
    "1 MB of method words": "POST -H " * (MEGABYTE // 8),
    "100,000 opening brackets": "[" * 100_000,
    "50,000 nested objects": '{"a":' * 50_000 + "1}",
    "a body nested 5000 deep": '{"error":"no_full_text_index","a":' + "[" * 5000 + "]" * 5000 + "}",
}


@pytest.mark.parametrize("paste", PASTES.values(), ids=PASTES.keys())
def test_explain_answers_any_paste_at_once(paste: str) -> None:
    """A 1 MB paste scored 261 entries one by one for 22 s; deep JSON raised RecursionError."""
    result, elapsed = _timed_explain(paste.encode("utf-8"))
    assert elapsed < 10, f"explain took {elapsed:.1f} s"
    if len(paste) > MAX_QUERY_LENGTH:
        assert f"only its first {MAX_QUERY_LENGTH} characters are matched" in result.stderr.decode()
    if result.returncode == 0:
        assert json.loads(result.stdout)


def test_explain_reads_a_body_that_json_cannot_nest_that_deep() -> None:
    result, _ = _timed_explain(PASTES["a body nested 5000 deep"].encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["slug"] == "no-full-text-index"


def test_explain_answers_before_an_endless_pipe_ends() -> None:
    """`yes | explain`: only what is matched is read, so the answer comes while input still flows."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "explain", "--json"],
        cwd=ROOT,
        bufsize=0,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def feed() -> None:
        chunk = b"grpID 42 does not exist!\n" * 4096
        try:
            for _ in range(10_000):  # 1 GB at most, far more than is read
                process.stdin.write(chunk)
        except OSError:
            pass  # explain has answered and closed its end of the pipe

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        process.wait(timeout=60)  # its output (a few matches) fits in the pipe: nothing to drain first
    finally:
        process.kill()
        writer.join(timeout=60)
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert b"Traceback" not in stderr, stderr
    assert process.returncode == 0, stderr
    assert json.loads(stdout)[0]["slug"] == "grpid-does-not-exist"


def test_explain_reads_stdin_that_is_not_utf8() -> None:
    result, _ = _timed_explain(b"\xff\xfe grpID 42 does not exist! \xc3")
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["slug"] == "grpid-does-not-exist"


@pytest.mark.parametrize(
    ("text", "first", "kind", "unmatched"),
    [
        (
            '{"error":"resource_not_found","error_description":"grpID XX does not exist!"}',
            "grpid-does-not-exist",
            "exact",
            False,
        ),
        (
            '{"error":"resource_not_found","error_description":"grpID 42 does not exist!"}',
            "grpid-does-not-exist",
            "template",
            False,
        ),
        (
            '{"error":"invalid_parameter","error_description":"userNames size is more than max limit : 60"}',
            "mute-members-over-limit",
            "exact",
            False,
        ),
        ('{"error":"invalid_grant","error_description":"client secret is wrong"}', None, "type", True),
        ("no_full_text_index", "no-full-text-index", "type", False),
        ("429", None, "status", False),
        ("群组 成员 上限 超过", None, "words", True),
    ],
)
def test_each_match_says_how_it_matched(
    exported: dict, text: str, first: str | None, kind: str, unmatched: bool
) -> None:
    prepared = prepare_catalog(exported)
    matches = find_matches(prepared, text)
    assert matches and matches[0].kind == kind and matches[0].as_json()["match"] == kind
    assert first is None or matches[0].entry["slug"] == first
    assert {m.kind for m in matches} <= set(MATCH_KINDS)
    assert matches[0].former is ("max limit : 60" in text)
    assert message_unmatched(prepared, text, matches) is unmatched


def test_explain_prints_how_each_result_matched_and_announces_guesses() -> None:
    guess = _cli("explain", "--lang", "en", '{"error":"invalid_grant","error_description":"client secret is wrong"}')
    lines = guess.stdout.splitlines()
    assert lines[0].startswith("No error has the error message you pasted.")
    assert lines[1].startswith("1. [60] 400 invalid_grant") and lines[2] == "   Matched by: Same error type only"
    exact = _cli("explain", "client_secret does not match")
    assert exact.stdout.splitlines()[1] == "   匹配方式：错误提示完全一致"
    assert "没有哪个错误" not in exact.stdout
