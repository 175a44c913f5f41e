"""How long an object built in Python task code lives (WL501, WL502): for one call, or for the
process.

Kept for the process (the object is built once, not per task run): a call in a function
memoised with ``functools.cache``/``lru_cache``/``cached_property``, assigned to a name the
function declares ``global``, to a class attribute (``cls.x``, ``Name.x``), to an attribute of a
``threading.local()``, or to ``self.x`` in a Celery ``Task`` subclass (one instance per worker
process). Unknown: ``self.x`` of another class and calls in a lambda (see ``--verbose``). Else
it is built on every call.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

MEMOS = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property", "cache",
     "lru_cache", "cached_property", "django.utils.functional.cached_property"}
)  # fmt: skip
_TASK_BASES = frozenset({"celery.Task", "celery.app.task.Task", "celery.task.Task"})


class Lifetime(enum.Enum):
    CALL = "call"
    PROCESS = "process"
    UNKNOWN = "unknown"


@record(frozen=True)
class Held:
    lifetime: Lifetime
    holder: str  # how messages show where it is kept


def lifetime(call: Node, ctx: PythonContext) -> Held:
    """How long the object ``call`` builds is kept."""
    if nodes.enclosing(call, frozenset({"lambda"})) is not None:
        return Held(Lifetime.UNKNOWN, "a lambda")
    function = nodes.enclosing(call, frozenset({"function_definition"}))
    if function is None:
        return Held(Lifetime.PROCESS, "module level")
    for decorator in nodes.decorators(function):
        target = decorator if decorator.type != "call" else nodes.callee(decorator)
        qualified = ctx.semantic.qualified_name(target)
        if qualified in MEMOS:
            return Held(
                Lifetime.PROCESS, f"the memoised `{text(function.child_by_field_name('name'))}`"
            )
    target = _assigned_to(call)
    if target is None:
        return Held(Lifetime.CALL, "")
    if target.type == "identifier":
        name = text(target)
        scope = ctx.semantic.scope_at(target)
        if name in scope.declared_global:
            return Held(Lifetime.PROCESS, f"the global `{name}`")
        return Held(Lifetime.CALL, f"`{name}`")
    if target.type == "attribute":
        owner = target.child_by_field_name("object")
        written = text(owner)
        if written == "cls" or (
            owner is not None and owner.type == "identifier" and written[:1].isupper()
        ):
            return Held(Lifetime.PROCESS, f"the class attribute `{text(target)}`")
        if owner is not None and _thread_local(owner, ctx):
            return Held(Lifetime.PROCESS, f"the thread-local `{text(target)}`")
        if written == "self":
            cls = nodes.enclosing(function, frozenset({"class_definition"}))
            if cls is not None and _task_class(cls, ctx):
                return Held(
                    Lifetime.PROCESS, f"`{text(target)}` of a task instance (one per process)"
                )
            return Held(Lifetime.UNKNOWN, f"`{text(target)}`")
    return Held(Lifetime.CALL, "")


def _assigned_to(call: Node) -> Node | None:
    parent = call.parent
    if parent is not None and parent.type == "assignment":
        right = parent.child_by_field_name("right")
        if right is not None and right.start_byte == call.start_byte:
            return parent.child_by_field_name("left")
    return None


def _thread_local(owner: Node, ctx: PythonContext) -> bool:
    value = ctx.semantic.value_of(owner)
    return value.type == "call" and ctx.semantic.qualified_name(nodes.callee(value)) in (
        "threading.local",
        "_thread._local",
    )


def _task_class(cls: Node, ctx: PythonContext) -> bool:
    name = cls.child_by_field_name("name")
    if name is None:
        return False
    relpath = ctx.relpath
    bases = set(ctx.index.class_bases(relpath, text(name)))
    return bool(bases & _TASK_BASES)


def where_it_runs(ctx: PythonContext) -> str:
    """``in the celery task `shop.tasks.sync``` or ``in task code``, for messages."""
    task = ctx.task
    if task is not None:
        return f"on every run of the {task.framework} task `{task.name}`"
    return "in task code, on every call"
