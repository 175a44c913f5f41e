# WL203 external-call-in-transaction: its examples (format: workerlint/app/examples.py)

# case: request-in-a-method-called-inside-the-transaction (invalid)
# note: A method of the class, called inside the transaction, makes the request: the finding
# note: points at the call inside the transaction and names the request.
class OpenCycleWorker
  include Sidekiq::Job

  def perform(id)
    ActiveRecord::Base.transaction do
      cycle = Cycle.lock.find(id)
      sync_supplier(cycle)
    # ^^^^^^^^^^^^^^^^^^^^ `sync_supplier` makes the HTTP request `HTTParty.get` (line 16) inside `ActiveRecord::Base.transaction` (line 5): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
      cycle.update!(opened_at: Time.current)
    end
    sync_supplier(Cycle.find(id))
  end

  private

  def sync_supplier(cycle)
    HTTParty.get(cycle.supplier_url, timeout: 5)
  end
end

# case: request-three-methods-deep (invalid)
# note: Followed to any depth, on self too; a method that calls itself is followed once.
class RefreshWorker
  include Sidekiq::Job

  def perform(id)
    Account.transaction do
      self.refresh(Account.find(id))
      #    ^^^^^^^^^^^^^^^^^^^^^^^^^ `refresh` makes the HTTP request `Faraday.get` (line 20, in `fetch_profile`) inside `Account.transaction` (line 5): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
    end
  end

  def refresh(account, depth = 0)
    refresh(account, depth + 1) if depth < 1 && account.stale?
    sync_profile(account)
  end

  def sync_profile(account)
    account.update!(profile: fetch_profile(account))
  end

  def fetch_profile(account)
    Faraday.get("https://profiles.example.com/#{account.id}").body
  end
end

# case: mail-sent-inside-a-transaction (invalid)
# note: Sending a mail now is an SMTP round trip, held like an HTTP request.
class ShipWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      order = Order.lock.find(id)
      order.update!(state: "shipped")
      OrderMailer.with(order: order).shipped.deliver_now
      #                                      ^^^^^^^^^^^ `OrderMailer.with(...).shipped.deliver_now` inside `Order.transaction` (line 5): the transaction keeps its row locks and its database connection while the mail is sent, and a rollback cannot unsend it
      notify(order)
    # ^^^^^^^^^^^^^ `notify` sends the mail `UserMailer.order_shipped(...).deliver_now` (line 15) inside `Order.transaction` (line 5): the transaction keeps its row locks and its database connection while the mail is sent, and a rollback cannot unsend it
    end
  end

  def notify(order)
    message = UserMailer.order_shipped(order.user, order)
    message.deliver_now
  end
end

# file: app/mailers/application_mailer.rb
class ApplicationMailer < ActionMailer::Base
end

# file: app/mailers/order_mailer.rb
class OrderMailer < ApplicationMailer
end

# case: push-in-a-controller-concern (invalid)
# note: Pushes count in all application code: a controller concern enqueues inside a transaction.
# file: app/controllers/concerns/signup.rb
module Signup
  extend ActiveSupport::Concern

  def create_account!(params)
    ActiveRecord::Base.transaction do
      account = Account.create!(params)
      WelcomeWorker.perform_async(account.id)
      #             ^^^^^^^^^^^^^^^^^^^^^^^^^ `WelcomeWorker.perform_async` inside `ActiveRecord::Base.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
      account
    end
  end
end

# case: push-through-a-method-of-a-model (invalid)
# note: A model's own transaction calls a method of the model that pushes a job.
# file: app/models/order.rb
class Order < ApplicationRecord
  def complete!
    transaction do
      update!(state: "complete")
      schedule_receipt
    # ^^^^^^^^^^^^^^^^ `schedule_receipt` pushes `ReceiptWorker.perform_async` (line 10) inside `transaction` (line 3): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
    end
  end

  def schedule_receipt
    ReceiptWorker.perform_async(id)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# case: perform-later-on-rails-7-1 (invalid)
# note: Rails before 7.2 enqueues an ActiveJob job at once, inside the transaction.
# file: app/services/checkout.rb
class Checkout
  def call(cart)
    Order.transaction do
      order = Order.create!(cart: cart)
      ConfirmationJob.perform_later(order)
      #               ^^^^^^^^^^^^^^^^^^^^ `ConfirmationJob.perform_later` inside `Order.transaction` (line 3): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (Rails 7.1.3 enqueues at once; enqueue after the block, or set `enqueue_after_transaction_commit` (Rails 7.2+) to defer it to the commit)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.1.3)
#     sidekiq (7.2.4)

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.load_defaults 7.1
    config.active_job.queue_adapter = :sidekiq
  end
end

# case: scheduled-active-job-pushes-are-notes (invalid)
# note: With a delay (`set(wait:)`, `deliver_later(wait:)`) the push is a note.
# file: app/services/trial.rb
class Trial
  def start(account)
    account.with_lock do
      account.update!(trial_started_at: Time.current)
      TrialEndJob.set(wait: 14.days).perform_later(account)
      #                              ^^^^^^^^^^^^^^^^^^^^^^ `TrialEndJob.set.perform_later` inside `account.with_lock` (line 3): the job is scheduled in Redis at once, not at the commit: it still runs if the transaction rolls back (a note: its delay makes running before the commit unlikely) (Rails 7.1.3 enqueues at once; enqueue after the block, or set `enqueue_after_transaction_commit` (Rails 7.2+) to defer it to the commit)
      TrialMailer.reminder(account).deliver_later(wait: 10.days)
      #                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `TrialMailer.reminder(...).deliver_later` inside `account.with_lock` (line 3): the job is scheduled in Redis at once, not at the commit: it still runs if the transaction rolls back (a note: its delay makes running before the commit unlikely) (Rails 7.1.3 enqueues at once; enqueue after the block, or set `enqueue_after_transaction_commit` (Rails 7.2+) to defer it to the commit)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.1.3)
#     sidekiq (7.2.4)

# case: perform-later-on-rails-7-2-with-older-defaults (invalid)
# note: Rails 7.2 defers only with `load_defaults 7.2`: an app still on older defaults does not.
# file: app/controllers/orders_controller.rb
class OrdersController < ApplicationController
  def create
    Order.transaction do
      order = Order.create!(order_params)
      ConfirmationJob.perform_later(order)
      #               ^^^^^^^^^^^^^^^^^^^^ `ConfirmationJob.perform_later` inside `Order.transaction` (line 3): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (Rails 7.2.1 with `load_defaults 7.0` enqueues at once; enqueue after the block, or set `enqueue_after_transaction_commit` (Rails 7.2+) to defer it to the commit)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.2.1)
#     sidekiq (7.2.4)

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.load_defaults 7.0
  end
end

# case: deliver-later-on-rails-8-1 (invalid)
# note: Rails 8.0 and 8.1 enqueue at once unless the setting is on; ApplicationJob's setting does
# note: not reach mail deliveries (ActionMailer::MailDeliveryJob does not inherit it).
# file: app/controllers/invitations_controller.rb
class InvitationsController < ApplicationController
  def create
    Invitation.transaction do
      invitation = Invitation.create!(invitation_params)
      InvitationMailer.invite(invitation).deliver_later
      #                                   ^^^^^^^^^^^^^ `InvitationMailer.invite(...).deliver_later` inside `Invitation.transaction` (line 3): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (Rails 8.1.2 enqueues at once unless `enqueue_after_transaction_commit` is set; enqueue after the block, or set `enqueue_after_transaction_commit` (Rails 7.2+) to defer it to the commit)
      InviteJob.perform_later(invitation)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (8.1.2)
#     sidekiq (8.0.4)

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
  self.enqueue_after_transaction_commit = true
end

# case: perform-later-with-an-unknown-rails-version (invalid)
# note: Without the Rails version the enqueue may or may not wait for the commit: a note.
class CloseAccountWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.where(account_id: id).update_all(state: "closed")
      FarewellMailJob.perform_later(id)
      #               ^^^^^^^^^^^^^^^^^ `FarewellMailJob.perform_later` inside `Order.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (a note: the Rails version is unknown; Rails 7.2 and 8.2+ can defer it to the commit, with `enqueue_after_transaction_commit`)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: client-push-despite-transactional-push (invalid)
# note: Sidekiq::Client.push uses the default client: transactional push does not defer it.
class ImportWorker
  include Sidekiq::Job

  def perform(rows)
    Order.transaction do
      rows.each { |row| Order.create!(row) }
      Sidekiq::Client.push("class" => IndexWorker, "args" => [rows.size])
      #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Sidekiq::Client.push` inside `Order.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq::Client.push` uses the default client: even `Sidekiq.transactional_push!` does not defer it; push after the block, or in an `after_commit`)
      IndexWorker.perform_async(rows.size)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# file: config/initializers/sidekiq.rb
Sidekiq.transactional_push!

# case: request-and-push-inside-a-model-transaction (invalid)
class ShipOrderWorker
  include Sidekiq::Job

  def perform(order_id)
    order = Order.find(order_id)
    Order.transaction do
      order.update!(state: "shipped")
      HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
      #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` inside `Order.transaction` (line 6): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
      ReceiptWorker.perform_async(order.id)
      #             ^^^^^^^^^^^^^^^^^^^^^^^ `ReceiptWorker.perform_async` inside `Order.transaction` (line 6): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: faraday-call-inside-a-transaction-with-options (invalid)
# note: ActiveRecord::Base.transaction with options, a Faraday connection from another method.
class InvoiceWorker
  include Sidekiq::Job

  def perform(id)
    ActiveRecord::Base.transaction(requires_new: true) do
      invoice = Invoice.find(id)
      response = accounting.post("/invoices", invoice.to_json)
      #                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `accounting.post` inside `ActiveRecord::Base.transaction` (line 5): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
      invoice.update!(external_id: response.body["id"])
    end
  end

  def accounting
    @accounting ||= Faraday.new("https://books.example.com", request: { timeout: 5 })
  end
end

# case: net-http-post-inside-with-lock (invalid)
# note: with_lock on a record holds a row lock for the request.
class CaptureWorker
  include Sidekiq::Job

  def perform(id)
    payment = Payment.find(id)
    payment.with_lock do
      Net::HTTP.post(URI("https://pay.example.com/capture"), payment.to_json)
      #         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Net::HTTP.post` inside `payment.with_lock` (line 6): the row lock, its transaction and its database connection are held for the whole HTTP round trip, and a rollback cannot undo the request
      payment.update!(captured: true)
    end
  end
end

# case: request-after-lock-bang (invalid)
# note: After lock!: the lock only means something inside a transaction, held until it commits.
class ReserveWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction { reserve(Order.find(id)) }
  end

  def reserve(order)
    order.lock!
    stock = HTTParty.get("https://stock.example.com/#{order.sku}", timeout: 5)
    #                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` after `order.lock!` (line 9): the row lock lasts until the transaction commits, so it is held for the whole HTTP round trip, and a rollback cannot undo the request
    order.update!(reserved: stock["available"])
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: request-in-an-iteration-inside-a-record-transaction (invalid)
# note: A record's own transaction, with the request inside an iteration block.
class BulkNotifyWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    account.transaction do
      account.users.each do |user|
        RestClient::Request.execute(method: :post, url: user.hook_url, timeout: 5)
        #                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RestClient::Request.execute` inside `account.transaction` (line 6): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
        user.update!(notified_at: Time.current)
      end
    end
  end
end

# case: perform-in-and-perform-bulk-inside-a-transaction (invalid)
# note: perform_in and perform_bulk on the worker itself, in a transaction of a model; a push
# note: with a delay (perform_in, set(wait:)) is a note: it can still run after a rollback.
class RenewWorker
  include Sidekiq::Job

  def perform(ids)
    Order.transaction do
      Order.where(id: ids).update_all(state: "renewing")
      self.class.perform_in(3600, ids)
      #          ^^^^^^^^^^^^^^^^^^^^^ `self.class.perform_in` inside `Order.transaction` (line 5): the job is scheduled in Redis at once, not at the commit: it still runs if the transaction rolls back (a note: its delay makes running before the commit unlikely) (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
      ReminderWorker.perform_bulk(ids.map { |id| [id] })
      #              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ReminderWorker.perform_bulk` inside `Order.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: uri-open-in-a-helper-module (invalid)
# note: A helper module beside the workers; URI.open in a transaction of an external model class.
# file: app/workers/imports/avatar.rb
module Imports
  module Avatar
    def self.attach(user)
      User.transaction do
        file = URI.open(user.avatar_url, read_timeout: 5)
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `URI.open` inside `User.transaction` (line 4): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
        user.avatar.attach(io: file, filename: "avatar.png")
      end
    end
  end
end

# case: enqueued-worker-with-the-default-client (invalid)
# note: The enqueued worker's client is the default one (only LedgerWorker's is transaction-aware).
class SettleWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.find(id).update!(state: "settled")
      AuditWorker.perform_async(id)
      #           ^^^^^^^^^^^^^^^^^ `AuditWorker.perform_async` inside `Order.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# file: app/workers/ledger_worker.rb
class LedgerWorker
  include Sidekiq::Job
  sidekiq_options client_class: Sidekiq::TransactionAwareClient
end

# case: with-lock-nested-in-a-transaction (invalid)
# note: Nested: the with_lock inside a transaction is the innermost holder.
class TransferWorker
  include Sidekiq::Job

  def perform(from_id, to_id, cents)
    ActiveRecord::Base.transaction do
      from = Wallet.find(from_id)
      from.with_lock("FOR UPDATE NOWAIT") do
        HTTP.timeout(5).post("https://ledger.example.com/transfers", json: { cents: cents })
        #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTP.timeout.post` inside `from.with_lock` (line 7): the row lock, its transaction and its database connection are held for the whole HTTP round trip, and a rollback cannot undo the request
        from.decrement!(:balance_cents, cents)
      end
    end
  end
end

# case: request-in-begin-rescue-inside-a-transaction (invalid)
# note: A begin/rescue inside the transaction does not end it.
class SubscribeWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      begin
        Excon.post("https://lists.example.com/subscribe", body: id.to_s, read_timeout: 5)
        #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Excon.post` inside `Order.transaction` (line 5): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
      rescue Excon::Error
        nil
      end
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: request-after-the-transaction-closes (valid)
# note: The request is made after the transaction block closes (and its row lock is released).
class ShipOrderWorker
  include Sidekiq::Job

  def perform(order_id)
    order = Order.find(order_id)
    Order.transaction do
      order.lock!
      order.update!(state: "shipped")
    end
    HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
    ReceiptWorker.perform_async(order.id)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: deferred-to-after-commit (valid)
# note: Deferred to the commit: after_commit callbacks run once the transaction has committed.
class PublishWorker
  include Sidekiq::Job

  def perform(id)
    ActiveRecord::Base.transaction do
      post = Post.lock.find(id)
      post.update!(published: true)
      post.after_commit { HTTParty.post("https://ping.example.com", body: { id: id }, timeout: 5) }
      notify = -> { NotifyWorker.perform_async(id) }
      AfterCommitEverywhere.after_commit(&notify)
    end
  end
end

# case: cache-fetch-block-is-not-a-transaction (valid)
# note: A block passed to something that is not a transaction.
class FeedWorker
  include Sidekiq::Job

  def perform(url)
    Rails.cache.fetch("feed:#{url}", expires_in: 5.minutes) do
      HTTParty.get(url, timeout: 5).body
    end
  end
end

# case: transactional-push-configured (valid)
# note: Transactional push is configured: pushes inside a transaction wait for the commit.
class ImportWorker
  include Sidekiq::Job

  def perform(rows)
    Order.transaction do
      rows.each { |row| Order.create!(row) }
      IndexWorker.perform_async(rows.size)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# file: config/initializers/sidekiq.rb
Sidekiq.transactional_push!

# case: transaction-aware-client-by-default (valid)
# note: The transaction-aware client made the default for every job in an initializer.
class ArchiveWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.find(id).update!(archived: true)
      PurgeWorker.perform_in(86_400, id)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = {
  "client_class" => Sidekiq::TransactionAwareClient
}

# case: enqueued-worker-with-transaction-aware-client (valid)
# note: The enqueued worker's client is transaction-aware.
class SettleWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.find(id).update!(state: "settled")
      LedgerWorker.set(queue: "ledger").perform_async(id)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# file: app/workers/ledger_worker.rb
class LedgerWorker
  include Sidekiq::Job
  sidekiq_options client_class: Sidekiq::TransactionAwareClient
end

# case: pstore-and-non-model-transactions (valid)
# note: `transaction` on a PStore is a file lock, and on a project class that is not a model.
class SnapshotWorker
  include Sidekiq::Job

  def perform(url)
    store = PStore.new("tmp/snapshots.pstore")
    store.transaction do
      store[url] = HTTParty.get(url, timeout: 5).body
    end
    Ledger.transaction { HTTParty.post(url, timeout: 5) }
  end
end

# file: app/services/ledger.rb
class Ledger
  def self.transaction
  end
end

# case: redis-mutex-with-lock (valid)
# note: A Redis mutex's with_lock on a constant with a key is not a row lock.
class DedupWorker
  include Sidekiq::Job

  def perform(key, url)
    RedisMutex.with_lock(:"dedup:#{key}") do
      HTTParty.post(url, timeout: 5)
    end
    mutex.with_lock(:refresh) { HTTParty.get(url, timeout: 5) }
  end
end

# case: model-method-outside-worker-code (valid)
# note: Not worker code: a model method outside the worker folders.
# file: app/models/order.rb
class Order < ApplicationRecord
  def capture!
    transaction do
      update!(state: "paid")
      HTTParty.post("https://pay.example.com/capture", body: { id: id }, timeout: 5)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# case: perform-later-deferred-by-rails-7-2-defaults (valid)
# note: Rails 7.2 with `load_defaults 7.2` defers an enqueue made in a transaction to the commit
# note: (Sidekiq's adapter allows it), mail deliveries included.
class CloseAccountWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.where(account_id: id).update_all(state: "closed")
      FarewellMailJob.perform_later(id)
      AccountMailer.closed(id).deliver_later
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.2.1)
#     sidekiq (7.3.0)

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.load_defaults 7.2
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: lock-in-another-branch (valid)
# note: A lock! in another branch's body does not precede the call in its own body.
class RefreshWorker
  include Sidekiq::Job

  def perform(id, locked)
    order = Order.find(id)
    if locked
      order.lock!
    else
      HTTParty.get("https://orders.example.com/#{id}", timeout: 5)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# file: app/models/order.rb
class Order < ApplicationRecord
end

# case: pushes-and-requests-after-the-transaction (valid)
# note: The pushes happen after the transaction block closes; the helper that makes the request
# note: is called outside it.
class BackfillWorker
  include Sidekiq::Job

  def perform(ids)
    ActiveRecord::Base.transaction do
      Order.where(id: ids).update_all(synced: false)
    end
    ids.each { |id| SyncWorker.perform_async(id) }
    ids.each { |id| ping(id) }
  end

  def ping(id)
    HTTParty.get("https://orders.example.com/#{id}", timeout: 5)
  end
end

# case: perform-later-deferred-by-an-explicit-setting (valid)
# note: Rails 8.1 with the setting on in the configuration: jobs and mails wait for the commit.
# file: app/services/checkout.rb
class Checkout
  def call(cart)
    Order.transaction do
      order = Order.create!(cart: cart)
      ConfirmationJob.perform_later(order)
      OrderMailer.confirmation(order).deliver_later
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (8.1.2)
#     sidekiq (8.0.4)

# file: config/initializers/active_job.rb
ActiveJob::Base.enqueue_after_transaction_commit = true

# case: active-job-on-another-adapter (valid)
# note: ActiveJob jobs and mail deliveries go to another queue system: not a Sidekiq push.
# file: app/services/checkout.rb
class Checkout
  def call(cart)
    Order.transaction do
      ConfirmationJob.perform_later(Order.create!(cart: cart))
      OrderMailer.confirmation(cart).deliver_later
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.1.3)

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.active_job.queue_adapter = :delayed_job
  end
end

# case: mail-sent-outside-worker-code (valid)
# note: Requests and mails sent now are reported in worker code only; the push half is everywhere.
# file: app/models/order.rb
class Order < ApplicationRecord
  def ship!
    transaction do
      update!(state: "shipped")
      OrderMailer.shipped(self).deliver_now
      notify_carrier
    end
  end

  def notify_carrier
    HTTParty.post("https://carrier.example.com/pickups", body: { id: id }, timeout: 5)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

# case: methods-calling-each-other-without-a-request (valid)
# note: Methods of the class that call each other and make no request: followed once each.
class TreeWorker
  include Sidekiq::Job

  def perform(id)
    Node.transaction do
      walk(Node.find(id))
    end
  end

  def walk(node)
    node.children.each { |child| visit(child) }
  end

  def visit(node)
    node.touch
    walk(node)
  end
end

# case: not-a-mailer-and-deferred-blocks (valid)
# note: `deliver` on something that is not a mailer, and a helper called in an after_commit block.
class DispatchWorker
  include Sidekiq::Job

  def perform(id)
    Parcel.transaction do
      parcel = Parcel.lock.find(id)
      parcel.deliver
      Courier.new(parcel).deliver_now
      parcel.after_commit { announce(parcel) }
    end
  end

  def announce(parcel)
    HTTParty.post("https://hooks.example.com/parcels", body: { id: parcel.id }, timeout: 5)
  end
end

# case: one-time-code-is-a-note (invalid)
# note: One-time code (`app/services/onetime/`, `one_time_jobs`, `backfills`, `data_migrations`, ...) runs
# note: once, by hand, and someone watches it: a push in a transaction there is a note, and the message says why.
# file: app/services/onetime/close_accounts.rb
module Onetime
  class CloseAccounts
    def process
      Account.find_each do |account|
        Account.transaction do
          account.update!(closed: true)
          SyncWorker.perform_async(account.id)
          #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit); this is one-time code (`app/services/onetime/`): it runs once, by hand, and someone watches it, so this is a note
        end
      end
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

# file: app/models/account.rb
class Account < ApplicationRecord
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end
