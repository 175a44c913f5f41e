# WL301 unbatched-relation-iteration: its examples (format: workerlint/app/examples.py)

# case: sql-condition-on-a-plain-column (invalid)
# note: A SQL condition on a column that is neither a key nor a time window bounds nothing.
class AccountSweepWorker
  include Sidekiq::Job

  def perform(minimum)
    Order.where("total_cents > ?", minimum).each { |order| order.sweep! }
    #                                       ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# fixed:
class AccountSweepWorker
  include Sidekiq::Job

  def perform(minimum)
    Order.where("total_cents > ?", minimum).find_each { |order| order.sweep! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: where-each-do-block (invalid)
# note: A job argument equal to a column that is not a key: every order in that state.
class RemindWorker
  include Sidekiq::Job

  def perform(state)
    Order.where(state: state).each do |order|
    #                         ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
      order.remind!
    end
  end
end

# fixed:
class RemindWorker
  include Sidekiq::Job

  def perform(state)
    Order.where(state: state).find_each do |order|
      order.remind!
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: all-each (invalid)
class ReindexWorker
  include Sidekiq::Job

  def perform
    Account.all.each { |account| account.reindex }
    #           ^^^^ `Account.all.each` loads every matching row into memory; batch it with `find_each`
  end
end

# fixed:
class ReindexWorker
  include Sidekiq::Job

  def perform
    Account.find_each { |account| account.reindex }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: scope-then-map (invalid)
# note: A scope the model defines continues the chain; map has no automatic fix.
class RevenueWorker
  include Sidekiq::Job

  def perform
    totals = Order.paid.map { |order| order.total_cents }
    #                   ^^^ `Order.paid.map` loads every matching row into memory; batch it with `find_each`, or `pluck` only the columns it needs
    Rails.logger.info(totals.sum)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: class-method-used-like-a-scope (invalid)
# note: A class method returning a query chain is used like a scope.
class StaleOrdersWorker
  include Sidekiq::Job

  def perform
    Order.stale.each(&:refresh!)
    #           ^^^^^^^^^^^^^^^^ `Order.stale.each` loads every matching row into memory; batch it with `find_each`
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: ordered-chain-without-a-fix (invalid)
# note: find_each ignores order: reported, with no fix.
class StatementWorker
  include Sidekiq::Job

  def perform
    Order.where(state: "paid").order(:created_at).each { |order| order.print }
    #                                             ^^^^ `Order.where(...).order(...).each` loads every matching row into memory; `find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: unknown-constant-with-a-query-method (invalid)
# note: A constant not defined in the project counts when the chain has a real query method.
class LegacyImportWorker
  include Sidekiq::Job

  def perform
    Legacy::Customer.where(imported: false).each { |customer| customer.import! }
    #                                       ^^^^ `Legacy::Customer.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Legacy::Customer`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class LegacyImportWorker
  include Sidekiq::Job

  def perform
    Legacy::Customer.where(imported: false).find_each { |customer| customer.import! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: where-map-to-ids (invalid)
class OrderIdsWorker
  include Sidekiq::Job

  def perform
    ids = Order.where(state: "paid").map(&:id)
    #                                ^^^^^^^^^ `Order.where(...).map` loads every matching row into memory; batch it with `find_each`, or `pluck` only the columns it needs
    Rails.logger.info(ids.size)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: includes-each-with-object (invalid)
class IndexWorker
  include Sidekiq::Job

  def perform
    by_account = Order.includes(:account).each_with_object({}) do |order, acc|
    #                                     ^^^^^^^^^^^^^^^^^^^^ `Order.includes(...).each_with_object` loads every matching row into memory; batch it with `find_each`
      acc[order.account_id] = order
    end
    by_account.size
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: joins-where-select-block (invalid)
class FlagWorker
  include Sidekiq::Job

  def perform
    Order.joins(:account).where(accounts: { flagged: true }).select { |o| o.total_cents > 100 }
    #                                                        ^^^^^^ `Order.joins(...).where(...).select` loads every matching row into memory; filter in SQL with `where`, or batch it with `find_each`
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: model-found-through-module-nesting (invalid)
# note: The model is found through the module nesting (Billing::Invoice).
module Billing
  class ChaseWorker
    include Sidekiq::Job

    def perform
      Invoice.where(paid: false).each_with_index { |invoice, i| invoice.chase!(i) }
      #                          ^^^^^^^^^^^^^^^ `Invoice.where(...).each_with_index` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Billing::Invoice`, so this is a note; if the set can grow, batch it with `find_each`
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: find-each (valid)
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).find_each { |order| order.remind! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: association-of-one-record (valid)
# note: An association through a local is scoped to one parent record.
class AccountTotalsWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    account.orders.each { |order| order.recalculate! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: constant-list-is-not-a-relation (valid)
# note: A constant list is not a relation.
class StateCountWorker
  include Sidekiq::Job

  def perform
    Order::STATES.each { |state| Rails.logger.info(state) }
    STATUSES.each { |status| Rails.logger.info(status) }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: limited-chain (valid)
class RecentOrdersWorker
  include Sidekiq::Job

  def perform
    Order.paid.order(created_at: :desc).limit(100).each { |order| order.touch }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: scopes-that-limit-themselves (valid)
# note: Scopes and scope-like class methods that limit their rows themselves.
class LeaderboardWorker
  include Sidekiq::Job

  def perform
    Order.latest.each { |order| order.touch }
    Order.top.map(&:total_cents)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: where-on-the-primary-key (valid)
# note: A where on the primary key is bounded by its argument, in any of its spellings.
class ExportWorker
  include Sidekiq::Job

  def perform(order_ids)
    Order.where(id: order_ids).each { |order| order.export! }
    Order.where(orders: { id: order_ids }).each { |order| order.export! }
    Order.where("id IN (?)", order_ids).each { |order| order.export! }
    Order.where("orders.id = ANY(?)", order_ids).each { |order| order.export! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: sidekiq-queue-all-is-not-a-relation (valid)
# note: Sidekiq::Queue is not defined in the project and has only `all`: not a relation.
class QueueReportWorker
  include Sidekiq::Job

  def perform
    Sidekiq::Queue.all.each { |queue| Rails.logger.info([queue.name, queue.size]) }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: project-class-that-is-not-a-model (valid)
# note: Report is a project class but not a model.
class ReportWorker
  include Sidekiq::Job

  def perform
    Report.where(kind: "daily").each { |row| row.deliver }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: model-method-outside-worker-code (valid)
# note: Not worker code: a model class method outside the worker folders.
# file: app/models/order.rb
class Order < ApplicationRecord
  def self.refresh_all
    where(state: "paid").each(&:refresh!)
    Order.where(state: "pending").each(&:refresh!)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: relation-local-and-aggregates (valid)
# note: A local holding a chain scoped to one account, and aggregates without a block, are not
# note: reported.
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

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = %w[pending paid refunded].freeze
  scope :paid, -> { where(state: "paid") }
  scope :latest, -> { order(id: :desc).limit(5) }
  belongs_to :account

  def self.stale
    where("updated_at < ?", 1.day.ago)
  end

  class << self
    def top
      order(total_cents: :desc).limit(10)
    end

    # Batching orders here says the project treats them as many: a filtered chain of Order
    # in a worker is then a warning.
    def export_all
      find_each(&:export!)
    end
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/billing/invoice.rb
module Billing
  class Invoice < ApplicationRecord
  end
end

# file: app/models/report.rb
class Report
  def self.where(*) = []
end

# case: relation-in-a-local (invalid)
# note: A local assigned a relation chain once in the method is that chain.
class ReminderWorker
  include Sidekiq::Job

  def perform
    unpaid = Invoice.where(status: "unpaid")
    unpaid.each { |invoice| invoice.remind! }
    #      ^^^^ `unpaid.each` (`Invoice.where(...)`, line 5) loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Invoice`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class ReminderWorker
  include Sidekiq::Job

  def perform
    unpaid = Invoice.where(status: "unpaid")
    unpaid.find_each { |invoice| invoice.remind! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/invoice.rb
class Invoice < ApplicationRecord
  belongs_to :account
end

# case: scope-from-a-concern (invalid)
# note: A scope defined in a concern's `included do` block is a scope of every model including it.
class PurgeWorker
  include Sidekiq::Job

  def perform
    Attachment.alive.each { |attachment| attachment.verify! }
    #                ^^^^ `Attachment.alive.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Attachment`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class PurgeWorker
  include Sidekiq::Job

  def perform
    Attachment.alive.find_each { |attachment| attachment.verify! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/concerns/deletable.rb
module Deletable
  extend ActiveSupport::Concern

  included do
    scope :alive, -> { where(deleted_at: nil) }
  end
end

# file: app/models/attachment.rb
class Attachment < ApplicationRecord
  include Deletable
end

# case: enum-generated-scopes (invalid)
# note: `enum` generates a scope per value and a `not_` scope; `prefix:`/`_suffix:` rename them.
class BanSweepWorker
  include Sidekiq::Job

  def perform
    User.banned.each { |user| user.purge! }
    #           ^^^^ `User.banned.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `User`, so this is a note; if the set can grow, batch it with `find_each`
    User.not_pending.each { |user| user.touch }
    #                ^^^^ `User.not_pending.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `User`, so this is a note; if the set can grow, batch it with `find_each`
    Order.state_paid.each { |order| order.ship! }
    #                ^^^^ `Order.state_paid.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Order`, so this is a note; if the set can grow, batch it with `find_each`
    Order.refunded_payment.each { |order| order.close! }
    #                      ^^^^ `Order.refunded_payment.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Order`, so this is a note; if the set can grow, batch it with `find_each`
    Order.with_open.each { |order| order.lock! }
    #               ^^^^ `Order.with_open.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Order`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class BanSweepWorker
  include Sidekiq::Job

  def perform
    User.banned.find_each { |user| user.purge! }
    User.not_pending.find_each { |user| user.touch }
    Order.state_paid.find_each { |order| order.ship! }
    Order.refunded_payment.find_each { |order| order.close! }
    Order.with_open.find_each { |order| order.lock! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/user.rb
class User < ApplicationRecord
  enum status: { pending: 0, banned: 1 }
end

# file: app/models/order.rb
class Order < ApplicationRecord
  STATES = { pending: 0, paid: 1 }.freeze

  enum :state, STATES, prefix: true
  enum payment: [:captured, :refunded], _suffix: true
  enum :lock_status, { open: "open", closed: "closed" }, prefix: :with
end

# case: offset-is-a-query-method (invalid)
# note: `offset` skips rows; it bounds nothing.
class TailWorker
  include Sidekiq::Job

  def perform
    Order.offset(100).each { |order| order.archive! }
    #                 ^^^^ `Order.offset(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# fixed:
class TailWorker
  include Sidekiq::Job

  def perform
    Order.offset(100).find_each { |order| order.archive! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: older-than-a-day-is-no-window (invalid)
# note: An upper bound on a time column is every older row: the older the table, the more rows.
# note: A foreign key equal to nil is every row without a parent, not one parent.
class ExpireWorker
  include Sidekiq::Job

  def perform
    Session.where("updated_at < ?", 1.day.ago).each { |session| session.expire! }
    #                                          ^^^^ `Session.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Session`, so this is a note; if the set can grow, batch it with `find_each`
    Session.where(updated_at: ..1.week.ago).each { |session| session.expire! }
    #                                       ^^^^ `Session.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Session`, so this is a note; if the set can grow, batch it with `find_each`
    Session.where(user_id: nil).each { |session| session.expire! }
    #                           ^^^^ `Session.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Session`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class ExpireWorker
  include Sidekiq::Job

  def perform
    Session.where("updated_at < ?", 1.day.ago).find_each { |session| session.expire! }
    Session.where(updated_at: ..1.week.ago).find_each { |session| session.expire! }
    Session.where(user_id: nil).find_each { |session| session.expire! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/session.rb
class Session < ApplicationRecord
  belongs_to :user, optional: true
end

# case: list-that-bounds-nothing (invalid)
# note: A list bounds the rows only when it is a job argument or a bounded local: every id of an
# note: unbounded chain, or a list grown in a loop, does not.
class ExportWorker
  include Sidekiq::Job

  def perform
    account_ids = Account.where(plan: "free").pluck(:id)
    Invoice.where(account_id: account_ids).each { |invoice| invoice.export! }
    #                                      ^^^^ `Invoice.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Invoice`, so this is a note; if the set can grow, batch it with `find_each`
    tokens = []
    Account.find_each { |account| tokens << account.token }
    Invoice.where(token: tokens).each { |invoice| invoice.export! }
    #                            ^^^^ `Invoice.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Invoice`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class ExportWorker
  include Sidekiq::Job

  def perform
    account_ids = Account.where(plan: "free").pluck(:id)
    Invoice.where(account_id: account_ids).find_each { |invoice| invoice.export! }
    tokens = []
    Account.find_each { |account| tokens << account.token }
    Invoice.where(token: tokens).find_each { |invoice| invoice.export! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
end

# file: app/models/invoice.rb
class Invoice < ApplicationRecord
  belongs_to :account
end

# case: scoped-to-one-parent (valid)
# note: A `where` equating a foreign key (`*_id`, or a `belongs_to` association) to one value is
# note: scoped to one parent, like `account.invoices`.
class StatementWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    Invoice.where(account_id: account.id).each { |invoice| invoice.print }
    Invoice.where(account_id:).each { |invoice| invoice.print }
    Invoice.where("account_id = ? AND status = ?", account_id, "open").each { |invoice| invoice.print }
    Invoice.where(account: account).order(:created_at).each { |invoice| invoice.print }
    Invoice.where(invoices: { account_id: account_id }).each { |invoice| invoice.print }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/models/invoice.rb
class Invoice < ApplicationRecord
  belongs_to :account
end

# case: unique-column-in-the-schema (valid)
# note: A column with a single-column unique index in db/schema.rb equal to one value is one row;
# note: the table is the model's own name made plural, or its `self.table_name`.
class RedeemWorker
  include Sidekiq::Job

  def perform(code, email)
    Voucher.where(code: code).each { |voucher| voucher.redeem! }
    Person.where(email: email).each { |person| person.notify! }
    Ledger::Entry.where(reference: code).each { |entry| entry.settle! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/voucher.rb
class Voucher < ApplicationRecord
end

# file: app/models/person.rb
class Person < ApplicationRecord
end

# file: app/models/ledger/entry.rb
module Ledger
  class Entry < ApplicationRecord
    self.table_name = "ledger_entries"
  end
end

# file: db/schema.rb
ActiveRecord::Schema[7.1].define(version: 2024_05_01_000000) do
  create_table "vouchers", force: :cascade do |t|
    t.string "code", null: false
    t.index ["code"], name: "index_vouchers_on_code", unique: true
  end

  create_table "people", force: :cascade do |t|
    t.string "email"
    t.index ["email"], name: "index_people_on_email", unique: true
  end

  create_table "ledger_entries", force: :cascade do |t|
    t.string "reference"
  end

  add_index "ledger_entries", ["reference"], unique: true
end

# case: rolling-time-window (valid)
# note: A lower bound on a time column by a value relative to now keeps a window of recent rows,
# note: bounded by how fast rows are written, not by the table's size.
class DigestWorker
  include Sidekiq::Job

  def perform
    since = 1.hour.ago
    Comment.where("created_at > ?", since).each { |comment| comment.digest! }
    Comment.where(created_at: 1.day.ago..).each { |comment| comment.digest! }
    Comment.where("created_at >= :from", from: Time.current - 2.days).each { |comment| comment.digest! }
    Comment.where("created_at BETWEEN ? AND ?", 1.week.ago, Time.current).each { |comment| comment.digest! }
    Comment.recent.each { |comment| comment.digest! }
    Comment.created_after(3.days.ago).each { |comment| comment.digest! }
    Comment.created_between(Range.new(3.days.ago, 1.hour.ago)).each { |comment| comment.digest! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/comment.rb
class Comment < ApplicationRecord
  scope :recent, -> { where("comments.created_at > ?", 1.week.ago) }
  scope :created_after, ->(time) { where("comments.created_at > ?", time) }
  scope :created_between, lambda { |range| where(created_at: range) if range }
end

# case: slice-of-time-relative-to-now (valid)
# note: A column equal to one time relative to now keeps the rows of one day (or hour, week...): a slice
# note: of time, narrower than a rolling window, written in the chain or in a scope (with no parameter, or
# note: holding the column to its parameter and called with such a time).
class RenewalWorker
  include Sidekiq::Job

  def perform
    day = Date.yesterday
    Grant.where(registered_on: Date.today).each { |grant| grant.remind }
    Grant.where("grants.expires_at = DATE(?)", 3.days.from_now).each { |grant| grant.remind }
    Grant.where(created_at: Date.yesterday.all_day).each { |grant| grant.remind }
    Grant.where(registered_on: day).each { |grant| grant.remind }
    Grant.where(starts_at: Time.current.beginning_of_hour + 1.hour).each { |grant| grant.remind }
    Grant.registered_today.each { |grant| grant.remind }
    Grant.expires_on(1.week.from_now.to_date).each { |grant| grant.remind }
  end
end

# file: app/models/grant.rb
class Grant < ActiveRecord::Base
  scope :registered_today, -> { where(registered_on: Date.current) }
  scope :expires_on, ->(date) { where(expires_on: date) }
end

# file: lib/tasks/grants.rake
task grants: :environment do
  Grant.where(archived: false).find_each { |grant| GrantExport.write(grant) }
end

# case: time-that-is-no-slice (invalid)
# note: A time that is not relative to now (a constant, a job argument: any day, a backfill of a year's
# note: rows) is no slice of now; an upper bound alone (`created_at < ?`) is every older row, which grows
# note: forever; a number taken from today (its weekday, its year) is no time, and a column equal to it is
# note: a share of every row. Each stays unbounded: a warning where the project batches the model.
class RenewalWorker
  include Sidekiq::Job

  LAUNCH_DAY = Date.new(2024, 1, 1)

  def perform(day)
    Grant.where(registered_on: LAUNCH_DAY).each { |grant| grant.remind }
    #                                      ^^^^ `Grant.where(...).each` loads every matching row into memory; batch it with `find_each`
    Grant.where(registered_on: day).each { |grant| grant.remind }
    #                               ^^^^ `Grant.where(...).each` loads every matching row into memory; batch it with `find_each`
    Grant.where("created_at < ?", 1.day.ago).each { |grant| grant.remind }
    #                                        ^^^^ `Grant.where(...).each` loads every matching row into memory; batch it with `find_each`
    Grant.where(weekday: Date.today.wday).each { |grant| grant.remind }
    #                                     ^^^^ `Grant.where(...).each` loads every matching row into memory; batch it with `find_each`
    Grant.expires_on(Date.today.year).each { |grant| grant.remind }
    #                                 ^^^^ `Grant.expires_on(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# file: app/models/grant.rb
class Grant < ActiveRecord::Base
  scope :expires_on, ->(date) { where(expires_on: date) }
end

# file: lib/tasks/grants.rake
task grants: :environment do
  Grant.where(archived: false).find_each { |grant| GrantExport.write(grant) }
end

# case: list-that-is-a-job-argument-or-bounded-local (valid)
# note: `where(col: list)` is bounded by a list that is a job argument (also taken from one, or
# note: through a helper the job passes it to), or a local assigned once from a bounded chain or
# note: a small literal (filled in a loop that is not over a whole table), or a slice
# note: (`each_slice`, whatever its name: not one value).
class SyncWorker
  include Sidekiq::Job

  def perform(tokens, payload)
    Device.where(token: tokens).each { |device| device.sync! }
    Device.where(token: payload["tokens"]).each { |device| device.sync! }
    recent_tokens = Device.where(stale: true).limit(50).pluck(:token)
    Device.where(token: recent_tokens).each { |device| device.sync! }
    kinds = %w[phone tablet]
    Device.where(kind: kinds).each { |device| device.sync! }
    refresh(payload.deep_stringify_keys["devices"])
    batch_keys = {}
    tokens.each { |token| batch_keys[token.downcase] = token }
    Device.where(token: batch_keys.keys).each { |device| device.sync! }
    tokens.each_slice(100) { |slice| Device.where(token: slice).each { |device| device.sync! } }
  end

  private

  def refresh(devices)
    device_tokens = devices.map { |device| device["token"] }
    Device.where(token: device_tokens).each { |device| device.refresh! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/device.rb
class Device < ApplicationRecord
end

# case: reassigned-local-is-not-followed (valid)
# note: A local assigned more than once before its use is not taken for either chain; an Array
# note: made from a relation (`select` with a block) is not a relation.
class CleanupWorker
  include Sidekiq::Job

  def perform(all)
    orders = Order.where(state: "stale")
    orders = orders.limit(100) unless all
    orders.each { |order| order.cleanup! }
    recent = Order.limit(10).select { |order| order.stale? }
    recent.each { |order| order.cleanup! }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: rows-sharing-one-runtime-value-is-a-note (invalid)
# note: A non-key column equal to one runtime value (a local, a record's attribute) loads the
# note: rows sharing one entity's value (the bikes of one phone number): how many is not known, a note. Equal
# note: to a literal (`where(state: "stolen")`) it stays unbounded. Equal to a time relative to now it is a
# note: slice of time (one day's rows), bounded like a rolling window: not reported.
# file: app/workers/phone_confirmed_worker.rb
class PhoneConfirmedWorker
  include Sidekiq::Job

  def perform(user_id)
    phone = User.find(user_id).phone
    Bike.where(owner_phone: phone).each { |bike| bike.confirm! }
    #                              ^^^^ `Bike.where(...).each` loads the rows sharing one value of `owner_phone` (how many is not known) into memory at once; if one value can have many rows, batch it with `find_each`
    Bike.where(state: "stolen").each { |bike| bike.confirm! }
    #                           ^^^^ `Bike.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Bike`, so this is a note; if the set can grow, batch it with `find_each`
    Bike.where(registered_on: Date.today).each { |bike| bike.confirm! }
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/bike.rb
class Bike < ApplicationRecord
end

# file: app/models/user.rb
class User < ApplicationRecord
end

# case: filtered-model-never-batched-is-a-note (invalid)
# note: A filtered chain of a model the project never batches: its size is not known, a note.
class FeedbackCleanupWorker
  include Sidekiq::Job

  def perform(email)
    Feedback.where(kind: "bounce").each { |feedback| feedback.notify_owner }
    #                              ^^^^ `Feedback.where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Feedback`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# fixed:
class FeedbackCleanupWorker
  include Sidekiq::Job

  def perform(email)
    Feedback.where(kind: "bounce").find_each { |feedback| feedback.notify_owner }
  end
end

# file: app/models/feedback.rb
class Feedback < ActiveRecord::Base
end

# case: filtered-model-batched-elsewhere-is-a-warning (invalid)
# note: The same filtered chain is a warning when another file batches the model (find_each).
class FeedbackCleanupWorker
  include Sidekiq::Job

  def perform(email)
    Feedback.where(kind: "bounce").each { |feedback| feedback.notify_owner }
    #                              ^^^^ `Feedback.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# fixed:
class FeedbackCleanupWorker
  include Sidekiq::Job

  def perform(email)
    Feedback.where(kind: "bounce").find_each { |feedback| feedback.notify_owner }
  end
end

# file: app/models/feedback.rb
class Feedback < ActiveRecord::Base
end

# file: lib/tasks/feedback.rake
task export_feedback: :environment do
  scope = Feedback.where(exported: false)
  scope.find_in_batches { |batch| FeedbackExport.write(batch) }
end

# case: pending-set-is-a-note (invalid)
# note: A loop that moves each row out of its chain's filter (an update to another value, a compared
# note: column set to nil then saved) drains a pending set: each run loads only the rows that arrived
# note: since the last, a note even though another file batches the model. A loop that leaves the rows
# note: in place, or sets a compared column to a value that is not nil, keeps its warning.
class ReportSweepWorker
  include Sidekiq::Job

  def perform
    Report.where(notified_at: nil).each { |report| report.update!(notified_at: Time.current) }
    #                              ^^^^ `Report.where(...).each` loads every matching row into memory, but it walks a pending set: the loop moves each row out of it (`report.update!(notified_at: Time.current)`), so each run loads only the rows that arrived since the last (how many is the arrival rate, not known): a note; if a backlog can build up, batch it with `find_each`
    Report.where("archived_at < ?", 30.days.ago).each do |report|
      #                                          ^^^^ `Report.where(...).each` loads every matching row into memory, but it walks a pending set: the loop moves each row out of it (`report.archived_at = nil` then `report.save!`), so each run loads only the rows that arrived since the last (how many is the arrival rate, not known): a note; if a backlog can build up, batch it with `find_each`
      report.archive_path = nil
      report.archived_at = nil
      report.save!
    end
    Report.where(notified_at: nil).each { |report| report.touch }
    #                              ^^^^ `Report.where(...).each` loads every matching row into memory; batch it with `find_each`
    Report.where("archived_at < ?", 30.days.ago).each { |report| report.update!(archived_at: Time.current) }
    #                                            ^^^^ `Report.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# file: app/models/report.rb
class Report < ActiveRecord::Base
end

# file: lib/tasks/reports.rake
task export_reports: :environment do
  Report.where(exported: false).find_each { |report| ReportExport.write(report) }
end

# case: whole-table-is-a-warning (invalid)
# note: A chain with no filter (all, order, includes) is every row of the table: a warning.
class FeedbackDigestWorker
  include Sidekiq::Job

  def perform
    Feedback.includes(:user).order(:id).map { |feedback| feedback.summary }
    #                                   ^^^ `Feedback.includes(...).order(...).map` loads every matching row into memory; `find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`
  end
end

# file: app/models/feedback.rb
class Feedback < ActiveRecord::Base
end

# case: filtered-model-batched-with-a-limit-elsewhere (valid)
# note: A batched chain bounded by a limit is small, and the chain it is on is not reported either.
class FeedbackSampleWorker
  include Sidekiq::Job

  def perform
    Feedback.limit(50).each { |feedback| feedback.touch }
  end
end

# file: app/models/feedback.rb
class Feedback < ActiveRecord::Base
end

# case: aasm-state-scopes-references-and-literal-locals (invalid)
# note: AASM defines a scope per state (unless `create_scopes: false`), so `Payout.settled` is a relation
# note: chain; `references` is a query method. A column equal to a local assigned only literals (one per
# note: branch) selects a category of rows, not the rows sharing one entity's value.
# file: app/workers/digest_worker.rb
class DigestWorker
  include Sidekiq::Job

  def perform(daily)
    Payout.settled.each { |payout| payout.touch }
    #              ^^^^ `Payout.settled.each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `Payout`, so this is a note; if the set can grow, batch it with `find_each`
    if daily
      tag = "digest:daily"
    else
      tag = "digest:weekly"
    end
    User.includes(:user_tags).references(:user_tags).where("user_tags.value = ?", tag).each { |user| user.touch }
    #                                                                                  ^^^^ `User.includes(...).references(...).where(...).each` loads every matching row into memory; how many is not known: the chain is filtered and nothing in the project batches `User`, so this is a note; if the set can grow, batch it with `find_each`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/payout.rb
class Payout < ActiveRecord::Base
  include AASM

  aasm do
    state :pending, initial: true
    state :settled
  end
end

# file: app/models/user.rb
class User < ActiveRecord::Base
end
