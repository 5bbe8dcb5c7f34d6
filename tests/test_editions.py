"""The editions: twins by path, the language switch and hreflang, hand-written page twins."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.editions import (
    alternate_config,
    edition_overrides,
    hand_written_pages,
    palette_with_toggle_names,
    point_at_twins,
    sitemap_with_twins,
    twins,
)
from generator.ui import ui_text
from tests.conftest import MINIMAL_CATALOG, ROOT, quiet_env

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


@pytest.mark.parametrize(
    ("lang", "names"),
    [("zh", ["切换到深色模式", "切换到浅色模式"]), ("en", ["Switch to dark mode", "Switch to light mode"])],
)
def test_each_palette_toggle_is_named_after_the_scheme_it_switches_to(lang: str, names: list[str]) -> None:
    palette = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["palette"]
    # mkdocs.yml holds no interface text: every edition names the toggles from ui_text.yaml.
    assert [option["toggle"].get("name") for option in palette] == [None, None]
    named = palette_with_toggle_names(palette, ui_text(lang))
    assert [option["toggle"]["name"] for option in named] == names
    assert [option["scheme"] for option in named] == ["default", "slate"]
    assert "name" not in palette[0]["toggle"], "the config it was given is left as it was"


def test_a_palette_without_toggles_is_left_alone() -> None:
    single = {"scheme": "default", "primary": "indigo"}
    assert palette_with_toggle_names(single, ui_text("en")) is single
    assert palette_with_toggle_names(None, ui_text("en")) is None


def test_the_404_page_switches_to_each_editions_home_by_path_from_the_host_root() -> None:
    from generator.editions import Edition

    page = (
        '<link rel="alternate" href="/./" hreflang="zh"><link rel="alternate" href="/en/" hreflang="en">'
        '<a href="/./" hreflang="zh" class="md-select__link">中文</a>'
        '<a href="/en/" hreflang="en" class="md-select__link">English</a>'
    )
    finished = Edition("en", ["zh", "en"], SITE).finish_error_page(page)
    assert (
        '<link rel="alternate" href="https://errors.example.org/sub/" data-ec-twin="/sub/" hreflang="zh">' in finished
    )
    assert '<a href="/sub/en/" hreflang="en" class="md-select__link" target="_self">' in finished
    assert Edition("zh", ["zh"], SITE).finish_error_page(page) == page
