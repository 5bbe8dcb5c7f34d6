"""Theme assets the site never loads are left out; what the search worker loads stays."""

from __future__ import annotations

import re

import pytest
import yaml

from generator.theme_assets import unused_theme_assets
from tests.conftest import ROOT, SiteBuild

LUNR = "assets/javascripts/lunr/"
THEME_FILES = [
    "assets/javascripts/bundle.min.js",
    "assets/javascripts/bundle.min.js.map",
    "assets/stylesheets/main.min.css.map",
    "assets/javascripts/workers/search.min.js",
    f"{LUNR}min/lunr.stemmer.support.min.js",
    f"{LUNR}min/lunr.multi.min.js",
    f"{LUNR}min/lunr.zh.min.js",
    f"{LUNR}min/lunr.ja.min.js",
    f"{LUNR}min/lunr.th.min.js",
    f"{LUNR}min/lunr.de.min.js",
    f"{LUNR}tinyseg.js",
    f"{LUNR}wordcut.js",
    f"{LUNR}min/lunr.future-format.js",
    "assets/images/favicon.png",
]
KEPT_ALWAYS = {
    "assets/javascripts/bundle.min.js",
    "assets/javascripts/workers/search.min.js",
    "assets/images/favicon.png",
}
# With any language but English: the worker's add-ons, and a lunr file this module does not
# recognise (kept rather than risk the search).
SUPPORT = {
    f"{LUNR}min/lunr.stemmer.support.min.js",
    f"{LUNR}min/lunr.multi.min.js",
    f"{LUNR}min/lunr.future-format.js",
}


@pytest.mark.parametrize(
    ("languages", "used"),
    [
        (["zh", "en"], SUPPORT | {f"{LUNR}min/lunr.zh.min.js"}),
        (["ja"], SUPPORT | {f"{LUNR}min/lunr.ja.min.js", f"{LUNR}tinyseg.js"}),
        (["th"], SUPPORT | {f"{LUNR}min/lunr.th.min.js", f"{LUNR}wordcut.js"}),
        (["en"], set()),
        (None, set()),  # no search plugin
    ],
)
def test_only_what_the_search_worker_loads_is_kept(languages: list[str] | None, used: set[str]) -> None:
    unused = unused_theme_assets(THEME_FILES, languages)
    assert set(THEME_FILES) - unused == KEPT_ALWAYS | used


def test_the_built_site_has_the_files_its_pages_and_worker_load_and_no_others(small_site_build: SiteBuild) -> None:
    built_site = small_site_build.site_dir
    files = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    assert not [f for f in files if f.endswith(".map")]
    lunr = {f.removeprefix(LUNR) for f in files if f.startswith(LUNR)}
    assert lunr == {"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js", "min/lunr.zh.min.js"}
    # Every script, stylesheet and image a page names is there, and the search worker.
    page = (built_site / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="(assets/[^"]+)"', page) + re.findall(r'"search":"(assets/[^"]+)"', page)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    own_assets = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    assert set(own_assets) < set(refs), "the home page does not load every extra_css/extra_javascript file"
    for ref in refs:
        assert ref in files, ref
