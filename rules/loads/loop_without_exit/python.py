"""WL303's Python check: ``while True:``/``while 1:`` that nothing inside can end (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

_NESTED_LOOPS = frozenset({"for_statement", "while_statement"})
_DEFINITIONS = frozenset({"function_definition", "lambda", "class_definition"})
_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort"})
_LIMITS = ("time_limit", "soft_time_limit")
MESSAGE = (
    "has no `break`, `return` or `raise` that ends it: the task never finishes and holds its "
    "worker slot for as long as the process lives (a restart redelivers it, and it loops "
    "again); poll one round per task and re-enqueue it, or use a periodic task, instead"
)


class LoopWithoutExitCheck(LanguageCheck):
    node_types = frozenset({"while_statement"})

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        condition = node.child_by_field_name("condition")
        value = nodes.literal(condition)
        if value is not True and not (isinstance(value, int) and value != 0):
            return
        body = node.child_by_field_name("body")
        if body is None or _ends(body, ctx):
            return
        line = nodes.line_of(node)
        limit = _time_limit(ctx)
        if limit is not None:
            ctx.skip(f"{ctx.relpath}:{line}: the task's `{limit}` ends the endless loop")
            return
        assert condition is not None
        shown = f"while {text(condition)}"
        ctx.report(Span(node.start_byte, condition.end_byte), f"`{shown}` {MESSAGE}")


def _ends(body: Node, ctx: PythonFileContext) -> bool:
    """Whether something in the loop's body ends the loop: its own ``break``, a ``return`` or
    ``raise`` (not in a nested definition), ``sys.exit()``, or a ``yield`` (a generator's
    caller decides how many steps run)."""
    stack: list[tuple[Node, bool]] = [(c, True) for c in body.named_children]
    while stack:
        node, own = stack.pop()
        kind = node.type
        if kind in _DEFINITIONS:
            continue
        if kind == "break_statement" and own:
            return True
        if kind in ("return_statement", "raise_statement", "yield"):
            return True
        if kind == "call" and ctx.semantic.qualified_name(nodes.callee(node)) in _EXITS:
            return True
        inner = own and kind not in _NESTED_LOOPS
        stack.extend((c, inner) for c in node.named_children)
    return False


def _time_limit(ctx: PythonFileContext) -> str | None:
    task = ctx.task
    if task is None:
        return None
    return next((k for k in _LIMITS if task.options.get(k) is not None), None)
