"""The processes of a SidekiqSetup: each ``sidekiq`` command (or the default process) in each
checked environment, with its values resolved in Sidekiq's order (see setup.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from workerlint.formats.erb import ruby_to_s
from workerlint.formats.procfile import Command, Flag
from workerlint.formats.values import (
    Capsule,
    QueueEntry,
    Source,
    Value,
    node_source,
    unknown_because,
    yaml_value,
)
from workerlint.formats.yaml import YNode, key_name, mapping_get, mapping_items
from workerlint.project.frameworks.sidekiq.model import (
    Process,
    SidekiqYaml,
    default_concurrency,
    default_timeout,
)
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import RubyConfig

DEFAULT_FILES = ("config/sidekiq.yml", "config/sidekiq.yml.erb")
_SHELL_VAR = re.compile(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?$")


def _shell_value(flag: Flag, env: Mapping[str, str]) -> Value:
    """A command-line value: a number, or ``$VAR`` / ``${VAR:-5}``."""
    text = flag.value
    if re.fullmatch(r"-?\d+", text):
        return Value(int(text), "known", flag.source)
    match = _SHELL_VAR.match(text)
    if match is None:
        return Value(text, "known", flag.source)
    name, default = match.group(1), match.group(2)
    if name in env:
        raw = env[name]
        return Value(int(raw) if raw.isdigit() else raw, "known", flag.source, (name,))
    if default is not None and default.isdigit():
        return Value(int(default), "default", flag.source, (name,))
    return Value(None, "unknown", flag.source, (name,))


def _queues_from_yaml(relpath: str, node: YNode) -> tuple[tuple[QueueEntry, ...] | None, str]:
    """The entries of a YAML `queues` list, or None and why they are unknown."""
    if node.kind != "sequence":
        return None, f"`queues` at {relpath}:{node.line} is not a list"
    entries = []
    for item in node.value:
        source = node_source(relpath, item)
        if item.kind == "scalar" and item.status == "unknown":
            return None, _built_by_erb(relpath, item)
        if item.kind == "scalar" and item.value is not None:
            name, _, weight = ruby_to_s(item.value).partition(",")
            entries.append(QueueEntry(name.strip(), _weight(weight.strip() or None), source))
        elif item.kind == "sequence" and item.value and item.value[0].kind == "scalar":
            first = item.value[0]
            if first.status == "unknown":
                return None, _built_by_erb(relpath, first)
            if first.value is None:
                return None, f"a queue at {relpath}:{first.line} has no name"
            weight_node = item.value[1] if len(item.value) > 1 else None
            if weight_node is not None and weight_node.status == "unknown":
                why = f"{relpath}:{weight_node.line}: {unknown_because(weight_node)}"
                entries.append(QueueEntry(ruby_to_s(first.value), None, source, why))
                continue
            weight = weight_node.value if weight_node is not None else None
            entries.append(QueueEntry(ruby_to_s(first.value), _weight(weight), source))
        else:
            return None, f"the queue at {relpath}:{item.line} is not a name or [name, weight]"
    return tuple(entries), ""


def _built_by_erb(relpath: str, node: YNode) -> str:
    return f"the queue name at {relpath}:{node.line} is unknown: {unknown_because(node)}"


def _weight(weight: object) -> object:
    if isinstance(weight, str) and weight.isdigit():
        return int(weight)
    return weight


def _queues_from_flags(flags: list[Flag]) -> tuple[tuple[QueueEntry, ...] | None, str]:
    """The queues of `-q` flags, or None and why when one reads a shell variable."""
    entries = []
    for flag in flags:
        if "$" in flag.value:
            return None, f"`-q {flag.value}` ({flag.source.where}) reads a shell variable"
        name, _, weight = flag.value.partition(",")
        entries.append(QueueEntry(name, _weight(weight or None), flag.source))
    return tuple(entries), ""


def _yaml_capsules(relpath: str, node: YNode | None) -> tuple[Capsule, ...]:
    if node is None or node.kind != "mapping":
        return ()
    capsules = []
    for key, value in mapping_items(node):
        if value.kind != "mapping":
            continue
        concurrency_node = mapping_get(value, "concurrency")
        queues_node = mapping_get(value, "queues")
        name = key_name(key)
        if key.status == "unknown":
            name = f"named by ERB at {relpath}:{key.line}"
        queues, why = _queues_from_yaml(relpath, queues_node) if queues_node else (None, "")
        capsules.append(
            Capsule(
                name,
                yaml_value(relpath, b"", concurrency_node) if concurrency_node else None,
                queues,
                node_source(relpath, key),
                "yaml",
                why,
            )
        )
    return tuple(capsules)


def environment_flag(command: Command) -> Flag | None:
    """The ``-e`` flag of a command when it names an environment (not ``$RAILS_ENV``)."""
    flag = command.last("environment")
    if flag is None or not re.fullmatch(r"[A-Za-z0-9_-]+", flag.value):
        return None
    return flag


class ProcessBuilder:
    """Resolves each process's values (see setup.py for the order)."""

    def __init__(
        self,
        env: Mapping[str, str],
        data: Mapping[str, bytes],
        version: tuple[int, ...],
        ruby: RubyConfig,
        yaml_files: list[SidekiqYaml],
    ) -> None:
        self.env = env
        self.data = data
        self.version = version
        self.ruby = ruby
        self.yaml = {y.relpath: y for y in yaml_files}

    def processes(self, commands: list[Command], checked: tuple[str, ...]) -> list[Process]:
        result = []
        covered = set()
        for command in commands:
            explicit = environment_flag(command)
            if explicit is not None:
                envs = [explicit.value]
            elif command.development_only:
                envs = ["development"]
            else:
                envs = list(checked)
            for environment in envs:
                if environment in checked:
                    covered.add(environment)
                    result.append(self.process(command, environment))
        for environment in checked:
            if environment not in covered:
                result.append(self.process(None, environment))
        return result

    def config_file(self, command: Command | None) -> tuple[str | None, str]:
        """The YAML file a process reads (its ``-C``, else the default file), or None and why
        its ``-C`` names no file of the project."""
        if command is not None and command.last("config") is not None:
            return command.config()
        return next((f for f in DEFAULT_FILES if f in self.yaml), None), ""

    def reads(self, commands: list[Command], processes: list[Process]) -> list[str]:
        """For --verbose: which YAML file each process reads, and when it cannot."""
        notes = []
        for command in commands:
            what = f"Sidekiq process {command.label}"
            if command.development_only and environment_flag(command) is None:
                notes.append(
                    f"{what} runs in development only ({command.relpath} is a development "
                    "Procfile): not checked"
                )
                continue
            notes.append(f"{what} {self.read_note(command)}")
        if any(p.command is None for p in processes):
            notes.append(f"the default Sidekiq process {self.read_note(None)}")
        return notes

    def read_note(self, command: Command | None) -> str:
        relpath, why = self.config_file(command)
        if why:
            return f"cannot read its YAML file: {why}; what that file sets is unknown"
        if relpath is None:
            return (
                "reads no YAML file (no `-C`, and no config/sidekiq.yml): the command line, the "
                "Ruby configuration and Sidekiq's defaults apply"
            )
        how = "its `-C`" if command is not None and command.last("config") else "no `-C`"
        yaml_file = self.yaml.get(relpath)
        if yaml_file is None:
            return (
                f"cannot read {relpath} ({how}): it is not in the repository; what it sets is "
                "unknown"
            )
        if not yaml_file.loaded:
            return f"cannot read {relpath} ({how}): it does not load (WL001)"
        if yaml_file.unknown_reason:
            return f"cannot read {relpath} ({how}): {yaml_file.unknown_reason}"
        return f"reads {relpath} ({how})"

    def yaml_value(self, yaml_file: SidekiqYaml | None, key: str, environment: str) -> Value | None:
        if yaml_file is None:
            return None
        _, node = yaml_file.get(key, environment)
        if node is None:
            return None
        data = self.data.get(yaml_file.relpath, b"")
        return yaml_value(yaml_file.relpath, data, node)

    def process(self, command: Command | None, environment: str) -> Process:
        env = self.env
        version_label = ".".join(str(n) for n in self.version)
        relpath, unreadable = self.config_file(command)
        yaml_file = self.yaml.get(relpath) if relpath else None
        if unreadable and command is not None:
            flag = command.last("config")
            written = flag.value if flag is not None else ""
            return self.opaque_config(command, environment, written, unreadable)
        if relpath is not None and yaml_file is None and command is not None:
            note = f"{relpath} is not in the repository"
            return self.opaque_config(command, environment, relpath, note)
        opaque = yaml_file is not None and (yaml_file.unknown_reason or not yaml_file.loaded)
        if yaml_file is not None and opaque:
            note = yaml_file.unknown_reason or f"{yaml_file.relpath} does not load"
            return self.opaque_config(command, environment, yaml_file.relpath, note)
        flag = command.last("concurrency") if command is not None else None
        concurrency = (
            self.ruby.concurrency
            or (_shell_value(flag, env) if flag is not None else None)
            or self.yaml_value(yaml_file, "concurrency", environment)
        )
        if concurrency is None and "RAILS_MAX_THREADS" in env:
            raw = env["RAILS_MAX_THREADS"]
            number = int(raw) if raw.isdigit() else raw
            concurrency = Value(number, "known", None, ("RAILS_MAX_THREADS",))
        if concurrency is None:
            concurrency = Value(
                default_concurrency(self.version),
                "default",
                None,
                ("RAILS_MAX_THREADS",),
                note=f"Sidekiq {version_label}'s default",
            )
        flag = command.last("timeout") if command is not None else None
        timeout = (_shell_value(flag, env) if flag is not None else None) or self.yaml_value(
            yaml_file, "timeout", environment
        )
        if timeout is None:
            timeout = Value(
                default_timeout(self.version),
                "default",
                note=f"Sidekiq {version_label}'s default",
            )
        queues, queues_source, queues_unknown = self.queues(command, yaml_file, environment)
        capsules: tuple[Capsule, ...] = ()
        if self.version >= (7,):
            yaml_caps = ()
            if yaml_file is not None:
                _, node = yaml_file.get("capsules", environment)
                yaml_caps = _yaml_capsules(yaml_file.relpath, node)
            capsules = (*yaml_caps, *self.ruby.capsules)
        name = command.name if command is not None else "sidekiq"
        label = command.label if command is not None else "the default process"
        return Process(
            name,
            label,
            environment,
            command,
            relpath,
            concurrency,
            timeout,
            queues,
            queues_source,
            capsules,
            queues_unknown,
        )

    def opaque_config(
        self, command: Command | None, environment: str, relpath: str, note: str
    ) -> Process:
        """A process whose YAML cannot be read (not in the repository, or ERB control flow):
        what the file sets is unknown; the command line and the Ruby configuration still are."""
        env = self.env
        unknown = Value(None, "unknown", command.source if command else None, note=note)
        if command is None:
            return Process(
                "sidekiq",
                "the default process",
                environment,
                None,
                relpath,
                self.ruby.concurrency or unknown,
                unknown,
                self.ruby.queues,
                None,
                tuple(self.ruby.capsules) if self.version >= (7,) else (),
                (self.ruby.queues_unknown or note) if self.ruby.queues is None else "",
            )
        flag = command.last("concurrency")
        concurrency = _shell_value(flag, env) if flag is not None else unknown
        flag = command.last("timeout")
        timeout = _shell_value(flag, env) if flag is not None else unknown
        flags = command.values("queue")
        queues, why = _queues_from_flags(flags) if flags else (None, note)
        if self.ruby.queues is not None or self.ruby.queues_unknown:
            queues, why = self.ruby.queues, self.ruby.queues_unknown
        return Process(
            command.name,
            command.label,
            environment,
            command,
            relpath,
            self.ruby.concurrency or concurrency,
            timeout,
            queues,
            flags[0].source if flags else None,
            tuple(self.ruby.capsules) if self.version >= (7,) else (),
            why if queues is None else "",
        )

    def queues(
        self, command: Command | None, yaml_file: SidekiqYaml | None, environment: str
    ) -> tuple[tuple[QueueEntry, ...] | None, Source | None, str]:
        """The queues, the source of their list, and why they are unknown when they are."""
        if self.ruby.queues_unknown:
            return None, None, self.ruby.queues_unknown
        if self.ruby.queues is not None:
            first = self.ruby.queues[0].source if self.ruby.queues else None
            return self.ruby.queues, first, ""
        flags = command.values("queue") if command is not None else []
        if flags:
            queues, why = _queues_from_flags(flags)
            return queues, flags[0].source, why
        if yaml_file is not None:
            if yaml_file.root is None and not yaml_file.loaded:
                return None, None, f"{yaml_file.relpath} does not load"
            if yaml_file.unknown_reason:
                return None, None, f"{yaml_file.relpath}: {yaml_file.unknown_reason}"
            key, node = yaml_file.get("queues", environment)
            if key is not None and node is not None:
                source = node_source(yaml_file.relpath, key)
                queues, why = _queues_from_yaml(yaml_file.relpath, node)
                return queues, source, why
        return (), None, ""
