"""Relation chains in Python (RULES.md, "Relation chain"): a Django queryset
(lang/python/libraries/django_orm.py) or an SQLAlchemy query (libraries/sqlalchemy.py), as the
``Relation`` fact the Ruby side produces (facts.py): bounded, scoped to one parent, or neither
(``unbounded``, the only kind WL301, WL302 and WL404 report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.libraries import django_orm, sqlalchemy
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.python.context import PythonContext


def relation_chain(expr: Node | None, ctx: PythonContext) -> Relation | None:
    """The queryset or query ``expr`` is (through a local assigned it once), or None."""
    return django_orm.relation_chain(expr, ctx) or sqlalchemy.relation_chain(expr, ctx)


def is_queryset(expr: Node | None, ctx: PythonContext) -> bool:
    """Whether ``expr`` is a Django queryset (not an SQLAlchemy query)."""
    return django_orm.relation_chain(expr, ctx) is not None


def iterations_of(local: Node, ctx: PythonContext) -> list[Node]:
    """Where the function iterates the local ``local`` reads directly (``for x in qs``, ``[...
    for x in qs]``; the iterated name, in source order): each iteration after the first reuses
    the queryset's result cache. Empty when ``local`` is not a name bound in a function."""
    local = nodes.unwrap(local)
    if local.type != "identifier":
        return []
    binding = ctx.semantic.binding_of(local)
    scope = ctx.semantic.enclosing_function(local)
    if binding is None or scope is None:
        return []
    name = text(local)
    found: list[Node] = []
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.type in ("for_statement", "for_in_clause"):
            right = node.child_by_field_name("right")
            right = nodes.unwrap(right) if right is not None else None
            if (
                right is not None
                and right.type == "identifier"
                and text(right) == name
                and ctx.semantic.binding_of(right) is binding
            ):
                found.append(right)
        stack.extend(node.named_children)
    return sorted(found, key=lambda n: n.start_byte)


def phrase(chain: Relation, suffix: str = "") -> str:
    """How a message names the chain and what is done with it: ```Order.objects.all()``` or,
    through a local, ```orders`` (`Order.objects.filter(...)`, line 12)``."""
    if chain.local is None:
        return f"`{chain.written}{suffix}`"
    return f"`{chain.shown}{suffix}` (`{chain.written}`, line {chain.local_line})"


def without_evidence(chain: Relation, ctx: PythonContext) -> str | None:
    """Why a filtered queryset's rows are not known to be many (the model, when nothing in the
    project reads it in batches), or None when there is such evidence: the chain selects every
    row (no filter, default manager), or the project reads the model with ``.iterator()``
    somewhere. A measured rule (issue 10, round 3, as on the Ruby side): filtered chains in
    task code were most often small sets."""
    if not chain.filtered or not isinstance(chain.model, str):
        return None
    if ctx.index.is_batched(chain.model):
        return None
    return chain.model.rpartition(".")[2]
