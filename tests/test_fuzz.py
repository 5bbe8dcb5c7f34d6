"""Property tests: random mutations of the real catalog only ever give reported problems.

A slice of the real catalog that is valid on its own (the shared files, the common entries, and
the reaction and token modules' entries and APIs) is mutated at the data level (drop, duplicate,
retype, splice) and at the text level (lines dropped, duplicated, moved; characters inserted).
`check_catalog` must return, never raise, and every problem must point at a file, line and column.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.validate import check_catalog
from tests.conftest import ROOT

FILES = [
    "site.yaml",
    "statuses.yaml",
    "modules.yaml",
    "categories.yaml",
    "errors/common.yaml",
    "errors/reaction.yaml",
    "apis/reaction.yaml",
    "errors/token.yaml",
    "apis/token.yaml",
]
ORIGINAL = {name: (ROOT / "catalog" / name).read_text(encoding="utf-8") for name in FILES}
DATA = {name: yaml.safe_load(text) for name, text in ORIGINAL.items()}
EXAMPLES = 1000

ODD_VALUES = st.sampled_from(
    [
        None,
        0,
        -1,
        99,
        404,
        1.5,
        True,
        "yes",
        "NO",
        "0123",
        "",
        " ",
        "x" * 5000,
        [],
        {},
        ["a"],
        {"zh": "文本"},
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "../x",
        "a\tb",
        "\u202e",
        "https://evil.example.com/",
    ]
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*prefix, index))
    return paths


def _get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


@st.composite
def data_mutation(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    data = yaml.safe_load(ORIGINAL[name])  # a fresh copy
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent, last = _get(data, path[:-1]), path[-1]
    action = draw(st.sampled_from(["drop", "duplicate", "retype", "splice"]))
    if action == "drop":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, yaml.safe_load(yaml.safe_dump(parent[last])))
    elif action == "splice":
        donor = DATA[draw(st.sampled_from(FILES))]
        parent[last] = yaml.safe_load(yaml.safe_dump(_get(donor, draw(st.sampled_from(_paths(donor))))))
    else:
        parent[last] = draw(ODD_VALUES)
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def text_mutation(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = ORIGINAL[name].splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["drop", "duplicate", "move", "insert"]))
    if action == "drop":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "move":
        lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(index))
    else:
        text = draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t \n\\xé群\u00a0")), max_size=8))
        column = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:column] + text + lines[index][column:]
    return name, "".join(lines)


def _catalog_with(tmp_path: Path, name: str, text: str) -> Path:
    catalog = tmp_path / "catalog"
    if catalog.exists():
        shutil.rmtree(catalog)
    for file_name, original in ORIGINAL.items():
        target = catalog / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text if file_name == name else original, encoding="utf-8")
    (catalog / "published_slugs.txt").write_text("# the slice has published nothing\n", encoding="utf-8")
    return catalog


def _assert_reported(catalog: Path) -> None:
    result = check_catalog(catalog)  # must not raise
    for problem in result.problems:
        assert problem.file.is_file() or problem.file.parent.is_dir(), problem.format()
        assert problem.position.line >= 1 and problem.position.column >= 1, problem.format()
        assert problem.message and "\n" not in problem.format()


def test_the_slice_itself_is_valid(tmp_path: Path) -> None:
    result = check_catalog(_catalog_with(tmp_path, "site.yaml", ORIGINAL["site.yaml"]))
    assert [p.format() for p in result.errors] == []


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=data_mutation())
def test_data_mutations_are_reported_not_raised(tmp_path: Path, mutation: tuple[str, str]) -> None:
    _assert_reported(_catalog_with(tmp_path, *mutation))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=text_mutation())
def test_text_mutations_are_reported_not_raised(tmp_path: Path, mutation: tuple[str, str]) -> None:
    _assert_reported(_catalog_with(tmp_path, *mutation))
