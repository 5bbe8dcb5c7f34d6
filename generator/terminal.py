"""Text the CLI prints, made safe for a terminal and for a CI log.

Catalog text, file names and queries reach the terminal through one function, ``terminal_safe``.
A raw escape sequence could erase a line and print a fake verdict, set the clipboard (OSC 52) or
retitle the window; a bidi override makes a line read differently from its bytes; and a CI runner
obeys workflow commands in any line it logs. So the characters below are shown as the visible
escapes Python's ``repr`` uses (``\\x1b``, ``\\n``, ``\\u202e``), and workflow commands are broken up:

* GitHub Actions runs ``::command::`` when a line starts with it after blanks, and ``##[command]``
  anywhere in a line (the older syntax); Azure Pipelines runs ``##vso[...]`` anywhere.
* A newline inside a value is escaped too, so a value can never start an output line of its own.

``terminal_safe`` is idempotent: its output holds none of what it escapes, so text may pass twice.
"""

from __future__ import annotations

import io
import json
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 controls (newline and tab too), DEL, C1 controls, the bidi marks, embeddings, overrides and
# isolates, the Unicode line and paragraph separators, and lone surrogates (undecodable bytes of a
# file name or argument, which would otherwise make the print itself fail).
UNSAFE_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_WORKFLOW_COMMAND_ANYWHERE = re.compile(r"##(?=\[|vso\[)")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible_escape(character: str) -> str:
    if character in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(line: str, *, starts_line: bool = True) -> str:
    """One output line that a terminal shows as text and a CI runner never takes as a command.

    ``starts_line=False`` is for a piece that will stand inside a line after a fixed prefix (a
    Markdown code span): a leading ``::`` is then left as it is.
    """
    line = UNSAFE_CHARACTERS.sub(lambda m: _visible_escape(m.group()), line)
    line = _WORKFLOW_COMMAND_ANYWHERE.sub("#\\\\x23", line)
    if not starts_line:
        return line
    blanks = len(line) - len(line.lstrip())
    if line.startswith("::", blanks):
        line = f"{line[:blanks]}\\x3a{line[blanks + 1 :]}"
    return line


def say(line: object = "", *, error: bool = False) -> None:
    """Print one line of CLI output (to stderr with ``error``), made terminal-safe."""
    print(terminal_safe(str(line)), file=sys.stderr if error else sys.stdout)


def json_text(value: Any) -> str:
    """JSON as the CLI prints it: the same data, with every unsafe character as a ``\\u`` escape.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves DEL, C1 controls and
    bidi characters raw (Chinese stays readable); the second ``#`` of ``##[`` becomes ``\\u0023``,
    so no line holds a workflow command. Outside strings JSON holds neither of them, so escaping
    the whole text only touches string contents.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)  # its raw newlines are the layout's own
    text = UNSAFE_CHARACTERS.sub(lambda m: m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}", text)
    return _WORKFLOW_COMMAND_ANYWHERE.sub("#\\\\u0023", text)


class SafeLines(io.TextIOBase):
    """A text stream that writes each complete line through ``terminal_safe``.

    The CLI's own lines are already safe; this catches any other print (an exception text, a
    library's message) so that nothing reaches the terminal raw. A partial line is held until its
    newline, since the workflow-command rules judge a whole line.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._stream.write(terminal_safe(line) + "\n")
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def finish(self) -> None:
        """Write out a last line that has no newline."""
        if self._partial:
            self._stream.write(terminal_safe(self._partial))
            self._partial = ""
        self._stream.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", "utf-8")

    def isatty(self) -> bool:
        return self._stream.isatty()


@contextmanager
def safe_standard_streams() -> Iterator[None]:
    """While active, everything written to stdout and stderr goes out terminal-safe.

    An unexpected exception is a bug, but its traceback may quote catalog text: it is printed here,
    through the safe stream, instead of by the interpreter after the streams are restored.
    """
    original = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeLines(original[0]), SafeLines(original[1])
    try:
        yield
    except Exception:
        traceback.print_exc()
        raise SystemExit(1) from None
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            if isinstance(wrapper, SafeLines):
                wrapper.finish()
        sys.stdout, sys.stderr = original
