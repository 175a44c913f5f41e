"""Database transactions around a Python node (PYTHON.md §2 WL203).

A holder is ``with transaction.atomic():`` (also ``atomic(...)`` imported, and
``durable``/``savepoint`` options), a function decorated with ``@transaction.atomic`` or
``@transaction.atomic(...)``, SQLAlchemy's ``with session.begin():``/``begin_nested()`` and
``with engine.begin():`` (a receiver with ``session`` or ``engine`` in its name, as
libraries/sqlalchemy.py reads sessions, or one built by ``create_engine``/``Session``/
``sessionmaker``), and a project wrapper of ``transaction.atomic``: a function or context manager
of the project (same module, or through the index) whose body calls it. ``atomic(using=...)``
naming another database alias than ``"default"`` holds no transaction on the default database
(Saleor's replica reads) and is not a holder. Lambdas and nested functions run later (the
callback given to ``transaction.on_commit``): a node inside one has no holder around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

ATOMIC = frozenset({"django.db.transaction.atomic"})
_SQLALCHEMY_BUILDERS = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.orm.Session", "sqlalchemy.orm.sessionmaker",
     "sqlalchemy.ext.asyncio.create_async_engine", "sqlalchemy.ext.asyncio.AsyncSession"}
)  # fmt: skip
_BEGIN = frozenset({"begin", "begin_nested"})
_STOPS = frozenset({"lambda", "class_definition"})


@record(frozen=True)
class Holder:
    kind: str  # django | sqlalchemy
    node: Node  # the ``with`` item's call, or the decorator
    label: str  # how messages show it: "`transaction.atomic()` (line 12)"

    @property
    def line(self) -> int:
        return nodes.line_of(self.node)


def holder_around(node: Node, ctx: PythonContext) -> Holder | None:
    """The innermost transaction ``node`` runs in, up to its function (whose decorators count),
    or None."""
    current = node.parent
    child = node
    while current is not None:
        kind = current.type
        if kind in _STOPS:
            return None
        if kind == "with_statement" and _in_body(current, child):
            found = _with_holder(current, ctx)
            if found is not None:
                return found
        if kind == "function_definition":
            return _decorated(current, ctx)
        child = current
        current = current.parent
    return None


def _in_body(statement: Node, child: Node) -> bool:
    body = statement.child_by_field_name("body")
    return body is not None and body.start_byte <= child.start_byte < body.end_byte


def _with_holder(statement: Node, ctx: PythonContext) -> Holder | None:
    clause = next((c for c in statement.named_children if c.type == "with_clause"), None)
    for item in clause.named_children if clause is not None else []:
        value = item.child_by_field_name("value")
        if value is not None and value.type == "as_pattern":
            value = value.named_children[0] if value.named_children else None
        if value is None or value.type != "call":
            continue
        found = holder_call(value, ctx)
        if found is not None:
            return found
    return None


def holder_call(call: Node, ctx: PythonContext) -> Holder | None:
    """The transaction a call opens as a context manager (or decorator), if it is one."""
    function = nodes.callee(call)
    qualified = ctx.semantic.qualified_name(function)
    written = " ".join(text(function).split())
    where = f"(line {nodes.line_of(call)})"
    if qualified in ATOMIC:
        if _other_alias(call):
            return None
        return Holder("django", call, f"`{written}()` {where}")
    if nodes.call_name(call) in _BEGIN:
        receiver = nodes.receiver(call)
        if receiver is not None and _sqlalchemy(receiver, ctx):
            return Holder("sqlalchemy", call, f"`{written}()` {where}")
        return None
    if _wraps_atomic(function, qualified, ctx):
        return Holder("django", call, f"`{written}()` {where}, which opens `transaction.atomic()`")
    return None


def _other_alias(call: Node) -> bool:
    alias = nodes.keywords(call).get("using")
    if alias is None:
        args = nodes.arguments(call)
        alias = args[0] if args else None
    return alias is not None and nodes.string_value(alias) != "default"


def _sqlalchemy(receiver: Node, ctx: PythonContext) -> bool:
    written = text(receiver).lower()
    if "session" in written or "engine" in written:
        return True
    value = ctx.semantic.value_of(receiver)
    if value.type == "call":
        built = ctx.semantic.qualified_name(nodes.callee(value))
        if built in _SQLALCHEMY_BUILDERS:
            return True
        inner = nodes.callee(value)  # ``Session()`` where ``Session = sessionmaker(...)``
        if inner is not None and inner.type == "identifier":
            factory = ctx.semantic.value_of(inner)
            if factory.type == "call":
                return ctx.semantic.qualified_name(nodes.callee(factory)) in _SQLALCHEMY_BUILDERS
    return False


def _wraps_atomic(function: Node | None, qualified: str | None, ctx: PythonContext) -> bool:
    """A project function whose body calls ``transaction.atomic`` (one level)."""
    if function is None:
        return False
    if function.type == "identifier":
        binding = ctx.semantic.binding_of(function)
        if binding is not None and binding.kind == "def" and binding.value is not None:
            return _calls_atomic(binding.value, ctx)
    if qualified is None:
        return False
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "function" or target.rest:
        return False
    facts = ctx.index.function(target)
    if facts is None:
        return False
    return any(ctx.index.absolute(c, target.relpath) in ATOMIC for c in facts.calls)


def _calls_atomic(definition: Node, ctx: PythonContext) -> bool:
    stack = list(definition.named_children)
    while stack:
        node = stack.pop()
        if node.type == "call" and ctx.semantic.qualified_name(nodes.callee(node)) in ATOMIC:
            return not _other_alias(node)
        stack.extend(node.named_children)
    return False


def _decorated(function: Node, ctx: PythonContext) -> Holder | None:
    name = text(function.child_by_field_name("name"))
    for decorator in nodes.decorators(function):
        call = decorator if decorator.type == "call" else None
        target = nodes.callee(decorator) if call is not None else decorator
        qualified = ctx.semantic.qualified_name(target)
        written = " ".join(text(target).split())
        if qualified in ATOMIC:
            if call is not None and _other_alias(call):
                return None
            line = nodes.line_of(decorator)
            return Holder("django", decorator, f"the `@{written}` function `{name}` (line {line})")
    return None
