"""Reuse of unchanged pages between `mkdocs serve` rebuilds.

A maintainer's edit to one entry changes a handful of pages; rebuilding all ~300 of them
(Markdown, search indexing with jieba, the theme) is most of a rebuild. This cache keeps, per page,
what the last successful build made of it, at two levels:

- ``RenderedPage``: the Markdown conversion. Valid while the page's Markdown, the Markdown
  settings and the set of pages (which decides how links resolve) are unchanged.
- ``BuiltPage``: the finished HTML and the page's search-index documents. Valid while the
  rendered page is, and the site around it (navigation titles and URLs, mkdocs.yml, theme
  overrides) is unchanged.

Keys are digests of exactly those inputs, so a hit is the page a full build would write. Entries
are staged during a build and committed only when it succeeds; a failed build empties the cache.
This module is pure bookkeeping; ``serve_reuse`` moves the values in and out of MkDocs' pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2.bccache import Bucket


def digest(*parts: object) -> str:
    """A stable key over ``parts`` (strings as they are, anything else by ``repr``)."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update((part if isinstance(part, str) else repr(part)).encode("utf-8", "surrogatepass"))
        sha.update(b"\x00")
    return sha.hexdigest()


@dataclass(frozen=True)
class RenderedPage:
    key: str
    content: str
    toc: Any
    title: str | None
    present_anchor_ids: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None
    """``{src_uri of the linked page: {anchor: link as written}}``, for MkDocs' anchor validation."""


@dataclass(frozen=True)
class BuiltPage:
    key: str
    html: str
    search_docs: tuple[dict[str, Any], ...] = ()


def page_of_location(location: str) -> str:
    """The page URL a search document belongs to: ``errors/x/#cause`` -> ``errors/x/``."""
    return location.split("#", 1)[0]


@dataclass
class PageCache:
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    built: dict[str, BuiltPage] = field(default_factory=dict)
    _staged_rendered: dict[str, RenderedPage] = field(default_factory=dict)
    _staged_built: dict[str, BuiltPage] = field(default_factory=dict)
    _reused: set[str] = field(default_factory=set)
    """The pages (``src_uri``) whose finished HTML this build reuses."""

    def start_build(self) -> None:
        self._staged_rendered = {}
        self._staged_built = {}
        self._reused = set()

    def reusable_render(self, src_uri: str, key: str) -> RenderedPage | None:
        page = self.rendered.get(src_uri)
        if page is None or page.key != key:
            return None
        self._staged_rendered[src_uri] = page
        return page

    def stage_render(self, src_uri: str, page: RenderedPage) -> None:
        self._staged_rendered[src_uri] = page

    def reusable_output(self, src_uri: str, key: str) -> BuiltPage | None:
        page = self.built.get(src_uri)
        if page is None or page.key != key:
            return None
        self._staged_built[src_uri] = page
        self._reused.add(src_uri)
        return page

    def stage_output(self, src_uri: str, key: str, html: str) -> None:
        self._staged_built[src_uri] = BuiltPage(key, html)

    @property
    def reused_count(self) -> int:
        return len(self._reused)

    def merge_search_index(self, index_json: str, page_urls: Iterable[tuple[str, str]]) -> str:
        """Complete the search index of a build that skipped the reused pages.

        ``index_json`` is the index the search plugin wrote (documents of the pages built this
        time); ``page_urls`` lists every page as ``(url, src_uri)`` in build order. Returns the
        index with each page's documents in that order, and remembers the fresh documents.
        """
        index = json.loads(index_json)
        fresh: dict[str, list[dict[str, Any]]] = {}
        for doc in index["docs"]:
            fresh.setdefault(page_of_location(doc["location"]), []).append(doc)
        docs: list[dict[str, Any]] = []
        for url, src_uri in page_urls:
            if src_uri in self._reused:
                docs.extend(self._staged_built[src_uri].search_docs)
                continue
            page_docs = fresh.get(url, [])
            docs.extend(page_docs)
            staged = self._staged_built.get(src_uri)
            if staged is not None:
                self._staged_built[src_uri] = BuiltPage(staged.key, staged.html, tuple(page_docs))
        index["docs"] = docs
        return json.dumps(index, separators=(",", ":"), default=str)

    def commit(self) -> None:
        """The build succeeded: what it made is what the next build may reuse."""
        self.rendered = self._staged_rendered
        self.built = self._staged_built
        self.start_build()

    def clear(self) -> None:
        self.rendered = {}
        self.built = {}
        self.start_build()


class CompiledTemplates(jinja2.BytecodeCache):
    """Theme templates compiled once per `mkdocs serve` instead of once per rebuild.

    MkDocs makes a new theme environment for every build; compiling Material's templates again
    is a noticeable part of a rebuild. Jinja stores each template's source checksum with its code, so an edited
    override template is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()
