"""Message templates: where a documented message has variable parts, and the regex that matches them.

Syntax: ``{name}`` marks a variable part (``name``: lowercase letters, digits, underscores);
``{{`` and ``}}`` are literal braces. ``grpID {group_id} does not exist!`` matches the response
``grpID 1234567890 does not exist!``. The regex is built here once and exported in ``catalog.json``,
so the browser's matcher and ``python -m generator explain`` use the very same pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Escaped identically in Python and JavaScript regex syntax (no identity escapes needed).
_REGEX_SPECIAL = re.compile(r"[\\^$.|?*+()\[\]{}/]")


class TemplateError(ValueError):
    def __init__(self, column: int, message: str):
        self.column = column  # 0-based offset in the template
        super().__init__(message)


@dataclass(frozen=True)
class Placeholder:
    name: str


def parse_template(template: str) -> list[str | Placeholder]:
    """Split a template into literal text and placeholders; raise TemplateError on bad syntax."""
    parts: list[str | Placeholder] = []
    literal: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        if template.startswith("{{", index) or template.startswith("}}", index):
            literal.append(char)
            index += 2
        elif char == "{":
            end = template.find("}", index)
            name = template[index + 1 : end] if end != -1 else ""
            if end == -1 or not _NAME.fullmatch(name):
                raise TemplateError(
                    index, "a placeholder is written {name} with a lowercase name; write {{ for a brace"
                )
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(Placeholder(name))
            index = end + 1
        elif char == "}":
            raise TemplateError(index, "unmatched '}'; write }} for a literal brace")
        else:
            literal.append(char)
            index += 1
    if literal:
        parts.append("".join(literal))
    return parts


def normalize_message(text: str) -> str:
    """Whitespace-insensitive form of a message: runs of blanks become one space, ends trimmed."""
    return " ".join(text.split())


def template_regex(template: str) -> str:
    """An anchored regex source (valid in Python and JavaScript) matching normalized messages."""
    pieces = [
        "(.+?)" if isinstance(part, Placeholder) else _REGEX_SPECIAL.sub(lambda m: "\\" + m.group(), part)
        for part in parse_template(normalize_message(template))
    ]
    return "^" + "".join(pieces) + "$"


def literal_template(message: str) -> str:
    """The template of a message with no variable parts: braces doubled."""
    return message.replace("{", "{{").replace("}", "}}")
