"""A query's captures in the order of the tree (lang/captures.py), whatever order they came in."""

from __future__ import annotations

import random

from workerlint.lang.captures import in_order
from workerlint.lang.python.parse import parse

SOURCE = b"""\
f(g(1), h(2))
x = [k(3) for y in z(4)]
f()
"""


def _walk(node):  # pre-order: a node before those it holds, children in order
    yield node
    for child in node.children:
        yield from _walk(child)


def test_captures_come_in_the_order_a_walk_meets_them_even_when_shuffled():
    root = parse(SOURCE).root_node
    # A call and its expression statement share a span: the enclosing statement comes first.
    wanted = [n for n in _walk(root) if n.type in ("call", "expression_statement")]
    for seed in range(20):
        shuffled = wanted[:]
        random.Random(seed).shuffle(shuffled)
        first = shuffled[:1]
        found = in_order({"node": shuffled, "one": first[:], "none": []})
        assert [(n.start_byte, n.end_byte, n.type) for n in found["node"]] == [
            (n.start_byte, n.end_byte, n.type) for n in wanted
        ]
        assert found["one"] == first and found["none"] == []
