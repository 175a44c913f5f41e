"""WL503's check: a Celery task waiting on another task's result (PYTHON.md §4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.formats.values import Value
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY
from workerlint.lang.python.libraries import celery_calls
from workerlint.project.frameworks.celery.model import NOT_GIVEN

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.index import Task
    from workerlint.project.context import PythonFileContext
    from workerlint.project.frameworks.celery.commands import WorkerCommand
    from workerlint.project.frameworks.celery.model import CelerySetup

WAITS = frozenset({"get", "join", "join_native", "wait"})
BLOCKING_POOLS = frozenset({"prefork", "processes", "threads", "threading", "solo"})
GREEN_POOLS = frozenset({"gevent", "eventlet"})
ALLOW_JOIN = frozenset({"celery.result.allow_join_result"})


class WaitCheck(LanguageCheck):
    call_names = WAITS

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        task = ctx.task
        if task is None or task.framework != CELERY:
            return
        owner = nodes.receiver(node)
        built = celery_calls.result_source(owner, ctx)
        if built is None:
            return
        label = _label(node, owner)
        lifted = _lifted(node, ctx)
        pools = _pools(ctx.celery, task)
        if lifted is not None or (pools and all(p in GREEN_POOLS for p, _ in pools)):
            why = lifted or f"under the {_shown(pools)}"
            ctx.report(
                Span(*nodes.call_span(node)),
                f"{label} waits in the task `{task.name}` for the result of {built}, "
                f"{why}: the worker slot is held until the other task runs; once every slot "
                "waits on a task that no free slot can run, the worker deadlocks",
                level=Level.WARNING,
            )
            return
        if pools and all(p in BLOCKING_POOLS for p, _ in pools):
            where = f"under the {_shown(pools)}"
        else:
            where = "under the prefork, threads and solo pools (this project's pool is unknown)"
        ctx.report(
            Span(*nodes.call_span(node)),
            f"{label} waits in the task `{task.name}` for the result of {built}: {where}, "
            "Celery raises `RuntimeError: Never call result.get() within a task!`, so the task "
            "always fails",
        )


def _lifted(call: Node, ctx: PythonFileContext) -> str | None:
    """Why waiting is allowed here: ``disable_sync_subtasks=False`` on the call, or a
    ``with allow_join_result():`` around it."""
    flag = nodes.keywords(call).get("disable_sync_subtasks")
    if flag is not None and nodes.literal(flag) is False:
        return "with `disable_sync_subtasks=False`"
    current = call.parent
    while current is not None and current.type not in ("function_definition", "module"):
        if current.type == "with_statement":
            for item in _with_items(current):
                if (
                    item.type == "call"
                    and ctx.semantic.qualified_name(nodes.callee(item)) in ALLOW_JOIN
                ):
                    return f"inside `with {nodes.text(item)}:`"
        current = current.parent
    return None


def _with_items(statement: Node) -> list[Node]:
    found = []
    for clause in statement.named_children:
        if clause.type != "with_clause":
            continue
        for item in clause.named_children:
            value = item.child_by_field_name("value") if item.type == "with_item" else item
            if value is not None and value.type == "as_pattern" and value.named_children:
                value = value.named_children[0]
            if value is not None:
                found.append(nodes.unwrap(value))
    return found


def _pools(celery: CelerySetup, task: Task) -> list[tuple[str, Value]]:
    """The pool of each Celery worker that consumes the task's queue (of every worker the
    project starts when that queue cannot be read or no worker consumes it; the setting when
    no worker command is found); empty when any is unknown."""
    if not celery.found:
        return []
    workers: tuple[WorkerCommand | None, ...] = celery.celery_workers or (None,)
    queue = celery.queue_of(task.name, _given_queue(task))
    consumers = celery.consumers(queue) if queue is not None else None
    if consumers:
        workers = consumers
    found: list[tuple[str, Value]] = []
    for command in workers:
        value = celery.worker_value(command, "worker_pool")
        if value.status == "unknown" or not isinstance(value.value, str):
            return []
        found.append((value.value.lower(), value))
    return found


def _given_queue(task: Task) -> object:
    """The task's own ``queue=`` (decorator keyword or class attribute), as queue_of reads it."""
    call = task.decorator.call if task.decorator is not None else None
    if call is not None and call.has_keyword("queue"):
        return call.keyword("queue")
    return task.options.get("queue", NOT_GIVEN)


def _shown(pools: list[tuple[str, Value]]) -> str:
    names = sorted({name for name, _ in pools})
    origins = "; ".join(dict.fromkeys(value.origin() for _, value in pools))
    word = "pools" if len(names) > 1 else "pool"
    return f"{' and '.join(names)} {word} ({origins})"


def _label(call: Node, owner: Node | None) -> str:
    """``export.get()``; ``build_feed.delay(...).get()`` for a wait on a call's result."""
    name = nodes.call_name(call)
    if owner is None:
        return f"`{name}()`"
    owner = nodes.unwrap(owner)
    if owner.type == "call":
        return f"`{nodes.text(nodes.callee(owner))}(...).{name}()`"
    return f"`{nodes.text(owner)}.{name}()`"
