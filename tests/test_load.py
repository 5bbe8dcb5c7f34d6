"""Strict YAML loading: no coercion, positions for every value, refusals with a location."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.load import MAX_CHARACTER_PROBLEMS, MAX_DEPTH, MAX_FILE_BYTES, load_text_lines, load_yaml_file


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


def test_a_huge_number_is_refused_before_int_sees_it(tmp_path: Path) -> None:
    document, problems = _load(tmp_path, f"a: {'9' * 15}\nb: -{'9' * 16}\nc: {'4' * 5000}\n")
    assert document.data is not None and document.data["a"] == 10**15 - 1
    assert [p.format().split(": ", 1)[1] for p in problems] == [
        "b: number with 16 digits is too long; catalog numbers have at most 15 digits",
        "c: number with 5000 digits is too long; catalog numbers have at most 15 digits",
    ]
    assert [(p.position.line, p.position.column) for p in problems] == [(2, 4), (3, 4)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Tabs and line breaks inside text are text; CRLF line ends are fine.
        ("a: |\n  one\ttwo\n  three\n", []),
        ('a: 1\r\nb: "x\\ty\\nz"\r\n', []),
        # Raw characters: their own line and column, counted by line feeds only, and the key path.
        ("a: 1\r\nb: x\x9by\r\n", ["2:5: b: control character U+009B is not allowed"]),
        ("# c\u2028b: 1\na: 2\n", ["1:4: (document): U+2028 (LINE SEPARATOR) is a line break to YAML"]),
        ("a:\n  - x\n  - y\x85z\n", ["3:6: a[1]: U+0085 (NEXT LINE) is a line break to YAML"]),
        ("a: 1\rb: 2\n", ["1:5: (document): carriage return (U+000D) without a line feed"]),
        ("a:\n  b: |\n    ok \u202e evil\n", ["3:8: a.b: U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed"]),
        ("# \u2067x\na: 1\n", ["1:3: (document): U+2067 (RIGHT-TO-LEFT ISOLATE) is not allowed"]),
        ("k\u202dx: 1\n", ["1:2: 'k\\u202dx': U+202D (LEFT-TO-RIGHT OVERRIDE) is not allowed"]),
        # Escapes in double-quoted text: the scalar's position.
        ('a: "x\\x9b"\n', ["1:4: a: control character U+009B, written as an escape, is not allowed"]),
        ('a: "\\L"\n', ["1:4: a: U+2028 (LINE SEPARATOR), written as an escape, is not allowed"]),
        ('a: "\\0"\n', ["1:4: a: control character U+0000, written as an escape, is not allowed"]),
        ('a: "\\r"\n', ["1:4: a: control character U+000D, written as an escape, is not allowed"]),
        # Invisible characters and the directional marks are warnings.
        ("a: x\u200b\n", ["1:5: a: warning: invisible character U+200B (ZERO WIDTH SPACE)"]),
        ("a: x\u200fy\n", ["1:5: a: warning: invisible character U+200F (RIGHT-TO-LEFT MARK)"]),
        ("a: x\ufeff\n", ["1:5: a: warning: invisible character U+FEFF (ZERO WIDTH NO-BREAK SPACE)"]),
        ('a: "\\u2060"\n', ["1:4: a: warning: invisible character U+2060 (WORD JOINER), written as an escape;"]),
    ],
)
def test_characters_a_reader_cannot_see_are_located(tmp_path: Path, text: str, expected: list[str]) -> None:
    _, problems = _load(tmp_path, text)
    formatted = [p.format().split(":", 1)[1] for p in problems]
    assert len(formatted) == len(expected), formatted
    for line, start in zip(formatted, expected, strict=True):
        assert line.startswith(start), line


def test_refused_characters_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "a: " + "\x01" * (MAX_CHARACTER_PROBLEMS + 30) + "\n")
    assert len(problems) == MAX_CHARACTER_PROBLEMS + 1
    assert (
        problems[-1].message
        == f"30 more such character(s) in this file; only the first {MAX_CHARACTER_PROBLEMS} are listed"
    )


def test_a_sparse_3_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024**3)
    start = time.monotonic()
    _, problems = load_yaml_file(path)
    assert time.monotonic() - start < 2
    assert [p.format() for p in problems] == [f"{path}:1:1: (document): file is larger than 16 MiB; split it"]


def test_a_file_that_grows_after_the_size_check_is_read_no_further(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * MAX_FILE_BYTES)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 5, *real_fstat(fd)[7:])))
    bytes_read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, size: int) -> bytes:
        chunk = real_read(fd, size)
        bytes_read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "read", counting_read)
    _, problems = load_yaml_file(path)
    assert [p.message for p in problems] == ["file is larger than 16 MiB; split it"]
    assert sum(bytes_read) == MAX_FILE_BYTES + 1  # one byte past the limit tells, the rest stays unread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    start = time.monotonic()
    _, problems = load_yaml_file(path)
    assert time.monotonic() - start < 2
    assert [p.message for p in problems] == ["a named pipe (FIFO) is not a catalog file; save a plain file here"]
    _, problems = load_yaml_file(tmp_path)
    assert [p.message for p in problems] == ["a folder is not a catalog file; save a plain file here"]


def test_text_lines_are_checked_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_bytes("# terms\r\n子区\r\n超级\x1b管理员\n".encode())
    lines, problems = load_text_lines(path)
    assert lines == ["# terms", "子区", "超级\x1b管理员", ""]
    assert [p.format() for p in problems] == [
        f"{path}:3:3: line 3: control character U+001B is not allowed in catalog text; remove it"
    ]
    path.write_bytes(b"ok\n\xd7\xd3\n")
    lines, problems = load_text_lines(path)
    assert lines == [] and [p.format() for p in problems] == [
        f"{path}:2:1: (document): invalid UTF-8 byte 0xd7; save the file as UTF-8"
    ]
