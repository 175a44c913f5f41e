"""Building the project index: the facts of every file of the application, per language, from
the cache.

Built from the whole project even when one file is checked, from a per-file cache keyed by
content (core/cache.py, codec.py), so a pre-commit run on one file does not re-parse the project.
The cache is two files, each written whole and atomically: ``index.json`` and a delta of the
entries changed since it was written (``index-delta.json``), so a one-file run writes a few
entries, not every file's; the base is rewritten when the delta grows past ``cache.DELTA_MAX``
entries or an entry is dropped (core/cache.py ``write_layer``).
Ruby files give ``FileFacts`` (lang/ruby/model.py) to a ``RubyIndex``, Python files
``ModuleFacts`` (lang/python/model.py) to a ``PythonIndex``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from functools import cache as cache_function
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from workerlint import __version__
from workerlint.core import cache, later, warm
from workerlint.core.digest import content_digest
from workerlint.core.fs import DISK, FileSystem, RecordingFileSystem
from workerlint.core.records import record
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.unit import PythonUnit
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.names import SCHEMA_FILE
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project import codec, listing
from workerlint.project.files import FileKind, SourceFile, discover
from workerlint.project.index_layers import LANGUAGES, Cached, Layer, empty, is_python, layer

if TYPE_CHECKING:
    from workerlint.lang.python.derived import Derived
    from workerlint.lang.python.model import ModuleFacts
    from workerlint.lang.ruby.model import FileFacts
    from workerlint.project.index_layers import Entry as _Entry
    from workerlint.project.index_layers import Facts

# The resident server's deriver of the Python tasks per module (core/warm.py).
_PYTHON_TASKS = "python-tasks"
_CACHE_FILE = "index.json"  # and its delta (core/cache.py ``write_layer``: index-delta.json)
# The name of the index's walk among the project's listings (project/listing.py).
_LISTING = "index"
# A file read and parsed once per run, in its language (app/source.py keeps them).
Unit = RubyUnit | PythonUnit
# What reads a file for the index: a unit of its language, shared with the run's other readers.
UnitFor = Callable[[Path, str, bytes], Unit]


# The shape of both languages' facts (``facts_shape()``: the fields of every type they are
# made of, as codec.shape describes them), written here so that a run neither describes them
# (about 3 ms) nor loads the model of a language it has no file of. A change to a fact's fields
# changes it: tests/test_index_layers.py fails, with the new value, until it is updated here.
FACTS_SHAPE = "bb98ffdc94642b41e157cbeb92a0046c"


def _cache_header() -> dict[str, object]:
    """The format, workerlint's version and the shape of the facts: a change to any drops it."""
    return {"format": cache.FORMAT, "tool": __version__, "shape": FACTS_SHAPE}


def facts_shape() -> str:
    """What ``FACTS_SHAPE`` must be: a digest of both languages' facts' shapes."""
    from workerlint.lang.python.model import ModuleFacts
    from workerlint.lang.ruby.model import FileFacts

    shapes = [codec.shape(FileFacts), codec.shape(ModuleFacts)]
    return content_digest(json.dumps(shapes, sort_keys=True).encode())


def index_files(root: Path, fs: FileSystem = DISK) -> list[Path]:
    """The files the index reads: the application code (RULES.md, Terms) in Ruby and Python,
    and ``db/schema.rb`` (read for its unique indexes although db/ is not application code).

    Whatever paths a run names and whatever its settings exclude, so that a file's findings never
    depend on how it was asked for: an excluded folder still runs in production.
    """
    kinds = FileKind.RUBY_KINDS | {FileKind.PYTHON}
    found = discover([root], root, kinds=kinds, fs=fs)
    paths = [f.path for f in found.files]
    schema = root / SCHEMA_FILE
    if fs.is_file(schema):
        paths.append(schema)
    return paths


def listed_index_files(root: Path, fs: FileSystem = DISK) -> list[Path]:
    """``index_files``, kept between runs while nothing its walk read has changed
    (project/listing.py): a one-file run does not walk the whole tree."""

    def walk(through: FileSystem) -> list[str]:
        return [path.relative_to(root).as_posix() for path in index_files(root, through)]

    return [root / rel for rel in listing.cached_walk(root, _LISTING, walk, fs)]


def store_listing(
    root: Path, paths: list[Path], recorder: RecordingFileSystem, clock: int | None
) -> None:
    """Keep ``paths``, ``index_files`` as a walk through ``recorder`` found them after the cache
    folder's ``clock`` was taken (``index_files_of`` in a full run), as the listing that
    ``listed_index_files`` reads."""
    found = [path.relative_to(root).as_posix() for path in paths]
    listing.store(root, _LISTING, recorder, clock, found)


def index_files_of(found: list[SourceFile], root: Path, fs: FileSystem = DISK) -> list[Path]:
    """``index_files`` from a walk of the whole project that used no exclude beyond the
    defaults (the run's own discovery of the root): the same walk, so the same files, without
    walking the tree a second time."""
    kinds = FileKind.RUBY_KINDS | {FileKind.PYTHON}
    paths = [f.path for f in found if f.kind in kinds]
    schema = root / SCHEMA_FILE
    if fs.is_file(schema):
        paths.append(schema)
    return paths


def new_unit(relpath: str, data: bytes) -> Unit:
    """A fresh unit of the file's language."""
    return PythonUnit(relpath, data) if is_python(relpath) else RubyUnit(relpath, data)


@cache_function
def _hint(language: str) -> Any:
    """The type of a cached entry of ``language``'s files (its model loaded when first asked:
    when the cache holds a file of it)."""
    if language == "ruby":
        from workerlint.lang.ruby.model import FileFacts

        return tuple[tuple[int, int], str, FileFacts]
    from workerlint.lang.python.model import ModuleFacts

    return tuple[tuple[int, int], str, ModuleFacts]


def _load_cache(path: Path) -> tuple[dict[str, _Entry], dict[str, Any]]:
    """The cached entries (the base file's, and over them its delta's: ``_load_cached``)."""
    cached = _load_cached(path)
    return cached.table, cached.raw


def _load_cached(path: Path) -> Cached:
    """The base file's entries with the delta's over them (project/index_layers.py). A delta
    without its base is not read. Each entry is keyed by its file's stamp, so a delta written
    beside another base (two runs at once) is still exact: an entry whose file has changed
    since is a miss like any other."""
    base = _load_layer(path)
    if not base.table:
        return Cached(empty())
    return Cached(base, _load_layer(cache.delta_path(path)))


def _load_entries(path: Path) -> tuple[dict[str, _Entry], dict[str, Any]]:
    """The entries of one cache file and each one's JSON data (``_load_layer``)."""
    found = _load_layer(path)
    return found.table, found.raw


def _load_layer(path: Path) -> Layer:
    """The entries of one cache file, or nothing when the file is absent or cannot be trusted;
    and each entry's JSON data as read (``_encoded`` writes an unchanged entry back from
    it). Decoded by ``_decoded``, or taken from the resident server when it decoded these very
    bytes ahead (core/warm.py)."""
    if not path.is_file():
        return empty()
    try:
        found: Layer = cache.value_of("index", path)
    except cache.CacheError:
        return empty()
    return found


@warm.decoder("index")
def _decoded(data: bytes) -> Layer:
    """An index cache file's bytes as its entries (``_load_layer``)."""
    try:
        payload = cache.parsed(data, _cache_header())
        if not isinstance(payload, dict) or payload.keys() != set(LANGUAGES):
            raise codec.DecodeError("expected an object per language")
        table: dict[str, _Entry] = {}
        raw: dict[str, Any] = {}
        for language in LANGUAGES:
            entries = payload[language]
            if not isinstance(entries, dict):
                raise codec.DecodeError("expected an object")
            for rel, entry in entries.items():
                if is_python(rel) != (language == "python"):
                    raise codec.DecodeError("an entry under another language")
                table[rel] = codec.decode(entry, _hint(language))
                raw[rel] = entry
        if any(facts.path != rel for rel, (_, _, facts) in table.items()):
            raise codec.DecodeError("an entry's facts belong to another file")
        return layer(table, raw)
    except (cache.CacheError, codec.DecodeError):
        return empty()


@warm.deriver(_PYTHON_TASKS, "index")
def _derived_tasks(found: Layer, params: str) -> Derived:
    """The tasks per module of an index cache file's Python facts (build_index's ``ahead``),
    under the settings ``params`` gives."""
    from workerlint.lang.python.derived import derive

    decorators, bases = json.loads(params)
    python = cast("dict[str, ModuleFacts]", found.files["python"])
    return derive(PythonIndex(python, frozenset(decorators), frozenset(bases)))


def _encoded(table: dict[str, _Entry], raw: Mapping[str, Any]) -> Iterator[bytes]:
    """The JSON of ``{language: {rel: entry}}`` (entries in path order; an entry found in ``raw``,
    the JSON data of that very entry as ``_load_entries`` read and checked it, is written from
    there instead of encoded again) in pieces made entry by
    entry (``cache.json_object``): the whole payload as Python objects took about 50 MB on
    saleor (6 MB of JSON), and so did one text of it (a text holding one character beyond
    Latin-1 takes 2-4 bytes for every character)."""
    by_language: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for rel in sorted(table):
        by_language["python" if is_python(rel) else "ruby"].append(rel)

    def entry(rel: str, language: str) -> Any:
        data = raw.get(rel)
        return codec.encode(table[rel], _hint(language)) if data is None else data

    return cache.json_object(
        (language, cache.json_object((rel, entry(rel, language)) for rel in rels))
        for language, rels in by_language.items()
    )


def _save_layers(path: Path, cached: Cached) -> None:
    """Store the entries: those that differ from the base file's in the delta file (a one-file
    run does not rewrite every entry), or everything in the base file and no delta when an
    entry is dropped or ``cache.rewrites_base`` says so."""
    changed = cached.for_delta()
    whole = cached.dropped or cache.rewrites_base(cached.has_base, len(changed))
    body = _encoded(cached.table if whole else changed, cached.raw)
    cache.write_layer(path, _cache_header(), body, base=whole)


def _restamped(data: Any, stamp: tuple[int, int], digest: str) -> Any:
    """A cached entry's JSON data under a new stamp, its content (digest, facts) unchanged."""
    return [list(stamp), digest, data[2]]


@record(frozen=True)
class Pending:
    """A file the cache does not answer for by its stamp: read it, and parse it unless its
    content is the cached one (``known_digest``)."""

    path: Path
    rel: str
    stamp: tuple[int, int]
    known_digest: str | None


@record(frozen=True)
class Extracted:
    """What reading a pending file gave: its digest, and its facts (None: the cached facts still
    hold, the content is unchanged) or why it could not be indexed."""

    rel: str
    stamp: tuple[int, int]
    digest: str
    facts: Facts | None = None
    problem: str | None = None


@record(frozen=True)
class ProjectIndex:
    """The facts of every application file, per language."""

    ruby: RubyIndex
    python: PythonIndex
    problems: tuple[str, ...] = ()
    # A digest of every indexed file's path and content, and of the files that could not be
    # indexed: the facts are a function of them (app/results_cache.py keys findings by it).
    fingerprint: str = ""


def extract_pending(
    items: list[Pending], fs: FileSystem = DISK, unit_for: UnitFor | None = None
) -> list[Extracted]:
    """Read, digest and (when changed) parse and extract each pending file, through
    ``unit_for`` so that the run's other readers of a file share its parse. Runs in the process
    that will lint the files (a worker of a parallel run)."""
    found = []
    for item in items:
        try:
            data = fs.read_bytes(item.path)
        except OSError:
            continue
        digest = content_digest(data)
        if digest == item.known_digest:  # touched, same content
            found.append(Extracted(item.rel, item.stamp, digest))
            continue
        unit = unit_for(item.path, item.rel, data) if unit_for else new_unit(item.rel, data)
        try:
            facts = unit.facts  # a file with grammar gaps: read as rewritten
        except Exception as error:  # one odd file must not stop the run
            problem = f"{item.rel}: not indexed: {type(error).__name__}: {error}"
            found.append(Extracted(item.rel, item.stamp, digest, problem=problem))
            continue
        found.append(Extracted(item.rel, item.stamp, digest, facts))
    return found


Extract = Callable[[list[Pending]], list[Extracted]]


def _relative(path: Path, root: Path, prefix: str) -> str:
    """``path.relative_to(root).as_posix()``, from the text when ``path`` is ``root / rel``
    (``relative_to`` was most of ``build_index``'s loop); ``prefix``: ``root`` and a separator."""
    text = str(path)
    if not text.startswith(prefix):
        return path.relative_to(root).as_posix()
    rel = text[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def build_index(
    root: Path,
    *,
    worker_base_classes: tuple[str, ...] = (),
    task_decorators: tuple[str, ...] = (),
    task_base_classes: tuple[str, ...] = (),
    worker_paths: tuple[str, ...] = (),
    use_cache: bool = True,
    max_file_size: int = 5 * 1024 * 1024,
    fs: FileSystem = DISK,
    unit_for: UnitFor | None = None,
    extract: Extract | None = None,
    files: list[Path] | None = None,
) -> ProjectIndex:
    """Index the project's files (``index_files``, read from ``fs``). Files the cache answers
    for are not read; the others are read and parsed by ``extract`` (a parallel run hands them
    to the workers that lint them), else here, through ``unit_for``. The cache is kept only on a
    file system that persists (the disk). ``files``: ``index_files`` when the caller has them
    already (``index_files_of``)."""
    use_cache = use_cache and fs.persistent
    cache_path = cache.folder(root) / _CACHE_FILE
    # Changed in place, and read only for the files whose stamp changed (index_layers.py).
    cached = _load_cached(cache_path) if use_cache else Cached(empty())
    pending: list[Pending] = []
    if files is None:
        files = listed_index_files(root, fs) if use_cache else index_files(root, fs)
    prefix = os.path.join(str(root), "")
    present: set[str] = set()
    for path in files:
        rel = _relative(path, root, prefix)
        try:
            stamp = fs.stamp(path, max_file_size)
        except OSError:
            continue
        if stamp is None:
            continue
        present.add(rel)
        known = cached.stamps.get(rel)
        if known == stamp:  # unchanged since the cache was written
            continue
        digest = cached.table[rel][1] if known is not None else None
        pending.append(Pending(path, rel, stamp, digest))
    # The cache's entries whose file is gone (counted through this run's paths: index_layers.py
    # says why the cache's own are not read).
    gone = (
        [rel for rel in cached.table if rel not in present]
        if sum(rel in cached for rel in present) < len(cached)
        else []
    )
    results = extract_pending(pending, fs, unit_for) if extract is None else extract(pending)
    problems = []
    for found in sorted(results, key=lambda r: r.rel):
        if found.problem is not None:
            problems.append(found.problem)
            if found.rel in cached:
                gone.append(found.rel)
        elif found.facts is None:  # the same content: the cached facts, under the new stamp
            facts = cached.table[found.rel][2]
            data = _restamped(cached.raw[found.rel], found.stamp, found.digest)
            cached.put(found.rel, (found.stamp, found.digest, facts), data)
        else:
            cached.put(found.rel, (found.stamp, found.digest, found.facts), None)
    for rel in gone:
        cached.drop(rel)
    if use_cache and (pending or gone):  # nothing changes ``cached`` after this
        later.after_answer(partial(_save_layers, cache_path, cached))
    ruby = cast("dict[str, FileFacts]", cached.by_language("ruby"))
    python = cast("dict[str, ModuleFacts]", cached.by_language("python"))
    ahead = None
    if use_cache and python:
        params = json.dumps([sorted(task_decorators), sorted(task_base_classes)])
        derived = warm.derived(_PYTHON_TASKS, str(cache_path), params, cached.base)
        if derived is not None:  # the base file's facts: the delta's and this run's differ
            from workerlint.lang.python.derived import Ahead

            differing = frozenset(filter(is_python, cached.delta_keys | cached.changed))
            ahead = Ahead(derived, differing)
    return ProjectIndex(
        ruby=RubyIndex(
            files=ruby,
            worker_base_classes=frozenset(worker_base_classes),
            problems=tuple(problems),
        ),
        python=PythonIndex(
            files=python,
            task_decorators=frozenset(task_decorators),
            task_base_classes=frozenset(task_base_classes),
            worker_paths=worker_paths,
            ahead=ahead,
        ),
        problems=tuple(problems),
        fingerprint=cached.fingerprint(problems),
    )
