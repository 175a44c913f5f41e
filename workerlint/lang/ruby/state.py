"""Process-wide state a class keeps: constants, class variables and class-level instance
variables holding a mutable collection (``CACHE = {}``, ``@@seen = Set.new``, ``@registry ||= []``
in a class method), and the class methods that return them. Read by the project index (WL304).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import constant_path, method_name, text

if TYPE_CHECKING:
    from tree_sitter import Node

COLLECTION_CLASSES = frozenset(
    {"Hash", "Array", "Set", "SortedSet", "Concurrent::Map", "Concurrent::Hash",
     "Concurrent::Array", "Concurrent::Set"}
)  # fmt: skip
ARRAY_NODES = frozenset({"array", "string_array", "symbol_array"})
CLASS_ATTRIBUTES = frozenset(
    {"class_attribute", "cattr_accessor", "cattr_reader", "mattr_accessor", "mattr_reader"}
)


@record(frozen=True)
class MutableState:
    """One piece of class-level state.

    ``name`` is ``CACHE`` (a constant of the class), ``@@cache``, ``@cache`` (an instance
    variable of the class object), or ``.cache`` (a class method returning one). ``kind`` is the
    collection (``Hash``, ``Array``, ``Set``...), or "" when the value is not a known mutable
    collection (a class variable holding a logger, say). A reader made by ``attr_reader`` in
    ``class << self`` or a memo method names its instance variable in ``ivar``.
    """

    name: str
    kind: str
    line: int
    ivar: str | None = None


def collection_kind(node: Node | None) -> str | None:
    """``Hash`` for ``{}`` or ``Hash.new { }``, ``Array`` for ``[]``...; None if frozen or other."""
    while node is not None and node.type == "parenthesized_statements":
        node = node.named_children[-1] if node.named_children else None
    if node is None:
        return None
    if node.type == "hash":
        return "Hash"
    if node.type in ARRAY_NODES:
        return "Array"
    if node.type == "call" and method_name(node) == "new":
        receiver = constant_path(nodes.receiver(node))
        if receiver is not None and receiver.removeprefix("::") in COLLECTION_CLASSES:
            return receiver.removeprefix("::")
    return None


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def assignment_state(node: Node, *, class_level: bool) -> MutableState | None:
    """State set by an assignment (``x = v`` or ``x ||= v``) in a class body or method."""
    left = node.child_by_field_name("left")
    if left is None:
        return None
    kind = collection_kind(node.child_by_field_name("right"))
    if left.type == "class_variable":
        return MutableState(text(left), kind or "", _line(node))
    if kind is None:
        return None
    if left.type == "constant" or (left.type == "instance_variable" and class_level):
        return MutableState(text(left), kind, _line(node))
    return None


def method_state(method: Node, *, class_level: bool) -> list[MutableState]:
    """Class variables set anywhere in a method; in a class method also ``@x ||= {}`` memos."""
    from workerlint.lang.ruby.parse import captures
    from workerlint.lang.ruby.queries import ASSIGNMENTS

    found: list[MutableState] = []
    source = method.text or b""
    if b"@" not in source or (not class_level and b"@@" not in source):
        return found  # nothing to find: skip the query (this runs for every method indexed)
    for assignment in captures(ASSIGNMENTS, method).get("assignment", []):
        state = assignment_state(assignment, class_level=class_level)
        if state is not None:
            found.append(state)
    if not class_level:
        return found
    body = method.child_by_field_name("body")
    last = body
    if body is not None and body.type == "body_statement":
        last = body.named_children[-1] if body.named_children else None
    if last is not None and last.type in ("assignment", "operator_assignment"):
        last = last.child_by_field_name("left")
    if last is not None and last.type == "instance_variable":
        name = text(method.child_by_field_name("name"))
        found.append(MutableState(f".{name}", "", _line(method), ivar=text(last)))
    return found


def class_call_state(call: Node, *, singleton: bool) -> list[MutableState]:
    """Readers of class-level state: ``attr_reader`` in ``class << self``, ``class_attribute``
    (and ``cattr_*``/``mattr_*``) with a mutable ``default:``."""
    name = method_name(call)
    args = nodes.arguments(call)
    names = [str(v) for a in args if isinstance(v := nodes.literal_value(a), str)]
    if singleton and name in ("attr_reader", "attr_accessor"):
        return [MutableState(f".{n}", "", _line(call), ivar=f"@{n}") for n in names]
    if name in CLASS_ATTRIBUTES:
        pairs, _ = nodes.option_pairs(args)
        default = pairs.get("default")
        kind = collection_kind(nodes.pair_value(default)) if default is not None else None
        if kind is not None:
            return [MutableState(f".{n}", kind, _line(call)) for n in names]
    return []
