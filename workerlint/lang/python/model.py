"""The facts of one Python module that the project index needs (ModuleFacts), extracted in one
pass over its top level: imports, functions (with their decorators and the names they call),
classes, and module-level assignments.

Names are "qualified as written": resolved through the module's own imports and top-level
definitions, with relative imports kept relative (``.celery.app``) and a top-level name of the
module itself written ``:name`` (the index knows the module's dotted name and makes both
absolute: lang/python/index.py).
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from workerlint.core.records import record
from workerlint.lang.python import nodes
from workerlint.lang.python.names import OWN
from workerlint.lang.python.nodes import literal, text
from workerlint.lang.python.parse import captures
from workerlint.lang.python.provenance.facts import EnqueueSite
from workerlint.lang.python.semantic import (
    BUILTINS,
    SemanticModel,
    import_bindings,
    star_import,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tree_sitter import Node

T = TypeVar("T")

MAX_CALLS = 200  # names kept per function (the reach of task code needs the first level only)


@record(frozen=True)
class Call:
    """A call as the index needs it: what is called and its literal arguments."""

    name: str | None  # qualified as written (see the module's doc), None when not a name
    args: tuple[object, ...]  # positional arguments: literal values or NOT_LITERAL
    keywords: tuple[tuple[str, object], ...]  # keyword arguments: literal values or NOT_LITERAL
    names: tuple[str, ...]  # names passed as positional arguments (``enqueue(send_mail, x)``)
    start: int
    end: int
    line: int

    def keyword(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.keywords if k == name), default)

    def has_keyword(self, name: str) -> bool:
        return any(k == name for k, _ in self.keywords)


@record(frozen=True)
class Decorator:
    """A decorator: a name (``@shared_task``) or a call (``@app.task(bind=True)``)."""

    name: str | None  # qualified as written
    call: Call | None  # when the decorator is called
    start: int
    end: int
    line: int


@record(frozen=True)
class FunctionFacts:
    qualname: str  # ``f``, ``Cls.method``
    class_name: str | None
    decorators: tuple[Decorator, ...]
    params: tuple[str, ...]
    is_async: bool
    start: int  # of the definition, decorators included
    end: int
    line: int  # of the ``def`` keyword's line
    calls: tuple[str, ...]  # names it calls, qualified as written (imports and own names only)
    # Callables it passes to an RQ-style ``enqueue(f, ...)``, qualified as written; ``cls.m`` /
    # ``self.m`` in a method of class C is written ``:C.m``.
    enqueued: tuple[str, ...]


@record(frozen=True)
class ClassField:
    """A class-level ``name = f(...)`` (a model field, a manager): what is called, qualified as
    written ("" when the callee is not a name), the callee as written (short), and whether it
    says ``unique=True`` or ``primary_key=True``."""

    name: str
    call: str
    written: str
    unique: bool


@record(frozen=True)
class ClassFacts:
    name: str
    bases: tuple[str, ...]  # qualified as written ("" for a base that is not a name)
    methods: tuple[str, ...]
    attributes: tuple[tuple[str, object], ...]  # class-level ``x = <literal>``
    name_lists: tuple[tuple[str, tuple[str, ...]], ...]  # ``functions = [a, func(b)]``: names
    decorators: tuple[Decorator, ...]
    start: int
    end: int
    line: int
    fields: tuple[ClassField, ...] = ()  # class-level ``name = f(...)``

    def field(self, name: str) -> ClassField | None:
        return next((f for f in self.fields if f.name == name), None)


@record(frozen=True)
class Assignment:
    """A module-level ``NAME = value`` (the last one for each name)."""

    name: str
    value: object  # its literal value, or NOT_LITERAL
    call: Call | None  # when the value is a call (``app = Celery("shop")``)
    alias: str | None  # when the value is a name (``job = rq.job``), qualified as written
    start: int  # of the value
    end: int
    line: int


@record(frozen=True)
class NamedTarget:
    """A call naming a task by a string (``async_task("shop.tasks.send", ...)``,
    ``app.send_task("shop.tasks.send")``): what is called, the name, where."""

    call: str  # the callee qualified as written, else the method's name (``send_task``)
    target: str
    start: int
    end: int
    line: int


def _first_by(items: tuple[T, ...], key: Callable[[T], str]) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        found.setdefault(key(item), item)
    return found


@record(frozen=True)
class ModuleFacts:
    path: str
    imports: tuple[tuple[str, str], ...]  # (name bound, qualified name), module level
    star_imports: tuple[str, ...]
    functions: tuple[FunctionFacts, ...]
    classes: tuple[ClassFacts, ...]
    assignments: tuple[Assignment, ...]
    named_targets: tuple[NamedTarget, ...]
    # Its enqueue sites with where what they pass comes from (lang/python/provenance).
    enqueues: tuple[EnqueueSite, ...] = ()
    # Models it reads in batches (``M.objects....iterator()``), qualified as written: the
    # project treats their tables as large (WL301/WL302/WL601 warn on their filtered chains).
    batched: tuple[str, ...] = ()

    def function(self, qualname: str) -> FunctionFacts | None:
        return self._functions_by_name.get(qualname)

    def cls(self, name: str) -> ClassFacts | None:
        return self._classes_by_name.get(name)

    def assignment(self, name: str) -> Assignment | None:
        return self._assignments_by_name.get(name)

    # Each lookup by name, made once per facts (not fields: neither encoded nor compared): the
    # project's tasks ask them about 45,000 times on netbox. The first of a name, as a search
    # in order finds it.
    @cached_property
    def _functions_by_name(self) -> dict[str, FunctionFacts]:
        return _first_by(self.functions, lambda f: f.qualname)

    @cached_property
    def _classes_by_name(self) -> dict[str, ClassFacts]:
        return _first_by(self.classes, lambda c: c.name)

    @cached_property
    def _assignments_by_name(self) -> dict[str, Assignment]:
        return _first_by(self.assignments, lambda a: a.name)


class _Names:
    """The module's top-level names: imports and definitions, qualified as written."""

    def __init__(self, root: Node) -> None:
        self.imports: dict[str, str] = {}
        self.stars: list[str] = []
        self.own: set[str] = set()
        for statement in _top_level(root):
            if statement.type in ("import_statement", "import_from_statement"):
                for name, qualified in import_bindings(statement):
                    self.imports[name] = qualified
                star = star_import(statement)
                if star is not None:
                    self.stars.append(star)
            elif statement.type in ("function_definition", "class_definition"):
                self.own.add(text(statement.child_by_field_name("name")))
            elif statement.type == "expression_statement":
                for child in statement.named_children:
                    if child.type == "assignment":
                        left = child.child_by_field_name("left")
                        if left is not None and left.type == "identifier":
                            self.own.add(text(left))

    def qualify(self, node: Node | None, local: frozenset[str] = frozenset()) -> str | None:
        """A name or attribute chain qualified as written; None for other expressions and for
        names bound locally (``local``)."""
        written = nodes.dotted(node)
        if written is None:
            return None
        head, _, rest = written.partition(".")
        if head in local:
            return None
        if head in self.imports:
            base = self.imports[head]
        elif head in self.own:
            base = OWN + head
        elif head in BUILTINS and not self.stars:
            base = head
        else:
            return None
        return f"{base}.{rest}" if rest else base


# Calls whose first argument names a task by a string (Django-Q, Celery's send_task).
NAMED_TARGET_CALLS = frozenset({"async_task", "schedule", "send_task"})


def extract(root: Node, relpath: str) -> ModuleFacts:
    names = _Names(root)
    bodies = _Bodies(root)
    functions: list[FunctionFacts] = []
    classes: list[ClassFacts] = []
    assignments: dict[str, Assignment] = {}
    for statement in _top_level(root):
        kind = statement.type
        if kind == "function_definition":
            functions.append(_function(statement, names, None, bodies))
        elif kind == "class_definition":
            found, methods = _class(statement, names, bodies)
            classes.append(found)
            functions.extend(methods)
        elif kind == "expression_statement":
            for child in statement.named_children:
                if child.type == "assignment":
                    assignment = _assignment(child, names)
                    if assignment is not None:
                        assignments[assignment.name] = assignment
    return ModuleFacts(
        path=relpath,
        imports=tuple(sorted(names.imports.items())),
        star_imports=tuple(names.stars),
        functions=tuple(functions),
        classes=tuple(classes),
        assignments=tuple(assignments.values()),
        named_targets=tuple(_named_targets(root, names, bodies)),
        enqueues=_enqueues(root, names),
        batched=_batched(bodies, names),
    )


# The queryset method that reads a chain in batches.
BATCHING = frozenset({"iterator"})


def _batched(bodies: _Bodies, names: _Names) -> tuple[str, ...]:
    """Models whose manager chain ends in ``.iterator(...)`` here (``Order.objects.filter(...)
    .iterator()``), qualified as written; a chain through a local is not followed."""
    found: set[str] = set()
    for call in bodies.calls[1]:
        function = call.child_by_field_name("function")
        if function is None or function.type != "attribute":
            continue
        if nodes.text(function.child_by_field_name("attribute")) not in BATCHING:
            continue
        node = function.child_by_field_name("object")
        while node is not None and node.type in ("call", "subscript"):
            inner = node.child_by_field_name("function" if node.type == "call" else "value")
            node = (
                inner.child_by_field_name("object")
                if inner and inner.type == "attribute"
                else inner
            )
        if node is None or node.type != "attribute":
            continue
        qualified = names.qualify(node.child_by_field_name("object"))
        if qualified is not None:
            found.add(qualified)
    return tuple(sorted(found))


def _enqueues(root: Node, names: _Names) -> tuple[EnqueueSite, ...]:
    """The module's enqueue sites (a semantic model is built only when a name matches)."""
    from workerlint.lang.python.provenance.analysis import PREFILTER, sites

    data = root.text or b""
    if not any(p in data for p in PREFILTER):
        return ()
    semantic = SemanticModel(root, None)
    return sites(root, semantic, names.qualify)


def _named_targets(root: Node, names: _Names, bodies: _Bodies) -> Iterator[NamedTarget]:
    data = root.text or b""
    if not any(name.encode() in data for name in NAMED_TARGET_CALLS):
        return
    # The module's calls by a name, in the order of the tree (``call_name`` is None for others).
    for node in bodies.calls[1]:
        if nodes.call_name(node) in NAMED_TARGET_CALLS:
            args = nodes.arguments(node)
            target = nodes.string_value(args[0]) if args else None
            if target:
                written = names.qualify(nodes.callee(node)) or nodes.call_name(node) or ""
                yield NamedTarget(
                    written, target, node.start_byte, node.end_byte, node.start_point.row + 1
                )


def _top_level(root: Node) -> Iterator[Node]:
    """The module's top-level statements, definitions unwrapped from their decorators, and
    those inside top-level ``if``/``try`` blocks (``try: import x`` / ``if TYPE_CHECKING:``)."""
    for child in root.named_children:
        yield from _statements(child, 0)


def _statements(node: Node, depth: int) -> Iterator[Node]:
    kind = node.type
    if kind == "decorated_definition":
        definition = node.child_by_field_name("definition")
        if definition is not None:
            yield definition
        return
    if kind in ("if_statement", "try_statement") and depth < 2:
        for child in node.named_children:
            if child.type == "block":
                for inner in child.named_children:
                    yield from _statements(inner, depth + 1)
            elif child.type in ("else_clause", "elif_clause", "except_clause", "finally_clause"):
                for block in child.named_children:
                    if block.type == "block":
                        for inner in block.named_children:
                            yield from _statements(inner, depth + 1)
        return
    yield node


def call_facts(call: Node, names: _Names, local: frozenset[str] = frozenset()) -> Call:
    positional = nodes.arguments(call)
    return Call(
        name=names.qualify(nodes.callee(call), local),
        args=tuple(literal(a) for a in positional),
        keywords=tuple((k, literal(v)) for k, v in nodes.keywords(call).items()),
        names=tuple(q for a in positional if (q := names.qualify(a, local)) is not None),
        start=call.start_byte,
        end=call.end_byte,
        line=call.start_point.row + 1,
    )


def _decorators(definition: Node, names: _Names) -> tuple[Decorator, ...]:
    found = []
    for expr in nodes.decorators(definition):
        expr = nodes.unwrap(expr)
        if expr.type == "call":
            call = call_facts(expr, names)
            found.append(
                Decorator(call.name, call, expr.start_byte, expr.end_byte, nodes.line_of(expr))
            )
        else:
            found.append(
                Decorator(
                    names.qualify(expr), None, expr.start_byte, expr.end_byte, nodes.line_of(expr)
                )
            )
    return tuple(found)


# RQ's enqueue calls and the position of the callable among their positional arguments.
ENQUEUE_CALLABLE = {"enqueue": 0, "enqueue_call": 0, "enqueue_in": 1, "enqueue_at": 1}


class _Bodies:
    """The calls, assignment targets and imports of a module, found by one query (in C, not
    a Python walk of every node) and handed to each function by the byte range of its body."""

    QUERY = """
    (call function: [(identifier) (attribute)]) @call
    (assignment left: (identifier) @assigned)
    (import_statement) @import
    (import_from_statement) @import
    """

    def __init__(self, root: Node) -> None:
        found = captures(self.QUERY, root)
        self.calls = _sorted(found.get("call", []))
        self.assigned = _sorted(found.get("assigned", []))
        self.imports = _sorted(found.get("import", []))

    @staticmethod
    def within(table: tuple[list[int], list[Node]], start: int, end: int) -> list[Node]:
        starts, items = table
        return items[bisect_left(starts, start) : bisect_left(starts, end)]


def _sorted(found: list[Node]) -> tuple[list[int], list[Node]]:
    """Captured nodes (in the tree's order: lang/captures.py) with their starts, for bisecting."""
    return [n.start_byte for n in found], found


def _function(
    definition: Node, names: _Names, class_name: str | None, bodies: _Bodies
) -> FunctionFacts:
    params = nodes.parameters(definition)
    body = definition.child_by_field_name("body")
    span = (body.start_byte, body.end_byte) if body is not None else (0, 0)
    local = _locals(bodies, span, {p[0] for p in params})
    calls: list[str] = []
    enqueued: list[str] = []
    for node in bodies.within(bodies.calls, *span):
        if len(calls) >= MAX_CALLS:
            break
        name = names.qualify(nodes.callee(node), local)
        if name is not None and name not in BUILTINS:
            calls.append(name)
        position = ENQUEUE_CALLABLE.get(nodes.call_name(node) or "")
        if position is not None:
            found = _enqueued(node, position, names, local, class_name)
            if found is not None:
                enqueued.append(found)
    name = text(definition.child_by_field_name("name"))
    outer = nodes.definition_node(definition)
    return FunctionFacts(
        qualname=f"{class_name}.{name}" if class_name else name,
        class_name=class_name,
        decorators=_decorators(definition, names),
        params=tuple(p[0] for p in params),
        is_async=nodes.is_async(definition),
        start=outer.start_byte,
        end=outer.end_byte,
        line=definition.start_point.row + 1,
        calls=tuple(dict.fromkeys(calls)),
        enqueued=tuple(dict.fromkeys(enqueued)),
    )


def _enqueued(
    call: Node, position: int, names: _Names, local: frozenset[str], class_name: str | None
) -> str | None:
    """The callable an RQ-style enqueue call is given, qualified as written."""
    args = nodes.arguments(call)
    target = nodes.keywords(call).get("func")
    if target is None and len(args) > position:
        target = args[position]
    if target is None:
        return None
    target = nodes.unwrap(target)
    if target.type == "attribute" and class_name is not None:
        obj = text(target.child_by_field_name("object"))
        if obj in ("cls", "self", class_name):
            return f"{OWN}{class_name}.{text(target.child_by_field_name('attribute'))}"
    return names.qualify(target, local)


def _locals(bodies: _Bodies, span: tuple[int, int], params: set[str]) -> frozenset[str]:
    """Names a function binds itself (its parameters, assignment targets and imports), which
    shadow the module's names (nested functions' own are counted too: a rare over-reach)."""
    found = set(params)
    found.update(text(n) for n in bodies.within(bodies.assigned, *span))
    for statement in bodies.within(bodies.imports, *span):
        found.update(name for name, _ in import_bindings(statement))
    return frozenset(found)


def _class(
    definition: Node, names: _Names, bodies: _Bodies
) -> tuple[ClassFacts, list[FunctionFacts]]:
    name = text(definition.child_by_field_name("name"))
    bases: list[str] = []
    supers = definition.child_by_field_name("superclasses")
    if supers is not None:
        for base in supers.named_children:
            if base.type == "keyword_argument":  # metaclass=...
                continue
            bases.append(names.qualify(base) or "")
    methods: list[FunctionFacts] = []
    attributes: list[tuple[str, object]] = []
    name_lists: list[tuple[str, tuple[str, ...]]] = []
    fields: list[ClassField] = []
    body = definition.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        inner = statement
        if inner.type == "decorated_definition":
            inner = inner.child_by_field_name("definition") or inner
        if inner.type == "function_definition":
            methods.append(_function(inner, names, name, bodies))
        elif inner.type == "expression_statement":
            for child in inner.named_children:
                if child.type != "assignment":
                    continue
                left = child.child_by_field_name("left")
                right = child.child_by_field_name("right")
                if left is None or left.type != "identifier" or right is None:
                    continue
                attributes.append((text(left), literal(right)))
                field = _field(text(left), right, names)
                if field is not None:
                    fields.append(field)
                listed = _name_list(right, names)
                if listed:
                    name_lists.append((text(left), listed))
    outer = nodes.definition_node(definition)
    facts = ClassFacts(
        name=name,
        bases=tuple(bases),
        methods=tuple(m.qualname.rpartition(".")[2] for m in methods),
        attributes=tuple(attributes),
        name_lists=tuple(name_lists),
        decorators=_decorators(definition, names),
        start=outer.start_byte,
        end=outer.end_byte,
        line=definition.start_point.row + 1,
        fields=tuple(fields),
    )
    return facts, methods


MAX_WRITTEN = 80  # characters of a field's callee kept as written


def _field(name: str, value: Node, names: _Names) -> ClassField | None:
    """A class-level ``name = f(...)``: a model field or a manager."""
    value = nodes.unwrap(value)
    if value.type != "call":
        return None
    keywords = nodes.keywords(value)
    unique = any(literal(keywords.get(k)) is True for k in ("unique", "primary_key"))
    function = nodes.callee(value)
    written = " ".join(text(function).split())[:MAX_WRITTEN]
    return ClassField(name, names.qualify(function) or "", written, unique)


def _name_list(value: Node, names: _Names) -> tuple[str, ...]:
    """The names in a list or tuple of names or calls of a name with one as first argument
    (arq's ``functions = [send_email, func(resize, timeout=60)]``)."""
    value = nodes.unwrap(value)
    if value.type not in ("list", "tuple"):
        return ()
    found = []
    for item in value.named_children:
        item = nodes.unwrap(item)
        if item.type == "call":
            args = nodes.arguments(item)
            item = args[0] if args else item
        qualified = names.qualify(item)
        if qualified is not None:
            found.append(qualified)
    return tuple(found)


def _assignment(node: Node, names: _Names) -> Assignment | None:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return None
    value = nodes.unwrap(right)
    call = call_facts(value, names) if value.type == "call" else None
    alias = names.qualify(value) if value.type in ("identifier", "attribute") else None
    return Assignment(
        name=text(left),
        value=literal(value),
        call=call,
        alias=alias,
        start=value.start_byte,
        end=value.end_byte,
        line=value.start_point.row + 1,
    )
