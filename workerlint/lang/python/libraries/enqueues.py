"""Enqueue calls in Python, as ``Enqueue`` facts (PYTHON.md §1 "enqueue sites", §2 WL601):

- Celery: ``t.delay(...)``, ``t.apply_async(...)``, ``t.delay_on_commit``/``apply_async_on_commit``
  (5.4+, sent at the commit), ``app.send_task("name")``; ``delay``/``apply_async`` on a name
  the index resolves to a project function or class that is not a task are not enqueues;
- RQ: ``q.enqueue(f, ...)``, ``enqueue_call/enqueue_in/enqueue_at``, ``enqueue_many`` (bulk),
  ``django_rq.enqueue(f)``;
- Dramatiq: ``.send``/``.send_with_options`` only on a resolved Dramatiq actor (never Django's
  ``Signal.send``);
- Huey: calling a resolved Huey task, ``.schedule(...)``; arq ``redis.enqueue_job("f")`` (in a
  module that imports arq);
  Django-Q ``async_task("m.f")``;
- a project wrapper: a call of a function of the same module whose body makes one of these
  (not inside a loop of its own) is an enqueue per call.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from workerlint.facts import Enqueue
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY, DRAMATIQ, HUEY, RQ
from workerlint.lang.python.nodes import text
from workerlint.lang.python.parse import captures

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task

CELERY_METHODS = frozenset({"delay", "apply_async"})
ON_COMMIT = frozenset({"delay_on_commit", "apply_async_on_commit"})
RQ_METHODS = frozenset({"enqueue", "enqueue_call", "enqueue_in", "enqueue_at"})
DRAMATIQ_METHODS = frozenset({"send", "send_with_options"})
BULK = frozenset({"enqueue_many"})
NAMED = frozenset({"send_task", "enqueue_job", "async_task"})
NAMES = CELERY_METHODS | ON_COMMIT | RQ_METHODS | DRAMATIQ_METHODS | BULK | NAMED | {"schedule"}
_DJANGO_Q = frozenset({"django_q.tasks.async_task"})
_RQ_FUNCTIONS = frozenset({"django_rq.enqueue"})
_BULK_CANVAS = frozenset({"group", "chord", "group.skew"})
_SCHEDULE_KEYS = ("countdown", "eta", "delay")
# The method names an enqueue on a receiver is made with (``_classify`` returns None for any
# other before resolving the receiver, which needs the file's semantic model).
_ON_RECEIVER = CELERY_METHODS | ON_COMMIT | DRAMATIQ_METHODS | RQ_METHODS | BULK
_ON_RECEIVER |= {"schedule", "send_task", "enqueue_job"}
# The words a module holds when a bare call in it may enqueue other than by calling a Huey task:
# a Django-Q or django-rq function (imported, so named in the module), or a wrapper (a function
# of the module whose body makes an enqueue call on a receiver, named as written).
_BARE_WORDS = tuple(sorted(w.encode() for w in _ON_RECEIVER | {"async_task", "django_rq"}))
# The words a module holds when a bare call in it may be Django-Q's ``async_task`` or
# ``django_rq.enqueue`` (the name, or the package it is imported from: any alias of them is bound
# by a statement naming them), unless the module is in one of those packages.
_LIBRARY_WORDS = (b"async_task", b"django_rq")
_LIBRARY_PACKAGES = frozenset({"django_q", "django_rq"})
# The functions a module defines and the methods it calls on a receiver (a wrapper candidate is
# a function whose span holds such a call by one of ``NAMES``).
_WRAPPER_QUERY = """
(function_definition) @definition
(call function: (attribute attribute: (identifier) @method))
"""


def classify(call: Node, ctx: PythonContext) -> Enqueue | None:
    """The enqueue a call makes, or None."""
    key = ("enqueue", call.start_byte, call.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _classify(call, ctx)
    result: Enqueue | None = ctx.memo[key]
    return result


def may_enqueue(call: Node) -> bool:
    """Whether ``classify`` may find an enqueue in ``call`` (when False it gives None), by its
    name alone: a cheap test before costlier questions. A bare call may (``classify`` asks the
    project and the module; asked here, every file would depend on the project's tasks)."""
    name = nodes.call_name(call)
    if name is None:
        return False
    receiver = nodes.receiver(call)
    if receiver is None:
        return True
    if receiver.type == "call" and name in CELERY_METHODS | ON_COMMIT:
        return True
    return name in _ON_RECEIVER


def framework_of(found: Enqueue) -> str | None:
    """The framework an enqueue belongs to (kept in ``Enqueue.resolved`` as ``framework:name``)."""
    if found.resolved is None:
        return None
    return found.resolved.split(":", 1)[0]


def task_at(expr: Node | None, ctx: PythonContext) -> Task | None:
    """The project task a name or attribute chain means, through imports and the index."""
    if expr is None:
        return None
    qualified = ctx.semantic.qualified_name(expr)
    if qualified is None:
        return None
    target = ctx.index.resolve(qualified)
    if target is None or target.rest or target.kind not in ("function", "class"):
        return None
    return next(
        (t for t in ctx.index.tasks if t.relpath == target.relpath and t.qualname == target.name),
        None,
    )


def _classify(call: Node, ctx: PythonContext) -> Enqueue | None:
    name = nodes.call_name(call)
    function = nodes.callee(call)
    if name is None or function is None:
        return None
    receiver = nodes.receiver(call)
    if receiver is None:
        return _bare(call, name, function, ctx) if _may_be_bare(name, ctx) else None
    if receiver.type == "call" and name in CELERY_METHODS | ON_COMMIT:
        return _canvas(call, name, receiver, ctx)
    if name not in _ON_RECEIVER:
        return None
    task = task_at(receiver, ctx)
    if name in CELERY_METHODS | ON_COMMIT:
        if task is None and _project_non_task(receiver, ctx):
            return None
        framework = task.framework if task is not None else CELERY
        return _fact(call, name, receiver, framework, task, ctx)
    if name in DRAMATIQ_METHODS:
        if task is None or task.framework != DRAMATIQ:
            return None
        return _fact(call, name, receiver, DRAMATIQ, task, ctx)
    if name == "schedule":
        if task is None or task.framework != HUEY:
            return None
        return _fact(call, name, receiver, HUEY, task, ctx)
    if name in RQ_METHODS | BULK:
        args = nodes.arguments(call)
        if not args and name != "enqueue_call":
            return None
        target = task_at(args[0], ctx) if args else None
        return _fact(call, name, receiver, RQ, target, ctx, bulk=name in BULK)
    if name in ("send_task", "enqueue_job"):
        if not nodes.arguments(call):
            return None
        if name == "enqueue_job" and not _imports_arq(ctx):
            return None  # a project's own ``enqueue_job`` (Polar's batches its jobs)
        return _fact(call, name, receiver, CELERY if name == "send_task" else "arq", None, ctx)
    return None


def _may_enqueue_bare(ctx: PythonContext) -> bool:
    """Whether a bare call of the file may be an enqueue (``_bare`` is None for every one
    otherwise): the project has a Huey task, or the module holds a word of ``_BARE_WORDS``.
    Once per file (the walk asks for every call)."""
    key = ("enqueue-bare", 0, 0)
    found = ctx.memo.get(key)
    if found is None:
        data = ctx.source.data
        found = ctx.memo[key] = _huey(ctx) or any(word in data for word in _BARE_WORDS)
    return bool(found)


def _huey(ctx: PythonContext) -> bool:
    """Whether the project has a Huey task. Once per file."""
    key = ("enqueue-huey", 0, 0)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = any(t.framework == HUEY for t in ctx.index.tasks)
    return bool(found)


def _may_be_bare(name: str, ctx: PythonContext) -> bool:
    """Whether a bare call of ``name`` may be an enqueue (``_bare`` is None otherwise): none when
    ``_may_enqueue_bare`` says so; any name when the project has a Huey task (a Huey task is
    called by whatever name binds it) or the module may name a Django-Q or django-rq function;
    else only a function of the module that may be a wrapper (``_wrapper_names``). No semantic
    model is built for the test (a module whose only question is this one is spared it)."""
    if not _may_enqueue_bare(ctx):
        return False
    names = _wrapper_names(ctx)
    return names is None or name in names


def _wrapper_names(ctx: PythonContext) -> frozenset[str] | None:
    """The names of the module's functions whose span holds a call on a receiver by one of
    ``NAMES`` (the functions ``_wrapper`` may find an enqueue in), or None when any bare call may
    enqueue otherwise. Once per file."""
    key = ("enqueue-wrappers", 0, 0)
    if key in ctx.memo:
        found: frozenset[str] | None = ctx.memo[key]
        return found
    data = ctx.source.data
    module = ctx.semantic.module or ""
    if (
        _huey(ctx)
        or any(word in data for word in _LIBRARY_WORDS)
        or module.partition(".")[0] in _LIBRARY_PACKAGES
    ):
        found = None
    else:
        captured = captures(_WRAPPER_QUERY, ctx.tree.root_node)
        starts = [m.start_byte for m in captured.get("method", []) if text(m) in NAMES]
        found = frozenset(
            text(definition.child_by_field_name("name"))
            for definition in captured.get("definition", [])
            if _holds(starts, definition)
        )
    ctx.memo[key] = found
    return found


def _holds(starts: list[int], node: Node) -> bool:
    """Whether one of ``starts`` (sorted) is within ``node``'s span."""
    at = bisect_left(starts, node.start_byte)
    return at < len(starts) and starts[at] < node.end_byte


def _canvas(call: Node, name: str, receiver: Node, ctx: PythonContext) -> Enqueue | None:
    """``group(...).apply_async()`` (one call, many tasks: bulk), ``t.s(x).apply_async()``,
    ``chain(...).delay()`` (one message)."""
    made = nodes.call_name(receiver)
    qualified = ctx.semantic.qualified_name(nodes.callee(receiver))
    if made in _BULK_CANVAS and (qualified or "").startswith("celery"):
        return _fact(call, name, receiver, CELERY, None, ctx, bulk=True)
    if made == "chunks":
        return _fact(call, name, receiver, CELERY, None, ctx, bulk=True)
    if made in ("s", "si", "signature"):
        task = task_at(nodes.receiver(receiver), ctx)
        signature = (qualified or "") in ("celery.signature", "celery.chain")
        if task is None and not signature and nodes.receiver(receiver) is None:
            return None
        return _fact(call, name, receiver, CELERY, task, ctx)
    if (qualified or "") in ("celery.chain", "celery.signature"):
        return _fact(call, name, receiver, CELERY, None, ctx)
    return None


def _bare(call: Node, name: str, function: Node, ctx: PythonContext) -> Enqueue | None:
    qualified = ctx.semantic.qualified_name(function)
    if qualified in _DJANGO_Q:
        return _fact(call, name, None, "django-q", None, ctx)
    if qualified in _RQ_FUNCTIONS:
        args = nodes.arguments(call)
        target = task_at(args[0], ctx) if args else None
        return _fact(call, name, None, RQ, target, ctx)
    task = task_at(function, ctx)
    if task is not None and task.framework == HUEY:
        return _fact(call, name, None, HUEY, task, ctx)
    return _wrapper(call, function, ctx)


def _wrapper(call: Node, function: Node, ctx: PythonContext) -> Enqueue | None:
    """A call of a function of this module whose body enqueues once (not in a loop)."""
    if function.type != "identifier":
        return None
    binding = ctx.semantic.binding_of(function)
    if binding is None or binding.kind != "def" or binding.value is None:
        return None
    definition = binding.value
    if definition.start_byte <= call.start_byte < definition.end_byte:
        return None  # recursion
    inner = _first_enqueue(definition, ctx)
    if inner is None:
        return None
    label = text(function)
    return Enqueue(
        call=call,
        method=inner.method,
        active_job=False,
        target=inner.target,
        resolved=inner.resolved,
        job_args=tuple(nodes.arguments(call)),
        keywords=tuple(nodes.keywords(call).values()),
        schedule=None,
        collection=None,
        bulk=False,
        job=inner.job,
        label=label,
    )


def _first_enqueue(definition: Node, ctx: PythonContext) -> Enqueue | None:
    """The first enqueue a function's own body makes (not a nested function's), or None when
    the body enqueues in a loop of its own (it batches, or is reported there)."""
    stack = list(reversed(definition.named_children))
    found: Enqueue | None = None
    while stack:
        node = stack.pop()
        if node.type in ("function_definition", "lambda", "class_definition"):
            continue
        if node.type == "call" and nodes.call_name(node) in NAMES:
            receiver = nodes.receiver(node)
            if receiver is not None:  # no wrappers of wrappers
                hit = classify(node, ctx)
                if hit is not None:
                    if hit.bulk:
                        return None  # it batches
                    if nodes.enclosing(node, nodes.LOOPS) is not None:
                        return None
                    found = found or hit
        stack.extend(reversed(node.named_children))
    return found


def _imports_arq(ctx: PythonContext) -> bool:
    return any(
        b.kind == "import" and (b.qualified or "").split(".")[0] == "arq"
        for bindings in ctx.semantic.module_scope.bindings.values()
        for b in bindings
    )


def _project_non_task(receiver: Node, ctx: PythonContext) -> bool:
    """Whether ``receiver`` names a project function or class that is not a task (its
    ``delay`` is the project's own method)."""
    qualified = ctx.semantic.qualified_name(receiver)
    if qualified is None:
        return False
    target = ctx.index.resolve(qualified)
    return target is not None and not target.rest and target.kind in ("function", "class")


def _fact(
    call: Node,
    name: str,
    receiver: Node | None,
    framework: str,
    task: Task | None,
    ctx: PythonContext,
    *,
    bulk: bool = False,
) -> Enqueue:
    keywords = nodes.keywords(call)
    schedule = next((keywords[k] for k in _SCHEDULE_KEYS if k in keywords), None)
    written = " ".join(text(nodes.callee(call)).split())
    args = nodes.arguments(call)
    job_args = tuple(args[1:]) if name in RQ_METHODS | BULK and args else tuple(args)
    resolved = f"{framework}:{task.name}" if task is not None else f"{framework}:"
    return Enqueue(
        call=call,
        method=name,
        active_job=False,
        target=text(receiver) if receiver is not None else None,
        resolved=resolved,
        job_args=job_args,
        keywords=tuple(keywords.values()),
        schedule=schedule,
        collection=args[0] if bulk and args else None,
        bulk=bulk,
        job=task.name if task is not None else None,
        label=written,
    )
