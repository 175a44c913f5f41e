"""Pending sets: a loop that drains its own set (RULES.md, "Actionable by default": evidence
against many rows). The loop walks rows its chain filters and its block moves each row out of
that filter, so each run walks only the rows that arrived since the last: how many is the
arrival rate, which the code does not show. WL601 (through the size evidence of the loop,
lang/ruby/size.py) and WL301 ask the same question here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.facts import Relation
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.conditions import EQUAL, LOWER, UPPER, where_conditions
from workerlint.lang.ruby.nodes import NOT_LITERAL, literal_value, method_name, text, unwrap
from workerlint.lang.ruby.relations import relation_chain
from workerlint.lang.ruby.shown import describe
from workerlint.lang.ruby.states import COMPARED, moves_out, plain

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext


@record(frozen=True)
class PendingSet:
    """The chain a loop drains and how messages show a move out of it (``user.update!(sent_at:
    Time.current)``, ``user.exported_at = nil` then `user.save``)."""

    chain: Relation
    move: str

    def reason(self) -> str:
        """The size evidence's reason (WL601): what the loop walks and why its size is the
        arrival rate."""
        return (
            f"`{self.chain.describe()}`, a pending set: the loop moves each row out of it "
            f"(`{self.move}`), so each run sees only the rows that arrived since the "
            "last (how many is the arrival rate, not known)"
        )


# Calls on a record that write it: with the columns they set, or none for removing it.
UPDATES = frozenset(
    {"update", "update!", "update_columns", "update_attributes", "update_attributes!"}
)
UPDATE_ONE = frozenset({"update_column", "update_attribute"})
REMOVES = frozenset({"destroy", "destroy!", "delete"})


def pending_set(call: Node, ctx: RubyContext) -> PendingSet | None:
    """The pending set the iteration ``call`` drains, or None. It walks rows its chain filters
    (``X.where(notified_at: nil)``, a column equal to a literal; a scope holding one: ``scope
    :pending, -> { where(status: "pending") }``, an AASM state, an enum value; a comparison
    such as ``where("exported_at < ?", 14.days.ago)``) and its block moves the row out of that
    filter (``r.update!(notified_at: Time.current)``, ``r.destroy!``, an AASM event whose
    transitions from the filtered state lead elsewhere, an enum's bang method for another
    value, ``r.col = other`` then ``r.save``; for a comparison, setting the column to nil,
    which no SQL comparison holds for). Each run sees only the rows that arrived since the
    last one, so how many depends on the arrival rate: not known."""
    name = method_name(call) or ""
    params = nodes.block_params(nodes.block(call))
    body = nodes.block_body(nodes.block(call))
    if not params or body is None or name in ("find_in_batches", "in_batches"):
        return None
    chain = relation_chain(nodes.receiver(call), ctx)
    if chain is None:
        return None
    filters = _filters(chain, ctx)
    if not filters:
        return None
    transitions = ctx.index.transitions_of(chain.model) if chain.model else {}
    record = params[0]
    found: list[tuple[Node, str]] = []
    for node in nodes.descendants(body):
        moved = None
        if node.type == "assignment":
            moved = _assigned_out(node, record, filters, body)
        elif node.type == "call" and method_name(node) is not None:
            recv = nodes.receiver(node)
            if recv is not None and recv.type == "identifier" and text(recv) == record:
                moved = describe(node, 50) if _moves_out(node, filters, transitions) else None
        if moved is not None:
            found.append((node, moved))
    if not found:
        return None
    # The message shows a move every row makes (a statement of the block) when there is one.
    moved = next((shown for node, shown in found if node.parent == body), found[0][1])
    return PendingSet(chain, moved)


# What a chain holds a column to: (EQUAL, the literal as states.plain gives it) or (COMPARED,
# None): a SQL comparison, which no NULL satisfies.
Filters = dict[str, tuple[str, object]]


def _filters(chain: Relation, ctx: RubyContext) -> Filters:
    """The columns the chain's ``where``s and scopes hold to a literal, or compare."""
    scopes = ctx.index.scope_filters_of(chain.model) if chain.model else {}
    found: Filters = {}
    for where, method in zip(chain.calls, chain.methods, strict=True):
        if method in ("where", "rewhere"):
            for cond in where_conditions(where):
                if cond.kind in (LOWER, UPPER):
                    found[cond.column] = (COMPARED, None)
                    continue
                value = unwrap(cond.value) if cond.kind == EQUAL else None
                literal = literal_value(value) if value is not None else NOT_LITERAL
                if literal is not NOT_LITERAL and not isinstance(literal, tuple):
                    found[cond.column] = (EQUAL, plain(literal))
        for column, kind, value in scopes.get(method, ()):
            found[column] = (kind, value)
    return found


def _differs(value: Node, kind: str, filtered: object) -> bool:
    """Whether writing ``value`` to a column the chain holds to ``filtered`` (EQUAL) or compares
    (COMPARED) moves the row out: another value, or for a comparison nil."""
    literal = literal_value(unwrap(value))
    if kind == COMPARED:
        return literal is None
    return literal is NOT_LITERAL or plain(literal) != filtered


def _assigned_out(assignment: Node, record: str, filters: Filters, body: Node) -> str | None:
    """``r.col = other`` followed in the block by ``r.save``/``r.save!``: how the message shows
    it, when it moves the row out of a filtered column."""
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or left.type != "call":
        return None
    target = nodes.receiver(left)
    column = method_name(left) or ""
    if target is None or target.type != "identifier" or text(target) != record:
        return None
    if column not in filters or not _differs(right, *filters[column]):
        return None
    for node in nodes.descendants(body):
        if (
            node.type == "call"
            and node.start_byte > assignment.end_byte
            and method_name(node) in SAVES
            and (recv := nodes.receiver(node)) is not None
            and text(recv) == record
        ):
            return f"{describe(assignment, 40)}` then `{describe(node, 20)}"
    return None


SAVES = frozenset({"save", "save!"})


def _moves_out(
    call: Node,
    filters: Filters,
    transitions: dict[str, list[tuple[str, tuple[str, ...] | None, str]]],
) -> bool:
    """Whether ``call`` (on the iterated record) removes it, sets a filtered column to a value
    that leaves the filter, or moves it to another state (an AASM event, an enum bang method)."""
    name = method_name(call) or ""
    args = [a for a in nodes.arguments(call) if a.type != "block_argument"]
    if name in REMOVES:
        return not args
    if name in transitions:
        return any(
            kind != COMPARED and moves_out(transitions[name], column, value)
            for column, (kind, value) in filters.items()
        )
    if name in UPDATE_ONE and len(args) == 2:
        column = literal_value(args[0])
        return isinstance(column, str) and column in filters and _differs(args[1], *filters[column])
    if name in UPDATES:
        pairs, _ = nodes.option_pairs(args)
        for column, pair in pairs.items():
            value = nodes.pair_value(pair)
            if column in filters and value is not None and _differs(value, *filters[column]):
                return True
    return False
