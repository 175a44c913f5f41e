"""A relation recognizer's answer for one expression, computed once per file (``ctx.memo``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.python.context import PythonContext


def relation_once(
    kind: str,
    expr: Node | None,
    ctx: PythonContext,
    compute: Callable[[Node, PythonContext, int], Relation | None],
) -> Relation | None:
    """``compute(expr, ctx, 0)``, remembered under ``kind``; None while it is being computed (a
    local's chain never reaches itself, but stay safe)."""
    if expr is None:
        return None
    expr = nodes.unwrap(expr)
    key = (kind, expr.start_byte, expr.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = None
        ctx.memo[key] = compute(expr, ctx, 0)
    found: Relation | None = ctx.memo[key]
    return found
