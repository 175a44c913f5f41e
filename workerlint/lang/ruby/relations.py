"""Relation chains (RULES.md, "Relation chain"): ``Order.where(..).order(..)`` and friends.

A chain is **bounded** (``limit``, batches, a ``where`` on the primary key, a list that is a job
argument or a bounded local, a rolling time window, a scope that bounds itself), **scoped to one
parent** (a ``where`` equating a foreign or unique key to one value), or neither: **unbounded**,
the only kind WL301, WL302 and WL404 report. A local assigned a chain once in the same method is
that chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Relation
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.conditions import (
    EQUAL,
    Condition,
    range_ends,
    relative_to_now,
    rolling_window,
    sliced_by_time,
    time_relative_to_now,
    where_conditions,
)
from workerlint.lang.ruby.model import BOUNDING, QUERY_METHODS
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.scopes import Binding

ORDERING = frozenset({"order", "reorder"})
PRIMARY_KEYS = frozenset({"id"})
WHERE = frozenset({"where", "rewhere"})
# Query methods that keep some rows and drop others (a scope of the model counts too).
FILTERING = frozenset({"where", "rewhere", "not", "having"})
# Methods that give the rows (or their values) of a relation as one in-memory collection, and
# Array methods that keep a collection about its size.
COLLECTING = frozenset({"pluck", "ids", "to_a", "map", "collect", "load", "records"})
ARRAY_KEEPING = frozenset(
    {"uniq", "compact", "sort", "flatten", "to_a", "map", "collect", "reverse", "shuffle",
     "sort_by", "as_json", "to_json"}
)  # fmt: skip
# Calls that give one value (`where(user_id: users.first)`), and calls that give a list.
ONE_VALUE = frozenset({"id", "to_i", "to_s", "first", "last", "sole", "take", "find", "find_by",
                       "find_by!", "presence", "to_param", "sample", "max", "min"})  # fmt: skip
MANY_VALUES = COLLECTING | ARRAY_KEEPING | frozenset(
    {"flat_map", "select", "filter", "reject", "filter_map", "split", "keys", "values", "where",
     "all", "zip", "group_by", "each_slice", "to_set", "values_at", "lines", "chars"}
)  # fmt: skip
MAX_LITERAL = 100  # a small literal list (RULES.md, "Size evidence")
JOB_ENTRIES = frozenset({"perform", "each_iteration"})
MAX_DEPTH = 4  # locals through locals (a value)
MAX_STEPS = 12  # a list through locals, derivations and helper parameters to its callers

# The relation fact (facts.py), under the name the rules know it by.
Chain = Relation


def relation_chain(expr: Node | None, ctx: RubyContext) -> Relation | None:
    """The relation chain ``expr`` is, or None (an association, a constant list, a local assigned
    something else...); computed once per expression and file."""
    if expr is None:
        return None
    key = ("relation", expr.start_byte, expr.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = None  # a local's chain never reaches itself, but stay safe
        ctx.memo[key] = _relation_chain(expr, ctx)
    found: Relation | None = ctx.memo[key]
    return found


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
    return Relation(const, resolved, (), (), False, False, const, shown=const)


def _relation_chain(expr: Node, ctx: RubyContext) -> Relation | None:
    calls: list[Node] = []
    node = expr
    while node.type == "call":
        if nodes.block(node) is not None or any(
            a.type == "block_argument" for a in nodes.arguments(node)
        ):
            return None  # `select { }`, `map(&:id)`: an Array, not a relation
        calls.append(node)
        receiver = nodes.receiver(node)
        if receiver is None:
            return None
        node = receiver
    calls.reverse()
    names = tuple(method_name(c) or "" for c in calls)
    if node.type == "identifier":
        binding = _single_assignment(node, ctx)
        base = relation_chain(binding.value, ctx) if binding is not None else None
        if base is None or binding is None:
            return None
        if any(n not in _allowed(base.model, ctx) for n in names):
            return None
        via = (text(node), binding.name.start_point[0] + 1, len(base.calls))
        return _build(base.constant, base.model, (*base.calls, *calls), ctx, via)
    if not calls:
        return None
    const = constant_path(node)
    if const is None:
        return None
    resolved = ctx.index.resolve(const, lexical(ctx.class_scope))
    is_model = resolved is not None and ctx.index.is_model(resolved)
    model = resolved if is_model else None
    if any(n not in _allowed(model, ctx) for n in names):
        return None
    if not is_model:
        if resolved is not None:  # a project class that is not a model
            return None
        if not (set(names) & (QUERY_METHODS - {"all"})):
            return None  # `Stripe::Customer.all`, `Sidekiq::Queue.all`: not a relation
    return _build(const, model, tuple(calls), ctx, None)


def _allowed(model: str | None, ctx: RubyContext) -> frozenset[str] | set[str]:
    base = QUERY_METHODS | BOUNDING | {"first", "last"}
    return base | ctx.index.scopes_of(model) if model else base


def _single_assignment(identifier: Node, ctx: RubyContext) -> Binding | None:
    """The one assignment of a local in its method, when nothing reassigns it before ``identifier``
    (nor defines it otherwise: a parameter, a block parameter, a ``||=``)."""
    if ctx.semantic.enclosing_method(identifier) is None:
        return None
    found = ctx.semantic.definitions(identifier)
    if len(found) != 1 or found[0].kind != "assignment":
        return None
    return found[0]


def _build(
    constant: str,
    model: str | None,
    calls: tuple[Node, ...],
    ctx: RubyContext,
    via: tuple[str, int, int] | None,
) -> Relation:
    """The relation of ``calls`` on ``constant``; ``via`` (local, line, calls before it) when
    the chain was reached through a local."""
    names = tuple(method_name(c) or "" for c in calls)
    bounded_scopes = ctx.index.bounded_scopes_of(model) if model else set()
    bounded = bool(bounded_scopes & set(names)) or any(
        _bounds(c, n, model, ctx) for c, n in zip(calls, names, strict=True)
    )
    scoped = any(
        _scopes(cond, model, ctx)
        for call, name in zip(calls, names, strict=True)
        if name in WHERE
        for cond in where_conditions(call)
    )
    shared = None
    if not scoped:
        shared = next(
            (
                cond.column
                for call, name in zip(calls, names, strict=True)
                if name in WHERE
                for cond in where_conditions(call)
                if _shares(cond, ctx)
            ),
            None,
        )
    scopes = ctx.index.scopes_of(model) if model else set()
    filtered = any(n in FILTERING or n in scopes for n in names)
    written = constant + "".join(_part(c) for c in calls)
    local, line, shown = None, None, written
    if via is not None:
        local, line, before = via
        shown = local + "".join(_part(c) for c in calls[before:])
    return Relation(
        constant,
        model,
        calls,
        names,
        bounded,
        bool(ORDERING & set(names)),
        written,
        scoped=scoped,
        shared=shared,
        local=local,
        local_line=line,
        shown=shown,
        filtered=filtered,
    )


def many_rows(chain: Relation, ctx: RubyContext) -> str | None:
    """Positive evidence that an unbounded chain's rows are many, as messages say it: the chain
    has no filter (every row of the table), or the project batches the model somewhere
    (``find_each`` on a chain of it: its authors treat it as large). None when there is none:
    a filtered chain's size is then not known (in worker code it is most often a small or a
    pending set)."""
    if not chain.filtered:
        return "every row of the table (no filter)"
    name = chain.model or chain.constant
    site = ctx.index.batched_at(name)
    if site is None:
        return None
    return f"the project batches `{name.removeprefix('::')}` ({site.path}:{site.line})"


def no_evidence(chain: Relation) -> str:
    """Why a filtered chain's size is not known (RULES.md's "unbounded relation chain" is large;
    workerlint asks for evidence of many rows: see WL301)."""
    name = (chain.model or chain.constant).removeprefix("::")
    return f"a filtered relation whose size is not known: nothing in the project batches `{name}`"


BATCHING = frozenset({"find_each", "find_in_batches", "in_batches"})


def bounded_besides_batches(chain: Relation, ctx: RubyContext) -> bool:
    """Whether the chain is bounded by something other than batching (``find_each``,
    ``find_in_batches``, ``in_batches``): a limit, the primary key, a bounded list, a rolling
    time window, a scope that bounds itself. Batching bounds the rows loaded at once, not how
    many the loop walks."""
    names = [n for n in chain.methods if n not in BATCHING]
    model = chain.model
    if model is not None and ctx.index.bounded_scopes_of(model) & set(names):
        return True
    return any(
        _bounds(c, n, model, ctx)
        for c, n in zip(chain.calls, chain.methods, strict=True)
        if n not in BATCHING
    )


def windowed(chain: Relation, ctx: RubyContext) -> bool:
    """Whether a rolling time window bounds the chain (``where(created_at: 1.hour.ago..)``, a
    scope bounding a time column by a time relative to now), or a slice of time through a scope
    (a scope holding a time column equal to a time relative to now:
    ``expires_on(3.days.from_now)``)."""
    return any(
        rolling_window(c, ctx.semantic.value_of)
        if n in WHERE
        else _window_scope(c, n, chain.model, ctx)
        for c, n in zip(chain.calls, chain.methods, strict=True)
    )


def sliced(chain: Relation, ctx: RubyContext) -> bool:
    """Whether a slice of time bounds the chain: a column equal to one time relative to now,
    written in the chain (``where(registered_on: Date.today)``, ``where("expires_at = DATE(?)",
    3.days.from_now)``) or through a scope holding a time column equal to its parameter, called
    with such a time (``expires_on(3.days.from_now)``): one day's rows, narrower than a rolling
    window."""
    return any(
        sliced_by_time(c, ctx.semantic.value_of)
        if n in WHERE
        else _window_kind(c, n, chain.model, ctx) == SLICE
        for c, n in zip(chain.calls, chain.methods, strict=True)
    )


def phrase(chain: Relation, suffix: str) -> str:
    """How a message names the chain and the call on it: ```Order.where(...).each``` or, through
    a local, ```orders.each`` (`Order.where(...)`, line 12)``."""
    if chain.local is None:
        return f"`{chain.written}{suffix}`"
    return f"`{chain.shown}{suffix}` (`{chain.written}`, line {chain.local_line})"


def _part(call: Node) -> str:
    return f".{method_name(call) or ''}" + ("(...)" if nodes.arguments(call) else "")


def _bounds(call: Node, name: str, model: str | None, ctx: RubyContext) -> bool:
    if name in BOUNDING:
        return True
    if name in ("first", "last"):
        return bool(nodes.arguments(call))
    if name not in WHERE:
        return _window_scope(call, name, model, ctx) or _list_scope(call, name, model, ctx)
    conditions = where_conditions(call)
    if any(c.column in PRIMARY_KEYS and c.kind == EQUAL for c in conditions):
        return True
    if any(
        c.kind == EQUAL and c.value is not None and _bounded_list(c.value, ctx) for c in conditions
    ):
        return True
    return rolling_window(call, ctx.semantic.value_of) or sliced_by_time(
        call, ctx.semantic.value_of
    )


def _window_scope(call: Node, name: str, model: str | None, ctx: RubyContext) -> bool:
    """``Purchase.created_after(3.days.ago)``, ``created_between(1.day.ago..)``,
    ``expires_on(3.days.from_now)``: a scope that bounds a time column by its argument, given a
    time relative to now."""
    return _window_kind(call, name, model, ctx) is not None


def _list_scope(call: Node, name: str, model: str | None, ctx: RubyContext) -> bool:
    """``Entry.last_n_per_feed(50, ids)``, with ``scope :last_n_per_feed, ->(n, feed_ids) {
    where(feed_id: feed_ids) }``: a scope holding a column to the list it is given, called with
    a bounded list (a job argument, a bounded local, a slice) there: bounded by that list, as
    ``where(feed_id: ids)`` written in the chain is."""
    if model is None:
        return False
    positions = ctx.index.list_scopes_of(model).get(name, ())
    args = nodes.arguments(call)
    return any(p < len(args) and _bounded_list(args[p], ctx) for p in positions)


WINDOW = "window"  # a lower bound (or a range starting) relative to now
SLICE = "slice"  # a time column equal to one time relative to now


def _window_kind(call: Node, name: str, model: str | None, ctx: RubyContext) -> str | None:
    if model is None:
        return None
    found = ctx.index.window_scopes_of(model).get(name)
    args = nodes.arguments(call)
    if found is None or found[0] >= len(args):
        return None
    position, kind = found
    value = ctx.semantic.value_of(args[position])
    if kind == "lower":
        return WINDOW if relative_to_now(value, ctx.semantic.value_of) else None
    ends = range_ends(value)
    if ends is not None:
        return WINDOW if relative_to_now(ends[0], ctx.semantic.value_of) else None
    return SLICE if time_relative_to_now(value, ctx.semantic.value_of) else None


# -- scoped to one parent --------------------------------------------------------------------


def _scopes(condition: Condition, model: str | None, ctx: RubyContext) -> bool:
    """``where(account_id: account.id)``: a foreign key (``*_id``, or a ``belongs_to``
    association) or a column with a unique index, equal to one value."""
    if condition.kind != EQUAL:
        return False
    column = condition.column
    key = column.endswith("_id")
    if not key and model is not None:
        key = column in ctx.index.belongs_to_of(model) or column in ctx.index.unique_columns_of(
            model
        )
    if not key:
        return False
    if condition.value is None:
        return condition.name is not None and _singular(condition.name)
    return one_value(condition.value, ctx)


# A value that is the same for every run (a literal, a constant, nil, true/false): equating a
# column to it selects a whole category of rows (`where(status: "active")`), not one entity's.
_FIXED = frozenset(
    {"integer", "float", "string", "simple_symbol", "delimited_symbol", "nil", "true", "false",
     "constant", "scope_resolution", "array", "hash", "range"}
)  # fmt: skip


def _shares(condition: Condition, ctx: RubyContext) -> bool:
    """``where(phone: user.phone)``, ``where(segment: segment)``: a column that is not a key,
    equal to one runtime value (a record's attribute, or a local; not a literal nor a local
    assigned only literals, and not a parameter, which may name a category: ``perform(state)``):
    the rows that share one entity's value. How many is not known, but they are that entity's,
    not a category's (``where(status: "active")`` stays unbounded)."""
    if condition.kind != EQUAL or condition.sql_now:
        return False
    value = condition.value
    if value is None:  # `where(phone:)`: the local of that name
        return condition.name is not None and _singular(condition.name)
    value = _unwrap(value)
    if _fixed(value):
        return False
    if value.type == "identifier":
        found = ctx.semantic.definitions(value)
        if any(b.kind != "assignment" for b in found):
            return False  # a parameter (`perform(state)`): it may name a category of rows
        if found and all(b.value is not None and _fixed(b.value) for b in found):
            return False  # `tag = "digest:daily"` in each branch: a literal, a category
    if relative_to_now(value, ctx.semantic.value_of):
        return False  # `where(day: Date.today)`: a day's rows, whoever they belong to
    return one_value(value, ctx)


def _fixed(value: Node) -> bool:
    value = _unwrap(value)
    return value.type in _FIXED or nodes.literal_value(value) is not nodes.NOT_LITERAL


def one_value(node: Node, ctx: RubyContext, depth: int = 0) -> bool:
    """Whether an expression is one value, not a list: ``account.id``, ``account_id``, ``self``,
    ``params[:id]``, a literal (not ``nil``: ``where(parent_id: nil)`` is every root row)."""
    node = _unwrap(node)
    kind = node.type
    if kind in ("integer", "string", "simple_symbol", "float", "self"):
        return True
    if kind in ("identifier", "instance_variable", "constant"):
        if kind == "identifier":
            found = ctx.semantic.definitions(node)
            if any(_slice_of(b) for b in found):
                return False  # `each_slice(100) { |slice| ... }`: a list, whatever its name
            binding = _single_assignment(node, ctx)
            if binding is not None and binding.value is not None and depth < MAX_DEPTH:
                return one_value(binding.value, ctx, depth + 1)
        return _singular(text(node))
    if kind == "element_reference":
        index = node.named_children[1] if len(node.named_children) > 1 else None
        key = nodes.literal_value(index)
        return isinstance(key, int) or (isinstance(key, str) and _singular(str(key)))
    if kind == "call":
        name = method_name(node) or ""
        if name in ONE_VALUE:
            return True
        if name in MANY_VALUES or relation_chain(node, ctx) is not None:
            return False
        return _singular(name)
    return False


def _singular(name: str) -> bool:
    """A name that reads as one thing (``user``, ``account_id``, ``status``), not as a list
    (``users``, ``ids``, ``batch_keys``, ``user_list``)."""
    bare = name.lstrip("@:").lower()
    if bare.endswith(("_list", "_set", "_array")):
        return False
    return not bare.endswith("s") or bare.endswith(("ss", "us", "is"))


# -- bounded by a list -----------------------------------------------------------------------


def _bounded_list(node: Node, ctx: RubyContext) -> bool:
    """A list that bounds the rows (RULES.md, "Relation chain"): a job argument (or a list taken
    from one: ``payload["ids"]``, ``ids.uniq``), or a bounded local: assigned once from a bounded
    chain or a small literal (every definition that reaches it, when there are several). An
    inline literal list is a filter of values, not a bound (the primary key aside)."""
    node = _unwrap(node)
    return not one_value(node, ctx) and _bounded_collection(node, ctx, 0)


# Calls that take a collection out of another one, or keep it about its size.
_DERIVING = ARRAY_KEEPING | frozenset(
    {"dig", "fetch", "values_at", "slice", "pluck", "keys", "values", "split", "select", "reject",
     "filter", "filter_map", "flat_map", "first", "take", "to_h", "deep_stringify_keys",
     "deep_symbolize_keys", "stringify_keys", "symbolize_keys", "with_indifferent_access", "dup",
     "to_set", "each_slice"}
)  # fmt: skip
LITERALS = frozenset({"array", "string_array", "symbol_array", "hash"})


def _bounded_collection(node: Node, ctx: RubyContext, depth: int) -> bool:
    node = _unwrap(node)
    if depth > MAX_STEPS:
        return False
    if node.type == "identifier":
        found = ctx.semantic.definitions(node)
        return bool(found) and all(_bounded_definition(b, ctx, depth) for b in found)
    if node.type == "element_reference" and node.named_children:
        return _bounded_collection(node.named_children[0], ctx, depth + 1)
    if node.type != "call":
        return False
    name = method_name(node) or ""
    receiver = nodes.receiver(node)
    args = nodes.arguments(node)
    if receiver is None and name == "Array" and args:
        return _bounded_collection(args[0], ctx, depth + 1)
    chain = _collected_chain(node, ctx)
    if chain is not None:
        return chain.bounded
    return (
        receiver is not None and name in _DERIVING and _bounded_collection(receiver, ctx, depth + 1)
    )


def _bounded_definition(binding: Binding, ctx: RubyContext, depth: int) -> bool:
    if binding.kind == "parameter":
        return _bounded_parameter(binding, ctx, depth)
    if _slice_of(binding):
        return True  # at most the slice's size (`each_slice(100)`, a batch of `in_batches`)
    if binding.kind != "assignment" or binding.value is None:
        return False
    value = _unwrap(binding.value)
    if value.type in LITERALS:
        small = len([c for c in value.named_children if c.type != "comment"]) <= MAX_LITERAL
        return small and not _grown_by_a_large_loop(binding, ctx)
    return _bounded_collection(value, ctx, depth + 1)


SLICING = frozenset({"each_slice", "in_groups_of", "find_in_batches", "in_batches"})


def _slice_of(binding: Binding) -> bool:
    """Whether a block parameter receives a slice: ``each_slice(n) { |ids| }``,
    ``in_groups_of(n)``, ``find_in_batches { |batch| }``, ``in_batches { |relation| }``."""
    if binding.kind != "block-parameter":
        return False
    current = binding.name.parent
    for _ in range(4):
        if current is None:
            return False
        if current.type in ("block", "do_block"):
            call = current.parent
            return call is not None and call.type == "call" and method_name(call) in SLICING
        current = current.parent
    return False


def _bounded_parameter(binding: Binding, ctx: RubyContext, depth: int) -> bool:
    """A job argument (``perform``'s parameter), or a parameter of a method of the worker that
    every caller in the class passes a bounded list in that position."""
    if depth > MAX_STEPS:
        return False
    method = ctx.semantic.enclosing_method(binding.name)
    scope = ctx.semantic.class_of(binding.name)
    if method is None or scope is None or not ctx.index.is_worker(scope.facts.name):
        return False
    class_method = nodes.is_class_method(method)
    name = text(method.child_by_field_name("name"))
    if name in JOB_ENTRIES and not class_method:
        return True
    position = _position(method, binding.name)
    if position is None:
        return False
    callers = ctx.semantic.callers(scope, name, class_method=class_method)
    if not callers:
        return False
    for call in callers:
        args = nodes.arguments(call) if call.type == "call" else []
        if position >= len(args) or not _bounded_collection(args[position], ctx, depth + 1):
            return False
    return True


GROWING = frozenset({"<<", "push", "append", "concat", "unshift", "prepend", "insert", "merge!",
                     "store", "update", "add"})  # fmt: skip
LARGE_LOOPS = frozenset({"find_each", "find_in_batches", "in_batches", "loop"})


def _grown_by_a_large_loop(binding: Binding, ctx: RubyContext) -> bool:
    """Whether the method adds to a local's collection (``ids << id``, ``map[k] = v``) inside a
    loop over many rows (``find_each``, an unbounded relation, ``while``): then its literal says
    nothing about its size."""
    method = ctx.semantic.enclosing_method(binding.name)
    if method is None:
        return True
    name = binding.name.text
    for node in nodes.descendants(method):
        target: Node | None = None
        if node.type == "call" and method_name(node) in GROWING:
            target = nodes.receiver(node)
        elif node.type == "binary" and text(node.child_by_field_name("operator")) == "<<":
            target = node.child_by_field_name("left")
        elif node.type in ("assignment", "operator_assignment"):
            left = node.child_by_field_name("left")
            if left is not None and left.type == "element_reference" and left.named_children:
                target = left.named_children[0]
        grown = target is not None and target.type == "identifier" and target.text == name
        if grown and _in_large_loop(node, method, ctx):
            return True
    return False


def _in_large_loop(node: Node, method: Node, ctx: RubyContext) -> bool:
    current = node.parent
    while current is not None and current != method:
        if current.type in ("while", "until"):
            return True
        if current.type in ("block", "do_block") and current.parent is not None:
            call = current.parent
            if call.type == "call" and call != node:
                if method_name(call) in LARGE_LOOPS:
                    return True
                chain = relation_chain(nodes.receiver(call), ctx)
                if chain is not None and chain.unbounded:
                    return True
        current = current.parent
    return False


def _collected_chain(node: Node, ctx: RubyContext) -> Relation | None:
    """The chain whose rows or values ``node`` collects (``X.limit(5).pluck(:id).uniq``)."""
    current: Node | None = node
    while current is not None and current.type == "call":
        name = method_name(current) or ""
        receiver = nodes.receiver(current)
        if name in COLLECTING:
            return relation_chain(receiver, ctx)
        if name not in ARRAY_KEEPING:
            return relation_chain(current, ctx)
        current = receiver
    return None


def _position(method: Node, name: Node) -> int | None:
    """The position of a plain positional parameter (None for keywords, splats, blocks)."""
    parameters = method.child_by_field_name("parameters")
    for index, child in enumerate(parameters.named_children if parameters is not None else ()):
        if child.type == "optional_parameter":
            child = child.child_by_field_name("name") or child
        elif child.type != "identifier":
            return None
        if child == name:
            return index
    return None


def _unwrap(node: Node) -> Node:
    while node.type == "parenthesized_statements" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node
