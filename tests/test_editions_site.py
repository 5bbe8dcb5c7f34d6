"""The built site's two editions: twins page for page, in their own language, linked both ways."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.validate import load_catalog
from tests.conftest import ROOT, meta_descriptions, quiet_env, shared_descriptions

pytestmark = pytest.mark.slow

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Literal strings that hold Chinese because the API returns them so; English pages show them as
# they are, marked lang="zh" (see _EnglishArticle). Nothing else on an English page is Chinese.
ALLOWED_CHINESE_IN_ENGLISH: set[str] = set()


def _pages(site: Path) -> set[str]:
    """Page paths of an edition (its folder), without the other edition's."""
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("en/", "assets/", "search/"))
    }


def test_every_page_has_its_english_twin_and_back(built_site: Path) -> None:
    chinese, english = _pages(built_site), _pages(built_site / "en")
    assert chinese == english
    assert "errors/token-corrupt/index.html" in english and "maintaining/index.html" in english


def test_each_edition_declares_its_language(built_site: Path) -> None:
    for page in ("index.html", "errors/token-corrupt/index.html", "404.html"):
        assert '<html lang="zh"' in (built_site / page).read_text(encoding="utf-8")
        assert '<html lang="en"' in (built_site / "en" / page).read_text(encoding="utf-8")


def test_every_page_names_both_twins_in_its_head_and_switch(built_site: Path) -> None:
    for site, prefix in ((built_site, ""), (built_site / "en", "en/")):
        for page in sorted(_pages(site)):
            html = (site / page).read_text(encoding="utf-8")
            if page == "404.html" or 'http-equiv="refresh"' in html:  # no page: a renamed entry's redirect
                continue
            url = page.removesuffix("index.html")
            heads = dict(
                (lang, href)
                for href, lang in re.findall(r'<link rel="alternate" href="([^"]*)"[^>]*hreflang="(\w+)"', html)
            )
            assert heads == {"zh": SITE_URL + url, "en": SITE_URL + "en/" + url}, page
            switch = dict(
                (lang, href)
                for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link"', html)
            )
            for lang, href in switch.items():
                target = ((site / page).parent / href).resolve()
                expected = (built_site / ("en/" if lang == "en" else "") / url).resolve()
                assert target == expected, (prefix + page, lang, href)


def test_every_page_of_each_edition_has_a_meta_description_of_its_own(built_site: Path) -> None:
    for site, exclude in ((built_site, ("en/",)), (built_site / "en", ())):
        descriptions = meta_descriptions(site, exclude)
        assert len(descriptions) > 300 and all(descriptions.values()), site
        assert shared_descriptions(descriptions) == [], site
    english = meta_descriptions(built_site / "en")["errors/token-corrupt/index.html"]
    assert english.startswith("401 auth_bad_access_token: Unable to authenticate due to corrupt access token — The ")
    assert not CJK.search(english)


def test_sitemaps_list_the_twins(built_site: Path) -> None:
    for site in (built_site, built_site / "en"):
        xml = (site / "sitemap.xml").read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]*)</loc>", xml)
        assert locs and xml.count('hreflang="zh"') == len(locs) == xml.count('hreflang="en"')
        assert f'<xhtml:link rel="alternate" hreflang="en" href="{SITE_URL}en/errors/token-corrupt/"/>' in xml


class _EnglishArticle(HTMLParser):
    """The text of a page's article, leaving out what is marked lang="zh"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.zh_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            return
        values = dict(attrs)
        zh = values.get("lang") == "zh"
        self.stack.append((tag, zh))
        if tag == "article":
            self.depth += 1
        if zh:
            self.zh_depth += 1

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, zh = self.stack.pop()
            if zh:
                self.zh_depth -= 1
            if open_tag == "article":
                self.depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.depth and not self.zh_depth:
            self.text.append(data)


def test_english_pages_hold_no_chinese_but_marked_literals(built_site: Path) -> None:
    found: dict[str, str] = {}
    for page in sorted(_pages(built_site / "en")):
        parser = _EnglishArticle()
        parser.feed((built_site / "en" / page).read_text(encoding="utf-8"))
        text = " ".join(parser.text)
        for match in CJK.finditer(text):
            context = text[max(0, match.start() - 30) : match.end() + 30]
            if not any(allowed in context for allowed in ALLOWED_CHINESE_IN_ENGLISH):
                found.setdefault(page, context)
    assert not found, found


def test_english_pages_carry_the_same_literal_strings(built_site: Path) -> None:
    catalog = load_catalog(ROOT / "catalog")
    for entry in catalog.entries:
        html = unescape((built_site / "en" / "errors" / entry.slug / "index.html").read_text(encoding="utf-8"))
        for literal in (entry.error, entry.message):
            if literal is not None:
                assert " ".join(literal.split()) in html, (entry.slug, literal)


def test_each_edition_publishes_its_catalog_json(built_site: Path) -> None:
    chinese = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    english = json.loads((built_site / "en" / "catalog.json").read_text(encoding="utf-8"))
    assert (chinese["lang"], english["lang"]) == ("zh", "en")
    grp = next(e for e in english["entries"] if e["slug"] == "grpid-does-not-exist")
    assert grp["type"] == SITE_URL + "en/errors/grpid-does-not-exist/"
    assert grp["cause"]["en"] and grp["message"] == "grpID XX does not exist!"
    assert english["modules"][0]["name"] != chinese["modules"][0]["name"]


def test_explain_speaks_english_when_asked() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "explain", "--lang", "en", "grpID 42 does not exist!"],
        capture_output=True,
        text=True,
        env=quiet_env(),
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Possible causes: " in result.stdout and "Remedy: " in result.stdout
    assert f"{SITE_URL}en/errors/grpid-does-not-exist/" in result.stdout
    assert not CJK.search(result.stdout)
