"""Strict YAML loading: plain Python data plus the source position of every key and value.

PyYAML composes the node graph (every node carries a mark); the conversion to Python values is ours
so that nothing is coerced behind the maintainer's back:

* only ``true``/``false`` are booleans and only plain decimal integers without leading zeros are
  integers; ``yes``, ``NO``, ``0123``, ``1e3``, ``2024-01-01`` stay strings (the model then rejects
  them where a number or boolean is expected, with a message that says why);
* ``null``, ``~`` and an empty value are null;
* duplicate keys, merge keys (``<<``), anchors/aliases and explicit tags are problems, so a
  "billion laughs" file is refused instead of expanded;
* integers have at most 15 digits;
* characters a reader cannot see or that YAML reads differently from an editor are refused or
  flagged at their own line and column, before PyYAML sees the text (``characters.py``).

Only regular files of at most 16 MiB are read, and their size is known before the first byte is:
a FIFO, a device or a sparse 3 GB file is a problem, not a hang.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.characters import (
    Finding,
    file_findings,
    is_clean,
    positions,
    text_findings,
    without_yaml_breakers,
)
from generator.problems import KeyPath, Position, Problem

try:  # libyaml's composer is several times faster; both give the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40
# Any integer of 15 digits is exact in JavaScript (below 2**53), where the lookup page reads the
# export; and int() of a huge digit string raises (Python caps conversions at 4,300 digits).
MAX_INT_DIGITS = 15
MAX_CHARACTER_PROBLEMS = 20
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NULLS = {"", "~", "null"}
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Document:
    """One loaded YAML file: its data and where each value (and each mapping key) stands."""

    path: Path
    data: Any = None
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)

    def position(self, key_path: KeyPath, *, of_key: bool = False) -> Position:
        """The position of ``key_path``, or of its closest existing ancestor (for missing keys)."""
        path = tuple(key_path)
        if of_key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), Position(1, 1))

    def problem(self, key_path: KeyPath, message: str, *, of_key: bool = False, severity: str = "error") -> Problem:
        return Problem(self.path, self.position(key_path, of_key=of_key), tuple(key_path), message, severity)


def _mark_position(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


def load_yaml_file(path: Path) -> tuple[Document, list[Problem]]:
    """Load one catalog file strictly; returns the document and every problem found in it."""
    document = Document(path)
    text, problems = read_catalog_text(path)
    if text is None:
        return document, problems
    findings = file_findings(text)
    refused = any(finding.breaks_yaml for finding in findings)
    if refused:
        # PyYAML would refuse these or count lines no editor shows; a copy without them is parsed
        # only to tell the key path each one stands at.
        text = without_yaml_breakers(text)
    if not text.strip():
        return document, [Problem(path, Position(1, 1), (), "file is empty; expected a mapping")]
    node, problem = _compose(path, text)
    if node is None:
        assert problem is not None
        # Without a parse there are no key paths; and the copy's syntax error may be one the
        # refused characters made, so it is only reported when there are none.
        located = character_problems(path, text, findings, lambda finding, position: ())
        return document, located if refused else sorted([*located, problem], key=Problem.sort_key)
    converter = _Converter(document, text, _alias_positions(text) if "*" in text else [], locate=bool(findings))
    data = converter.convert(node, (), 0)
    document.data = None if refused else data
    problems = character_problems(path, text, findings, lambda finding, position: converter.key_path_at(finding.index))
    return document, sorted([*problems, *converter.problems], key=Problem.sort_key)


def load_text_lines(path: Path) -> tuple[list[str], list[Problem]]:
    """A line-based catalog file (``published_slugs.txt``, ``search_terms.txt``): its lines, and
    the problems of its bytes and characters, each at ``line N``."""
    text, problems = read_catalog_text(path)
    if text is None:
        return [], problems
    findings = file_findings(text)
    problems = character_problems(path, text, findings, lambda finding, position: (f"line {position.line}",))
    return [line.removesuffix("\r") for line in text.split("\n")], problems


def _compose(path: Path, text: str) -> tuple[yaml.Node | None, Problem | None]:
    """The node graph of ``text``, or None and the reason."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or "invalid YAML"
        if error.context and error.context_mark:
            started = _mark_position(error.context_mark)
            detail = f"{error.context}: {detail} (it starts at line {started.line}, column {started.column})"
        return None, Problem(path, _mark_position(mark), (), f"YAML syntax error: {detail}")
    except yaml.YAMLError as error:
        return None, Problem(path, Position(1, 1), (), f"YAML syntax error: {error}")
    except RecursionError:
        return None, Problem(path, Position(1, 1), (), f"data is nested deeper than {MAX_DEPTH} levels")
    if node is None:
        return None, Problem(path, Position(1, 1), (), "file holds no data; expected a mapping")
    return node, None


def read_catalog_text(path: Path) -> tuple[str | None, list[Problem]]:
    """A catalog file's text, or None and the problem: not a plain file, too large, BOM, not UTF-8."""
    raw, problem = read_catalog_bytes(path)
    if problem is not None:
        return None, [problem]
    assert raw is not None
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(path, Position(1, 1), (), "file starts with a byte order mark; save it as UTF-8 without BOM")
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8"
        return None, [Problem(path, Position(line, column), (), message)]


def read_catalog_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    """A catalog file's bytes, or None and why it was not read.

    The size is checked before reading and at most ``MAX_FILE_BYTES + 1`` bytes are read, so a
    sparse or growing file is never read whole. Anything but a regular file is refused: a FIFO
    would block the reader forever and a device never ends. The file is opened without blocking and
    checked again once open, in case it was replaced in between.
    """
    try:
        kind = _not_a_regular_file(os.stat(path).st_mode)
        if kind:
            return None, _file_problem(path, f"{kind} is not a catalog file; save a plain file here")
        descriptor = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as error:
        return None, _file_problem(path, f"cannot read file: {error.strerror or error}")
    try:
        info = os.fstat(descriptor)
        kind = _not_a_regular_file(info.st_mode)
        if kind:
            return None, _file_problem(path, f"{kind} is not a catalog file; save a plain file here")
        if info.st_size > MAX_FILE_BYTES:
            return None, _too_large(path)
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        return None, _file_problem(path, f"cannot read file: {error.strerror or error}")
    finally:
        os.close(descriptor)
    if size > MAX_FILE_BYTES:  # it grew after the size check
        return None, _too_large(path)
    return b"".join(chunks), None


# Non-blocking, so that a FIFO swapped in after the check cannot hang the open; binary on Windows.
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def _not_a_regular_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _file_problem(path: Path, message: str) -> Problem:
    return Problem(path, Position(1, 1), (), message)


def _too_large(path: Path) -> Problem:
    return _file_problem(path, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it")


def character_problems(
    path: Path, text: str, findings: list[Finding], key_path_at: Callable[[Finding, Position], KeyPath]
) -> list[Problem]:
    """A problem per refused or flagged character, at its line and column (the first few only)."""
    shown = findings[:MAX_CHARACTER_PROBLEMS]
    places = positions(text, [finding.index for finding in findings[: MAX_CHARACTER_PROBLEMS + 1]])
    problems = [
        Problem(path, position, key_path_at(finding, position), finding.message(), finding.severity)
        for finding, position in zip(shown, places, strict=False)
    ]
    rest = findings[MAX_CHARACTER_PROBLEMS:]
    if rest:
        severity = "error" if any(finding.severity == "error" for finding in rest) else "warning"
        message = f"{len(rest)} more such character(s) in this file; only the first {MAX_CHARACTER_PROBLEMS} are listed"
        problems.append(Problem(path, places[-1], (), message, severity))
    return problems


def _alias_positions(text: str) -> list[Position]:
    """Where each alias (*name) stands, in document order; the composed node only knows its anchor."""
    try:
        return [
            _mark_position(e.start_mark) for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)
        ]
    except yaml.YAMLError:
        return []


class _Converter:
    def __init__(self, document: Document, text: str, alias_positions: list[Position], *, locate: bool):
        self.document = document
        self.text = text
        self.problems: list[Problem] = []
        # (start, end, key path) of every scalar, key or value, in document order; only kept when
        # characters of the file's text need their key path (``locate``).
        self._spans: list[tuple[int, int, KeyPath]] | None = [] if locate else None
        # Only an escape sequence (a backslash) can write a character the file's text does not show.
        self._inspect = locate or "\\" in text
        self._seen: set[int] = set()
        self._reported_anchors: set[int] = set()
        self._alias_positions = iter(alias_positions)

    def _problem(self, node: yaml.Node, key_path: KeyPath, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.document.path, _mark_position(node.start_mark), key_path, message, severity))

    def key_path_at(self, index: int) -> KeyPath:
        """The key path of the scalar at character ``index`` of the text; () outside any (a comment)."""
        if not self._spans:
            return ()
        at = bisect.bisect_right(self._spans, index, key=lambda span: span[0]) - 1
        if at >= 0 and self._spans[at][0] <= index < self._spans[at][1]:
            return self._spans[at][2]
        return ()

    def _scalar(self, node: yaml.ScalarNode, key_path: KeyPath) -> Any:
        if self._spans is not None:
            self._spans.append((node.start_mark.index, node.end_mark.index, key_path))
        if self._inspect and node.style == '"' and not is_clean(node.value):
            self._check_escapes(node, key_path)
        if not node.style and len(node.value) > MAX_INT_DIGITS and _INT.fullmatch(node.value):
            digits = len(node.value.removeprefix("-"))
            if digits > MAX_INT_DIGITS:
                message = (
                    f"number with {digits} digits is too long; catalog numbers have at most {MAX_INT_DIGITS} digits"
                )
                self._problem(node, key_path, message)
                return None
        return _scalar(node)

    def _check_escapes(self, node: yaml.ScalarNode, key_path: KeyPath) -> None:
        """Characters an escape sequence wrote (``"\\x9b"``); those written as they are were already
        reported on the file's text."""
        written = Counter(finding.character for finding in text_findings(node.value))
        raw = Counter(
            finding.character for finding in text_findings(self.text[node.start_mark.index : node.end_mark.index])
        )
        for character, count in written.items():
            if count > raw[character]:
                finding = Finding(0, character)
                self._problem(node, key_path, finding.message(escaped=True), finding.severity)

    def convert(self, node: yaml.Node, key_path: KeyPath, depth: int) -> Any:
        self.document.value_positions[key_path] = _mark_position(node.start_mark)
        if id(node) in self._seen:
            # Conversion meets aliases in document order, as the event stream lists them.
            position = next(self._alias_positions, _mark_position(node.start_mark))
            if id(node) not in self._reported_anchors:  # once per anchor: a bomb is not 10^9 lines
                self._reported_anchors.add(id(node))
                anchor_line = node.start_mark.line + 1
                message = (
                    f"YAML aliases are not allowed (this repeats the value anchored at line {anchor_line}); "
                    "write it out"
                )
                self.problems.append(Problem(self.document.path, position, key_path, message))
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self._problem(node, key_path, f"data is nested deeper than {MAX_DEPTH} levels")
            return None
        if node.tag not in _ALLOWED_TAGS:
            self._problem(node, key_path, f"YAML tag {node.tag!r} is not allowed")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*key_path, index), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node, key_path)

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, key_path, "mapping keys must be plain text")
                continue
            key = key_node.value
            if self._inspect and not is_clean(key):
                key = _shown_key(key)
                if key_node.style == '"':
                    self._check_escapes(key_node, (*key_path, key))
            if self._spans is not None:
                self._spans.append((key_node.start_mark.index, key_node.end_mark.index, (*key_path, key)))
            if key == "<<" and not key_node.style:
                self._problem(key_node, key_path, "YAML merge keys (<<) are not allowed; write the keys out")
                continue
            position = _mark_position(key_node.start_mark)
            if key in first_seen:
                self._problem(
                    key_node,
                    (*key_path, key),
                    f"duplicate key {key!r} (first defined at line {first_seen[key].line})",
                )
                continue
            first_seen[key] = position
            self.document.key_positions[(*key_path, key)] = position
            result[key] = self.convert(value_node, (*key_path, key), depth + 1)
        return result


def _shown_key(key: str) -> str:
    """A key holding a refused character is quoted and escaped in key paths, so no message prints
    it raw; the file is refused, so its data is never looked up by key."""
    return repr(key) if any(finding.severity == "error" for finding in text_findings(key)) else key


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style:  # quoted or block scalars are always text (plain is None, or "" from libyaml)
        return text
    if text in _NULLS:
        return None
    if text in ("true", "false"):
        return text == "true"
    if _INT.fullmatch(text):
        return int(text)
    return text
