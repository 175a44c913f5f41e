"""What each project file is (its kind), the worker folders, and discovery with those kinds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from workerlint.core import discovery
from workerlint.core.discovery import Discovery, NestedExcludes, SourceFile, folder_of
from workerlint.core.fs import DISK, FileSystem
from workerlint.lang.ruby.unit import RUBY
from workerlint.project.roots import starts_project

__all__ = ["Discovery", "FileKind", "SourceFile", "classify", "discover", "folder_of"]

# Not application code (RULES.md, Terms): never checked unless named, never indexed.
DEFAULT_EXCLUDES = (
    "vendor", "node_modules", "tmp", "log", "spec", "test", "tests", "features", "db", ".git",
    ".venv", ".workerlint_cache",
)  # fmt: skip
WORKER_DIRS = ("app/workers", "app/jobs", "app/sidekiq", "lib/workers")


class FileKind:
    RUBY = "ruby"
    RUBY_CONFIG = "ruby-config"  # config/**/*.rb
    SIDEKIQ_INITIALIZER = "sidekiq-initializer"  # config/**/*.rb configuring Sidekiq
    RAKE = "rake"  # lib/tasks/**/*.rake: Ruby (RULES.md, "Application code")
    SIDEKIQ_YAML = "sidekiq-yaml"
    DATABASE_YAML = "database-yaml"
    PROCFILE = "procfile"
    GEMFILE_LOCK = "gemfile-lock"

    RUBY_KINDS = frozenset({RUBY, RUBY_CONFIG, SIDEKIQ_INITIALIZER, RAKE})
    YAML_KINDS = frozenset({SIDEKIQ_YAML, DATABASE_YAML})


_SIDEKIQ_YAML = re.compile(r"^config/sidekiq[\w.-]*\.ya?ml(\.erb)?$")


def classify(
    relpath: str, path: Path | None = None, fs: FileSystem = DISK
) -> tuple[str, str | None] | None:
    """The kind and language of a project file, or None when workerlint does not read it."""
    kind = kind_of(relpath, path, fs)
    if kind is None:
        return None
    return kind, RUBY if kind in FileKind.RUBY_KINDS else None


def kind_of(relpath: str, path: Path | None = None, fs: FileSystem = DISK) -> str | None:
    """The kind of a project file, or None when workerlint does not read it (``path``, read
    from ``fs``, tells a Sidekiq initializer from other configuration)."""
    name = PurePosixPath(relpath).name
    if relpath.endswith(".rb"):
        if relpath.startswith("config/"):
            if path is not None and _mentions_sidekiq_config(path, fs):
                return FileKind.SIDEKIQ_INITIALIZER
            return FileKind.RUBY_CONFIG
        return FileKind.RUBY
    if relpath.endswith(".rake") and (relpath.startswith("lib/tasks/") or "/lib/tasks/" in relpath):
        return FileKind.RAKE
    if _SIDEKIQ_YAML.match(relpath):
        return FileKind.SIDEKIQ_YAML
    if relpath in ("config/database.yml", "config/database.yml.erb"):
        return FileKind.DATABASE_YAML
    if name == "Procfile" or name.startswith("Procfile."):
        return FileKind.PROCFILE
    if name == "Gemfile.lock":
        return FileKind.GEMFILE_LOCK
    return None


def _mentions_sidekiq_config(path: Path, fs: FileSystem) -> bool:
    try:
        head = fs.read_bytes(path)[: 256 * 1024]
    except OSError:
        return False
    return b"Sidekiq.configure_server" in head or b"Sidekiq.configure_client" in head


def in_worker_dir(relpath: str, extra: Iterable[str] = ()) -> bool:
    for folder in (*WORKER_DIRS, *extra):
        folder = folder.strip("/")
        if relpath == folder or relpath.startswith(folder + "/"):
            return True
    return False


def discover(
    paths: Iterable[Path],
    root: Path,
    exclude: Iterable[str] = (),
    *,
    force_exclude: bool = False,
    kinds: frozenset[str] | None = None,
    nested_excludes: NestedExcludes | None = None,
    fs: FileSystem = DISK,
) -> Discovery:
    """The project's files under ``paths``, classified, outside the default excludes."""
    return discovery.discover(
        paths,
        root,
        exclude,
        classify=lambda relpath, path: classify(relpath, path, fs),
        starts_project=lambda folder: starts_project(folder, fs),
        default_excludes=DEFAULT_EXCLUDES,
        force_exclude=force_exclude,
        kinds=kinds,
        nested_excludes=nested_excludes,
        fs=fs,
    )
