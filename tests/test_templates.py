"""Every template's header lists exactly the context it is rendered with.

Each ``_base`` template opens with ``context: name (Type), ...``; overriding a block is only
safe when that list is true. Each template is rendered here with the listed variables alone
(StrictUndefined fails on any other) and its source may use no name the header leaves out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta, nodes

from generator.fragments import EntryTables
from generator.model import ALL_MODULES
from generator.relations import CatalogRelations
from generator.render import TEMPLATES_DIR, environments
from generator.urls import Linker, RootUrls, url_patterns
from generator.validate import load_catalog
from generator.views import SiteViews
from tests.conftest import ROOT

BASE = TEMPLATES_DIR / "_base"
_HEADER = re.compile(r"\{#-(.*?)-#\}", re.S)
_CONTEXT = re.compile(r"(?:needs in the )?context:(.*)", re.S)


def header_names(source: str) -> set[str]:
    """The variable names a template's header lists after ``context:``."""
    header = _HEADER.match(source.lstrip())
    assert header, "the template does not open with a {#- ... -#} header"
    listing = _CONTEXT.search(header.group(1))
    assert listing, "the header has no 'context:' list"
    text = listing.group(1)
    while re.search(r"\([^()]*\)", text):  # drop "(Type, details)" groups, nested ones too
        text = re.sub(r"\([^()]*\)", "", text)
    return {part.strip().split()[0].rstrip(".") for part in text.split(",") if part.strip()}


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    catalog = load_catalog(ROOT / "catalog")
    rel = CatalogRelations.build(catalog)
    views = SiteViews(catalog, rel, "zh")
    _, html_env = environments()
    entry = next(e for e in catalog.entries if rel.occurrences[e.slug] and e.error is not None)
    module_key = rel.occurrences[entry.slug][0].module.key
    link = Linker("errors/x.md")

    def render_fragment(name: str, **context: Any) -> str:
        return html_env.get_template(name).render(t=views.ui, views=views, **context)

    entry_view = views.entries[entry.slug]
    api = rel.occurrences[entry.slug][0].api
    return {
        "catalog": catalog,
        "rel": rel,
        "views": views,
        "t": views.ui,
        "tables": EntryTables(rel, views, render_fragment),
        "link": link,
        "html_fragment": lambda name, **extra: "",
        "all_modules": ALL_MODULES,
        "entry": entry_view,
        "status": views.statuses[catalog.statuses[0].code],
        "module": views.modules[module_key],
        "category": views.categories[entry.category],
        "columns": {"status": True, "remedy": True, "modules": True},
        "rows": ["<tr></tr>"],
        "items": ["<li></li>"],
        "total": 7,
        "urls": RootUrls("../../", rel.type_anchors),
        "api": views.apis[api.id],
        "apis": rel.apis_by_module[module_key],
        "entries": list(catalog.entries),
        "shared_entries": next(shared for key in rel.modules if (shared := rel.shared_entries(key))),
        "script_data": {"text": {}, "urls": url_patterns("../../")},
        "target": "../x/",
    }


def assigned_names(env: jinja2.Environment, source: str) -> set[str]:
    """Names the template sets or imports itself (``meta`` reports those used inside blocks)."""
    tree = env.parse(source)
    targets = [assign.target for assign in tree.find_all(nodes.Assign)]
    names = {
        node.name
        for target in targets
        for node in [target, *target.find_all(nodes.Name)]
        if isinstance(node, nodes.Name)
    }
    return names | {node.target for node in tree.find_all(nodes.Import)}


BASE_TEMPLATES = sorted(p.name for p in BASE.glob("*.jinja"))
IMPORTED_ONLY = {"macros.md.jinja", "cells.html.jinja"}  # macro libraries, imported with context


@pytest.mark.parametrize("name", BASE_TEMPLATES)
def test_template_renders_with_its_documented_context_alone(name: str, values: dict[str, Any]) -> None:
    source = (BASE / name).read_text(encoding="utf-8")
    names = header_names(source)
    unknown = names - values.keys()
    assert not unknown, f"{name}: the header lists {sorted(unknown)}, which no page passes"
    env = environments()[1 if name.endswith(".html.jinja") else 0]
    used = meta.find_undeclared_variables(env.parse(source)) - assigned_names(env, source)
    assert used <= names, f"{name}: uses {sorted(used - names)}, which its header does not list"
    if name in IMPORTED_ONLY:
        return
    try:
        env.get_template(f"_base/{name}").render(**{key: values[key] for key in names})
    except jinja2.UndefinedError as error:
        pytest.fail(f"{name}: {error} (render it with the context its header lists)")


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES_DIR.glob("*.jinja")))
def test_every_top_level_template_is_a_one_line_wrapper(name: str) -> None:
    source = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    assert source == f'{{% extends "_base/{name}" %}}\n', name
    assert (BASE / name).is_file()


def test_header_parser_reads_nested_types() -> None:
    source = "{#- x.\n    context: a (A), b (dict: c, d -> bool), e. -#}\n"
    assert header_names(source) == {"a", "b", "e"}


def test_a_wrong_header_fails(tmp_path: Path, values: dict[str, Any]) -> None:
    """The check above can fail: a template using a name its header leaves out is caught."""
    source = '{#- x.\n    context: t (UiText). -#}\n{{ t("page.home") }} {{ views.lang }}\n'
    env = environments()[0]
    used = meta.find_undeclared_variables(env.parse(source)) - assigned_names(env, source)
    assert used - header_names(source) == {"views"}
