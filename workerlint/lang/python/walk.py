"""The single walk over a Python file, dispatching subscribed nodes to the rules' Python checks.

Each file is walked once; checks subscribe by node type and, for calls, by the name a call is
made by (``get`` in ``requests.get(url)``). The walk keeps on the context the module function or
method a node is in, the task whose body it is, and whether it is task code (PYTHON.md §9): a
function's body, nested functions and lambdas included, is task code when the project index says
the function is; module-level and class-level statements never are (they run at import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.dispatch import DispatchTable, OnError, deliver
from workerlint.lang.python.nodes import call_name

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.semantic import Function


# The keyword each node type is written with, for the relevance gate (app/gate.py): a file
# without the word has no node of the type. A type not here is written without one.
KEYWORDS: dict[str, str] = {
    "function_definition": "def",
    "class_definition": "class",
    "for_statement": "for",
    "while_statement": "while",
    "if_statement": "if",
    "elif_clause": "elif",
    "not_operator": "not",
    "list_comprehension": "for",
    "set_comprehension": "for",
    "dictionary_comprehension": "for",
    "generator_expression": "for",
    "with_statement": "with",
    "lambda": "lambda",
}


def walk(tree: Tree, ctx: PythonContext, table: DispatchTable, on_error: OnError) -> None:
    tops: dict[tuple[int, int], Function] = {
        (f.node.start_byte, f.node.end_byte): f
        for f in ctx.semantic.functions()
        if "<locals>" not in f.qualname
    }
    index = ctx.index
    failed: set[int] = set()
    by_type = table.by_type
    by_call = table.by_call
    # (depth) of the top-level function being walked, to leave it
    top_depth = -1

    cursor = tree.walk()
    depth = 0
    while True:
        node = cursor.node
        assert node is not None
        if top_depth >= 0 and depth <= top_depth:
            ctx.function, ctx.task, ctx.in_worker_code = None, None, False
            top_depth = -1
        kind = node.type
        if kind == "function_definition" and top_depth < 0:
            function = tops.get((node.start_byte, node.end_byte))
            if function is not None:
                top_depth = depth
                ctx.function = function
                ctx.task = index.task_of(ctx.relpath, function.qualname)
                ctx.in_worker_code = index.is_task_code(ctx.relpath, function.qualname)
        checks = by_type.get(kind)
        if checks:
            deliver(checks, node, ctx, failed, on_error)
        if kind == "call" and by_call:
            name = call_name(node)
            if name is not None:
                checks = by_call.get(name)
                if checks:
                    deliver(checks, node, ctx, failed, on_error)
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1
