from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.relations import Chain, relation_chain
from workerlint.project.context import FileContext
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

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
                return None if chain.bounded else chain
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

    A relation chain is bounded, and not reported, when it has `limit`, `take`, `first(n)`, a
    batch method or a `where` on the primary key. `perform_bulk` and `push_bulk`, which take
    one argument list per job, are not reported.

    ## Why is this bad?
    The argument grows with the table: one job carries every matching id. The payload is
    serialized into Redis and sits there while the job waits, again for every retry (up to 25
    by default, about 21 days) and in the Dead set after; Redis memory grows with it, and the
    job that processes all the ids in one run cannot finish within a deploy's shutdown grace
    period once the table is large. A failure part way retries the whole batch.

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
    `Sidekiq::Client.push_bulk` before), or `ActiveJob.perform_all_later` for ActiveJob classes.
    It is never applied by `--fix`: the job then runs once per slice instead of once for
    everything, which only a person can check (totals, "all done" notifications).
    """

    code = "WL404"
    name = "unbounded-job-payload"
    level = Level.WARNING
    summary = "A whole collection passed as one job argument: the payload grows with the table."
    fix_availability = "always"
    suggestion_only = True
    tags = ("arguments", "redis", "memory")
    worker_code_only = False
    call_methods = enqueue.SIDEKIQ_ONE | {"push"} | enqueue.ACTIVE_JOB_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        found = enqueue.classify(node, ctx)
        if found is None:
            return
        for arg in found.job_args:
            what = self._collection(arg, node, ctx)
            if what is None:
                continue
            span = Span(*nodes.call_span(node))
            bulk = _bulk(found, ctx)
            message = (
                f"`{found.label}` passes {what} as one argument: the job payload grows with "
                f"the table and sits in Redis for every retry; enqueue slices of ids with {bulk}"
            )
            edit = _suggestion(found, arg, ctx)
            if edit is not None:
                title = f"enqueue one job per 100 ids: `{' '.join(edit.content.split())}`"
                fix = Fix(Applicability.DISPLAY_ONLY, title, (edit,))
            else:
                fix = Fix(Applicability.DISPLAY_ONLY, f"enqueue slices with {bulk}", ())
            ctx.report(span, message, fix=fix)
            return

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


def _bulk(found: enqueue.Enqueue, ctx: FileContext) -> str:
    slices = "ids.each_slice(100)"
    job = found.job or "Job"
    return enqueue.bulk_hint(
        found,
        ctx,
        args=f"{slices}.map {{ |slice| [slice] }}",
        jobs=f"{slices}.map {{ |slice| {job}.new(slice) }}",
        times="time",
    )


_FILES = {
    **gemfile_lock("7.2.4"),
    "app/models/application_record.rb": (
        "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n"
    ),
    "app/models/invoice.rb": (
        "class Invoice < ApplicationRecord\n"
        '  scope :unpaid, -> { where(status: "unpaid") }\n'
        "  scope :recent, -> { order(created_at: :desc).limit(50) }\n"
        "end\n"
    ),
    "app/models/account.rb": "class Account < ApplicationRecord\n  has_many :invoices\nend\n",
    "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
    "app/jobs/export_job.rb": "class ExportJob < ApplicationJob\n  def perform(ids); end\nend\n",
    "app/workers/remind_worker.rb": (
        "class RemindWorker\n  include Sidekiq::Job\n\n  def perform(ids); end\nend\n"
    ),
}
_BIG = "[" + ", ".join(str(n) for n in range(1, 102)) + "]"

UnboundedJobPayload.VALID = (
    # One job per id, pushed in bulk.
    Valid(
        """\
class ReminderScheduler
  def call
    ids = Invoice.unpaid.pluck(:id)
    RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # Bounded chains: limit, a bounded scope, a where on the primary key, batches.
    Valid(
        """\
class ReminderScheduler
  def call(ids)
    RemindWorker.perform_async(Invoice.unpaid.limit(500).pluck(:id))
    RemindWorker.perform_async(Invoice.recent.ids)
    RemindWorker.perform_async(Invoice.where(id: ids).pluck(:id))
    Invoice.unpaid.in_batches(of: 500) { |batch| RemindWorker.perform_bulk([[batch.ids]]) }
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # Associations through a local are scoped to one record; a local collection is not known.
    Valid(
        """\
class AccountsController < ApplicationController
  def remind
    account = Account.find(params[:id])
    RemindWorker.perform_async(account.invoices.pluck(:id))
    RemindWorker.perform_async(params[:invoice_ids])
  end
end
""",
        path="app/controllers/accounts_controller.rb",
        files=_FILES,
    ),
    # A single value from a relation, or a count.
    Valid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.count)
    RemindWorker.perform_async(Invoice.unpaid.maximum(:id))
    RemindWorker.perform_async(Invoice.unpaid.pick(:id))
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # A literal of 100 elements or fewer.
    Valid(
        """\
class ReminderScheduler
  CODES = %w[a b c].freeze

  def call
    RemindWorker.perform_async([1, 2, 3], CODES)
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # A local reassigned to a slice before the enqueue.
    Valid(
        """\
class ReminderScheduler
  def call
    ids = Invoice.unpaid.pluck(:id)
    ids = ids.first(100)
    RemindWorker.perform_async(ids)
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # Not a relation: an API's list call, a constant list.
    Valid(
        """\
class StripeSyncWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Stripe::Invoice.all.map(&:id))
    RemindWorker.perform_async(Invoice::STATUSES.to_a)
  end
end
""",
        files=_FILES,
    ),
    # The schedule of perform_in is not a job argument; perform_bulk takes lists by design.
    Valid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_in(5.minutes, "all")
    RemindWorker.perform_bulk(Invoice.unpaid.pluck(:id).map { |id| [id] })
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # A size, and slices enqueued one by one (WL601's business, not a whole collection each).
    Valid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.pluck(:id).size)
    Invoice.unpaid.pluck(:id).each_slice(100) { |ids| RemindWorker.perform_async(ids) }
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # An enqueue on an object that is not a job class: the local comes from another method.
    Valid(
        """\
class ReminderScheduler
  def ids
    Invoice.unpaid.pluck(:id)
  end

  def call
    queue.push(Invoice.unpaid.pluck(:id))
    RemindWorker.perform_async(ids)
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
)

UnboundedJobPayload.INVALID = (
    Invalid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.where(status: "unpaid").pluck(:id))
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.where(status: "unpaid").pluck(:id)` (one value per row of `Invoice.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
        fixed="""\
class ReminderScheduler
  def call
    RemindWorker.perform_bulk(Invoice.where(status: "unpaid").pluck(:id).each_slice(100).map { |slice| [slice] })
  end
end
""",
    ),
    # Through a local of the same method, and after uniq/compact.
    Invalid(
        """\
class InvoicesController < ApplicationController
  def remind_all
    ids = Invoice.unpaid.ids
    RemindWorker.perform_async(ids)
                 ^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `ids` (one value per row of `Invoice.unpaid`, line 3) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
    RemindWorker.set(queue: "low").perform_in(1.hour, Invoice.unpaid.pluck(:account_id).uniq)
                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_in` passes `Invoice.unpaid.pluck(:account_id).uniq` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => ids.each_slice(100).map { |slice| [slice] }, "at" => time)`
  end
end
""",
        path="app/controllers/invoices_controller.rb",
        files=_FILES,
    ),
    # map and to_a load every row; the payload holds them all.
    Invalid(
        """\
class ExportWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Invoice.all.map(&:id), "export")
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.all.map(&:id)` (one value per row of `Invoice.all`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
    RemindWorker.perform_async(Invoice.unpaid.to_a.map(&:number))
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.unpaid.to_a.map(&:number)` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
  end
end
""",
        files=_FILES,
    ),
    # ActiveJob payloads sit in Redis too (with the Sidekiq adapter).
    Invalid(
        """\
class Account < ApplicationRecord
  def export_everything
    ExportJob.perform_later(Invoice.where(account_id: id).pluck(:id))
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ExportJob.perform_later` passes `Invoice.where(account_id: id).pluck(:id)` (one value per row of `Invoice.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `ActiveJob.perform_all_later(ids.each_slice(100).map { |slice| ExportJob.new(slice) })`
  end
end
""",
        path="app/models/account.rb",
        files={k: v for k, v in _FILES.items() if k != "app/models/account.rb"},
        fixed="""\
class Account < ApplicationRecord
  def export_everything
    ActiveJob.perform_all_later(Invoice.where(account_id: id).pluck(:id).each_slice(100).map { |slice| ExportJob.new(slice) })
  end
end
""",
    ),
    # A literal with more than 100 elements.
    Invalid(
        "class BackfillWorker\n  include Sidekiq::Job\n\n  def perform\n"
        f"    RemindWorker.perform_async({_BIG})\n"
        f"                 {'^' * (len(_BIG) + 15)} `RemindWorker.perform_async` passes a "
        "literal Array of 101 elements (more than 100) as one argument: the job payload grows "
        "with the table and sits in Redis for every retry; enqueue slices of ids with "
        "`RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`\n"
        "  end\nend\n",
        files=_FILES,
    ),
    # Before Sidekiq 6.3: Sidekiq::Client.push_bulk.
    Invalid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.pluck(:id))
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.unpaid.pluck(:id)` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => ids.each_slice(100).map { |slice| [slice] })` (`perform_bulk` needs Sidekiq 6.3, this is Sidekiq 6.2.1)
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files={**_FILES, **gemfile_lock("6.2.1")},
        fixed="""\
class ReminderScheduler
  def call
    Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => Invoice.unpaid.pluck(:id).each_slice(100).map { |slice| [slice] })
  end
end
""",
    ),
    # A model that is not defined in the project counts when the chain has a real query.
    Invalid(
        """\
class LegacyWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Legacy::Customer.where(active: true).pluck(:id))
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Legacy::Customer.where(active: true).pluck(:id)` (one value per row of `Legacy::Customer.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
  end
end
""",
        files=_FILES,
    ),
    # Sidekiq::Client.push with the collection inside "args".
    Invalid(
        """\
class ReminderScheduler
  def call
    Sidekiq::Client.push("class" => RemindWorker, "args" => [Invoice.unpaid.ids])
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Sidekiq::Client.push` passes `Invoice.unpaid.ids` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # Scheduled: push_bulk with "at"; every record of the relation in one payload.
    Invalid(
        """\
class ReminderScheduler
  def call
    RemindWorker.perform_at(Date.tomorrow.noon, Invoice.unpaid.to_a)
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_at` passes `Invoice.unpaid.to_a` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => ids.each_slice(100).map { |slice| [slice] }, "at" => time)`
  end
end
""",
        path="app/services/reminder_scheduler.rb",
        files=_FILES,
    ),
    # ActiveJob through a local and set(wait:).
    Invalid(
        """\
class InvoicesController < ApplicationController
  def export
    ids = Invoice.unpaid.order(:created_at).pluck(:id).compact
    ExportJob.set(wait: 1.minute).perform_later(ids)
                                  ^^^^^^^^^^^^^^^^^^ `ExportJob.perform_later` passes `ids` (one value per row of `Invoice.unpaid.order(...)`, line 3) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `ActiveJob.perform_all_later(ids.each_slice(100).map { |slice| ExportJob.new(slice) })`
  end
end
""",
        path="app/controllers/invoices_controller.rb",
        files=_FILES,
    ),
)
