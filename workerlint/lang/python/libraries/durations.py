"""Durations written in code, in seconds, when they are constant: number literals and
arithmetic on them (``60 * 60 * 2``), names bound once to one (through the semantic model's
``value_of``), ``timedelta(hours=2)`` and its ``.total_seconds()``; and an ETA written as now
plus a constant (``timezone.now() + timedelta(hours=2)``). Nothing is evaluated beyond that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

TIMEDELTA = frozenset({"datetime.timedelta"})
NOW = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "django.utils.timezone.now",
        "arrow.utcnow",
        "arrow.now",
    }
)
UNITS = {
    "weeks": 604800,
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
    "milliseconds": 0.001,
    "microseconds": 0.000001,
}
MAX_DEPTH = 12


def seconds(node: Node | None, ctx: PythonContext, depth: int = 0) -> float | None:
    """The constant number of seconds an expression is, else None."""
    if node is None or depth > MAX_DEPTH:
        return None
    node = nodes.unwrap(node)
    value = nodes.literal(node)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if node.type == "identifier" or node.type == "attribute":
        built = ctx.semantic.value_of(node)
        if built is node or built.start_byte == node.start_byte:
            return None
        return seconds(built, ctx, depth + 1)
    if node.type == "binary_operator":
        left = seconds(node.child_by_field_name("left"), ctx, depth + 1)
        right = seconds(node.child_by_field_name("right"), ctx, depth + 1)
        if left is None or right is None:
            return None
        return _apply(nodes.text(node.child_by_field_name("operator")), left, right)
    if node.type == "call":
        delta = timedelta_seconds(node, ctx)
        if delta is not None:
            return delta
        if nodes.call_name(node) == "total_seconds" and not nodes.arguments(node):
            return timedelta_seconds(nodes.receiver(node), ctx, depth + 1)
        if nodes.text(nodes.callee(node)) in ("int", "float") and len(nodes.arguments(node)) == 1:
            return seconds(nodes.arguments(node)[0], ctx, depth + 1)
    return None


def timedelta_seconds(node: Node | None, ctx: PythonContext, depth: int = 0) -> float | None:
    """The seconds of a ``timedelta(...)`` with constant arguments, else None."""
    if node is None or depth > MAX_DEPTH:
        return None
    node = nodes.unwrap(ctx.semantic.value_of(nodes.unwrap(node)))
    if node.type != "call" or ctx.semantic.qualified_name(nodes.callee(node)) not in TIMEDELTA:
        return None
    total = 0.0
    positional = nodes.arguments(node)
    for unit, arg in zip(("days", "seconds", "microseconds"), positional, strict=False):
        value = seconds(arg, ctx, depth + 1)
        if value is None:
            return None
        total += value * UNITS[unit]
    if len(positional) > 3:
        return None
    for unit, arg in nodes.keywords(node).items():
        value = seconds(arg, ctx, depth + 1)
        if value is None or unit not in UNITS:
            return None
        total += value * UNITS[unit]
    return total


def eta_seconds(node: Node | None, ctx: PythonContext) -> float | None:
    """How far ahead an ETA written as now plus a constant lies (``now() + timedelta(hours=2)``,
    ``timedelta(hours=2) + now()``), else None."""
    if node is None:
        return None
    node = nodes.unwrap(ctx.semantic.value_of(nodes.unwrap(node)))
    if node.type != "binary_operator" or nodes.text(node.child_by_field_name("operator")) != "+":
        return None
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    for now, delta in ((left, right), (right, left)):
        if _is_now(now, ctx):
            found = timedelta_seconds(delta, ctx)
            if found is not None:
                return found
    return None


def _is_now(node: Node | None, ctx: PythonContext) -> bool:
    if node is None:
        return False
    node = nodes.unwrap(ctx.semantic.value_of(nodes.unwrap(node)))
    return node.type == "call" and ctx.semantic.qualified_name(nodes.callee(node)) in NOW


def _apply(operator: str, left: float, right: float) -> float | None:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator == "/" and right:
        return left / right
    if operator == "//" and right:
        return float(left // right)
    if operator == "**" and abs(right) <= 64:
        return float(left**right)
    return None


def describe(value: float) -> str:
    """``7200 s (2 hours)``, ``90 s``."""
    whole = int(value) if float(value).is_integer() else round(value, 1)
    if value >= 172800 and value % 86400 == 0:
        return f"{whole} s ({int(value // 86400)} days)"
    if value >= 7200 and value % 3600 == 0:
        return f"{whole} s ({int(value // 3600)} hours)"
    if value >= 120 and value % 60 == 0:
        return f"{whole} s ({int(value // 60)} minutes)"
    return f"{whole} s"
