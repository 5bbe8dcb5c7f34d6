"""The benchmark's synthetic catalog stays valid and deterministic (timings are benchmarks/, not tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.validate import check_catalog
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_catalog


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_synthetic_catalog_is_valid_and_deterministic(tmp_path: Path) -> None:
    first = write_catalog(tmp_path / "a", 60, seed=7)
    result = check_catalog(first)
    assert [p.format() for p in result.problems] == []
    assert result.catalog is not None and len(result.catalog.entries) == 60
    assert any(e.message_template for e in result.catalog.entries)
    assert _contents(first) == _contents(write_catalog(tmp_path / "b", 60, seed=7))
