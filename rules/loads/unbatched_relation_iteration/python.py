"""WL301's Python check: iterating an unbounded Django queryset or SQLAlchemy query in task code
(a ``for`` loop, a comprehension, ``map(f, qs)``; PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import COMPREHENSIONS
from workerlint.lang.python.relations import (
    is_queryset,
    iterations_of,
    phrase,
    relation_chain,
    without_evidence,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

CHUNK = 2000  # Django's default chunk size for `iterator()` (and the one prefetching needs)
SQLALCHEMY_HINT = "stream it with `.yield_per(1000)`"
SQLALCHEMY_2_HINT = "stream it with `.execution_options(yield_per=1000)` on the statement"


class IterationCheck(LanguageCheck):
    node_types = frozenset({"for_statement", *COMPREHENSIONS})
    call_names = frozenset({"map"})

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        iterated = _iterated(node, ctx)
        if iterated is None:
            return
        chain = relation_chain(iterated, ctx)
        if chain is None or not chain.unbounded:
            return
        again = iterations_of(iterated, ctx)
        if any(n.start_byte < iterated.start_byte for n in again):
            return  # the first iteration loaded the rows; this one reuses the result cache
        what = _how(node)
        level = None
        if is_queryset(iterated, ctx):
            model = without_evidence(chain, ctx)
            unknown = ""
            if model is not None:
                level = Level.NOTE
                unknown = (
                    f"; how many is not known: the queryset is filtered and nothing in the "
                    f"project reads `{model}` in batches, so this is a note; if the set can grow,"
                )
            message = (
                f"{what} {phrase(chain)} loads every matching row into memory before the first "
                f"step (and keeps them in the queryset's cache){unknown}{'' if unknown else ';'} "
                f"iterate with `.iterator(chunk_size={CHUNK})`, which fetches {CHUNK} rows at a time"
            )
            # `.iterator()` drops the result cache: a second loop would query every row again
            fix = _fix(iterated) if len(again) < 2 else None
        else:
            hint = SQLALCHEMY_2_HINT if "select" in chain.written else SQLALCHEMY_HINT
            message = f"{what} {phrase(chain)} fetches every matching row into memory; {hint}"
            fix = None
        ctx.report(Span(iterated.start_byte, iterated.end_byte), message, fix=fix, level=level)


def _iterated(node: Node, ctx: PythonFileContext) -> Node | None:
    if node.type == "for_statement":
        return node.child_by_field_name("right")
    if node.type == "call":
        qualified = ctx.semantic.qualified_name(nodes.callee(node))
        args = nodes.arguments(node)
        return args[1] if qualified == "map" and len(args) == 2 else None
    clause = next((c for c in node.named_children if c.type == "for_in_clause"), None)
    return clause.child_by_field_name("right") if clause is not None else None


def _how(node: Node) -> str:
    if node.type == "for_statement":
        return "The `for` loop over"
    if node.type == "call":
        return "`map` over"
    return "The comprehension over"


def _fix(iterated: Node) -> Fix:
    edit = Edit(iterated.end_byte, iterated.end_byte, f".iterator(chunk_size={CHUNK})")
    title = f"iterate with `.iterator(chunk_size={CHUNK})`"
    return Fix(Applicability.UNSAFE, title, (edit,))
