"""Characters catalog text may not hold: what a reader sees must be what the file stores.

Refused (errors), anywhere in a file, comments and keys included:

* control characters: C0 except tab and line feed (a carriage return only as part of CRLF), DEL and
  C1 (U+0080-U+009F). A C1 byte such as U+009B is a terminal's CSI and breaks a page's front matter;
* U+0085, U+2028 and U+2029, which YAML 1.1 reads as line breaks: PyYAML would count lines that no
  editor shows, so every position after one would be wrong, and text after one in a comment would
  be parsed as data;
* the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder how the
  text around them is displayed, so a reviewer reads something else than what is published;
* lone surrogates, which only an escape in a quoted scalar can produce and no page can encode.

Flagged (warnings): invisible characters, so a copy of a message with a zero-width space does not
pass for its twin. The zero-width characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and the
tag characters (U+E0000-U+E007F) show nothing. The directional marks LRM, RLM and ALM
(U+200E, U+200F, U+061C) are invisible too, but they are not refused: a mark only sets the
direction of the neutral characters next to it and cannot reorder a run of text the way an
override or isolate does. Identity checks compare :func:`comparable` text, which drops them all.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from generator.problems import Position

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
_YAML_LINE_BREAKS = "\x85\u2028\u2029"
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_INVISIBLE = "\u200b-\u200f\u2060-\u2064\u061c\ufeff\U000e0000-\U000e007f"

_REFUSED_IN_TEXT = re.compile(f"[{_CONTROLS}{_YAML_LINE_BREAKS}{_BIDI_CONTROLS}{_SURROGATES}{_INVISIBLE}\r]")
# In a file a carriage return is fine before a line feed (CRLF line ends).
_REFUSED_IN_FILE = re.compile(f"[{_CONTROLS}{_YAML_LINE_BREAKS}{_BIDI_CONTROLS}{_SURROGATES}{_INVISIBLE}]|\r(?!\n)")
_INVISIBLE_CHARACTERS = re.compile(f"[{_INVISIBLE}]")
_CONTROL_CHARACTER = re.compile(f"[{_CONTROLS}]")
_BIDI_CONTROL = re.compile(f"[{_BIDI_CONTROLS}]")
_SURROGATE = re.compile(f"[{_SURROGATES}]")
_BREAKS_YAML = re.compile(f"[{_CONTROLS}{_YAML_LINE_BREAKS}\r]")
_BREAKS_YAML_IN_FILE = re.compile(f"[{_CONTROLS}{_YAML_LINE_BREAKS}]|\r(?!\n)")
_NAMES = {"\x85": "NEXT LINE", "\r": "CARRIAGE RETURN"}


@dataclass(frozen=True)
class Finding:
    """One character of a text that is refused or flagged, at ``index`` in that text."""

    index: int
    character: str

    @property
    def severity(self) -> str:
        return "warning" if _INVISIBLE_CHARACTERS.fullmatch(self.character) else "error"

    @property
    def breaks_yaml(self) -> bool:
        """PyYAML must not see a file holding it: it refuses the character or miscounts lines."""
        return _BREAKS_YAML.fullmatch(self.character) is not None

    def message(self, *, escaped: bool = False) -> str:
        """What is wrong; ``escaped`` when a YAML escape sequence wrote the character."""
        character = self.character
        code = f"U+{ord(character):04X}"
        name = f"{code} ({_NAMES.get(character) or unicodedata.name(character, '')})"
        written = ", written as an escape," if escaped else ""
        if self.severity == "warning":
            return f"invisible character {name}{written.rstrip(',')}; remove it unless the source's text has it"
        if _BIDI_CONTROL.fullmatch(character):
            return f"{name}{written} is not allowed: it changes the order in which the text around it is displayed"
        if _SURROGATE.fullmatch(character):
            return f"lone surrogate {code}{written} is not text; remove it"
        if character in _YAML_LINE_BREAKS:
            if escaped:
                return f"{name}{written} is not allowed in catalog text; write \\n for a line break"
            return f"{name} is a line break to YAML but not to editors, so later line numbers would be wrong; remove it"
        if character == "\r" and not escaped:
            return f"carriage return ({code}) without a line feed; save the file with LF (or CRLF) line ends"
        return f"control character {code}{written} is not allowed in catalog text; remove it"


def file_findings(text: str) -> list[Finding]:
    """Every refused or flagged character in a whole file's text."""
    return [Finding(match.start(), match.group()) for match in _REFUSED_IN_FILE.finditer(text)]


def is_clean(text: str) -> bool:
    """No character of ``text`` is refused or flagged (the quick test before :func:`text_findings`)."""
    # str.isprintable() is false for every control, format (bidi, zero-width) and separator
    # character, and much faster than the search.
    return text.isprintable() or _REFUSED_IN_TEXT.search(text) is None


def text_findings(text: str) -> list[Finding]:
    """Every refused or flagged character in one value (a carriage return is never fine here)."""
    return [Finding(match.start(), match.group()) for match in _REFUSED_IN_TEXT.finditer(text)]


def without_yaml_breakers(text: str) -> str:
    """``text`` with each character PyYAML refuses or reads as a line break replaced by U+FFFD:
    every other character keeps its index, line and column, so the copy parses to the key paths
    the refused characters stand at."""
    return _BREAKS_YAML_IN_FILE.sub("\ufffd", text)


def positions(text: str, indexes: list[int]) -> list[Position]:
    """1-based line and column of each index, lines counted by line feeds only (as editors do)."""
    line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
    result = []
    for index in indexes:
        line = bisect.bisect_right(line_starts, index)
        result.append(Position(line, index - line_starts[line - 1] + 1))
    return result


def comparable(text: str) -> str:
    """The form two texts are compared in for identity: NFC, without invisible characters."""
    return unicodedata.normalize("NFC", _INVISIBLE_CHARACTERS.sub("", text))
