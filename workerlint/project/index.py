"""The project: its root, the ProjectIndex over every Ruby file, and the SidekiqSetup.

Both are small and picklable, built from the whole project even when one file is checked. The
index is built from a per-file cache keyed by content, so a pre-commit run on one file does not
re-parse the project.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint import __version__
from workerlint.core import cache
from workerlint.lang.ruby.model import (
    ACTIVE_JOB_BASE,
    MODEL_BASES,
    WORKER_MIXINS,
    ClassFacts,
    FileFacts,
    Location,
    extract,
)
from workerlint.lang.ruby.nodes import NOT_LITERAL
from workerlint.project import codec
from workerlint.project.files import FileKind, discover
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup, build_setup

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.core.settings import Settings
    from workerlint.lang.ruby.state import MutableState

_CACHE_FILE = "index.json"


def _cache_header() -> dict[str, object]:
    """The format, workerlint's version and the shape of the facts: a change to any drops it."""
    return {"format": cache.FORMAT, "tool": __version__, "shape": codec.shape(FileFacts)}


_LOCK_SPEC = re.compile(r"^    ([A-Za-z0-9_.-]+) \(([^)]+)\)\s*$")


def parse_version(text: str) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", text.split("-")[0])
    return tuple(int(n) for n in numbers[:3]) if numbers else None


def read_version(root: Path, sidekiq_version: str | None) -> SidekiqSetup:
    """The version facts only: from ``Gemfile.lock`` (``sidekiq (X.Y.Z)``) or the setting."""
    version_text = None
    source = None
    gems: set[str] = set()
    lock = root / "Gemfile.lock"
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for number, line in enumerate(lines, 1):
        match = _LOCK_SPEC.match(line)
        if match:
            gems.add(match.group(1))
            if match.group(1) == "sidekiq" and version_text is None:
                version_text = match.group(2)
                source = f"Gemfile.lock:{number}"
    if sidekiq_version:
        version_text, source = sidekiq_version, "setting sidekiq-version"
    version = parse_version(version_text) if version_text else None
    return SidekiqSetup(version, version_text, source, frozenset(gems))


def read_setup(
    root: Path,
    sidekiq_version: str | None,
    settings: Settings | None = None,
    index: ProjectIndex | None = None,
) -> SidekiqSetup:
    """The SidekiqSetup of a project (frameworks/sidekiq/setup.py builds all but the version)."""
    base = read_version(root, sidekiq_version)
    env = settings.env_map if settings is not None else {}
    environments = settings.environments if settings is not None else None

    def constant(name: str) -> object:
        return index.constant(name, ()) if index is not None else NOT_LITERAL

    return build_setup(root, base, env, environments, constant)


@dataclass
class ProjectIndex:
    """Facts from every Ruby file of the project (RULES.md, "Project index")."""

    files: dict[str, FileFacts] = field(default_factory=dict)
    worker_base_classes: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()  # files that could not be indexed, for --verbose

    def with_file(self, facts: FileFacts) -> ProjectIndex:
        """This index plus a file it does not read (an excluded file named on the command line),
        for checking that file: its own classes are then known to its rules."""
        files = {**self.files, facts.path: facts}
        return ProjectIndex(files, self.worker_base_classes, self.problems)

    @cached_property
    def classes(self) -> dict[str, list[ClassFacts]]:
        table: dict[str, list[ClassFacts]] = {}
        for facts in self.files.values():
            for cls in facts.classes:
                table.setdefault(cls.name, []).append(cls)
        return table

    @cached_property
    def constants(self) -> dict[str, object]:
        return {k: v for facts in self.files.values() for k, v in facts.constants}

    @cached_property
    def faraday_default_options(self) -> Location | None:
        return next(
            (f.faraday_default_options for f in self.files.values() if f.faraday_default_options),
            None,
        )

    @cached_property
    def faraday_default_connection(self) -> Location | None:
        return next(
            (
                f.faraday_default_connection
                for f in self.files.values()
                if f.faraday_default_connection
            ),
            None,
        )

    @cached_property
    def semian_net_http(self) -> Location | None:
        """Where ``Semian::NetHTTP.semian_configuration`` is set in ``config/**/*.rb``."""
        return next((f.semian_net_http for f in self.files.values() if f.semian_net_http), None)

    @cached_property
    def transactional_push(self) -> Location | None:
        """Where ``Sidekiq.transactional_push!`` (or its client as the default) is configured."""
        found = (f.transactional_push for f in self.files.values() if f.transactional_push)
        return next(found, None)

    def client_class_of(self, name: str) -> ClassFacts | None:
        """The class (itself or an ancestor) whose ``sidekiq_options`` set ``client_class``."""
        for ancestor in self.ancestors(name):
            for cls in self.classes.get(ancestor, ()):
                if cls.client_class:
                    return cls
        return None

    @cached_property
    def active_job_counts(self) -> bool:
        """ActiveJob classes are workers when the adapter is Sidekiq or unknown."""
        adapters = [a for f in self.files.values() for a, _ in f.active_job_adapters]
        return not adapters or "sidekiq" in adapters or "?" in adapters

    def resolve(self, name: str, lexical: tuple[str, ...]) -> str | None:
        """The project class a constant written inside ``lexical`` refers to, if any."""
        for scope in lexical:
            candidate = f"{scope}::{name}"
            if candidate in self.classes:
                return candidate
        return name if name in self.classes else None

    def superclass_of(self, name: str) -> tuple[str | None, str | None]:
        """(resolved project superclass, superclass as written) of a project class."""
        for cls in self.classes.get(name, ()):
            if cls.superclass:
                return self.resolve(cls.superclass, cls.lexical), cls.superclass
        return None, None

    def ancestors(self, name: str) -> list[str]:
        """The class, then its project superclasses, then the first external one as written."""
        chain = [name]
        current = name
        while len(chain) < 50:
            resolved, written = self.superclass_of(current)
            if resolved is None:
                if written:
                    chain.append(written)
                break
            if resolved in chain:
                break
            chain.append(resolved)
            current = resolved
        return chain

    def includes_of(self, name: str) -> set[str]:
        return {inc for cls in self.classes.get(name, ()) for inc in cls.includes}

    @cached_property
    def _worker_memo(self) -> dict[str, bool]:
        return {}

    def is_worker(self, name: str) -> bool:
        """Whether a class is a worker class (RULES.md, "Worker class")."""
        if name not in self._worker_memo:
            self._worker_memo[name] = self._is_worker(name)
        return self._worker_memo[name]

    def _is_worker(self, name: str) -> bool:
        for ancestor in self.ancestors(name):
            if self.includes_of(ancestor) & WORKER_MIXINS:
                return True
            bare = ancestor.removeprefix("::")
            if bare == ACTIVE_JOB_BASE:
                return self.active_job_counts
            if bare in self.worker_base_classes:
                return True
        return False

    def is_active_job(self, name: str) -> bool:
        return any(a.removeprefix("::") == ACTIVE_JOB_BASE for a in self.ancestors(name))

    def is_foreign_job(self, name: str) -> bool:
        """An ActiveJob class while the project's ActiveJob adapter is not Sidekiq: a job of
        another queue system, never run by Sidekiq."""
        return not self.active_job_counts and self.is_active_job(name)

    def is_model(self, name: str) -> bool:
        for ancestor in self.ancestors(name)[1:]:
            bare = ancestor.removeprefix("::")
            if bare in MODEL_BASES:
                return True
            if bare == "ApplicationRecord" and bare not in self.classes:
                return True
        return False

    def scopes_of(self, name: str) -> set[str]:
        return self._inherited(name, lambda cls: cls.scopes)

    def bounded_scopes_of(self, name: str) -> set[str]:
        return self._inherited(name, lambda cls: cls.bounded_scopes)

    def _inherited(self, name: str, names: Callable[[ClassFacts], frozenset[str]]) -> set[str]:
        """The union of ``names`` over a class and its project ancestors (reopenings included)."""
        return {
            item
            for ancestor in self.ancestors(name)
            for cls in self.classes.get(ancestor, ())
            for item in names(cls)
        }

    def includes_httparty(self, name: str) -> bool:
        return any("HTTParty" in self.includes_of(a) for a in self.ancestors(name))

    def httparty_timeout(self, name: str) -> ClassFacts | None:
        """The class (itself or an ancestor) that sets ``default_timeout``, if any."""
        for ancestor in self.ancestors(name):
            for cls in self.classes.get(ancestor, ()):
                if cls.http_default_timeout:
                    return cls
        return None

    def constant(self, name: str, lexical: tuple[str, ...]) -> object:
        for scope in lexical:
            candidate = f"{scope}::{name}"
            if candidate in self.constants:
                return self.constants[candidate]
        return self.constants.get(name, NOT_LITERAL)

    def class_state(self, name: str) -> list[tuple[MutableState, str]]:
        """Class-level state (ruby/state.py) of a class and its project ancestors, with paths."""
        return [
            (state, cls.path)
            for ancestor in self.ancestors(name)
            for cls in self.classes.get(ancestor, ())
            for state in cls.mutable_state
        ]


SCHEMA_FILE = "db/schema.rb"  # read for its facts although db/ is not application code


def index_files(root: Path) -> list[Path]:
    """The files the index reads: the application code (RULES.md, Terms) and ``db/schema.rb``.

    Whatever paths a run names and whatever its settings exclude, so that a file's findings never
    depend on how it was asked for: an excluded folder still runs in production.
    """
    found = discover([root], root, kinds=FileKind.RUBY_KINDS)
    paths = [f.path for f in found.files]
    schema = root / SCHEMA_FILE
    if schema.is_file():
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
) -> ProjectIndex:
    """Index the project's files (``index_files``); the trees of ``keep_trees`` that this parses
    go to ``trees``, so that the lint pass does not parse them again."""
    from workerlint.lang.ruby.parse import parse
    from workerlint.lang.ruby.syntax import check

    cache_path = cache.folder(root) / _CACHE_FILE
    cached = _load_cache(cache_path) if use_cache else {}
    table: dict[str, _Entry] = {}
    problems: list[str] = []
    changed = False
    for path in index_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            stat = path.stat()
            if stat.st_size > max_file_size:
                continue
            stamp = (stat.st_size, stat.st_mtime_ns)
            hit = cached.get(rel)
            if hit is not None and hit[0] == stamp:  # unchanged since the cache was written
                table[rel] = hit
                continue
            data = path.read_bytes()
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
    return ProjectIndex(
        files={rel: facts for rel, (_, _, facts) in table.items()},
        worker_base_classes=frozenset(worker_base_classes),
        problems=tuple(problems),
    )
