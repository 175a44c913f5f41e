"""WL107's Python half: queues that tasks are sent to and no worker command consumes — Celery
(task ``queue=``, ``task_routes``, beat ``options.queue``, and the default queue of tasks
without one) against ``-Q``/``-X`` (else ``task_queues``, else ``task_default_queue``); RQ
(``@job("q")``) against ``rq worker``/``rqworker`` arguments (else ``default``); Dramatiq
(``queue_name=``) against ``-Q``. Only when a worker command of that framework is found;
``apply_async(queue=)`` sites are not read yet."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from workerlint.rules.config.late_ack_redelivery.python import reader

from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Source, Value
from workerlint.lang.python.index import DRAMATIQ, RQ, PythonIndex
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.commands import WorkerCommand
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.report import report_at
from workerlint.project.frameworks.celery.tasks import TaskOptions, celery_tasks, tasks_of

Used = tuple[str, Source, str]  # queue, where it is written, what sends there


class QueueCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        index = ctx.python_index
        if index is None or not index.files:
            return
        options = reader(ctx)
        self.celery(ctx, celery, index, options)
        self.rq(ctx, celery, index, options)
        self.dramatiq(ctx, celery, index, options)

    def celery(
        self, ctx: ProjectContext, celery: CelerySetup, index: PythonIndex, options: TaskOptions
    ) -> None:
        workers = celery.celery_workers
        if not celery.found or not workers:
            return
        consumed = _celery_consumed(celery, workers)
        if consumed is None:
            ctx.skip("WL107: a Celery worker's queues are unknown")
            return
        used: list[Used] = []
        default_users = []
        routes = celery.routes
        routes_readable = not celery.is_set("task_routes") or bool(routes)
        for task in celery_tasks(index):
            given = options.option(task, "queue")
            if given is not None:
                if isinstance(given.value.value, str) and given.value.source is not None:
                    used.append((given.value.value, given.value.source, f"task `{task.name}`"))
                continue
            if any(fnmatchcase(task.name, r.pattern) for r in routes):
                continue
            default_users.append(task)
        for route in routes:
            if isinstance(route.queue.value, str) and route.queue.status != "unknown":
                used.append((route.queue.value, route.source, f"route `{route.pattern}`"))
        for entry in celery.beat_entries:
            queue = entry.queue
            if queue is not None and isinstance(queue.value, str) and queue.source is not None:
                used.append((queue.value, queue.source, f"beat entry `{entry.name}`"))
        listen = _listen(consumed, workers)
        for queue, source, what in used:
            if queue not in consumed:
                report_at(ctx, source, _message("Celery", queue, what, listen))
        default = celery.default_queue
        if default_users and routes_readable and default not in consumed:
            anchor = _queues_source(workers)
            if anchor is not None:
                task = default_users[0]
                what = (
                    f"{len(default_users)} tasks without a queue, e.g. `{task.name}`"
                    if len(default_users) > 1
                    else f"task `{task.name}`, which names no queue"
                )
                report_at(ctx, anchor, _message("Celery", default, what, listen, default=True))

    def rq(
        self, ctx: ProjectContext, celery: CelerySetup, index: PythonIndex, options: TaskOptions
    ) -> None:
        workers = [c for c in celery.commands if c.framework == RQ and not c.development_only]
        if not workers:
            return
        consumed = _consumed(workers, ("default",))
        if consumed is None:
            return
        listen = _listen(consumed, workers)
        for task in tasks_of(index, RQ):
            given = options.argument(task, 0) or options.option(task, "queue")
            if given is None or not isinstance(given.value.value, str):
                continue
            if given.value.value not in consumed and given.value.source is not None:
                what = f"job `{task.module}.{task.qualname}`"
                report_at(ctx, given.value.source, _message("RQ", given.value.value, what, listen))

    def dramatiq(
        self, ctx: ProjectContext, celery: CelerySetup, index: PythonIndex, options: TaskOptions
    ) -> None:
        workers = [c for c in celery.commands if c.framework == DRAMATIQ and not c.development_only]
        if not workers or any(w.queues is None for w in workers):
            return  # a worker without -Q consumes every queue
        consumed = _consumed(workers, ())
        if consumed is None:
            return
        listen = _listen(consumed, workers)
        for task in tasks_of(index, DRAMATIQ):
            given = options.option(task, "queue_name")
            name = given.value.value if given is not None else "default"
            if not isinstance(name, str) or name in consumed:
                continue
            source = given.value.source if given is not None else None
            what = f"actor `{task.module}.{task.qualname}`"
            report_at(ctx, source, _message("Dramatiq", name, what, listen))


def _values(values: Iterable[Value]) -> set[str] | None:
    found = set()
    for value in values:
        if value.status == "unknown" or not isinstance(value.value, str):
            return None
        found.add(value.value)
    return found


def _consumed(workers: list[WorkerCommand], default: tuple[str, ...]) -> set[str] | None:
    consumed: set[str] = set()
    for worker in workers:
        names = _values(worker.queues) if worker.queues is not None else set(default)
        if names is None:
            return None
        consumed |= names
    return consumed


def _celery_consumed(celery: CelerySetup, workers: tuple[WorkerCommand, ...]) -> set[str] | None:
    consumed: set[str] = set()
    for worker in workers:
        names = celery.consumed_by(worker)
        if names is None:
            return None
        consumed |= names
    return consumed


def _queues_source(workers: Iterable[WorkerCommand]) -> Source | None:
    for worker in workers:
        if worker.queues:
            return worker.queues[0].source
    return None


def _listen(consumed: set[str], workers: Iterable[WorkerCommand]) -> str:
    names = ", ".join(f"`{q}`" for q in sorted(consumed)) or "no queue"
    labels = [w.label for w in workers]
    shown = ", ".join(labels[:2]) + (f" and {len(labels) - 2} more" if len(labels) > 2 else "")
    return f"{names} ({shown})"


def _message(framework: str, queue: str, what: str, listen: str, default: bool = False) -> str:
    where = "the default queue " if default else "queue "
    return (
        f"no {framework} worker consumes {where}`{queue}` ({what}): the workers listen to "
        f"{listen}; messages sent there wait in the broker and never run"
    )
