"""The benchmark scripts keep working: the synthetic catalog stays valid and deterministic, and each
script runs on a small input and reports every figure (the timings themselves are not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import check_catalog
from tests.browser import chromium_path
from tests.conftest import ROOT, quiet_env

sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_catalog


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_synthetic_catalog_is_valid_and_deterministic(tmp_path: Path) -> None:
    asked = 60
    first = write_catalog(tmp_path / "a", asked, seed=7)
    result = check_catalog(first)
    assert [p.format() for p in result.problems] == []
    assert result.catalog is not None and len(result.catalog.entries) == asked
    assert any(e.message_template for e in result.catalog.entries)
    assert _contents(first) == _contents(write_catalog(tmp_path / "b", asked, seed=7))


def _run_script(*args: str, env: dict[str, str] | None = None) -> dict:
    env = {**quiet_env(), **(env or {})}
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_build_benchmark_reports_every_figure() -> None:
    asked = 40
    figures = _run_script("benchmarks/bench.py", "--entries", str(asked), "--runs", "1")
    assert figures["entries"] == asked
    names = ("generator_s", "build_s", "bare_build_s", "ratio", "site_bytes_per_entry", "peak_rss_mb")
    for name in (*names, "both_editions_build_s", "both_editions_ratio"):
        assert figures[name] > 0, name
    assert figures["search_index_bytes_per_entry"] > 0


@pytest.mark.slow
def test_browser_benchmark_drives_the_table_and_the_lookup() -> None:
    figures = _run_script(
        "benchmarks/browser_bench.py", "--entries", "40", "--runs", "1", env={"CHROMIUM_PATH": chromium_path()}
    )
    for name in ("table_first_render_ms", "table_keystroke_ms", "lookup_prepare_ms", "lookup_first_paste_ms"):
        assert figures[name] >= 0, name


@pytest.mark.slow
def test_serve_benchmark_edits_the_real_catalog() -> None:
    figures = _run_script("benchmarks/serve_bench.py", "--edits", "1")
    assert figures["full_build_s"] > figures["typical_rebuild_s"] > 0
    assert figures["widest_visible_s"] > 0
