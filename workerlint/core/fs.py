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
import stat as stat_mod
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Protocol

from workerlint.core.digest import content_digest


class Entry:
    """One entry of a folder, as ``os.scandir`` gives it. Its path may be given as text: the
    ``Path`` is made when first asked (a listing's entries are mostly only named: making each
    one's path cost a cached Celery setup's check 10 ms of its 20 on polar)."""

    __slots__ = ("_path", "is_dir", "is_file", "is_symlink", "name")

    def __init__(
        self, name: str, path: Path | str, is_dir: bool, is_file: bool, is_symlink: bool = False
    ) -> None:
        self.name = name
        self._path = path
        self.is_dir = is_dir
        self.is_file = is_file
        self.is_symlink = is_symlink

    @property
    def path(self) -> Path:
        found = self._path
        if isinstance(found, str):
            found = self._path = Path(found)
        return found

    def _key(self) -> tuple[str, str, bool, bool, bool]:
        return (self.name, str(self._path), self.is_dir, self.is_file, self.is_symlink)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        name, path, is_dir, is_file, is_symlink = self._key()
        return f"Entry({name!r}, {path!r}, {is_dir}, {is_file}, {is_symlink})"


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

    def stamp(self, path: Path, largest: int) -> tuple[int, int] | None:
        """(``size``, ``mtime_ns``) of a file, as one question; None when it is larger than
        ``largest`` bytes (its time is then not asked); OSError when it does not exist."""
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

    def stamp(self, path: Path, largest: int) -> tuple[int, int] | None:
        info = os.stat(path)
        return None if info.st_size > largest else (info.st_size, info.st_mtime_ns)

    def stats(self, path: Path) -> tuple[os.stat_result, os.stat_result]:
        """The path's own ``lstat`` and, a symbolic link, its target's ``stat`` (else the
        same): what ``stamp`` answers from, and what core/cache.py ``stamp`` stamps."""
        link = os.lstat(path)
        return link, os.stat(path) if stat_mod.S_ISLNK(link.st_mode) else link

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def exists(self, path: Path) -> bool:
        return path.exists()

    def scandir(self, folder: Path) -> list[Entry]:
        with os.scandir(folder) as entries:
            found = [
                Entry(e.name, e.path, e.is_dir(), e.is_file(), e.is_symlink()) for e in entries
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

    def stamp(self, path: Path, largest: int) -> tuple[int, int] | None:
        size = self.size(path)
        return None if size > largest else (size, 0)

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


# How much of a path a run's answers depend on: whether it is a file or a folder (probe), its
# size and time stamp (stat), its content (read), its entries (list), or every folder below (tree).
_RANK = {"probe": 0, "stat": 1, "list": 1, "read": 2, "tree": 2}
# How each question depends on its path, as RecordingFileSystem notes it (an error: a probe).
_HOW = {
    "size": "stat",
    "mtime_ns": "stat",
    "is_file": "probe",
    "is_dir": "probe",
    "exists": "probe",
}


def _stat_key(pair: tuple[os.stat_result, os.stat_result]) -> tuple[int, ...]:
    """What of a stamp's ``stats`` tells a change (core/cache.py ``stamp_of`` reads these)."""
    link, info = pair
    return (link.st_mode, link.st_mtime_ns, info.st_mode, info.st_size, info.st_mtime_ns)


def _unwrapped(fs: FileSystem) -> FileSystem:
    return fs


class RecordingFileSystem:
    """Another file system, noting every path a run asks about: its inputs.

    ``touched`` maps each path asked about to how (``read``, ``stat``, ``list``, ``probe``), and
    ``reads`` the digest of each file's bytes as read (app/manifest.py stamps them). While a
    window is open (``open_window``), every answer is noted too, so that ``close_window`` gives
    a digest of what a phase of the run read (app/results_cache.py). Sent to another process,
    it is the file system it wraps (a worker's reads are the parent's business).
    """

    def __init__(self, inner: FileSystem) -> None:
        self.inner = inner
        self.persistent = inner.persistent
        self.touched: dict[Path, str] = {}
        self.reads: dict[Path, str] = {}
        self.listings: dict[Path, tuple[str, ...]] = {}
        # The disk's answer to each path's first ``stamp`` (``DiskFileSystem.stats``), while no
        # later one differs (None then): the run manifest stamps the index's files with it.
        self.stat_pairs: dict[Path, tuple[os.stat_result, os.stat_result] | None] = {}
        self._window: set[str] | None = None
        # Paths first asked about after the window closed (the files then linted, and what
        # else a lint read: app/runner.py keeps no results when that is more).
        self.late: set[Path] = set()
        self._closed = False

    def __reduce__(self) -> tuple[object, tuple[FileSystem]]:
        return (_unwrapped, (self.inner,))

    def open_window(self) -> None:
        self._window = set()

    def close_window(self) -> str:
        """A digest of every answer given since ``open_window`` (sorted: order-free)."""
        noted = sorted(self._window or ())
        self._window = None
        self._closed = True
        return content_digest("\n".join(noted).encode())

    def _note(self, path: Path, how: str, answer: object) -> None:
        if self._closed:
            self.late.add(path)
        if _RANK[how] > _RANK.get(self.touched.get(path, ""), -1):
            self.touched[path] = how
        if self._window is not None:
            self._window.add(f"{how}\0{path}\0{answer!r}")

    def adopt(self, inputs: Iterable[tuple[Path, str, object]]) -> None:
        """Note paths as asked about (path, how, what it was found to be): the inputs of an
        answer a cache gave in their stead (project/listing.py), inputs of this run too; and
        by the recorder beneath, as a question asked through this one reaches it."""
        inputs = list(inputs)
        for path, how, answer in inputs:
            self._note(path, how, ("stamp", answer))
        if isinstance(self.inner, RecordingFileSystem):
            self.inner.adopt(inputs)

    def read_bytes(self, path: Path) -> bytes:
        try:
            data = self.inner.read_bytes(path)
        except OSError as error:
            self.note_answer("read_bytes", path, error)
            raise
        self.note_answer("read_bytes", path, data)
        return data

    def write_bytes(self, path: Path, data: bytes) -> None:
        self.inner.write_bytes(path, data)

    def _ask(self, path: Path, name: str) -> object:
        try:
            answer = getattr(self.inner, name)(path)
        except OSError as error:
            self.note_answer(name, path, error)
            raise
        self.note_answer(name, path, answer)
        return answer

    def note_answer(self, op: str, path: Path, answer: object, pattern: str = "") -> None:
        """Note what asking ``op`` of ``path`` (``pattern``: a glob's) gave, as asking it through
        this file system notes it; ``answer``: what the wrapped file system said, or the OSError
        it raised. A cache that asked the wrapped one (app/celery_cache.py) so adds its
        questions to the run's inputs without asking them twice."""
        if isinstance(answer, OSError):
            if op == "read_bytes":
                self._note(path, "probe", f"error {answer.errno}")
            else:
                how = "probe" if op == "scandir" else _HOW[op]
                self._note(path, how, f"{op} error {answer.errno}")
        elif op == "read_bytes":
            digest = content_digest(answer)  # type: ignore[arg-type]
            self.reads[path] = digest
            self._note(path, "read", digest)
        elif op == "scandir":
            entries: list[Entry] = answer  # type: ignore[assignment]
            names = tuple(f"{e.name}/{e.is_dir:d}{e.is_file:d}{e.is_symlink:d}" for e in entries)
            self.listings[path] = names
            self._note(path, "list", names)
        elif op == "glob":
            self._glob(path, pattern, answer, deep=False)  # type: ignore[arg-type]
        else:
            self._note(path, _HOW[op], (op, answer))

    def size(self, path: Path) -> int:
        return int(self._ask(path, "size"))  # type: ignore[call-overload]

    def mtime_ns(self, path: Path) -> int:
        return int(self._ask(path, "mtime_ns"))  # type: ignore[call-overload]

    def stamp(self, path: Path, largest: int) -> tuple[int, int] | None:
        """Noted as ``size`` then (when asked) ``mtime_ns`` are: the same inputs, the same
        window digest."""
        try:
            found = self._stamp(path, largest)
        except OSError as error:
            self._note(path, "stat", f"size error {error.errno}")
            raise
        if found is None:
            self._note(path, "stat", ("size", self.inner.size(path)))
            return None
        if self._window is None and not self._closed:  # the two notes' one effect
            if _RANK.get(self.touched.get(path, ""), -1) < _RANK["stat"]:
                self.touched[path] = "stat"
            return found
        self._note(path, "stat", ("size", found[0]))
        self._note(path, "stat", ("mtime_ns", found[1]))
        return found

    def _stamp(self, path: Path, largest: int) -> tuple[int, int] | None:
        stats = getattr(self.inner, "stats", None)
        if not callable(stats):  # not the disk itself
            return self.inner.stamp(path, largest)
        pair = stats(path)
        if path not in self.stat_pairs:
            self.stat_pairs[path] = pair
        elif (known := self.stat_pairs[path]) is not None and _stat_key(known) != _stat_key(pair):
            self.stat_pairs[path] = None  # it changed during the run
        info = pair[1]
        return None if info.st_size > largest else (info.st_size, info.st_mtime_ns)

    def is_file(self, path: Path) -> bool:
        return bool(self._ask(path, "is_file"))

    def is_dir(self, path: Path) -> bool:
        return bool(self._ask(path, "is_dir"))

    def exists(self, path: Path) -> bool:
        return bool(self._ask(path, "exists"))

    def scandir(self, folder: Path) -> list[Entry]:
        try:
            found = self.inner.scandir(folder)
        except OSError as error:
            self.note_answer("scandir", folder, error)
            raise
        self.note_answer("scandir", folder, found)
        return found

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        found = self.inner.glob(folder, pattern)
        self.note_answer("glob", folder, found, pattern)
        return found

    def rglob(self, folder: Path, pattern: str) -> list[Path]:
        found = self.inner.rglob(folder, pattern)
        self._glob(folder, pattern, found, deep=True)
        return found

    def _glob(self, folder: Path, pattern: str, found: list[Path], *, deep: bool) -> None:
        """A glob's answer depends on every folder it looked into: those are listed."""
        self._note(folder, "list", (pattern, deep, tuple(map(str, found))))
        if deep:
            self.touched[folder] = "tree"
        else:
            self._note(folder, "list", None)
        for path in found:
            self.touched.setdefault(path, "probe")

    def resolve(self, path: Path) -> Path:
        answer = self.inner.resolve(path)
        self._note(path, "probe", ("resolve", answer))
        return answer
