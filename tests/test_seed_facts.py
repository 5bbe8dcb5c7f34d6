"""Every fact of the vendor's seed page (tests/seed/common_errors.zh.md) must reach the BUILT site.

The tables of the seed are parsed, so each status code, module, error row and 500 sub-type becomes its
own check against the HTML that `mkdocs build --strict` produced (fixture `built_site`). The seed's
prose facts cannot be parsed reliably, so they are listed by hand in SEED_PROSE_FACTS and
SEED_PROSE_LINKS. Page text is the visible text of the page's main content (the <article>, so the
navigation sidebar cannot satisfy a check), with entities decoded and whitespace collapsed.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.validate import load_catalog
from tests.conftest import ROOT

SEED_PATH = Path(__file__).resolve().parent / "seed" / "common_errors.zh.md"
VENDOR_DOCS = "https://doc.easemob.com/document/server-side/"


# --- The seed: a small Markdown-table parser --------------------------------------------------------


@dataclass(frozen=True)
class SeedError:
    status: int
    error: str
    message: str

    def __str__(self) -> str:
        return f"{self.status} {self.error}: {self.message}"


@dataclass(frozen=True)
class SeedFacts:
    status_codes: list[int]
    server_error_subtypes: list[SeedError]
    module_names: list[str]
    token_errors: list[SeedError]
    user_not_found_errors: list[SeedError]
    service_not_enabled_errors: list[SeedError]


def section_of(markdown: str, heading: str) -> str:
    """The text under the `## heading` line, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"seed has no section '## {heading}'"
    return match.group(1)


def split_table_row(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]


def table_body_rows(section: str) -> list[list[str]]:
    """Body rows of the first Markdown table in a section: header and `---` separator are dropped.

    A row keeps all of its cells even when it has more than the header (the seed's service-not-enabled
    table has a 4-column header but 5-cell rows); callers read cells by position.
    """
    table_lines = [line for line in section.splitlines() if line.lstrip().startswith("|")]
    assert len(table_lines) >= 2, "section has no Markdown table"
    separator = split_table_row(table_lines[1])
    assert all(re.fullmatch(r":?-+:?", cell) for cell in separator), f"not a separator: {table_lines[1]}"
    return [split_table_row(line) for line in table_lines[2:]]


def unquoted(message: str) -> str:
    """A seed message without the straight double quotes some tables wrap it in."""
    message = message.strip()
    if len(message) >= 2 and message[0] == message[-1] == '"':
        return message[1:-1]
    return message


def error_rows(section: str) -> list[SeedError]:
    """Rows shaped `| status | error type | message | ... |`."""
    return [SeedError(int(row[0]), row[1], unquoted(row[2])) for row in table_body_rows(section)]


def server_error_subtypes(description: str) -> list[SeedError]:
    """The `- error_type: "message"` items inside the 500 row's description cell."""
    items = re.findall(r'<br/>\s*-\s*([a-z_]+)\s*[:：]\s*"([^"]+)"', description)
    return [SeedError(500, error, message) for error, message in items]


@functools.cache
def seed_facts() -> SeedFacts:
    markdown = SEED_PATH.read_text(encoding="utf-8")
    status_rows = table_body_rows(section_of(markdown, "错误状态码概述"))
    descriptions = {int(row[0]): row[1] for row in status_rows}
    return SeedFacts(
        status_codes=[int(row[0]) for row in status_rows],
        server_error_subtypes=server_error_subtypes(descriptions.get(500, "")),
        module_names=[row[0] for row in table_body_rows(section_of(markdown, "各功能的错误码"))],
        token_errors=error_rows(section_of(markdown, "Token 相关错误码")),
        user_not_found_errors=error_rows(section_of(markdown, "用户 ID 不存在错误码")),
        service_not_enabled_errors=error_rows(section_of(markdown, "服务未开通相关错误码")),
    )


SEED = seed_facts()

# Each seed error row, with the category page that must list it.
SEED_ERRORS_BY_CATEGORY = [
    *[("categories/token/index.html", row) for row in SEED.token_errors],
    *[("categories/user_not_found/index.html", row) for row in SEED.user_not_found_errors],
    *[("categories/service_not_enabled/index.html", row) for row in SEED.service_not_enabled_errors],
]


def data_line_count(heading: str) -> int:
    """The table rows under ``## heading``, counted without the parser: ``|`` lines that are
    neither the first (the header) nor a ``---`` separator."""
    lines = [line.strip() for line in section_of(SEED_PATH.read_text(encoding="utf-8"), heading).splitlines()]
    table = [line for line in lines if line.startswith("|")]
    return len([line for line in table[1:] if not re.fullmatch(r"[|:\-\s]+", line)])


def test_seed_parse_found_every_table_row() -> None:
    """Guards the parser: if it silently found nothing, every parametrized test below would vanish."""
    markdown = SEED_PATH.read_text(encoding="utf-8")
    listed_codes = re.findall(r"^\|\s*(\d{3})\s*\|", section_of(markdown, "错误状态码概述"), re.M)
    assert SEED.status_codes == [int(code) for code in listed_codes] and SEED.status_codes
    assert len(SEED.status_codes) == data_line_count("错误状态码概述")
    assert [(e.error, e.message) for e in SEED.server_error_subtypes] == [
        (
            "no_full_text_index",
            "Entity ‘user’ with property named ‘username’ is not full text indexed. "
            "You cannot use the ‘contains’ operand on this field",
        ),
        ("unsupported_service_operation", "Service operation not supported"),
        ("web_application", "javax.ws.rs.WebApplicationException"),
    ]
    assert len(SEED.module_names) == data_line_count("各功能的错误码")
    assert SEED.module_names[0] == "用户体系管理" and SEED.module_names[-1] == "离线推送"
    assert len(SEED.token_errors) == data_line_count("Token 相关错误码")
    assert SEED.token_errors[0] == SeedError(
        401, "unauthorized", "registration is not open, please contact the app admin"
    )
    assert SEED.user_not_found_errors == [SeedError(404, "service_resource_not_found", "Service resource not found")]
    assert len(SEED.user_not_found_errors) == data_line_count("用户 ID 不存在错误码")
    assert len(SEED.service_not_enabled_errors) == data_line_count("服务未开通相关错误码")
    assert SEED.service_not_enabled_errors[-1] == SeedError(
        403, "FORBIDDEN", "{appkey} user metadata service not allow"
    )


# --- The built site: what a reader sees -------------------------------------------------------------


@dataclass
class Link:
    href: str
    text: str


@dataclass
class RenderedPage:
    path: Path
    text: str
    h1: str
    code_spans: list[str]
    links: list[Link]  # inside the main content

    def link_targets(self, site: Path) -> list[tuple[Path, str]]:
        """Site-internal links of the main content, as (target index.html, link text)."""
        targets = []
        for link in self.links:
            target = resolve_internal_href(site, self.path, link.href)
            if target is not None:
                targets.append((target, link.text))
        return targets

    def external_hrefs(self) -> list[str]:
        return [unquote(link.href) for link in self.links if urlsplit(link.href).scheme in ("http", "https")]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class MainContentParser(HTMLParser):
    """Collects visible text, <h1>, <code> spans and links of the <article>, and every href."""

    SKIPPED = ("script", "style")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article_depth = 0
        self.skip_depth = 0
        self.text: list[str] = []
        self.h1: list[str] | None = None
        self.h1_done = False
        self.code: list[str] | None = None
        self.code_spans: list[str] = []
        self.link: tuple[str, list[str]] | None = None
        self.links: list[Link] = []
        self.all_hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.all_hrefs.append(attributes["href"] or "")
        if tag == "article":
            self.article_depth += 1
        if self.article_depth == 0:
            return
        if tag in self.SKIPPED or (tag == "a" and "headerlink" in (attributes.get("class") or "")):
            self.skip_depth += 1
        elif tag == "h1" and not self.h1_done:
            self.h1 = []
        elif tag == "code":
            self.code = []
        elif tag == "a":
            self.link = (attributes.get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if self.article_depth == 0:
            return
        if self.skip_depth and (tag in self.SKIPPED or tag == "a"):
            self.skip_depth -= 1
        elif tag == "h1" and self.h1 is not None and not self.h1_done:
            self.h1_done = True
        elif tag == "code" and self.code is not None:
            self.code_spans.append(collapse("".join(self.code)))
            self.code = None
        elif tag == "a" and self.link is not None:
            self.links.append(Link(self.link[0], collapse("".join(self.link[1]))))
            self.link = None
        if tag == "article":
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.article_depth == 0 or self.skip_depth:
            return
        self.text.append(data)
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)
        if self.code is not None:
            self.code.append(data)
        if self.link is not None:
            self.link[1].append(data)


@functools.cache
def parsed(path: Path) -> MainContentParser:
    parser = MainContentParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def rendered(path: Path) -> RenderedPage:
    assert path.is_file(), f"built site has no page {path}"
    parser = parsed(path)
    text = collapse("".join(parser.text))
    assert text, f"{path} has no <article> content"
    return RenderedPage(
        path=path,
        text=text,
        h1=collapse("".join(parser.h1 or [])),
        code_spans=parser.code_spans,
        links=parser.links,
    )


def resolve_internal_href(site: Path, page: Path, href: str) -> Path | None:
    """The index.html a relative link points to, or None for external and same-page links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    page_dir = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
    if href.split("#")[0].endswith("/") or target == ".":
        target = posixpath.join(target, "index.html")
    return site / target


def site_page(site: Path, relative: str) -> RenderedPage:
    return rendered(site / relative)


def entry_pages(site: Path) -> list[RenderedPage]:
    # A retired slug's folder holds only a redirect to the entry that took it over.
    pages = [
        rendered(path)
        for path in sorted((site / "errors").glob("*/index.html"))
        if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")
    ]
    assert pages, "built site has no entry pages under errors/"
    return pages


def entry_page_of(site: Path, error: SeedError) -> RenderedPage:
    """The one entry page about the seed row: its <h1> is "type：message".

    Other entry pages mention the same type or message (same-type lists, drift notes), so the
    heading decides; type and message must also show as whole <code> spans in the facts table.
    """
    matches = [
        page
        for page in entry_pages(site)
        if page.h1 == f"{error.error}：{error.message}"
        and error.error in page.code_spans
        and error.message in page.code_spans
    ]
    assert len(matches) == 1, f"expected one entry page showing {error}, found {[str(p.path) for p in matches]}"
    return matches[0]


def shows_status(site: Path, page: RenderedPage, status: int) -> bool:
    """The page links to the status page, with link text starting with the code (e.g. `401 Unauthorized`)."""
    status_page = site / "statuses" / str(status) / "index.html"
    return any(target == status_page and text.startswith(str(status)) for target, text in page.link_targets(site))


def links_to(site: Path, page: RenderedPage, target: RenderedPage) -> bool:
    return any(linked == target.path for linked, _ in page.link_targets(site))


# --- Tables of the seed on the built site ---------------------------------------------------------


@pytest.mark.parametrize("code", SEED.status_codes)
def test_seed_status_code_is_listed_and_has_its_own_page(built_site: Path, code: int) -> None:
    statuses = site_page(built_site, "statuses/index.html")
    assert shows_status(built_site, statuses, code), f"statuses/index.html does not link {code} to its page"
    assert site_page(built_site, f"statuses/{code}/index.html").h1.startswith(str(code))


def test_status_200_from_the_seed_intro_is_listed(built_site: Path) -> None:
    statuses = site_page(built_site, "statuses/index.html")
    assert shows_status(built_site, statuses, 200), "statuses/index.html does not link 200 to its page"
    assert site_page(built_site, "statuses/200/index.html").h1.startswith("200")


@pytest.mark.parametrize("name", SEED.module_names)
def test_seed_module_is_listed_and_has_its_own_page(built_site: Path, name: str) -> None:
    modules = site_page(built_site, "modules/index.html")
    assert name in modules.text
    module_pages = [target for target, text in modules.link_targets(built_site) if text == name]
    assert module_pages, f"modules/index.html has no link named {name!r}"
    assert rendered(module_pages[0]).h1 == name, f"the page linked as {name!r} has another <h1>"


@pytest.mark.parametrize(
    ("category_page", "error"), SEED_ERRORS_BY_CATEGORY, ids=[str(e) for _, e in SEED_ERRORS_BY_CATEGORY]
)
def test_seed_error_row_has_an_entry_page_linked_from_its_category(
    built_site: Path, category_page: str, error: SeedError
) -> None:
    entry = entry_page_of(built_site, error)
    assert shows_status(built_site, entry, error.status), f"{entry.path} does not show status {error.status}"
    category = site_page(built_site, category_page)
    assert links_to(built_site, category, entry), f"{category_page} does not link {entry.path}"
    # The all-errors table draws its rows from all-errors.json (test_browser checks the drawing).
    rows = json.loads((built_site / "all-errors.json").read_text(encoding="utf-8"))["rows"]
    slug = entry.path.parent.name
    assert any(row[0] == slug for row in rows), f"all-errors.json has no row for {slug}"


@pytest.mark.parametrize("subtype", SEED.server_error_subtypes, ids=lambda e: e.error)
def test_seed_500_subtype_is_on_the_500_page_and_its_entry_page(built_site: Path, subtype: SeedError) -> None:
    status_500 = site_page(built_site, "statuses/500/index.html")
    assert subtype.error in status_500.code_spans, f"statuses/500/ does not show `{subtype.error}`"
    assert subtype.message in status_500.text, f"statuses/500/ does not show {subtype.message!r}"
    entry = entry_page_of(built_site, subtype)
    assert shows_status(built_site, entry, 500), f"{entry.path} does not show status 500"
    assert links_to(built_site, status_500, entry), f"statuses/500/ does not link {entry.path}"


# --- Prose of the seed, listed by hand ------------------------------------------------------------

# (page, substrings its visible text must contain); a tuple means "any one of these".
SEED_PROSE_FACTS: list[tuple[str, list[str | tuple[str, ...]]]] = [
    ("statuses/403/index.html", ["每秒", "20 条", "100 条", "群组", "聊天室"]),
    ("statuses/409/index.html", ["grant_type", "inherit", "autoCreateUser", "true"]),
    ("statuses/413/index.html", ["附件"]),
    ("statuses/429/index.html", [("限流", "频率"), "商务"]),
    (
        "index.html",
        [
            "auth_bad_access_token",
            "1542350943210",
            "org.apache.usergrid.rest.exceptions.SecurityException",
            ("超时", "timeout"),
            "重试",
            "日志",
            ("报警", "告警"),
        ],
    ),
    ("categories/user_not_found/index.html", ["获取单个用户的详情", "添加好友", "删除好友"]),
]

# (page, vendor URLs its main content must link to, compared after percent-decoding)
SEED_PROSE_LINKS: list[tuple[str, list[str]]] = [
    ("statuses/413/index.html", [VENDOR_DOCS + "message_download.html#上传文件"]),
    (
        "categories/token/index.html",
        [VENDOR_DOCS + "easemob_app_token.html", VENDOR_DOCS + "easemob_user_token.html"],
    ),
]

RESPONSE_FORMAT_FIELDS = ["error", "exception", "timestamp", "duration", "error_description"]


def missing_substrings(text: str, expected: list[str | tuple[str, ...]]) -> list[str | tuple[str, ...]]:
    def found(item: str | tuple[str, ...]) -> bool:
        alternatives = (item,) if isinstance(item, str) else item
        return any(alternative in text for alternative in alternatives)

    return [item for item in expected if not found(item)]


@pytest.mark.parametrize(("page", "expected"), SEED_PROSE_FACTS, ids=[page for page, _ in SEED_PROSE_FACTS])
def test_seed_prose_fact_is_on_the_page(built_site: Path, page: str, expected: list[str | tuple[str, ...]]) -> None:
    assert missing_substrings(site_page(built_site, page).text, expected) == []


@pytest.mark.parametrize(("page", "urls"), SEED_PROSE_LINKS, ids=[page for page, _ in SEED_PROSE_LINKS])
def test_seed_prose_link_is_on_the_page(built_site: Path, page: str, urls: list[str]) -> None:
    hrefs = site_page(built_site, page).external_hrefs()
    assert [url for url in urls if url not in hrefs] == []


def test_home_page_shows_the_response_format_fields(built_site: Path) -> None:
    """Field names must be whole <code> spans: `error` as a word inside `error_description` does not count."""
    home = site_page(built_site, "index.html")
    assert [name for name in RESPONSE_FORMAT_FIELDS if name not in home.code_spans] == []


# --- The seed's broken link is fixed --------------------------------------------------------------


def test_no_href_repeats_the_account_system_page_in_its_anchor(built_site: Path) -> None:
    html_files = sorted(built_site.rglob("*.html"))
    assert len(html_files) > len(load_catalog(ROOT / "catalog").entries), "built site looks incomplete"
    broken = [
        (str(path.relative_to(built_site)), href)
        for path in html_files
        for href in parsed(path).all_hrefs
        if "account_system.html#account_system.html" in unquote(href)
    ]
    assert broken == []


def test_registration_not_open_entry_links_both_registration_anchors(built_site: Path) -> None:
    registration = next(e for e in SEED.token_errors if e.message.startswith("registration is not open"))
    hrefs = entry_page_of(built_site, registration).external_hrefs()
    for anchor in ("account_system.html#授权注册单个用户", "account_system.html#批量授权注册用户"):
        assert VENDOR_DOCS + anchor in hrefs, f"no link to {anchor}"
