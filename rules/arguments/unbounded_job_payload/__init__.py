from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, FolderCheck, Level, Rule, Span
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.provenance.analysis import may_read_request, of_context
from workerlint.lang.ruby.relations import Chain, relation_chain
from workerlint.lang.ruby.senders import authenticated_sender
from workerlint.lang.ruby.shown import one_line
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

# Methods that turn a relation into one in-memory collection.
COLLECTING = frozenset({"pluck", "ids", "to_a", "map", "collect", "load", "records"})
# Array methods that keep a collection a collection of about the same size.
ARRAY_KEEPING = frozenset(
    {"uniq", "compact", "sort", "flatten", "to_a", "map", "collect", "reverse", "shuffle",
     "sort_by", "as_json", "to_json"}
)  # fmt: skip
MAX_LITERAL = 100
FLOODING = 770  # CWE-770: allocation of resources without limits
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


class UnboundedJobPayload(Rule):
    """## What it does
    Reports an enqueue (Sidekiq's `perform_async`, `perform_in`, `perform_at`,
    `Sidekiq::Client.push`, or ActiveJob's `perform_later`) that passes a whole collection as
    one job argument: `pluck`, `ids`, `to_a` or `map` on an unbounded relation chain (also
    through `uniq`, `compact`, `sort`... and through a local assigned from one in the same
    method), or a literal Array or Hash of more than 100 elements.

    Only unbounded chains count (see WL301): not one with `limit`, `take`, `first(n)`, a batch
    method, a `where` on the primary key or on a bounding list, a rolling time window, a
    slice of time (a column equal to one time relative to now), nor one
    scoped to one parent (`where(account_id: id)`); a local assigned a chain once in the same
    method is that chain. `perform_bulk` and `push_bulk`, which take one argument list per
    job, are not reported.

    Also request input of any size passed with no size check before the enqueue: the request
    body or a value parsed from it (`request.body.read`, `request.raw_post`,
    `JSON.parse(request.body.read)["data"]`), a request parameter used as a list
    (`params.permit(ids: [])`, `params[:ids].split(",")`, `Array(params[:ids])`), or the whole
    parameters (`params.to_unsafe_h`), followed through locals and methods of the class. A
    comparison of its `size`/`length`/`bytesize` with a literal on every path before the
    enqueue (`return head(:payload_too_large) if ids.size > 1000`), or a truncation
    (`first(n)`, `take(n)`, `[0, n]`), is a size check. A scalar parameter (`params[:kind]`)
    is not reported.

    Request input from an **authenticated sender** is a note: the controller action is
    guarded by a `before_action` of its own class (or `http_basic_authenticate_with`) that
    verifies the sender, a known authentication (Devise's `authenticate_user!`,
    `doorkeeper_authorize!`) or a block or method that compares a signature or calls a
    verifier (`secure_compare`, `OpenSSL::HMAC`, `Aws::SNS::MessageVerifier`,
    `Stripe::Webhook.construct_event`, a method named like `verify_webhook_signature`), so
    only that sender sizes the payload. A filter with `if:`/`unless:`, one whose
    `only:`/`except:` leave the action out, one the class skips, and one of a parent
    controller do not count.

    In Python: `list(qs.values_list("id", flat=True))`, `[o.id for o in qs]`, `list(qs)` of an
    unbounded queryset (WL301's sense; a filter on a list of ids, `id__in=`/`pk__in=`, anywhere
    in the chain bounds it), directly or through a local, or a literal list, tuple, set or dict
    of more than 100 elements, given to `.delay`, `.apply_async`, `.s`, `.send`, `enqueue`...;
    the suggestion for Celery is `t.chunks(zip(ids), 100)`. Also the request body or a value
    parsed from it (`request.body`, `request.data`, `request.get_json()`,
    `json.loads(request.body)["rows"]`) or a list parameter (`request.POST.getlist(...)`,
    `request.args.getlist(...)`) passed with no `len(x)` check or `x[:n]` slice before the
    enqueue in the same function.

    ## Why is this bad?
    The argument grows with the table: one job carries every matching id. The payload is
    serialized into Redis and sits there while the job waits, again for every retry (up to 25
    by default, about 21 days) and in the Dead set after; Redis memory grows with it, and the
    job that processes all the ids in one run cannot finish within a deploy's shutdown grace
    period once the table is large. A failure part way retries the whole batch. A payload the
    request sizes lets whoever sends it fill Redis (CWE-770).

    ## Example
    ```ruby
    class ReminderScheduler
      def call
        ReminderWorker.perform_async(Invoice.where(status: "unpaid").pluck(:id))
      end
    end
    ```

    Use instead:
    ```ruby
    class ReminderScheduler
      def call
        ids = Invoice.where(status: "unpaid").pluck(:id)
        ReminderWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: enqueue one job per slice of 100 ids with `perform_bulk`
    (`Job.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`, Sidekiq 6.3+;
    `Sidekiq::Client.push_bulk` before, with the schedule as one `"at"` timestamp), or
    `ActiveJob.perform_all_later` for ActiveJob classes; it names the argument as written (as
    `ids` when it is longer than 40 characters or a literal). Request input (a body, a payload
    parsed from it) cannot be sliced: its suggestion is a size check before the enqueue, or
    accepting it only from an authenticated sender. It is never applied by `--fix`: the job then runs once per slice instead of once for
    everything, which only a person can check (totals, "all done" notifications).
    """

    code = "WL404"
    name = "unbounded-job-payload"
    level = Level.WARNING
    summary = "A whole collection passed as one job argument: the payload grows with the table."
    fix_availability = "always"
    suggestion_only = True
    tags = ("security", "arguments", "redis", "memory")
    # Only request input sizing the payload is a weakness (CWE-770); a table growing is not.
    cwe = (FLOODING,)
    cwe_on_every_finding = False
    # Medium: CVSS 3.1 AV:N/AC:L/PR:L/UI:N/C:N/I:N/A:H scores 6.5 (Redis memory exhausted by
    # anyone who can send the request).
    security_severity = 6.5
    worker_code_only = False
    call_methods = enqueue.SIDEKIQ_ONE | {"push"} | enqueue.ACTIVE_JOB_METHODS
    python = FolderCheck("UnboundedPayloadCheck")

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
