"""What each project file is (its kind), the worker folders, and discovery with those kinds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from workerlint.core import discovery
from workerlint.core.discovery import Discovery, NestedExcludes, SourceFile, folder_of
from workerlint.core.fs import DISK, FileSystem
from workerlint.formats.procfile import project_commands
from workerlint.lang.python.unit import PYTHON
from workerlint.lang.ruby.unit import RUBY
from workerlint.project.roots import starts_project

__all__ = ["Discovery", "FileKind", "SourceFile", "classify", "discover", "folder_of"]

# Not application code (RULES.md, Terms): never checked unless named, never indexed. Beside
# ARCHITECTURE.md's list: hidden folders (`.git`, `.venv`, `.tox`, `.semgrep`...: tools' data
# and fixtures, never the application) and the folders Python tools build or install into.
DEFAULT_EXCLUDES = (
    "vendor", "node_modules", "tmp", "log", "spec", "test", "tests", "features", "db", ".*",
    "venv", "site-packages", "__pypackages__", "__pycache__", "build", "dist",
)  # fmt: skip
WORKER_DIRS = ("app/workers", "app/jobs", "app/sidekiq", "lib/workers")


class FileKind:
    PYTHON = "python"
    RUBY = "ruby"
    RUBY_CONFIG = "ruby-config"  # config/**/*.rb
    SIDEKIQ_INITIALIZER = "sidekiq-initializer"  # config/**/*.rb configuring Sidekiq
    RAKE = "rake"  # lib/tasks/**/*.rake: Ruby (RULES.md, "Application code")
    SIDEKIQ_YAML = "sidekiq-yaml"
    DATABASE_YAML = "database-yaml"
    PROCFILE = "procfile"
    GEMFILE_LOCK = "gemfile-lock"
    # Python projects' worker-command and version inputs (project/frameworks/celery).
    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    SYSTEMD_UNIT = "systemd-unit"
    SUPERVISOR_CONF = "supervisor-conf"
    S6_RUN = "s6-run"
    PYTHON_LOCK = "python-lock"  # poetry.lock, uv.lock, pdm.lock, Pipfile.lock
    REQUIREMENTS = "requirements"  # requirements*.txt

    RUBY_KINDS = frozenset({RUBY, RUBY_CONFIG, SIDEKIQ_INITIALIZER, RAKE})
    YAML_KINDS = frozenset({SIDEKIQ_YAML, DATABASE_YAML})


_SIDEKIQ_YAML = re.compile(r"^config/sidekiq[\w.-]*\.ya?ml(\.erb)?$")


def classify(
    relpath: str,
    path: Path | None = None,
    fs: FileSystem = DISK,
    sidekiq_yaml: frozenset[str] = frozenset(),
) -> tuple[str, str | None] | None:
    """The kind and language of a project file, or None when workerlint does not read it."""
    kind = kind_of(relpath, path, fs, sidekiq_yaml)
    if kind is None:
        return None
    if kind in FileKind.RUBY_KINDS:
        return kind, RUBY
    return kind, PYTHON if kind == FileKind.PYTHON else None


def kind_of(
    relpath: str,
    path: Path | None = None,
    fs: FileSystem = DISK,
    sidekiq_yaml: frozenset[str] = frozenset(),
) -> str | None:
    """The kind of a project file, or None when workerlint does not read it (``path``, read
    from ``fs``, tells a Sidekiq initializer from other configuration; ``sidekiq_yaml`` are the
    files the project's ``sidekiq`` commands pass with ``-C``, whatever their names)."""
    name = _name(relpath)
    if relpath in sidekiq_yaml:
        return FileKind.SIDEKIQ_YAML
    if relpath.endswith(".rb"):
        if relpath.startswith("config/"):
            if path is not None and _mentions_sidekiq_config(path, fs):
                return FileKind.SIDEKIQ_INITIALIZER
            return FileKind.RUBY_CONFIG
        return FileKind.RUBY
    if relpath.endswith(".rake") and (relpath.startswith("lib/tasks/") or "/lib/tasks/" in relpath):
        return FileKind.RAKE
    if relpath.endswith(".py"):
        return FileKind.PYTHON
    if _SIDEKIQ_YAML.match(relpath):
        return FileKind.SIDEKIQ_YAML
    if relpath in ("config/database.yml", "config/database.yml.erb"):
        return FileKind.DATABASE_YAML
    if name == "Procfile" or name.startswith("Procfile."):
        return FileKind.PROCFILE
    if name == "Gemfile.lock":
        return FileKind.GEMFILE_LOCK
    return _python_input(relpath, name)


def _name(relpath: str) -> str:
    """``PurePosixPath(relpath).name``, worked out on the string where it reads the same (a
    path ending in ``/`` or ``/.`` is left to pathlib)."""
    name = relpath.rsplit("/", 1)[-1]
    return name if name not in ("", ".") else PurePosixPath(relpath).name


def _python_input(relpath: str, name: str) -> str | None:
    """The worker-command and lock inputs of a Python project's configuration."""
    from workerlint.project.frameworks.celery.commands import (  # the Celery front end, when asked
        is_compose,
        is_dockerfile,
        is_s6_run,
        is_supervisor,
    )
    from workerlint.project.frameworks.celery.version import LOCK_FILES

    if is_dockerfile(name):
        return FileKind.DOCKERFILE
    if is_compose(name):
        return FileKind.COMPOSE
    if name.endswith(".service"):
        return FileKind.SYSTEMD_UNIT
    if is_supervisor(relpath):
        return FileKind.SUPERVISOR_CONF
    if is_s6_run(relpath):
        return FileKind.S6_RUN
    if name in LOCK_FILES:
        return FileKind.PYTHON_LOCK
    if re.match(r"^requirements[\w.-]*\.txt$", name) or (
        relpath.startswith("requirements/") and name.endswith(".txt")
    ):
        return FileKind.REQUIREMENTS
    return None


def sidekiq_yaml_files(root: Path, fs: FileSystem = DISK) -> frozenset[str]:
    """The files the project's ``sidekiq`` commands (Procfiles, ``bin/`` scripts) pass with
    ``-C``: Sidekiq YAML files whatever their names (RULES.md, WL1 inputs)."""

    def read(path: Path) -> bytes | None:
        try:
            return fs.read_bytes(path) if fs.is_file(path) and fs.size(path) <= _MAX_READ else None
        except OSError:
            return None

    found = set()
    for command in project_commands(root, fs, read):
        relpath, _ = command.config()
        if relpath is not None:
            found.add(relpath)
    return frozenset(found)


_MAX_READ = 1024 * 1024


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
    named = sidekiq_yaml_files(root, fs)
    return discovery.discover(
        paths,
        root,
        exclude,
        classify=lambda relpath, path: classify(relpath, path, fs, named),
        starts_project=lambda folder: starts_project(folder, fs),
        default_excludes=DEFAULT_EXCLUDES,
        force_exclude=force_exclude,
        kinds=kinds,
        nested_excludes=nested_excludes,
        fs=fs,
    )
