"""Catalog -> ``{uri: markdown}``: every generated page, rendered through Jinja, with no I/O.

Pages are declared once (``page_specs``); the navigation is derived from them. Templates receive
finished values (``views``, ``t``, ``link``, ``tables``) and escape catalog text through the
filters of ``escape``; they decide layout, not wording.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from generator import urls
from generator.escape import front_matter_text, html_path, html_prose, html_text, md_code, md_escape, md_fence, md_prose
from generator.fragments import EntryTables, finished_html
from generator.memory import collector_paused
from generator.model import ALL_MODULES, Catalog
from generator.problems import display_path
from generator.relations import CatalogRelations
from generator.urls import Linker, SiteRootLinker, url_patterns
from generator.views import SiteViews

TEMPLATES_DIR = Path(__file__).parent / "templates"
# The UI text groups the browser scripts (docs/assets/*.js) are handed with their page.
SCRIPT_TEXT_GROUPS = ("lookup", "all_errors", "stand_in", "retry", "list")


@dataclass(frozen=True)
class PageSpec:
    """One generated page: its source URI, its template and what the template gets besides the
    shared context. ``nav_title`` (a UI text key) puts it in the navigation."""

    uri: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    nav_title: str | None = None


def page_specs(catalog: Catalog, views: SiteViews) -> list[PageSpec]:
    """Every page the catalog produces, in navigation order."""
    return [
        PageSpec(urls.HOME_URI, "home_page.md.jinja", nav_title="page.home"),
        PageSpec(urls.LOOKUP_URI, "lookup_page.md.jinja", nav_title="page.lookup"),
        PageSpec(urls.STATUSES_URI, "statuses_page.md.jinja", nav_title="page.statuses"),
        *(PageSpec(v.uri, "status_page.md.jinja", {"status": v}) for v in views.statuses.values()),
        PageSpec(urls.MODULES_URI, "modules_page.md.jinja", nav_title="page.modules"),
        *(PageSpec(v.uri, "module_page.md.jinja", {"module": v}) for v in views.modules.values()),
        PageSpec(urls.CATEGORIES_URI, "categories_page.md.jinja", nav_title="page.categories"),
        *(PageSpec(v.uri, "category_page.md.jinja", {"category": v}) for v in views.categories.values()),
        PageSpec(urls.REMEDIES_URI, "remedies_page.md.jinja", nav_title="page.remedies"),
        PageSpec(urls.TYPES_URI, "types_page.md.jinja", nav_title="page.types"),
        PageSpec(urls.ALL_ERRORS_URI, "all_errors_page.md.jinja", nav_title="page.all_errors"),
        *(PageSpec(v.uri, "entry_page.md.jinja", {"entry": v}) for v in views.entries.values()),
    ]


def navigation(specs: Sequence[PageSpec], views: SiteViews) -> list[dict[str, str]]:
    """The MkDocs ``nav``: the overview pages only, the same eight items at any catalog size.

    Every page carries the whole navigation; listing modules and categories as well made it a
    third of each entry page. Their overview pages list them.
    """
    return [{views.ui(spec.nav_title): spec.uri} for spec in specs if spec.nav_title is not None]


def _common_filters(env: jinja2.Environment) -> None:
    # tojson inside <script> elements: UTF-8 text as it is (it still escapes <, >, & and ').
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters.update(
        md_escape=md_escape,
        md_code=md_code,
        md_prose=md_prose,
        md_fence=md_fence,
        html_text=html_text,
        html_prose=html_prose,
        html_path=html_path,
        front_matter_text=front_matter_text,
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

    Compiling the templates is much of a render, and `mkdocs serve` renders on every edit.
    Jinja recompiles a template whose file changed; a file added to an override folder changes
    the key.
    """
    listing = tuple(
        sorted(str(path) for folder in template_dirs if folder.is_dir() for path in folder.rglob("*.jinja"))
    )
    return _environments(tuple(map(str, template_dirs)), listing)


@functools.lru_cache(maxsize=4)
def _environments(template_dirs: tuple[str, ...], _listing: tuple[str, ...]) -> tuple[jinja2.Environment, ...]:
    folders = [Path(folder) for folder in template_dirs]
    return make_environment(folders), make_html_environment(folders)


@dataclass(frozen=True)
class RenderedPages:
    """What ``render_pages`` gives: the Markdown of each page and the navigation."""

    markdown: dict[str, str]
    specs: list[PageSpec]
    nav: list[dict[str, str]]


def render_pages(
    catalog: Catalog,
    template_dirs: Sequence[Path] = (),
    rel: CatalogRelations | None = None,
    views: SiteViews | None = None,
    lang: str = "zh",
) -> RenderedPages:
    """Render every generated page, in navigation order.

    Raises :class:`TemplateProblem` when a template does not compile or fails while rendering.
    """
    with collector_paused(), template_problems():
        rel = rel or CatalogRelations.build(catalog)
        return _render_pages(catalog, template_dirs, rel, views or SiteViews(catalog, rel, lang))


def render_not_found_page(views: SiteViews, root_path: str, template_dirs: Sequence[Path] = ()) -> str:
    """The 404 page's article, finished HTML, for a site whose root is at ``root_path`` (``/en/``).

    Raises :class:`TemplateProblem` when the template is broken.
    """
    with template_problems():
        link = SiteRootLinker(root_path)
        data = {"lang": views.lang, "text": views.ui.groups(*SCRIPT_TEXT_GROUPS), "urls": url_patterns(link.root)}
        template = environments(template_dirs)[1].get_template("not_found.html.jinja")
        return template.render(t=views.ui, views=views, link=link, script_data=data)


class TemplateProblem(Exception):
    """A template (an override or the package's) is broken; ``str()`` is ``path:line:col: message``."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{display_path(Path(path))}:{line}:1: {message}")


@contextlib.contextmanager
def template_problems() -> Iterator[None]:
    """Turn an error raised by a template into a :class:`TemplateProblem` naming its line."""
    try:
        yield
    except TemplateProblem:
        raise
    except Exception as error:
        problem = template_problem(error)
        if problem is None:
            raise
        raise problem from error


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


def _render_pages(
    catalog: Catalog, template_dirs: Sequence[Path], rel: CatalogRelations, views: SiteViews
) -> RenderedPages:
    env, html_env = environments(template_dirs)
    # Looked up once per render: Jinja's get_template checks the file's mtime on every call.
    page_template = functools.cache(env.get_template)
    fragment_template = functools.cache(html_env.get_template)
    fragment_context = {"t": views.ui, "views": views}

    def render_fragment(name: str, **context: Any) -> str:
        return fragment_template(name).render(**fragment_context, **context)

    shared = {
        "catalog": catalog,
        "rel": rel,
        "views": views,
        "t": views.ui,
        "all_modules": ALL_MODULES,
        "tables": EntryTables(rel, views, render_fragment),
    }
    script_texts = views.ui.groups(*SCRIPT_TEXT_GROUPS)
    specs = page_specs(catalog, views)
    pages: dict[str, str] = {}
    for spec in specs:
        link = Linker(spec.uri)
        context = {**shared, **spec.context, "link": link}

        def html_fragment(name: str, _link: Linker = link, **extra: Any) -> str:
            data = {"lang": views.lang, "text": script_texts, "urls": url_patterns(_link.root)}
            return render_fragment(name, link=_link, rel=rel, catalog=catalog, script_data=data, **extra)

        pages[spec.uri] = page_template(spec.template).render(**context, html_fragment=html_fragment)
    return RenderedPages(pages, specs, navigation(specs, views))
