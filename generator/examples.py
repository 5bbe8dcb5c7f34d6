"""What an error looks like on the wire: an example response for each entry.

The status line and a JSON body in the format the vendor documents (``error``, ``timestamp``,
``duration``, ``error_description``; ``exception`` is left out because the catalog does not know
which Java class each error names), with sample values in place of the message template's
variable parts. The body is built as data and serialized with ``json``, so it is always valid JSON
whose ``error`` and ``error_description`` are the entry's literals (the template filled in).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.message_template import Placeholder, parse_template
from generator.model import ErrorEntry, HttpStatus

# One value per placeholder name of the catalog's templates, the same on every page; a name not
# listed here gets a neutral word, so a new template never breaks the build.
SAMPLE_VALUES = {
    "app": "chatdemoui",
    "appkey": "easemob-demo#chatdemoui",
    "field": "name",
    "file_uuid": "5c8f2a10-0f3e-11ee-9b6a-0b1c2d3e4f50",
    "group_id": "226854237446145",
    "limit": "100",
    "name": "sample",
    "operation": "update",
    "org": "easemob-demo",
    "parameter": "limit",
    "password": "******",
    "size": "120",
    "template": "welcome",
    "time": "2026120108",
    "username": "user1",
    "usernames": "user1, user2",
}
FALLBACK_VALUE = "sample"
# A fixed moment (2026-12-01 00:00:00 UTC, in milliseconds) so that pages do not change between
# builds; readers are told that a real response carries its own.
SAMPLE_TIMESTAMP = 1764547200000
SAMPLE_DURATION = 0


@dataclass(frozen=True)
class ExampleResponse:
    status_line: str
    body: dict[str, object]

    @property
    def text(self) -> str:
        """The whole response as a reader would see it: status line, blank line, pretty JSON body."""
        return f"{self.status_line}\n\n{json.dumps(self.body, ensure_ascii=False, indent=2)}"


def sample_message(entry: ErrorEntry) -> str | None:
    """The entry's message with sample values in its variable parts (the literal where it has none)."""
    if entry.message_template is None:
        return entry.message
    return "".join(
        SAMPLE_VALUES.get(part.name, FALLBACK_VALUE) if isinstance(part, Placeholder) else part
        for part in parse_template(entry.message_template)
    )


def example_response(entry: ErrorEntry, status: HttpStatus | None) -> ExampleResponse | None:
    """The example, or None where the catalog lacks a literal it would need (no HTTP status, no
    error type, or no message)."""
    message = sample_message(entry)
    if status is None or entry.error is None or message is None:
        return None
    body: dict[str, object] = {
        "error": entry.error,
        "timestamp": SAMPLE_TIMESTAMP,
        "duration": SAMPLE_DURATION,
        "error_description": message,
    }
    return ExampleResponse(f"HTTP/1.1 {status.code} {status.reason}", body)
