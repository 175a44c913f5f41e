"""WL302's Python check: loading an unbounded Django queryset or SQLAlchemy query at once in task
code (PYTHON.md §2, §9): ``list(qs)``, ``len(qs)``, ``if qs:``/``bool(qs)``/``not qs``,
``in_bulk()`` without ids; SQLAlchemy ``.all()``, ``.scalars().all()``, ``.fetchall()``;
``pandas.read_sql`` without ``chunksize``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text
from workerlint.lang.python.relations import is_queryset, iterations_of, phrase, relation_chain

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.project.context import PythonFileContext

CHUNK = 2000
PANDAS = frozenset({"pandas.read_sql", "pandas.read_sql_query", "pandas.read_sql_table"})
LOADS = frozenset({"list", "tuple", "set", "sorted", "len", "bool"})
SQLALCHEMY_LOADS = frozenset({"all", "fetchall"})


class LoadCheck(LanguageCheck):
    call_names = (
        LOADS
        | SQLALCHEMY_LOADS
        | frozenset({"in_bulk", "read_sql", "read_sql_query", "read_sql_table"})
    )
    node_types = frozenset({"if_statement", "elif_clause", "not_operator"})

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if node.type == "call":
            name = nodes.call_name(node) or ""
            if name in LOADS:
                self._builtin(node, name, ctx)
            elif name in SQLALCHEMY_LOADS:
                self._sqlalchemy(node, name, ctx)
            elif name == "in_bulk":
                self._in_bulk(node, ctx)
            else:
                self._pandas(node, ctx)
            return
        if node.type == "not_operator":
            operand = node.child_by_field_name("argument")
            if operand is not None:
                self._truth(operand, "`not`", ctx)
            return
        condition = node.child_by_field_name("condition")
        if condition is not None:
            self._truth(condition, "`if`" if node.type == "if_statement" else "`elif`", ctx)

    def _builtin(self, node: Node, name: str, ctx: PythonFileContext) -> None:
        function = nodes.callee(node)
        args = nodes.arguments(node)
        if function is None or function.type != "identifier" or len(args) != 1:
            return
        if ctx.semantic.qualified_name(function) != name:
            return  # shadowed
        if name == "bool":
            self._truth(args[0], "`bool`", ctx)
            return
        chain = _unbounded(args[0], ctx)
        if chain is None:
            return
        if _iterated_before(args[0], ctx):
            return
        if name == "len":
            if _iterated_later(args[0], ctx):
                return  # the rows are loaded anyway; `len` reuses the result cache
            message = (
                f"`len()` of {phrase(chain)} loads every matching row to count them; "
                "`.count()` counts in SQL"
            )
            edits = (
                Edit(node.start_byte, args[0].start_byte, ""),
                Edit(args[0].end_byte, node.end_byte, ".count()"),
            )
            fix = Fix(Applicability.DISPLAY_ONLY, "count in SQL with `.count()`", edits)
            ctx.report(Span(node.start_byte, node.end_byte), message, fix=fix)
            return
        light = _flat_values(chain)
        what = "one value for every matching row" if light else "every matching row"
        hint = (
            f"iterate with `.iterator(chunk_size={CHUNK})` and work chunk by chunk, "
            "or bound the query with a slice"
            if is_queryset(args[0], ctx)
            else "stream it with `.yield_per(1000)`, or bound the query with `.limit(n)`"
        )
        message = f"`{name}()` of {phrase(chain)} loads {what} into memory at once; {hint}"
        ctx.report(
            Span(node.start_byte, node.end_byte), message, level=Level.NOTE if light else None
        )

    def _truth(self, operand: Node, how: str, ctx: PythonFileContext) -> None:
        operand = nodes.unwrap(operand)
        if operand.type == "not_operator":
            return  # reported on the `not` itself
        chain = _unbounded(operand, ctx)
        if chain is None or not is_queryset(operand, ctx):
            return
        if _iterated_later(operand, ctx) or _iterated_before(operand, ctx):
            return  # PYTHON.md §9: the rows are loaded anyway, and the result cache reused
        message = (
            f"{how} on {phrase(chain)} loads every matching row to test whether there is one; "
            "`.exists()` asks the database for one row"
        )
        edit = Edit(operand.end_byte, operand.end_byte, ".exists()")
        fix = Fix(Applicability.DISPLAY_ONLY, "test with `.exists()`", (edit,))
        ctx.report(Span(operand.start_byte, operand.end_byte), message, fix=fix)

    def _sqlalchemy(self, node: Node, name: str, ctx: PythonFileContext) -> None:
        receiver = nodes.receiver(node)
        if receiver is None or nodes.arguments(node) or is_queryset(receiver, ctx):
            return  # a Django `qs.all()` is still a lazy queryset
        chain = _unbounded(receiver, ctx)
        if chain is None:
            return
        message = (
            f"`.{name}()` on {phrase(chain)} loads every matching row into memory at once; "
            "stream it with `.yield_per(1000)` (`execution_options(yield_per=1000)` on a "
            "`select`), or bound it with `.limit(n)`"
        )
        ctx.report(Span(*nodes.call_span(node)), message)

    def _in_bulk(self, node: Node, ctx: PythonFileContext) -> None:
        if nodes.arguments(node) or nodes.keywords(node).get("id_list") is not None:
            return
        chain = relation_chain(node, ctx)
        if chain is None or not chain.unbounded:
            return
        message = (
            f"{phrase(chain)} loads every matching row into one dict in memory; pass the ids "
            "it needs (`in_bulk(ids)`), or iterate with `.iterator()`"
        )
        ctx.report(Span(*nodes.call_span(node)), message)

    def _pandas(self, node: Node, ctx: PythonFileContext) -> None:
        qualified = ctx.semantic.qualified_name(nodes.callee(node))
        if qualified not in PANDAS or "chunksize" in nodes.keywords(node):
            return
        if nodes.has_splat(node, double=True):
            return
        args = nodes.arguments(node)
        sql = nodes.string_value(args[0]) if args else None
        if sql is not None and " limit " in f" {sql.lower()} ":
            return  # the query bounds itself
        label = text(nodes.callee(node))
        message = (
            f"`{label}` without `chunksize` loads every row of the query into one DataFrame; "
            "pass `chunksize=` to read it in chunks"
        )
        ctx.report(Span(*nodes.call_span(node)), message)


def _unbounded(expr: Node, ctx: PythonFileContext) -> Relation | None:
    chain = relation_chain(expr, ctx)
    return chain if chain is not None and chain.unbounded else None


def _flat_values(chain: Relation) -> bool:
    """``values_list("id", flat=True)``: one value per row."""
    for call, name in zip(chain.calls, chain.methods, strict=True):
        if name == "values_list":
            flat = nodes.keywords(call).get("flat")
            return flat is not None and nodes.literal(flat) is True
    return False


def _iterated_later(expr: Node, ctx: PythonFileContext) -> bool:
    """Whether ``expr`` is a local that the same function iterates directly after it (a chain
    built on it is a new query: PYTHON.md §9)."""
    return any(n.start_byte > expr.start_byte for n in iterations_of(expr, ctx))


def _iterated_before(expr: Node, ctx: PythonFileContext) -> bool:
    """Whether the rows of the local ``expr`` were loaded by an iteration before it (WL301
    reports that one; this load reuses the result cache)."""
    return any(n.start_byte < expr.start_byte for n in iterations_of(expr, ctx))
