"""WL112's check: a Celery task with no hard time limit that makes a request without a timeout
(PYTHON.md §3, §9: only for a task making a call WL201 reports; points at the decorator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY
from workerlint.lang.python.libraries import http, task_options

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import HttpRequest
    from workerlint.lang.python.libraries.task_options import TaskDefinition
    from workerlint.project.context import PythonFileContext


class TimeLimitCheck(LanguageCheck):
    node_types = frozenset({"function_definition", "class_definition"})
    # The gate: it reports only on a task's definition (the index decides which).
    gate_worker_classes = True
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        definition = task_options.task_definition(node, ctx)
        if definition is None or definition.task.framework != CELERY:
            return
        request = _unbounded_request(definition, ctx)
        if request is None:
            return
        where = f"{ctx.relpath}:{definition.task.line}"
        own = definition.option("time_limit")
        if own is not None:
            value = nodes.literal(own)
            if value is NOT_LITERAL:
                ctx.skip(f"{where}: the task's `time_limit` is not a literal")
            if value is not None:
                return
        if not self._no_global_limit(ctx, where):
            return
        line = nodes.line_of(request.node)
        ctx.report(
            _anchor(definition),
            f"the task `{definition.task.name}` has no time limit (no `time_limit` option, no "
            f"`task_time_limit` setting, no `--time-limit`) and `{request.label}` on line "
            f"{line} has no timeout: when that server hangs, the worker process running the "
            "task hangs with it for good; a hard time limit would kill it and free the slot",
        )

    @staticmethod
    def _no_global_limit(ctx: PythonFileContext, where: str) -> bool:
        celery = ctx.celery
        if not celery.found:
            ctx.skip(f"{where}: no Celery app found: its time limits are unknown")
            return False
        if celery.is_set("task_annotations"):
            ctx.skip(f"{where}: `task_annotations` may give the task a time limit")
            return False
        commands = celery.celery_workers or (None,)
        for command in commands:
            value = celery.worker_value(command, "task_time_limit")
            if value.status == "unknown":
                ctx.skip(f"{where}: the time limit is unknown ({value.origin()})")
                return False
            if value.value is not None:
                return False
        return True


def _unbounded_request(definition: TaskDefinition, ctx: PythonFileContext) -> HttpRequest | None:
    """The first request in the task's body that WL201 reports (no timeout at all)."""
    body = definition.body
    block = body.child_by_field_name("body") if body is not None else None
    if block is None:
        return None
    stack = [block]
    found: list[HttpRequest] = []
    while stack:
        node = stack.pop()
        if node.type == "call" and nodes.call_name(node) in http.REQUEST_NAMES:
            request = http.classify(node, ctx)
            if request is not None and not request.has_timeout and not request.unknown:
                found.append(request)
        stack.extend(reversed(node.named_children))
    return min(found, key=lambda r: r.node.start_byte) if found else None


def _anchor(definition: TaskDefinition) -> Span:
    """The decorator line of a function task (``@app.task(...)``), the class name of a class
    task."""
    task = definition.task
    parent = definition.definition.parent
    if task.decorator is not None and parent is not None and parent.type == "decorated_definition":
        for child in parent.named_children:
            if (
                child.type == "decorator"
                and child.start_byte <= task.decorator.start < child.end_byte
            ):
                return Span(child.start_byte, child.end_byte)
    name = definition.definition.child_by_field_name("name") or definition.definition
    return Span(name.start_byte, name.end_byte)
