"""The def around a node and the local variables visible at it (also in trees with errors):
the definitions the semantic model (semantic.py) reads bindings from.

Used by the grammar gaps (``workerlint.lang.ruby.gaps``): Ruby accepts `div "x", &` only in a method
declaring `&` (or `...`), and `opts [:a] = 1` only when `opts` is a local variable. In a file with
errors, tree-sitter's recovery may leave a def as loose tokens (`def`, its name, its
``method_parameters``) inside an ERROR node; those count as the def.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING

from workerlint.core.records import record

if TYPE_CHECKING:
    from tree_sitter import Node

DEFS = frozenset({"method", "singleton_method"})
HARD_SCOPES = DEFS | {"class", "module", "singleton_class"}
BLOCKS = frozenset({"block", "do_block", "lambda"})
_PARAMETER_LISTS = frozenset({"method_parameters", "block_parameters", "lambda_parameters"})
# The nodes ``_defined_at`` reads a definition from.
_DEFINING = "[(assignment) (operator_assignment) (for) (exception_variable)] @d"
_MULTIPLE = frozenset({"left_assignment_list", "destructured_left_assignment", "rest_assignment"})


@record
class Scope:
    """What is visible at a node: the def's parameters, the blocks' parameters, the body."""

    in_def: bool = False
    def_parameters: Node | None = None
    block_parameters: list[Node] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)  # where local variables may be assigned


def scope_at(node: Node) -> Scope:
    scope = Scope()
    current = node
    while current.parent is not None:
        parent = current.parent
        if parent.type in BLOCKS:
            scope.block_parameters.extend(_parameter_lists(parent))
        if parent.type in DEFS:
            scope.in_def = True
            scope.def_parameters = parent.child_by_field_name("parameters")
            scope.body = [parent]
            return scope
        if parent.type in HARD_SCOPES:
            scope.body = [parent]
            return scope
        if parent.is_error:
            loose = _loose_def(current)
            if loose is not None:
                scope.in_def = True
                scope.def_parameters, scope.body = loose
                return scope
        current = parent
    scope.body = [current]
    return scope


def declares_anonymous_block(node: Node) -> bool:
    """Whether the def around ``node`` declares `&` or `...` (so `&` passes on its block)."""
    scope = scope_at(node)
    if scope.def_parameters is None:
        return False
    for child in scope.def_parameters.named_children:
        if child.type == "forward_parameter":
            return True
        if child.type == "block_parameter" and child.child_by_field_name("name") is None:
            return True
    return False


def is_local_variable(name: bytes, at: Node) -> bool:
    """Whether Ruby has seen ``name`` as a local variable before ``at`` (parameter or assigned)."""
    scope = scope_at(at)
    lists = [*scope.block_parameters]
    if scope.def_parameters is not None:
        lists.append(scope.def_parameters)
    if any(p.text == name for parameters in lists for p in parameter_names(parameters)):
        return True
    return any(
        found.name.text == name
        for root in scope.body
        for found in local_definitions(root, at)
        if found.name.start_byte < at.start_byte
    )


def _loose_def(node: Node) -> tuple[Node | None, list[Node]] | None:
    """A def left as tokens before ``node`` in an ERROR: its parameters and its body so far."""
    siblings: list[Node] = []
    current: Node | None = node
    while current is not None:
        if current.type in ("end", "class", "module") and not current.is_named:
            return None  # the def before it (if any) was closed
        if current.type == "def" and not current.is_named:
            return _parameters_after(current), list(reversed(siblings))
        siblings.append(current)
        current = current.prev_sibling
    return None


def _parameters_after(keyword: Node) -> Node | None:
    """The ``method_parameters`` of the def header starting at the `def` token, if any."""
    current = keyword.next_sibling
    for _ in range(4):  # `def`, [receiver, `.`,] name, parameters
        if current is None:
            return None
        if current.type == "method_parameters":
            return current
        current = current.next_sibling
    return None


def _parameter_lists(owner: Node) -> Iterator[Node]:
    for child in owner.named_children:
        if child.type in _PARAMETER_LISTS:
            yield child


@record(frozen=True)
class Binding:
    """A definition of a local variable."""

    kind: (
        str  # parameter | block-parameter | assignment | memo | multiple-assignment | for | rescue
    )
    name: Node  # the identifier that defines it
    value: Node | None = None  # the right-hand side of an assignment or memo (`||=`)


def parameter_names(parameters: Node) -> Iterator[Node]:
    for child in parameters.named_children:
        if child.type == "identifier":
            yield child
        elif child.type == "destructured_parameter":
            yield from parameter_names(child)
        else:
            name = child.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                yield name


def local_definitions(root: Node, at: Node) -> Iterator[Binding]:
    """Local variables defined under ``root`` before ``at`` where ``at`` sees them (not inside
    other blocks or defs than those around ``at``)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.start_byte >= at.start_byte:
            continue
        inside = node.start_byte <= at.start_byte < node.end_byte
        if node != root and node.type in HARD_SCOPES and not inside:
            continue
        if node.type in BLOCKS and not inside:
            continue
        yield from _defined_at(node)
        stack.extend(reversed(node.named_children))


def all_definitions(root: Node) -> Iterator[tuple[Binding, tuple[Node, ...]]]:
    """Every local variable defined under ``root`` (not inside the defs, classes and modules
    under it), each with the blocks around it below ``root``: a node sees a definition before
    it when it is inside all of those blocks (what ``local_definitions`` walks for one node).
    The nodes that define are found by one query (not a walk of every node), in the order of
    the tree; the scopes and blocks around each are read on the way up to ``root``."""
    from workerlint.lang.ruby.parse import captures

    for node in captures(_DEFINING, root).get("d", []):
        blocks: list[Node] = []
        current = node
        while current != root:
            if current.type in HARD_SCOPES:
                break
            if current.type in BLOCKS:
                blocks.append(current)
            parent = current.parent
            if parent is None:
                break
            current = parent
        else:
            for binding in _defined_at(node):
                yield binding, tuple(reversed(blocks))


def _defined_at(node: Node) -> Iterator[Binding]:
    if node.type == "assignment":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is not None and left.type == "identifier":
            yield Binding("assignment", left, right)
        elif left is not None and left.type in _MULTIPLE:
            yield from (Binding("multiple-assignment", n) for n in _targets(left))
    elif node.type == "operator_assignment":
        left = node.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            operator = node.child_by_field_name("operator")
            memo = operator is not None and operator.text == b"||="
            value = node.child_by_field_name("right") if memo else None
            yield Binding("memo" if memo else "assignment", left, value)
    elif node.type == "for":
        yield from (Binding("for", n) for n in _targets(node.child_by_field_name("pattern")))
    elif node.type == "exception_variable":
        first = node.named_children[0] if node.named_children else None
        yield from (Binding("rescue", n) for n in _targets(first))


def _targets(left: Node | None) -> Iterator[Node]:
    if left is None:
        return
    if left.type == "identifier":
        yield left
    elif left.type in _MULTIPLE:
        for child in left.named_children:
            yield from _targets(child)
