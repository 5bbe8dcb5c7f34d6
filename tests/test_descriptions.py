"""Meta descriptions: each page says what it holds in a line of its own, in its edition's language."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.relations import CatalogRelations
from generator.render import render_pages
from generator.validate import load_catalog
from generator.views import DESCRIPTION_PROSE_LIMIT, SiteViews, clipped, plain_prose
from tests.conftest import ROOT


def test_short_prose_is_quoted_whole() -> None:
    assert clipped("群组 ID 不存在。") == "群组 ID 不存在。"


def test_long_prose_ends_at_a_word_with_an_ellipsis() -> None:
    text = "The request carries no token, or the token it carries has expired " * 4
    cut = clipped(text)
    assert len(cut) <= DESCRIPTION_PROSE_LIMIT and cut.endswith("…")
    assert text.startswith(cut.removesuffix("…")) and text[len(cut) - 1] == " "


def test_chinese_prose_is_cut_between_characters() -> None:
    text = "服务器处理请求时出错，" * 30
    cut = clipped(text)
    assert len(cut) <= DESCRIPTION_PROSE_LIMIT and text.startswith(cut.removesuffix("…").rstrip("，"))


@given(st.text(max_size=400))
def test_a_clipped_text_never_exceeds_the_limit(text: str) -> None:
    cut = clipped(text)
    assert len(cut) <= DESCRIPTION_PROSE_LIMIT
    assert cut == text or cut.endswith("…")


def test_backtick_marks_are_dropped_but_a_lone_backtick_stays() -> None:
    assert plain_prose("Pass `grant_type` in\n the body.") == "Pass grant_type in the body."
    assert plain_prose("a ` b") == "a ` b"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_entry_of_the_catalog_has_a_description_of_its_own(lang: str) -> None:
    catalog = load_catalog(ROOT / "catalog")
    views = SiteViews(catalog, CatalogRelations.build(catalog), lang)
    descriptions = [entry.description for entry in views.entries.values()]
    assert len(set(descriptions)) == len(descriptions)
    for entry in views.entries.values():
        assert entry.description.startswith(entry.title), entry.slug
        assert "`" not in entry.description.removeprefix(entry.title), entry.slug


def test_every_generated_page_carries_its_description_in_its_front_matter() -> None:
    catalog = load_catalog(ROOT / "catalog")
    for lang in ("zh", "en"):
        pages = render_pages(catalog, lang=lang).markdown
        descriptions = {uri: yaml.safe_load(md.split("---\n", 2)[1])["description"] for uri, md in pages.items()}
        assert all(descriptions.values()), [uri for uri, text in descriptions.items() if not text]
        assert len(set(descriptions.values())) == len(descriptions), lang
