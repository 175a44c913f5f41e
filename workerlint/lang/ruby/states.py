"""Row states a model declares, read at index time for the pending-set rule (lang/ruby/size.py):
the column a scope holds to a literal, and the methods that move a row to another value.

- **filters** of a scope, as (column, kind, value): ``scope :pending, -> { where(status:
  "pending") }`` holds ``status`` EQUAL to ``"pending"``; ``scope :stale, -> { where("exported_at
  < ?", since) }`` COMPARES ``exported_at`` (never true for NULL); an AASM state (``state
  :settled`` gives the scope ``settled``, ``aasm_state`` equal to ``"settled"``); an ``enum``
  value (``pending``, ``status`` equal to ``"pending"``).
  A ``has_flags`` flag (flag_shih_tzu) is a column of its own: ``not_sent`` holds ``sent`` to
  false.
- **transitions**, as (method, column, from-values or None for any, to-value): an AASM event
  (``event :mark_sent do transitions from: :settled, to: :sent end`` gives ``mark_sent`` and
  ``mark_sent!``), an enum value's bang method (``sent!`` sets ``status`` to ``"sent"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.conditions import EQUAL, LOWER, UPPER, where_conditions
from workerlint.lang.ruby.nodes import NOT_LITERAL, literal_value, method_name

if TYPE_CHECKING:
    from tree_sitter import Node

COMPARED = "compared"  # a comparison in SQL (`<`, `>`, BETWEEN): never true for NULL
AASM_COLUMN = "aasm_state"  # AASM's default column

Filter = tuple[str, str, object]  # (column, EQUAL | COMPARED, value)
Transition = tuple[str, str, tuple[str, ...] | None, str]  # (method, column, from, to)


def plain(value: object) -> object:
    """A literal as filters compare it: a symbol is its name (``:sent`` and ``"sent"`` are the
    same stored value)."""
    return str(value) if isinstance(value, str) else value


def scope_filters(body: Node) -> list[Filter]:
    """The columns a scope's body holds to a literal or compares (none when it has an ``or``:
    then no condition holds for every row)."""
    found: list[Filter] = []
    for child in (body, *nodes.descendants(body)):
        if child.type != "call":
            continue
        name = method_name(child)
        if name == "or":
            return []
        if name not in ("where", "rewhere"):
            continue
        for condition in where_conditions(child):
            if condition.kind in (LOWER, UPPER):
                found.append((condition.column, COMPARED, None))
            elif condition.kind == EQUAL and condition.value is not None:
                value = literal_value(condition.value)
                if value is not NOT_LITERAL and not isinstance(value, tuple):
                    found.append((condition.column, EQUAL, plain(value)))
    return found


def _names(args: list[Node]) -> list[str]:
    return [str(v) for a in args if isinstance(v := literal_value(a), str)]


def _option(args: list[Node], key: str) -> Node | None:
    pairs, _ = nodes.option_pairs(args)
    pair = pairs.get(key)
    return nodes.pair_value(pair) if pair is not None else None


def aasm(call: Node) -> tuple[set[str], list[tuple[str, Filter]], list[Transition]]:
    """``aasm do ... end`` (also ``aasm column: :status``, ``aasm :name do``): the state scopes
    (none with ``create_scopes: false``), their filters, and the events' transitions."""
    args = nodes.arguments(call)
    column = AASM_COLUMN
    written = literal_value(_option(args, "column"))
    if isinstance(written, str):
        column = str(written)
    create = _option(args, "create_scopes")
    scopes_on = create is None or create.type != "false"
    body = nodes.block_body(nodes.block(call))
    scopes: set[str] = set()
    filters: list[tuple[str, Filter]] = []
    transitions: list[Transition] = []
    for statement in body.named_children if body is not None else ():
        if statement.type != "call" or nodes.receiver(statement) is not None:
            continue
        name = method_name(statement)
        if name == "state" and scopes_on:
            states = [a for a in nodes.arguments(statement) if a.type != "pair"]
            for state in _names(states):
                scopes.add(state)
                filters.append((state, (column, EQUAL, state)))
        elif name == "event":
            events = _names(nodes.arguments(statement)[:1])
            if events:
                transitions.extend(_event(events[0], statement, column))
    return scopes, filters, transitions


def _event(event: str, call: Node, column: str) -> list[Transition]:
    """``event :e do transitions from: [:a, :b], to: :c end``: one transition per ``transitions``
    call, for ``e!`` and ``e`` (a missing ``from`` is any state)."""
    found: list[Transition] = []
    body = nodes.block_body(nodes.block(call))
    for statement in body.named_children if body is not None else ():
        if statement.type != "call" or method_name(statement) != "transitions":
            continue
        args = nodes.arguments(statement)
        target = literal_value(_option(args, "to"))
        if not isinstance(target, str):
            continue
        source = _option(args, "from")
        froms: tuple[str, ...] | None = None
        if source is not None:
            value = literal_value(source)
            values = value if isinstance(value, tuple) else (value,)
            if not all(isinstance(v, str) for v in values):
                continue  # a state this cannot read: say nothing
            froms = tuple(str(v) for v in values)
        for method in (f"{event}!", event):
            found.append((method, column, froms, str(target)))
    return found


def flag_scopes(args: list[Node]) -> list[tuple[str, str, bool]]:
    """``has_flags 1 => :sent, 2 => :paid, column: "flags"`` (the flag_shih_tzu gem): a scope per
    flag and a ``not_`` one (unless ``named_scopes: false``), each holding the flag, which the
    model reads and writes like a column (``update(sent: true)``), to true or false."""
    pairs = [a for a in args if a.type == "pair"]
    pairs += [p for a in args if a.type == "hash" for p in a.named_children if p.type == "pair"]
    found: list[tuple[str, str, bool]] = []
    for pair in pairs:
        key = pair.child_by_field_name("key")
        value = nodes.pair_value(pair)
        if key is None or value is None:
            continue
        if key.type != "integer":
            if nodes.key_name(key) == "named_scopes" and value.type == "false":
                return []
            continue
        flag = literal_value(value)
        if isinstance(flag, str):
            found.append((str(flag), str(flag), True))
            found.append((f"not_{flag}", str(flag), False))
    return found


def moves_out(
    transitions: list[tuple[str, tuple[str, ...] | None, str]], column: str, value: object
) -> bool:
    """Whether calling a method with these transitions (column, from, to) moves a row whose
    ``column`` is ``value`` to another value: every transition that can start from it ends
    elsewhere, and one can."""
    starting = [
        to for col, froms, to in transitions if col == column and (froms is None or value in froms)
    ]
    return bool(starting) and all(to != value for to in starting)
