"""WL109's Ruby check: a Sidekiq process or capsule with three or more queues in strict order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.project.frameworks.sidekiq.report import join, report_at_source, where

if TYPE_CHECKING:
    from workerlint.formats.values import QueueEntry, Source
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.setup import Process


MIN_QUEUES = 3


class SidekiqStarvationCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        found: dict[Source, list[tuple[Process, tuple[QueueEntry, ...], str]]] = {}
        for process in ctx.setup.processes:
            lists = [("", process.queues, process.queues_source)]
            for capsule in process.capsules:
                if capsule.queues:
                    first = capsule.queues[0].source
                    lists.append((f" of capsule `{capsule.name}`", capsule.queues, first))
            for suffix, queues, source in lists:
                if not queues or source is None or len({q.name for q in queues}) < MIN_QUEUES:
                    continue
                unknown = [f"`{q.name}` ({q.weight_unknown})" for q in queues if q.weight_unknown]
                if unknown:
                    ctx.skip(f"{process.title}{suffix}: weight unknown: {join(unknown)}")
                elif all(q.weight in (None, 0) for q in queues):
                    found.setdefault(source, []).append((process, queues, suffix))
        for source, items in found.items():
            _, queues, suffix = items[0]
            names = list(dict.fromkeys(q.name for q in queues))
            first, second = names[0], names[1]
            message = (
                f"Strict order over {len(names)} queues{suffix} ({join(f'`{n}`' for n in names)})"
                f"{where(ctx.setup, (p for p, _, _ in items))}: Sidekiq takes jobs from `{second}` "
                f"only when `{first}` is empty, so a flood in `{first}` starves the rest; give "
                "the queues weights"
            )
            report_at_source(ctx, source, message)
