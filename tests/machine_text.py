"""Reading what the site publishes for machines, the way a client does: llms.txt by the llms.txt
proposal's structure, and Markdown through a real Markdown parser (Python-Markdown, which MkDocs
depends on), so tests see the elements a reader's renderer would make."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

# A line of an llms.txt file list: `- [name](url)`, optionally `: notes`. The name holds no `]`
# and the URL no `)` or space, so a parser that reads them up to those characters gets them whole.
_FILE_LINE = re.compile(r"- \[(?P<name>[^\]\n]+)\]\((?P<url>[^)\s]+)\)(?:: (?P<note>.+))?")


@dataclass(frozen=True)
class FileLink:
    name: str
    url: str
    note: str | None


@dataclass(frozen=True)
class LlmsTxt:
    title: str
    summary: str
    details: list[str]
    sections: dict[str, list[FileLink]]


def parse_llms_txt(text: str) -> LlmsTxt:
    """The parts of an llms.txt file; AssertionError where it departs from the proposal: an H1,
    a blockquote, blocks that are not headings, then H2 sections of file lists only."""
    assert text.endswith("\n") and "\r" not in text
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0].startswith("# ") and "\n" not in blocks[0], blocks[0]
    assert blocks[1].startswith("> ") and "\n" not in blocks[1], blocks[1]
    details: list[str] = []
    sections: dict[str, list[FileLink]] = {}
    current: list[FileLink] | None = None
    for block in blocks[2:]:
        if block.startswith("## "):
            heading = block.removeprefix("## ")
            assert "\n" not in heading and heading not in sections, block
            current = sections[heading] = []
            continue
        assert not block.startswith("#"), f"only H2 headings after the H1: {block!r}"
        if current is None:
            details.append(block)
            continue
        for line in block.split("\n"):
            match = _FILE_LINE.fullmatch(line)
            assert match, f"not a file-list line: {line!r}"
            current.append(FileLink(match["name"], match["url"], match["note"]))
    return LlmsTxt(blocks[0].removeprefix("# "), blocks[1].removeprefix("> "), details, sections)


class RenderedMarkdown(HTMLParser):
    """The HTML a Markdown text renders to, taken apart: tags, attributes, link targets, texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []
        self.codes: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self.text = ""
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes |= {name for name, _ in attrs}
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self._open.append(tag)
        if tag == "code":
            self.codes.append("")
        if tag in ("h1", "h2"):
            self.headings.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        if "code" in self._open:
            self.codes[-1] += data
        for heading in ("h1", "h2"):
            if heading in self._open:
                self.headings[heading][-1] += data


def render_markdown(text: str) -> RenderedMarkdown:
    """``text`` through Python-Markdown, with attribute lists on (a renderer a reader may use, and
    one more syntax that must not fire)."""
    rendered = RenderedMarkdown()
    rendered.feed(markdown.markdown(text, extensions=["attr_list", "fenced_code"]))  # CommonMark has fences
    rendered.close()
    return rendered
