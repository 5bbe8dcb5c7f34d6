"""From what a developer has in hand (a response body, a log line, a type, a message) to entries.

One algorithm, two front ends: this module (``python -m generator explain``) and
``docs/assets/lookup.js`` (the lookup page). Both read ``catalog.json`` and both are tested against
``tests/data/lookup_vectors.json``; change them together.

Ranking, best first:
  100  status + error type + message template
   90  error type + message template
   80  message template only
   60  error type only (65 when the status matches too)
   40  status only (when nothing else was given)
  <40  words in common with the type, message, cause and remedy (fuzzy)
Ties go to the entry listed by more APIs, then to the slug in alphabetical order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from generator.message_template import normalize_message

MAX_RESULTS = 10
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)?\s+(\d{3})\b")
_JSON_STRING_FIELD = r'"{name}"\s*:\s*"((?:[^"\\]|\\.)*)"'
_WORD = re.compile(r"[a-z0-9_]+|[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Query:
    text: str
    status: int | None = None
    error: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Match:
    entry: dict[str, Any]
    score: int

    def as_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "slug": e["slug"],
            "status": e["status"],
            "error": e["error"],
            "message": e["message"],
            "url": e["type"],
            "score": self.score,
            "remedy": e["remedy"]["zh"],
        }


def parse_query(text: str, known_types: set[str]) -> Query:
    """Read status, error type and message out of a body, an HTTP response, a log line or a bare word."""
    text = text.strip()
    status = None
    line = _STATUS_LINE.search(text)
    if line:
        status = int(line.group(1))
    elif re.fullmatch(r"\d{3}", text):
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
            try:
                body = json.loads(body_text)
            except ValueError:
                continue
            if isinstance(body, dict):
                error = body.get("error")
                message = body.get("error_description")
                return (error if isinstance(error, str) else None, message if isinstance(message, str) else None)
    found = []
    for name in ("error", "error_description"):
        match = re.search(_JSON_STRING_FIELD.format(name=name), text)
        try:
            found.append(json.loads(f'"{match.group(1)}"') if match else None)
        except ValueError:
            found.append(match.group(1) if match else None)
    return found[0], found[1]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def score_entry(entry: dict[str, Any], query: Query) -> int:
    status_match = query.status is not None and entry["status"] == query.status
    type_match = query.error is not None and entry["error"] is not None and entry["error"] == query.error
    message_match = (
        query.message is not None
        and entry["message_regex"] is not None
        and re.search(entry["message_regex"], normalize_message(query.message)) is not None
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
    wanted = _words(" ".join(part for part in (query.error, query.message) if part) or query.text)
    if not wanted:
        return 0
    fields = (entry["error"], entry["message"], entry["cause"]["zh"], entry["remedy"]["zh"])
    haystack = _words(" ".join(part for part in fields if part))
    return int(39 * len(wanted & haystack) / len(wanted))


def find_matches(catalog_export: dict[str, Any], text: str, limit: int = MAX_RESULTS) -> list[Match]:
    """The best entries for ``text``, best first; empty only when nothing at all is in common."""
    entries = catalog_export["entries"]
    query = parse_query(text, {e["error"] for e in entries if e["error"] is not None})
    scored = [Match(entry, score_entry(entry, query)) for entry in entries]
    scored = [m for m in scored if m.score > 0]
    scored.sort(key=lambda m: (-m.score, -len(m.entry["apis"]), m.entry["slug"]))
    return scored[:limit]
