"""What the arguments of a ``where`` say about the rows (RULES.md, "Relation chain").

``where(account_id: id)``, ``where(created_at: 1.day.ago..)``, ``where("created_at > ?", since)``,
``where(orders: { id: ids })``: each becomes a :class:`Condition` on a column. Relations (and the
index's scopes) read them to tell a chain scoped to one parent, bounded by a list, or bounded by a
rolling time window from one over the whole table.

SQL text is read only when it is a plain string of conditions joined by ``AND``: an ``OR``
anywhere, or anything this does not recognise, says nothing (the chain stays unbounded).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import constant_path, literal_value, method_name, text, unwrap

if TYPE_CHECKING:
    from tree_sitter import Node

EQUAL = "equal"  # column = value (a list value: IN)
LOWER = "lower"  # column > value, column >= value, value.. (rows newer than value)
UPPER = "upper"  # column < value, ..value


@record(frozen=True)
class Condition:
    column: str  # without its table (`orders.account_id` -> `account_id`)
    kind: str  # EQUAL | LOWER | UPPER
    value: Node | None  # the bound value; None for `where(user_id:)` and for SQL's own now()
    name: str | None = None  # the local a shorthand `where(user_id:)` reads
    sql_now: bool = False  # the SQL compares with its own clock (`> NOW() - INTERVAL '1 day'`)


def where_conditions(call: Node) -> list[Condition]:
    """The conditions of a ``where``/``rewhere`` call (none for ``where.not``: ``not`` is a
    call of its own, and ``where`` there has no arguments)."""
    args = [a for a in nodes.arguments(call) if a.type != "block_argument"]
    if not args:
        return []
    first = literal_value(args[0])
    if isinstance(first, str):
        return _sql_conditions(first, args[1:])
    found: list[Condition] = []
    pairs = [a for a in args if a.type == "pair"]
    if args[-1].type == "hash":
        pairs.extend(c for c in args[-1].named_children if c.type == "pair")
    for pair in pairs:
        found.extend(_pair_conditions(pair, 0))
    return found


def _pair_conditions(pair: Node, depth: int) -> list[Condition]:
    key = pair.child_by_field_name("key")
    column = nodes.key_name(key) if key is not None else None
    if column is None:
        return []
    value = unwrap(nodes.pair_value(pair))
    if value is None:  # `where(user_id:)`: the local of that name
        return [Condition(column, EQUAL, None, name=column)]
    if value.type == "hash" and depth == 0:  # where(orders: { account_id: id })
        return [
            c
            for inner in value.named_children
            if inner.type == "pair"
            for c in _pair_conditions(inner, depth + 1)
        ]
    ends = range_ends(value)
    if ends is not None:
        begin, end = ends
        found = []
        if begin is not None:
            found.append(Condition(column, LOWER, begin))
        if end is not None:
            found.append(Condition(column, UPPER, end))
        return found
    return [Condition(column, EQUAL, value)]


def range_ends(node: Node | None) -> tuple[Node | None, Node | None] | None:
    """(begin, end) of a range literal (``1.day.ago..``) or ``Range.new(a, b)``, else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "range":
        return unwrap(node.child_by_field_name("begin")), unwrap(node.child_by_field_name("end"))
    if node.type != "call" or method_name(node) != "new":
        return None
    args = nodes.arguments(node)
    if (constant_path(nodes.receiver(node)) or "").removeprefix("::") == "Range" and len(args) > 1:
        return unwrap(args[0]), unwrap(args[1])
    return None


_COLUMN = r"(?:\w+\.)?(\w+)"
_BIND = r"(\?|:\w+)"
_NOW_SQL = r"(?:now\(\)|current_timestamp|current_date|localtimestamp)"
# The bind may be wrapped in one SQL function (`expiration_at = DATE(?)`).
_COMPARISON = re.compile(
    rf"^\(?\s*{_COLUMN}\s*(=|>=|>|<=|<|\bin\b|=\s*any\b)\s*(?:\w+\s*\()?\(?\s*{_BIND}", re.I
)
_REVERSED = re.compile(rf"^\(?\s*{_BIND}\s*(<=|<|>=|>)\s*{_COLUMN}\b", re.I)
_BETWEEN = re.compile(
    rf"^\(?\s*{_COLUMN}\s+between\s+\(?\s*{_BIND}\s*\)?\s+and\s+\(?\s*{_BIND}", re.I
)
_SQL_WINDOW = re.compile(rf"^\(?\s*{_COLUMN}\s*(>=|>)\s*{_NOW_SQL}", re.I)
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _sql_conditions(sql: str, binds: list[Node]) -> list[Condition]:
    """``"account_id = ? AND created_at > ?"`` with its bind values."""
    if re.search(r"\bor\b", sql, re.I):
        return []
    named: dict[str, Node] = {}
    if binds and binds[-1].type == "hash":
        named = {
            k: v for k, p in nodes.hash_pairs(binds[-1])[0].items() if (v := nodes.pair_value(p))
        }
    elif binds and all(b.type == "pair" for b in binds):
        named = {
            k: v for k, p in nodes.option_pairs(binds)[0].items() if (v := nodes.pair_value(p))
        }
    positional = [b for b in binds if b.type != "pair" and b.type != "hash"]
    counter = iter(range(sql.count("?")))

    def bound(token: str) -> Node | None:
        if token == "?":
            index = next(counter, None)
            return positional[index] if index is not None and index < len(positional) else None
        return named.get(token[1:])

    found: list[Condition] = []
    # `BETWEEN ? AND ?` holds an AND of its own: read those first, then split the rest on AND.
    parts = re.split(
        r"\band\b(?![^()]*\))",
        re.sub(r"\bbetween\s+(\S+)\s+and\b", r"between \1 &&", sql, flags=re.I),
        flags=re.I,
    )
    for part in parts:
        part = part.replace("&&", "and").strip()
        if match := _BETWEEN.match(part):
            low, high = bound(match.group(2)), bound(match.group(3))
            found.append(Condition(match.group(1), LOWER, low))
            found.append(Condition(match.group(1), UPPER, high))
        elif match := _SQL_WINDOW.match(part):
            found.append(Condition(match.group(1), LOWER, None, sql_now=True))
        elif match := _COMPARISON.match(part):
            operator = re.sub(r"\s+", " ", match.group(2).lower())
            kind = EQUAL if operator in ("=", "in", "= any") else _ORDER[operator]
            found.append(Condition(match.group(1), kind, bound(match.group(3))))
        elif match := _REVERSED.match(part):
            value = bound(match.group(1))
            found.append(Condition(match.group(3), _ORDER[_FLIP[match.group(2)]], value))
        else:
            for _ in range(part.count("?")):  # keep the placeholders in step
                next(counter, None)
    return found


_ORDER = {">": LOWER, ">=": LOWER, "<": UPPER, "<=": UPPER}

# Time "now" as Rails code writes it: `Time.current`, `Time.zone.now`, `Date.today`.
_NOW = frozenset({"now", "current", "today", "yesterday", "tomorrow"})
_CLOCKS = frozenset({"Time", "Date", "DateTime", "Time.zone"})
_RELATIVE = frozenset({"ago", "from_now", "since", "until"})
MAX_DEPTH = 8


def relative_to_now(node: Node | None, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether a value is a time relative to now: ``1.hour.ago``, ``n.days.ago``,
    ``Time.current - 3.days``, ``Date.today``, ``1.day.ago.beginning_of_day``, or a local
    holding one (through ``value_of``)."""
    return _relative(node, value_of, 0, None)


def _relative(
    node: Node | None,
    value_of: Callable[[Node], Node] | None,
    depth: int,
    keeping: frozenset[str] | None,
) -> bool:
    """``keeping``: the calls on a time relative to now that keep it one (None: any call)."""
    node = unwrap(node)
    if node is None or depth > MAX_DEPTH:
        return False
    if node.type in ("identifier", "instance_variable") and value_of is not None:
        found = value_of(node)
        return found is not node and _relative(found, value_of, depth + 1, keeping)
    if node.type == "binary":
        operator = node.child_by_field_name("operator")
        if operator is not None and text(operator) in ("-", "+"):
            return _relative(node.child_by_field_name("left"), value_of, depth + 1, keeping)
        return False
    if node.type != "call":
        return False
    name = method_name(node) or ""
    receiver = nodes.receiver(node)
    if name in _RELATIVE and not nodes.arguments(node):
        return receiver is not None
    if name in _NOW and receiver is not None:
        written = constant_path(receiver) or text(receiver)
        if written.removeprefix("::") in _CLOCKS:
            return True
    if keeping is not None and name not in keeping:
        return False  # `Date.today.year`: a number taken from a time
    # `1.day.ago.beginning_of_day`, `Time.current.to_date`: a time derived from now
    return receiver is not None and _relative(receiver, value_of, depth + 1, keeping)


def rolling_window(call: Node, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether a ``where`` keeps a rolling window of recent rows: a lower bound relative to now
    (``created_at > ?`` with ``1.hour.ago``, ``1.day.ago..``). An upper bound (``< 1.day.ago``,
    every older row) is no window."""
    return any(window(c, value_of) for c in where_conditions(call))


def window(condition: Condition, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether one condition is a rolling window: a lower bound relative to now, also through
    a local holding a range (``period = 1.day.ago..; where(created_at: period)``)."""
    if condition.kind == LOWER:
        return condition.sql_now or relative_to_now(condition.value, value_of)
    if condition.kind == EQUAL and condition.value is not None and value_of is not None:
        ends = range_ends(value_of(condition.value))
        return ends is not None and relative_to_now(ends[0], value_of)
    return False


# Calls that keep a time a time (`Date.today.beginning_of_day`, `1.day.ago.to_date`), or make it
# the range of its day, week... (`Date.yesterday.all_day`). Any other call on a time (`year`,
# `wday`, `to_i`, `strftime`) gives a number or a text, and a column equal to it is no slice of
# time: `where(weekday: Date.today.wday)` is a seventh of every row, whenever it runs.
_TIME_KEEPING = frozenset(
    {"beginning_of_day", "end_of_day", "beginning_of_hour", "end_of_hour", "beginning_of_minute",
     "end_of_minute", "beginning_of_week", "end_of_week", "beginning_of_month", "end_of_month",
     "beginning_of_quarter", "end_of_quarter", "beginning_of_year", "end_of_year", "midnight",
     "middle_of_day", "noon", "to_date", "to_time", "to_datetime", "in_time_zone", "utc",
     "localtime", "all_day", "all_week", "all_month", "all_quarter", "all_year", "yesterday",
     "tomorrow", "prev_day", "next_day", "prev_week", "next_week", "prev_month", "next_month",
     "prev_year", "next_year", "ago", "since", "from_now", "until", "advance", "change"}
)  # fmt: skip


def time_relative_to_now(node: Node | None, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether a value is a time (or the range of one day, week...) relative to now:
    ``Date.today``, ``3.days.from_now``, ``Date.yesterday.all_day``, ``Time.current -
    1.day``, ``1.day.ago.to_date``, or a local holding one. Not a number or a text taken from
    one (``Date.today.year``), which :func:`relative_to_now` also accepts."""
    return _relative(node, value_of, 0, _TIME_KEEPING)


def time_slice(condition: Condition, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether one condition holds a column equal to one time relative to now
    (``where(registered_on: Date.today)``, ``where("expires_at = DATE(?)", 3.days.from_now)``,
    ``where(created_at: Date.yesterday.all_day)``): the rows of one day (or hour, week...),
    narrower than a rolling window, and never the whole table. A time that is not relative to
    now (``Date.new(2024, 1, 1)``) is a fixed category of rows, and an upper bound alone
    (``created_at < ?``) is every older row: neither is a slice."""
    return condition.kind == EQUAL and time_relative_to_now(condition.value, value_of)


def sliced_by_time(call: Node, value_of: Callable[[Node], Node] | None = None) -> bool:
    """Whether a ``where`` holds a column to one time relative to now (:func:`time_slice`)."""
    return any(time_slice(c, value_of) for c in where_conditions(call))
