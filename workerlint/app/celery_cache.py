"""The Celery setup kept as data between runs (``.workerlint_cache/celery.json``).

Building the CelerySetup (project/frameworks/celery/setup.py) parses and evaluates the settings
modules and walks the project for worker commands on every run, though a one-file run rarely
changes any of it. The setup is a function of what its build asks: the Python index's answers
(asked through a recording view, app/deps.py, each with the canonical digest of its answer), the
file system's answers (each question noted with the digest of its answer) and the
``celery_version`` setting. The stored setup is used only while every one of those questions,
asked again, gives the same digest: the build, deterministic, would then ask the same questions
and build the same setup. On a hit the file system's questions are asked again through the
run's file system, so the run's recorded inputs (app/results_cache.py, app/manifest.py) are
those of a build.

Data only: JSON through core/cache.py (never trusted when git tracks it, a symbolic link,
written by another version, or damaged); the setup through project/codec.py, checked against its
types; a setup is stored only when it decodes back equal to the one built, and only when its
build asked nothing a digest could not cover (a coarse record).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from workerlint.app.deps import Answers, Record, Recorder, Replayer
from workerlint.app.stamp import tool_stamp
from workerlint.core import cache as cache_mod
from workerlint.core.fs import DISK, FileSystem, content_digest
from workerlint.project import codec
from workerlint.project.frameworks.celery.provider import CeleryProvider

if TYPE_CHECKING:
    from workerlint.lang.python.index import PythonIndex
    from workerlint.project.frameworks.celery.model import CelerySetup

CACHE_FILE = "celery.json"
_SHAPE = "celery-setup-1"
# The file system questions a build may ask (anything else: the build is not stored).
_OPS = ("is_file", "is_dir", "size", "read_bytes", "scandir", "glob")


class _Unkeyed(Exception):
    """A stored entry that cannot be asked again."""


def _answer(fs: FileSystem, root: Path, op: str, rel: str, arg: str) -> tuple[Any, Any]:
    """(what the build gets, the data its digest is of) for one question."""
    path = root / rel if rel else root
    try:
        if op == "read_bytes":
            data = fs.read_bytes(path)
            return data, content_digest(data)
        if op == "scandir":
            entries = fs.scandir(path)
            shown = [[e.name, e.is_dir, e.is_file, e.is_symlink] for e in entries]
            return entries, shown
        if op == "glob":
            found = fs.glob(path, arg)
            return found, [p.relative_to(root).as_posix() for p in found]
        value = getattr(fs, op)(path)
        return value, value
    except OSError as error:
        return error, ["error", error.errno]


def _digest(data: Any) -> str:
    return content_digest(json.dumps(data, separators=(",", ":")).encode())


class _Noting:
    """The file system a build reads through: each question noted with its answer's digest."""

    def __init__(self, fs: FileSystem, root: Path) -> None:
        self.fs = fs
        self.root = root
        self.asked: list[list[str]] = []
        self.unkeyed = False

    def _ask(self, op: str, path: Path, arg: str = "") -> Any:
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            self.unkeyed = True  # outside the project: not asked again by a stored entry
            return getattr(self.fs, op)(path, *([arg] if arg else []))
        rel = "" if rel == "." else rel
        value, shown = _answer(self.fs, self.root, op, rel, arg)
        self.asked.append([op, rel, arg, _digest(shown)])
        if isinstance(value, OSError):
            raise value
        return value

    def is_file(self, path: Path) -> bool:
        return bool(self._ask("is_file", path))

    def is_dir(self, path: Path) -> bool:
        return bool(self._ask("is_dir", path))

    def size(self, path: Path) -> int:
        return int(self._ask("size", path))

    def read_bytes(self, path: Path) -> bytes:
        return cast(bytes, self._ask("read_bytes", path))

    def scandir(self, folder: Path) -> Any:
        return self._ask("scandir", folder)

    def glob(self, folder: Path, pattern: str) -> Any:
        return self._ask("glob", folder, pattern)

    def __getattr__(self, name: str) -> Any:
        self.unkeyed = True  # a question the entry would not ask again
        return getattr(self.fs, name)


class CachedCeleryProvider(CeleryProvider):
    """``CeleryProvider`` whose build is kept in ``celery.json`` (see the module's text)."""

    def __init__(
        self,
        root: Path,
        index: PythonIndex,
        fs: FileSystem = DISK,
        celery_version: str | None = None,
        enabled: bool = True,
    ) -> None:
        super().__init__(root, index, fs, celery_version)
        self.enabled = enabled and fs.persistent
        self.path = cache_mod.folder(root) / CACHE_FILE
        self.hit: bool | None = None  # for tests: whether the stored setup was used

    def _header(self) -> dict[str, object]:
        return {"format": cache_mod.FORMAT, "tool": tool_stamp(), "shape": _SHAPE}

    def get(self) -> CelerySetup:
        if self._setup is not None or not self.enabled or not self.index.files:
            return super().get()
        stored = self._stored()
        if stored is not None:
            self.hit = True
            self._setup = stored
            return stored
        self.hit = False
        from workerlint.project.frameworks.celery.setup import build_celery_setup

        noting = _Noting(self.fs, self.root)
        record = Record(Answers({"py": self.index}))
        view = cast("PythonIndex", Recorder(self.index, record, "py"))
        try:
            setup = build_celery_setup(
                self.root, view, cast(FileSystem, noting), self.celery_version
            )
        except Exception:  # reported as the plain build reports it
            return super().get()
        self._setup = setup
        if not (record.coarse or noting.unkeyed):
            self._store(setup, sorted(record.queries.items()), noting.asked)
        return setup

    def _stored(self) -> CelerySetup | None:
        """The stored setup when every question its build asked gives the same answer now."""
        if not self.path.is_file():
            return None
        from workerlint.project.frameworks.celery.model import CelerySetup

        try:
            payload = cache_mod.read(self.path, self._header())
            if not isinstance(payload, dict) or set(payload) != {"version", "index", "fs", "setup"}:
                return None
            if payload["version"] != self.celery_version:
                return None
            asked = _checked_questions(payload["fs"])
            if not Replayer(Answers({"py": self.index})).holds(payload["index"]):
                return None
            setup = codec.decode(payload["setup"], CelerySetup, values=True)
        except (cache_mod.CacheError, codec.DecodeError, _Unkeyed, RecursionError):
            return None
        # Asked of the file system under the run's (unrecorded) one first: a stale entry must
        # not add questions the build does not ask to the run's inputs. On a hit, the answers
        # are noted as the run's file system notes them when asked (``note_answer``).
        inner = getattr(self.fs, "inner", self.fs)
        note = getattr(self.fs, "note_answer", None) if inner is not self.fs else None
        answers = []
        for op, rel, arg, digest in asked:
            value, shown = _answer(inner, self.root, op, rel, arg)
            if _digest(shown) != digest:
                return None
            answers.append((op, rel, arg, value))
        if note is not None:
            for op, rel, arg, value in answers:
                note(op, self.root / rel if rel else self.root, value, arg)
        elif inner is not self.fs:  # a file system that cannot note answers: asked again
            for op, rel, arg, digest in asked:
                if _digest(_answer(self.fs, self.root, op, rel, arg)[1]) != digest:
                    return None
        return cast(CelerySetup, setup)

    def _store(self, setup: CelerySetup, queries: list[tuple[str, str]], asked: list[Any]) -> None:
        from workerlint.project.frameworks.celery.model import CelerySetup

        try:
            encoded = codec.encode(setup, CelerySetup)
            if codec.decode(json.loads(json.dumps(encoded)), CelerySetup, values=True) != setup:
                return
        except Exception:  # a value the codec does not know: not stored
            return
        payload = {
            "version": self.celery_version,
            "index": [list(pair) for pair in queries],
            "fs": asked,
            "setup": encoded,
        }
        cache_mod.write(self.path, self._header(), payload)


def _checked_questions(data: Any) -> list[tuple[str, str, str, str]]:
    if not isinstance(data, list):
        raise _Unkeyed("expected a list")
    found = []
    for item in data:
        if not (
            isinstance(item, list) and len(item) == 4 and all(isinstance(p, str) for p in item)
        ):
            raise _Unkeyed("expected a question")
        op, rel, arg, digest = item
        if (
            op not in _OPS
            or (arg and op != "glob")
            or rel.startswith("/")
            or ".." in rel.split("/")
        ):
            raise _Unkeyed("not a question a build asks")
        found.append((op, rel, arg, digest))
    return found
