"""The SidekiqSetup model's types: a Sidekiq YAML file, a process, and the whole setup.

See workerlint/project/frameworks/sidekiq/setup.py for how they are built.
"""

from __future__ import annotations

from dataclasses import field

from workerlint.core.records import record
from workerlint.formats.procfile import Command
from workerlint.formats.values import Capsule, QueueEntry, Source, Value, int_value
from workerlint.formats.yaml import YNode, key_name, mapping_get, mapping_items
from workerlint.project.frameworks.sidekiq.active_job import AfterCommitSetting, Deferral, deferral
from workerlint.project.frameworks.sidekiq.database import DatabaseConfig
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import RubyConfig

STANDARD_ENVIRONMENTS = ("development", "test", "staging", "production")


def default_concurrency(version: tuple[int, ...]) -> int:
    """25 up to 5.1; 10 in 5.2 - 6.x; 5 from 7.0 (SIDEKIQ-FACTS.md, "Concurrency")."""
    if version < (5, 2):
        return 25
    return 10 if version < (7,) else 5


def default_timeout(version: tuple[int, ...]) -> int:
    """8 in 5.x, 25 from 6.0 (SIDEKIQ-FACTS.md, "The YAML file")."""
    return 8 if version < (6,) else 25


@record(frozen=True)
class SidekiqYaml:
    """One Sidekiq YAML file: its root (None when empty, unloadable or unknown) and sections."""

    relpath: str
    root: YNode | None
    sections: tuple[str, ...] = ()
    unknown_reason: str | None = None
    loaded: bool = True  # False: a YAML error (WL001 reports it)
    # The document's top node when it is not a mapping (a list, a single value): Sidekiq cannot
    # read such a file; WL106 reports it, and the rest of the model sees no root.
    misshapen: YNode | None = None

    def section(self, environment: str) -> YNode | None:
        if self.root is None or environment not in self.sections:
            return None
        node = mapping_get(self.root, environment)
        return node if node is not None and node.kind == "mapping" else None

    def get(self, key: str, environment: str) -> tuple[YNode | None, YNode | None]:
        """(key node, value node) of ``key`` for an environment: its section over the top."""
        for node in (self.section(environment), self.root):
            if node is None or node.kind != "mapping":
                continue
            for item_key, item_value in mapping_items(node):
                if isinstance(item_key.value, str) and key_name(item_key) == key:
                    return item_key, item_value
        return None, None


@record(frozen=True)
class Process:
    """One Sidekiq process in one environment."""

    name: str
    label: str  # "`worker` (Procfile:2)" or "the default process"
    environment: str
    command: Command | None
    config_file: str | None
    concurrency: Value
    timeout: Value
    queues: tuple[QueueEntry, ...] | None  # None: not known; () none named (only `default`)
    queues_source: Source | None
    capsules: tuple[Capsule, ...] = ()
    queues_unknown: str = ""  # why ``queues`` is None

    def capsule_concurrencies(self) -> list[tuple[str, Value | None]]:
        """(name, concurrency) of every capsule, the default one first; a Ruby capsule without
        a concurrency inherits the process's."""
        result: list[tuple[str, Value | None]] = [("default", self.concurrency)]
        for capsule in self.capsules:
            inherited = self.concurrency if capsule.origin == "ruby" else None
            result.append((capsule.name, capsule.concurrency or inherited))
        return result

    @property
    def total_threads(self) -> int | None:
        total = 0
        for _, value in self.capsule_concurrencies():
            number = int_value(value)
            if number is None:
                return None
            total += number
        return total

    def threads_unknown(self) -> str:
        """Why ``total_threads`` is None: ``concurrency unknown (config/sidekiq.yml:2, ...)``."""
        several = len(self.capsules) > 0
        for name, value in self.capsule_concurrencies():
            if int_value(value) is not None:
                continue
            what = f"concurrency of capsule `{name}`" if several else "concurrency"
            if value is None:
                return f"{what} not set"
            if value.status == "unknown":
                return f"{what} unknown ({value.origin()})"
            return f"{what} is not a number ({value.describe()})"
        return ""

    @property
    def title(self) -> str:
        return f"{self.label} in {self.environment}"


def _development_only(command: Command) -> bool:
    """A command of a development Procfile that names no environment with ``-e``."""
    return command.development_only and command.last("environment") is None


@record(frozen=True, eq=False)
class SidekiqSetup:
    """What each Sidekiq process runs with (see the module docstring)."""

    version: tuple[int, ...] | None = None
    version_text: str | None = None
    version_source: str | None = None  # "Gemfile.lock:12" or "setting sidekiq-version"
    gems: frozenset[str] = frozenset()
    environments: tuple[str, ...] = ("production",)
    project_environments: frozenset[str] = frozenset(STANDARD_ENVIRONMENTS)
    processes: tuple[Process, ...] = ()
    commands: tuple[Command, ...] = ()
    yaml_files: tuple[SidekiqYaml, ...] = ()
    ruby: RubyConfig = field(default_factory=RubyConfig)
    database: DatabaseConfig | None = None
    env: tuple[tuple[str, str], ...] = ()
    # The line of each gem's spec in Gemfile.lock (for messages), by gem name.
    gem_lines: tuple[tuple[str, int], ...] = ()
    # For --verbose: which YAML file each process reads, and when it cannot.
    notes: tuple[str, ...] = ()
    # ActiveJob (Rails) from Gemfile.lock, `config.load_defaults`, and the settings deciding
    # whether an enqueue inside a transaction waits for the commit (active_job.py).
    active_job_version: tuple[int, ...] | None = None
    active_job_version_text: str | None = None
    load_defaults: tuple[int, ...] | None = None
    after_commit: tuple[AfterCommitSetting, ...] = ()

    def active_job_deferral(self, *, mail: bool) -> Deferral:
        """Whether Rails defers an ActiveJob enqueue (a mail delivery when ``mail``) made in a
        transaction to the commit."""
        return deferral(
            self.active_job_version,
            self.active_job_version_text,
            self.load_defaults,
            self.after_commit,
            mail=mail,
        )

    @property
    def defaults_only(self) -> bool:
        """Whether nothing of the project went into the setup: no Gemfile.lock, no Sidekiq
        command, YAML file, database or Ruby configuration, no ``--env`` value; only the
        default process with Sidekiq's defaults (a Python project's)."""
        return (
            self.version is None
            and not self.gems
            and not self.commands
            and not self.yaml_files
            and self.database is None
            and self.ruby == RubyConfig()
            and not self.env
            and all(p.command is None and p.config_file is None for p in self.processes)
        )

    def gem_line(self, gem: str) -> int | None:
        """The line of ``gem``'s spec in the project's Gemfile.lock, if it has one."""
        return dict(self.gem_lines).get(gem)

    @property
    def major(self) -> int:
        """The major version; the newest (8) when unknown (SIDEKIQ-FACTS.md)."""
        return self.version[0] if self.version else 8

    def at_least(self, *version: int) -> bool:
        return (self.version or (8,)) >= version

    @property
    def effective_version(self) -> tuple[int, ...]:
        return self.version or (8,)

    @property
    def version_label(self) -> str:
        """``Sidekiq 6.4.1``, or ``Sidekiq 8 (version unknown: assumed the newest)``."""
        if self.version_text:
            return f"Sidekiq {self.version_text}"
        return "Sidekiq 8 (version unknown: assumed the newest)"

    @property
    def has_sidekiq_definition(self) -> bool:
        """Whether the repository defines a Sidekiq process outside development: a ``sidekiq``
        command of a Procfile that is not a development one (``Procfile.dev``), or a Sidekiq
        YAML file that such a command does not name alone."""
        development = [c for c in self.commands if _development_only(c)]
        if len(development) < len(self.commands):
            return True
        named = {c.config()[0] for c in development}
        return any(y.loaded and y.relpath not in named for y in self.yaml_files)

    def yaml(self, relpath: str | None) -> SidekiqYaml | None:
        return next((y for y in self.yaml_files if y.relpath == relpath), None)
