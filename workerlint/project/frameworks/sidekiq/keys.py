"""The keys of the Sidekiq YAML: which ones Sidekiq reads, ignores or never knew, by version,
and a walk over every configuration mapping (top level, environment sections, anchors used by
them, capsules) of the Sidekiq YAML files."""

from __future__ import annotations

from collections.abc import Iterator

from workerlint.core.records import record
from workerlint.formats.yaml import YNode, key_name, mapping_get
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup, SidekiqYaml

BASE_KEYS = frozenset(
    {
        "concurrency", "queues", "timeout", "require", "environment", "verbose", "tag", "labels",
        "max_retries", "dead_max_jobs", "dead_timeout_in_seconds",
        "average_scheduled_poll_interval", "poll_interval_average",
    }
)  # fmt: skip
SINCE = {"capsules": (7,), "max_iteration_runtime": (7, 3), "redis_idle_timeout": (8,)}
# Keys Sidekiq reads only before a version (and then ignores: WL105).
UNTIL = {
    "strict": (6, 2),
    "pidfile": (6,),
    "logfile": (6,),
    "daemon": (6,),
    "on_complex_arguments": (7,),
}
NEVER = frozenset({"redis", "namespace"})
ADD_ON_KEYS = frozenset(
    {
        # sidekiq-scheduler
        "schedule", "scheduler", "dynamic", "dynamic_every", "enabled", "listened_queues_only",
        "rufus_scheduler_options",
        # sidekiq-limit_fetch
        "limits", "process_limits", "blocking", "global",
        # sidekiq-cron and similar
        "cron", "cron_poll_interval", "lifecycle_events",
        # read from the options hash by Sidekiq 7.3+ without being documented for the file
        "skip_default_job_logging",
    }
)  # fmt: skip
CAPSULE_KEYS = frozenset({"concurrency", "queues"})


def read_keys(version: tuple[int, ...]) -> frozenset[str]:
    """The keys Sidekiq of ``version`` reads from the file."""
    keys = set(BASE_KEYS)
    keys.update(k for k, since in SINCE.items() if version >= since)
    keys.update(k for k, until in UNTIL.items() if version < until)
    return frozenset(keys)


def ignored_keys(version: tuple[int, ...]) -> frozenset[str]:
    """The keys Sidekiq of ``version`` ignores (or removed): WL105's."""
    return NEVER | {k for k, until in UNTIL.items() if version >= until}


@record(frozen=True)
class ConfigMapping:
    """A mapping of Sidekiq options: ``kind`` is top, section, anchor or capsule."""

    yaml: SidekiqYaml
    node: YNode
    kind: str
    name: str

    @property
    def where(self) -> str:
        if self.kind == "top":
            return f"the top level of {self.yaml.relpath}"
        if self.kind == "capsule":
            return f"capsule `{self.name}`"
        return f"the `{self.name}` section"


def string_key(key: YNode) -> str | None:
    if key.kind != "scalar" or key.status == "unknown" or not isinstance(key.value, str):
        return None
    if key.tag == "tag:yaml.org,2002:merge":
        return None
    return key_name(key)


def config_mappings(setup: SidekiqSetup) -> Iterator[ConfigMapping]:
    seen: set[int] = set()
    for yaml_file in setup.yaml_files:
        root = yaml_file.root
        if root is None or root.kind != "mapping":
            continue
        found = [ConfigMapping(yaml_file, root, "top", "")]
        for key, value in root.value:
            name = string_key(key)
            if name is None or value.kind != "mapping":
                continue
            if name in yaml_file.sections:
                found.append(ConfigMapping(yaml_file, value, "section", name))
            elif value.anchor is not None:
                found.append(ConfigMapping(yaml_file, value, "anchor", name))
        for mapping in list(found):
            capsules = mapping_get(mapping.node, "capsules")
            if capsules is not None and capsules.kind == "mapping":
                for key, value in capsules.value:
                    name = string_key(key)
                    if name is not None and value.kind == "mapping":
                        found.append(ConfigMapping(yaml_file, value, "capsule", name))
        for mapping in found:
            if id(mapping.node) not in seen:
                seen.add(id(mapping.node))
                yield mapping


def own_pairs(mapping: ConfigMapping) -> Iterator[tuple[str, YNode, YNode]]:
    """The mapping's own keys (merge keys skipped; sections, anchors and capsules skipped at the
    top level: they are walked as mappings of their own)."""
    for key, value in mapping.node.value:
        name = string_key(key)
        if name is None:
            continue
        nested = name in mapping.yaml.sections or value.anchor is not None
        if mapping.kind == "top" and value.kind == "mapping" and nested:
            continue
        yield name, key, value


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
