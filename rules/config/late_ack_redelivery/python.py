"""WL110's check: ``acks_late`` (global or per task) on a Redis or SQS broker, where a task whose
hard time limit is not below the visibility timeout (or that has none) is redelivered while it
still runs (PYTHON.md §3, WL110; §9: the finding points at the ``acks_late`` value)."""

from __future__ import annotations

from pathlib import Path

from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Value
from workerlint.lang.python.index import Task
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.report import number, report_at, seconds
from workerlint.project.frameworks.celery.tasks import TaskOptions, celery_tasks

BROKERS = {"redis": "Redis", "sqs": "SQS"}


def reader(ctx: ProjectContext) -> TaskOptions:
    from workerlint.core.fs import DISK

    fs = ctx.fs or DISK

    def read(relpath: str) -> bytes | None:
        try:
            return fs.read_bytes(Path(ctx.root) / relpath)
        except OSError:
            return None

    return TaskOptions(read)


def global_limit(celery: CelerySetup) -> tuple[float | None, bool]:
    """The hard time limit every task gets: the setting, else a ``--time-limit`` given to every
    worker command (the largest); (None, True) when there is none, (None, False) if unknown."""
    setting = celery.setting("task_time_limit")
    if setting is not None:
        limit = number(celery.value("task_time_limit"))
        return (limit, True) if limit is not None else (None, False)
    given = [c.option("time_limit") for c in celery.celery_workers]
    limits = [number(v) for v in given if v is not None]
    if given and len(limits) == len(given) and all(v is not None for v in given):
        return max(x for x in limits if x is not None), True
    if any(v is not None for v in given):
        return None, False
    return None, True


class LateAckCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found or ctx.python_index is None:
            return
        kind = celery.broker_kind
        if kind not in BROKERS:
            ctx.skip(f"broker {kind} (only Redis and SQS redeliver by visibility timeout)")
            return
        visibility = celery.visibility_timeout
        timeout = number(visibility)
        if visibility is None or timeout is None:
            ctx.skip("WL110: the visibility timeout is unknown")
            return
        limit, limit_known = global_limit(celery)
        options = reader(ctx)
        acks = celery.value("task_acks_late")
        exposed: list[tuple[Task, float | None]] = []
        for task in celery_tasks(ctx.python_index):
            own_limit = options.option(task, "time_limit")
            if own_limit is not None:
                task_limit = number(own_limit.value)
                if task_limit is None:
                    continue
            elif not limit_known:
                continue
            else:
                task_limit = limit
            if task_limit is not None and task_limit < timeout:
                continue
            own_acks = options.option(task, "acks_late")
            if own_acks is not None:
                if own_acks.value.value is True:
                    message = _message(
                        f"`acks_late=True` on task `{task.name}`", kind, timeout, visibility,
                        task_limit, own_limit is not None,
                    )  # fmt: skip
                    report_at(ctx, own_acks.value.source, message)
                continue
            exposed.append((task, task_limit))
        if not exposed or acks.value is not True or acks.source is None:
            return
        task, task_limit = exposed[0]
        more = f"{len(exposed)} tasks, e.g. `{task.name}`" if len(exposed) > 1 else f"`{task.name}`"
        message = _message(
            f"`task_acks_late` is on ({acks.origin()})", kind, timeout, visibility, task_limit,
            False,
        )  # fmt: skip
        report_at(ctx, acks.source, f"{message} ({more})")


def _message(
    what: str,
    kind: str,
    timeout: float,
    visibility: Value,
    limit: float | None,
    own_limit: bool,
) -> str:
    limits = (
        "no hard time limit"
        if limit is None
        else f"a hard time limit of {seconds(limit)}{' of its own' if own_limit else ''}"
    )
    return (
        f"{what} with the {BROKERS[kind]} broker's visibility timeout of {seconds(timeout)} "
        f"({visibility.origin()}) and {limits}: a task still running after {seconds(timeout)} "
        "is delivered again and runs twice"
    )
