"""WL602's Python check: ``time.sleep`` in a sync task's code (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY, DRAMATIQ, HUEY, RQ
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

_SLEEPS = frozenset({"time.sleep"})
_STOPS = frozenset({"function_definition", "lambda", "class_definition"})
_INSTEAD = {
    CELERY: "retry later with `self.retry(countdown=...)` or enqueue with "
    "`apply_async(countdown=...)`",
    RQ: "enqueue the next step with `queue.enqueue_in(timedelta(...), ...)`",
    DRAMATIQ: "send the next step with `send_with_options(delay=...)`",
    HUEY: "schedule the next step with `.schedule(delay=...)`",
}
_LOOPS_OR_STOPS = frozenset({"for_statement", "while_statement", *_STOPS})
_GENERIC = "enqueue the rest with a delay, or raise and let the task's retry wait"


class SleepInJobCheck(LanguageCheck):
    call_names = frozenset({"sleep"})

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if ctx.semantic.qualified_name(nodes.callee(node)) not in _SLEEPS:
            return
        function = nodes.enclosing(node, frozenset({"function_definition"}))
        if function is not None and nodes.is_async(function):
            return  # an async task's own event loop: ASYNC251's concern, not a worker slot
        args = nodes.arguments(node)
        if not args:
            return
        value = nodes.literal(args[0])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value <= 0:
                return
            duration = f"{value:g} s"
        else:
            duration = f"`{' '.join(text(args[0]).split())}`"
        loop, error = _place(node)
        each_pass = f" on each pass of {loop}" if loop else ""
        if error is not None:
            each_pass += (", " if each_pass else " ") + error
        message = (
            f"`{text(nodes.callee(node))}` blocks this worker for {duration}{each_pass}, counted "
            f"against the worker's concurrency while it waits: {self._instead(ctx)}"
        )
        ctx.report(Span(*nodes.call_span(node)), message)

    def _instead(self, ctx: PythonFileContext) -> str:
        framework = ctx.task.framework if ctx.task is not None else None
        if framework is None:
            frameworks = ctx.index.frameworks()
            framework = next(iter(frameworks)) if len(frameworks) == 1 else None
        return _INSTEAD.get(framework or "", _GENERIC)


def _place(node: Node) -> tuple[str | None, str | None]:
    """The innermost loop the sleep repeats in (inside its ``except`` clause, when it is in
    one), and the error path it is on."""
    loop: str | None = None
    current = node.parent
    while current is not None and current.type not in _STOPS:
        if current.type == "except_clause":
            return loop, _error_path(current)
        if loop is None and current.type in ("for_statement", "while_statement"):
            keyword = "for" if current.type == "for_statement" else "while"
            loop = f"the `{keyword}` loop (line {nodes.line_of(current)})"
        current = current.parent
    return loop, None


def _error_path(clause: Node) -> str:
    caught = next((c for c in clause.named_children if c.type != "block"), None)
    if caught is not None and caught.type == "as_pattern":
        caught = caught.named_children[0] if caught.named_children else None
    what = f"`{' '.join(text(caught).split())}`" if caught is not None else "an exception"
    owner = nodes.enclosing(clause, _LOOPS_OR_STOPS)
    again = ""
    if owner is not None and owner.type in ("for_statement", "while_statement"):
        again = " and the loop tries again"
    line = nodes.line_of(clause)
    return f"only on the error path: each time it catches {what} (line {line}){again}"
