"""Celery calls as the rules need them: which expression names a Celery task of the project,
which builds a signature or canvas (``t.s(x)``, ``group(...)``), and which value is a result
handle (``AsyncResult``/``GroupResult``: what ``delay``, ``apply_async``, ``send_task`` and
calling a canvas return).

Names resolve through the semantic model's qualified names and the project index; anything
that does not resolve is not a Celery object here (the rules stay silent and say why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task

CANVAS = frozenset(
    f"{module}.{name}"
    for module in ("celery", "celery.canvas")
    for name in ("group", "chain", "chord", "chunks", "signature", "Signature", "xmap", "xstarmap")
)
RESULT_CLASSES = frozenset(
    {
        "celery.result.AsyncResult",
        "celery.result.GroupResult",
        "celery.result.ResultSet",
        "celery.result.GroupResult.restore",
        "celery.AsyncResult",
    }
)
SIGNATURE_METHODS = frozenset({"s", "si", "signature", "subtask", "map", "starmap", "chunks"})
SENDING_METHODS = frozenset({"delay", "apply_async"})
MAX_DEPTH = 6


def task_named(expr: Node | None, ctx: PythonContext) -> Task | None:
    """The project's Celery task an expression names (``send_receipt``, ``tasks.send_receipt``),
    else None."""
    if expr is None:
        return None
    qualified = ctx.semantic.qualified_name(expr)
    if qualified is None:
        return None
    index = ctx.index
    target = index.resolve(qualified)
    if target is None:
        return None
    function = index.function(target)
    if function is not None:
        task = index.task_of(target.relpath, function.qualname)
    elif target.kind == "class" and not target.rest:
        task = next(
            (t for t in index.tasks if t.relpath == target.relpath and t.qualname == target.name),
            None,
        )
    else:
        task = None
    return task if task is not None and task.framework == CELERY else None


def is_canvas(expr: Node | None, ctx: PythonContext, depth: int = 0) -> bool:
    """Whether an expression builds a Celery signature or canvas: ``t.s(x)``, ``t.si()``,
    ``group(...)``, ``chain(...)``, ``chord(...)(...)``, ``a.s() | b.s()``, through locals."""
    if expr is None or depth > MAX_DEPTH:
        return False
    expr = ctx.semantic.value_of(nodes.unwrap(expr))
    expr = nodes.unwrap(expr)
    if expr.type == "binary_operator":
        return is_canvas(expr.child_by_field_name("left"), ctx, depth + 1)
    if expr.type != "call":
        return False
    callee = nodes.callee(expr)
    if ctx.semantic.qualified_name(callee) in CANVAS:
        return True
    name = nodes.call_name(expr)
    if name in SIGNATURE_METHODS:
        return task_named(nodes.receiver(expr), ctx) is not None
    if name in ("set", "clone", "on_error", "link"):
        return is_canvas(nodes.receiver(expr), ctx, depth + 1)
    return False


def result_source(expr: Node | None, ctx: PythonContext, depth: int = 0) -> str | None:
    """What built a result handle an expression holds (``send_receipt.delay(...)``,
    ``group(...).apply_async()``, ``AsyncResult(task_id)``), shown for a message; None when it
    is not known to be one."""
    if expr is None or depth > MAX_DEPTH:
        return None
    built = nodes.unwrap(ctx.semantic.value_of(nodes.unwrap(expr)))
    if built.type != "call":
        return None
    callee = nodes.callee(built)
    name = nodes.call_name(built)
    shown = nodes.text(callee)
    if ctx.semantic.qualified_name(callee) in RESULT_CLASSES:
        return f"`{shown}(...)`"
    if name in SENDING_METHODS:
        owner = nodes.receiver(built)
        if task_named(owner, ctx) is not None or is_canvas(owner, ctx):
            return f"`{shown}(...)`"
        return None
    if name == "AsyncResult" and _is_app_or_task(nodes.receiver(built), ctx):
        return f"`{shown}(...)`"
    if name == "send_task" and _is_app(nodes.receiver(built), ctx):
        return f"`{shown}(...)`"
    if callee is not None and callee.type == "call" and is_canvas(callee, ctx):
        return f"`{nodes.text(callee)}(...)`"  # calling a canvas applies it
    return None


def _is_app(expr: Node | None, ctx: PythonContext) -> bool:
    if expr is None:
        return False
    qualified = ctx.semantic.qualified_name(expr)
    return qualified is not None and ctx.index.app_framework(qualified) == CELERY


def _is_app_or_task(expr: Node | None, ctx: PythonContext) -> bool:
    if expr is None:
        return False
    if _is_app(expr, ctx) or task_named(expr, ctx) is not None:
        return True
    # ``self.AsyncResult(id)`` in a bound task
    task = ctx.task
    function = ctx.function
    if task is None or function is None or expr.type != "identifier":
        return False
    params = nodes.parameters(function.node)
    return bool(params) and params[0][0] == nodes.text(expr) and _bound(task)


def _bound(task: Task) -> bool:
    return task.options.get("bind") is True or "." in task.body
