# WL203 external-call-in-transaction: its examples (format: workerlint/app/examples.py)

# case: request-in-a-method-called-inside-the-transaction (invalid)
# note: A method of the class, called inside the transaction, makes the request.
class OpenCycleWorker
  include Sidekiq::Job

  def perform(id)
    ActiveRecord::Base.transaction do
      cycle = Cycle.lock.find(id)
      sync_supplier(cycle)
      cycle.update!(opened_at: Time.current)
    end
  end

  private

  def sync_supplier(cycle)
    HTTParty.get(cycle.supplier_url, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` in `sync_supplier`, called inside `ActiveRecord::Base.transaction` (line 5): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
  end
end

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
# note: perform_in and perform_bulk on the worker itself, in a transaction of a model.
class RenewWorker
  include Sidekiq::Job

  def perform(ids)
    Order.transaction do
      Order.where(id: ids).update_all(state: "renewing")
      self.class.perform_in(3600, ids)
      #          ^^^^^^^^^^^^^^^^^^^^^ `self.class.perform_in` inside `Order.transaction` (line 5): the job is pushed to Redis at once, not at the commit: it can run before its rows are committed, or after a rollback (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)
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

# case: active-job-perform-later-left-alone (valid)
# note: ActiveJob's perform_later is left alone (Rails 7.2 can defer it to the commit).
class CloseAccountWorker
  include Sidekiq::Job

  def perform(id)
    Order.transaction do
      Order.where(account_id: id).update_all(state: "closed")
      FarewellMailJob.perform_later(id)
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
