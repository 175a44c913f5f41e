from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.iteration import ROW_ITERATORS
from workerlint.lang.ruby.relations import Chain, relation_chain
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

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


class UnbatchedRelationIteration(Rule):
    """## What it does
    Reports iterating an unbounded ActiveRecord relation in worker code with `each`,
    `each_with_index`, `each_with_object`, `map`, `flat_map`, `group_by`, `index_by`, or
    `select`/`filter`/`reject`/`sum` with a block.

    A relation chain is a constant followed only by query methods (`all`, `where`, `joins`,
    `order`, `includes`, ...) or scopes the model defines. It counts when the constant is a model
    of the project, or, when the constant is not defined in the project, when the chain has a
    query method other than `all` (so `Sidekiq::Queue.all.each` and `Stripe::Customer.all` are
    not relations). It is bounded, and not reported, when it has `limit`, `take`, `first(n)`,
    `find_each`, `find_in_batches`, `in_batches`, or a `where` on the primary key
    (`where(id: ids)`). Locals, associations through a local (`account.orders.each`) and
    constant lists (`STATUSES.each`) are not reported.

    ## Why is this bad?
    `each` on a relation loads every matching row into memory at once before the first
    iteration. A table that was small when the job was written grows; the worker's memory
    grows with it, and a Sidekiq process that runs several such jobs at once is killed for
    memory, taking every other running job with it.

    ## Example
    ```ruby
    class ReminderWorker
      include Sidekiq::Job

      def perform(account_id)
        Invoice.where(account_id: account_id).each do |invoice|
          invoice.remind!
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class ReminderWorker
      include Sidekiq::Job

      def perform(account_id)
        Invoice.where(account_id: account_id).find_each do |invoice|
          invoice.remind!
        end
      end
    end
    ```

    ## Fix safety
    The fix turns `each` into `find_each` (and `.all.each` into `.find_each`), which loads 1,000
    rows at a time. It is unsafe: `find_each` walks the rows in primary-key order and returns
    nil, not the relation. There is no fix when the chain has `order`/`reorder` (which
    `find_each` ignores), `group`, `having` or `distinct`, nor for `map` and the other
    iterators, whose results would have to be collected differently.
    """

    code = "WL301"
    name = "unbatched-relation-iteration"
    level = Level.WARNING
    summary = "Iterating an unbounded relation in worker code loads every row into memory."
    fix_availability = "sometimes"
    tags = ("memory", "database")
    call_methods = ITERATORS

    def visit(self, node: Node, ctx: FileContext) -> None:
        name = nodes.method_name(node) or ""
        args = nodes.arguments(node)
        has_block = nodes.block(node) is not None or any(a.type == "block_argument" for a in args)
        if not has_block:
            return
        chain = relation_chain(nodes.receiver(node), ctx)
        if chain is None or chain.bounded:
            return
        span = Span(*nodes.call_span(node))
        what = chain.describe()
        message = f"`{what}.{name}` loads every matching row into memory; "
        if chain.ordered:
            message += "`find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`"
        else:
            message += _HINTS.get(name, "batch it with `find_each`")
        ctx.report(span, message, fix=self._fix(node, name, chain))

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


_MODELS = {
    "app/models/application_record.rb": (
        "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n"
    ),
    "app/models/order.rb": (
        "class Order < ApplicationRecord\n"
        "  STATES = %w[pending paid refunded].freeze\n"
        '  scope :paid, -> { where(state: "paid") }\n'
        "  scope :latest, -> { order(id: :desc).limit(5) }\n"
        "  belongs_to :account\n"
        "\n"
        "  def self.stale\n"
        '    where("updated_at < ?", 1.day.ago)\n'
        "  end\n"
        "\n"
        "  class << self\n"
        "    def top\n"
        "      order(total_cents: :desc).limit(10)\n"
        "    end\n"
        "  end\n"
        "end\n"
    ),
    "app/models/account.rb": "class Account < ApplicationRecord\n  has_many :orders\nend\n",
    "app/models/billing/invoice.rb": (
        "module Billing\n  class Invoice < ApplicationRecord\n  end\nend\n"
    ),
    "app/models/report.rb": "class Report\n  def self.where(*) = []\nend\n",
}

UnbatchedRelationIteration.VALID = (
    Valid(
        """\
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).find_each { |order| order.remind! }
  end
end
""",
        files=_MODELS,
    ),
    # An association through a local is scoped to one parent record.
    Valid(
        """\
class AccountTotalsWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    account.orders.each { |order| order.recalculate! }
  end
end
""",
        files=_MODELS,
    ),
    # A constant list is not a relation.
    Valid(
        """\
class StateCountWorker
  include Sidekiq::Job

  def perform
    Order::STATES.each { |state| Rails.logger.info(state) }
    STATUSES.each { |status| Rails.logger.info(status) }
  end
end
""",
        files=_MODELS,
    ),
    Valid(
        """\
class RecentOrdersWorker
  include Sidekiq::Job

  def perform
    Order.paid.order(created_at: :desc).limit(100).each { |order| order.touch }
  end
end
""",
        files=_MODELS,
    ),
    # Scopes and scope-like class methods that limit their rows themselves.
    Valid(
        """\
class LeaderboardWorker
  include Sidekiq::Job

  def perform
    Order.latest.each { |order| order.touch }
    Order.top.map(&:total_cents)
  end
end
""",
        files=_MODELS,
    ),
    # A where on the primary key is bounded by its argument, in any of its spellings.
    Valid(
        """\
class ExportWorker
  include Sidekiq::Job

  def perform(order_ids)
    Order.where(id: order_ids).each { |order| order.export! }
    Order.where(orders: { id: order_ids }).each { |order| order.export! }
    Order.where("id IN (?)", order_ids).each { |order| order.export! }
    Order.where("orders.id = ANY(?)", order_ids).each { |order| order.export! }
  end
end
""",
        files=_MODELS,
    ),
    # Sidekiq::Queue is not defined in the project and has only `all`: not a relation.
    Valid(
        """\
class QueueReportWorker
  include Sidekiq::Job

  def perform
    Sidekiq::Queue.all.each { |queue| Rails.logger.info([queue.name, queue.size]) }
  end
end
""",
        files=_MODELS,
    ),
    # Report is a project class but not a model.
    Valid(
        """\
class ReportWorker
  include Sidekiq::Job

  def perform
    Report.where(kind: "daily").each { |row| row.deliver }
  end
end
""",
        files=_MODELS,
    ),
    # Not worker code: a model class method outside the worker folders.
    Valid(
        """\
class Order < ApplicationRecord
  def self.refresh_all
    where(state: "paid").each(&:refresh!)
    Order.where(state: "pending").each(&:refresh!)
  end
end
""",
        path="app/models/order.rb",
        files={k: v for k, v in _MODELS.items() if k != "app/models/order.rb"},
    ),
    # A local holding a relation, and aggregates without a block, are not reported.
    Valid(
        """\
class TotalsWorker
  include Sidekiq::Job

  def perform(account_id)
    orders = Order.where(account_id: account_id)
    orders.each { |order| order.touch }
    Order.where(account_id: account_id).sum(:total_cents)
    Order.where(account_id: account_id).select(:id, :total_cents)
    Order.where(account_id: account_id).find_in_batches { |batch| batch.size }
  end
end
""",
        files=_MODELS,
    ),
)

UnbatchedRelationIteration.INVALID = (
    # A SQL condition on another column is not bounded by its argument.
    Invalid(
        """\
class AccountSweepWorker
  include Sidekiq::Job

  def perform(account_ids)
    Order.where("account_id IN (?)", account_ids).each { |order| order.sweep! }
                                                  ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end
""",
        files=_MODELS,
        fixed="""\
class AccountSweepWorker
  include Sidekiq::Job

  def perform(account_ids)
    Order.where("account_id IN (?)", account_ids).find_each { |order| order.sweep! }
  end
end
""",
    ),
    Invalid(
        """\
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).each do |order|
                                        ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
      order.remind!
    end
  end
end
""",
        files=_MODELS,
        fixed="""\
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).find_each do |order|
      order.remind!
    end
  end
end
""",
    ),
    Invalid(
        """\
class ReindexWorker
  include Sidekiq::Job

  def perform
    Account.all.each { |account| account.reindex }
                ^^^^ `Account.all.each` loads every matching row into memory; batch it with `find_each`
  end
end
""",
        files=_MODELS,
        fixed="""\
class ReindexWorker
  include Sidekiq::Job

  def perform
    Account.find_each { |account| account.reindex }
  end
end
""",
    ),
    # A scope the model defines continues the chain; map has no automatic fix.
    Invalid(
        """\
class RevenueWorker
  include Sidekiq::Job

  def perform
    totals = Order.paid.map { |order| order.total_cents }
                        ^^^ `Order.paid.map` loads every matching row into memory; batch it with `find_each`, or `pluck` only the columns it needs
    Rails.logger.info(totals.sum)
  end
end
""",
        files=_MODELS,
    ),
    # A class method returning a query chain is used like a scope.
    Invalid(
        """\
class StaleOrdersWorker
  include Sidekiq::Job

  def perform
    Order.stale.each(&:refresh!)
                ^^^^^^^^^^^^^^^^ `Order.stale.each` loads every matching row into memory; batch it with `find_each`
  end
end
""",
        files=_MODELS,
    ),
    # find_each ignores order: reported, with no fix.
    Invalid(
        """\
class StatementWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).order(:created_at).each { |order| order.print }
                                                           ^^^^ `Order.where(...).order(...).each` loads every matching row into memory; `find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`
  end
end
""",
        files=_MODELS,
    ),
    # A constant not defined in the project counts when the chain has a real query method.
    Invalid(
        """\
class LegacyImportWorker
  include Sidekiq::Job

  def perform
    Legacy::Customer.where(imported: false).each { |customer| customer.import! }
                                            ^^^^ `Legacy::Customer.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end
""",
        files=_MODELS,
        fixed="""\
class LegacyImportWorker
  include Sidekiq::Job

  def perform
    Legacy::Customer.where(imported: false).find_each { |customer| customer.import! }
  end
end
""",
    ),
    Invalid(
        """\
class OrderIdsWorker
  include Sidekiq::Job

  def perform
    ids = Order.where(state: "paid").map(&:id)
                                     ^^^^^^^^^ `Order.where(...).map` loads every matching row into memory; batch it with `find_each`, or `pluck` only the columns it needs
    Rails.logger.info(ids.size)
  end
end
""",
        files=_MODELS,
    ),
    Invalid(
        """\
class IndexWorker
  include Sidekiq::Job

  def perform
    by_account = Order.includes(:account).each_with_object({}) do |order, acc|
                                          ^^^^^^^^^^^^^^^^^^^^ `Order.includes(...).each_with_object` loads every matching row into memory; batch it with `find_each`
      acc[order.account_id] = order
    end
    by_account.size
  end
end
""",
        files=_MODELS,
    ),
    Invalid(
        """\
class FlagWorker
  include Sidekiq::Job

  def perform
    Order.joins(:account).where(accounts: { flagged: true }).select { |o| o.total_cents > 100 }
                                                             ^^^^^^ `Order.joins(...).where(...).select` loads every matching row into memory; filter in SQL with `where`, or batch it with `find_each`
  end
end
""",
        files=_MODELS,
    ),
    # The model is found through the module nesting (Billing::Invoice).
    Invalid(
        """\
module Billing
  class ChaseWorker
    include Sidekiq::Job

    def perform
      Invoice.where(paid: false).each_with_index { |invoice, i| invoice.chase!(i) }
                                 ^^^^^^^^^^^^^^^ `Invoice.where(...).each_with_index` loads every matching row into memory; batch it with `find_each`
    end
  end
end
""",
        files=_MODELS,
    ),
)
