"""Circuit breakers in Python (PYTHON.md §2 WL202): whether a request runs inside one.

Libraries: pybreaker and aiobreaker (``breaker = CircuitBreaker(fail_max=5, reset_timeout=60)``
at module level, used as ``@breaker``, ``with breaker.calling():`` or ``breaker.call(f, ...)``/
``await breaker.call_async(f, ...)``), circuitbreaker (``@circuit``, ``@circuit(...)``, or an
instance of a ``CircuitBreaker`` subclass as a decorator), purgatory (a breaker factory:
``@factory("name")`` and ``with factory.get_breaker("name"):``), and the project's own
wrappers the ``circuit-breakers`` setting names (a decorator, a context manager, or a function
given the call). A breaker is followed through names assigned once and across modules through
the project index. Retries (tenacity, backoff, Celery's ``autoretry_for``) are not breakers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

LIBRARIES = ("pybreaker", "circuitbreaker", "aiobreaker", "purgatory")
BREAKERS = frozenset(
    {"pybreaker.CircuitBreaker", "aiobreaker.CircuitBreaker", "circuitbreaker.CircuitBreaker",
     "purgatory.AsyncCircuitBreakerFactory", "purgatory.SyncCircuitBreakerFactory"}
)  # fmt: skip
DECORATORS = frozenset({"circuitbreaker.circuit"})
_CONTEXTS = frozenset({"calling", "get_breaker"})
_CALLS = frozenset({"call", "call_async"})
_FUNCTIONS = frozenset({"function_definition"})


def protected(call: Node, ctx: PythonContext) -> str | None:
    """How a request is covered by a breaker (for ``--verbose``), or None."""
    wrappers = tuple(ctx.settings.circuit_breakers)
    current = call.parent
    while current is not None:
        if current.type == "with_statement":
            how = _with_breaker(current, ctx, wrappers)
            if how is not None:
                return how
        if current.type == "call" and _wrapper_call(current, ctx, wrappers):
            return f"inside `{text(nodes.callee(current))}(...)`"
        if current.type == "function_definition":
            how = _decorated(current, ctx, wrappers) or _passed_to_breaker(current, ctx)
            if how is not None:
                return how
        current = current.parent
    return None


def is_breaker(expr: Node | None, ctx: PythonContext, depth: int = 0) -> bool:
    """Whether an expression holds a breaker (or a purgatory factory)."""
    if expr is None or depth > 4:
        return False
    value = ctx.semantic.value_of(expr)
    if value.type == "call":
        return _breaker_class(ctx.semantic.qualified_name(nodes.callee(value)), ctx)
    qualified = ctx.semantic.qualified_name(value)
    if qualified is None:
        return False
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "assignment" or target.rest:
        return False
    assignment = target.facts.assignment(target.name)
    if assignment is None or assignment.call is None or assignment.call.name is None:
        return False
    return _breaker_class(ctx.index.absolute(assignment.call.name, target.relpath), ctx)


def _breaker_class(qualified: str | None, ctx: PythonContext) -> bool:
    if qualified is None:
        return False
    if qualified in BREAKERS:
        return True
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "class" or target.rest:
        return False
    return bool(BREAKERS & set(ctx.index.class_bases(target.relpath, target.name)))


def _configured(expr: Node | None, ctx: PythonContext, wrappers: tuple[str, ...]) -> bool:
    if expr is None or not wrappers:
        return False
    written = nodes.dotted(expr) or ""
    qualified = ctx.semantic.qualified_name(expr) or ""
    return any(w in (written, qualified) or qualified.endswith("." + w) for w in wrappers)


def _with_breaker(statement: Node, ctx: PythonContext, wrappers: tuple[str, ...]) -> str | None:
    clause = next((c for c in statement.named_children if c.type == "with_clause"), None)
    for item in clause.named_children if clause is not None else []:
        value = item.child_by_field_name("value")
        if value is not None and value.type == "as_pattern":
            value = value.named_children[0] if value.named_children else None
        if value is not None and value.type == "await":
            value = value.named_children[0] if value.named_children else None
        if value is None or value.type != "call":
            continue
        if nodes.call_name(value) in _CONTEXTS and is_breaker(nodes.receiver(value), ctx):
            return f"inside `with {text(value)}`"
        if _configured(nodes.callee(value), ctx, wrappers):
            return f"inside `with {text(value)}` (the `circuit-breakers` setting)"
    return None


def _wrapper_call(call: Node, ctx: PythonContext, wrappers: tuple[str, ...]) -> bool:
    return _configured(nodes.callee(call), ctx, wrappers)


def _decorated(function: Node, ctx: PythonContext, wrappers: tuple[str, ...]) -> str | None:
    for decorator in nodes.decorators(function):
        target = nodes.callee(decorator) if decorator.type == "call" else decorator
        qualified = ctx.semantic.qualified_name(target)
        shown = f"in a function decorated with `@{text(decorator)}`"
        if qualified in DECORATORS or _configured(target, ctx, wrappers):
            return shown
        if is_breaker(target, ctx):  # ``@breaker``, ``@factory("name")``
            return shown
        if decorator.type == "call" and _breaker_class(qualified, ctx):  # ``@MyBreaker()``
            return shown
    return None


def _passed_to_breaker(function: Node, ctx: PythonContext) -> str | None:
    """A function given to ``breaker.call(f, ...)``/``call_async`` in this module."""
    name = function.child_by_field_name("name")
    if name is None:
        return None
    written = text(name)
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call" and nodes.call_name(node) in _CALLS:
            args = nodes.arguments(node)
            given = bool(args) and text(args[0]) in (written, f"self.{written}")
            if given and is_breaker(nodes.receiver(node), ctx):
                return f"in `{written}`, which `{text(nodes.callee(node))}` runs"
        stack.extend(node.named_children)
    return None
