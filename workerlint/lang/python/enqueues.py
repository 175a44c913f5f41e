"""A call that enqueues a task of the project (PYTHON.md §1): which task, and the nodes it passes
as the task's arguments (WL403 and WL404 judge them; provenance reads the same shapes from the
cached facts, lang/python/provenance/analysis.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text
from workerlint.lang.python.provenance.analysis import ENQUEUES, RQ_OPTIONS

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task

CALL_NAMES = ENQUEUES


@record(frozen=True)
class TaskEnqueue:
    call: Node
    task: Task
    label: str  # `export.delay`
    method: str  # delay | apply_async | s | send | enqueue | send_task ...
    args: tuple[Node, ...]  # the task's positional arguments as passed
    keywords: tuple[tuple[str, Node], ...]  # the task's keyword arguments as passed
    options: dict[str, Node]  # the enqueue call's own keywords (serializer=, countdown=...)


def classify(call: Node, ctx: PythonContext) -> TaskEnqueue | None:
    key = ("python-enqueue", call.start_byte, call.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _classify(call, ctx)
    found: TaskEnqueue | None = ctx.memo[key]
    return found


def _classify(call: Node, ctx: PythonContext) -> TaskEnqueue | None:
    name = nodes.call_name(call) or ""
    if name not in ENQUEUES:
        return None
    args = nodes.arguments(call)
    keywords = nodes.keywords(call)
    label = " ".join(text(nodes.callee(call)).split())
    if name in ("send_task", "async_task", "enqueue_job"):
        written = nodes.string_value(args[0]) if args else None
        task = ctx.index.task_named(written) if written else None
        if task is None:
            return None
        if name == "send_task":
            return _packed(call, task, label, name, keywords.get("args"), keywords.get("kwargs"))
        return _plain(call, task, label, name, args[1:], keywords, RQ_OPTIONS)
    if name in ("enqueue", "enqueue_in", "enqueue_at", "enqueue_call"):
        skip = 1 if name in ("enqueue_in", "enqueue_at") else 0
        function = keywords.get("func") or (args[skip] if len(args) > skip else None)
        task = _task(function, ctx)
        if task is None:
            return None
        if name == "enqueue_call":
            return _packed(call, task, label, name, keywords.get("args"), keywords.get("kwargs"))
        return _plain(call, task, label, name, args[skip + 1 :], keywords, RQ_OPTIONS)
    task = _task(nodes.receiver(call), ctx)
    if task is None:
        return None
    if name in ("apply_async", "apply_async_on_commit", "send_with_options"):
        given = keywords.get("args") or (args[0] if args else None)
        kwargs = keywords.get("kwargs") or (args[1] if len(args) > 1 else None)
        return _packed(call, task, label, name, given, kwargs)
    return _plain(call, task, label, name, args, keywords, frozenset())


def _task(node: Node | None, ctx: PythonContext) -> Task | None:
    qualified = ctx.semantic.qualified_name(node) if node is not None else None
    if qualified is None:
        return None
    target = ctx.index.resolve(qualified)
    if target is None or target.kind not in ("function", "class") or target.rest:
        return None
    return next(
        (t for t in ctx.index.tasks if t.relpath == target.relpath and t.qualname == target.name),
        None,
    )


def _plain(
    call: Node,
    task: Task,
    label: str,
    method: str,
    args: list[Node],
    keywords: dict[str, Node],
    options: frozenset[str],
) -> TaskEnqueue:
    passed = tuple(a for a in args if a.type != "list_splat")
    named = tuple((k, v) for k, v in keywords.items() if k not in options)
    own = {k: v for k, v in keywords.items() if k in options}
    return TaskEnqueue(call, task, label, method, passed, named, own)


def _packed(
    call: Node, task: Task, label: str, method: str, args: Node | None, kwargs: Node | None
) -> TaskEnqueue:
    """``apply_async(args, kwargs, **options)``: the items of literal tuples and dicts."""
    passed: list[Node] = []
    named: list[tuple[str, Node]] = []
    if args is not None and nodes.unwrap(args).type in ("list", "tuple"):
        passed = [a for a in nodes.unwrap(args).named_children if a.type != "list_splat"]
    if kwargs is not None and nodes.unwrap(kwargs).type == "dictionary":
        for pair in nodes.unwrap(kwargs).named_children:
            key = nodes.string_value(pair.child_by_field_name("key"))
            value = pair.child_by_field_name("value")
            if pair.type == "pair" and key is not None and value is not None:
                named.append((key, value))
    options = {k: v for k, v in nodes.keywords(call).items() if k not in ("args", "kwargs")}
    return TaskEnqueue(call, task, label, method, tuple(passed), tuple(named), options)
