"""generator/build_session.py as the plugin's on_config meets it: a config MkDocs loaded from an
mkdocs.yml, a copy of the real catalog. Every edition builds from the primary build's check; a
broken catalog or template stops a build, except while serving an edition that has a good site:
then the problem is printed and that site built again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config

from generator.build_session import BuildSession, BuildStopped, CatalogFolders
from generator.editions import Edition
from generator.output_guard import MARKER
from tests.conftest import ROOT

SITE_URL = "https://example.com/docs/"
STILL_SERVING = "Still serving the last good build; fix the catalog and save."


@pytest.fixture(autouse=True)
def _jieba_as_before():
    """configure() teaches jieba the real catalog's terms in this process; later tests that build
    another catalog in-process (the serve page cache) must segment as a fresh build does."""
    import jieba

    tokenizer = jieba.dt
    tokenizer.check_initialized()
    freq, total = dict(tokenizer.FREQ), tokenizer.total
    yield
    tokenizer.FREQ, tokenizer.total = freq, total


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "catalog", root / "catalog")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(f"site_name: 会话\nsite_url: {SITE_URL}\ntheme: mkdocs\n", encoding="utf-8")
    return root


def configure(session: BuildSession, root: Path, lang: str) -> Any:
    """One build's on_config: MkDocs loads a fresh config for every build, also while serving."""
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    session.configure(config, lang, CatalogFolders.beside(config.config_file_path, "catalog", "templates"))
    return config


def break_catalog(root: Path) -> str:
    """A duplicate key; returns the location `check` reports it at."""
    errors = root / "catalog" / "errors" / "common.yaml"
    text = errors.read_text(encoding="utf-8")
    errors.write_text(text.replace("    status: 401\n", "    status: 401\n    status: 402\n", 1), encoding="utf-8")
    line = text[: text.index("    status: 401\n")].count("\n") + 2
    return f"catalog/errors/common.yaml:{line}:5: "


def test_the_primary_build_sets_up_its_config_and_claims_site_dir(project: Path) -> None:
    session = BuildSession()
    config = configure(session, project, "zh")
    assert "attr_list" in config.markdown_extensions
    assert [link["lang"] for link in config.extra["alternate"]] == ["zh", "en"]
    assert (project / "site" / MARKER).is_file()
    assert session.site("zh").edition == Edition("zh", ["zh", "en"], SITE_URL)
    assert "errors/token-corrupt.md" in session.site("zh").content.pages


def test_other_editions_build_from_the_primary_builds_check(project: Path) -> None:
    session = BuildSession()
    configure(session, project, "zh")
    break_catalog(project)  # after the primary's check: the English build must not check again
    configure(session, project, "en")
    english = session.site("en")
    assert english.edition == Edition("en", ["zh", "en"], SITE_URL)
    assert english.content is not session.site("zh").content
    assert '"lang":"en"' in english.content.static_files["catalog.json"]


def test_a_broken_catalog_stops_the_build_before_anything_is_written(project: Path) -> None:
    location = break_catalog(project)
    with pytest.raises(BuildStopped) as stopped:
        configure(BuildSession(serving=True), project, "zh")  # serving, but with no good site yet
    assert "The error catalog has 1 problem(s):" in str(stopped.value)
    assert location in str(stopped.value) and "duplicate key 'status'" in str(stopped.value)
    assert not (project / "site").exists()


def test_serving_keeps_the_last_good_site_through_a_broken_catalog(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = BuildSession(serving=True)
    configure(session, project, "zh")
    good = session.site("zh")
    location = break_catalog(project)
    config = configure(session, project, "zh")
    assert session.site("zh") is good
    assert [link["lang"] for link in config.extra["alternate"]] == ["zh", "en"]  # the switch stays
    printed = capsys.readouterr().err
    assert location in printed and printed.rstrip().endswith(STILL_SERVING)

    with pytest.raises(BuildStopped):  # a plain build of the same catalog fails
        configure(BuildSession(), project, "zh")


def test_serving_keeps_the_last_good_site_through_a_broken_template(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = BuildSession(serving=True)
    configure(session, project, "zh")
    good = session.site("zh")
    (project / "templates").mkdir()
    (project / "templates" / "status_page.md.jinja").write_text("{{ status.code | }}\n", encoding="utf-8")
    configure(session, project, "zh")
    assert session.site("zh") is good
    printed = capsys.readouterr().err
    assert "templates/status_page.md.jinja:1:1: template syntax error" in printed
    assert "fix the template and save." in printed
