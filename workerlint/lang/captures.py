"""A query's captures in the order of the tree, for both languages.

py-tree-sitter's ``QueryCursor.captures`` gathers each capture name's nodes in a Python set and
lists it: the order is that of the nodes' hashes (their addresses), so it changes from run to
run and with whatever else the process allocated. Everything that takes the first of them or
walks them in turn (the first value assigned to an instance variable, the order the enqueues
of a file are analysed in) would then depend on more than the file's bytes. :func:`in_order`
puts them back in the order a walk of the tree meets them (pre-order: by start, an enclosing
node before the nodes it holds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node


def in_order(found: dict[str, list[Node]]) -> dict[str, list[Node]]:
    """``found`` (capture name -> nodes), each list sorted in place in the order of the tree."""
    for listed in found.values():
        if len(listed) > 1:
            # Each node's span read once (a sort by a key function reads it again per node).
            spans = [(n.start_byte, -n.end_byte) for n in listed]
            order = sorted(range(len(listed)), key=spans.__getitem__)
            listed[:] = [listed[i] for i in order]
            if len(set(spans)) < len(spans):
                listed.sort(key=_place)  # nodes of one span: the enclosing one first
    return found


def _place(node: Node) -> tuple[int, int, tuple[int, ...]]:
    """Where a walk of the tree meets ``node``: its span, then the child index at each level
    from the root (an ancestor's path is a prefix of its descendants': it sorts first)."""
    path: list[int] = []
    current = node
    parent = current.parent
    while parent is not None:
        path.append(parent.children.index(current))
        current, parent = parent, parent.parent
    return node.start_byte, -node.end_byte, tuple(reversed(path))
