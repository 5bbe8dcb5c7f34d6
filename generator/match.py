"""From what a developer has in hand (a response body, a log line, a type, a message) to entries.

One algorithm, two front ends: this module (``python -m generator explain``) and
``docs/assets/lookup.js`` (the lookup page). Both read ``catalog.json``, share the constants below
and ``generator.message_template.WHITESPACE``, and are tested against
``tests/data/lookup_vectors.json`` with identical full rankings; change them together.

Ranking, best first:
  100  status + error type + message template
   90  error type + message template
   80  message template only
   60  error type only (65 when the status matches too)
   40  status only (when nothing else was given)
  <40  words in common with the type, message, cause and remedy (fuzzy)
Ties go to the entry listed by more APIs, then to the slug in alphabetical order.

A paste that holds a request line (``POST /org/app/chatgroups/123/mute``, or the method and a full
URL) also names the API it called: ``requested_apis`` finds the catalog API of that method whose
path pattern (``path_pattern``: a ``{placeholder}`` segment matches any one segment) fits, the most
literal segments first. Rate-limit results show that API's limit. The text is split into blank-
separated words once; the first ``MAX_REQUEST_LINES`` method words each look at most
``REQUEST_PATH_LOOKAHEAD`` words ahead for their path, and a candidate path is compared only with
the APIs of its method and segment count.

Any paste is answered at once: the query is cut at ``MAX_QUERY_LENGTH`` characters, every step is
linear in its length (templates match by ``pieces_match``, the field scan and the status line never
rescan text), the query's words are computed once per query and the entries' once per catalog.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.message_template import WHITESPACE, normalize_message, pieces_match

MAX_RESULTS = 10
# How a result matched, surest first: the documented message itself (or an earlier one), the
# message with other values in its variable parts, the error type only, the status only, words.
MATCH_KINDS = ("exact", "template", "type", "status", "words")
# Characters (code points) of a query that are matched; lookup.js cuts at the same count. An error
# body is far shorter; the cap bounds the work on a whole log file pasted by mistake.
MAX_QUERY_LENGTH = 16_384
# json.loads recurses once per level: a deeper body is read by the field scan instead (in both
# matchers, so JSON.parse, which would manage, cannot rank differently).
MAX_JSON_DEPTH = 100

_BLANK = f"[{WHITESPACE}]"
# ASCII digits and an ASCII word boundary: Python's \d and \b would also take other scripts' digits.
_STATUS_LINE = re.compile(rf"HTTP/[0-9](?:\.[0-9])?{_BLANK}+([0-9]{{3}})(?![0-9A-Za-z_])")
_STATUS_ONLY = re.compile(r"[0-9]{3}")
_WORD = re.compile(r"[a-z0-9_]+|[\u4e00-\u9fff]")
_BLANK_RUN = re.compile(f"{_BLANK}+")

HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# How many words after a method its path may come (curl puts `-H "…"` options in between).
REQUEST_PATH_LOOKAHEAD = 8
# Method words tried for a request line: a log holds a few, a paste of thousands names no one API.
MAX_REQUEST_LINES = 100
# Quotes and brackets a log wraps a request line in; the JS matcher strips the same characters.
_WRAPPERS = "\"'`\\[]()<>,;"


@dataclass(frozen=True)
class Query:
    text: str
    status: int | None = None
    error: str | None = None
    message: str | None = None

    @cached_property
    def normalized_message(self) -> str | None:
        return normalize_message(self.message) if self.message is not None else None

    @cached_property
    def wanted(self) -> frozenset[str]:
        """The words that fuzzy matching looks for."""
        return _words(" ".join(part for part in (self.error, self.message) if part) or self.text)


@dataclass(frozen=True)
class PreparedEntry:
    data: dict[str, Any]
    words: frozenset[str]


@dataclass(frozen=True)
class PreparedCatalog:
    """What every query needs from each entry of a ``catalog.json``, computed once per catalog."""

    entries: tuple[PreparedEntry, ...]
    types: frozenset[str]
    lang: str
    # (method, segment count) -> the APIs of that shape, in catalog order
    apis_by_shape: dict[tuple[str, int], tuple[dict[str, Any], ...]]


@dataclass(frozen=True)
class Match:
    entry: dict[str, Any]
    score: int
    lang: str = "zh"  # the export's language: which cause and remedy texts are meant
    kind: str = "words"  # how it matched: one of MATCH_KINDS
    former: bool = False  # "exact" by an earlier message of the entry (its former_message_pieces)

    def as_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "slug": e["slug"],
            "status": e["status"],
            "error": e["error"],
            "message": e["message"],
            "url": e["type"],
            "score": self.score,
            "match": self.kind,
            "former_message": self.former,
            "remedy": e["remedy"][self.lang],
        }


def prepare_catalog(catalog_export: dict[str, Any]) -> PreparedCatalog:
    lang = catalog_export["lang"]
    entries = tuple(PreparedEntry(e, _entry_words(e, lang)) for e in catalog_export["entries"])
    types = frozenset(e["error"] for e in catalog_export["entries"] if e["error"] is not None)
    by_shape: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for api in catalog_export.get("apis", []):
        by_shape.setdefault((api["method"], len(api["path_pattern"])), []).append(api)
    return PreparedCatalog(entries, types, lang, {shape: tuple(apis) for shape, apis in by_shape.items()})


def path_pattern(path: str) -> list[str | None]:
    """A catalog path as segments: the literal ones, None for a placeholder (``{group_id}``, the
    vendor's ``${time}`` and ``(list_id)``, ``{member1}(,{member2},…)``)."""
    return [None if segment.startswith(("{", "${", "(")) else segment for segment in path.split("/") if segment]


def requested_apis(catalog: dict[str, Any] | PreparedCatalog, text: str) -> list[dict[str, Any]]:
    """The catalog APIs the first request line in ``text`` names (several when their paths are
    alike, e.g. modify and transfer a group); empty when it names none."""
    prepared = catalog if isinstance(catalog, PreparedCatalog) else prepare_catalog(catalog)
    words = [word.strip(_WRAPPERS) for word in _BLANK_RUN.split(cut_query(text))]
    tried = 0
    for index, word in enumerate(words):
        if word not in HTTP_METHODS:
            continue
        tried += 1
        if tried > MAX_REQUEST_LINES:
            break
        for candidate in words[index + 1 : index + 1 + REQUEST_PATH_LOOKAHEAD]:
            segments = _request_segments(candidate)
            if segments is None:
                continue
            found = _apis_for(prepared, word, segments)
            if found:
                return found
            break  # the method's path names no API: try the next method word
    return []


def _request_segments(word: str) -> list[str] | None:
    """The path segments of a request path or URL, without query and fragment; None if ``word``
    is neither."""
    for scheme in ("https://", "http://"):
        if word.startswith(scheme):
            slash = word.find("/", len(scheme))
            word = word[slash:] if slash != -1 else "/"
            break
    if not word.startswith("/"):
        return None
    for mark in ("?", "#"):
        cut = word.find(mark)
        if cut != -1:
            word = word[:cut]
    return [segment for segment in word.split("/") if segment]


def _apis_for(prepared: PreparedCatalog, method: str, segments: list[str]) -> list[dict[str, Any]]:
    """The APIs whose pattern fits, those with the most literal segments only."""
    best: list[dict[str, Any]] = []
    best_literals = -1
    for api in prepared.apis_by_shape.get((method, len(segments)), ()):
        pattern = api["path_pattern"]
        if all(part is None or part == segment for part, segment in zip(pattern, segments, strict=True)):
            literals = sum(part is not None for part in pattern)
            if literals > best_literals:
                best, best_literals = [api], literals
            elif literals == best_literals:
                best.append(api)
    return best


def _entry_words(entry: dict[str, Any], lang: str) -> frozenset[str]:
    fields = (entry["error"], entry["message"], entry["cause"][lang], entry["remedy"][lang])
    return _words(" ".join(part for part in fields if part))


def cut_query(text: str) -> str:
    """The part of a query that is matched: its first ``MAX_QUERY_LENGTH`` characters."""
    return text[:MAX_QUERY_LENGTH]


def parse_query(text: str, known_types: set[str] | frozenset[str]) -> Query:
    """Read status, error type and message out of a body, an HTTP response, a log line or a bare word."""
    text = text.strip(WHITESPACE)
    status = None
    line = _STATUS_LINE.search(text)
    if line:
        status = int(line.group(1))
    elif _STATUS_ONLY.fullmatch(text):
        status = int(text)
    error, message = _fields_from_json(text)
    if error is None and message is None and status is not None and not line:
        return Query(text, status=status)
    if error is None and message is None and not line:
        # Case-insensitive fallback; the first in sorted order wins so both matchers agree.
        folded = next((t for t in sorted(known_types) if t.lower() == text.lower()), None)
        if text in known_types:
            error = text
        elif folded is not None:
            error = folded
        elif text:
            message = text
    return Query(text, status=status, error=error, message=message)


def _fields_from_json(text: str) -> tuple[str | None, str | None]:
    start, end = text.find("{"), text.rfind("}")
    if start != -1 and end > start:
        candidate = text[start : end + 1]
        # A body quoted inside a log line arrives with its quotes escaped: try it unescaped too.
        for body_text in (candidate, candidate.replace('\\"', '"')):
            body = _json_object(body_text)
            if body is not None:
                return _text_or_none(body.get("error")), _text_or_none(body.get("error_description"))
    return _string_field(text, "error"), _string_field(text, "error_description")


def _json_object(text: str) -> dict[str, Any] | None:
    """``text`` parsed as a JSON object the way JavaScript's JSON.parse reads it, or None."""
    if _nests_deeper_than(text, MAX_JSON_DEPTH):
        return None
    try:
        # No NaN/Infinity (JSON.parse refuses them); integers as floats (JSON.parse has no digit limit).
        body = json.loads(text, parse_constant=_refuse_constant, parse_int=float)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _nests_deeper_than(text: str, limit: int) -> bool:
    """Whether brackets outside JSON strings open more than ``limit`` levels deep."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _string_field(text: str, name: str) -> str | None:
    """The first ``"name": "…"`` string in text that is not JSON as a whole, decoded where it can be."""
    key = f'"{name}"'
    at = text.find(key)
    while at != -1:
        index = _skip_blanks(text, at + len(key))
        if text.startswith(":", index):
            index = _skip_blanks(text, index + 1)
            if text.startswith('"', index):
                close = _closing_quote(text, index + 1)
                if close == -1:
                    # The string runs to the end, and the closing quote of any later key would
                    # have closed it: there is nothing more to find.
                    return None
                raw = text[index + 1 : close]
                try:
                    return json.loads(f'"{raw}"')
                except ValueError:
                    return raw
        at = text.find(key, at + 1)
    return None


def _skip_blanks(text: str, index: int) -> int:
    while index < len(text) and text[index] in WHITESPACE:
        index += 1
    return index


def _closing_quote(text: str, index: int) -> int:
    """The index of the quote that closes a string starting at ``index`` (a backslash escapes the
    next character, whatever it is), or -1."""
    while index < len(text):
        char = text[index]
        if char == '"':
            return index
        index += 2 if char == "\\" else 1
    return -1


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def score_entry(entry: PreparedEntry, query: Query) -> int:
    e = entry.data
    status_match = query.status is not None and e["status"] == query.status
    type_match = query.error is not None and e["error"] is not None and e["error"] == query.error
    message_match = query.normalized_message is not None and any(
        pieces_match(pieces, query.normalized_message)
        for pieces in (e["message_pieces"], *e["former_message_pieces"])
        if pieces is not None
    )
    if message_match and type_match and status_match:
        return 100
    if message_match and type_match:
        return 90
    if message_match:
        return 80
    if type_match:
        return 65 if status_match else 60
    if status_match and query.error is None and query.message is None:
        return 40
    if not query.wanted:
        return 0
    return int(39 * len(query.wanted & entry.words) / len(query.wanted))


def match_kind(entry: dict[str, Any], query: Query, score: int) -> tuple[str, bool]:
    """Which of ``MATCH_KINDS`` a result of ``score`` is (``score_entry``'s tiers), and whether it
    is exact by an earlier message of the entry."""
    if score >= 80:
        if entry["message"] is not None and normalize_message(entry["message"]) == query.normalized_message:
            return "exact", False
        if any(pieces == [query.normalized_message] for pieces in entry["former_message_pieces"]):
            return "exact", True
        return "template", False
    if score >= 60:
        return "type", False
    return ("status" if score >= 40 else "words"), False


def message_unmatched(catalog: PreparedCatalog, text: str, matches: list[Match]) -> bool:
    """The paste holds a message and no result has it: the results are guesses, and say so."""
    query = parse_query(cut_query(text), catalog.types)
    return query.message is not None and not any(m.kind in ("exact", "template") for m in matches)


def find_matches(catalog: dict[str, Any] | PreparedCatalog, text: str, limit: int = MAX_RESULTS) -> list[Match]:
    """The best entries for ``text``, best first; empty only when nothing at all is in common.

    ``catalog`` is a ``catalog.json`` document, or ``prepare_catalog`` of one to answer many queries.
    """
    prepared = catalog if isinstance(catalog, PreparedCatalog) else prepare_catalog(catalog)
    query = parse_query(cut_query(text), prepared.types)
    scored = [
        Match(entry.data, score, prepared.lang, *match_kind(entry.data, query, score))
        for entry in prepared.entries
        if (score := score_entry(entry, query)) > 0
    ]
    scored.sort(key=lambda m: (-m.score, -len(m.entry["apis"]), m.entry["slug"]))
    return scored[:limit]
