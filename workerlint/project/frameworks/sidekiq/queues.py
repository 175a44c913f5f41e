"""The queues the Sidekiq processes of a project listen to (WL107)."""

from __future__ import annotations

from workerlint.core.records import record
from workerlint.formats.values import Value
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup


@record(frozen=True)
class Listened:
    """Every queue some process listens to, where the lists come from; ``unknown`` says which
    process's queues are unknown and why (then nothing can be said)."""

    names: frozenset[str]
    sources: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unknown


def listened_queues(setup: SidekiqSetup, extra: tuple[str, ...] = ()) -> Listened:
    names: set[str] = set(extra)
    sources: list[str] = []
    unknown: list[str] = []
    for process in setup.processes:
        if process.queues is None:
            unknown.append(f"{process.title} ({process.queues_unknown or 'not readable'})")
            continue
        if process.queues_source is not None:
            sources.append(process.queues_source.where)
        # A process (or capsule) whose queues name none listens to `default` only.
        if process.queues:
            names.update(q.name for q in process.queues)
        else:
            names.add("default")
        for capsule in process.capsules:
            if capsule.queues_unknown:
                why = capsule.queues_unknown
                unknown.append(f"capsule `{capsule.name}` in {process.title} ({why})")
            elif capsule.queues:
                names.update(q.name for q in capsule.queues)
                sources.append(capsule.source.where)
            else:
                names.add("default")
    if extra:
        sources.append("setting extra-queues")
    return Listened(frozenset(names), tuple(dict.fromkeys(sources)), tuple(unknown))


def queue_prefix(setup: SidekiqSetup) -> Value | None:
    """The ActiveJob ``queue_name_prefix`` of production (or of every environment)."""
    prefixes = setup.ruby.queue_name_prefix
    return prefixes.get("production") or prefixes.get("*")


def active_job_uses_sidekiq(setup: SidekiqSetup) -> bool:
    """False only when the adapter is known and is not Sidekiq."""
    adapters = setup.ruby.active_job_adapter
    value = adapters.get("production") or adapters.get("*")
    if value is None or value.status == "unknown" or value.value is None:
        return True
    return str(value.value) == "sidekiq"
