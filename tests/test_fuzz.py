"""Property tests: random mutations of the real catalog only ever give reported problems.

A slice of the real catalog that is valid on its own (the shared files, the common entries, and
the reaction and token modules' entries and APIs) is mutated at the data level (drop, duplicate,
retype, splice) and at the text level (lines dropped, duplicated, moved; characters inserted),
EXAMPLES times each. `check_catalog` must return, never raise. Whenever the rules below, written
from the README and the numbered checks of generator/validate.py without its code, know the
mutation to be invalid (not YAML, refused YAML, against catalog/schema.json, a duplicate key, a
dangling reference, a dishonest status), it must report at least one error; every problem prints
as `path:line:col: key.path: message` with a real file and line of the catalog; and a catalog it
accepts must render.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.problems import format_key_path
from generator.site import build_site_content
from generator.terminal import terminal_safe
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


# --- What a mutation must give, decided without generator/validate.py ----------------------------

SCHEMA = json.loads((ROOT / "catalog" / "schema.json").read_text(encoding="utf-8"))
FILE_MODELS = {"site.yaml": "SiteFile", "statuses.yaml": "StatusesFile", "modules.yaml": "ModulesFile"}
FILE_MODELS |= {"categories.yaml": "CategoriesFile", "errors/": "EntriesFile", "apis/": "ApisFile"}
PLAIN_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
PROBLEM_LINE = re.compile(r"(?P<path>[^\n]+?):(?P<line>[0-9]+):(?P<column>[0-9]+): (?P<rest>[^\n]+)")
# Where an entry's status stands in for a class of statuses (README, "Editing the catalog").
ERROR_STATUSES = range(400, 600)


# The parser generator/load.py composes with: libyaml where PyYAML has it (it reads a tab inside a
# plain scalar, which PyYAML's pure-Python scanner refuses).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Unknown(Exception):
    """The rules here cannot tell what the strict loader makes of this text."""


def _model_of(name: str) -> str:
    return FILE_MODELS.get(name) or FILE_MODELS[name.split("/")[0] + "/"]


def strict_data(text: str) -> tuple[Any, str | None]:
    """The data the strict loader reads from ``text`` (README: only true/false and plain integers
    are typed; null, ~ and empty are null; anchors, aliases, tags and duplicate keys are refused),
    and why the text is refused, if it is."""
    try:
        events = list(yaml.parse(text, Loader=YAML_LOADER))
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        return None, f"not YAML: {str(error).splitlines()[0]}"
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return None, "an anchor or alias"
        if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) not in (None, "!"):
            return None, f"explicit tag {event.tag}"
    if node is None:
        return None, "an empty file"
    return _value(node)


def _value(node: yaml.Node) -> tuple[Any, str | None]:
    if isinstance(node, yaml.SequenceNode):
        items = [_value(item) for item in node.value]
        return [value for value, _ in items], next((why for _, why in items if why), None)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                return None, "a mapping key that is not text"
            if key_node.value == "<<" and not key_node.style:
                return None, "a merge key"
            if key_node.value in result:
                return None, f"duplicate key {key_node.value!r}"
            result[key_node.value], why = _value(value_node)
            if why:
                return None, why
        return result, None
    return _scalar(node), None


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.style:  # quoted or block: text (libyaml gives plain scalars the style "", PyYAML None)
        return node.value
    text = node.value
    if text in ("", "~", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if PLAIN_INTEGER.fullmatch(text):
        return int(text)
    if text.lower() in ("null", "~"):  # Null, NULL: the README does not say
        raise Unknown(text)
    return text


def schema_violation(value: Any, schema: dict, path: str = "") -> str | None:
    """The first place where ``value`` breaks catalog/schema.json (the subset the file uses)."""
    if "$ref" in schema:
        return schema_violation(value, SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]], path)
    if "anyOf" in schema:
        reasons = [schema_violation(value, option, path) for option in schema["anyOf"]]
        return None if None in reasons else reasons[0]
    kinds = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }
    if "type" in schema and not kinds[schema["type"]]:
        return f"{path}: not {schema['type']}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path}: not one of {schema['enum']}"
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            return f"{path}: too long"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{path}: does not match {schema['pattern']}"
    if kinds["integer"] and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        return f"{path}: out of range"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return f"{path}: too few items"
        for index, item in enumerate(value):
            if "items" in schema and (why := schema_violation(item, schema["items"], f"{path}[{index}]")):
                return why
    if isinstance(value, dict):
        if missing := [key for key in schema.get("required", []) if key not in value]:
            return f"{path}: missing {missing}"
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False and (extra := set(value) - set(properties)):
            return f"{path}: unknown keys {sorted(extra)}"
        for key, item in value.items():
            if key in properties and (why := schema_violation(item, properties[key], f"{path}.{key}")):
                return why
    return None


def duplicate(values: list) -> Any:
    return next((value for value, count in Counter(values).items() if count > 1), None)


def cross_file_violation(files: dict[str, Any]) -> str | None:
    """Checks 3 and 5-7 of generator/validate.py's docstring, on schema-valid data."""
    entries = [entry for name, data in files.items() if name.startswith("errors/") for entry in data["entries"]]
    apis = [(data["module"], api) for name, data in files.items() if name.startswith("apis/") for api in data["apis"]]
    statuses = [status["code"] for status in files["statuses.yaml"]["statuses"]]
    modules = [module["key"] for module in files["modules.yaml"]["modules"]]
    categories = [category["key"] for category in files["categories.yaml"]["categories"]]
    slugs = [entry["slug"] for entry in entries]
    for kind, keys in ("status code", statuses), ("module", modules), ("category", categories), ("slug", slugs):
        if (twice := duplicate(keys)) is not None:
            return f"{kind} {twice!r} twice"
    if (twice := duplicate([api["id"] for _, api in apis])) is not None:
        return f"API id {twice!r} twice"
    listed = {slug for _, api in apis for slug in api["errors"]}
    for module, api in apis:
        if module not in modules:
            return f"API file of unknown module {module!r}"
        if unknown := set(api["errors"]) - set(slugs):
            return f"API {api['id']} lists unknown entries {sorted(unknown)}"
        if (twice := duplicate(api["errors"])) is not None:
            return f"API {api['id']} lists {twice!r} twice"
    for entry in entries:
        if why := _entry_violation(entry, statuses, modules, categories, listed):
            return f"entry {entry['slug']}: {why}"
    if unused := set(categories) - {entry["category"] for entry in entries}:
        return f"categories without entries: {sorted(unused)}"
    return None


def _entry_violation(entry: dict, statuses: list, modules: list, categories: list, listed: set) -> str | None:
    status, entry_modules = entry["status"], entry.get("modules", [])
    if status is not None and (status not in statuses or status not in ERROR_STATUSES):
        return f"status {status} is not a listed error status"
    if status is None and entry.get("status_class") is None and entry.get("error_code") is None:
        return "null status without status_class or error_code"
    if status is not None and entry.get("status_class") is not None:
        return "status_class next to a status"
    if entry["error"] is not None and entry.get("error_label") is not None:
        return "error_label next to an error"
    if entry["message"] is not None and entry.get("message_any"):
        return "message_any next to a message"
    if entry["category"] not in categories:
        return f"unknown category {entry['category']!r}"
    if entry_modules != ["all"] and set(entry_modules) - set(modules):
        return f"unknown modules {sorted(set(entry_modules) - set(modules))}"
    if not entry_modules and entry["slug"] not in listed:
        return "neither listed by an API nor given modules"
    return None


@functools.cache  # the unchanged files are judged once
def _file_verdict(name: str, text: str) -> tuple[Any, str | None]:
    value, why = strict_data(text)
    if why:
        return None, f"YAML: {name}: {why}"
    if why := schema_violation(value, {"$ref": f"#/$defs/{_model_of(name)}"}, name):
        return None, f"schema: {why}"
    return value, None


def why_invalid(files: dict[str, str]) -> str | None:
    """Why the catalog made of these texts is invalid, or None when these rules see nothing wrong."""
    data: dict[str, Any] = {}
    for name, text in files.items():
        data[name], why = _file_verdict(name, text)
        if why:
            return why
    why = cross_file_violation(data)
    return f"catalog: {why}" if why else None


# --- The property ----------------------------------------------------------------------------------


@dataclass
class Tally:
    examples: int = 0
    known_invalid: int = 0
    accepted: int = 0
    reasons: Counter = field(default_factory=Counter)


def _assert_problem_is_located(line: str, catalog: Path) -> None:
    match = PROBLEM_LINE.fullmatch(line)
    assert match, f"not `path:line:col: key.path: message`: {line!r}"
    path = Path(match["path"])
    path = path if path.is_absolute() else Path.cwd() / path
    assert path == catalog or catalog in path.parents, f"points outside the catalog: {line}"
    if path.is_file():
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        assert 1 <= int(match["line"]) <= len(lines) + 1, f"no such line in {path.name}: {line}"
    assert int(match["column"]) >= 1, line


def check_one_mutation(tmp_path: Path, name: str, text: str, tally: Tally) -> None:
    catalog = _catalog_with(tmp_path, name, text)
    result = check_catalog(catalog)  # must not raise
    for problem in result.problems:
        line = problem.format()
        _assert_problem_is_located(line, catalog)
        key_path = terminal_safe(format_key_path(problem.key_path), starts_line=False)  # hostile keys escaped
        assert f": {key_path}: " in line and problem.message.strip(), line
    tally.examples += 1
    try:
        why = why_invalid({file_name: text if file_name == name else ORIGINAL[file_name] for file_name in FILES})
    except Unknown:
        why = None
    if why:
        tally.known_invalid += 1
        tally.reasons[why.split(":", 1)[0]] += 1
        assert result.errors, f"{name}: {why}, yet check reported no error\n--- {name}\n{text}"
    if not result.errors:
        assert result.catalog is not None
        tally.accepted += 1
        site = build_site_content(result.catalog, [], "https://example.org/")  # must not raise
        assert site.pages, "an accepted catalog rendered no page"
    else:
        assert result.catalog is None, "a catalog with errors was handed on"


def run_mutations(strategy: st.SearchStrategy, tmp_path: Path) -> Tally:
    tally = Tally()

    @settings(max_examples=EXAMPLES, deadline=None, print_blob=True)
    @given(mutation=strategy)
    def mutate(mutation: tuple[str, str]) -> None:
        check_one_mutation(tmp_path, *mutation, tally)

    mutate()
    return tally


def test_the_slice_itself_is_valid(tmp_path: Path) -> None:
    result = check_catalog(_catalog_with(tmp_path, "site.yaml", ORIGINAL["site.yaml"]))
    assert [p.format() for p in result.errors] == []
    assert why_invalid(ORIGINAL) is None, "the rules of this module misjudge the valid slice"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("statuses.yaml", "statuses: [\n", "not YAML"),
        ("statuses.yaml", "a: &x 1\nb: *x\n", "an anchor or alias"),
        ("statuses.yaml", "statuses: !!str x\n", "explicit tag"),
        ("statuses.yaml", "statuses: []\nstatuses: []\n", "duplicate key"),
        ("statuses.yaml", "statuses: []\n", "too few items"),
        ("statuses.yaml", ORIGINAL["statuses.yaml"].replace("code: 404", "code: '404'"), "not integer"),
        ("errors/reaction.yaml", ORIGINAL["errors/reaction.yaml"] + "    colour: red\n", "unknown keys"),
        ("categories.yaml", ORIGINAL["categories.yaml"].replace("key: token", "key: user_not_found", 1), "twice"),
    ],
)
def test_the_rules_recognise_known_invalid_catalogs(name: str, text: str, expected: str) -> None:
    """The rules that decide "must be reported" do fire (a fuzz test with a blind oracle passes)."""
    assert text != ORIGINAL[name]
    why = why_invalid({**ORIGINAL, name: text})
    assert why is not None and expected in why, why


@pytest.mark.slow
def test_data_mutations_are_reported_not_raised(tmp_path: Path) -> None:
    tally = run_mutations(data_mutation(), tmp_path)
    assert tally.examples >= EXAMPLES, f"hypothesis ran {tally.examples} of {EXAMPLES} examples"
    # Most data mutations break a rule the checks know; if few did, the oracle went blind.
    assert tally.known_invalid >= EXAMPLES // 2, tally
    assert tally.accepted > 0, tally  # and some stay valid, so rendering is exercised too


@pytest.mark.slow
def test_text_mutations_are_reported_not_raised(tmp_path: Path) -> None:
    tally = run_mutations(text_mutation(), tmp_path)
    assert tally.examples >= EXAMPLES, f"hypothesis ran {tally.examples} of {EXAMPLES} examples"
    assert tally.known_invalid >= EXAMPLES // 3, tally
    assert tally.accepted > 0, tally
