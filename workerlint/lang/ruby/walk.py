"""The single walk over a Ruby file, dispatching subscribed nodes to rules.

Each file is walked once; rules subscribe by node type and, for calls, by method name (a bare
identifier statement such as ``sleep`` counts as a call). The walk keeps the scope a node is in
(class, method, whether it is worker code) on the context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workerlint.lang.ruby.model import PERFORM_CALLBACKS, ClassScope
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.core.rule import Rule
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


@dataclass
class DispatchTable:
    by_type: dict[str, list[Rule]] = field(default_factory=dict)
    by_call: dict[str, list[Rule]] = field(default_factory=dict)

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> DispatchTable:
        table = cls()
        for rule in rules:
            for kind in rule.node_types:
                table.by_type.setdefault(kind, []).append(rule)
            for name in rule.call_methods:
                table.by_call.setdefault(name, []).append(rule)
        return table

    def __bool__(self) -> bool:
        return bool(self.by_type or self.by_call)


OnError = Callable[["Rule", BaseException], None]


def walk(tree: Tree, ctx: RubyContext, table: DispatchTable, on_error: OnError) -> None:
    scopes = {(s.node.start_byte, s.node.end_byte, s.node.type): s for s in ctx.classes}
    index = ctx.index
    failed: set[str] = set()
    # (depth, class_scope, method, in_worker_code, is_worker_class, is_worker_code_class) saved
    # on scope entry
    saved: list[tuple[int, ClassScope | None, Node | None, bool, bool, bool]] = []
    worker_class = False
    code_class = False
    by_type = table.by_type
    by_call = table.by_call

    def deliver(rules: list[Rule], node: Node) -> None:
        for rule in rules:
            if rule.code in failed or (rule.worker_code_only and not ctx.in_worker_code):
                continue
            ctx.rule = rule
            try:
                rule.visit(node, ctx)
            except Exception as error:  # a failing rule never loses the others' findings
                failed.add(rule.code)
                on_error(rule, error)
        ctx.rule = None

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
        rules = by_type.get(kind)
        if rules:
            deliver(rules, node)
        if kind == "call":
            if by_call:
                name_node = node.child_by_field_name("method")
                if name_node is not None:
                    rules = by_call.get(name_node.text.decode())
                    if rules:
                        deliver(rules, node)
        elif kind == "identifier" and by_call:
            rules = by_call.get(node.text.decode())
            if (
                rules
                and node.parent is not None
                and node.parent.type in STATEMENT_PARENTS
                and not ctx.semantic.is_local(node)
            ):
                deliver(rules, node)
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1
