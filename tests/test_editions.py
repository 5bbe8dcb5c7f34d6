"""The editions: twins by path, the language switch and hreflang, hand-written page twins."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from generator.editions import (
    alternate_config,
    edition_overrides,
    hand_written_pages,
    point_at_twins,
    sitemap_with_twins,
    twins,
)
from tests.conftest import MINIMAL_CATALOG, quiet_env

SITE = "https://errors.example.org/sub/"


def test_twins_are_the_same_path_in_each_edition() -> None:
    zh = {t.lang: t for t in twins("errors/x/", "zh", ["zh", "en"], SITE)}
    assert (zh["zh"].href, zh["en"].href) == ("../../errors/x/", "../../en/errors/x/")
    assert zh["en"].url == "https://errors.example.org/sub/en/errors/x/"
    en = {t.lang: t for t in twins("errors/x/", "en", ["zh", "en"], SITE)}
    assert (en["zh"].href, en["en"].href) == ("../../../errors/x/", "../../../en/errors/x/")
    home = {t.lang: t.href for t in twins("", "en", ["zh", "en"], SITE)}
    assert home == {"zh": "../", "en": "../en/"}


def test_the_switch_and_head_links_point_at_the_twin() -> None:
    page = (
        '<link rel="alternate" href="./" hreflang="zh">\n<link rel="alternate" href="en/" hreflang="en">\n'
        '<a href="../../" hreflang="zh" class="md-select__link">\n'
        '<a href="../../en/" hreflang="en" class="md-select__link">'
    )
    finished = point_at_twins(page, twins("errors/x/", "zh", ["zh", "en"], SITE))
    assert '<link rel="alternate" href="https://errors.example.org/sub/en/errors/x/"' in finished
    assert 'data-ec-twin="../../en/errors/x/" hreflang="en">' in finished
    assert '<a href="../../en/errors/x/" hreflang="en" class="md-select__link" target="_self">' in finished
    assert '<a href="../../errors/x/" hreflang="zh" class="md-select__link" target="_self">' in finished


def test_sitemap_lists_each_page_twins() -> None:
    xml = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url>\n'
        "<loc>https://errors.example.org/sub/en/errors/x/</loc>\n</url>\n</urlset>"
    )
    out = sitemap_with_twins(xml, "en", ["zh", "en"], SITE)
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in out
    assert '<xhtml:link rel="alternate" hreflang="zh" href="https://errors.example.org/sub/errors/x/"/>' in out
    assert '<xhtml:link rel="alternate" hreflang="en" href="https://errors.example.org/sub/en/errors/x/"/>' in out


def test_hand_written_pages_pick_their_language_twin() -> None:
    files = ["maintaining.md", "maintaining.en.md", "notes.md"]
    assert hand_written_pages(files, "zh", ["zh", "en"]) == {"maintaining.md": "maintaining.md", "notes.md": "notes.md"}
    assert hand_written_pages(files, "en", ["zh", "en"]) == {
        "maintaining.en.md": "maintaining.md",
        "notes.md": "notes.md",
    }


def test_an_edition_changes_only_language_settings() -> None:
    raw = {
        "site_name": "中文",
        "theme": {"name": "material", "language": "zh"},
        "plugins": [
            {"search": {"lang": ["zh", "en"], "separator": "[\\s\\u200b]+"}},
            {"error-catalog": {"catalog": "c"}},
        ],
    }
    overrides = edition_overrides(raw, "en", "English", "About")
    assert overrides["theme"] == {"name": "material", "language": "en"}
    assert overrides["plugins"] == [
        {"search": {"lang": ["en"], "separator": "[\\s]+"}},
        {"error-catalog": {"catalog": "c", "edition": "en"}},
    ]
    assert raw["theme"]["language"] == "zh"  # the loaded config itself is left alone
    assert [a["link"] for a in alternate_config("en", ["zh", "en"])] == ["../", "../en/"]


def test_check_refuses_a_text_without_its_english_twin(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINIMAL_CATALOG, catalog)
    site = catalog / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("site:\n", "site:\n  languages: [zh, en]\n", 1), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        env=quiet_env(),
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all("has no English twin (en)" in line for line in lines)
    first = next(line for line in lines if "site.yaml:" in line)
    assert first.split(": ", 2)[1] == "site.title"  # file:line:col: key.path: message
