"""The semantic model of one Ruby file: what its names mean, computed once and shared by every rule.

Anchors: Ruff's ``SemanticModel`` (bindings and scopes asked, never re-derived), RuboCop's
``VariableForce`` (one variable analysis for every cop). A rule asks:

- ``is_local(identifier)`` / ``binding_of(identifier)``: whether a bare name is a local variable
  (a parameter, a block parameter, a multiple assignment, a ``for`` variable, a ``rescue => e``,
  an assignment before it in a scope it sees), and which definition reaches it; a bare name that
  is not a local is a method call (``sleep``, ``fork``);
- ``value_of(expr)``: the expression that built a value, following locals, ``@ivar ||=`` memos
  and same-class methods that return it;
- ``enclosing(node, kinds)``, ``enclosing_method(node)``, ``class_of(node)``, ``lexical(node)``:
  where a node is;
- ``callers(class_scope, name, ...)`` / ``callees(method)``: the call graph within a class.

Locals follow Ruby's parse-time rule, not the run-time flow: a name is a local from its first
assignment onward in its scope; the definition that reaches a use is the last one before it
(branches are not told apart). Blocks see the locals of the scope around them; a method, class or
module body starts a new scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.scopes import Binding, all_definitions, parameter_names, scope_at

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope

METHODS = frozenset({"method", "singleton_method"})
CLASSES = frozenset({"class", "module"})
_PARAMETER_LISTS = frozenset({"method_parameters", "block_parameters", "lambda_parameters"})
_MULTIPLE = frozenset({"left_assignment_list", "destructured_left_assignment", "rest_assignment"})
MAX_DEPTH = 6  # how far value_of follows names to names


class SemanticModel:
    """Built once per file; every question is answered lazily and remembered."""

    def __init__(self, root: Node, classes: list[ClassScope] | None = None) -> None:
        self.root = root
        self.classes = classes or []
        self._bindings: dict[tuple[int, int], Binding | None] = {}
        self._class_by_span = {(c.node.start_byte, c.node.end_byte): c for c in self.classes}
        self._assignments: dict[tuple[int, int], list[Node]] = {}
        self._names: dict[
            tuple[int, int], dict[bytes | None, list[tuple[Binding, tuple[Node, ...]]]]
        ] = {}
        # Analyses built on the model (the provenance of the file's enqueues), kept with it: the
        # index's extraction and the rules checking the file share one model, so one analysis.
        self.derived: dict[str, object] = {}

    # -- locals ----------------------------------------------------------------------------

    def is_local(self, identifier: Node) -> bool:
        """Whether a bare identifier names a local variable where it stands (else: a call)."""
        return self.binding_of(identifier) is not None

    def binding_of(self, identifier: Node) -> Binding | None:
        """The definition of the local variable ``identifier`` reads, or None (a method call)."""
        key = (identifier.start_byte, identifier.end_byte)
        if key not in self._bindings:
            self._bindings[key] = self._reaching(identifier)
        return self._bindings[key]

    def definitions(self, identifier: Node) -> list[Binding]:
        """Every definition of the local ``identifier`` names that it sees before it (parameters
        and assignments, in any branch), in source order: one means the local was never
        reassigned before this use. An assignment whose right side holds ``identifier``
        (``ids = ids.uniq``) is not one: the right side reads the value before it."""
        return [b for b in self._all_definitions(identifier) if not _assigns_around(b, identifier)]

    def _all_definitions(self, identifier: Node) -> list[Binding]:
        name = identifier.text
        scope = scope_at(identifier)
        at = identifier.start_byte
        found = [
            b for b in self._parameters(scope) if b.name.text == name and b.name.start_byte < at
        ]
        for root in scope.body:
            for binding, blocks in self._definitions(root).get(name, ()):
                if binding.name.start_byte < at and all(
                    b.start_byte <= at < b.end_byte for b in blocks
                ):
                    found.append(binding)
        return sorted(found, key=lambda b: b.name.start_byte)

    def _reaching(self, identifier: Node) -> Binding | None:
        every = self._all_definitions(identifier)
        found = [b for b in every if not _assigns_around(b, identifier)]
        if found:
            return found[-1]
        return every[-1] if every else None  # `x = x` with no x before: a local (nil)

    def _definitions(
        self, root: Node
    ) -> dict[bytes | None, list[tuple[Binding, tuple[Node, ...]]]]:
        """The local definitions under ``root`` by name, with the blocks around each (walked
        once per root: a node sees those before it whose blocks it is in)."""
        key = (root.start_byte, root.end_byte)
        found = self._names.get(key)
        if found is None:
            found = {}
            for binding, blocks in all_definitions(root):
                found.setdefault(binding.name.text, []).append((binding, blocks))
            self._names[key] = found
        return found

    def _parameters(self, scope: object) -> Iterator[Binding]:
        def_parameters = getattr(scope, "def_parameters", None)
        if def_parameters is not None:
            for name in parameter_names(def_parameters):
                yield Binding("parameter", name)
        for parameters in getattr(scope, "block_parameters", []):
            for name in parameter_names(parameters):
                yield Binding("block-parameter", name)

    # -- values ----------------------------------------------------------------------------

    def value_of(self, expr: Node, depth: int = 0) -> Node:
        """The expression that built ``expr``'s value, as far as the file shows; else ``expr``.

        Follows a local to the assignment (or ``||=`` memo) that reaches it, an instance variable
        to its assignment in the class, and a call of a method of the class with no arguments
        (bare, on ``self``, or a class method on ``self.class``) to the expression that method
        returns.
        """
        if depth > MAX_DEPTH:
            return expr
        found = self._source(expr)
        return expr if found is None else self.value_of(found, depth + 1)

    def _source(self, expr: Node) -> Node | None:
        while expr.type == "parenthesized_statements" and len(expr.named_children) == 1:
            expr = expr.named_children[0]
        if expr.type == "identifier":
            binding = self.binding_of(expr)
            if binding is not None:
                return binding.value
            return self._returned(expr, nodes.text(expr))
        if expr.type == "instance_variable":
            values = [v for v in self.ivar_values(expr) if v.type != "nil"]
            return values[0] if values else None
        if expr.type == "call" and not nodes.arguments(expr) and nodes.block(expr) is None:
            receiver = nodes.receiver(expr)
            name = nodes.method_name(expr) or ""
            if receiver is None:
                return self._returned(expr, name)
            if receiver.type == "self":  # `self.period`: an instance method of the class
                return self._returned(expr, name, class_method=False)
            if nodes.text(receiver).replace(" ", "") == "self.class":  # `self.class.period`
                return self._returned(expr, name, class_method=True)
        return None

    def ivar_values(self, ivar: Node) -> list[Node]:
        """The right-hand sides assigned to an instance variable in its class, in source order."""
        scope = self.class_of(ivar)
        if scope is None:
            return []
        name = nodes.text(ivar)
        found = []
        for assignment in self.assignments(scope.node):
            left = assignment.child_by_field_name("left")
            right = assignment.child_by_field_name("right")
            if left is None or right is None:
                continue
            if left.type == "instance_variable" and nodes.text(left) == name:
                found.append(right)
        return found

    def _returned(self, at: Node, name: str, class_method: bool | None = None) -> Node | None:
        """What the method ``name`` of the class around ``at`` returns (its last expression);
        only its class method (``def self.x``) or only its instance method when
        ``class_method`` says which."""
        scope = self.class_of(at)
        if scope is None:
            return None
        for method in scope.methods.get(name, []):
            if class_method is not None and nodes.is_class_method(method) != class_method:
                continue
            body = method.child_by_field_name("body")
            if body is None or not body.named_children:
                continue
            last = body.named_children[-1]
            if last.type in ("assignment", "operator_assignment"):
                return last.child_by_field_name("right")
            return last
        return None

    def assignments(self, under: Node) -> list[Node]:
        """Every assignment (``=``, ``op=``) in a subtree, in source order."""
        key = (under.start_byte, under.end_byte)
        if key not in self._assignments:
            found = [
                n
                for n in nodes.descendants(under)
                if n.type in ("assignment", "operator_assignment")
            ]
            self._assignments[key] = found
        return self._assignments[key]

    # -- where a node is -------------------------------------------------------------------

    @staticmethod
    def enclosing(node: Node, kinds: frozenset[str] | tuple[str, ...]) -> Node | None:
        """The nearest ancestor of one of the node ``kinds``."""
        current = node.parent
        while current is not None:
            if current.type in kinds:
                return current
            current = current.parent
        return None

    def enclosing_method(self, node: Node) -> Node | None:
        """The method around a node (not past its class)."""
        current = node.parent
        while current is not None and current.type not in CLASSES:
            if current.type in METHODS:
                return current
            current = current.parent
        return None

    def class_of(self, node: Node) -> ClassScope | None:
        """The class or module of the file around a node."""
        current = node if node.type in CLASSES else node.parent
        while current is not None:
            if current.type in CLASSES:
                found = self._class_by_span.get((current.start_byte, current.end_byte))
                if found is not None:
                    return found
            current = current.parent
        return None

    def lexical(self, node: Node) -> tuple[str, ...]:
        """The names a constant written at ``node`` is looked up in, innermost first."""
        return lexical(self.class_of(node))

    # -- calls within a class ----------------------------------------------------------------

    def callers(self, scope: ClassScope, name: str, *, class_method: bool) -> list[Node]:
        """Calls of the method ``name`` of ``scope`` from within the class: bare calls and calls
        on ``self`` (for a class method also on the class's own name and ``self.class``)."""
        owner = scope.facts.name
        short = owner.rsplit("::", 1)[-1]
        the_class = {"self.class", short, owner, f"::{owner}"}
        found = []
        for node in nodes.descendants(scope.node):
            if node.type == "call":
                if nodes.method_name(node) != name:
                    continue
                receiver = nodes.receiver(node)
                written = nodes.text(receiver) if receiver is not None else "self"
                if written == "self":  # bare, or on self: self is the class or an instance
                    if self.self_is_class(node) == class_method:
                        found.append(node)
                elif class_method and written in the_class:
                    found.append(node)
            elif (
                node.type == "identifier"
                and nodes.text(node) == name
                and self.is_call(node)
                and self.self_is_class(node) == class_method
            ):
                found.append(node)
        return found

    def callees(self, method: Node) -> list[str]:
        """The methods of the class around ``method`` that it calls on itself (bare or on
        ``self``), in order of first call: the other direction of ``callers``."""
        scope = self.class_of(method)
        if scope is None:
            return []
        class_method = nodes.is_class_method(method)
        found: dict[str, None] = {}
        for node in nodes.descendants(method):
            if node.type == "call":
                receiver = nodes.receiver(node)
                if receiver is not None and nodes.text(receiver) != "self":
                    continue
                name = nodes.method_name(node) or ""
            elif node.type == "identifier" and self.is_call(node):
                name = nodes.text(node)
            else:
                continue
            if name in scope.methods and any(
                nodes.is_class_method(m) == class_method for m in scope.methods[name]
            ):
                found.setdefault(name, None)
        return list(found)

    def is_call(self, identifier: Node) -> bool:
        """A bare identifier used as a value that is not a local: a call with no arguments."""
        parent = identifier.parent
        if parent is None:
            return False
        if parent.type in ("method", "singleton_method", "call", "alias") and identifier in (
            parent.child_by_field_name("name"),
            parent.child_by_field_name("method"),
        ):
            return False
        if parent.type in ("assignment", "operator_assignment") and (
            parent.child_by_field_name("left") == identifier
        ):
            return False
        if parent.type in _MULTIPLE or parent.type == "exception_variable":
            return False
        if parent.type.endswith("parameter") or parent.type in _PARAMETER_LISTS:
            return False
        if parent.type == "pair" and parent.child_by_field_name("value") != identifier:
            return False
        return not self.is_local(identifier)

    def self_is_class(self, node: Node) -> bool:
        """Whether ``self`` at ``node`` is the class (a class method, or the class body)."""
        method = self.enclosing_method(node)
        return method is None or nodes.is_class_method(method)


def _assigns_around(binding: Binding, identifier: Node) -> bool:
    """Whether ``binding`` is made by an assignment whose right side holds ``identifier``."""
    if binding.kind not in ("assignment", "memo", "multiple-assignment"):
        return False
    current = binding.name.parent
    for _ in range(4):
        if current is None:
            return False
        if current.type in ("assignment", "operator_assignment"):
            return current.start_byte <= identifier.start_byte < current.end_byte
        current = current.parent
    return False


def lexical(scope: ClassScope | None) -> tuple[str, ...]:
    """The names a constant written in class ``scope`` is looked up in, innermost first."""
    return (scope.facts.name, *scope.facts.lexical) if scope is not None else ()
