# WL301 unbatched-relation-iteration: its examples (format: workerlint/app/examples.py)

# case: sql-condition-on-another-column (invalid)
# note: A SQL condition on another column is not bounded by its argument.
class AccountSweepWorker
  include Sidekiq::Job

  def perform(account_ids)
    Order.where("account_id IN (?)", account_ids).each { |order| order.sweep! }
    #                                             ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
  end
end

# fixed:
class AccountSweepWorker
  include Sidekiq::Job

  def perform(account_ids)
    Order.where("account_id IN (?)", account_ids).find_each { |order| order.sweep! }
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
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).each do |order|
    #                                   ^^^^ `Order.where(...).each` loads every matching row into memory; batch it with `find_each`
      order.remind!
    end
  end
end

# fixed:
class RemindWorker
  include Sidekiq::Job

  def perform(account_id)
    Order.where(account_id: account_id).find_each do |order|
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

  def perform(account_id)
    Order.where(account_id: account_id).order(:created_at).each { |order| order.print }
    #                                                      ^^^^ `Order.where(...).order(...).each` loads every matching row into memory; `find_each` and `in_batches` walk the primary key and ignore `order`: drop the order if it does not matter, or page by the ordered column with `limit`
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
    #                                       ^^^^ `Legacy::Customer.where(...).each` loads every matching row into memory; batch it with `find_each`
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
      #                          ^^^^^^^^^^^^^^^ `Invoice.where(...).each_with_index` loads every matching row into memory; batch it with `find_each`
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
# note: A local holding a relation, and aggregates without a block, are not reported.
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
