"""Strict YAML loading: no coercion, positions for every value, refusals with a location."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import MAX_DEPTH, load_yaml_file


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "file.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_yaml_file(path)


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("404", 404),
        ("-1", -1),
        ("0", 0),
        ("0123", "0123"),
        ("1e3", "1e3"),
        ("1.5", "1.5"),
        ("yes", "yes"),
        ("NO", "NO"),
        ("on", "on"),
        ("True", "True"),
        ("true", True),
        ("false", False),
        ("2024-01-01", "2024-01-01"),
        ("~", None),
        ("null", None),
        ("", None),
        ('"404"', "404"),
        ("'true'", "true"),
        ("0x1F", "0x1F"),
    ],
)
def test_only_canonical_scalars_are_typed(tmp_path: Path, scalar: str, expected: object) -> None:
    document, problems = _load(tmp_path, f"value: {scalar}\n")
    assert problems == []
    assert document.data == {"value": expected}
    assert type(document.data["value"]) is type(expected)


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    document, problems = _load(tmp_path, "entries:\n  - slug: a\n    status: 404\n")
    assert problems == []
    assert (document.position(("entries", 0, "status")).line, document.position(("entries", 0, "status")).column) == (
        3,
        13,
    )
    key = document.position(("entries", 0, "status"), of_key=True)
    assert (key.line, key.column) == (3, 5)
    # A missing key points at its closest existing parent.
    assert document.position(("entries", 0, "remedy")).line == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbfa: 1\n", "1:1: (document): file starts with a byte order mark"),
        (b"a: 1\nb: \xff\n", "2:4: (document): invalid UTF-8 byte 0xff"),
        (b"   \n", "1:1: (document): file is empty"),
        (b"a: 1\n\tb: 2\n", "YAML syntax error"),
        (
            b"a: !!python/object:os.system x\n",
            "1:4: a: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
        ),
        (b"base: &b {x: 1}\nother:\n  <<: *b\n", "3:3: other: YAML merge keys (<<) are not allowed"),
        (b"a: 1\na: 2\n", "2:1: a: duplicate key 'a' (first defined at line 1)"),
        (b"? [1, 2]\n: x\n", "1:3: (document): mapping keys must be plain text"),
        (b"--- a\n--- b\n", "YAML syntax error"),
    ],
)
def test_refusals_carry_a_position(tmp_path: Path, content: bytes, message: str) -> None:
    _, problems = _load(tmp_path, content)
    assert problems, "expected a problem"
    assert message in problems[0].format()


def test_billion_laughs_is_refused_not_expanded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    _, problems = _load(tmp_path, "\n".join(lines) + "\n")
    assert problems
    assert all("aliases are not allowed" in p.message for p in problems)
    assert len(problems) < 100  # one per alias written, not one per expanded node


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    _, problems = _load(tmp_path, deep)
    assert problems and "nested deeper" in problems[0].message
    very_deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    _, problems = _load(tmp_path, very_deep)
    assert problems and ("nested deeper" in problems[0].message or "YAML" in problems[0].message)
