"""One catalog problem, pointing at the file, line and column a maintainer has to edit."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.terminal import terminal_safe

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Problem:
    """A catalog problem; printed as ``file:line:col: key.path: message``."""

    file: Path
    position: Position
    key_path: KeyPath
    message: str
    severity: str = "error"  # "error" fails `check` and the build; "warning" is only printed

    def format(self) -> str:
        """The line to print; terminal-safe, as file names, keys and messages may quote anything."""
        prefix = "warning: " if self.severity == "warning" else ""
        return terminal_safe(
            f"{display_path(self.file)}:{self.position.line}:{self.position.column}: "
            f"{format_key_path(self.key_path)}: {prefix}{self.message}"
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file), self.position.line, self.position.column, self.message)


def format_key_path(key_path: KeyPath) -> str:
    """``("entries", 3, "status")`` -> ``entries[3].status``; the empty path is the document itself."""
    text = ""
    for part in key_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(document)"


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, so messages stay short."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        relative = Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.parts[:1] == ("..",) else relative.as_posix()


class CatalogError(Exception):
    """The catalog has problems; carries all of them so callers can print every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(p.format() for p in self.problems))
