"""A PR preview: the site built for a sub-path works under that sub-path, every page and asset."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.cli import base_url_problem
from generator.render import render_pages
from generator.validate import load_catalog
from tests.conftest import ROOT, quiet_env
from tests.servers import serve_directory
from tests.test_small_site import html_path

SUB_PATH = "pr-preview/pr-7/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("preview")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "preview",
            "--base-url",
            f"https://example.org/{SUB_PATH}",
            "--out",
            str(root / SUB_PATH),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=quiet_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.slow  # the real site built for a sub-path, every page fetched
def test_every_page_and_asset_loads_under_the_sub_path(preview: Path) -> None:
    site = preview / SUB_PATH
    pages = sorted(site.rglob("*.html"))
    generated = [html_path(site, uri) for uri in render_pages(load_catalog(ROOT / "catalog")).markdown]
    assert [p.relative_to(site).as_posix() for p in generated if p not in pages] == []
    broken: set[tuple[str, str, int]] = set()
    checked: dict[str, int] = {}
    with serve_directory(preview) as root_url:
        base = root_url + SUB_PATH
        for page in pages:
            page_url = base + page.relative_to(site).as_posix().removesuffix("index.html")
            assert _status(page_url) == 200, page_url
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            for link in parser.urls:
                target = urljoin(page_url, link).split("#")[0]
                if not target.startswith(root_url):
                    continue
                assert urlsplit(target).path.startswith("/" + SUB_PATH), (page_url, link)  # never the host root
                if target not in checked:
                    checked[target] = _status(target)
                if checked[target] != 200:
                    broken.add((page_url, link, checked[target]))
        # The 404 page, catalog.json and the lookup page, as a reader meets them.
        assert _status(base + "no/such/page/") == 404
        assert _status(base + "catalog.json") == 200 and _status(base + "catalog.schema.json") == 200
        assert _status(base + "lookup/") == 200
        assert _status(base + "en/lookup/") == 200 and _status(base + "en/catalog.json") == 200
    assert sorted(broken) == []
    page_urls = {base + p.relative_to(site).as_posix().removesuffix("index.html") for p in generated}
    assert sorted(page_urls - set(checked)) == [], "generated pages no link leads to"


@pytest.mark.slow
def test_preview_urls_carry_the_sub_path(preview: Path) -> None:
    import json

    site = preview / SUB_PATH
    exported = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert exported["site_url"] == f"https://example.org/{SUB_PATH}"
    assert exported["entries"][0]["type"].startswith(f"https://example.org/{SUB_PATH}errors/")
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert f'href="/{SUB_PATH}assets/' in not_found


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ('https://example.org/pr-7/"><script>alert(1)</script>', "it must not contain '\"', '<', '>'"),
        ("https://example.org/it's/", 'it must not contain "\'"'),
        ("https://example.org/a b/", "it must not contain ' '"),
        ("https://example.org/a\tb/", "it must not contain '\\t'"),
        ("https://example.org/\x00/", "it must not contain '\\x00'"),
        ("https://example.org/\u200b/", "it must not contain '\\u200b'"),
        ("https://example.org\\@evil.example/", "it must not contain '\\\\'"),
        ("https://example.org/`x`/", "it must not contain '`'"),
        ("http://example.org/pr-7/", "it must start with https://"),
        ("javascript:alert(1)//", "it must start with https://"),
        ("//example.org/pr-7/", "it must start with https://"),
        ("example.org/pr-7/", "it must start with https://"),
        ("https:///pr-7/", "it has no host name (e.g. https://example.org/pr-preview/pr-7/)"),
        ("https://:443/pr-7/", "it has no host name (e.g. https://example.org/pr-preview/pr-7/)"),
        ("https://example.org:port/", "its port is not a number"),
        ("https://example.org/pr-7/?a=1", "a base URL has no ?query or #fragment"),
        ("https://example.org/pr-7/#top", "a base URL has no ?query or #fragment"),
        ("https://example.org/pr-7/?", "a base URL has no ?query or #fragment"),
    ],
)
def test_a_base_url_that_needs_escaping_is_refused(url: str, reason: str) -> None:
    assert base_url_problem(url) == reason


@pytest.mark.parametrize(
    "url",
    ["https://example.org/pr-preview/pr-7/", "https://example.org", "https://user.github.io:8443/repo/pr-1/"],
)
def test_a_plain_https_base_url_is_accepted(url: str) -> None:
    assert base_url_problem(url) is None


def test_preview_refuses_an_injecting_base_url_before_building(tmp_path: Path) -> None:
    for url in ('https://example.org/x"><script>alert(1)</script>', "https://example.org/a b/", "http://example.org/"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "preview", "--base-url", url, "--out", str(tmp_path / "site")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=quiet_env(),
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"error: --base-url {url!r}: it must "), result.stderr
        assert not (tmp_path / "site").exists()
