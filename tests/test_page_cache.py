"""`mkdocs serve` reuses unchanged pages (generator/page_cache.py). Every rebuild must still write
exactly the site a clean `mkdocs build` writes, whatever changed: one entry, a navigation title,
a hand-written page, mkdocs.yml, a template override, a bad edit and its fix."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import MINIMAL_CATALOG, mkdocs_build

pytestmark = pytest.mark.slow  # a dozen builds, each compared with a clean one

SERVE_URL = "http://127.0.0.1:8000/"
CONFIG = f"""site_name: 缓存测试
site_url: {SERVE_URL}
strict: true
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: [zh, en]
  - error-catalog:
      catalog: catalog
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
validation:
  anchors: warn
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # same sitemap dates in both builds
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL_CATALOG, root / "catalog")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# 维护指南\n\n见 [首页](index.md)。\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return root


class ServeSession:
    """Builds the way `mkdocs serve` does: one plugin instance, a fresh config per rebuild."""

    def __init__(self, root: Path, site_dir: Path, caplog: pytest.LogCaptureFixture):
        self.root, self.site_dir, self.caplog = root, site_dir, caplog
        self.rebuild(startup=True)

    def rebuild(self, startup: bool = False) -> int:
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        config.site_url = SERVE_URL
        if startup:
            config.plugins.on_startup(command="serve", dirty=False)
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            build(config, serve_url=SERVE_URL)
        reused = re.findall(r"Reused (\d+) unchanged page", self.caplog.text)
        assert reused, self.caplog.text
        return int(reused[-1])


def assert_same_site(served: Path, clean_root: Path, tmp_path: Path, name: str) -> None:
    clean = tmp_path / f"clean-{name}"
    result = mkdocs_build(clean_root / "mkdocs.yml", clean)
    assert result.returncode == 0, result.stdout + result.stderr
    files = lambda root: {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}  # noqa: E731
    assert files(served) == files(clean), name
    different = [rel for rel in sorted(files(clean)) if (served / rel).read_bytes() != (clean / rel).read_bytes()]
    assert not different, f"{name}: served pages differ from a clean build: {different[:5]}"


def test_every_rebuild_writes_what_a_clean_build_writes(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    session = ServeSession(repo, tmp_path / "served", caplog)
    pages = len(list((tmp_path / "served").rglob("index.html")))
    errors = repo / "catalog" / "errors" / "group.yaml"
    modules = repo / "catalog" / "modules.yaml"

    # Nothing changed: every page comes from the cache.
    assert session.rebuild() == pages
    assert_same_site(session.site_dir, repo, tmp_path, "unchanged")

    # One entry's cause: only the pages that show it are built again.
    errors.write_text(errors.read_text("utf-8").replace("群组", "群组（已编辑）", 1), "utf-8")
    reused = session.rebuild()
    assert 0 < reused < pages
    assert_same_site(session.site_dir, repo, tmp_path, "one-entry")

    # A module's name: the module page, the overviews and every entry page that names it.
    text = modules.read_text("utf-8")
    name = re.search(r"name:\s*\n\s*zh: (.+)\n", text)
    assert name, "the minimal catalog names its modules"
    modules.write_text(text.replace(name.group(1), name.group(1) + "（新名）", 1), "utf-8")
    assert session.rebuild() < pages
    assert_same_site(session.site_dir, repo, tmp_path, "module-name")

    # A hand-written page's title is a navigation title: every page's sidebar changes.
    (repo / "docs" / "guide.md").write_text("# 维护者指南\n\n见 [首页](index.md)。\n", encoding="utf-8")
    assert session.rebuild() == 0
    assert_same_site(session.site_dir, repo, tmp_path, "nav-title")
    (repo / "mkdocs.yml").write_text(CONFIG.replace("缓存测试", "缓存测试二"), encoding="utf-8")
    assert session.rebuild() == 0
    assert_same_site(session.site_dir, repo, tmp_path, "mkdocs.yml")

    # A template override, added while serving.
    (repo / "templates").mkdir()
    (repo / "templates" / "entry_page.md.jinja").write_text(
        '{% extends "_base/entry_page.md.jinja" %}\n{% block title %}{{ super() }}\n覆盖模板的说明。\n{% endblock %}\n',
        encoding="utf-8",
    )
    assert session.rebuild() < pages
    assert "覆盖模板的说明" in next((session.site_dir / "errors").glob("*/index.html")).read_text("utf-8")
    assert_same_site(session.site_dir, repo, tmp_path, "template-override")

    # A bad edit keeps the last good site; the fix brings the new text.
    good = errors.read_text("utf-8")
    errors.write_text(good.replace("    status: ", "    status: 99\n    status: ", 1), "utf-8")
    session.rebuild()
    assert "Still serving the last good build" in capsys.readouterr().err
    errors.write_text(good.replace("群组（已编辑）", "群组（再次编辑）", 1), "utf-8")
    session.rebuild()
    assert_same_site(session.site_dir, repo, tmp_path, "after-fix")
