"""The site as a reader meets it: Material search in a real Chromium finds entries by type and by Chinese text."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.match import find_matches, message_unmatched, prepare_catalog, requested_apis
from tests.browser import (
    allow_instant_navigation,
    follow,
    is_same_document,
    material_search,
    open_for_instant_navigation,
    served_browser,
)
from tests.conftest import SITE_URL
from tests.servers import serve_directory
from tests.test_match import RATE_LIMITED_LOG, check_vector, vector_input

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser_session(built_site: Path) -> Iterator[tuple[object, str]]:
    """One Chromium for the module, and the built site served on loopback."""
    with served_browser(built_site) as session:
        yield session


@pytest.fixture(scope="module")
def page(browser_session) -> Iterator[tuple[object, str]]:
    browser, base_url = browser_session
    page = browser.new_page()
    allow_instant_navigation(page, base_url, SITE_URL)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, base_url
    page.close()
    assert errors == []


# Material search, first result. Issue 4: an entry by its error type, by its exact message and by a
# distinctive Chinese phrase of its cause; a module by its Chinese name; a status page by its code.
FIRST_RESULTS = [
    ("auth_bad_access_token", "errors/token-corrupt/"),
    ("no_full_text_index", "errors/no-full-text-index/"),
    ("web_application", "errors/web-application-exception/"),
    ("group_announce_violation", "errors/group-announcement-violation-please-change-it/"),
    ("UNSUPPORTED_MEDIA_TYPE", "errors/user-attributes-json-content-type-unsupported/"),
    ("organization_application_not_found", "errors/could-not-find-application-from-uri/"),
    ("message_rewrite_error", "errors/message-rewrite-not-enabled/"),
    ("Unable to authenticate due to corrupt access token", "errors/token-corrupt/"),
    ("thread not open.", "errors/thread-not-open/"),
    ("Service resource not found", "errors/user-not-found/"),
    ("message broadcast service is unopened", "errors/broadcast-not-enabled/"),
    ("The rewrite message feature is not open.", "errors/message-rewrite-not-enabled/"),
    ("javax.ws.rs.WebApplicationException", "errors/web-application-exception/"),
    ("模糊匹配", "errors/no-full-text-index/"),
    ("没有建立全文索引", "errors/no-full-text-index/"),
    ("截断", "errors/token-corrupt/"),
    ("Bearer 前缀", "errors/token-corrupt/"),
    ("分片间隔", "errors/code-14033-stream-message-chunk-interval-timeout/"),
    ("用户体系管理", "modules/account/"),
    ("用户属性", "modules/user_attributes/"),
    ("用户关系", "modules/contacts/"),
    ("用户收藏", "modules/collection/"),
    ("群组", "modules/group/"),
    ("聊天室", "modules/chatroom/"),
    ("在线状态订阅", "modules/presence/"),
    ("消息表情回复", "modules/reaction/"),
    ("离线推送", "modules/push/"),
    ("内容审核", "modules/moderation/"),
    ("Token 鉴权", "modules/token/"),
    ("403", "statuses/403/"),
    ("409", "statuses/409/"),
    ("429", "statuses/429/"),
    ("500", "statuses/500/"),
    # Issue 16: questions about an error find the entry before the module pages whose API titles
    # share a word with them.
    ("聊天室 成员 上限", "errors/members-exceed-max-users/"),
    ("群组 成员 上限", "errors/members-exceed-max-users/"),
    ("禁言 上限", "errors/mute-members-over-limit/"),
    ("好友 上限", "errors/user-contact-number-exceed-limit/"),
]


@pytest.mark.parametrize(("query", "expected"), FIRST_RESULTS, ids=[q for q, _ in FIRST_RESULTS])
def test_search_puts_the_right_page_first(page, query: str, expected: str) -> None:
    browser_page, base_url = page
    results = material_search(browser_page, base_url, query)
    assert results, f"no search results for {query!r}"
    assert results[0] == "/" + expected, results[:3]


def test_keyboard_navigation_reaches_an_entry_page(page) -> None:
    """From the all-errors table a keyboard user follows a link to the entry page."""
    browser_page, base_url = page
    browser_page.goto(base_url + "errors/")
    link = browser_page.locator('a[href$="token-corrupt/"]').first
    link.focus()
    follow(browser_page, lambda: browser_page.keyboard.press("Enter"), "**/errors/token-corrupt/")
    assert "Unable to authenticate due to corrupt access token" in browser_page.locator("h1").inner_text()


def _rows(browser_page) -> list[dict]:
    return browser_page.locator("[data-ec-table] tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => ({status: r.dataset.status, type: r.dataset.type, text: r.textContent}))"
    )


def _open_table(browser_page, base_url: str, query: str = "") -> None:
    browser_page.goto(base_url + "errors/" + query)
    browser_page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)


def test_typing_in_the_filter_narrows_the_rows(page) -> None:
    browser_page, base_url = page
    _open_table(browser_page, base_url)
    total = len(_rows(browser_page))
    browser_page.locator("[data-ec-table] input[name=keyword]").press_sequentially("corrupt access token")
    rows = _rows(browser_page)
    assert 0 < len(rows) < total
    assert all("corrupt access token" in row["text"].lower() for row in rows)
    assert "keyword=corrupt+access+token" in browser_page.url
    assert "显示" in browser_page.locator("[data-ec-count]").inner_text()


def test_a_shared_link_with_a_keyword_opens_the_filtered_table_without_the_search_overlay(browser_session) -> None:
    """/errors/?q=members&status=403 on a fresh page (links made before the keyword was renamed)
    and its ?keyword= form restore the view, with the theme's search closed; the copy-link button
    copies the link of the view; both editions."""
    browser, base_url = browser_session
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        for edition, copied in (("", "已复制"), ("en/", "Copied")):
            for query in ("?q=members&status=403", "?keyword=members&status=403"):
                browser_page = context.new_page()
                _open_table(browser_page, base_url + edition, query)
                browser_page.wait_for_timeout(300)  # the theme's search mounts after the table's data
                assert not browser_page.evaluate("document.getElementById('__search').checked"), query
                assert browser_page.locator("[data-ec-table] input[name=keyword]").input_value() == "members"
                rows = _rows(browser_page)
                assert rows and all(row["status"] == "403" and "members" in row["text"].lower() for row in rows)
                browser_page.locator("[data-ec-copy-link]").click()
                browser_page.locator("[data-ec-copy-status]", has_text=copied).wait_for(timeout=5_000)
                link = browser_page.evaluate("navigator.clipboard.readText()")
                assert link == browser_page.url and "keyword=members" in link and "status=403" in link
                if query.startswith("?q="):  # rewritten once the filters changed
                    browser_page.locator("[data-ec-table] select[name=status]").select_option("400")
                    assert "q=" not in browser_page.url.replace("keyword=", "")
                browser_page.close()
    finally:
        context.close()


def test_status_filter_survives_a_reload_of_the_url(page) -> None:
    browser_page, base_url = page
    _open_table(browser_page, base_url)
    browser_page.locator("[data-ec-table] select[name=status]").select_option("429")
    rows = _rows(browser_page)
    assert rows and all(row["status"] == "429" for row in rows)
    shared_url = browser_page.url
    assert "status=429" in shared_url
    browser_page.goto("about:blank")
    browser_page.goto(shared_url)
    browser_page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
    assert browser_page.locator("[data-ec-table] select[name=status]").input_value() == "429"
    assert _rows(browser_page) == rows


def test_sorting_a_column_with_the_keyboard(page) -> None:
    browser_page, base_url = page
    _open_table(browser_page, base_url)
    button = browser_page.locator("[data-ec-sort=type]")
    button.focus()
    browser_page.keyboard.press("Enter")
    types = [row["type"].lower() for row in _rows(browser_page) if row["type"] != "none"]
    assert types == sorted(types)
    assert button.locator("xpath=..").get_attribute("aria-sort") == "ascending"
    browser_page.keyboard.press("Enter")
    types = [row["type"].lower() for row in _rows(browser_page) if row["type"] != "none"]
    assert types == sorted(types, reverse=True)
    assert "sort=type" in browser_page.url and "dir=desc" in browser_page.url


def test_filters_combine_and_work_after_instant_navigation(page) -> None:
    browser_page, base_url = page
    open_for_instant_navigation(browser_page, base_url)
    browser_page.locator("nav.md-nav--primary a[href$='errors/']").first.click()  # instant navigation
    browser_page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=15_000)
    assert is_same_document(browser_page), "the click loaded the page instead of navigating instantly"
    browser_page.locator("[data-ec-table] select[name=module]").select_option("group")
    browser_page.locator("[data-ec-table] select[name=status]").select_option("403")
    rows = _rows(browser_page)
    assert rows and all(row["status"] == "403" for row in rows)
    modules = browser_page.locator("[data-ec-table] tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.dataset.modules)"
    )
    assert all("group" in value.split() for value in modules)
    browser_page.locator("[data-ec-table] button[type=reset]").click()
    browser_page.wait_for_function("() => !location.search")


def test_a_large_table_draws_a_page_at_a_time(page, built_site: Path) -> None:
    """At thousands of errors the table draws 300 rows, then 300 more per "显示更多"."""
    browser_page, base_url = page
    data = json.loads((built_site / "all-errors.json").read_text(encoding="utf-8"))
    rows = [[f"{row[0]}-copy-{n}", *row[1:]] for n in range(3) for row in data["rows"]][:700]
    big = json.dumps({"modules": data["modules"], "rows": rows}, ensure_ascii=False)
    browser_page.route("**/all-errors.json", lambda route: route.fulfill(body=big, content_type="application/json"))
    try:
        _open_table(browser_page, base_url)
        assert len(_rows(browser_page)) == 300
        assert browser_page.locator("[data-ec-count]").inner_text() == "共 700 个错误"
        more = browser_page.locator("[data-ec-more]")
        assert more.inner_text() == "显示更多（还有 400 个）"
        more.focus()
        browser_page.keyboard.press("Enter")
        assert len(_rows(browser_page)) == 600
        more.click()
        assert len(_rows(browser_page)) == 700
        assert more.is_hidden()
        browser_page.locator("[data-ec-table] select[name=status]").select_option("401")
        shown = len(_rows(browser_page))
        assert 0 < shown < 300 and browser_page.locator("[data-ec-count]").inner_text() == f"显示 {shown} / 700 个错误"
    finally:
        browser_page.unroute("**/all-errors.json")


VECTORS = json.loads((Path(__file__).parent / "data" / "lookup_vectors.json").read_text(encoding="utf-8"))["vectors"]


def _open_lookup(browser_page, url: str) -> None:
    browser_page.goto(url)
    browser_page.locator("[data-ec-lookup][data-ec-ready='2']").wait_for(timeout=15_000)


def test_javascript_matcher_agrees_with_python_on_every_vector(page, built_site: Path) -> None:
    browser_page, base_url = page
    _open_lookup(browser_page, base_url + "lookup/")
    inputs = [vector_input(v) for v in VECTORS]
    js_answers = browser_page.evaluate(
        """async (inputs) => {
            const catalog = await (await fetch("../catalog.json")).json();
            const rank = (text) => window.easemobErrors.findMatches(catalog, text);
            const named = (text) => window.easemobErrors.requestedApis(catalog, text).map(api => api.id);
            const unmatched = (text) => window.easemobErrors.messageUnmatched(catalog, text, rank(text));
            const ranked = (text) => rank(text).map(m => [m.entry.slug, m.score, m.kind, m.former]);
            return inputs.map(text => [ranked(text), named(text), unmatched(text)]);
        }""",
        inputs,
    )
    exported = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    prepared = prepare_catalog(exported)
    for vector, (js_ranking, js_apis, js_unmatched) in zip(VECTORS, js_answers, strict=True):
        python_matches = find_matches(prepared, vector_input(vector))
        python_ranking = [[m.entry["slug"], m.score, m.kind, m.former] for m in python_matches]
        assert js_ranking == python_ranking, vector["note"]
        assert js_unmatched == message_unmatched(prepared, vector_input(vector), python_matches), vector["note"]
        check_vector(vector, [tuple(triple[:2]) for triple in js_ranking])
        assert js_apis == [api["id"] for api in requested_apis(exported, vector_input(vector))], vector["note"]
        if "expect_apis" in vector:
            assert js_apis == vector["expect_apis"], vector["note"]


def test_each_result_says_how_it_matched_and_guesses_are_announced(page) -> None:
    """A message that fits a template is labelled so; a message no entry has gets the notice
    before the guesses, which are labelled by the type they share; both editions."""
    browser_page, base_url = page
    for edition, template_label, type_label in (
        ("", "错误提示相符", "仅错误类型相同"),
        ("en/", "Error message matches", "Same error type only"),
    ):
        _open_lookup(browser_page, base_url + edition + "lookup/")
        box = browser_page.locator("[data-ec-lookup] textarea")
        box.fill('{"error":"resource_not_found","error_description":"grpID 98765 does not exist!"}')
        first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
        first.wait_for(timeout=5_000)
        assert first.get_attribute("data-match") == "template"
        assert template_label in first.locator(".ec-result__match").inner_text()
        assert browser_page.locator("[data-no-exact-match]").count() == 0
        box.fill('{"error":"invalid_grant","error_description":"client secret is wrong"}')
        browser_page.locator("[data-no-exact-match]").wait_for(timeout=5_000)
        notice_box = browser_page.locator("[data-no-exact-match]").bounding_box()
        first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
        assert notice_box["y"] < first.bounding_box()["y"]  # the notice comes before the guesses
        assert first.get_attribute("data-match") == "type" and type_label in first.inner_text()
        box.fill("client_secret does not match")
        browser_page.locator("[data-ec-lookup-results] [data-match='exact']").first.wait_for(timeout=5_000)
        assert browser_page.locator("[data-no-exact-match]").count() == 0
        assert first.get_attribute("data-entry-slug") == "app-token-client-secret-mismatch"


def test_pasting_a_response_shows_the_remedy_at_once(page) -> None:
    browser_page, base_url = page
    _open_lookup(browser_page, base_url + "lookup/")
    body = '{"error":"resource_not_found","error_description":"grpID 98765 does not exist!"}'
    browser_page.locator("[data-ec-lookup] textarea").fill(f"HTTP/1.1 404 Not Found\n\n{body}")
    first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
    first.wait_for(timeout=5_000)
    assert first.get_attribute("data-entry-slug") == "grpid-does-not-exist"
    text = first.inner_text()
    assert "404" in text and "resource_not_found" in text and "grpID XX does not exist!" in text
    assert "处理建议" in text and "可能原因" in text and "群组" in text
    first.locator("a.ec-result__more").click()
    browser_page.wait_for_url("**/errors/grpid-does-not-exist/")


def test_a_pasted_429_log_line_shows_the_limit_of_its_api(page) -> None:
    """The log line names POST …/messages/chatgroups: the 429 result shows that API's limit, the
    link leads to the 429 page's section on limits; a result that is no call limit shows none."""
    browser_page, base_url = page
    for edition, expected in (
        ("", "发送群聊消息（POST /{org_name}/{app_name}/messages/chatgroups）：20 条/秒/App Key; 20 次/秒; 3 个群/次"),
        (
            "en/",
            "Send Group Messages (POST /{org_name}/{app_name}/messages/chatgroups): "
            "20 messages/second/App Key; 20 calls/second; 3 chat groups/request",
        ),
    ):
        _open_lookup(browser_page, base_url + edition + "lookup/")
        browser_page.locator("[data-ec-lookup] textarea").fill(RATE_LIMITED_LOG)
        first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
        first.wait_for(timeout=5_000)
        assert first.get_attribute("data-entry-slug") == "request-reached-api-limit"
        limit = first.locator(".ec-result__limit")
        assert limit.locator("[data-api-id]").evaluate_all("els => els.map(e => e.dataset.apiId)") == ["message-group"]
        assert limit.locator("[data-api-id]").inner_text() == expected
        unrelated = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").evaluate_all(
            "els => els.filter(e => !e.querySelector('.ec-result__limit')).length"
        )
        assert unrelated > 0  # the fuzzy results that are no call limit
        limit.locator("a").click()
        browser_page.wait_for_url(f"**/{edition}statuses/429/#rate-limits")
        browser_page.locator("#rate-limits").wait_for(state="visible", timeout=10_000)  # instant navigation


def test_deep_link_prefills_and_runs_under_a_sub_path(browser_session, built_site: Path, tmp_path: Path) -> None:
    """lookup/?q=… from a log viewer, with the site served below /preview/ (as a PR preview is)."""
    browser, _ = browser_session
    (tmp_path / "preview").symlink_to(built_site, target_is_directory=True)
    query = quote('{"error":"auth_bad_access_token","error_description":"Unable to authenticate"}')
    with serve_directory(tmp_path) as root_url:
        browser_page = browser.new_page()
        failed: list[str] = []
        browser_page.on("requestfailed", lambda request: failed.append(request.url))
        browser_page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        _open_lookup(browser_page, f"{root_url}preview/lookup/?q={query}")
        slugs = browser_page.locator("[data-entry-slug]").evaluate_all("els => els.map(e => e.dataset.entrySlug)")
        assert slugs[0] == "token-unauthenticated"
        assert "Unable to authenticate" in browser_page.locator("[data-ec-lookup] textarea").input_value()
        assert not browser_page.evaluate("document.getElementById('__search').checked"), "search overlay opened"
        href = browser_page.locator("[data-entry-slug] a.ec-result__more").first.get_attribute("href")
        assert href == "../errors/token-unauthenticated/"
        assert failed == []
        browser_page.close()


def test_a_template_bait_link_answers_at_once(page) -> None:
    """lookup/?q= with 6 KB built on the real `Could not find application for …` template: the
    backtracking regex froze the tab for 100 s; piece matching answers at once."""
    browser_page, base_url = page
    bait = "Could not find application for " + "a/ from URI: a/" * 400 + "x"
    started = time.monotonic()
    _open_lookup(browser_page, f"{base_url}lookup/?q={quote(bait)}")
    elapsed = time.monotonic() - started
    slugs = browser_page.locator("[data-entry-slug]").evaluate_all("els => els.map(e => e.dataset.entrySlug)")
    assert slugs and slugs[0] == "could-not-find-application-from-uri"
    assert elapsed < 2, f"the lookup took {elapsed:.1f} s"


def test_an_over_long_paste_is_cut_and_still_answered(page) -> None:
    """A whole log pasted by mistake: the first 16384 characters are matched, the reader is told,
    and the link holds only what was matched."""
    browser_page, base_url = page
    _open_lookup(browser_page, base_url + "lookup/")
    body = '{"error":"file_expired","error_description":"file 5b8f1c20 is expired"}'
    text = body + " zzzz" * 200_000  # 1 MB
    started = time.monotonic()
    browser_page.locator("[data-ec-lookup] textarea").fill(text)
    first = browser_page.locator("[data-ec-lookup-results] [data-entry-slug]").first
    first.wait_for(timeout=5_000)
    elapsed = time.monotonic() - started
    assert first.get_attribute("data-entry-slug") == "chatfile-expired"
    assert "只匹配了前 16384 个字符" in browser_page.locator("[data-ec-lookup-status]").inner_text()
    linked = browser_page.evaluate("new URLSearchParams(location.search).get('q')")
    assert linked == text[:16384]
    assert elapsed < 2, f"the lookup took {elapsed:.1f} s"


def test_an_entry_page_shows_its_example_response_with_a_copy_button(browser_session) -> None:
    """The example under #example is the status line and a JSON body that parses, with the entry's
    error type and its message filled in; the theme's copy button copies exactly it; both editions."""
    browser, base_url = browser_session
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        for edition in ("", "en/"):
            browser_page = context.new_page()
            browser_page.goto(base_url + edition + "errors/target-users-not-members/")
            block = browser_page.locator("#example ~ div pre code, #example ~ pre code").first
            text = block.inner_text()
            status_line, body = text.split("\n\n", 1)
            assert status_line == "HTTP/1.1 403 Forbidden"
            parsed = json.loads(body)
            assert parsed["error"] == "forbidden_op"
            assert parsed["error_description"] == "users [user1, user2] are not members of this group!"
            block.hover()
            browser_page.locator("#example ~ div button[data-md-type='copy']").first.click()
            assert browser_page.evaluate("navigator.clipboard.readText()").strip() == text.strip()
            browser_page.close()
    finally:
        context.close()
