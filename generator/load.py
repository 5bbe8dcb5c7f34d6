"""Strict YAML loading: plain Python data plus the source position of every key and value.

PyYAML composes the node graph (every node carries a mark); the conversion to Python values is ours
so that nothing is coerced behind the maintainer's back:

* only ``true``/``false`` are booleans and only plain decimal integers without leading zeros are
  integers; ``yes``, ``NO``, ``0123``, ``1e3``, ``2024-01-01`` stay strings (the model then rejects
  them where a number or boolean is expected, with a message that says why);
* ``null``, ``~`` and an empty value are null;
* duplicate keys, merge keys (``<<``), anchors/aliases and explicit tags are problems, so a
  "billion laughs" file is refused instead of expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import KeyPath, Position, Problem

try:  # libyaml's composer is several times faster; both give the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40
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
    try:
        raw = path.read_bytes()
    except OSError as error:
        return document, [Problem(path, Position(1, 1), (), f"cannot read file: {error.strerror or error}")]
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return document, [Problem(path, Position(1, 1), (), f"file is larger than {limit} MiB; split it")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return document, [
            Problem(path, Position(1, 1), (), "file starts with a byte order mark; save it as UTF-8 without BOM")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return document, [
            Problem(
                path, Position(line, column), (), f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8"
            )
        ]
    if not text.strip():
        return document, [Problem(path, Position(1, 1), (), "file is empty; expected a mapping")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or "invalid YAML"
        if error.context and error.context_mark:
            started = _mark_position(error.context_mark)
            detail = f"{error.context}: {detail} (it starts at line {started.line}, column {started.column})"
        return document, [Problem(path, _mark_position(mark), (), f"YAML syntax error: {detail}")]
    except yaml.YAMLError as error:
        return document, [Problem(path, Position(1, 1), (), f"YAML syntax error: {error}")]
    except RecursionError:
        return document, [Problem(path, Position(1, 1), (), f"data is nested deeper than {MAX_DEPTH} levels")]
    if node is None:
        return document, [Problem(path, Position(1, 1), (), "file holds no data; expected a mapping")]
    converter = _Converter(document, _alias_positions(text) if "*" in text else [])
    document.data = converter.convert(node, (), 0)
    return document, converter.problems


def _alias_positions(text: str) -> list[Position]:
    """Where each alias (*name) stands, in document order; the composed node only knows its anchor."""
    try:
        return [
            _mark_position(e.start_mark) for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)
        ]
    except yaml.YAMLError:
        return []


class _Converter:
    def __init__(self, document: Document, alias_positions: list[Position]):
        self.document = document
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._reported_anchors: set[int] = set()
        self._alias_positions = iter(alias_positions)

    def _problem(self, node: yaml.Node, key_path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.document.path, _mark_position(node.start_mark), key_path, message))

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
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, key_path, "mapping keys must be plain text")
                continue
            key = key_node.value
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
