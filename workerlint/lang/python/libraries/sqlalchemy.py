"""SQLAlchemy queries as ``Relation`` facts (PYTHON.md §2 WL301/WL302).

Two shapes: the legacy ``session.query(M)`` followed by query methods (``filter``, ``filter_by``,
``join``, ``order_by``, ``options``...), and 2.0's ``session.execute(select(M)...)`` /
``session.scalars(select(M)...)`` with ``.scalars()``, awaited or not (``AsyncSession``), also
through locals (``result = await session.execute(stmt)``). The session is any receiver written with
``session`` in its name (``session``, ``db.session``, ``self.session``, ``Session``).

A query is **bounded** by ``limit``, a slice, ``yield_per`` (rows streamed in batches),
``execution_options(stream_results=True)`` or ``(yield_per=n)``, ``get``/``first``/``one``/
``one_or_none``/``scalar``, or a ``filter_by(id=x)``/``filter(M.id == x)``; **scoped to one
parent** by ``filter_by(<name>_id=x)`` or ``filter(M.<name>_id == x)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Relation
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries.memo import relation_once
from workerlint.lang.python.nodes import text
from workerlint.lang.shown import shorten

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

QUERY = frozenset(
    {"filter", "filter_by", "where", "join", "outerjoin", "order_by", "options", "group_by",
     "having", "distinct", "select_from", "with_entities", "correlate", "add_columns",
     "execution_options", "params", "enable_eagerloads", "populate_existing", "offset",
     "join_from", "outerjoin_from", "with_for_update", "unique", "scalars", "mappings"}
)  # fmt: skip
BOUNDING = frozenset({"limit", "yield_per", "slice", "fetch", "partitions"})
ENDING = frozenset(
    {"first", "one", "one_or_none", "get", "scalar", "scalar_one", "scalar_one_or_none",
     "count", "exists"}
)  # fmt: skip
STREAMING = frozenset({"stream_results", "yield_per", "max_row_buffer"})
MAX_DEPTH = 6
MAX_SHOWN = 60


def relation_chain(expr: Node | None, ctx: PythonContext) -> Relation | None:
    """The query ``expr`` is, or None; computed once per expression and file."""
    return relation_once("sqlalchemy-relation", expr, ctx, _chain)


def _steps(expr: Node) -> tuple[list[Node], Node | None]:
    """The method calls and slices on a base (outermost last), and the base call."""
    steps: list[Node] = []
    node: Node | None = expr
    while node is not None:
        node = _awaited(node)
        name = _name(node)
        if node.type == "subscript":
            steps.append(node)
            node = node.child_by_field_name("value")
        elif node.type == "call" and (
            name not in ("query", "execute", "scalars", "select")
            or (name == "scalars" and not nodes.arguments(node))
        ):
            if nodes.receiver(node) is None:
                return steps, None
            steps.append(node)
            node = nodes.receiver(node)
        else:
            break
    steps.reverse()
    return steps, node


def _awaited(node: Node) -> Node:
    """The expression an ``await`` waits for (``AsyncSession.execute``), unwrapped."""
    node = nodes.unwrap(node)
    while node.type == "await" and node.named_children:
        node = nodes.unwrap(node.named_children[0])
    return node


def _chain(expr: Node, ctx: PythonContext, depth: int) -> Relation | None:
    steps, base = _steps(expr)
    if base is None or depth > MAX_DEPTH:
        return None
    base = _awaited(base)
    names = [_name(s) for s in steps]
    if any(n not in QUERY and n not in BOUNDING and n not in ENDING and n != "[]" for n in names):
        return None
    if any(n in ENDING for n in names[:-1]):
        return None
    if base.type == "identifier":
        value = ctx.semantic.value_of(base)
        if value is base:
            return None
        inner = _chain(value, ctx, depth + 1)
        if inner is None or any(n in ENDING for n in inner.methods):
            return None
        line = (ctx.semantic.binding_of(base) or _never()).node.start_point.row + 1
        calls = (*inner.calls, *steps)
        shown = text(base) + "".join(_part(s) for s in steps)
        via = (text(base), line, shown)
        return _relation(inner.constant, inner.model, calls, len(inner.calls), via)
    found = _base(base, ctx)
    if found is None:
        return None
    constant, model, base_steps = found
    return _relation(constant, model, (*base_steps, *steps), len(base_steps), None)


def _never() -> Node:
    raise LookupError("a local with a value has a binding")


def _base(base: Node, ctx: PythonContext) -> tuple[str, str | None, tuple[Node, ...]] | None:
    """``session.query(M)``, ``session.execute(<select>)``, ``session.scalars(<select>)``, or a
    ``select(M)`` statement: (shown, the model's qualified name, the statement's steps)."""
    name = _name(base)
    recv = nodes.receiver(base)
    args = nodes.arguments(base)
    if name == "query" and recv is not None and _session(recv) and args:
        model = ctx.semantic.qualified_name(args[0])
        written = f"{_shown(recv)}.query({_shown(args[0])})"
        return written, model, ()
    if name in ("execute", "scalars") and recv is not None and _session(recv) and args:
        statement = _select(args[0], ctx)
        if statement is None:
            return None
        model, steps, shown = statement
        return f"{_shown(recv)}.{name}({shown})", model, (*steps, base)
    return None


def _select(
    node: Node, ctx: PythonContext, depth: int = 0
) -> tuple[str | None, tuple[Node, ...], str] | None:
    """A ``select(M)...`` statement, through a local: (model, its steps, how it is written)."""
    node = nodes.unwrap(node)
    if node.type == "identifier" and depth < MAX_DEPTH:
        value = ctx.semantic.value_of(node)
        return None if value is node else _select(value, ctx, depth + 1)
    steps, base = _steps(node)
    if base is None or base.type != "call" or _name(base) != "select":
        return None
    if ctx.semantic.qualified_name(nodes.callee(base)) not in (
        "sqlalchemy.select",
        "sqlalchemy.future.select",
        "sqlalchemy.sql.select",
        "sqlmodel.select",
    ):
        return None
    args = nodes.arguments(base)
    if not args:
        return None
    names = [_name(s) for s in steps]
    if any(n not in QUERY and n not in BOUNDING and n != "[]" for n in names):
        return None
    model = ctx.semantic.qualified_name(args[0])
    shown = f"select({_shown(args[0])})" + "".join(_part(s) for s in steps)
    return model, (base, *steps), shown


def _session(recv: Node) -> bool:
    recv = nodes.unwrap(recv)
    return recv.type in ("identifier", "attribute") and "session" in text(recv).lower()


def _relation(
    constant: str,
    model: str | None,
    calls: tuple[Node, ...],
    own: int,
    via: tuple[str, int, str] | None,
) -> Relation:
    """``own``: how many of ``calls`` the base (``constant``) already shows."""
    names = tuple(_name(c) for c in calls)
    bounded = any(n in BOUNDING or n in ENDING or n == "[]" for n in names)
    scoped = False
    for call, name in zip(calls, names, strict=True):
        if name == "execution_options" and STREAMING & set(nodes.keywords(call)):
            bounded = True
        elif name == "filter_by":
            keys = set(nodes.keywords(call))
            bounded = bounded or "id" in keys
            scoped = scoped or any(k.endswith("_id") for k in keys)
        elif name in ("filter", "where"):
            for arg in nodes.arguments(call):
                column = _equated_column(arg)
                bounded = bounded or column == "id"
                scoped = scoped or (column or "").endswith("_id")
    written = constant + "".join(_part(c) for c in calls[own:])
    local = line = None
    shown = written
    if via is not None:
        local, line, shown = via
    return Relation(
        constant=constant,
        model=model,
        calls=calls,
        methods=names,
        bounded=bounded,
        ordered="order_by" in names,
        written=_short(written),
        scoped=scoped,
        local=local,
        local_line=line,
        shown=_short(shown),
    )


def _equated_column(arg: Node) -> str | None:
    """``M.x == value``: ``x``; else None."""
    arg = nodes.unwrap(arg)
    if arg.type != "comparison_operator" or len(arg.named_children) != 2:
        return None
    if not any(text(c) == "==" for c in arg.children):
        return None
    left = nodes.unwrap(arg.named_children[0])
    if left.type != "attribute":
        return None
    return text(left.child_by_field_name("attribute"))


def _name(node: Node) -> str:
    if node.type == "subscript":
        return "[]"
    if node.type != "call":
        return ""
    return nodes.call_name(node) or ""


def _part(step: Node) -> str:
    if step.type == "subscript":
        return "[...]"
    args = step.child_by_field_name("arguments")
    has = args is not None and any(c.type != "comment" for c in args.named_children)
    return f".{_name(step)}" + ("(...)" if has else "()")


def _shown(node: Node) -> str:
    return nodes.describe(node, 30)


def _short(written: str) -> str:
    return shorten(written, MAX_SHOWN)
