"""Catalog text made inert: Markdown that renders as exactly the text, and HTML-escaped text.

Catalog text is untrusted. Templates never insert it raw: the Markdown filters turn every
character with a meaning into an HTML entity, so neither HTML, Markdown links nor table pipes
from the catalog reach the page as markup; HTML fragments are autoescaped.

The ``commonmark_*`` helpers do the same for the Markdown twins machines read
(``machine_readable``): plain CommonMark, read as text more than rendered, so they escape with
backslashes only where a character could start markup, and keep literals byte-exact in code spans.
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

# Characters that start Markdown (or extension) syntax anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>&|~^=:$!\"']")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+\-*>]|\d+[.)])")
# CommonMark: what can start inline markup anywhere (``&`` and ``<`` become entities: a backslash
# before ``<`` is not an escape in every Markdown parser), and what starts a block at a line's start.
_COMMONMARK_INLINE = re.compile(r"[\\`*_{}\[\]#&<]")
_COMMONMARK_ENTITIES = {"&": "&amp;", "<": "&lt;"}
_COMMONMARK_LINE_START = re.compile(r"^([>+\-]|\d+(?=[.)]))")
_BACKTICK_RUN = re.compile(r"`+")
_LINE_BREAK = re.compile(r"[\r\n]+")


def md_escape(text: str) -> str:
    """Text -> Markdown that renders as exactly this text, on one line, with no markup."""
    return _escape_line_start(_escape_inline(one_line(text)))


# Literal API text is the vendor's English in either edition: marked so, a screen reader reading
# a Chinese page says it in English instead of spelling it out with Chinese rules (WCAG 3.1.2).
LITERAL_CODE_OPEN = '<code lang="en">'


def md_code(text: str) -> str:
    """Literal API text (error type, message, path) as inline code, marked as English."""
    return f"{LITERAL_CODE_OPEN}{_escape_inline(one_line(text))}</code>"


def md_prose(text: str) -> str:
    """Prose with `backtick` spans as inline code; everything else is shown as text."""
    parts = one_line(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is just a character
        return md_escape(text)
    rendered = "".join(
        f"<code>{_escape_inline(part)}</code>" if index % 2 else _escape_inline(part)
        for index, part in enumerate(parts)
    )
    return _escape_line_start(rendered)


def md_fence(text: str, language: str = "") -> str:
    """Text as a fenced code block, shown exactly: the fence is longer than any run of backticks in
    it, so no line of the text can close the block early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def html_text(text: str) -> str:
    """Text for an HTML attribute, or a page title (themes insert titles into HTML unescaped)."""
    return html.escape(one_line(text), quote=True)


def html_prose(text: str) -> Markup:
    """Prose for HTML fragments: escaped text, `backtick` spans as <code>."""
    parts = one_line(text).split("`")
    if len(parts) % 2 == 0:
        return Markup(html.escape(one_line(text)))
    return Markup("".join(f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)))


def html_path(text: str) -> Markup:
    """An API path for HTML fragments: escaped, with a line-break opportunity (<wbr>) after each
    "/", so a long path wraps between its segments on a narrow screen instead of widening the table."""
    return Markup(html.escape(str(text)).replace("/", "/<wbr>"))


def front_matter_text(text: str) -> str:
    """A YAML front-matter value (JSON is YAML) holding HTML-escaped text."""
    return json.dumps(html_text(text), ensure_ascii=False)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def _escape_inline(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def _escape_line_start(text: str) -> str:
    """A value placed at the start of a line must not become a heading, list or quote."""
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), text)


def commonmark_text(text: str) -> str:
    """Text -> CommonMark that renders as exactly this text, on one line, with no markup."""
    return _commonmark_line_start(_commonmark_inline(one_line(text)))


def commonmark_code(text: str) -> str:
    """Literal API text as a CommonMark code span, byte for byte: the fence is one backtick longer
    than the longest run inside, and a space pads content that starts or ends with a backtick
    (CommonMark strips one space from each side of such a span)."""
    content = str(text)
    if "\n" in content or "\r" in content:  # a line break would let the next line start a block
        content = _LINE_BREAK.sub(" ", content)
    if not content:
        return ""
    fence = "`" * (max(map(len, _BACKTICK_RUN.findall(content))) + 1) if "`" in content else "`"
    padded = content[0] == "`" or content[-1] == "`" or (content[0] == " " and content[-1] == " ")
    return f"{fence} {content} {fence}" if padded else f"{fence}{content}{fence}"


def commonmark_prose(text: str) -> str:
    """Prose with `backtick` spans as code spans; everything else is shown as text."""
    parts = one_line(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is just a character
        return commonmark_text(text)
    rendered = "".join(
        commonmark_code(part) if index % 2 else _commonmark_inline(part) for index, part in enumerate(parts)
    )
    return _commonmark_line_start(rendered)


def _commonmark_inline(text: str) -> str:
    def escaped(match: re.Match[str]) -> str:
        char, at = match.group(), match.start()
        # An underscore between two letters or digits never opens or closes emphasis: identifiers
        # such as auth_bad_access_token stay as they are.
        if char == "_" and 0 < at < len(text) - 1 and _is_word(text[at - 1]) and _is_word(text[at + 1]):
            return char
        return _COMMONMARK_ENTITIES.get(char) or "\\" + char

    return _COMMONMARK_INLINE.sub(escaped, text)


def _is_word(char: str) -> bool:
    return char.isalnum()


def _commonmark_line_start(text: str) -> str:
    """Text that starts a line must not start a quote, a list or a thematic break."""
    match = _COMMONMARK_LINE_START.match(text)
    if match is None:
        return text
    if match.group().isdigit():  # "1." and "1)" start an ordered list: escape the delimiter
        return match.group() + "\\" + text[match.end() :]
    return "\\" + text
