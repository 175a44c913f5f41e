"""WL302's Ruby check: loading an unbounded relation at once in worker code holds every row in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS
from workerlint.lang.ruby.relations import Chain, many_rows, phrase, relation_or_model

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext

RECORDS = frozenset({"to_a", "load", "records"})
VALUES = frozenset({"pluck", "ids"})
SERIALIZE = frozenset({"as_json", "to_json"})
# Methods a bare model (`Order.pluck(:id)`) delegates to `all`.
DELEGATED = VALUES
# Iterations over the loaded values that can run batch by batch instead.
PER_BATCH = frozenset({"each", "each_slice", "each_with_index"})
NO_BATCH_WITH = frozenset({"order", "reorder", "group", "having", "distinct"})
BATCH = 1000


class RubyLoadCheck(LanguageCheck):
    call_names = RECORDS | VALUES | SERIALIZE

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type != "call":
            return
        name = nodes.method_name(node) or ""
        receiver = nodes.receiver(node)
        chain = relation_or_model(receiver, ctx)
        if chain is None or not chain.unbounded or (not chain.calls and name not in DELEGATED):
            return
        args = [a for a in nodes.arguments(node) if a.type != "block_argument"]
        if name == "pluck" and _subset_of_argument(chain, args):
            return
        if name in VALUES and _single_value(node):
            return  # `where(email: e).pluck(:id).first`: a lookup of one value (`pick` in SQL)
        if name in RECORDS and args:
            return  # `load(x)` with arguments is not Relation#load
        method = node.child_by_field_name("method")
        assert method is not None
        arg_list = nodes.argument_list(node)
        span = Span(
            method.start_byte, arg_list.end_byte if arg_list is not None else method.end_byte
        )
        call = phrase(chain, f".{name}{_args(node)}")
        light = name == "ids" or (name == "pluck" and len(args) == 1)
        stagger = _stagger(node)
        if name in VALUES:
            what = "one value for every matching row" if light else "every matching row"
            head = f"{call} loads {what} into memory at once"
            hint = "batch the work with `in_batches`, or bound the query with `limit`"
            if name == "pluck" and _in_where(node):
                hint = "pass a subquery instead (`select(...)` in place of `pluck(...)`)"
        elif name in SERIALIZE:
            into = "one string" if name == "to_json" else "one array of hashes"
            head = f"{call} serializes every matching row into {into} in memory at once"
            hint = "serialize batch by batch with `in_batches`, or bound the query with `limit`"
        else:
            head = f"{call} loads every matching row into memory at once"
            hint = "iterate with `find_each`, or bound the query with `limit`"
        if stagger is not None:  # batches would restart the index, and with it the delays
            hint = (
                f"the loop staggers its jobs by the index (line {stagger}), which batches would "
                "restart: bound the query with `limit`, or carry the offset across batches"
            )
        fix = _fix(node, name, chain) if stagger is None else None
        level = Level.NOTE if light else None
        if not light and many_rows(chain, ctx) is None:
            model = (chain.model or chain.constant).removeprefix("::")
            hint = (
                f"how many is not known: the chain is filtered and nothing in the project "
                f"batches `{model}`, so this is a note; if the set can grow, {hint}"
            )
            level = Level.NOTE
        ctx.report(span, f"{head}; {hint}", fix=fix, level=level)


def _subset_of_argument(chain: Chain, args: list[Node]) -> bool:
    """`distinct ... where(col: list).pluck(:col)`: at most one value per element of `list`."""
    if "distinct" not in chain.methods or len(args) != 1:
        return False
    column = nodes.literal_value(args[0])
    if not isinstance(column, str):
        return False
    for call, name in zip(chain.calls, chain.methods, strict=True):
        if name == "where" and column in nodes.option_pairs(nodes.arguments(call))[0]:
            return True
    return False


def _single_value(node: Node) -> bool:
    outer = node.parent
    if outer is None or outer.type != "call" or nodes.receiver(outer) != node:
        return False
    return nodes.method_name(outer) in ("first", "sole", "take") and not nodes.arguments(outer)


SCHEDULED = frozenset({"perform_in", "perform_at", "set"})


def _stagger(node: Node) -> int | None:
    """The line where the loop over the loaded values staggers jobs by its index
    (``pluck(:id).each_with_index { |id, i| W.perform_in(i * 5, id) }``), else None."""
    outer = node.parent
    if outer is None or outer.type != "call" or nodes.receiver(outer) != node:
        return None
    block = nodes.block(outer)
    if nodes.method_name(outer) == "each" and block is None:  # `each.with_index { }`
        outer = outer.parent
        if outer is None or outer.type != "call" or nodes.method_name(outer) != "with_index":
            return None
        block = nodes.block(outer)
    elif nodes.method_name(outer) != "each_with_index":
        return None
    params = nodes.block_params(block)
    if len(params) < 2 or block is None:
        return None
    index = params[1]
    for call in nodes.descendants(block):
        if call.type != "call" or nodes.method_name(call) not in SCHEDULED:
            continue
        args = nodes.arguments(call)
        if args and any(
            n.type == "identifier" and nodes.text(n) == index
            for n in (args[0], *nodes.descendants(args[0]))
        ):
            return call.start_point[0] + 1
    return None


def _args(node: Node) -> str:
    arg_list = nodes.argument_list(node)
    if arg_list is None:
        return ""
    written = nodes.text(arg_list)
    if not written.startswith("("):
        written = f"({written})"
    return written if len(written) <= 40 and "\n" not in written else "(...)"


def _in_where(node: Node) -> bool:
    """Whether a `pluck` is an argument of a `where` (its values go straight back into SQL)."""
    current = node.parent
    for _ in range(4):
        if current is None:
            return False
        if current.type == "call":
            return nodes.method_name(current) in ("where", "not", "rewhere")
        current = current.parent
    return False


def _fix(node: Node, name: str, chain: Chain) -> Fix:
    generic = Fix(
        Applicability.DISPLAY_ONLY,
        "batch it (`find_each`, `in_batches(of: 1000) { |batch| ... }`) or bound it with `limit`",
        (),
    )
    outer = node.parent
    if outer is None or outer.type != "call" or nodes.receiver(outer) != node:
        return generic
    iterate = nodes.method_name(outer) or ""
    statement = outer.parent is not None and outer.parent.type in STATEMENT_PARENTS
    block = nodes.block(outer)
    if iterate not in PER_BATCH or block is None or not statement:
        return generic
    if NO_BATCH_WITH & set(chain.methods):
        return generic
    if name in RECORDS and iterate == "each" and not nodes.arguments(outer):
        outer_method = outer.child_by_field_name("method")
        method = node.child_by_field_name("method")
        assert outer_method is not None and method is not None
        edit = Edit(method.start_byte, outer_method.end_byte, "find_each")
        return Fix(
            Applicability.DISPLAY_ONLY, "iterate with `find_each`, 1,000 rows at a time", (edit,)
        )
    if name not in VALUES:
        return generic
    method = node.child_by_field_name("method")
    assert method is not None
    edits = (
        Edit(method.start_byte, method.start_byte, f"in_batches(of: {BATCH}) {{ |batch| batch."),
        Edit(outer.end_byte, outer.end_byte, " }"),
    )
    title = (
        f"run the `{iterate}` batch by batch: `in_batches(of: {BATCH}) {{ |batch| "
        f"batch.{name}{_args(node)}.{iterate} ... }}` (rows in primary-key order)"
    )
    return Fix(Applicability.DISPLAY_ONLY, title, edits)
