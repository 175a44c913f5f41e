"""The SidekiqSetup model: what each Sidekiq process will run with, per environment.

Built from the project's files (SIDEKIQ-FACTS.md; RULES.md "Environments" and "Values"):
``Procfile*`` ``sidekiq`` commands, the Sidekiq YAML files, the Ruby configuration, and
``config/database.yml``. Every value records its source and status. The model is picklable.

Precedence of a process's values, strongest first: the Ruby configuration (its
``configure_server`` block runs when the application boots, after the command line is read),
the command line (``-c``, ``-q``, ``-t``), the YAML environment section, the YAML top level,
``RAILS_MAX_THREADS`` (concurrency, when supplied with ``--env``), then the version's default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.core.fs import DISK, FileSystem
from workerlint.formats.procfile import Command, project_commands
from workerlint.formats.yaml import YamlDoc, key_name, load_yaml, mapping_items
from workerlint.project.frameworks.sidekiq.active_job import (
    APPLICATION_JOB,
    AfterCommitSetting,
    after_commit_settings,
    load_defaults,
)
from workerlint.project.frameworks.sidekiq.database import (
    DATABASE_YML,
    DatabaseConfig,
    read_database,
)
from workerlint.project.frameworks.sidekiq.model import (
    STANDARD_ENVIRONMENTS,
    Process,
    SidekiqSetup,
    SidekiqYaml,
    default_concurrency,
    default_timeout,
)
from workerlint.project.frameworks.sidekiq.processes import (
    DEFAULT_FILES,
    ProcessBuilder,
    environment_flag,
)
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import (
    ConstantLookup,
    RubyConfig,
    UnitFor,
    read_ruby_file,
    setup_reads,
)

if TYPE_CHECKING:
    from workerlint.project.frameworks.sidekiq.setup_cache import SetupCache

UNCHECKED_ENVIRONMENTS = frozenset({"development", "test"})
_SIDEKIQ_YAML = re.compile(r"^sidekiq[\w.-]*\.ya?ml(\.erb)?$")
_MAX_CONFIG_SIZE = 1024 * 1024


class _Builder:
    def __init__(
        self,
        root: Path,
        env: Mapping[str, str],
        environments: tuple[str, ...] | None,
        constant: ConstantLookup,
        fs: FileSystem,
    ) -> None:
        self.root = root
        self.fs = fs
        self.env = env
        self.override = environments
        self.constant = constant
        self.data: dict[str, bytes] = {}
        self.unit_for: UnitFor | None = None
        self.cache: SetupCache | None = None
        # Each file's bytes and each ``config/**/*.rb`` listing, asked once per build: the Ruby
        # configuration and the Active Job settings read the same files.
        self._read_once: dict[Path, bytes | None] = {}
        self._config_rb: list[Path] | None = None

    def _read(self, path: Path) -> bytes | None:
        if path in self._read_once:
            return self._read_once[path]
        try:
            if not self.fs.is_file(path) or self.fs.size(path) > _MAX_CONFIG_SIZE:
                data = None
            else:
                data = self.fs.read_bytes(path)
        except OSError:
            data = None
        self._read_once[path] = data
        return data

    def _config_ruby_files(self) -> list[Path]:
        """``config/**/*.rb`` in Rails' load order: application.rb, then environments/*, then
        initializers in name order (empty without a ``config`` folder)."""
        if self._config_rb is None:
            config = self.root / "config"
            files = self.fs.rglob(config, "*.rb") if self.fs.is_dir(config) else []
            files.sort(key=lambda p: (p.name != "application.rb", "initializers" in p.parts))
            self._config_rb = files
        return list(self._config_rb)

    def build(self, base: SidekiqSetup) -> SidekiqSetup:
        version = base.version or (8,)
        project_envs = set(STANDARD_ENVIRONMENTS)
        env_dir = self.root / "config" / "environments"
        if self.fs.is_dir(env_dir):
            project_envs.update(p.stem for p in self.fs.glob(env_dir, "*.rb"))
        database = self.database(frozenset(project_envs))
        if database is not None:
            project_envs.update(database.environments)
        commands = self.commands()
        yaml_files = self.yaml_files(commands, frozenset(project_envs))
        ruby = self.ruby()
        defaults, after_commit = self.active_job()
        checked = self.checked(yaml_files, database, commands)
        builder = ProcessBuilder(self.env, self.data, version, ruby, yaml_files)
        processes = builder.processes(commands, checked)
        notes = builder.reads(commands, processes)
        return SidekiqSetup(
            version=base.version,
            version_text=base.version_text,
            version_source=base.version_source,
            gems=base.gems,
            environments=checked,
            project_environments=frozenset(project_envs),
            processes=tuple(processes),
            commands=tuple(commands),
            yaml_files=tuple(yaml_files),
            ruby=ruby,
            database=database,
            env=tuple(sorted(self.env.items())),
            gem_lines=base.gem_lines,
            notes=tuple(notes),
            active_job_version=base.active_job_version,
            active_job_version_text=base.active_job_version_text,
            load_defaults=defaults,
            after_commit=tuple(after_commit),
        )

    def database(self, known_envs: frozenset[str]) -> DatabaseConfig | None:
        data = self._read(self.root / DATABASE_YML)
        if data is None:
            return None
        if self.cache is not None:
            self.cache.prime_yaml(data, self.env)
        return read_database(DATABASE_YML, data, self.env, known_envs)

    def commands(self) -> list[Command]:
        return project_commands(self.root, self.fs, self._read)

    def yaml_files(self, commands: list[Command], known_envs: frozenset[str]) -> list[SidekiqYaml]:
        wanted = [f for f in DEFAULT_FILES if self.fs.is_file(self.root / f)]
        for command in commands:
            relpath, _ = command.config()
            if relpath is not None:
                wanted.append(relpath)
        config = self.root / "config"
        candidates = (
            sorted(p.name for p in self.fs.glob(config, "sidekiq*") if _SIDEKIQ_YAML.match(p.name))
            if self.fs.is_dir(config)
            else []
        )
        result = []
        for relpath in dict.fromkeys([*wanted, *(f"config/{c}" for c in candidates)]):
            loaded = self.load(relpath, known_envs)
            if loaded is None:
                continue
            if relpath not in wanted and not _is_sidekiq_file(loaded):
                continue
            result.append(loaded)
        return result

    def load(self, relpath: str, known_envs: frozenset[str]) -> SidekiqYaml | None:
        data = self._read(self.root / relpath)
        if data is None:
            return None
        self.data[relpath] = data
        if self.cache is not None:
            self.cache.prime_yaml(data, self.env)
        loaded = load_yaml(data, self.env)
        if not isinstance(loaded, YamlDoc):
            return SidekiqYaml(relpath, None, loaded=False)
        root = loaded.root
        if root is None or root.kind != "mapping":
            misshapen = root if root is not None and root.status != "unknown" else None
            return SidekiqYaml(
                relpath, None, unknown_reason=loaded.unknown_reason, misshapen=misshapen
            )
        sections = tuple(
            key_name(key)
            for key, value in mapping_items(root)
            if value.kind == "mapping" and key_name(key) in known_envs
        )
        return SidekiqYaml(relpath, root, sections)

    def ruby(self) -> RubyConfig:
        if not self.fs.is_dir(self.root / "config"):
            return RubyConfig()
        read: list[tuple[Path, str, bytes]] = []
        for path in self._config_ruby_files():
            data = self._read(path)
            if data is not None and setup_reads(data):  # read_ruby_file skips the others
                read.append((path, path.relative_to(self.root).as_posix(), data))
        if self.cache is None:
            return self._ruby(read, self.constant)
        return self.cache.ruby(
            [(relpath, data) for _, relpath, data in read],
            self.env,
            self.constant,
            lambda constant: self._ruby(read, constant),
        )

    def _ruby(self, read: list[tuple[Path, str, bytes]], constant: ConstantLookup) -> RubyConfig:
        out = RubyConfig()
        for path, relpath, data in read:
            unit = self.unit_for(path, relpath, data) if self.unit_for else None
            read_ruby_file(relpath, data, self.env, constant, out, unit)
        return out

    def active_job(self) -> tuple[tuple[int, ...] | None, list[AfterCommitSetting]]:
        """``config.load_defaults``, and the ``enqueue_after_transaction_commit`` settings in
        Rails' load order (application.rb, environments, initializers, then ApplicationJob)."""
        application = self._read(self.root / "config" / "application.rb")
        defaults = load_defaults(application) if application is not None else None
        settings: list[AfterCommitSetting] = []
        for path in [*self._config_ruby_files(), self.root / APPLICATION_JOB]:
            relpath = path.relative_to(self.root).as_posix()
            if relpath.startswith("config/environments/") and not relpath.endswith(
                "/production.rb"
            ):
                continue  # the environments checked run production's settings
            data = self._read(path)
            if data is not None:
                settings.extend(after_commit_settings(relpath, data))
        return defaults, settings

    def checked(
        self,
        yaml_files: list[SidekiqYaml],
        database: DatabaseConfig | None,
        commands: list[Command],
    ) -> tuple[str, ...]:
        if self.override is not None:
            return tuple(self.override)
        names = {"production"}
        for yaml_file in yaml_files:
            names.update(yaml_file.sections)
        if database is not None:
            names.update(database.environments)
        for command in commands:
            flag = environment_flag(command)
            if flag is not None:
                names.add(flag.value)
        return tuple(sorted(names - UNCHECKED_ENVIRONMENTS))


def _is_sidekiq_file(loaded: SidekiqYaml) -> bool:
    if loaded.root is None:
        return False
    keys = {key_name(k) for k, _ in mapping_items(loaded.root) if isinstance(k.value, str)}
    return bool(keys & {"concurrency", "queues", "capsules"})


def build_setup(
    root: Path,
    base: SidekiqSetup,
    env: Mapping[str, str],
    environments: tuple[str, ...] | None = None,
    constant: ConstantLookup | None = None,
    fs: FileSystem = DISK,
    unit_for: UnitFor | None = None,
    cache: SetupCache | None = None,
) -> SidekiqSetup:
    """The full model for a project, from the version facts in ``base``, its files read from
    ``fs`` (Ruby configuration through ``unit_for``, so a file this run parsed is not parsed
    again; what it computes from them kept in ``cache``, setup_cache.py)."""
    from workerlint.lang.ruby.nodes import NOT_LITERAL

    def no_constants(name: str) -> object:
        return NOT_LITERAL

    builder = _Builder(root, env, environments, constant or no_constants, fs)
    builder.unit_for = unit_for
    builder.cache = cache
    return builder.build(base)


__all__ = [
    "DEFAULT_FILES",
    "Process",
    "SidekiqSetup",
    "SidekiqYaml",
    "build_setup",
    "default_concurrency",
    "default_timeout",
]
