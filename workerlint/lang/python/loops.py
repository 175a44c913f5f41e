"""The loops a Python node runs in, with the size evidence of each (lang/python/size.py), and
whether a loop leaves right after the node (a retry loop).

A node runs once per step of a ``for`` loop (its body, not its iterable), a ``while`` loop (its
condition and body) or a comprehension (everything after its first ``for`` clause's iterable),
up to the function, lambda or class around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Loop
from workerlint.lang.python.nodes import COMPREHENSIONS
from workerlint.lang.python.size import of_loop

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

_BOUNDARIES = frozenset({"function_definition", "lambda", "class_definition", "module"})


def loops_around(node: Node, ctx: PythonContext) -> list[Loop]:
    """The loops ``node`` repeats in, innermost first, up to its function."""
    found: list[Loop] = []
    child = node
    current = node.parent
    while current is not None and current.type not in _BOUNDARIES:
        kind = current.type
        if kind == "for_statement" and _in_field(current, child, "body"):
            iterable = current.child_by_field_name("right")
            found.append(Loop(current, None, "for", iterable, of_loop(current, ctx)))
        elif kind == "while_statement" and not _in_field(current, child, "alternative"):
            found.append(Loop(current, None, "while", None, of_loop(current, ctx)))
        elif kind in COMPREHENSIONS:
            iterable = _repeated_iterable(current, child)
            if iterable is not None:
                found.append(Loop(current, None, "for", iterable, of_loop(current, ctx)))
        child = current
        current = current.parent
    return found


def _in_field(statement: Node, child: Node, name: str) -> bool:
    part = statement.child_by_field_name(name)
    return part is not None and part.start_byte <= child.start_byte < part.end_byte


def _repeated_iterable(comprehension: Node, child: Node) -> Node | None:
    """The first ``for`` clause's iterable when ``child`` runs once per element (it is not that
    iterable itself, which runs once)."""
    clause = next((c for c in comprehension.named_children if c.type == "for_in_clause"), None)
    if clause is None:
        return None
    iterable = clause.child_by_field_name("right")
    if iterable is None or iterable.start_byte <= child.start_byte < iterable.end_byte:
        return None
    return iterable


def exits_after(node: Node, loop: Node) -> bool:
    """Whether the statement holding ``node`` in ``loop`` is followed, in its own block, by a
    ``break`` or ``return`` (or is a ``return``): the loop runs it at most once (a retry loop)."""
    if loop.type not in ("for_statement", "while_statement"):
        return False
    statement = node
    while statement.parent is not None and statement.parent.type != "block":
        statement = statement.parent
        if statement is loop:
            return False
    if statement.type == "return_statement":
        return True
    block = statement.parent
    while block is not None:
        after = False
        for sibling in block.named_children:
            if sibling.start_byte >= statement.end_byte:
                after = True
            if after and sibling.type in ("break_statement", "return_statement"):
                return True
        owner = block.parent
        if owner is None or owner is loop or owner.type in _BOUNDARIES:
            return False
        if owner.type not in ("try_statement", "if_statement", "with_statement", "else_clause"):
            return False
        if owner.type == "try_statement" and _else_exits(owner):
            return True
        # a ``try:`` body's enqueue followed by a ``break`` after the ``try`` statement
        statement = owner if owner.type != "else_clause" else owner.parent or owner
        block = statement.parent
        if block is None or block.type != "block":
            return False
    return False


def _else_exits(statement: Node) -> bool:
    """``try: t.delay(x)`` ``except ...:`` ``else: break``: the enqueue ends the loop when it
    succeeds."""
    for clause in statement.named_children:
        if clause.type != "else_clause":
            continue
        body = clause.child_by_field_name("body")
        if body is not None and any(
            c.type in ("break_statement", "return_statement") for c in body.named_children
        ):
            return True
    return False
