"""Message templates: where a documented message has variable parts, and how a message matches one.

Syntax: ``{name}`` marks a variable part (``name``: lowercase letters, digits, underscores);
``{{`` and ``}}`` are literal braces. ``grpID {group_id} does not exist!`` matches the response
``grpID 1234567890 does not exist!``.

Matching compares whitespace-normalized text (``normalize_message``) and runs in linear time, with
no regex engine: a template is its literal pieces (``template_pieces``; one more than it has
placeholders), and a message matches when it starts with the first piece, ends with the last, holds
the middle ones in order, and has at least one character in place of each placeholder
(``pieces_match``). Taking each middle piece at its leftmost place is enough: it leaves the most
room for the rest. The pieces are exported in ``catalog.json`` (``message_pieces``), so the
browser's matcher and ``python -m generator explain`` match against the very same data.

Two placeholders in a row (``{org}{app}``) are refused: nothing says where one ends, and matching
would have to count characters, which Python (code points) and JavaScript (UTF-16 units) do
differently. ``template_regex`` gives the equivalent anchored regex for information only.

Whitespace is ``WHITESPACE``: every character that Python's ``str.split()`` or JavaScript's ``\\s``
treats as blank, so both matchers see the same words whatever a paste contains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Written with the same escapes as ``WHITESPACE`` in docs/assets/lookup.js (tests compare them).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_TO_SPACE = str.maketrans(dict.fromkeys(WHITESPACE, " "))

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
            elif parts and isinstance(parts[-1], Placeholder):
                raise TemplateError(
                    index, "two placeholders in a row cannot tell where one ends; put text between them or use one"
                )
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
    """Whitespace-insensitive form of a message: runs of ``WHITESPACE`` become one space, ends trimmed."""
    return " ".join(word for word in text.translate(_TO_SPACE).split(" ") if word)


def template_pieces(template: str) -> list[str]:
    """The literal pieces of the normalized template, one more than its placeholders (empty at an
    end where a placeholder stands); raise TemplateError, located in ``template`` as written."""
    parse_template(template)  # columns of errors count in the text as written, not the normalized one
    pieces = [""]
    for part in parse_template(normalize_message(template)):
        if isinstance(part, Placeholder):
            pieces.append("")
        else:
            pieces[-1] += part
    return pieces


def pieces_match(pieces: Sequence[str], message: str) -> bool:
    """Whether a normalized message matches a template's pieces; linear in ``len(message)``."""
    if len(pieces) == 1:
        return message == pieces[0]
    first, *middle, last = pieces
    if not message.startswith(first):
        return False
    end = len(first)
    for piece in middle:
        found = message.find(piece, end + 1)  # + 1: the placeholder before it takes a character
        if found == -1:
            return False
        end = found + len(piece)
    return len(message) - len(last) > end and message.endswith(last)


def template_regex(template: str) -> str:
    """The anchored regex (Python and JavaScript syntax) that ``pieces_match`` is equivalent to.

    Informational only: a backtracking engine takes exponential time on it for some messages.
    """
    pieces = [
        "(.+?)" if isinstance(part, Placeholder) else _REGEX_SPECIAL.sub(lambda m: "\\" + m.group(), part)
        for part in parse_template(normalize_message(template))
    ]
    return "^" + "".join(pieces) + "$"


def literal_template(message: str) -> str:
    """The template of a message with no variable parts: braces doubled."""
    return message.replace("{", "{{").replace("}", "}}")
