"""catalog/schema.json is exported from the model, kept fresh, and named by every catalog file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.cli import schema_text
from tests.conftest import ROOT

CATALOG = ROOT / "catalog"


def test_schema_file_is_fresh() -> None:
    committed = (CATALOG / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "catalog/schema.json is stale: run `python -m generator schema`"


def test_schema_cli_writes_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "schema", "-o", str(target)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema_text()
    assert not [p for p in tmp_path.iterdir() if p.name != "schema.json"], "temp file left behind"


def test_schema_describes_every_file_kind() -> None:
    schema = json.loads(schema_text())
    top_keys = {next(iter(schema["$defs"][ref["$ref"].split("/")[-1]]["properties"])) for ref in schema["anyOf"]}
    assert top_keys == {"site", "statuses", "modules", "categories", "entries", "module", "rate_limits"}  # module: apis
    entry = schema["$defs"]["ErrorEntry"]
    assert set(entry["required"]) >= {"slug", "status", "error", "message", "category", "cause", "remedy"}
    assert entry["additionalProperties"] is False


def test_every_catalog_file_names_the_schema() -> None:
    files = sorted(CATALOG.rglob("*.yaml"))
    assert files
    for path in files:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        relative = Path(*[".."] * (len(path.relative_to(CATALOG).parts) - 1), "schema.json").as_posix()
        assert first_line == f"# yaml-language-server: $schema={relative}", path
