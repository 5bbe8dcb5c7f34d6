"""`mkdocs serve`: reuse the pages an edit did not change (bookkeeping in ``page_cache``).

The plugin hands each MkDocs event to the method of the same name; this module moves the cached
values in and out of MkDocs' pages through their public attributes only, and imports nothing of
MkDocs (its objects are used as they are passed in).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from generator.page_cache import CompiledTemplates, PageCache, RenderedPage, digest
from generator.search_patch import SEARCH_INDEX

# In mkdocs_build.THEME_OVERRIDES: writes the last build's HTML of a page as it is.
REUSED_PAGE_TEMPLATE = "error-catalog-reused-page.html"
REUSED_PAGE_VARIABLE = "error_catalog_reused_html"


class ServeReuse:
    """One per `mkdocs serve`; lives across its rebuilds."""

    def __init__(self) -> None:
        self.cache = PageCache()
        self._compiled_templates = CompiledTemplates()
        self._navigation: Any = None
        self._doc_pages: list[Any] = []
        self._render_inputs = ""
        self._render_keys: dict[str, str] = {}
        self._output_keys: dict[str, str] = {}
        self._reused_renders: dict[str, RenderedPage] = {}
        self._reused_outputs: dict[str, str] = {}

    def on_nav(self, nav: Any, config: Any, files: Any) -> None:
        self.cache.start_build()
        self._navigation = nav
        # How Markdown converts depends on its settings and on which files links can resolve to.
        self._render_inputs = digest(
            config.markdown_extensions,
            config.mdx_configs,
            config.validation,
            config.use_directory_urls,
            sorted(f.src_uri for f in files),
        )
        self._render_keys = {}
        self._reused_renders = {}
        self._reused_outputs = {}
        self._output_keys = {}

    def on_page_markdown(self, markdown: str, page: Any, finished_blocks: dict[str, str]) -> str:
        key = digest(self._render_inputs, page.file.src_uri, markdown, "".join(finished_blocks.values()))
        self._render_keys[page.file.src_uri] = key
        cached = self.cache.reusable_render(page.file.src_uri, key)
        if cached is None:
            return markdown
        self._reused_renders[page.file.src_uri] = cached
        return ""  # converts in no time; on_page_content puts the last build's HTML back

    def on_page_content(self, html: str, page: Any, files: Any) -> str:
        src_uri = page.file.src_uri
        cached = self._reused_renders.get(src_uri)
        if cached is None:
            self.cache.stage_render(src_uri, _rendered(page, self._render_keys[src_uri], html))
            return html
        # What converting the Markdown would have set.
        page.toc = cached.toc
        if cached.title is not None and "title" not in page.meta:
            page.meta["title"] = cached.title
        page.present_anchor_ids = set(cached.present_anchor_ids)
        page.links_to_anchors = (
            None
            if cached.links_to_anchors is None
            else {
                linked: links
                for uri, links in cached.links_to_anchors.items()
                if (linked := files.get_file_from_path(uri)) is not None
            }
        )
        return cached.content

    def on_env(self, env: jinja2.Environment, config: Any, files: Any) -> None:
        env.bytecode_cache = self._compiled_templates
        # Every page is converted now, so the navigation's titles are final.
        site = digest(_site_inputs(config, self._navigation))
        self._doc_pages = [file.page for file in files.documentation_pages() if file.page is not None]
        for page in self._doc_pages:
            src_uri = page.file.src_uri
            key = self._output_keys[src_uri] = digest(site, self._render_keys.get(src_uri))
            if src_uri not in self._reused_renders:
                continue
            built = self.cache.reusable_output(src_uri, key)
            if built is not None:
                # The theme writes the last build's HTML as it is, and search takes its documents
                # from the cache (on_post_build), so neither walks the page again.
                self._reused_outputs[src_uri] = built.html
                page.meta["template"] = REUSED_PAGE_TEMPLATE
                page.meta["search"] = {"exclude": True}
                page.content = ""

    def on_page_context(self, context: dict[str, Any], page: Any) -> dict[str, Any]:
        if page.file.src_uri in self._reused_outputs:
            context[REUSED_PAGE_VARIABLE] = self._reused_outputs[page.file.src_uri]
        return context

    def is_reused(self, page: Any) -> bool:
        """The page's output is the last build's, finished already."""
        return page.file.src_uri in self._reused_outputs

    def stage_output(self, page: Any, output: str) -> None:
        self.cache.stage_output(page.file.src_uri, self._output_keys[page.file.src_uri], output)

    def on_post_build(self, site_dir: Path) -> int:
        """Complete the search index and keep this build for the next; returns the pages reused."""
        index_file = site_dir / SEARCH_INDEX
        if index_file.is_file():  # no index without a search plugin
            pages = [(page.url, page.file.src_uri) for page in self._doc_pages]
            merged = self.cache.merge_search_index(index_file.read_text(encoding="utf-8"), pages)
            index_file.write_text(merged, encoding="utf-8")
        reused = self.cache.reused_count
        self.cache.commit()
        return reused

    def on_build_error(self) -> None:
        self.cache.clear()  # the next build starts from nothing rather than from half a build


class NoReuse:
    """``ServeReuse``'s interface for a plain build: every page is made afresh."""

    def on_nav(self, nav: Any, config: Any, files: Any) -> None:
        pass

    def on_page_markdown(self, markdown: str, page: Any, finished_blocks: dict[str, str]) -> str:
        return markdown

    def on_page_content(self, html: str, page: Any, files: Any) -> str:
        return html

    def on_env(self, env: jinja2.Environment, config: Any, files: Any) -> None:
        pass

    def on_page_context(self, context: dict[str, Any], page: Any) -> dict[str, Any]:
        return context

    def is_reused(self, page: Any) -> bool:
        return False

    def stage_output(self, page: Any, output: str) -> None:
        pass

    def on_post_build(self, site_dir: Path) -> int | None:
        return None

    def on_build_error(self) -> None:
        pass


def _rendered(page: Any, key: str, html: str) -> RenderedPage:
    links = page.links_to_anchors
    return RenderedPage(
        key=key,
        content=html,
        toc=page.toc,
        title=page.title,
        present_anchor_ids=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else {linked.src_uri: dict(to) for linked, to in links.items()},
    )


def _site_inputs(config: Any, nav: Any) -> list[Any]:
    """What a page's HTML depends on besides its own content: mkdocs.yml, the URL it is served
    at, theme overrides, and the navigation (titles, URLs, order: the sidebar and the footer)."""
    config_file = Path(config.config_file_path or "")
    inputs: list[Any] = [config_file.read_bytes() if config_file.is_file() else b"", config.site_url]
    if config.theme.custom_dir:
        overrides = Path(config.theme.custom_dir)
        inputs.append(sorted((str(f), f.stat().st_mtime_ns) for f in overrides.rglob("*") if f.is_file()))
    inputs.append(_nav_outline(nav.items))
    return inputs


def _nav_outline(items: list[Any]) -> list[Any]:
    outline: list[Any] = []
    for item in items:
        children = getattr(item, "children", None)
        if children is not None and getattr(item, "is_section", False):
            outline.append(("section", item.title, _nav_outline(children)))
        else:
            outline.append((type(item).__name__, item.title, item.url))
    return outline
