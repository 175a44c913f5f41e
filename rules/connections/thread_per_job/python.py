"""WL502's Python check: a thread or a process started on every run of task code (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY
from workerlint.lang.python.libraries.connections import THREAD_NAMES, thread_start
from workerlint.lang.python.lifetime import Lifetime, lifetime, where_it_runs

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

_UNCOUNTED = (
    ", outside the worker's concurrency: a busy queue starts them without limit, they share "
    "the process's connections, and the worker does not wait for them when it shuts down; "
    "enqueue the work as tasks instead"
)
_DAEMONIC = (
    "a prefork pool process is daemonic, and starting a `multiprocessing` child from it raises "
    "`AssertionError: daemonic processes are not allowed to have children`"
)


class ThreadPerJobCheck(LanguageCheck):
    call_names = THREAD_NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = thread_start(node, ctx)
        if found is None:
            return
        kind, label = found
        held = lifetime(node, ctx)
        if held.lifetime is not Lifetime.CALL:
            return
        where = where_it_runs(ctx)
        span = Span(*nodes.call_span(node))
        if kind == "thread":
            ctx.report(span, f"`{label}` starts threads {where}{_UNCOUNTED}")
            return
        if kind == "multiprocessing" and self._celery(ctx):
            pool = celery_pool(ctx)
            if pool == "prefork":
                message = (
                    f"`{label}` starts a child process {where} under Celery's prefork pool: "
                    f"{_DAEMONIC}, so the task always fails; enqueue the work as tasks (a "
                    "`group`) instead"
                )
                ctx.report(span, message, level=Level.ERROR)
                return
            if pool is None:
                message = (
                    f"`{label}` starts a child process {where}: under Celery's prefork pool "
                    f"(its default; this worker's pool is not known) {_DAEMONIC}; enqueue the "
                    "work as tasks (a `group`) instead"
                )
                ctx.report(span, message)
                return
        ctx.report(
            span,
            f"`{label}` starts a child process {where}, a copy of the whole worker process"
            f"{_UNCOUNTED}",
        )

    def _celery(self, ctx: PythonFileContext) -> bool:
        if ctx.task is not None:
            return ctx.task.framework == CELERY
        return CELERY in ctx.index.frameworks()


def celery_pool(ctx: PythonFileContext) -> str | None:
    """The pool of the project's Celery workers (prefork, threads, gevent, eventlet, solo): the
    one every worker command runs (its ``-P``, else the ``worker_pool`` setting, else Celery's
    default, prefork); with no worker command read, the ``worker_pool`` setting when the
    project sets it. None when it is not known or the workers differ."""
    setup = ctx.celery
    if not setup.found:
        return None
    workers = setup.celery_workers
    if workers:
        values = [setup.worker_value(command, "worker_pool") for command in workers]
    elif setup.is_set("worker_pool"):
        values = [setup.value("worker_pool")]
    else:
        return None
    pools = {v.value for v in values if v.status == "known" and isinstance(v.value, str)}
    if len(pools) != 1 or len(values) != len([v for v in values if v.status == "known"]):
        return None
    pool = pools.pop()
    return "prefork" if pool in ("prefork", "processes") else pool
