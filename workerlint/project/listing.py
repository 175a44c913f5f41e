"""The project's file listing, kept between runs: a one-file run (pre-commit) must not walk the
whole tree to learn which files the index reads (the Speed issue).

A listing is what a walk of the tree gave, and a walk's answer is a function of what it asked
the file system: the folders it listed (their entries), the files it read (their content) and
the paths it probed (whether they exist, and what they are). So the listing is stored with a
stamp of each of those (core/cache.py ``stamp``, the run manifest's: a folder's time stamp
changes when an entry is added, removed or renamed, a file's size or time stamp when it is
written) and reused while every stamp is as stored. The walk runs after the cache folder's clock
is taken; a stamp at or after the clock may hide a change made in the same tick, so then nothing
is stored. Only on the disk; data only (the cache's JSON, checked), one file per project,
written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workerlint import __version__
from workerlint.core import cache
from workerlint.core.fs import FileSystem, RecordingFileSystem
from workerlint.core.implied import without_implied

_CACHE_FILE = "files.json"
# A walk of folder trees: the project-relative paths it found, read through the file system given.
Walk = Callable[[FileSystem], list[str]]


def _header(name: str) -> dict[str, object]:
    return {"format": cache.FORMAT, "tool": __version__, "shape": f"listing {name}"}


def cached_walk(root: Path, name: str, walk: Walk, fs: FileSystem) -> list[str]:
    """``walk(fs)``, or its stored answer while nothing it asked about has changed. ``name``
    tells apart the walks a project keeps (one answer per name)."""
    if not fs.persistent:
        return walk(fs)
    path = cache.folder(root) / _CACHE_FILE
    stored = _stored(path, name, root)
    if stored is not None:
        inputs, found = stored
        prefix = str(root).rstrip(os.sep) + os.sep  # (the same paths as root / rel, faster)
        if all(cache.stamp(prefix + rel if rel else root, how) == was for rel, how, was in inputs):
            _note(fs, root, inputs)
            return found
    clock = cache.clock(cache.folder(root))
    recorder = RecordingFileSystem(fs)
    found = walk(recorder)
    store(root, name, recorder, clock, found)
    return found


def store(
    root: Path, name: str, recorder: RecordingFileSystem, clock: int | None, found: list[str]
) -> None:
    """Keep ``found``, the answer of a walk that read the tree through ``recorder`` after the
    cache folder's ``clock`` was taken (None: it could not be), as the walk ``name``'s. A full
    run stores the walk its own discovery made (app/runner.py), so that the one-file run after
    it does not walk the tree."""
    if clock is None:
        return
    inputs = _inputs(root, recorder, clock)
    if inputs is not None:
        cache.write(
            cache.folder(root) / _CACHE_FILE, _header(name), {"inputs": inputs, "found": found}
        )


def _stored(path: Path, name: str, root: Path) -> tuple[list[list[Any]], list[str]] | None:
    """The stored inputs and answer, when the file is there and holds data of their shape."""
    if not path.is_file():
        return None
    try:
        payload = cache.read(path, _header(name))
    except cache.CacheError:
        return None
    if not isinstance(payload, dict) or payload.keys() != {"inputs", "found"}:
        return None
    inputs, found = payload["inputs"], payload["found"]
    if not (isinstance(found, list) and all(isinstance(f, str) for f in found)):
        return None
    if not isinstance(inputs, list):
        return None
    for entry in inputs:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and entry[1] in ("probe", "stat", "list", "read")
            and isinstance(entry[2], list)
        ):
            return None
    return inputs, found


def _inputs(root: Path, recorder: RecordingFileSystem, clock: int) -> list[list[Any]] | None:
    """Each path the walk asked about, relative to the root, with its stamp now; None when one
    cannot prove the answer still holds (outside the root, a deep glob, racy)."""
    found = []
    for path in sorted(recorder.touched, key=str):
        how = recorder.touched[path]
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            return None
        if how not in ("probe", "stat", "list", "read"):
            return None
        now = cache.stamp(path, how)
        if cache.racy(now, how, clock):
            return None
        found.append(["" if rel == "." else rel, how, now])
    # A probe that a listed folder's stamp answers is not stamped again (core/implied.py).
    listings = recorder.listings
    return without_implied(found, lambda rel: listings.get(root / rel if rel else root), "/")


def _note(fs: FileSystem, root: Path, inputs: list[list[Any]]) -> None:
    """Tell the run's recorder (the manifest's) what the stored answer stands for."""
    if isinstance(fs, RecordingFileSystem):
        fs.adopt([(root / rel, how, found) for rel, how, found in inputs])
