"""Building the project index: the facts of every file of the application, from the cache.

Built from the whole project even when one file is checked, from a per-file cache keyed by
content (core/cache.py, codec.py), so a pre-commit run on one file does not re-parse the project.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint import __version__
from workerlint.core import cache
from workerlint.core.fs import DISK, FileSystem
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.model import FileFacts, extract
from workerlint.project import codec
from workerlint.project.files import FileKind, discover

if TYPE_CHECKING:
    from tree_sitter import Tree


_CACHE_FILE = "index.json"


def _cache_header() -> dict[str, object]:
    """The format, workerlint's version and the shape of the facts: a change to any drops it."""
    return {"format": cache.FORMAT, "tool": __version__, "shape": codec.shape(FileFacts)}


SCHEMA_FILE = "db/schema.rb"  # read for its facts although db/ is not application code


def index_files(root: Path, fs: FileSystem = DISK) -> list[Path]:
    """The files the index reads: the application code (RULES.md, Terms) and ``db/schema.rb``.

    Whatever paths a run names and whatever its settings exclude, so that a file's findings never
    depend on how it was asked for: an excluded folder still runs in production.
    """
    found = discover([root], root, kinds=FileKind.RUBY_KINDS, fs=fs)
    paths = [f.path for f in found.files]
    schema = root / SCHEMA_FILE
    if fs.is_file(schema):
        paths.append(schema)
    return paths


# Per file: ((size, mtime_ns), content digest, facts).
_Entry = tuple[tuple[int, int], str, FileFacts]
_ENTRY_HINT = tuple[tuple[int, int], str, FileFacts]


def _load_cache(path: Path) -> dict[str, _Entry]:
    """The cached entries, or nothing when the file is absent or cannot be trusted."""
    if not path.is_file():
        return {}
    try:
        payload = cache.read(path, _cache_header())
        if not isinstance(payload, dict):
            raise codec.DecodeError("expected an object")
        table = {rel: codec.decode(entry, _ENTRY_HINT) for rel, entry in payload.items()}
        if any(facts.path != rel for rel, (_, _, facts) in table.items()):
            raise codec.DecodeError("an entry's facts belong to another file")
        return table
    except (cache.CacheError, codec.DecodeError):
        return {}


def _save_cache(path: Path, table: dict[str, _Entry]) -> None:
    payload = {rel: codec.encode(entry, _ENTRY_HINT) for rel, entry in sorted(table.items())}
    cache.write(path, _cache_header(), payload)


def build_index(
    root: Path,
    *,
    worker_base_classes: tuple[str, ...] = (),
    use_cache: bool = True,
    max_file_size: int = 5 * 1024 * 1024,
    keep_trees: frozenset[Path] = frozenset(),
    trees: dict[Path, tuple[bytes, Tree]] | None = None,
    fs: FileSystem = DISK,
) -> RubyIndex:
    """Index the project's files (``index_files``, read from ``fs``); the trees of
    ``keep_trees`` that this parses go to ``trees``, so that the lint pass does not parse them
    again. The cache is kept only on a file system that persists (the disk)."""
    from workerlint.lang.ruby.parse import parse
    from workerlint.lang.ruby.syntax import check

    use_cache = use_cache and fs.persistent
    cache_path = cache.folder(root) / _CACHE_FILE
    cached = _load_cache(cache_path) if use_cache else {}
    table: dict[str, _Entry] = {}
    problems: list[str] = []
    changed = False
    for path in index_files(root, fs):
        rel = path.relative_to(root).as_posix()
        try:
            size = fs.size(path)
            if size > max_file_size:
                continue
            stamp = (size, fs.mtime_ns(path))
            hit = cached.get(rel)
            if hit is not None and hit[0] == stamp:  # unchanged since the cache was written
                table[rel] = hit
                continue
            data = fs.read_bytes(path)
        except OSError:
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        changed = True
        if hit is not None and hit[1] == digest:  # touched, same content
            table[rel] = (stamp, digest, hit[2])
            continue
        tree = parse(data)
        try:
            facts, _ = extract(check(data, tree).tree, rel)  # a file with grammar gaps: rewritten
        except Exception as error:  # one odd file must not stop the run
            problems.append(f"{rel}: not indexed: {type(error).__name__}: {error}")
            continue
        table[rel] = (stamp, digest, facts)
        if trees is not None and path in keep_trees:
            trees[path] = (data, tree)
    if use_cache and (changed or set(table) != set(cached)):
        _save_cache(cache_path, table)
    return RubyIndex(
        files={rel: facts for rel, (_, _, facts) in table.items()},
        worker_base_classes=frozenset(worker_base_classes),
        problems=tuple(problems),
    )
