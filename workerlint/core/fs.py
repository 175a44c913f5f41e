"""Where a run reads a project from: the disk, or files held in memory.

Every reader of project files (discovery, settings files, the project index, the framework
setups, the linter, the fix writer) is handed a FileSystem by its caller, down from
``app/runner.run``; ``DISK`` is the default. ``MemoryFileSystem`` holds a project as a mapping
of relative paths to bytes under a root that exists nowhere on disk: the example harness runs
each case in it, without writing a scratch project. Nothing here knows a language.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol


@dataclass(frozen=True)
class Entry:
    """One entry of a folder, as ``os.scandir`` gives it."""

    name: str
    path: Path
    is_dir: bool
    is_file: bool
    is_symlink: bool = False


class FileSystem(Protocol):
    # Whether a run may keep its cache (.workerlint_cache/) in the project: only on disk.
    persistent: bool

    def read_bytes(self, path: Path) -> bytes:
        """The file's content; OSError when it is not a readable file."""
        ...

    def write_bytes(self, path: Path, data: bytes) -> None:
        """Replace an existing file's content (atomically on disk, keeping its mode)."""
        ...

    def size(self, path: Path) -> int:
        """The file's size in bytes; OSError when it does not exist."""
        ...

    def mtime_ns(self, path: Path) -> int:
        """When the file last changed (0 in memory); OSError when it does not exist."""
        ...

    def is_file(self, path: Path) -> bool: ...

    def is_dir(self, path: Path) -> bool: ...

    def exists(self, path: Path) -> bool: ...

    def scandir(self, folder: Path) -> list[Entry]:
        """The folder's entries, by name; OSError when it is not a readable folder."""
        ...

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        """The entries of ``folder`` whose name matches ``pattern``, sorted."""
        ...

    def rglob(self, folder: Path, pattern: str) -> list[Path]:
        """The files and folders below ``folder`` whose name matches ``pattern``, sorted."""
        ...

    def resolve(self, path: Path) -> Path:
        """The absolute path, symbolic links followed."""
        ...


def read_text(fs: FileSystem, path: Path) -> str:
    """A file's text, undecodable bytes replaced; OSError when it cannot be read."""
    return fs.read_bytes(path).decode("utf-8", errors="replace")


class DiskFileSystem:
    """The real file system."""

    persistent = True

    def read_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def write_bytes(self, path: Path, data: bytes) -> None:
        mode = path.stat().st_mode
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, mode & 0o7777)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def size(self, path: Path) -> int:
        return path.stat().st_size

    def mtime_ns(self, path: Path) -> int:
        return path.stat().st_mtime_ns

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def exists(self, path: Path) -> bool:
        return path.exists()

    def scandir(self, folder: Path) -> list[Entry]:
        with os.scandir(folder) as entries:
            found = [
                Entry(e.name, Path(e.path), e.is_dir(), e.is_file(), e.is_symlink())
                for e in entries
            ]
        return sorted(found, key=lambda e: e.name)

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        return sorted(folder.glob(pattern))

    def rglob(self, folder: Path, pattern: str) -> list[Path]:
        return sorted(folder.rglob(pattern))

    def resolve(self, path: Path) -> Path:
        return path.resolve()


DISK: FileSystem = DiskFileSystem()


class MemoryFileSystem:
    """A project held in memory: ``files`` maps paths relative to ``root`` to their bytes.

    Nothing outside ``root`` exists; folders exist where files are below them; there are no
    symbolic links. Written files change the mapping, never the disk.
    """

    persistent = False

    def __init__(self, root: Path, files: Mapping[str, bytes]) -> None:
        if not root.is_absolute():
            raise ValueError(f"the root of a project in memory is absolute, not {root}")
        self.root = Path(os.path.normpath(root))
        self._prefix = os.path.join(str(self.root), "")  # the root with one trailing separator
        self.files = {PurePosixPath(rel).as_posix(): data for rel, data in files.items()}
        self._folders = {""}
        for rel in self.files:
            parts = rel.split("/")[:-1]
            self._folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))

    def _rel(self, path: Path) -> str | None:
        """The path relative to the root ("" for the root), or None outside it."""
        text = os.path.normpath(os.path.join(self._prefix, path))  # an absolute path stays
        if text == str(self.root):
            return ""
        if not text.startswith(self._prefix):
            return None
        return text[len(self._prefix) :].replace(os.sep, "/")

    def _file(self, path: Path) -> str:
        rel = self._rel(path)
        if rel is None or rel not in self.files:
            raise FileNotFoundError(2, "No such file", str(path))
        return rel

    def read_bytes(self, path: Path) -> bytes:
        return self.files[self._file(path)]

    def write_bytes(self, path: Path, data: bytes) -> None:
        self.files[self._file(path)] = data

    def size(self, path: Path) -> int:
        return len(self.read_bytes(path))

    def mtime_ns(self, path: Path) -> int:
        self._file(path)
        return 0

    def is_file(self, path: Path) -> bool:
        return self._rel(path) in self.files

    def is_dir(self, path: Path) -> bool:
        return self._rel(path) in self._folders

    def exists(self, path: Path) -> bool:
        return self.is_file(path) or self.is_dir(path)

    def scandir(self, folder: Path) -> list[Entry]:
        rel = self._rel(folder)
        if rel is None or rel not in self._folders:
            raise NotADirectoryError(20, "Not a folder", str(folder))
        prefix = f"{rel}/" if rel else ""
        names = {
            candidate[len(prefix) :].split("/")[0]
            for candidate in (*self.files, *self._folders)
            if candidate.startswith(prefix) and candidate != rel
        }
        base = self.resolve(folder)
        entries = []
        for name in sorted(names):
            child = f"{prefix}{name}"
            is_dir = child in self._folders
            entries.append(Entry(name, base / name, is_dir, not is_dir))
        return entries

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        try:
            entries = self.scandir(folder)
        except OSError:
            return []
        return [e.path for e in entries if fnmatch.fnmatchcase(e.name, pattern)]

    def rglob(self, folder: Path, pattern: str) -> list[Path]:
        found: list[Path] = []
        try:
            entries = self.scandir(folder)
        except OSError:
            return []
        for entry in entries:
            if fnmatch.fnmatchcase(entry.name, pattern):
                found.append(entry.path)
            if entry.is_dir:
                found.extend(self.rglob(entry.path, pattern))
        return sorted(found)

    def resolve(self, path: Path) -> Path:
        return Path(os.path.normpath(path if path.is_absolute() else self.root / path))
