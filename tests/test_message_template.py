"""Message templates: their pieces, located errors, linear matching equal to the regex, one whitespace."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.match import MAX_JSON_DEPTH, MAX_QUERY_LENGTH
from generator.message_template import (
    WHITESPACE,
    TemplateError,
    normalize_message,
    pieces_match,
    template_pieces,
    template_regex,
)
from tests.conftest import MINIMAL_CATALOG, ROOT

LOOKUP_JS = (ROOT / "docs" / "assets" / "lookup.js").read_text(encoding="utf-8")
SEARCH_OFFER_JS = (ROOT / "docs" / "assets" / "search-offer.js").read_text(encoding="utf-8")
# What ECMAScript's \s and String.prototype.trim take as blank (WhiteSpace and LineTerminator).
JAVASCRIPT_BLANKS = set("\t\n\x0b\x0c\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def test_pieces_of_templates() -> None:
    assert template_pieces("grpID {group_id} does not exist!") == ["grpID ", " does not exist!"]
    assert template_pieces("{appkey} user metadata service not allow") == ["", " user metadata service not allow"]
    assert template_pieces("user: {username} doesn't exist in group: {group_id}") == [
        "user: ",
        " doesn't exist in group: ",
        "",
    ]
    assert template_pieces("  a\u3000{x}  {{b}} ") == ["a ", " {b}"]
    assert template_pieces("no placeholder") == ["no placeholder"]


def test_placeholders_in_a_row_are_refused_where_the_second_starts() -> None:
    with pytest.raises(TemplateError, match="two placeholders in a row") as info:
        template_pieces("id {org}{app}!")
    assert info.value.column == 8
    assert template_pieces("{org}{{{app}") == ["", "{", ""]  # a literal brace between them is text
    assert template_pieces("{org} {app}") == ["", " ", ""]


def test_errors_are_located_in_the_template_as_written() -> None:
    with pytest.raises(TemplateError) as info:
        template_pieces("   a  b {Bad}")
    assert info.value.column == 8


@pytest.mark.parametrize(
    ("template", "message", "expected"),
    [
        ("grpID {group_id} does not exist!", "grpID 42 does not exist!", True),
        ("grpID {group_id} does not exist!", "grpID  does not exist!", False),  # normalized: no character left
        ("grpID {group_id} does not exist!", "grpID 42 does not exist", False),
        ("{a}/{b}/users", "x/y/users", True),
        ("{a}/{b}/users", "x/users", False),  # the last piece may not reuse the middle one's slash
        ("{a}/{b}/users", "x//users", False),
        ("{a}/{b}/users", "x///users", True),
        ("{a} is {b}", "x is is y", True),
        ("exactly {{this}}", "exactly {this}", True),
        ("{a}", "", False),
        ("{a}", "\U0001f600", True),
    ],
)
def test_pieces_match(template: str, message: str, expected: bool) -> None:
    normalized = normalize_message(message)
    assert pieces_match(template_pieces(template), normalized) is expected
    assert (re.fullmatch(template_regex(template), normalized) is not None) is expected


_TEMPLATE_TOKENS = st.sampled_from(["a", "b", "ab", "/", " ", "{x}", "{y}"])
_MESSAGE_TOKENS = st.sampled_from(["a", "b", "ab", "ba", "/", " ", "  "])


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.lists(_TEMPLATE_TOKENS, max_size=7), st.lists(_MESSAGE_TOKENS, max_size=10))
def test_pieces_match_agrees_with_the_regex(template_tokens: list[str], message_tokens: list[str]) -> None:
    """On texts short enough for the backtracking regex, piece matching gives the very same answer."""
    template = "".join(template_tokens)
    try:
        pieces = template_pieces(template)
    except TemplateError:
        return
    message = normalize_message("".join(message_tokens))
    assert pieces_match(pieces, message) == (re.fullmatch(template_regex(template), message) is not None)


def test_whitespace_is_what_python_or_javascript_calls_blank() -> None:
    python_blanks = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(WHITESPACE) == python_blanks | JAVASCRIPT_BLANKS
    assert len(WHITESPACE) == len(set(WHITESPACE))
    assert normalize_message("\ufeff a\x1cb\x85c\xa0d\u3000e \ufeff") == "a b c d e"


def _javascript_constant(name: str, script: str = LOOKUP_JS) -> str:
    found = re.search(rf"var {name} = ([^;]+);", script)
    assert found, f"{name} not found in the script"
    return found.group(1)


def test_lookup_js_shares_the_constants() -> None:
    assert ast.literal_eval(_javascript_constant("WHITESPACE")) == WHITESPACE
    assert int(_javascript_constant("MAX_QUERY_LENGTH")) == MAX_QUERY_LENGTH
    assert int(_javascript_constant("MAX_JSON_DEPTH")) == MAX_JSON_DEPTH
    # The search dialog's offer links to the lookup with no more of the query than it matches.
    assert int(_javascript_constant("MAX_QUERY_LENGTH", SEARCH_OFFER_JS)) == MAX_QUERY_LENGTH


def _catalog_with_template(tmp_path: Path, template: str, message: str = "grpID XX does not exist!") -> Path:
    """A copy of the minimal catalog whose first entry has ``message`` and ``template``."""
    catalog = shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    errors = catalog / "errors" / "group.yaml"
    original = '    message: "grpID XX does not exist!"\n'
    text = errors.read_text(encoding="utf-8")
    assert original in text
    errors.write_text(
        text.replace(original, f'    message: "{message}"\n    message_template: "{template}"\n'), encoding="utf-8"
    )
    return catalog


def _timed_check(tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--catalog", "catalog"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result, time.monotonic() - started


@pytest.mark.parametrize("count", [12, 30])
def test_check_refuses_placeholders_in_a_row_at_once(tmp_path: Path, count: int) -> None:
    """The regex `(.+?)` × 12 hung `check` for good on a message it did not match."""
    placeholders = "".join(f"{{p{i}}}" for i in range(count))
    _catalog_with_template(tmp_path, f"grpID {placeholders} does not exist?")
    result, elapsed = _timed_check(tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "catalog/errors/group.yaml:6:23: entries[0].message_template: column 11: "
        "two placeholders in a row cannot tell where one ends; put text between them or use one\n"
    )
    assert elapsed < 10, f"check took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("message", "matches"), [("x " * 40 + "!", True), ("x " * 40 + "?", False)], ids=["match", "no-match"]
)
def test_check_matches_thirty_placeholders_at_once(tmp_path: Path, message: str, matches: bool) -> None:
    """Thirty spaced placeholders before a `!`, against forty words: the regex tried every way of
    splitting the words before it could say that a message without the `!` does not match."""
    template = " ".join(f"{{w{i}}}" for i in range(30)) + " !"
    _catalog_with_template(tmp_path, template, message=message.strip())
    result, elapsed = _timed_check(tmp_path)
    assert elapsed < 10, f"check took {elapsed:.1f} s"
    if matches:
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode == 1
        assert "entries[0].message_template: does not match the message" in result.stdout
