"""The loops a Python node runs in, and what bounds them (RULES.md, "Size evidence"; PYTHON.md §2).

A node runs once per step of a ``for`` loop (its body, not its iterable), a ``while`` loop (its
condition and body) or a comprehension (everything after its first ``for`` clause's iterable),
up to the function, lambda or class around it. The size evidence is literal-only here: a literal
list, tuple, set or dict, ``range`` with literal bounds, ``settings.LANGUAGES``, a name assigned
once to one of these, and what wraps them (``enumerate``, ``sorted``, ``.items()``) are small up
to 100 elements; a task parameter (a list of any length), a non-literal ``range``, a
``.iterator()`` chain and every ``while`` loop are large; anything else is of unknown size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Loop, Size, SizeEvidence
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import COMPREHENSIONS, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

LIMIT = 100
_BOUNDARIES = frozenset({"function_definition", "lambda", "class_definition", "module"})
_WRAPPERS = frozenset({"enumerate", "sorted", "reversed", "list", "tuple", "set", "iter", "zip"})
_VIEWS = frozenset({"items", "keys", "values"})
_SMALL_SETTINGS = frozenset({"django.conf.settings.LANGUAGES"})


def loops_around(node: Node, ctx: PythonContext) -> list[Loop]:
    """The loops ``node`` repeats in, innermost first, up to its function."""
    found: list[Loop] = []
    child = node
    current = node.parent
    while current is not None and current.type not in _BOUNDARIES:
        kind = current.type
        if kind == "for_statement" and _in_field(current, child, "body"):
            iterable = current.child_by_field_name("right")
            found.append(Loop(current, None, "for", iterable, evidence(iterable, ctx)))
        elif kind == "while_statement" and not _in_field(current, child, "alternative"):
            found.append(Loop(current, None, "while", None, _while_evidence(current)))
        elif kind in COMPREHENSIONS:
            iterable = _repeated_iterable(current, child)
            if iterable is not None:
                found.append(Loop(current, None, "for", iterable, evidence(iterable, ctx)))
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


def _while_evidence(loop: Node) -> SizeEvidence:
    condition = loop.child_by_field_name("condition")
    written = " ".join(text(condition).split())
    return SizeEvidence(Size.LARGE, f"a `while {written}` loop that no small literal bounds")


def evidence(node: Node | None, ctx: PythonContext, depth: int = 0) -> SizeEvidence:
    """How large the collection (or count) ``node`` is, from literals alone."""
    if node is None or depth > 6:
        return _unknown("a collection of unknown size")
    node = nodes.unwrap(node)
    kind = node.type
    if kind in ("list", "tuple", "set", "dictionary"):
        count = len([c for c in node.named_children if c.type != "comment"])
        what = {"dictionary": "dict"}.get(kind, kind)
        if any(c.type in ("list_splat", "dictionary_splat") for c in node.named_children):
            return _unknown(f"`{_shown(node)}` (its size is not known)")
        if count <= LIMIT:
            return SizeEvidence(Size.SMALL, f"a literal {what} of {count}")
        return SizeEvidence(Size.LARGE, f"a literal {what} of {count} elements (more than {LIMIT})")
    if kind == "call":
        return _call_evidence(node, ctx, depth)
    if kind in ("identifier", "attribute"):
        qualified = ctx.semantic.qualified_name(node)
        if qualified in _SMALL_SETTINGS:
            return SizeEvidence(Size.SMALL, "`settings.LANGUAGES`, the configured languages")
        if kind == "identifier" and _is_parameter(node, ctx):
            return SizeEvidence(
                Size.LARGE, f"`{text(node)}`, from a task argument (a list of any length)"
            )
        value = ctx.semantic.value_of(node)
        if value is not node and value.type != "identifier":
            found = evidence(value, ctx, depth + 1)
            if found.size is not Size.UNKNOWN:
                return found
    return _unknown(f"`{_shown(node)}` (its size is not known)")


def _call_evidence(call: Node, ctx: PythonContext, depth: int) -> SizeEvidence:
    name = nodes.call_name(call)
    function = nodes.callee(call)
    args = nodes.arguments(call)
    if function is not None and function.type == "identifier":
        if name == "range" and ctx.semantic.qualified_name(function) == "range":
            return _range(call, args)
        if name in _WRAPPERS and args and ctx.semantic.qualified_name(function) == name:
            found = [evidence(a, ctx, depth + 1) for a in args]
            return max(found, key=lambda e: e.size)
    if name in _VIEWS and not args:
        receiver = nodes.receiver(call)
        if receiver is not None:
            return evidence(receiver, ctx, depth + 1)
    if name == "iterator" and ".objects." in text(call):
        return SizeEvidence(Size.LARGE, f"`{_shown(call)}`, a queryset read in chunks (many rows)")
    return _unknown(f"`{_shown(call)}` (its size is not known)")


def _range(call: Node, args: list[Node]) -> SizeEvidence:
    values = [nodes.literal(a) for a in args]
    if args and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        ints = [int(v) for v in values]
        start, stop, step = (0, ints[0], 1) if len(ints) == 1 else (*ints[:2], 1)
        if len(ints) == 3:
            step = ints[2] or 1
        steps = max(0, -(-(stop - start) // step))
        if steps <= LIMIT:
            return SizeEvidence(Size.SMALL, f"a literal count of {steps}")
        return SizeEvidence(Size.LARGE, f"a literal count of {steps} (more than {LIMIT})")
    return SizeEvidence(Size.LARGE, f"`{_shown(call)}`, a count that no small literal bounds")


def _is_parameter(identifier: Node, ctx: PythonContext) -> bool:
    binding = ctx.semantic.binding_of(identifier)
    return binding is not None and binding.kind == "parameter" and ctx.task is not None


def _unknown(reason: str) -> SizeEvidence:
    return SizeEvidence(Size.UNKNOWN, reason)


def _shown(node: Node, limit: int = 40) -> str:
    written = " ".join(text(node).split())
    return written if len(written) <= limit else written[: limit - 3] + "..."


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
