"""WL103's Celery half: a worker running more prefork processes or threads than
``max-concurrency`` (``-c``, ``--autoscale`` max, or ``worker_concurrency``); gevent and
eventlet pools are silent (PYTHON.md §9)."""

from __future__ import annotations

from workerlint.core.rule import LanguageCheck
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.report import number, origin_beside, report_at

_COST = {
    "prefork": ("prefork child processes", "each holds a copy of the application in memory and "
                "its own database and broker connections"),
    "threads": ("threads", "they contend for the GIL and each holds its own connections"),
}  # fmt: skip


class CeleryConcurrencyCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found:
            return
        limit = int(self.options["max-concurrency"])
        seen: set[tuple[str, int]] = set()
        for command in celery.workers_or_settings():
            pool = celery.pool(command)
            value = celery.concurrency(command)
            count = number(value)
            if pool not in _COST or count is None or count <= limit or value.source is None:
                continue
            key = (value.source.relpath, value.source.start)
            if key in seen:
                continue
            seen.add(key)
            who = f"The Celery worker {command.label}" if command else "The Celery worker"
            origin = origin_beside(value, command)
            report_at(
                ctx,
                value.source,
                f"{who} runs {int(count)} {_COST[pool][0]}{origin}, "
                f"above max-concurrency {limit}: {_COST[pool][1]}; run more worker processes "
                "instead",
            )
