"""Example responses on entry pages: valid JSON in the documented format, with the entry's
literals, and recognised by the lookup as that very entry."""

from __future__ import annotations

import json

import pytest

from generator.examples import FALLBACK_VALUE, SAMPLE_VALUES, example_response, sample_message
from generator.export import export_catalog
from generator.match import find_matches, prepare_catalog
from generator.message_template import Placeholder, parse_template
from generator.validate import load_catalog
from tests.conftest import ROOT, SMALL_CATALOG


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog")


def test_every_entry_with_its_literals_has_an_example_the_lookup_recognises(catalog) -> None:
    prepared = prepare_catalog(export_catalog(catalog, "https://example.org/").model_dump(mode="json"))
    statuses = {status.code: status for status in catalog.statuses}
    shown = 0
    for entry in catalog.entries:
        example = example_response(entry, statuses.get(entry.status))
        if entry.status is None or entry.error is None or entry.message is None:
            assert example is None, entry.slug
            continue
        shown += 1
        status_line, blank, *body = example.text.split("\n")
        assert status_line == f"HTTP/1.1 {entry.status} {statuses[entry.status].reason}" and blank == ""
        parsed = json.loads("\n".join(body))
        assert list(parsed) == ["error", "timestamp", "duration", "error_description"]
        assert parsed["error"] == entry.error
        assert parsed["error_description"] == sample_message(entry)
        assert (entry.message_template is None) == (parsed["error_description"] == entry.message), entry.slug
        # The best match; entries whose templates are alike (XXX and XXXX in two tables) tie with it.
        best = [m.entry["slug"] for m in find_matches(prepared, example.text) if m.score == 100]
        assert entry.slug in best, entry.slug
    assert shown > len(catalog.entries) / 2


def test_every_placeholder_of_the_catalog_has_a_sample_value(catalog) -> None:
    names = {
        part.name
        for entry in catalog.entries
        if entry.message_template
        for part in parse_template(entry.message_template)
        if isinstance(part, Placeholder)
    }
    assert names and names <= set(SAMPLE_VALUES), sorted(names - set(SAMPLE_VALUES))


def test_an_unknown_placeholder_gets_the_neutral_value() -> None:
    small = load_catalog(SMALL_CATALOG)
    entry = next(e for e in small.entries if e.message_template)
    changed = entry.model_copy(update={"message_template": "value {no_such_name} here"})
    assert sample_message(changed) == f"value {FALLBACK_VALUE} here"
