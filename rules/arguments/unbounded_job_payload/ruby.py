"""WL404's Ruby check: a whole collection, or request input of any size, as one job argument."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.rules.arguments.unbounded_job_payload import FLOODING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.provenance.analysis import may_read_request, of_context
from workerlint.lang.ruby.relations import relation_chain
from workerlint.lang.ruby.senders import authenticated_sender
from workerlint.lang.ruby.shown import one_line

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.relations import Chain
    from workerlint.project.context import FileContext

# Methods that turn a relation into one in-memory collection.
COLLECTING = frozenset({"pluck", "ids", "to_a", "map", "collect", "load", "records"})
# Array methods that keep a collection a collection of about the same size.
ARRAY_KEEPING = frozenset(
    {"uniq", "compact", "sort", "flatten", "to_a", "map", "collect", "reverse", "shuffle",
     "sort_by", "as_json", "to_json"}
)  # fmt: skip
MAX_LITERAL = 100
LITERALS = frozenset({"array", "string_array", "symbol_array", "hash"})
SLICE = 100


def collection_chain(expr: Node | None, ctx: FileContext) -> Chain | None:
    """The unbounded relation chain ``expr`` collects whole (``Order.where(..).pluck(:id)``)."""
    node = expr
    while node is not None and node.type == "call":
        name = method_name(node) or ""
        recv = nodes.receiver(node)
        if name in COLLECTING:
            chain = relation_chain(recv, ctx)
            if chain is not None:
                return chain if chain.unbounded else None
        if name not in ARRAY_KEEPING:
            return None
        node = recv
    return None


class RubyUnboundedPayloadCheck(LanguageCheck):
    worker_code_only = False
    call_names = enqueue.SIDEKIQ_ONE | {"push"} | enqueue.ACTIVE_JOB_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        found = enqueue.classify(node, ctx)
        if found is None:
            return
        if self._request_payload(found, ctx):
            return
        for arg in found.job_args:
            what = self._collection(arg, node, ctx)
            if what is None:
                continue
            span = Span(*nodes.call_span(node))
            written = one_line(text(arg))
            if arg.type not in ("identifier", "call", "instance_variable"):
                written = f"({written})"
            named = ""
            if len(written) > SHOWN or arg.type in LITERALS:
                written, named = "ids", " (`ids` = the argument)"
            bulk = _bulk(found, ctx, written) + named
            message = (
                f"`{found.label}` passes {what} as one argument: the job payload grows with "
                f"the table and sits in Redis for every retry; enqueue slices of ids with {bulk}"
            )
            edit = _suggestion(found, arg, ctx)
            if edit is not None:
                title = f"enqueue one job per 100 ids: `{one_line(edit.content)}`"
                fix = Fix(Applicability.DISPLAY_ONLY, title, (edit,))
            else:
                fix = Fix(Applicability.DISPLAY_ONLY, f"enqueue slices with {bulk}", ())
            ctx.report(span, message, fix=fix)
            return

    def _request_payload(self, found: enqueue.Enqueue, ctx: FileContext) -> bool:
        """Request input of any size passed with no size check before the enqueue (RULES.md,
        WL404): the body, a value parsed from it, a parameter used as a list, all parameters."""
        if found.bulk or ctx.tree is None or not may_read_request(ctx.data):
            return False
        analysis = of_context(ctx)
        for _, origin in analysis.payloads(found.call):
            note = analysis.note(origin)
            if note is None:
                continue
            message = (
                f"`{found.label}` passes request input of any size, `{origin.arg}` (line "
                f"{note.line}), with no size check before it: whoever sends the request sizes "
                "the job payload, which sits in Redis for every retry; check its size first "
                "(`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue "
                "slices"
            )
            title = (
                f"check the size of `{origin.arg}` (`.bytesize`/`.size` against a limit) before "
                f"the enqueue, or accept it only from an authenticated sender"
            )
            fix = Fix(Applicability.DISPLAY_ONLY, title, ())
            sender = authenticated_sender(found.call)
            level = None
            if sender is not None:  # only the verified sender sizes it: worth a look
                level = Level.NOTE
                message += f"; only an authenticated sender can send it ({sender.reason})"
            span = Span(*nodes.call_span(found.call))
            ctx.report(span, message, fix=fix, level=level, cwe=FLOODING)
            return True
        return False

    def _collection(self, arg: Node, call: Node, ctx: FileContext) -> str | None:
        if arg.type in LITERALS:
            count = sum(1 for c in arg.named_children if c.type != "comment")
            if count > MAX_LITERAL:
                kind = "Hash" if arg.type == "hash" else "Array"
                return f"a literal {kind} of {count} elements (more than {MAX_LITERAL})"
            return None
        chain = collection_chain(arg, ctx)
        if chain is not None:
            return f"`{enqueue.describe(arg, 60)}` (one value per row of `{chain.describe()}`)"
        if arg.type == "identifier" and ctx.method is not None:
            binding = ctx.semantic.binding_of(arg)
            value = binding.value if binding is not None else None
            chain = collection_chain(value, ctx)
            if chain is not None and value is not None:
                line = value.start_point[0] + 1
                return f"`{text(arg)}` (one value per row of `{chain.describe()}`, line {line})"
        return None


def _suggestion(found: enqueue.Enqueue, arg: Node, ctx: FileContext) -> Edit | None:
    """``Job.perform_async(ids)`` -> ``Job.perform_bulk(ids.each_slice(100).map { |slice| [slice] })``."""
    call = found.call
    args = nodes.arguments(call)
    if arg not in args or any(a.type in ("block_argument", "pair") for a in args):
        return None
    row = ", ".join("slice" if a == arg else text(a) for a in args)
    collection = text(arg) if arg.type in ("identifier", "call", "array") else f"({text(arg)})"
    new = enqueue.bulk_push(found, ctx, f"{collection}.each_slice({SLICE})", "slice", row)
    return Edit(call.start_byte, call.end_byte, new) if new else None


SHOWN = 40  # the longest argument a suggestion repeats; a longer one is named `ids`


def _bulk(found: enqueue.Enqueue, ctx: FileContext, collection: str) -> str:
    """The bulk push of ``collection`` (the argument as written) in slices of 100; a scheduled
    push keeps its schedule as one timestamp for every job."""
    slices = f"{collection}.each_slice({SLICE})"
    job = found.job or "Job"
    schedule = found.schedule
    times = "Time.now.to_f"
    if schedule is not None:
        written = one_line(text(schedule))
        if schedule.type not in ("identifier", "call", "constant"):
            written = f"({written})"
        times = f"{written}.from_now.to_f" if found.method == "perform_in" else f"{written}.to_f"
    return enqueue.bulk_hint(
        found,
        ctx,
        args=f"{slices}.map {{ |slice| [slice] }}",
        jobs=f"{slices}.map {{ |slice| {job}.new(slice) }}",
        times=times,
    )
