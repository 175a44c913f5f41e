"""Relation chains (RULES.md, "Relation chain"): ``Order.where(..).order(..)`` and friends."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint.facts import Relation
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.model import BOUNDING, QUERY_METHODS
from workerlint.lang.ruby.nodes import constant_path, method_name
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

ORDERING = frozenset({"order", "reorder"})
PRIMARY_KEYS = frozenset({"id"})


# The relation fact (facts.py), under the name the rules know it by.
Chain = Relation


def _written(constant: str, calls: tuple[Node, ...], names: tuple[str, ...]) -> str:
    parts = [constant]
    for call, name in zip(calls, names, strict=True):
        parts.append(f".{name}" + ("(...)" if nodes.arguments(call) else ""))
    return "".join(parts)


def _relation(
    constant: str, model: str | None, calls: tuple[Node, ...], names: tuple[str, ...], bounded: bool
) -> Relation:
    ordered = bool(ORDERING & set(names))
    return Relation(
        constant, model, calls, names, bounded, ordered, _written(constant, calls, names)
    )


def _bounds(call: Node, name: str) -> bool:
    if name in BOUNDING:
        return True
    if name in ("first", "last"):
        return bool(nodes.arguments(call))
    if name == "where":
        return _where_on_primary_key(nodes.arguments(call))
    return False


# `where("id IN (?)", ids)`, `where("orders.id = ANY(?)", ids)`: bounded by the argument.
_PRIMARY_KEY_SQL = re.compile(r"^\s*(\w+\.)?id\s*(in\b|=\s*any\b)", re.IGNORECASE)


def _where_on_primary_key(args: list[Node]) -> bool:
    pairs, _ = nodes.option_pairs(args)
    if PRIMARY_KEYS & set(pairs):
        return True
    for pair in pairs.values():  # where(orders: { id: ids })
        value = nodes.pair_value(pair)
        if value is not None and value.type == "hash":
            inner, _ = nodes.hash_pairs(value)
            if PRIMARY_KEYS & set(inner):
                return True
    first = nodes.literal_value(args[0]) if args else None
    return isinstance(first, str) and _PRIMARY_KEY_SQL.match(first) is not None


def relation_chain(expr: Node | None, ctx: RubyContext) -> Relation | None:
    """The relation chain ``expr`` is, or None (a local, an association, a constant list...);
    computed once per expression and file."""
    if expr is None:
        return None
    key = ("relation", expr.start_byte, expr.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _relation_chain(expr, ctx)
    found: Relation | None = ctx.memo[key]
    return found


def _relation_chain(expr: Node | None, ctx: RubyContext) -> Relation | None:
    calls: list[Node] = []
    node = expr
    while node is not None and node.type == "call":
        calls.append(node)
        node = nodes.receiver(node)
    if node is None or not calls:
        return None
    const = constant_path(node)
    if const is None:
        return None
    calls.reverse()
    names = tuple(method_name(c) or "" for c in calls)
    resolved = ctx.index.resolve(const, lexical(ctx.class_scope))
    is_model = resolved is not None and ctx.index.is_model(resolved)
    scopes = ctx.index.scopes_of(resolved) if is_model and resolved else set()
    bounded_scopes = ctx.index.bounded_scopes_of(resolved) if is_model and resolved else set()
    allowed = QUERY_METHODS | BOUNDING | {"first", "last"} | scopes
    if any(name not in allowed for name in names):
        return None
    if not is_model:
        if resolved is not None:  # a project class that is not a model
            return None
        if not (set(names) & (QUERY_METHODS - {"all"})):
            return None
    bounded = any(_bounds(c, n) for c, n in zip(calls, names, strict=True)) or bool(
        bounded_scopes & set(names)
    )
    return _relation(const, resolved if is_model else None, tuple(calls), names, bounded)


def relation_or_model(expr: Node | None, ctx: RubyContext) -> Relation | None:
    """A relation chain, or a bare project model (``Order`` in ``Order.pluck(:id)``): unbounded."""
    chain = relation_chain(expr, ctx)
    if chain is not None or expr is None:
        return chain
    const = constant_path(expr)
    if const is None:
        return None
    resolved = ctx.index.resolve(const, lexical(ctx.class_scope))
    if resolved is None or not ctx.index.is_model(resolved):
        return None
    return _relation(const, resolved, (), (), False)
