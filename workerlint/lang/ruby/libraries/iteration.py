"""Iteration: which methods run their block once per element or step, and the loop a node is in.

One place for what the rules and the data flow need to know about iteration (Enumerable, Array,
Hash, Integer, ActiveRecord's batches); each set says what it is for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import method_name, text

if TYPE_CHECKING:
    from tree_sitter import Node


# Methods whose block runs once per element or step (RULES.md, WL601); every `each_*` too.
ITERATION = frozenset(
    {"each", "reverse_each", "each_with_index", "each_with_object", "with_index", "with_object",
     "map", "map!", "collect", "collect!", "flat_map", "collect_concat", "filter_map", "select",
     "filter", "reject", "partition", "group_by", "index_by", "sum", "inject", "reduce",
     "zip", "cycle", "find_each", "find_in_batches", "in_batches", "times", "upto", "downto",
     "step", "loop"}
)  # fmt: skip
# Block-taking methods whose block parameters are the receiver's elements (the data flow).
ELEMENT_ITERATORS = frozenset(
    {"each", "each_with_index", "each_with_object", "with_index", "map", "collect", "flat_map",
     "select", "filter", "reject", "filter_map", "each_slice", "each_cons", "find", "detect",
     "any?", "all?", "none?", "sum", "group_by", "index_by", "partition", "inject", "reduce",
     "each_pair", "each_key", "each_value", "sort_by", "min_by", "max_by", "count", "find_all",
     "each_entry", "transform_values", "transform_keys", "each_char", "each_line", "tap", "then"}
)  # fmt: skip
# Methods that walk every element of a range or count (so a job argument bounding it sizes work,
# RULES.md WL402).
RANGE_ITERATORS = frozenset(
    {"each", "map", "step", "each_with_index", "each_with_object", "to_a", "each_slice", "select",
     "reject", "flat_map", "collect", "sum", "inject", "reduce", "filter_map", "find_each",
     "each_cons", "reverse_each", "entries"}
)  # fmt: skip
# Methods that load every row of a relation they are called on (RULES.md WL301's row).
ROW_ITERATORS = frozenset(
    {"each", "each_with_index", "each_with_object", "map", "flat_map", "collect", "group_by",
     "index_by", "select", "filter", "reject", "sum"}
)  # fmt: skip
LOOP_NODES = frozenset({"while", "until", "while_modifier", "until_modifier", "for"})
_STOP = frozenset({"method", "singleton_method", "class", "module", "lambda", "program"})
DEFERRED = frozenset({"lambda", "proc", "define_method"})  # a block kept for later, not run here


def is_iteration(name: str) -> bool:
    """Whether a method's block runs once per element or step."""
    return name in ITERATION or name.startswith("each_")


def enclosing_loop(call: Node) -> Node | None:
    """The innermost iteration call or loop whose body runs ``call`` once per step."""
    child = call
    parent = call.parent
    while parent is not None and parent.type not in _STOP:
        kind = parent.type
        if kind in ("block", "do_block"):
            owner = parent.parent
            if owner is not None and owner.type == "call":
                name = method_name(owner) or ""
                if name in DEFERRED or (name == "new" and text(nodes.receiver(owner)) == "Proc"):
                    return None
                if is_iteration(name):
                    return owner
        elif kind in LOOP_NODES:
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= child.start_byte < body.end_byte:
                return parent
        child = parent
        parent = parent.parent
    return None
