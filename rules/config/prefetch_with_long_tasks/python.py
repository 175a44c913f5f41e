"""WL111's check: a prefetch multiplier above 1 where tasks run long (a hard time limit of
60 s or more) or acknowledge late (PYTHON.md §9 "Thresholds"; the finding points at the
multiplier, or at the late-ack setting when the multiplier is Celery's default)."""

from __future__ import annotations

from workerlint.rules.config.late_ack_redelivery.python import reader

from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Source, Value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.report import number, report_at, seconds
from workerlint.project.frameworks.celery.tasks import celery_tasks

LONG = 60  # seconds: a hard limit this long says the task may run that long


class PrefetchCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found or ctx.python_index is None:
            return
        reason, anchor = self.reason(ctx, celery)
        if reason is None:
            return
        workers = celery.celery_workers
        values = [celery.worker_value(c, "worker_prefetch_multiplier") for c in workers] or [
            celery.value("worker_prefetch_multiplier")
        ]
        seen: set[tuple[str, int]] = set()
        for value in values:
            multiplier = number(value)
            if multiplier is None or multiplier <= 1:
                continue
            source = value.source or anchor
            if source is None or (source.relpath, source.start) in seen:
                continue
            seen.add((source.relpath, source.start))
            shown = (
                f"prefetch multiplier {int(multiplier)} ({value.origin()})"
                if value.source is not None
                else f"Celery's default prefetch multiplier of {int(multiplier)}"
            )
            report_at(
                ctx,
                source,
                f"{shown} with {reason}: each worker process reserves {int(multiplier)} "
                "messages at a time, so short tasks wait behind a long one; set "
                "`worker_prefetch_multiplier` to 1",
            )

    def reason(self, ctx: ProjectContext, celery: CelerySetup) -> tuple[str | None, Source | None]:
        """Why prefetching hurts here, and the value to point at if the multiplier has no
        source of its own (the late-ack setting, else the limit)."""
        acks = celery.value("task_acks_late")
        if acks.value is True and acks.status != "unknown":
            return f"`task_acks_late` on ({acks.origin()})", acks.source
        limit = celery.value("task_time_limit")
        found = number(limit)
        if found is not None and found >= LONG:
            return f"a hard time limit of {seconds(found)} ({limit.origin()})", limit.source
        for command in celery.celery_workers:
            given: Value | None = command.option("time_limit")
            found = number(given)
            if given is not None and found is not None and found >= LONG:
                return f"`--time-limit {int(found)}` in {command.label}", given.source
        assert ctx.python_index is not None
        options = reader(ctx)
        for task in celery_tasks(ctx.python_index):
            own = options.option(task, "acks_late")
            if own is not None and own.value.value is True:
                return f"`acks_late=True` on `{task.name}` ({own.value.origin()})", None
            limited = options.option(task, "time_limit")
            found = number(limited.value) if limited is not None else None
            if limited is not None and found is not None and found >= LONG:
                return (
                    f"`time_limit={int(found)}` on `{task.name}` ({limited.value.origin()})",
                    None,
                )
        return None, None
