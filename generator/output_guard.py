"""Where a command may write, so that no command destroys a file it did not make.

A build empties its output folder first (MkDocs cleans ``site_dir``), so an output folder must be
missing, empty, or one an earlier build made (it holds :data:`MARKER`). Whatever it holds, an
output folder is refused when it is the checkout or an ancestor of it, when it is, holds or lies
inside git's own data or a folder or file a build reads, and when it holds files git tracks (a
marker planted there unlocks nothing). A file output may replace only the command's own file, or
an earlier output of the same kind; never a source, a tracked file or anyone else's file.

Paths are resolved first (symbolic links, ``..``, relative to the working directory), so a link to
``catalog/`` is the catalog. Nothing here imports ``mkdocs``: the CLI and the plugin both use it.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = ".error-catalog-output"
"""Hidden, so MkDocs' clean (which skips dot files) keeps it; it marks a folder as a build's own."""
MARKER_TEXT = "Made by a build of the error catalog site; every build replaces what this folder holds.\n"

FOLDER_ADVICE = f"Choose a new or empty folder, or one an earlier build made (it holds {MARKER})."
LARGEST_EARLIER_OUTPUT = 512 * 1024 * 1024  # bytes; a bigger file is not one of our JSON outputs


class OutputRefused(Exception):
    """An output path that would destroy files; the message names it, says why and what to do."""


@dataclass(frozen=True)
class Project:
    """What an output must never replace, every path resolved."""

    checkouts: tuple[Path, ...]  # the project folder and its git top level
    git_dirs: tuple[Path, ...]
    sources: tuple[tuple[Path, str], ...]  # a folder or file a build reads, and what it is


def project_at(root: Path, sources: Mapping[Path, str]) -> Project:
    """The project in ``root``; relative ``sources`` are relative to ``root``."""
    root = Path(root).resolve()
    top, git_dirs = _git_layout(root)
    checkouts = tuple(dict.fromkeys(p for p in (root, top) if p is not None))
    dot_git = tuple(checkout / ".git" for checkout in checkouts)  # a worktree's .git is a file
    return Project(
        checkouts=checkouts,
        git_dirs=tuple(dict.fromkeys((*git_dirs, *dot_git))),
        sources=tuple((_real(root / path), what) for path, what in sources.items()),
    )


def check_output_folder(folder: Path, project: Project, contents: str) -> Path:
    """The resolved ``folder`` if ``contents`` (e.g. "the site") may be written into it, which
    deletes what it holds; raise :class:`OutputRefused` otherwise."""
    real = _real(folder)
    reason = _protected_folder_reason(real, project) or _occupied_folder_reason(real)
    if reason:
        raise OutputRefused(
            f"refusing to write {contents} into {_shown(folder, real)}: {reason}, "
            f"and writing there replaces what the folder holds. {FOLDER_ADVICE}"
        )
    return real


def mark_output_folder(folder: Path) -> None:
    """Create ``folder`` if needed and mark it as a build's own, so the next build may replace it."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")


def check_output_file(
    path: Path,
    project: Project,
    kind: str,
    *,
    own: Iterable[Path] = (),
    earlier_output: Callable[[Path], bool] | None = None,
) -> Path:
    """The resolved ``path`` if a ``kind`` file (e.g. "the export") may be written there: one of
    ``own`` files, a new file, or one ``earlier_output`` recognises; raise :class:`OutputRefused`."""
    path = Path(path)
    if path.is_symlink():
        raise OutputRefused(
            f"refusing to write {kind} to {path}: it is a symbolic link (to {os.readlink(path)}). "
            "Write to the file itself or to a new path."
        )
    real = _real(path)
    noun = kind.removeprefix("the ")
    reason = _file_reason(real, project, {_real(p) for p in own}, earlier_output or _nothing_earlier, noun)
    if reason:
        raise OutputRefused(
            f"refusing to write {kind} to {_shown(path, real)}: {reason}. "
            f"Write to a new file, or over an earlier {noun}."
        )
    return real


def holds_json(path: Path, looks_right: Callable[[Any], bool]) -> bool:
    """Whether ``path`` is a JSON document that ``looks_right`` accepts (an earlier output)."""
    try:
        if path.stat().st_size > LARGEST_EARLIER_OUTPUT:
            return False
        return bool(looks_right(json.loads(path.read_bytes())))
    except (OSError, ValueError, RecursionError):
        return False


def _protected_folder_reason(real: Path, project: Project) -> str | None:
    for checkout in project.checkouts:
        if real == checkout:
            return "it is the checkout itself"
        if real in checkout.parents:
            return f"it holds the checkout {checkout}"
    named = [(git_dir, "git's own data (the repository's history)") for git_dir in project.git_dirs]
    named += project.sources
    # "is" and "is inside" before "holds": a folder inside .git also holds a worktree's git data.
    for path, what in named:
        if real == path:
            return f"it is {what}"
    for path, what in named:
        if path in real.parents:
            return f"it is inside {what}"
    for path, what in named:
        if real in path.parents:
            return f"it holds {what} ({path})"
    return None


def _occupied_folder_reason(real: Path) -> str | None:
    if real.exists() and not real.is_dir():
        return "it is a file, not a folder"
    if not real.is_dir():
        return None  # a new folder
    tracked = _tracked_files(real)
    if tracked:
        return f"it holds files git tracks ({_some(tracked)})"
    try:
        names = sorted(os.listdir(real))
    except OSError as error:
        return f"it cannot be listed ({error.strerror})"
    if names and MARKER not in names:
        return f"it holds files no build made ({_some(names)})"
    return None


def _nothing_earlier(path: Path) -> bool:
    return False


def _file_reason(
    real: Path, project: Project, own: set[Path], earlier_output: Callable[[Path], bool], noun: str
) -> str | None:
    if real.is_dir():
        return "it is a folder"
    if real in own:
        return None
    for git_dir in project.git_dirs:
        if real == git_dir or git_dir in real.parents:
            return "it is inside git's own data (the repository's history)"
    for source, what in project.sources:
        if real == source:
            return f"it is {what}"
        if source in real.parents:
            return f"it is inside {what}"
    if real.parent.is_dir() and _tracked_files(real):
        return "git tracks it"
    if real.exists() and not earlier_output(real):
        return f"it holds something other than an earlier {noun}"
    return None


def _real(path: Path) -> Path:
    """The path with symbolic links and ``..`` resolved, relative paths taken from the working directory."""
    return Path(path).expanduser().resolve()


def _shown(given: Path, real: Path) -> str:
    lexical = Path(os.path.abspath(Path(given).expanduser()))
    return str(given) if lexical == real else f"{given} (which is {real})"


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _git(cwd: Path, *args: str) -> list[str] | None:
    """Lines of a git command's output, or None outside a repository or without git."""
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.split("\0" if "-z" in args else "\n") if result.returncode == 0 else None


def _git_layout(root: Path) -> tuple[Path | None, tuple[Path, ...]]:
    """The git top level holding ``root`` and git's data folders (a worktree has two)."""
    lines = _git(root, "rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir")
    if not lines or len(lines) < 3:
        return None, ()
    top, git_dir, common = lines[0], lines[1], lines[2]
    return _real(Path(top)), tuple(dict.fromkeys((_real(Path(git_dir)), _real(root / common))))


def _tracked_files(path: Path) -> list[str]:
    """Files git tracks at ``path`` (a file, or anything under a folder)."""
    folder, spec = (path, ".") if path.is_dir() else (path.parent, path.name)
    lines = _git(folder, "ls-files", "-z", "--", f":(literal){spec}")
    return [line for line in lines or [] if line]


def claim_site_dir(config: Any, catalog_dir: Path, templates_dir: Path, generator_dir: Path) -> Path:
    """Refuse an MkDocs ``site_dir`` holding anyone's files, then mark it as this site's build.

    ``config`` is MkDocs' config (read, never changed). Runs before MkDocs empties site_dir
    (``mkdocs build -d catalog`` would); raises :class:`OutputRefused`.
    """
    sources = {
        Path(config.docs_dir): "the docs folder (docs_dir)",
        catalog_dir: "the catalog folder",
        templates_dir: "the template overrides folder",
        generator_dir: "the generator package",
        Path(config.config_file_path): "the MkDocs config",
    }
    if config.theme.custom_dir:
        sources.setdefault(Path(config.theme.custom_dir), "the theme's custom_dir")
    for watched in config.watch:
        sources.setdefault(Path(watched), "a folder `mkdocs serve` watches")
    project = project_at(Path(config.config_file_path).parent, sources)
    site_dir = check_output_folder(Path(config.site_dir), project, "the site (site_dir)")
    mark_output_folder(site_dir)
    return site_dir
