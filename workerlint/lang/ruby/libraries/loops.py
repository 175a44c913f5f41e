"""The loops around a node, as facts (facts.Loop): the loop, and the size evidence of what it
iterates (RULES.md, "Size evidence"; lang/ruby/size.py), computed once per node and file and
shared by every rule that asks (WL601). Which methods iterate is libraries/iteration.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Loop
from workerlint.lang.ruby import nodes, size
from workerlint.lang.ruby.libraries.iteration import enclosing_loop
from workerlint.lang.ruby.nodes import method_name

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext


def loop_around(node: Node, ctx: RubyContext) -> Loop | None:
    """The loop whose body runs ``node`` once per step, as a fact with the size evidence of what
    it iterates (once per node and file)."""
    key = ("loop", node.start_byte, node.end_byte)
    if key not in ctx.memo:
        found = enclosing_loop(node)
        ctx.memo[key] = _loop(found, ctx) if found is not None else None
    result: Loop | None = ctx.memo[key]
    return result


def loops_around(node: Node, ctx: RubyContext) -> list[Loop]:
    """Every loop around ``node`` in its method, innermost first."""
    found: list[Loop] = []
    current = loop_around(node, ctx)
    while current is not None and len(found) < 32:
        found.append(current)
        current = loop_around(current.node, ctx)
    return found


def _loop(found: Node, ctx: RubyContext) -> Loop:
    evidence = size.from_request(found, ctx) or size.of_loop(found, ctx)
    if found.type == "call":
        name = method_name(found) or ""
        return Loop(found, name, None, nodes.receiver(found), evidence, _index(found, name))
    return Loop(found, None, found.type.removesuffix("_modifier"), None, evidence)


# Iterations whose block gets a step number: first (a count) or last (with an index).
_COUNTING = frozenset({"times", "upto", "downto", "step"})


def _index(call: Node, name: str) -> tuple[str, ...]:
    """The block parameters of ``call`` that number its steps."""
    params = nodes.block_params(nodes.block(call))
    if not params:
        return ()
    if name in _COUNTING:
        return (params[0],)
    if name in ("each_with_index", "with_index") and len(params) > 1:
        return (params[-1],)
    recv = nodes.receiver(call)
    if name in ("each", "map") and recv is not None and _unwrapped(recv).type == "range":
        return (params[0],)
    return ()


def _unwrapped(node: Node) -> Node:
    while node.type == "parenthesized_statements" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node
