"""Relation chains in Python (RULES.md, "Relation chain"): a Django queryset
(lang/python/libraries/django_orm.py) or an SQLAlchemy query (libraries/sqlalchemy.py), as the
``Relation`` fact the Ruby side produces (facts.py): bounded, scoped to one parent, or neither
(``unbounded``, the only kind WL301, WL302 and WL404 report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python.libraries import django_orm, sqlalchemy

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.python.context import PythonContext


def relation_chain(expr: Node | None, ctx: PythonContext) -> Relation | None:
    """The queryset or query ``expr`` is (through a local assigned it once), or None."""
    return django_orm.relation_chain(expr, ctx) or sqlalchemy.relation_chain(expr, ctx)


def phrase(chain: Relation, suffix: str = "") -> str:
    """How a message names the chain and what is done with it: ```Order.objects.all()``` or,
    through a local, ```orders`` (`Order.objects.filter(...)`, line 12)``."""
    if chain.local is None:
        return f"`{chain.written}{suffix}`"
    return f"`{chain.shown}{suffix}` (`{chain.written}`, line {chain.local_line})"
