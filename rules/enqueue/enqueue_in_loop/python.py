"""WL601's Python check: one enqueue per step of a loop (PYTHON.md §2, §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Fix, LanguageCheck, Level, Span
from workerlint.facts import Size
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY, DRAMATIQ, RQ, is_migration
from workerlint.lang.python.libraries import enqueues
from workerlint.lang.python.loops import exits_after, loops_around
from workerlint.lang.python.size import copied

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Enqueue, Loop
    from workerlint.project.context import PythonFileContext

FLOODING = 770  # CWE-770, as in the Ruby half
LEVELS = {Size.REQUEST: Level.ERROR, Size.LARGE: Level.WARNING, Size.UNKNOWN: Level.NOTE}


class EnqueueInLoopCheck(LanguageCheck):
    worker_code_only = False  # views, signals and management commands enqueue as much as tasks
    node_types = frozenset({"call"})
    # The gate: it reads only calls inside a loop (a `for`, `while` or comprehension); outside
    # task code, where the project has no Huey task, a module that enqueues names an enqueue
    # method (or, as a wrapper's body or an import, what it calls): core/rule.py.
    gate_words = frozenset({"for", "while"})
    gate_words_without_worker_code = enqueues.NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if not enqueues.may_enqueue(node):  # most calls: before looking for a loop
            return
        if nodes.enclosing(node, nodes.LOOPS) is None or is_migration(ctx.relpath):
            return
        found = enqueues.classify(node, ctx)
        if found is None or found.bulk:
            return
        loops = loops_around(node, ctx)
        if not loops:
            return
        line = nodes.line_of(node)
        batch = _per_batch(found, ctx)
        if batch is not None:
            ctx.skip(f"{ctx.relpath}:{line}: `{found.label}` sends one job per batch ({batch})")
            return
        if any(exits_after(node, loop.node) for loop in loops[:1]):
            ctx.skip(f"{ctx.relpath}:{line}: `{found.label}` is followed by a `break`/`return`")
            return
        deciding = max(loops, key=lambda loop: loop.evidence.size)
        evidence = deciding.evidence
        level = LEVELS.get(evidence.size)
        if level is None:
            ctx.skip(f"{ctx.relpath}:{line}: `{found.label}` loops over {evidence.reason}")
            return
        where = _where(node, loops, deciding)
        framework = enqueues.framework_of(found)
        bulk = _bulk(found, framework)
        each = "one message to the broker each"
        if evidence.size is Size.REQUEST:
            message = (
                f"`{found.label}` {where} enqueues one job per element of {evidence.reason}: one "
                "request can send any number of jobs (job flooding); cap its size where the "
                f"request is read{f', and send them together with {bulk}' if bulk else ''}"
            )
            ctx.report(Span(*nodes.call_span(node)), message, level=level, cwe=FLOODING)
            return
        if bulk is None:
            tail = "Dramatiq has no bulk enqueue, so send them from one task that loops"
            message = (
                f"`{found.label}` {where} enqueues one job per iteration over "
                f"{evidence.reason}, {each} ({tail})"
            )
            ctx.report(Span(*nodes.call_span(node)), message, level=level)
            return
        message = (
            f"`{found.label}` {where} enqueues one job per iteration over {evidence.reason}, "
            f"{each}; send them together with {bulk}"
        )
        fix = Fix(Applicability.DISPLAY_ONLY, f"send them together with {bulk}", ())
        ctx.report(Span(*nodes.call_span(node)), message, level=level, fix=fix)


def _per_batch(found: Enqueue, ctx: PythonFileContext) -> str | None:
    """The argument that makes each job a batch: a slice (``ids[i : i + 1000]``, a query's
    ``[:1000]``), also inside ``list(...)``/``tuple(...)``/``set(...)``/``sorted(...)``, or a name
    assigned one in the loop; each job then takes many elements (the chunking is done)."""
    for arg in (*found.job_args, *found.keywords):
        value = _unwrapped(ctx.semantic.value_of(arg), ctx)
        if _is_slice(value):
            return f"`{nodes.text(arg)}` is a slice"
        if value.type in ("list", "tuple") and value.named_children:
            inner = _unwrapped(ctx.semantic.value_of(value.named_children[0]), ctx)
            if _is_slice(inner):
                return f"`{nodes.text(value.named_children[0])}` is a slice"
    return None


def _unwrapped(value: Node, ctx: PythonFileContext) -> Node:
    """``list(x)`` and the like as ``x``: a copy holds what it copies."""
    while (inner := copied(value, ctx)) is not None:
        value = ctx.semantic.value_of(inner)
    return value


def _is_slice(value: Node) -> bool:
    return value.type == "subscript" and any(c.type == "slice" for c in value.named_children)


def _where(node: Node, loops: list[Loop], deciding: Loop) -> str:
    inner = loops[0].node
    where = f"inside {_loop_label(inner)}"
    if inner.start_point[0] != node.start_point[0]:
        where += f" (line {nodes.line_of(inner)})"
    if deciding is not loops[0]:
        outer = deciding.node
        where += f" within {_loop_label(outer)} (line {nodes.line_of(outer)})"
    return where


def _loop_label(loop: Node) -> str:
    if loop.type == "for_statement":
        return "the `for` loop"
    if loop.type == "while_statement":
        return "the `while` loop"
    return "the comprehension"


def _bulk(found: Enqueue, framework: str | None) -> str | None:
    """The one-call form for the framework, or None (Dramatiq has none)."""
    if framework == DRAMATIQ:
        return None
    if framework == RQ:
        return "`queue.enqueue_many([Queue.prepare_data(f, args) ...])`"
    if framework == CELERY and found.method in ("delay", "apply_async"):
        task = found.target or "task"
        return (
            f"`group({task}.s(x) for x in xs).apply_async()` (one producer) or "
            f"`{task}.chunks(zip(xs), 100)` (one message per 100)"
        )
    if framework == CELERY and found.method in enqueues.ON_COMMIT:
        task = found.target or "task"
        return f"`transaction.on_commit(lambda: group({task}.s(x) for x in xs).apply_async())`"
    if framework == CELERY and found.method == "send_task":
        return "`group(signature(name, args=(x,)) for x in xs).apply_async()`"
    return "one call that sends them all"
