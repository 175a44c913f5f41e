# WL403 non-json-job-argument: its examples (format: workerlint/app/examples.py)

# case: symbols-from-a-controller (invalid)
# note: Outside worker code too: controllers enqueue jobs.
# file: app/controllers/digests_controller.rb
class DigestsController < ApplicationController
  def create
    ReceiptWorker.perform_async(current_user.id, :daily, :"two words", %i[email sms])
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes a Symbol (`:daily`), a Symbol (`:"two words"`) and Symbols (`%i[email sms]`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class DigestsController < ApplicationController
  def create
    ReceiptWorker.perform_async(current_user.id, "daily", "two words", %w[email sms])
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: set-and-bulk-bypass-the-own-perform-async (invalid)
# note: `set(...)` returns Sidekiq's Setter, which pushes without the worker's own
# note: `self.perform_async`; `perform_bulk` and `Sidekiq::Client.push` do not call it either.
# file: app/controllers/orders_controller.rb
class OrdersController < ApplicationController
  def create
    order = Order.find(params[:id])
    ReceiptWorker.set(queue: "critical").perform_async(order)
    #                                    ^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Order` record (`order`, assigned on line 3): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
    ReceiptWorker.perform_bulk([[order]])
    #             ^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_bulk` passes an `Order` record (`order`, assigned on line 3): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class OrdersController < ApplicationController
  def create
    order = Order.find(params[:id])
    ReceiptWorker.set(queue: "critical").perform_async(order.id)
    ReceiptWorker.perform_bulk([[order.id]])
  end
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def self.perform_async(order)
    super(order.id)
  end

  def perform(order_id); end
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

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: keyword-arguments (invalid)
class SyncWorker
  include Sidekiq::Job

  def perform(id)
    ReceiptWorker.perform_async(id, force: true, **extra)
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes keyword arguments (`force:`, `**extra`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: times-and-a-date (invalid)
class ScheduleWorker
  include Sidekiq::Job

  def perform(id)
    ReceiptWorker.perform_async(id, Time.now, 1.day.ago, Time.zone.now + 5.minutes)
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes a Time (`Time.now`), a Time (`1.day.ago`) and a Time (`Time.zone.now + 5.minutes`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
    ReceiptWorker.set(queue: "low").perform_in(5.minutes, id, Date.today)
    #                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_in` passes a Date (`Date.today`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class ScheduleWorker
  include Sidekiq::Job

  def perform(id)
    ReceiptWorker.perform_async(id, Time.now.to_i, 1.day.ago.to_i, (Time.zone.now + 5.minutes).to_i)
    ReceiptWorker.set(queue: "low").perform_in(5.minutes, id, Date.today.iso8601)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: self-inside-a-model (invalid)
# note: `self` inside a model is a record.
# file: app/models/account.rb
class Account < ApplicationRecord
  after_commit -> { ReceiptWorker.perform_async(self) }
  #                               ^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Account` record (`self`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)

  def resync!
    ReceiptWorker.perform_async(self, "resync")
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Account` record (`self`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class Account < ApplicationRecord
  after_commit -> { ReceiptWorker.perform_async(id) }

  def resync!
    ReceiptWorker.perform_async(id, "resync")
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: record-in-a-local-and-an-ivar (invalid)
# note: A local or @ivar holding a record found earlier.
# file: app/controllers/refunds_controller.rb
class RefundsController < ApplicationController
  before_action { @account = Account.find_by!(slug: params[:account]) }

  def create
    order = Order.where(account_id: @account.id).find(params[:id])
    ReceiptWorker.perform_async(order, @account)
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Order` record (`order`, assigned on line 5) and an `Account` record (`@account`, assigned on line 2): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class RefundsController < ApplicationController
  before_action { @account = Account.find_by!(slug: params[:account]) }

  def create
    order = Order.where(account_id: @account.id).find(params[:id])
    ReceiptWorker.perform_async(order.id, @account.id)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: range-set-project-objects-and-relations (invalid)
# note: Ranges, Sets, objects of project classes and the classes themselves: no fix.
class PriceWorker
  include Sidekiq::Job

  def perform
    ReceiptWorker.perform_async(1..10, Set.new([1, 2]), Money.new(100, "USD"), Money)
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes a Range (`1..10`), a Set (`Set.new([1, 2])`), a `Money` object (`Money.new(100, "USD")`) and the class `Money` itself: job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
    draft = Order.new(state: "draft")
    ReceiptWorker.perform_async(draft, Order.where(state: "draft"))
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Order` record (`draft`, assigned on line 6) and `Order` records (`Order.where(state: "draft")`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: plain-sidekiq-application-job (invalid)
# note: A plain Sidekiq class named ApplicationJob is not ActiveJob.
# file: app/jobs/digest_job.rb
class DigestJob < ApplicationJob
  def self.nightly
    perform_async(Account.first.id, :nightly)
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `DigestJob.perform_async` passes a Symbol (`:nightly`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end

  def perform(account_id, force: false, **options)
  #                       ^^^^^^^^^^^^^^^^^^^^^^^ `perform` takes keyword parameters (`force:`, `**options`): Sidekiq calls it with positional arguments decoded from JSON, and the enqueue at app/jobs/digest_job.rb:3 passes 2 arguments to its 1 positional parameter: keyword arguments arrive as one more positional Hash, and the job raises ArgumentError (wrong number of arguments)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob
  include Sidekiq::Job
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: warning-before-sidekiq-7 (invalid)
# note: Before Sidekiq 7 the value silently changes: a warning.
class DigestWorker
  include Sidekiq::Worker

  def perform(account_id)
    ReceiptWorker.perform_async(account_id, :weekly, Date.current)
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes a Symbol (`:weekly`) and a Date (`Date.current`): job arguments must be JSON-native; Sidekiq 6.5.12 serializes them to JSON and the job gets other values (a Symbol arrives as a String; a Date arrives as a String), and Sidekiq 7 raises ArgumentError instead
  end
end

# fixed:
class DigestWorker
  include Sidekiq::Worker

  def perform(account_id)
    ReceiptWorker.perform_async(account_id, "weekly", Date.current.iso8601)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: unknown-version-taken-as-the-newest (invalid)
# note: Version unknown: taken as the newest.
class DigestWorker
  include Sidekiq::Job

  def perform(account_id)
    self.class.perform_in(1.hour, account_id, :retry)
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `DigestWorker.perform_in` passes a Symbol (`:retry`): job arguments must be JSON-native and Sidekiq 8 (version unknown: assumed the newest) raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class DigestWorker
  include Sidekiq::Job

  def perform(account_id)
    self.class.perform_in(1.hour, account_id, "retry")
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: perform-bulk-and-client-push-arguments (invalid)
# note: The argument lists of perform_bulk and Sidekiq::Client.push.
class BackfillWorker
  include Sidekiq::Job

  def perform(ids)
    ReceiptWorker.perform_bulk(ids.map { |id| [id, :backfill] })
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_bulk` passes a Symbol (`:backfill`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
    Sidekiq::Client.push("class" => ReceiptWorker, "args" => [Order.first.id, Time.current])
    #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Sidekiq::Client.push` passes a Time (`Time.current`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class BackfillWorker
  include Sidekiq::Job

  def perform(ids)
    ReceiptWorker.perform_bulk(ids.map { |id| [id, "backfill"] })
    Sidekiq::Client.push("class" => ReceiptWorker, "args" => [Order.first.id, Time.current.to_i])
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: record-block-parameter-of-find-each (invalid)
# note: The block parameter of an iteration over a model's relation is a record.
class ReceiptSweepWorker
  include Sidekiq::Job

  def perform
    Order.where(state: "paid").find_each do |order|
      next if order.receipt_sent?

      ReceiptWorker.perform_async(order)
      #             ^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes an `Order` record (`order`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
    end
  end
end

# fixed:
class ReceiptSweepWorker
  include Sidekiq::Job

  def perform
    Order.where(state: "paid").find_each do |order|
      next if order.receipt_sent?

      ReceiptWorker.perform_async(order.id)
    end
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: hash-with-symbol-keys (invalid)
# note: A Hash with Symbol keys: a safe fix to String keys.
# file: app/controllers/exports_controller.rb
class ExportsController < ApplicationController
  def create
    ReceiptWorker.perform_async(current_user.id, { mode: "full", :format => "csv" })
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` passes a Hash with a Symbol key (`mode:`) and a Hash with a Symbol key (`:format`): job arguments must be JSON-native and Sidekiq 7.2.4 raises ArgumentError at enqueue (strict arguments, the default from 7.0)
  end
end

# fixed:
class ExportsController < ApplicationController
  def create
    ReceiptWorker.perform_async(current_user.id, { "mode" => "full", "format" => "csv" })
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: active-job-serializes-its-arguments (valid)
# note: ActiveJob serializes Symbols, Time, records and keyword arguments itself, also when the
# note: class calls sidekiq_options.
# file: app/controllers/orders_controller.rb
class OrdersController < ApplicationController
  def create
    order = Order.create!(order_params)
    ReceiptJob.perform_later(order, :email, at: Time.current)
    ReceiptJob.set(queue: :mailers, wait: 5.minutes).perform_later(order, kind: :sms)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: schedule-of-perform-in-and-perform-at (valid)
# note: The first argument of perform_in/perform_at is the schedule, not a job argument.
# file: app/models/order.rb
class Order < ApplicationRecord
  after_commit :send_receipt

  def send_receipt
    ReceiptWorker.perform_in(5.minutes, id)
    ReceiptWorker.perform_at(1.day.from_now, id, "reminder")
    ReceiptWorker.perform_at(Time.current + 1.hour, id.to_s)
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

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: json-native-values (valid)
# note: JSON-native values: numbers, Strings, ids, epoch seconds, ISO dates, String-keyed Hashes.
class ExportWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    ReceiptWorker.perform_async(account.id, "full", Time.current.to_i, Date.today.iso8601)
    ReceiptWorker.perform_async({ "account_id" => account.id, "at" => 1.day.ago.to_f }, nil)
    ReceiptWorker.perform_async([1, 2.5, true], account.name)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: constant-list-and-non-model-class (valid)
# note: REGIONS is a constant, not a model; Region is a project class but not a model.
class RegionSyncWorker
  include Sidekiq::Job
  REGIONS = %w[eu us].freeze

  def perform
    ReceiptWorker.perform_async(REGIONS.first)
    region = Region.first
    ReceiptWorker.perform_async(region)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: local-reassigned-to-the-id (valid)
# note: A local reassigned to the id before the enqueue; queue and options from constants.
# file: app/controllers/refunds_controller.rb
class RefundsController < ApplicationController
  QUEUE = "refunds"

  def create
    order = Order.find(params[:order_id])
    order = order.id
    ReceiptWorker.set(queue: QUEUE, retry: 3).perform_async(order)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: perform-bulk-argument-lists (valid)
# note: perform_bulk takes one argument list per job and a batch_size: option.
class BackfillWorker
  include Sidekiq::Job

  def perform
    ids = Order.where(state: "paid").pluck(:id)
    ReceiptWorker.perform_bulk(ids.map { |id| [id, "backfill"] }, batch_size: 500)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: block-parameters-that-are-not-records (valid)
# note: A block parameter that is not a record (plucked ids, a constant list).
class FanOutWorker
  include Sidekiq::Job
  KINDS = %w[email sms].freeze

  def perform
    KINDS.each { |kind| ReceiptWorker.perform_async(kind) }
    Order.where(state: "paid").pluck(:id).each { |order| ReceiptWorker.perform_async(order) }
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: project-class-with-its-own-perform-async (valid)
# note: A project class that defines its own perform_async is not a Sidekiq job.
# file: app/controllers/alerts_controller.rb
class AlertsController < ApplicationController
  def create
    Notifier.perform_async(:urgent, at: Time.now)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: keyword-and-optional-parameters (valid)
# note: Keyword parameters on an ActiveJob's perform are fine; optional positional ones too.
class ExportJob < ApplicationJob
  def perform(account_id, format: "csv")
  end
end

class ExportWorker
  include Sidekiq::Job

  def perform(account_id, format = "csv", *rest)
  end
end

class RelayWorker
  include Sidekiq::Job

  def perform(*args, **options)
    Relay.call(*args, **options)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: methods-that-look-like-an-enqueue (valid)
# note: The arguments of a method that merely looks like an enqueue on another object.
# file: app/controllers/reports_controller.rb
class ReportsController < ApplicationController
  def create
    Sidekiq::Client.push("class" => "ReceiptWorker", "args" => [1, "monthly"])
    queue.push(:report)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: time-arithmetic-and-converted-times (valid)
# note: Time arithmetic that yields a number, and Time values turned into numbers or Strings.
class TimingWorker
  include Sidekiq::Job

  def perform(started_at)
    elapsed = Time.current - Time.at(started_at)
    ReceiptWorker.perform_async(elapsed, Time.now - started_at, Date.today.to_s)
    ReceiptWorker.perform_async(1.day.ago.iso8601, Time.zone.now.to_f)
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

# file: app/models/order.rb
class Order < ApplicationRecord
  belongs_to :account
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :orders
end

# file: app/models/money.rb
class Money
  def initialize(cents, currency); end
end

# file: app/models/region.rb
class Region
  def self.first = new
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  def perform(*args); end
end

# file: app/jobs/receipt_job.rb
class ReceiptJob < ApplicationJob
  sidekiq_options retry: 3

  def perform(order, kind:); end
end

# file: app/services/notifier.rb
class Notifier
  def self.perform_async(*); end
end

# case: worker-defines-its-own-perform-async (valid)
# note: The worker's own `self.perform_async` turns the record into its id before Sidekiq sees it.
# file: app/controllers/orders_controller.rb
class OrdersController < ApplicationController
  def create
    order = Order.find(params[:id])
    ReceiptWorker.perform_async(order)
    ReceiptWorker.perform_in(60, order)
  end
end

# file: app/workers/receipt_worker.rb
class ReceiptWorker
  include Sidekiq::Job

  class << self
    def perform_async(order)
      super(order.id)
    end

    def perform_in(delay, order)
      super(delay, order.id)
    end
  end

  def perform(order_id); end
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

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: base-class-or-concern-defines-perform-async (valid)
# note: The override comes from a project base class, or from a concern's `class_methods` block.
# file: app/models/order.rb
class Order < ApplicationRecord
  def ship!
    ShipWorker.perform_async(self, :express)
    AuditWorker.perform_at(1.hour.from_now, self)
  end
end

# file: app/workers/record_worker.rb
class RecordWorker
  include Sidekiq::Job

  def self.perform_async(*args)
    super(*args.map { |a| a.respond_to?(:to_global_id) ? a.to_global_id.to_s : a.to_s })
  end
end

# file: app/workers/ship_worker.rb
class ShipWorker < RecordWorker
  def perform(order_gid, speed); end
end

# file: app/workers/concerns/record_arguments.rb
module RecordArguments
  extend ActiveSupport::Concern

  class_methods do
    def perform_at(time, *args)
      super(time, *args.map { |a| a.try(:id) || a })
    end
  end
end

# file: app/workers/audit_worker.rb
class AuditWorker
  include Sidekiq::Job
  include RecordArguments

  def perform(order_id); end
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

# case: perform-keyword-with-a-default-never-passed (invalid)
# note: No enqueue site passes the keyword, so its default applies and the job works: a note,
# note: not an error (an enqueue that passes it later would fail).
class PurgeWorker
  include Sidekiq::Job

  def perform(account_id, dry_run: false)
  #                       ^^^^^^^^^^^^^^ `perform` takes keyword parameters (`dry_run:`): Sidekiq calls it with positional arguments decoded from JSON; no enqueue site passes them, so the keywords keep their defaults and the job works, but an enqueue that passes them fails (on Sidekiq 7.2.4: ArgumentError at enqueue)
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  def purge!
    PurgeWorker.perform_async(id)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# case: perform-keyword-passed-at-an-enqueue (invalid)
# note: An enqueue passes the keyword: it arrives as one more positional Hash, and the job
# note: raises ArgumentError: an error.
class PurgeWorker
  include Sidekiq::Job

  def perform(account_id, dry_run: false)
  #                       ^^^^^^^^^^^^^^ `perform` takes keyword parameters (`dry_run:`): Sidekiq calls it with positional arguments decoded from JSON, and the enqueue at app/models/account.rb:3 passes 2 arguments to its 1 positional parameter: keyword arguments arrive as one more positional Hash, and the job raises ArgumentError (wrong number of arguments)
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  def purge!
    PurgeWorker.perform_async(id, "dry_run" => true)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# case: perform-required-keyword (invalid)
# note: A keyword with no default is never given by Sidekiq: every run raises ArgumentError.
class PurgeWorker
  include Sidekiq::Job

  def perform(account_id, mode:, dry_run: false)
  #                       ^^^^^^^^^^^^^^^^^^^^^ `perform` takes keyword parameters (`mode:`, `dry_run:`): Sidekiq calls it with positional arguments decoded from JSON, so the required keyword `mode:` is never given and every run raises ArgumentError (missing keyword)
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  def purge!
    PurgeWorker.perform_async(id)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
