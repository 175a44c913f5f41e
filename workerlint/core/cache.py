"""The on-disk cache (``.workerlint_cache/`` in the project root): data only, validated.

A pull request can add files to the checked tree, so the cache is plain JSON that nothing
executes, and a cache file is used only when it is trustworthy and intact:

- never when git tracks it (a cache that came with the code is the code's author's, not ours),
  nor when it or its folder is a symbolic link;
- never when its format, tool version, facts shape or checksum differ, or when any entry fails
  to decode to the declared types.

Anything else is ignored silently (the run is then exactly a ``--no-cache`` run, only slower)
and rewritten. Writes go to a temporary file renamed into place, so concurrent runs (two
pre-commit hooks) never leave a torn file.
"""

from __future__ import annotations

import contextlib
import os
import stat as stat_mod
from collections.abc import Iterator

from workerlint.core import warm
from workerlint.core.digest import checksum

# Light on purpose: a run the manifest replays (app/replay.py) reads through this module before
# anything else loads, so json (with re), pathlib, typing and subprocess are not imported here
# at run time: each function that reads or writes JSON imports it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

CACHE_DIR = ".workerlint_cache"
FORMAT = 2
_GITIGNORE = "# Created by workerlint: the cache is local and never committed.\n*\n"
_CLOCK = "clock"


class CacheError(ValueError):
    """A cache file that cannot be used."""


def folder(root: Path) -> Path:
    return root / CACHE_DIR


def read(path: str | Path, header: dict[str, Any]) -> Any:
    """The payload stored at ``path`` under ``header``; CacheError when it cannot be trusted.

    The file is one line of header (``header`` plus the checksum of the rest), then the payload
    as JSON: the checksum is over the payload's bytes as stored.
    """
    return _checked(value_of("cache", path), header, str(path))


def parsed(data: bytes, header: dict[str, Any]) -> Any:
    """The payload of a cache file's bytes under ``header`` (as ``read``)."""
    return _checked(_parsed(data), header, "cache file")


def _checked(parts: tuple[Any, str, Any], header: dict[str, Any], name: str) -> Any:
    stored, digest, payload = parts
    if isinstance(stored, CacheError):
        raise CacheError(f"{name}: {stored}")
    if not isinstance(stored, dict) or set(stored) != {*header, "checksum"}:
        raise CacheError(f"{name}: not a workerlint cache")
    if any(stored[key] != value for key, value in header.items()):
        raise CacheError(f"{name}: written by another version or for other facts")
    if stored["checksum"] != digest:
        raise CacheError(f"{name}: checksum mismatch")
    if isinstance(payload, CacheError):
        raise CacheError(f"{name}: {payload}")
    return payload


def value_of(kind: str, path: str | Path) -> Any:
    """The ``kind`` of value (core/warm.py's decoder) of the cache file at ``path``, taken from
    the resident server when it decoded these very bytes; CacheError when it is not one to read
    (a link, in a linked folder, tracked by git) or cannot be read."""
    if os.path.islink(path) or os.path.islink(os.path.dirname(path)):
        raise CacheError(f"{path}: a symbolic link")
    if tracked_by_git(path):
        raise CacheError(f"{path}: tracked by git")
    try:
        with open(path, "rb") as file:
            return warm.value_in(kind, str(path), file)
    except OSError as error:
        raise CacheError(f"{path}: unreadable: {error}") from None


@warm.decoder("cache")
def _parsed(data: bytes) -> tuple[Any, str, Any]:
    """A cache file's bytes as (its header line's JSON, the checksum of the rest, the rest's
    JSON); an error in place of what cannot be parsed, for ``read`` to report in its order."""
    import json

    stored, digest, body = _intact(data)
    if body is None:
        return stored, digest, None
    try:
        payload: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        payload = CacheError(f"unreadable: {error}")
    return stored, digest, payload


def _intact(data: bytes) -> tuple[Any, str, bytes | None]:
    """(the header line's JSON, the checksum of the rest, the rest when that is its stored
    checksum: None when it is not, or when the header says none)."""
    import json

    first, _, body = data.partition(b"\n")
    try:
        stored: Any = json.loads(first)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        stored = CacheError(f"unreadable: {error}")
    if not isinstance(stored, dict) or "checksum" not in stored:
        return stored, "", None  # ``read`` stops before the checksum
    digest = checksum(body)
    return stored, digest, body if stored["checksum"] == digest else None


def read_members(path: str | Path, header: dict[str, Any]) -> dict[str, str]:
    """The members of the object a cache file written by ``json_object(..., lines=True)``
    holds, each value as its JSON text, not parsed (the caller parses those it needs: a one-file
    run needs a few of the results cache's thousands); CacheError as ``read``."""
    found: dict[str, str] = _checked(value_of("members", path), header, str(path))
    return found


@warm.decoder("members")
def _members(data: bytes) -> tuple[Any, str, Any]:
    """``_parsed`` for a file of one member per line: its members' texts by key."""
    stored, digest, body = _intact(data)
    if body is None:
        return stored, digest, None
    try:
        payload: Any = members_of(body)
    except (UnicodeDecodeError, ValueError) as error:
        payload = CacheError(f"unreadable: {error}")
    return stored, digest, payload


def members_of(body: bytes) -> dict[str, str]:
    """Each member of ``json_object(..., lines=True)``'s JSON as key -> the value's JSON text.
    A value's JSON is one line: JSON writes a line break in a string as ``\\n``. ValueError
    when ``body`` is not laid out so (its JSON may still be valid: it is not what was written)."""
    import json

    rows = body.decode("utf-8").split("\n")
    if len(rows) < 2 or rows[0] != "{" or rows[-1] != "}":
        raise ValueError("not an object of one member per line")
    found: dict[str, str] = {}
    last = len(rows) - 2
    for number, row in enumerate(rows[1:-1], start=1):
        if row.endswith(",") != (number < last):  # a comma after each member but the last
            raise ValueError(f"line {number}: a comma missing or one too many")
        if number < last:
            row = row[:-1]
        end = row.find('"', 1)
        if not row.startswith('"') or end < 0:
            raise ValueError(f"line {number}: not a member")
        if "\\" in row[1:end]:  # an escape: the first quote may be one of the key's
            key, end = json.decoder.scanstring(row, 1)
        else:
            key, end = row[1:end], end + 1
        if row[end : end + 1] != ":":
            raise ValueError(f"line {number}: no colon after the key")
        found[key] = row[end + 1 :]
    return found


def dumps(value: Any) -> str:
    """The JSON text a cache file stores for ``value`` (compact, UTF-8 as is)."""
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_object(members: Iterable[tuple[str, Any]], *, lines: bool = False) -> Iterator[bytes]:
    """The JSON of an object as ``dumps`` writes it, in UTF-8 pieces, a member at a time (a
    value that is itself an iterator of pieces is written as they come, one of ``raw``'s
    texts as it is): what ``write_body`` takes for a payload too large to hold as one text.
    ``lines``: each member on a line of its own, for ``read_members``."""
    yield b"{"
    apart = "\n" if lines else ""
    for number, (key, value) in enumerate(members):
        yield f"{',' if number else ''}{apart}{dumps(key)}:".encode()
        if isinstance(value, Iterator):
            yield from value
        else:
            yield dumps(value).encode()
    yield b"\n}" if lines else b"}"


def raw(text: str) -> Iterator[bytes]:
    """A member's JSON text (``read_members``) as ``json_object`` writes it again: unchanged."""
    return iter((text.encode(),))


# A cache kept in two files (the index, the results): a base, and a delta of the entries changed
# since the base was written, so that a run that changed a few entries writes those only.
DELTA_MAX = 64  # entries a delta may hold before the base is written again, whole


def delta_path(path: Path) -> Path:
    """The delta file of the base file ``path`` (``index.json``: ``index-delta.json``)."""
    return path.with_name(f"{path.stem}-delta{path.suffix}")


def rewrites_base(has_base: bool, changed: int) -> bool:
    """Whether a layered cache's entries are written whole to its base, not to a delta of the
    ``changed`` ones: when there is no base yet, or the delta would grow past ``DELTA_MAX``."""
    return not has_base or changed > DELTA_MAX


def write_layer(path: Path, header: dict[str, Any], body: Iterable[bytes], *, base: bool) -> None:
    """``write_body`` to the base file ``path`` (and its delta removed: the base now holds every
    entry) when ``base``, else to its delta."""
    if not base:
        write_body(delta_path(path), header, body)
        return
    write_body(path, header, body)
    with contextlib.suppress(OSError):
        delta_path(path).unlink(missing_ok=True)


def write(path: Path, header: dict[str, Any], payload: Any) -> None:
    """Store ``payload`` atomically; a read-only checkout still lints, only slower."""
    write_body(path, header, [dumps(payload).encode("utf-8")])


def write_body(path: Path, header: dict[str, Any], body: Iterable[bytes]) -> None:
    """``write`` for a payload its caller has encoded itself (``dumps``), as pieces of UTF-8
    that make the payload's JSON together: a large payload is then never held as Python objects,
    nor as one text, all at once."""
    import json

    pieces = list(body)
    first = json.dumps({**header, "checksum": checksum(*pieces)}, separators=(",", ":"))
    write_file(path, first, pieces)


def write_file(path: Path, first: str, pieces: Iterable[bytes]) -> None:
    """Store a header line and the rest (in pieces) at ``path`` atomically (a temporary file
    renamed into place), in a cache folder that is not a symbolic link and ignores itself for
    git; a read-only checkout still lints, only slower."""
    try:
        if path.parent.is_symlink() or path.is_symlink():
            return
        path.parent.mkdir(exist_ok=True)
        gitignore = path.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(_GITIGNORE)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as file:
            file.write(first.encode("utf-8") + b"\n")
            file.writelines(pieces)
        tmp.replace(path)
        # The pickle cache of earlier versions: never read, so remove it.
        (path.parent / "index.pickle").unlink(missing_ok=True)
    except OSError:
        pass


def tracked_by_git(path: str | Path) -> bool:
    """Whether the git repository around ``path`` tracks it (or, unsure, might).

    Git is asked once for every file it tracks in the path's folder (a cache folder: a run
    reads up to seven files there, and each ``git ls-files`` cost 5-7 ms), and the answer is
    kept while git's index file is the same file (git writes a new index and renames it into
    place, so its inode, size and times change whenever what it tracks can have)."""
    top = _repository(os.path.dirname(os.path.abspath(path)))
    if top is None:
        return False
    rel = os.path.relpath(os.path.realpath(path), top).replace(os.sep, "/")
    folder = rel.rpartition("/")[0]
    tracked = _tracked_in(top, folder)
    if tracked is None:
        return _mentioned_in_index(top, rel)
    return rel in tracked


# What git tracks in a folder, as ``_tracked_in`` last asked, with the stamp of the index file
# it was asked under: (top, folder) -> (stamp, the tracked paths).
_TRACKED: dict[tuple[str, str], tuple[tuple[int, ...], frozenset[str]]] = {}


def _tracked_in(top: str, folder: str) -> frozenset[str] | None:
    """The paths (relative to ``top``) of the files git tracks directly in ``folder``; None
    when git cannot say."""
    stamp = _index_stamp(top)
    known = _TRACKED.get((top, folder))
    if stamp is not None and known is not None and known[0] == stamp:
        return known[1]
    listed = _git_output(
        ["git", "--literal-pathspecs", "-C", top, "ls-files", "-z", "--cached", "--", folder or "."]
    )
    if listed is None:
        return None
    tracked = frozenset(
        name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name
    )
    if stamp is not None and stamp == _index_stamp(top):  # not rewritten while git answered
        _TRACKED[(top, folder)] = (stamp, tracked)
    return tracked


def _index_stamp(top: str) -> tuple[int, ...] | None:
    """The identity of the repository's index file now (None: not one to trust a memo by)."""
    try:
        info = os.stat(os.path.join(_git_folder(top), "index"))
    except (OSError, UnicodeDecodeError):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _git_output(argv: list[str]) -> bytes | None:
    """What a git command prints, or None when it cannot run or fails.

    Spawned directly rather than through ``subprocess`` (about 4 ms to import): a replayed run
    (app/replay.py) asks this of its manifest, and that is most of what such a run does.
    """
    if not hasattr(os, "posix_spawnp"):  # not a POSIX system
        import subprocess

        try:
            done = subprocess.run(argv, capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        try:
            pid = os.posix_spawnp(
                "git",
                argv,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, write_end, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_CLOSE, read_end),
                ],
            )
        finally:
            os.close(write_end)
        chunks = []
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    except OSError:
        return None
    finally:
        os.close(read_end)
    return b"".join(chunks) if os.waitstatus_to_exitcode(status) == 0 else None


def _repository(start: str) -> str | None:
    """The nearest folder at or above ``start`` (resolved) that holds ``.git``."""
    here = os.path.realpath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _git_folder(top: str) -> str:
    """The repository's git folder: ``.git``, or where a worktree's or submodule's ``.git``
    file points ("gitdir: <path>"); OSError or UnicodeDecodeError when it cannot be read."""
    dot_git = os.path.join(top, ".git")
    if os.path.isfile(dot_git):
        with open(dot_git, encoding="utf-8") as file:
            line = file.read().strip()
        dot_git = os.path.realpath(os.path.join(top, line.removeprefix("gitdir:").strip()))
    return dot_git


def _mentioned_in_index(top: str, rel: str) -> bool:
    """Without a usable git: whether the index file names the cache folder at all (cautious)."""
    try:
        with open(os.path.join(_git_folder(top), "index"), "rb") as file:
            data = file.read()
    except (OSError, UnicodeDecodeError):
        return False
    return CACHE_DIR.encode() in data and os.path.basename(rel).encode() in data


def _kind(mode: int) -> str:
    return "d" if stat_mod.S_ISDIR(mode) else "f" if stat_mod.S_ISREG(mode) else "o"


def stamp(path: str | Path, how: str) -> list[Any]:
    """What a path is now, as far as an answer read from it depends on it: whether it exists
    and what it is (and, a symbolic link, the link's own time stamp); unless only probed, a
    file's size and time stamp, a folder's time stamp (an entry added or removed changes it).
    A cache that stands for what a run asked (the run manifest, the project's listing) is kept
    with the stamps of those paths, and trusted while they are unchanged."""
    try:
        info = link = os.lstat(path)
        if stat_mod.S_ISLNK(link.st_mode):
            info = os.stat(path)
    except OSError:
        return ["-"]
    return stamp_of(link, info, how)


def stamp_of(link: os.stat_result, info: os.stat_result, how: str) -> list[Any]:
    """``stamp`` from the path's ``lstat`` and, a link, its target's ``stat`` (else ``link``
    itself), taken when the run asked (core/fs.py ``RecordingFileSystem.stat_pairs``)."""
    kind = _kind(info.st_mode)
    found: list[Any] = [kind, stat_mod.S_ISLNK(link.st_mode)]
    if found[1]:
        found.append(link.st_mtime_ns)
    if how == "probe":
        return found
    if kind == "f":
        return [*found, info.st_size, info.st_mtime_ns]
    return [*found, info.st_mtime_ns]


def stamp_text(found: list[Any] | str) -> str:
    """A ``stamp`` as the run manifest keeps it (app/replay.py): one text."""
    return found if isinstance(found, str) else ",".join(map(str, found))


def stamp_text_now(path: str, how: str) -> str:
    """``stamp_text(stamp(path, how))``, written straight from the path's ``lstat`` when it is
    not a symbolic link (a replay stamps every input, 1,846 on hcb: building each ``stamp``'s
    list and joining it cost it about 2 ms)."""
    try:
        info = os.lstat(path)
    except OSError:
        return "-"
    mode = info.st_mode
    if stat_mod.S_ISREG(mode):  # ``_kind``'s letters, a file first (most inputs are)
        return f"f,False,{info.st_size},{info.st_mtime_ns}" if how != "probe" else "f,False"
    if stat_mod.S_ISLNK(mode):
        return stamp_text(stamp(path, how))
    kind = "d" if stat_mod.S_ISDIR(mode) else "o"
    return f"{kind},False,{info.st_mtime_ns}" if how != "probe" else f"{kind},False"


def racy(found: list[Any], how: str, clock: int) -> bool:
    """Whether a ``stamp`` proves nothing: time stamps are coarse, so a file or folder stamped
    at or after the ``clock`` may have changed again in the same tick."""
    return how != "probe" and found[0] in ("f", "d") and found[-1] >= clock


def clock(cache_folder: Path) -> int | None:
    """The file system's time now, as it stamps files: the cache folder's clock file written
    and stamped (None when the folder cannot hold it: a symbolic link, read only)."""
    try:
        if cache_folder.is_symlink():
            return None
        cache_folder.mkdir(exist_ok=True)
        gitignore = cache_folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(_GITIGNORE)
        path = cache_folder / _CLOCK
        path.write_bytes(b"")
        return path.stat().st_mtime_ns
    except OSError:
        return None
