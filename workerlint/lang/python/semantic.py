"""The semantic model of one Python file: what its names mean, computed once and shared by every
rule (Ruff's ``SemanticModel``: bindings and scopes asked, never re-derived).

A rule asks:

- ``binding_of(identifier)`` / ``definitions(identifier)``: which binding a name reads (an
  import, an assignment, a parameter, a ``for``/``with``/``except`` target, a ``def``...);
- ``qualified_name(expr)``: what a name or attribute chain means through the imports
  (``r.get`` after ``import requests as r`` is ``requests.get``; ``atomic`` after ``from
  django.db.transaction import atomic`` is ``django.db.transaction.atomic``); a name defined at
  the top of the module is ``<module>.<name>``; builtins are their bare name (``open``);
- ``value_of(expr)``: the expression that built a value, following names assigned once and
  ``self.x`` attributes assigned once in the class;
- ``enclosing_function(node)``, ``enclosing_class(node)``, ``functions()``: where a node is;
- ``callers(function)`` / ``callees(function)``: the call graph within the module.

Python's scoping rule is followed: a name bound anywhere in a function is local to it (unless
declared ``global``/``nonlocal``); class bodies do not enclose their methods; a comprehension
has a scope of its own. The binding that reaches a use is the last one before it in that scope
(branches are not told apart), or the last one in the scope when none comes before (a loop, or a
module-level name read inside a function).

Relative imports are resolved against ``module`` (the file's dotted module name, which the
project index knows); without it they stay relative (``.celery.app``).
"""

from __future__ import annotations

import builtins
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.python import nodes
from workerlint.lang.python.names import absolute
from workerlint.lang.python.nodes import COMPREHENSIONS, text

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Node

BUILTINS = frozenset(dir(builtins))
MAX_DEPTH = 6  # how far value_of and qualified_name follow names to names
_TARGET_CONTAINERS = frozenset(
    {"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression"}
)


@record(eq=False)
class Binding:
    """One way a name gets its value in a scope."""

    name: str
    kind: str  # import | assignment | augmented | parameter | for | with | except | def |
    # class | walrus | comprehension | star-import
    node: Node  # the name as bound (the identifier; for an import, the import statement)
    scope: Scope
    value: Node | None = None  # the right side of an assignment, the ``with`` expression...
    qualified: str | None = None  # an import's qualified name
    unpacked: bool = False  # one target of several (``a, b = ...``): ``value`` is the whole


@record(eq=False)
class Scope:
    node: Node
    kind: str  # module | class | function | lambda | comprehension
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


def import_bindings(statement: Node) -> Iterator[tuple[str, str]]:
    """(name bound, qualified name) for each name an import statement binds; relative imports
    keep their dots (``from .celery import app`` binds ``app`` to ``.celery.app``)."""
    if statement.type == "import_statement":
        for item in statement.named_children:
            if item.type == "dotted_name":
                full = text(item)
                yield full.split(".")[0], full.split(".")[0]
            elif item.type == "aliased_import":
                name = item.child_by_field_name("name")
                alias = item.child_by_field_name("alias")
                if name is not None and alias is not None:
                    yield text(alias), text(name)
        return
    if statement.type != "import_from_statement":
        return
    module_node = statement.child_by_field_name("module_name")
    if module_node is None:
        return
    base = _module_text(module_node)
    for item in statement.children_by_field_name("name"):
        if item.type == "dotted_name":
            yield text(item), _join(base, text(item))
        elif item.type == "aliased_import":
            name = item.child_by_field_name("name")
            alias = item.child_by_field_name("alias")
            if name is not None and alias is not None:
                yield text(alias), _join(base, text(name))


def star_import(statement: Node) -> str | None:
    """The module of ``from m import *``, else None."""
    if statement.type != "import_from_statement":
        return None
    if not any(c.type == "wildcard_import" for c in statement.named_children):
        return None
    module_node = statement.child_by_field_name("module_name")
    return _module_text(module_node) if module_node is not None else None


def _module_text(module_node: Node) -> str:
    if module_node.type == "relative_import":
        prefix = next((c for c in module_node.children if c.type == "import_prefix"), None)
        dots = text(prefix) if prefix is not None else "."
        rest = next((c for c in module_node.named_children if c.type == "dotted_name"), None)
        return dots + (text(rest) if rest is not None else "")
    return text(module_node)


def _join(base: str, name: str) -> str:
    return base + name if base.endswith(".") else f"{base}.{name}"


# The node types ``_visit`` does more with than visit their children in the same scope.
_BINDING_KINDS = frozenset(
    {"function_definition", "lambda", "class_definition", "import_statement",
     "import_from_statement", "assignment", "augmented_assignment", "named_expression",
     "for_statement", "as_pattern", "global_statement", "nonlocal_statement", *COMPREHENSIONS}
)  # fmt: skip


class SemanticModel:
    """Built once per file (and module name); every question is answered lazily and
    remembered."""

    def __init__(self, root: Node, module: str | None = None, package: bool = False) -> None:
        self.root = root
        self.module = module
        self.package = package
        self._qualified: dict[tuple[int, int], str | None] = {}
        self._scope_table: dict[tuple[int, int, str], Scope] = {}

    @cached_property
    def _scopes(self) -> tuple[Scope, dict[tuple[int, int, str], Scope]]:
        """Every scope and its bindings, built in one pass on the first question about names
        (a file no rule asks about is never walked for them)."""
        module_scope = Scope(self.root, "module", None)
        self._scope_table[_key(self.root)] = module_scope
        self._build(self.root, module_scope)
        return module_scope, self._scope_table

    @property
    def module_scope(self) -> Scope:
        return self._scopes[0]

    @property
    def scopes(self) -> dict[tuple[int, int, str], Scope]:
        return self._scopes[1]

    # -- building ----------------------------------------------------------------------------

    def _build(self, node: Node, scope: Scope) -> None:
        stack: list[tuple[Node, Scope]] = [(c, scope) for c in reversed(node.named_children)]
        visit = self._visit
        while stack:
            current, inner = stack.pop()
            # A node without named children binds nothing (each construct that binds holds a
            # name) and has nothing below it to visit: most nodes are such leaves.
            if not current.named_child_count:
                continue
            if current.type in _BINDING_KINDS:
                stack.extend(reversed(visit(current, inner)))
            else:  # what ``_visit`` does with any other node: its children, in its scope
                stack.extend([(c, inner) for c in reversed(current.named_children)])
        for each in self._scope_table.values():
            for found in each.bindings.values():
                found.sort(key=_position)

    def _visit(self, node: Node, scope: Scope) -> list[tuple[Node, Scope]]:
        """Record what ``node`` binds in ``scope``; the (node, scope) pairs to visit next."""
        kind = node.type
        if kind == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                scope.add(Binding(text(name), "def", name, scope, value=node))
            inner = self._open(node, "function", scope)
            for param_name, param_node, _ in nodes.parameters(node):
                inner.add(Binding(param_name, "parameter", param_node, inner))
            later: list[tuple[Node, Scope]] = []
            params = node.child_by_field_name("parameters")
            if params is not None:  # defaults and annotations run in the enclosing scope
                later.extend((c, scope) for c in params.named_children)
            body = node.child_by_field_name("body")
            if body is not None:
                later.append((body, inner))
            return later
        if kind == "lambda":
            inner = self._open(node, "lambda", scope)
            for param_name, param_node, _ in nodes.parameters(node):
                inner.add(Binding(param_name, "parameter", param_node, inner))
            body = node.child_by_field_name("body")
            return [(body, inner)] if body is not None else []
        if kind == "class_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                scope.add(Binding(text(name), "class", name, scope, value=node))
            inner = self._open(node, "class", scope)
            later = []
            supers = node.child_by_field_name("superclasses")
            if supers is not None:
                later.append((supers, scope))
            body = node.child_by_field_name("body")
            if body is not None:
                later.append((body, inner))
            return later
        if kind in COMPREHENSIONS:
            inner = self._open(node, "comprehension", scope)
            later = []
            first = True
            for child in node.named_children:
                if child.type == "for_in_clause":
                    left = child.child_by_field_name("left")
                    right = child.child_by_field_name("right")
                    for target in _targets(left):
                        inner.add(
                            Binding(text(target), "comprehension", target, inner, value=right)
                        )
                    if right is not None:  # the first iterable runs in the enclosing scope
                        later.append((right, scope if first else inner))
                    first = False
                else:
                    later.append((child, inner))
            return later
        if kind in ("import_statement", "import_from_statement"):
            for name, qualified in import_bindings(node):
                scope.add(Binding(name, "import", node, scope, qualified=qualified))
            star = star_import(node)
            if star is not None:
                scope.add(Binding("*", "star-import", node, scope, qualified=star))
            return []
        if kind == "assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            targets = list(_targets(left))
            single = left is not None and nodes.unwrap(left).type == "identifier"
            for target in targets:
                scope.add(
                    Binding(
                        text(target), "assignment", target, scope, value=right, unpacked=not single
                    )
                )
            return [(c, scope) for c in node.named_children]
        if kind == "augmented_assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                scope.add(
                    Binding(
                        text(left),
                        "augmented",
                        left,
                        scope,
                        value=node.child_by_field_name("right"),
                    )
                )
            return [(c, scope) for c in node.named_children]
        if kind == "named_expression":
            name = node.child_by_field_name("name")
            target_scope = scope
            while target_scope.kind == "comprehension" and target_scope.parent is not None:
                target_scope = target_scope.parent
            if name is not None:
                target_scope.add(
                    Binding(
                        text(name),
                        "walrus",
                        name,
                        target_scope,
                        value=node.child_by_field_name("value"),
                    )
                )
            return [(c, scope) for c in node.named_children]
        if kind == "for_statement":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            for target in _targets(left):
                scope.add(Binding(text(target), "for", target, scope, value=right, unpacked=True))
            return [(c, scope) for c in node.named_children]
        if kind == "as_pattern":
            alias = node.child_by_field_name("alias")
            value = node.named_children[0] if node.named_children else None
            parent = node.parent
            binding_kind = (
                "except" if parent is not None and parent.type == "except_clause" else "with"
            )
            if alias is not None:
                for target in _targets(alias):
                    single = alias.named_child_count == 1 and target.parent == alias
                    scope.add(
                        Binding(
                            text(target),
                            binding_kind,
                            target,
                            scope,
                            value=value,
                            unpacked=not single,
                        )
                    )
            return [(value, scope)] if value is not None else []
        if kind == "global_statement":
            scope.declared_global.update(text(c) for c in node.named_children)
            return []
        if kind == "nonlocal_statement":
            scope.declared_nonlocal.update(text(c) for c in node.named_children)
            return []
        return [(c, scope) for c in node.named_children]

    def _open(self, node: Node, kind: str, parent: Scope) -> Scope:
        scope = Scope(node, kind, parent)
        self._scope_table[_key(node)] = scope
        return scope

    # -- scopes ------------------------------------------------------------------------------

    def scope_at(self, node: Node) -> Scope:
        """The scope a node's names are looked up in."""
        owner = _parameter_owner(node)
        if owner is not None:
            return self.scopes.get(_key(owner), self.module_scope)
        current = node
        child: Node | None = None
        while current is not None:
            scope = self.scopes.get(_key(current))
            if scope is not None and _inside_body(current, child):
                return scope
            child = current
            current = current.parent
        return self.module_scope

    def lookup(self, name: str, scope: Scope) -> Scope | None:
        """The scope that binds ``name`` as seen from ``scope`` (LEGB; class bodies do not
        enclose their methods), or None for a builtin or an unknown global."""
        start = scope
        current: Scope | None = scope
        while current is not None:
            if name in current.declared_global:
                return self.module_scope if name in self.module_scope.bindings else None
            if name in current.declared_nonlocal:
                current = current.parent
                continue
            if name in current.bindings and (current is start or current.kind != "class"):
                return current
            current = current.parent
        return None

    def definitions(self, identifier: Node) -> list[Binding]:
        """Every binding of the name ``identifier`` reads, in the scope that binds it, in
        source order."""
        scope = self.lookup(text(identifier), self.scope_at(identifier))
        if scope is None:
            return []
        return scope.bindings.get(text(identifier), [])

    def binding_of(self, identifier: Node) -> Binding | None:
        """The binding that reaches this use of a name: the last one before it in the same
        scope, else the last one of the scope (a loop, or a module name read in a function)."""
        found = self.definitions(identifier)
        if not found:
            return None
        here = self.scope_at(identifier)
        if found[0].scope is here:
            before = [
                b
                for b in found
                if _position(b) < identifier.start_byte and not _assigns_around(b, identifier)
            ]
            if before:
                return before[-1]
        return found[-1]

    def is_local(self, identifier: Node) -> bool:
        """Whether a name is bound in the function (or lambda, comprehension) it is read in."""
        found = self.definitions(identifier)
        return bool(found) and found[0].scope.kind in ("function", "lambda", "comprehension")

    # -- meaning -----------------------------------------------------------------------------

    def qualified_name(self, expr: Node | None, depth: int = 0) -> str | None:
        """What a name or attribute chain means through the imports (see the module's doc)."""
        if expr is None or depth > MAX_DEPTH:
            return None
        expr = nodes.unwrap(expr)
        key = (expr.start_byte, expr.end_byte)
        if depth == 0 and key in self._qualified:
            return self._qualified[key]
        found = self._qualify(expr, depth)
        if depth == 0:
            self._qualified[key] = found
        return found

    def _qualify(self, expr: Node, depth: int) -> str | None:
        if expr.type == "attribute":
            base = self.qualified_name(expr.child_by_field_name("object"), depth + 1)
            attribute = expr.child_by_field_name("attribute")
            return f"{base}.{text(attribute)}" if base and attribute is not None else None
        if expr.type != "identifier":
            return None
        name = text(expr)
        binding = self.binding_of(expr)
        if binding is None:
            if self._star_imported():
                return None
            return name if name in BUILTINS else None
        if binding.kind == "import":
            return absolute(binding.qualified or name, self.module, self.package)
        if binding.kind in ("def", "class") and binding.scope is self.module_scope:
            return self._own(name)
        if (
            binding.kind == "assignment"
            and not binding.unpacked
            and binding.scope is self.module_scope
            and binding.value is not None
            and len(self.module_scope.bindings.get(name, ())) == 1
        ):
            aliased = self.qualified_name(binding.value, depth + 1)
            return aliased if aliased is not None else self._own(name)
        return None

    def _own(self, name: str) -> str:
        return f"{self.module}.{name}" if self.module else name

    def _star_imported(self) -> bool:
        return "*" in self.module_scope.bindings

    def value_of(self, expr: Node, depth: int = 0) -> Node:
        """The expression that built ``expr``'s value: a name assigned once (before its use, in
        its scope) is followed to its right side (``with f() as x``: to ``f()``, whose
        ``__enter__`` returns the object itself for the clients and files rules ask about),
        ``self.x`` to the one ``self.x = ...`` of its class; anything else is itself."""
        expr = nodes.unwrap(expr)
        if depth >= MAX_DEPTH:
            return expr
        source: Node | None = None
        if expr.type == "identifier":
            binding = self.binding_of(expr)
            if (
                binding is not None
                and binding.kind in ("assignment", "walrus", "with")
                and not binding.unpacked
                and binding.value is not None
                and _single(binding, self.definitions(expr))
            ):
                source = binding.value
        elif expr.type == "attribute":
            source = self._attribute_value(expr)
        if source is None:
            return expr
        return self.value_of(source, depth + 1)

    def _attribute_value(self, expr: Node) -> Node | None:
        obj = expr.child_by_field_name("object")
        attribute = expr.child_by_field_name("attribute")
        if obj is None or attribute is None or text(obj) != "self":
            return None
        cls = self.enclosing_class(expr)
        if cls is None:
            return None
        values = self.self_assignments(cls).get(text(attribute), [])
        return values[0] if len(values) == 1 else None

    def self_assignments(self, cls: Node) -> dict[str, list[Node]]:
        """``self.<name> = value`` assignments in a class's methods: name -> values."""
        key = ("self", cls.start_byte, cls.end_byte)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        found: dict[str, list[Node]] = {}
        body = cls.child_by_field_name("body")
        stack = [body] if body is not None else []
        while stack:
            node = stack.pop()
            if node.type == "class_definition":
                continue
            if node.type == "assignment":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if (
                    left is not None
                    and right is not None
                    and left.type == "attribute"
                    and text(left.child_by_field_name("object")) == "self"
                ):
                    found.setdefault(text(left.child_by_field_name("attribute")), []).append(right)
            stack.extend(node.named_children)
        self._memo[key] = found
        return found

    @property
    def _memo(self) -> dict[tuple[str, int, int], dict[str, list[Node]]]:
        memo = self.__dict__.get("_memo_table")
        if memo is None:
            memo = self.__dict__["_memo_table"] = {}
        return memo

    # -- where a node is ---------------------------------------------------------------------

    @staticmethod
    def enclosing(node: Node, kinds: frozenset[str] | tuple[str, ...]) -> Node | None:
        return nodes.enclosing(node, kinds)

    @staticmethod
    def enclosing_function(node: Node) -> Node | None:
        """The innermost ``def`` around a node (lambdas are not functions here)."""
        return nodes.enclosing(node, ("function_definition",))

    @staticmethod
    def enclosing_class(node: Node) -> Node | None:
        return nodes.enclosing(node, ("class_definition",))

    def functions(self) -> list[Function]:
        """Every ``def`` of the file with where it stands (``Cls.method``, nested ones as
        ``outer.<locals>.inner``), in source order."""
        cached = self.__dict__.get("_functions")
        if cached is None:
            cached = self.__dict__["_functions"] = list(_functions(self.root, ()))
        return cached

    def function_at(self, node: Node) -> Function | None:
        """The ``Function`` of the outermost def around ``node`` that is not nested in another
        def (a method or a module-level function)."""
        top = None
        current = nodes.enclosing(node, ("function_definition",))
        while current is not None:
            top = current
            current = nodes.enclosing(current, ("function_definition",))
        if top is None:
            return None
        return next((f for f in self.functions() if f.node == top), None)

    # -- the call graph within the module ----------------------------------------------------

    def callees(self, function: Node) -> list[str]:
        """The names of the module's own functions (``f``) and of the class's own methods
        (``self.m``, ``cls.m``: ``Cls.m``) that a function calls, in source order."""
        body = function.child_by_field_name("body")
        if body is None:
            return []
        cls = self.enclosing_class(function)
        cls_name = text(cls.child_by_field_name("name")) if cls is not None else None
        names = {f.qualname for f in self.functions()}
        found: list[str] = []
        stack = [body]
        while stack:
            node = stack.pop()
            if node.type == "call":
                target = nodes.callee(node)
                if target is not None:
                    if target.type == "identifier" and text(target) in names:
                        found.append(text(target))
                    elif target.type == "attribute" and cls_name is not None:
                        obj = text(target.child_by_field_name("object"))
                        attr = text(target.child_by_field_name("attribute"))
                        if obj in ("self", "cls", cls_name) and f"{cls_name}.{attr}" in names:
                            found.append(f"{cls_name}.{attr}")
            stack.extend(reversed(node.named_children))
        return list(dict.fromkeys(found))

    def callers(self, qualname: str) -> list[Function]:
        """The module's functions that call ``qualname`` (a callee name as ``callees`` gives)."""
        return [f for f in self.functions() if qualname in self.callees(f.node)]


@record(frozen=True, eq=False)
class Function:
    node: Node  # the function_definition
    qualname: str  # ``f``, ``Cls.method``, ``f.<locals>.inner``
    class_name: str | None  # the class it is a method of (directly)


def _functions(node: Node, prefix: tuple[str, ...]) -> Iterator[Function]:
    for child in node.named_children:
        kind = child.type
        if kind == "decorated_definition":
            definition = child.child_by_field_name("definition")
            if definition is not None:
                yield from _functions_of(definition, prefix)
        elif kind in ("function_definition", "class_definition"):
            yield from _functions_of(child, prefix)
        elif kind in ("block", "if_statement", "try_statement", "with_statement", "else_clause",
                      "except_clause", "finally_clause", "elif_clause"):  # fmt: skip
            yield from _functions(child, prefix)


def _functions_of(definition: Node, prefix: tuple[str, ...]) -> Iterator[Function]:
    name = text(definition.child_by_field_name("name"))
    body = definition.child_by_field_name("body")
    if definition.type == "class_definition":
        if body is not None:
            yield from _functions(body, (*prefix, name))
        return
    in_class = bool(prefix) and not prefix[-1].endswith("<locals>")
    qualname = ".".join((*prefix, name))
    yield Function(definition, qualname, prefix[-1] if in_class else None)
    if body is not None:
        yield from _functions(body, (*prefix, name, "<locals>"))


def _targets(left: Node | None) -> Iterator[Node]:
    """The identifiers an assignment target binds (``a, (b, *c) = ...``)."""
    if left is None:
        return
    kind = left.type
    if kind == "identifier":
        yield left
    elif kind in _TARGET_CONTAINERS or kind in ("list_splat_pattern", "as_pattern_target"):
        for child in left.named_children:
            yield from _targets(child)


def _key(node: Node) -> tuple[int, int, str]:
    return (node.start_byte, node.end_byte, node.type)


def _inside_body(scope_node: Node, child: Node | None) -> bool:
    """Whether ``child`` (a direct child of a scope's node) belongs to that scope: a function's
    body and parameter names do, its decorators, defaults and annotations do not; a class's
    body does, its bases do not."""
    if child is None or scope_node.type == "module":
        return True
    kind = scope_node.type
    if kind == "function_definition":
        if child == scope_node.child_by_field_name("body"):
            return True
        return child.type == "identifier" and child != scope_node.child_by_field_name("name")
    if kind == "class_definition":
        return child == scope_node.child_by_field_name("body")
    if kind == "lambda":
        return child == scope_node.child_by_field_name("body") or child.type == "lambda_parameters"
    return True  # comprehensions (their first iterable is a detail not told apart)


_PARAMETER_WRAPPERS = frozenset(
    {"typed_parameter", "default_parameter", "typed_default_parameter", "list_splat_pattern",
     "dictionary_splat_pattern"}
)  # fmt: skip


def _parameter_owner(node: Node) -> Node | None:
    """The function or lambda whose parameter name ``node`` is, else None."""
    if node.type != "identifier":
        return None
    parent = node.parent
    while parent is not None and parent.type in _PARAMETER_WRAPPERS:
        if parent.type in ("default_parameter", "typed_default_parameter") and (
            parent.child_by_field_name("name") != node
        ):
            return None  # a default value or an annotation
        parent = parent.parent
    if parent is None or parent.type not in ("parameters", "lambda_parameters"):
        return None
    return parent.parent


def _position(binding: Binding) -> int:
    return binding.node.start_byte


def _assigns_around(binding: Binding, identifier: Node) -> bool:
    """Whether the use is inside the value of the binding's own assignment (``x = f(x)``)."""
    value = binding.value
    return (
        value is not None
        and binding.kind in ("assignment", "augmented", "walrus")
        and value.start_byte <= identifier.start_byte < value.end_byte
    )


def _single(binding: Binding, found: list[Binding]) -> bool:
    """Whether ``binding`` is the name's only binding in its scope."""
    return len([b for b in found if b.scope is binding.scope]) == 1
