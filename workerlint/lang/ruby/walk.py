"""The single walk over a Ruby file, dispatching subscribed nodes to rules.

Each file is walked once; rules subscribe by node type and, for calls, by method name (a bare
identifier statement such as ``sleep`` counts as a call). The walk keeps the scope a node is in
(class, method, whether it is worker code) on the context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.dispatch import DispatchTable, OnError, deliver
from workerlint.lang.ruby.model import PERFORM_CALLBACKS, ClassScope
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.lang.ruby.context import RubyContext

SCOPE_TYPES = frozenset({"class", "module", "method", "singleton_method"})
# The keyword each node type is written with, for the relevance gate (app/gate.py): a file
# without the word has no node of the type. A type not here is written without one.
KEYWORDS: dict[str, str] = {
    "class": "class",
    "module": "module",
    "method": "def",
    "singleton_method": "def",
    "while": "while",
    "until": "until",
    "while_modifier": "while",
    "until_modifier": "until",
    "if_modifier": "if",
    "unless_modifier": "unless",
    "rescue_modifier": "rescue",
    "if": "if",
    "unless": "unless",
    "case": "case",
    "for": "for",
}


def walk(tree: Tree, ctx: RubyContext, table: DispatchTable, on_error: OnError) -> None:
    scopes = {(s.node.start_byte, s.node.end_byte, s.node.type): s for s in ctx.classes}
    index = ctx.index
    failed: set[int] = set()
    # (depth, class_scope, method, in_worker_code, is_worker_class, is_worker_code_class) saved
    # on scope entry
    saved: list[tuple[int, ClassScope | None, Node | None, bool, bool, bool]] = []
    worker_class = False
    code_class = False
    by_type = table.by_type
    by_call = table.by_call

    cursor = tree.walk()
    depth = 0
    while True:
        node = cursor.node
        assert node is not None
        while saved and saved[-1][0] >= depth:
            _, ctx.class_scope, ctx.method, ctx.in_worker_code, worker_class, code_class = (
                saved.pop()
            )
        kind = node.type
        if kind in SCOPE_TYPES:
            saved.append(
                (depth, ctx.class_scope, ctx.method, ctx.in_worker_code, worker_class, code_class)
            )
            if kind in ("class", "module"):
                scope = scopes.get((node.start_byte, node.end_byte, kind))
                ctx.class_scope = scope
                worker_class = scope is not None and index.is_worker(scope.facts.name)
                # Beside the workers, every class runs inside them, except an ActiveJob class
                # whose adapter is not Sidekiq: that is a job of another queue system.
                code_class = worker_class or (
                    scope is not None
                    and ctx.in_worker_dir
                    and not index.is_foreign_job(scope.facts.name)
                )
                ctx.method = None
                ctx.in_worker_code = False
            else:
                ctx.method = node
                ctx.in_worker_code = ctx.class_scope is not None and code_class
        elif kind == "call" and ctx.method is None and worker_class:
            name_node = node.child_by_field_name("method")
            if name_node is not None and name_node.text.decode() in PERFORM_CALLBACKS:
                saved.append(
                    (depth, ctx.class_scope, ctx.method, ctx.in_worker_code, True, code_class)
                )
                ctx.in_worker_code = True
        checks = by_type.get(kind)
        if checks:
            deliver(checks, node, ctx, failed, on_error)
        if kind == "call":
            if by_call:
                name_node = node.child_by_field_name("method")
                if name_node is not None:
                    checks = by_call.get(name_node.text.decode())
                    if checks:
                        deliver(checks, node, ctx, failed, on_error)
        elif kind == "identifier" and by_call:
            checks = by_call.get(node.text.decode())
            if (
                checks
                and node.parent is not None
                and node.parent.type in STATEMENT_PARENTS
                and not ctx.semantic.is_local(node)
            ):
                deliver(checks, node, ctx, failed, on_error)
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1
