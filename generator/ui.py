"""The site's interface text: one table (``ui_text.yaml``) keyed by language.

Pages, the CLI and the browser scripts take every label, heading, stand-in and verdict from here,
so a wording is decided once. Catalog text never goes through this table.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any

from generator.load import load_yaml_file
from generator.problems import CatalogError

UI_TEXT_FILE = Path(__file__).parent / "ui_text.yaml"
LANGUAGES = ("zh", "en")
_FIELDS = string.Formatter()


class UiText:
    """``ui("entry.cause")`` -> the text in this language; ``ui("home.all_errors_hint", entries=3)``."""

    def __init__(self, lang: str, texts: dict[str, dict[str, str]]):
        self.lang = lang
        self._texts = texts

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._texts[key][self.lang]
        except KeyError:
            raise KeyError(f"{UI_TEXT_FILE.name} has no {self.lang!r} text for {key!r}") from None
        return text.format_map(values) if values else text

    def groups(self, *groups: str) -> dict[str, str]:
        """Every text of these groups, placeholders unfilled: what a browser script is handed."""
        return {key: texts[self.lang] for key, texts in self._texts.items() if key.split(".", 1)[0] in groups}


@functools.cache
def ui_text(lang: str) -> UiText:
    return UiText(lang, _load_table(UI_TEXT_FILE))


def _load_table(path: Path) -> dict[str, dict[str, str]]:
    document, problems = load_yaml_file(path)
    if problems:
        raise CatalogError(problems)
    table: dict[str, dict[str, str]] = {}
    for group, texts in document.data.items():
        for name, languages in texts.items():
            table[f"{group}.{name}"] = languages
    problems = [
        document.problem((group, name), message)
        for key, languages in table.items()
        for group, name in [key.split(".", 1)]
        for message in _entry_problems(languages)
    ]
    if problems:
        raise CatalogError(problems)
    return table


def _entry_problems(languages: Any) -> list[str]:
    if not isinstance(languages, dict):
        return ["expected a mapping of language to text"]
    problems = [f"missing the {lang!r} text" for lang in LANGUAGES if not isinstance(languages.get(lang), str)]
    fields = {tuple(sorted(_placeholders(text))) for text in languages.values() if isinstance(text, str)}
    if len(fields) > 1:
        problems.append("the languages use different {placeholders}")
    return problems


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(text) if name}
