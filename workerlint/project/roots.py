"""Project roots (RULES.md, Terms, "Project root"): one marker set decides roots and nesting.

The root of a path is the outermost folder, from the path up to the repository (the folder
holding ``.git``), that holds a marker; without any marker, the repository's folder; with neither,
the folder checked. Below that root, a folder with its own ``Gemfile``, ``pyproject.toml``,
``setup.cfg`` or ``setup.py`` and no ``*.gemspec`` (a second app in a monorepo) is a project of its
own; a folder with a ``*.gemspec`` (a gem or Rails engine) belongs to the project around it. A
folder is never a root because it has ``config/`` or a ``.workerlint.toml``.
"""

from __future__ import annotations

from pathlib import Path

from workerlint.core.fs import DISK, FileSystem

ROOT_MARKERS = ("Gemfile", "Gemfile.lock", "pyproject.toml", "setup.cfg", "setup.py")
PROJECT_MARKERS = ("Gemfile", "pyproject.toml", "setup.cfg", "setup.py")


def _has_marker(folder: Path, markers: tuple[str, ...], fs: FileSystem) -> bool:
    return any(fs.is_file(folder / marker) for marker in markers)


def is_gem(folder: Path, fs: FileSystem = DISK) -> bool:
    """A gem or Rails engine: its folder holds a ``*.gemspec``."""
    try:
        return any(fs.glob(folder, "*.gemspec"))
    except OSError:
        return False


def starts_project(folder: Path, fs: FileSystem = DISK) -> bool:
    """Whether a folder below a root is a project of its own (checked with its own settings)."""
    return _has_marker(folder, PROJECT_MARKERS, fs) and not is_gem(folder, fs)


def find_root(start: Path, fs: FileSystem = DISK) -> Path:
    """The project root of a file or folder (absolute, resolved)."""
    start = fs.resolve(start)
    here = start if fs.is_dir(start) else start.parent
    chain: list[Path] = []
    repository = None
    for folder in (here, *here.parents):
        chain.append(folder)
        if fs.exists(folder / ".git"):
            repository = folder
            break
    marked = [folder for folder in chain if _has_marker(folder, ROOT_MARKERS, fs)]
    if not marked:
        return repository or here
    top = marked[-1]
    # The innermost project below the top root that the path lies in.
    for folder in chain:
        if folder == top:
            break
        if starts_project(folder, fs):
            return folder
    return top
