"""Catalog -> ``{uri: markdown}``: every generated page, rendered through Jinja, with no I/O.

Catalog text is untrusted. Templates never insert it raw: the filters below turn it into Markdown
that Python-Markdown cannot interpret (every character with a meaning becomes an HTML entity), so
neither HTML, Markdown links nor table pipes from the catalog reach the page as markup.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from markupsafe import Markup

from generator.memory import collector_paused
from generator.model import ALL_MODULES, Catalog, ErrorEntry, HttpStatus, Module
from generator.problems import display_path
from generator.relations import ApiRef, CatalogRelations

TEMPLATES_DIR = Path(__file__).parent / "templates"

# Characters that start Markdown (or extension) syntax anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>&|~^=:$!\"']")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+\-*>]|\d+[.)])")

RETRY_LABELS = {
    "never": "否：修正请求或配置后再调用",
    "with_backoff": "可以：等待后重试（指数退避）",
    "not_applicable": "不适用",
}


def md_escape(text: str) -> str:
    """Text -> Markdown that renders as exactly this text, on one line, with no markup."""
    return _escape_line_start(_escape_inline(_one_line(text)))


def md_code(text: str) -> str:
    """Literal API text (error type, message, path) as inline code."""
    return f"<code>{_escape_inline(_one_line(text))}</code>"


def md_prose(text: str) -> str:
    """Prose with `backtick` spans as inline code; everything else is shown as text."""
    parts = _one_line(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is just a character
        return md_escape(text)
    rendered = "".join(
        f"<code>{_escape_inline(part)}</code>" if index % 2 else _escape_inline(part)
        for index, part in enumerate(parts)
    )
    return _escape_line_start(rendered)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _escape_inline(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def _escape_line_start(text: str) -> str:
    """A value placed at the start of a line must not become a heading, list or quote."""
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), text)


def html_text(text: str) -> str:
    """Text for an HTML attribute, or a page title (themes insert titles into HTML unescaped)."""
    return html.escape(" ".join(str(text).split()), quote=True)


def first_sentence(text: str) -> str:
    """The first sentence of Chinese prose, for one-line summaries in tables."""
    match = re.match(r"(.+?[。！？])", _one_line(text))
    return match.group(1) if match else _one_line(text)


@dataclass(frozen=True)
class PageSpec:
    uri: str
    template: str
    context: dict[str, Any]
    in_nav: bool = True


def entry_uri(entry: ErrorEntry) -> str:
    return f"errors/{entry.slug}.md"


def status_uri(status: HttpStatus | int) -> str:
    code = status if isinstance(status, int) else status.code
    return f"statuses/{code}.md"


def module_uri(module: Module | str) -> str:
    key = module if isinstance(module, str) else module.key
    return f"modules/{key}.md"


def category_uri(key: str) -> str:
    return f"categories/{key}.md"


HOME_URI = "index.md"
STATUSES_URI = "statuses/index.md"
MODULES_URI = "modules/index.md"
CATEGORIES_URI = "categories/index.md"
TYPES_URI = "types/index.md"
LOOKUP_URI = "lookup/index.md"
REMEDIES_URI = "remedies/index.md"
ALL_ERRORS_URI = "errors/index.md"


def page_specs(catalog: Catalog) -> list[PageSpec]:
    """Every page the catalog produces, in navigation order."""
    return [
        PageSpec(HOME_URI, "home_page.md.jinja", {}),
        PageSpec(LOOKUP_URI, "lookup_page.md.jinja", {}),
        PageSpec(STATUSES_URI, "statuses_page.md.jinja", {}),
        *(PageSpec(status_uri(s), "status_page.md.jinja", {"status": s}, False) for s in catalog.statuses),
        PageSpec(MODULES_URI, "modules_page.md.jinja", {}),
        *(PageSpec(module_uri(m), "module_page.md.jinja", {"module": m}, False) for m in catalog.modules),
        PageSpec(CATEGORIES_URI, "categories_page.md.jinja", {}),
        *(PageSpec(category_uri(c.key), "category_page.md.jinja", {"category": c}, False) for c in catalog.categories),
        PageSpec(REMEDIES_URI, "remedies_page.md.jinja", {}),
        PageSpec(TYPES_URI, "types_page.md.jinja", {}),
        PageSpec(ALL_ERRORS_URI, "all_errors_page.md.jinja", {}),
        *(PageSpec(entry_uri(e), "entry_page.md.jinja", {"entry": e}, False) for e in catalog.entries),
    ]


def html_prose(text: str) -> Markup:
    """Prose for HTML fragments: escaped text, `backtick` spans as <code>."""
    parts = _one_line(text).split("`")
    if len(parts) % 2 == 0:
        return Markup(html.escape(_one_line(text)))
    return Markup("".join(f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)))


def _common_filters(env: jinja2.Environment) -> None:
    env.filters.update(
        md_escape=md_escape,
        md_code=md_code,
        md_prose=md_prose,
        html_text=html_text,
        first_sentence=first_sentence,
        html_prose=html_prose,
        front_matter_text=lambda text: json.dumps(html_text(text), ensure_ascii=False),
        json_block=lambda value: json.dumps(value, ensure_ascii=False, indent=2),
        finished_html=finished_html,
    )


def make_environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """Our Jinja environment for Markdown pages: user template folders first, then the package's."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*map(str, template_dirs), str(TEMPLATES_DIR)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown output: escaping is explicit through the md_* filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    _common_filters(env)
    return env


def make_html_environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """The environment for ``*.html.jinja`` fragments: HTML-autoescaped, same template search path."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*map(str, template_dirs), str(TEMPLATES_DIR)]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    _common_filters(env)
    return env


def environments(template_dirs: Sequence[Path] = ()) -> tuple[jinja2.Environment, jinja2.Environment]:
    """The Markdown and HTML environments for these folders, reused from build to build.

    Compiling the templates is a third of a render; `mkdocs serve` renders on every edit. Jinja
    recompiles a template whose file changed; a file added to an override folder changes the key.
    """
    listing = tuple(
        sorted(str(path) for folder in template_dirs if folder.is_dir() for path in folder.rglob("*.jinja"))
    )
    return _environments(tuple(map(str, template_dirs)), listing)


@functools.lru_cache(maxsize=4)
def _environments(template_dirs: tuple[str, ...], _listing: tuple[str, ...]) -> tuple[jinja2.Environment, ...]:
    folders = [Path(folder) for folder in template_dirs]
    return make_environment(folders), make_html_environment(folders)


class Linker:
    """Relative links from one generated page to others.

    Markdown links point at ``.md`` sources so MkDocs resolves and validates them; raw HTML
    fragments get the built URL (``html_*``), which MkDocs leaves alone.
    """

    def __init__(self, rel: CatalogRelations, page_uri: str):
        self.rel = rel
        self.page_uri = page_uri

    def to(self, target_uri: str, anchor: str = "") -> str:
        path = relative_path(target_uri, posixpath.dirname(self.page_uri))
        return f"{path}#{anchor}" if anchor else path

    def html(self, target_uri: str, anchor: str = "") -> str:
        """Built URL of ``target_uri`` relative to this page's built URL (directory URLs)."""
        path = relative_path(_directory_url(target_uri), _directory_url(self.page_uri))
        path = "./" if path == "." else path + "/"
        return f"{path}#{anchor}" if anchor else path

    def entry(self, entry: ErrorEntry) -> str:
        return self.to(entry_uri(entry))

    def status(self, status: HttpStatus | int) -> str:
        return self.to(status_uri(status))

    def module(self, module: Module | str) -> str:
        return self.to(module_uri(module))

    def api(self, ref: ApiRef) -> str:
        return self.to(module_uri(ref.module), ref.api.id)

    def category(self, key: str) -> str:
        return self.to(category_uri(key))

    def error_type(self, error_type: str | None) -> str:
        return self.to(TYPES_URI, self.rel.type_anchors[error_type])

    def error_type_html(self, error_type: str | None) -> str:
        return self.html(TYPES_URI, self.rel.type_anchors[error_type])

    def remedy_html(self, entry: ErrorEntry) -> str:
        """The entry's line on the code-to-remedy page (an HTML list, so a built URL)."""
        return self.html(REMEDIES_URI, entry.slug)

    def statuses(self) -> str:
        return self.to(STATUSES_URI)

    def modules(self) -> str:
        return self.to(MODULES_URI)

    def categories(self) -> str:
        return self.to(CATEGORIES_URI)

    def types(self) -> str:
        return self.to(TYPES_URI)

    def lookup(self) -> str:
        return self.to(LOOKUP_URI)

    def remedies(self) -> str:
        return self.to(REMEDIES_URI)

    def all_errors(self) -> str:
        return self.to(ALL_ERRORS_URI)


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


def _directory_url(uri: str) -> str:
    """``errors/x.md`` -> ``errors/x``; ``errors/index.md`` -> ``errors``; ``index.md`` -> ``""``."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index")


def status_text(entry: ErrorEntry) -> str:
    """The HTTP status as plain text, or what the source gives instead (an error code, a class)."""
    if entry.status is not None:
        return str(entry.status)
    if entry.error_code is not None:
        return f"错误码 {entry.error_code}"
    return entry.status_class or ""


def entry_title(entry: ErrorEntry) -> str:
    """Page title: status, type and message, so search and browser tabs show all three."""
    error = entry.error or (entry.error_label.zh if entry.error_label else "未注明类型")
    message = entry.message or ("任意错误提示" if entry.message_any else "未注明错误提示")
    return f"{status_text(entry)} {error}: {message}"


FINISHED_HTML_START = "<!--ec:finished-->"
FINISHED_HTML_END = "<!--/ec:finished-->"
_FINISHED_HTML = re.compile(
    "^" + re.escape(FINISHED_HTML_START) + r"\n(.*?)\n" + re.escape(FINISHED_HTML_END) + "$", re.S | re.M
)


def finished_html(fragment: str) -> str:
    """Mark HTML the generator has finished (escaped, links resolved) for ``lift_finished_html``."""
    return f"{FINISHED_HTML_START}\n{fragment}\n{FINISHED_HTML_END}"


def lift_finished_html(markdown: str) -> tuple[str, dict[str, str]]:
    """Take the finished HTML blocks out of a page's Markdown, leaving an empty placeholder each.

    Python-Markdown walks raw HTML with a pure-Python parser, and so does the search indexer;
    for the big entry tables (excluded from search anyway) that was most of the build. The
    blocks go back in the page's final HTML with ``restore_finished_html``. Without the lift, the
    Markdown renders the same page (``python -m generator render`` writes it that way).
    """
    blocks: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        key = f'<div data-ec-finished="{len(blocks)}"></div>'
        blocks[key] = match.group(1)
        return key

    return _FINISHED_HTML.sub(placeholder, markdown), blocks


def restore_finished_html(page_html: str, blocks: dict[str, str]) -> tuple[str, list[str]]:
    """Put lifted blocks back; returns the HTML and the placeholders that were not found."""
    missing = []
    for key, block in blocks.items():
        if key in page_html:
            page_html = page_html.replace(key, block, 1)
        else:
            missing.append(key)
    return page_html, missing


_VERBATIM_ELEMENT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENTATION = re.compile(r"\n\s+")


_THEME_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
# What Jinja's tojson escapes so that JSON cannot end its <script> element early.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def compact_html(page_html: str) -> str:
    """Drop the indentation and blank lines the theme leaves in every page (a tenth of a page).

    Outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>`` a newline followed by more
    whitespace renders exactly like the newline alone; inside them everything is kept, except
    that the theme's JSON configuration is written again as the same data with Chinese as UTF-8
    instead of six-byte ``\\u`` escapes (its translations are half of it).
    """
    parts, last = [], 0
    for match in _VERBATIM_ELEMENT.finditer(page_html):
        parts.append(_INDENTATION.sub("\n", page_html[last : match.start()]))
        parts.append(_THEME_CONFIG.sub(_compact_theme_config, match.group(0), count=1))
        last = match.end()
    parts.append(_INDENTATION.sub("\n", page_html[last:]))
    return "".join(parts)


def _compact_theme_config(match: re.Match[str]) -> str:
    try:
        data = json.loads(match.group(2))
    except ValueError:  # not the theme's config after all: leave it exactly as it was
        return match.group(0)
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML)
    return match.group(1) + compact + match.group(3)


class EntryTables:
    """Entry tables and lists as HTML, each row rendered once per (row, way back to the site root).

    Tables of entries appear on status, module, category and type pages, and every entry page
    lists its APIs and up to five entries of its type; as finished HTML they skip Python-Markdown,
    which dominates the build, and a row is reused on every page at the same depth instead of
    being rendered again (at 10,000 entries the entry pages repeat the same rows 100,000 times).
    Templates reach it as ``entries_table_html``: call it for a table of entries, ``.apis`` for
    an entry's APIs, ``.same_type`` for the list of entries of the same type, ``.facts`` for an
    entry page's facts table.
    """

    def __init__(self, rel: CatalogRelations):
        self.rel = rel
        self._rows: dict[tuple[object, ...], str] = {}

    def __call__(
        self,
        entries: Sequence[ErrorEntry],
        link: Linker,
        show_modules: bool = False,
        show_status: bool = True,
        show_remedy: bool = True,
    ) -> str:
        root = link.html(HOME_URI)
        head = "".join(
            f"<th>{label}</th>"
            for label, shown in (
                ("状态码", show_status),
                ("错误类型（<code>error</code>）", True),
                ("错误提示（<code>error_description</code>）", True),
                ("处理建议", show_remedy),
                ("适用范围", show_modules),
            )
            if shown
        )
        columns = (show_modules, show_status, show_remedy)
        rows = "\n".join(self._row(entry, columns, root) for entry in entries)
        # Out of the search index: these tables repeat every entry's text and would outrank entry pages.
        return finished_html(
            f'<div class="ec-entries" data-search-exclude>\n<table>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
        )

    def same_type(self, entry: ErrorEntry, link: Linker, limit: int) -> str:
        """Up to ``limit`` other entries of this entry's error type, and a link to the rest."""
        others, total = self.rel.same_type(entry, limit)
        if not others:
            return ""
        root = link.html(HOME_URI)
        items = [self._same_type_item(other, root) for other in others]
        if total > limit:
            href = link.html(TYPES_URI, self.rel.type_anchors[entry.error])
            error = html.escape(entry.error or "")
            items.append(f'<li>……共 {total} 个，见<a href="{href}">错误类型 <code>{error}</code></a></li>')
        # Out of the search index: the other entries' text belongs to their own pages.
        return finished_html('<ul class="ec-same-type" data-search-exclude>\n' + "\n".join(items) + "\n</ul>")

    def apis(self, occurrences: Sequence[ApiRef], link: Linker) -> str:
        """The APIs whose error tables list an entry (API titles are found on their module pages)."""
        root = link.html(HOME_URI)
        rows = "\n".join(self._api_row(ref, root) for ref in occurrences)
        # A plain <table> inside the div: Material styles only tables without a class.
        return finished_html(
            '<div class="ec-apis" data-search-exclude>\n<table>\n'
            "<thead><tr><th>模块</th><th>接口</th><th>方法与路径</th></tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
        )

    def facts(self, entry: ErrorEntry, link: Linker) -> str:
        """An entry page's facts table: status, type, message, category, modules, retry.

        Out of the search index: the page title already carries status, type and message, and
        the row labels would be indexed once per entry. Built here rather than by a template
        because it runs once per entry (a Jinja render each was a tenth of the generator's time).
        """
        root = link.html(HOME_URI)
        status = self.rel.statuses.get(entry.status) if entry.status is not None else None
        if status is not None:
            status_cell = (
                f'<a href="{root}statuses/{status.code}/">{status.code} {html.escape(status.reason)}</a>'
                f"（{html.escape(status.label.zh)}）"
            )
        elif entry.error_code is not None:
            status_cell = f"官方文档未给出，只给出内部错误码 <code>{entry.error_code}</code>"
        else:
            status_cell = f"官方文档只写明为 {html.escape(entry.status_class or '')}，未给出具体状态码"
        if entry.error is not None:
            href = link.error_type_html(entry.error)
            error_cell = f'<a href="{href}"><code>{html.escape(entry.error)}</code></a>'
        elif entry.error_label:
            error_cell = f"官方文档未给出字面值，只标注为“{html.escape(entry.error_label.zh)}”"
        else:
            error_cell = "官方文档未给出"
        if entry.message is not None:
            message_cell = f"<code>{html.escape(entry.message)}</code>"
        else:
            message_cell = "任意（官方文档说明可能是任何提示）" if entry.message_any else "官方文档未给出"
        category = self.rel.catalog.category(entry.category)
        rows = (
            ("HTTP 状态码", status_cell),
            ("错误类型（<code>error</code>）", error_cell),
            ("错误提示（<code>error_description</code>）", message_cell),
            ("分类", f'<a href="{root}categories/{category.key}/">{html.escape(category.title.zh)}</a>'),
            ("适用范围", self._modules_cell(entry, root)),
            ("可否重试", RETRY_LABELS[self.rel.retry_policy(entry)]),
        )
        body = "\n".join(f"<tr><th>{label}</th><td>{cell}</td></tr>" for label, cell in rows)
        return finished_html(
            f'<div class="ec-facts" data-search-exclude>\n<table>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>'
        )

    def _same_type_item(self, entry: ErrorEntry, root: str) -> str:
        key = ("same-type", entry.slug, root)
        if key not in self._rows:
            if entry.message is not None:
                message = f"<code>{html.escape(entry.message)}</code>"
            else:
                message = "任意" if entry.message_any else "未注明"
            self._rows[key] = f'<li>{_status_cell(entry, root)} <a href="{root}errors/{entry.slug}/">{message}</a></li>'
        return self._rows[key]

    def _api_row(self, ref: ApiRef, root: str) -> str:
        key = ("api", ref.api.id, root)
        if key not in self._rows:
            module_url = f"{root}modules/{ref.module.key}/"
            self._rows[key] = (
                f'<tr><td><a href="{module_url}">{html.escape(ref.module.name.zh)}</a></td>'
                f'<td><a href="{module_url}#{ref.api.id}">{html.escape(ref.api.title.zh)}</a></td>'
                f"<td><code>{ref.api.method}</code> <code>{html.escape(ref.api.path)}</code></td></tr>"
            )
        return self._rows[key]

    def _modules_cell(self, entry: ErrorEntry, root: str) -> str:
        keys = self.rel.entry_modules[entry.slug]
        if ALL_MODULES in keys:
            return "所有 API"
        return "、".join(
            f'<a href="{root}modules/{key}/">{html.escape(self.rel.modules[key].name.zh)}</a>' for key in keys
        )

    def _row(self, entry: ErrorEntry, columns: tuple[bool, bool, bool], root: str) -> str:
        key = (entry.slug, columns, root)
        show_modules, show_status, show_remedy = columns
        if key not in self._rows:
            href = f"{root}errors/{entry.slug}/"
            cells = []
            if show_status:
                cells.append(_status_cell(entry, root))
            error = html.escape(entry.error) if entry.error is not None else "未注明"
            if entry.message is not None:
                message = html.escape(entry.message)
            else:
                message = "任意" if entry.message_any else "未注明"
            # One link per row, on the message: a second one to the same page doubled the row's markup.
            cells.append(f"<code>{error}</code>")
            cells.append(f'<a href="{href}"><code>{message}</code></a>')
            if show_remedy:
                cells.append(html_prose(first_sentence(entry.remedy.zh)))
            if show_modules:
                cells.append(self._modules_cell(entry, root))
            self._rows[key] = "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
        return self._rows[key]


ALL_ERRORS_ROWS = "all-errors.json"


def all_errors_rows(catalog: Catalog, rel: CatalogRelations) -> str:
    """The all-errors table's rows as JSON, for docs/assets/errors-table.js.

    ``{"modules": {key: name}, "rows": [...]}``; each row, in status order, is ``[slug, status or
    null, what stands in for a missing status, error type or null, message as shown, module keys
    ("all" for every API), the remedy's first sentence with `code` spans]``. Plain text only: the
    script escapes everything it inserts.
    """
    rows = []
    for entry in rel.sorted_entries():
        message = entry.message if entry.message is not None else ("任意" if entry.message_any else "未注明")
        modules = list(rel.entry_modules[entry.slug])
        remedy = first_sentence(entry.remedy.zh)
        rows.append([entry.slug, entry.status, status_text(entry), entry.error, message, modules, remedy])
    names = {module.key: module.name.zh for module in catalog.modules}
    return json.dumps({"modules": names, "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def _status_cell(entry: ErrorEntry, root: str) -> str:
    if entry.status is not None:
        return f'<a href="{root}statuses/{entry.status}/">{entry.status}</a>'
    if entry.error_code is not None:
        return f"无（错误码 {entry.error_code}）"
    return html.escape(entry.status_class or "")


def render_pages(
    catalog: Catalog, template_dirs: Sequence[Path] = (), rel: CatalogRelations | None = None
) -> dict[str, str]:
    """Render every generated page; returns ``{uri: markdown}`` in navigation order.

    Raises :class:`TemplateProblem` when a template does not compile or fails while rendering.
    """
    with collector_paused():
        try:
            return _render_pages(catalog, template_dirs, rel or CatalogRelations.build(catalog))
        except Exception as error:
            problem = template_problem(error)
            if problem is None:
                raise
            raise problem from error


class TemplateProblem(Exception):
    """A template (an override or the package's) is broken; ``str()`` is ``path:line:col: message``."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{display_path(Path(path))}:{line}:1: {message}")


def template_problem(error: Exception) -> TemplateProblem | None:
    """Where in which template ``error`` arose, or None if no template was running (our bug)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return TemplateProblem(
            error.filename or error.name or "<template>", error.lineno, f"template syntax error: {error.message}"
        )
    place = _innermost_template_line(error.__traceback__)
    if place is None:
        return None
    detail = (
        error.message
        if isinstance(error, jinja2.TemplateError) and error.message
        else f"{type(error).__name__}: {error}"
    )
    return TemplateProblem(*place, f"template error: {detail}")


def _innermost_template_line(traceback: TracebackType | None) -> tuple[str, int] | None:
    """Jinja rewrites tracebacks so that template code shows as frames of the ``.jinja`` file."""
    place = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".jinja"):
            place = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return place


def _render_pages(catalog: Catalog, template_dirs: Sequence[Path], rel: CatalogRelations) -> dict[str, str]:
    env, html_env = environments(template_dirs)
    shared = {
        "catalog": catalog,
        "rel": rel,
        "retry_labels": RETRY_LABELS,
        "entry_title": entry_title,
        "all_modules": ALL_MODULES,
        "entries_table_html": EntryTables(rel),
        "rows_file": ALL_ERRORS_ROWS,
    }
    # Looked up once per render: Jinja's get_template checks the file's mtime on every call, which
    # at 10,000 entries (three templates each) was a tenth of the render.
    page_template = functools.cache(env.get_template)
    fragment_template = functools.cache(html_env.get_template)
    pages: dict[str, str] = {}
    for spec in page_specs(catalog):
        link = Linker(rel, spec.uri)
        context = {**shared, **spec.context, "link": link, "page_uri": spec.uri}

        def html_fragment(name: str, _context: dict[str, Any] = context, **extra: Any) -> str:
            return fragment_template(name).render(**_context, **extra)

        template = page_template(spec.template)
        pages[spec.uri] = template.render(**context, html_fragment=html_fragment)
    return pages


def nav_uris(catalog: Catalog) -> list[str]:
    """Pages that belong in the navigation: the overviews, never one page per module or error."""
    return [spec.uri for spec in page_specs(catalog) if spec.in_nav]


def navigation(catalog: Catalog) -> list[Any]:
    """The MkDocs ``nav``: the overview pages only, the same eight items at any catalog size.

    Every page carries the whole navigation; listing modules and categories as well made it a
    third of each entry page. Their overview pages list them.
    """
    return [
        {"首页": HOME_URI},
        LOOKUP_URI,
        STATUSES_URI,
        MODULES_URI,
        CATEGORIES_URI,
        REMEDIES_URI,
        TYPES_URI,
        ALL_ERRORS_URI,
    ]


def redirect_pages(catalog: Catalog) -> dict[str, str]:
    """``{path: html}`` for every alias: the old URL forwards to the entry's current page."""
    pages = {}
    for entry in catalog.entries:
        for alias in entry.aliases:
            target = f"../{entry.slug}/"
            pages[f"errors/{alias}/index.html"] = (
                '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">\n'
                f"<title>已移动到 {html.escape(entry.slug)}</title>\n"
                f'<link rel="canonical" href="{target}">\n'
                f'<meta http-equiv="refresh" content="0; url={target}">\n'
                f'<meta name="robots" content="noindex"></head>\n'
                f'<body><p>此错误条目已移动到 <a href="{target}">{html.escape(entry.slug)}</a>。</p></body></html>\n'
            )
    return pages
