"""WL301's Ruby check: iterating an unbounded relation in worker code loads every row into memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.iteration import ROW_ITERATORS
from workerlint.lang.ruby.pending import pending_set
from workerlint.lang.ruby.relations import Chain, many_rows, phrase, relation_chain
from workerlint.lang.ruby.size import shared

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext

ITERATORS = ROW_ITERATORS
NO_FIX_WITH = frozenset({"order", "reorder", "group", "having", "distinct"})
# What to do instead, where plain `find_each` is not the whole answer.
_COLLECT = "batch it with `find_each`, or `pluck` only the columns it needs"
_HINTS = {
    "map": _COLLECT,
    "collect": _COLLECT,
    "flat_map": _COLLECT,
    "select": "filter in SQL with `where`, or batch it with `find_each`",
    "filter": "filter in SQL with `where`, or batch it with `find_each`",
    "reject": "filter in SQL with `where.not`, or batch it with `find_each`",
    "sum": "sum in SQL with `sum(:column)`, or batch it with `find_each`",
}


class RubyIterationCheck(LanguageCheck):
    call_names = ITERATORS

    def visit(self, node: Node, ctx: FileContext) -> None:
        name = nodes.method_name(node) or ""
        args = nodes.arguments(node)
        has_block = nodes.block(node) is not None or any(a.type == "block_argument" for a in args)
        if not has_block:
            return
        chain = relation_chain(nodes.receiver(node), ctx)
        if chain is None or not chain.unbounded:
            return
        span = Span(*nodes.call_span(node))
        drained = pending_set(node, ctx)
        if drained is not None:
            message = (
                f"{phrase(chain, '.' + name)} loads every matching row into memory, but it walks "
                f"a pending set: the loop moves each row out of it (`{drained.move}`), so each "
                "run loads only the rows that arrived since the last (how many is the arrival "
                "rate, not known): a note; if a backlog can build up, "
            )
            level: Level | None = Level.NOTE
        elif chain.shared is not None:
            message = (
                f"{phrase(chain, '.' + name)} loads {shared(chain.shared)} into memory at once; "
                "if one value can have many rows, "
            )
            level = Level.NOTE
        elif many_rows(chain, ctx) is None:
            model = (chain.model or chain.constant).removeprefix("::")
            message = (
                f"{phrase(chain, '.' + name)} loads every matching row into memory; how many is "
                f"not known: the chain is filtered and nothing in the project batches `{model}`, "
                "so this is a note; if the set can grow, "
            )
            level = Level.NOTE
        else:
            message = f"{phrase(chain, '.' + name)} loads every matching row into memory; "
            level = None
        if chain.ordered:
            message += "`find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`"
        else:
            message += _HINTS.get(name, "batch it with `find_each`")
        ctx.report(span, message, fix=self._fix(node, name, chain), level=level)

    def _fix(self, node: Node, name: str, chain: Chain) -> Fix | None:
        if name != "each" or nodes.block(node) is None or nodes.arguments(node):
            return None
        if NO_FIX_WITH & set(chain.methods):
            return None
        method = node.child_by_field_name("method")
        receiver = nodes.receiver(node)
        assert method is not None and receiver is not None
        title = "use `find_each`, which loads 1,000 rows at a time"
        if nodes.method_name(receiver) == "all" and not nodes.arguments(receiver):
            inner = nodes.receiver(receiver)
            assert inner is not None
            edit = Edit(inner.end_byte, method.end_byte, ".find_each")
        else:
            edit = Edit(method.start_byte, method.end_byte, "find_each")
        return Fix(Applicability.UNSAFE, title, (edit,))
