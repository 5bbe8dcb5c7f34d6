"""Every URL of the site, decided here: page sources, built URLs, links between pages.

A page is named by its source URI (``errors/<slug>.md``); MkDocs builds it at a directory URL
(``errors/<slug>/``). Markdown links point at sources so MkDocs resolves and validates them;
finished HTML gets built URLs, which MkDocs leaves alone. The browser scripts receive the
patterns of ``url_patterns`` and fill them in; they build no URL of their own.
"""

from __future__ import annotations

import functools
import posixpath

HOME_URI = "index.md"
LOOKUP_URI = "lookup/index.md"
STATUSES_URI = "statuses/index.md"
MODULES_URI = "modules/index.md"
CATEGORIES_URI = "categories/index.md"
REMEDIES_URI = "remedies/index.md"
TYPES_URI = "types/index.md"
ALL_ERRORS_URI = "errors/index.md"
# The overview pages by name, in navigation order.
OVERVIEW_URIS = {
    "home": HOME_URI,
    "lookup": LOOKUP_URI,
    "statuses": STATUSES_URI,
    "modules": MODULES_URI,
    "categories": CATEGORIES_URI,
    "remedies": REMEDIES_URI,
    "types": TYPES_URI,
    "all_errors": ALL_ERRORS_URI,
}
# The status whose page explains the vendor's call limits, and the anchor of that section.
RATE_LIMITS_STATUS = 429
RATE_LIMITS_ANCHOR = "rate-limits"

# The browser scripts that only some pages load, named in their front matter (``scripts:``, paths
# from the site root; generator/theme_overrides/main.html places them).
PAGE_SCRIPTS = {"lookup": "assets/lookup.js", "all_errors": "assets/errors-table.js"}
CATALOG_JSON = "catalog.json"
CATALOG_SCHEMA_JSON = "catalog.schema.json"
ALL_ERRORS_ROWS = "all-errors.json"
LLMS_TXT = "llms.txt"


def entry_uri(slug: str) -> str:
    return f"errors/{slug}.md"


def entry_twin_path(slug: str) -> str:
    """The Markdown twin of an entry page (``machine_readable``): ``errors/<slug>.md``, beside the
    page's folder ``errors/<slug>/``. The page's URL with ``.md`` in place of its final slash is
    where agents look first (the ``.md`` convention of llms.txt sites); static hosts such as
    GitHub Pages, like ``mkdocs serve`` and Python's http.server, serve a ``*.md`` file as
    ``text/markdown`` by its extension; and out of the page's folder, no host takes it for the
    folder's index."""
    return f"errors/{slug}.md"


def status_uri(code: int | str) -> str:
    return f"statuses/{code}.md"


def module_uri(key: str) -> str:
    return f"modules/{key}.md"


def category_uri(key: str) -> str:
    return f"categories/{key}.md"


def alias_redirect_path(alias: str) -> str:
    """The file that keeps a renamed entry's old URL working."""
    return f"errors/{alias}/index.html"


def built_url(uri: str) -> str:
    """Site-relative URL MkDocs builds a source at: ``errors/x.md`` -> ``errors/x/``, ``index.md`` -> ``""``."""
    stem = directory_url(uri)
    return f"{stem}/" if stem else ""


def directory_url(uri: str) -> str:
    """``errors/x.md`` -> ``errors/x``; ``errors/index.md`` -> ``errors``; ``index.md`` -> ``""``."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index")


def absolute_url(site_url: str, uri: str, anchor: str = "") -> str:
    """The published URL of a page source, for catalog.json and the CLI."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + built_url(uri) + (f"#{anchor}" if anchor else "")


def absolute_file_url(site_url: str, path: str) -> str:
    """The published URL of a static file at ``path`` (``errors/x.md``, ``catalog.json``)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + path


@functools.lru_cache(maxsize=65536)
def relative_path(target: str, from_dir: str) -> str:
    """``posixpath.relpath`` for site-relative paths, without touching the file system (it is
    called for every link of every page)."""
    target_parts = [p for p in target.split("/") if p]
    from_parts = [p for p in from_dir.split("/") if p]
    common = 0
    while common < min(len(target_parts), len(from_parts)) and target_parts[common] == from_parts[common]:
        common += 1
    parts = [".."] * (len(from_parts) - common) + target_parts[common:]
    return "/".join(parts) or "."


class Linker:
    """Relative links from one page (``page_uri``) to the others."""

    def __init__(self, page_uri: str):
        self.page_uri = page_uri
        self.root = self.html(HOME_URI)

    def to(self, target_uri: str, anchor: str = "") -> str:
        """A Markdown link target: the source, relative to this page's source."""
        path = relative_path(target_uri, posixpath.dirname(self.page_uri))
        return f"{path}#{anchor}" if anchor else path

    def html(self, target_uri: str, anchor: str = "") -> str:
        """A finished-HTML link target: the built URL, relative to this page's built URL."""
        path = relative_path(directory_url(target_uri), directory_url(self.page_uri))
        path = "./" if path == "." else path + "/"
        return f"{path}#{anchor}" if anchor else path

    def file(self, path: str) -> str:
        """A static file at the site root (``catalog.json``), relative to this page's built URL."""
        return self.root + path

    def script(self, name: str) -> str:
        """A page script by name (``PAGE_SCRIPTS``), from the site root: front matter ``scripts:``
        entries, which the theme makes relative to the page."""
        return PAGE_SCRIPTS[name]

    def overview(self, name: str) -> str:
        """A Markdown link to an overview page by name (``OVERVIEW_URIS``)."""
        return self.to(OVERVIEW_URIS[name])

    def overview_html(self, name: str, anchor: str = "") -> str:
        return self.html(OVERVIEW_URIS[name], anchor)

    def entry(self, slug: str) -> str:
        return self.to(entry_uri(slug))

    def status(self, code: int) -> str:
        return self.to(status_uri(code))

    def module(self, key: str) -> str:
        return self.to(module_uri(key))

    def category(self, key: str) -> str:
        return self.to(category_uri(key))

    def rate_limits(self) -> str:
        """The section of the 429 page that explains the call limits."""
        return self.to(status_uri(RATE_LIMITS_STATUS), RATE_LIMITS_ANCHOR)


class SiteRootLinker(Linker):
    """Links from a page served at any depth (the 404 page, which a host serves for every missing
    path): built URLs from the site's root path (``/``, ``/en/``, ``/pr-preview/pr-7/``)."""

    def __init__(self, root_path: str):
        self.page_uri = HOME_URI
        self.root = root_path if root_path.endswith("/") else root_path + "/"

    def to(self, target_uri: str, anchor: str = "") -> str:
        return self.html(target_uri, anchor)  # such a page is finished HTML: built URLs only

    def html(self, target_uri: str, anchor: str = "") -> str:
        path = self.root + built_url(target_uri)
        return f"{path}#{anchor}" if anchor else path


class RootUrls:
    """Built URLs through ``root``, the way back to the site root from a page. Rows of entry
    tables are rendered once per root and reused on every page at that depth."""

    def __init__(self, root: str, type_anchors: dict[str | None, str]):
        self.root = root
        self._type_anchors = type_anchors

    def entry(self, slug: str) -> str:
        return self.root + built_url(entry_uri(slug))

    def status(self, code: int) -> str:
        return self.root + built_url(status_uri(code))

    def module(self, key: str) -> str:
        return self.root + built_url(module_uri(key))

    def api(self, module_key: str, api_id: str) -> str:
        return f"{self.module(module_key)}#{api_id}"

    def category(self, key: str) -> str:
        return self.root + built_url(category_uri(key))

    def rate_limits(self) -> str:
        return f"{self.status(RATE_LIMITS_STATUS)}#{RATE_LIMITS_ANCHOR}"

    def error_type(self, error_type: str | None) -> str:
        return f"{self.root}{built_url(TYPES_URI)}#{self._type_anchors[error_type]}"


def url_patterns(root: str) -> dict[str, str]:
    """What the browser scripts fill in (``{slug}``, ``{code}``, ``{key}``, ``{id}``), each
    relative to the page through ``root``, the way back to the site root; ``rate_limits`` is whole."""
    return {
        "entry": root + built_url(entry_uri("{slug}")),
        "status": root + built_url(status_uri("{code}")),
        "module": root + built_url(module_uri("{key}")),
        "api": root + built_url(module_uri("{key}")) + "#{id}",
        "rate_limits": root + built_url(status_uri(RATE_LIMITS_STATUS)) + "#" + RATE_LIMITS_ANCHOR,
    }
