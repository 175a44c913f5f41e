"""WL109's Python half: strict queue order over three or more queues — an RQ worker given
``high default low`` (RQ dequeues in order unless ``--dequeue-strategy round_robin`` or
``random``), and Celery's Redis transport with ``queue_order_strategy="priority"`` for a
worker consuming three or more queues."""

from __future__ import annotations

from workerlint.core.rule import LanguageCheck
from workerlint.lang.python.index import RQ
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.pyvalues import members, plain
from workerlint.project.frameworks.celery.report import report_at

MIN_QUEUES = 3
FAIR = frozenset({"round_robin", "random"})


class PythonStarvationCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        for command in celery.commands:
            if command.framework != RQ or command.development_only or not command.queues:
                continue
            names = [q.value for q in command.queues]
            if len(names) < MIN_QUEUES or not all(isinstance(n, str) for n in names):
                continue
            strategy = command.option("dequeue_strategy")
            if strategy is not None and (strategy.status == "unknown" or strategy.value in FAIR):
                continue
            first, *rest = names
            report_at(
                ctx,
                command.queues[0].source,
                f"{command.label} takes {', '.join(f'`{n}`' for n in names)} in strict order: "
                f"while `{first}` has jobs, {', '.join(f'`{n}`' for n in rest)} wait; pass "
                "`--dequeue-strategy round_robin` or run a worker per queue",
            )
        if not celery.found or celery.broker_kind != "redis":
            return
        strategy = members(celery.value("broker_transport_options")).get("queue_order_strategy")
        if strategy is None or plain(strategy) != "priority":
            return
        for command in celery.celery_workers:
            names = [q.value for q in command.queues or ()]
            if len(names) >= MIN_QUEUES and all(isinstance(n, str) for n in names):
                first, *rest = names
                report_at(
                    ctx,
                    strategy.source,
                    f'`queue_order_strategy="priority"` makes {command.label} take '
                    f"{', '.join(f'`{n}`' for n in names)} in strict order: while `{first}` has "
                    f"tasks, {', '.join(f'`{n}`' for n in rest)} wait",
                )
                return
