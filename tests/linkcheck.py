"""A link checker for a built site: every internal href/src resolves to a file, every #fragment to an id.

Used by the site tests; works on the HTML MkDocs wrote, so raw-HTML links in Markdown are covered too.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_EXTERNAL_SCHEMES = {"http", "https", "mailto"}
_FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}


@dataclass(frozen=True)
class BrokenLink:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        for name in ("href", "src"):
            if values.get(name) is not None and not (tag == "link" and values.get("rel") in ("preconnect",)):
                self.links.append(values[name] or "")


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_site_links(site_dir: Path) -> list[BrokenLink]:
    """Every broken internal link or fragment in every HTML page under ``site_dir``."""
    site_dir = site_dir.resolve()
    pages = {path: _parse(path) for path in sorted(site_dir.rglob("*.html"))}
    broken: list[BrokenLink] = []
    for path, parsed in pages.items():
        page = path.relative_to(site_dir).as_posix()
        for link in parsed.links:
            reason = _check_link(site_dir, path, link, pages)
            if reason:
                broken.append(BrokenLink(page, link, reason))
    return broken


def _check_link(site_dir: Path, page: Path, link: str, pages: dict[Path, _PageParser]) -> str | None:
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme in _FORBIDDEN_SCHEMES:
        return f"{scheme}: URLs are not allowed"
    if scheme in _EXTERNAL_SCHEMES or parts.netloc:
        return None
    if scheme:
        return f"unknown scheme {scheme!r}"
    if parts.path:
        base = site_dir if parts.path.startswith("/") else page.parent
        target = (base / unquote(parts.path).lstrip("/")).resolve()
        if site_dir != target and site_dir not in target.parents:
            return "points outside the site"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    else:
        target = page
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html":
        ids = pages[target].ids if target in pages else _parse(target).ids
        if fragment not in ids:
            return f"no element with id {fragment!r}"
    return None
