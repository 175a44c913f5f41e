# WL302 unbounded-relation-load: its examples (format: workerlint/app/examples.py)

# case: where-to-a (invalid)
class ExportWorker
  include Sidekiq::Job

  def perform
    rows = Subscriber.where(confirmed: true).to_a
    #                                        ^^^^ `Subscriber.where(...).to_a` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, iterate with `find_each`, or bound the query with `limit`
    rows.size
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: scope-pluck-one-column (invalid)
# note: Every id at once. A note (one value per row), with the batched form as a suggestion.
class NewsletterWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed.pluck(:id).each { |id| Newsletter.deliver_to(id) }
    #                    ^^^^^^^^^^ `Subscriber.confirmed.pluck(:id)` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
  end
end

# fixed:
class NewsletterWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed.in_batches(of: 1000) { |batch| batch.pluck(:id).each { |id| Newsletter.deliver_to(id) } }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: bare-model-ids (invalid)
# note: A bare model: ActiveRecord runs `ids` on `Subscriber.all`.
class BulkNewsletterWorker
  include Sidekiq::Job

  def perform
    Subscriber.ids.each_slice(1000) do |slice|
    #          ^^^ `Subscriber.ids` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
      NewsletterDeliveryWorker.perform_bulk(slice.map { |id| [id] })
    end
  end
end

# fixed:
class BulkNewsletterWorker
  include Sidekiq::Job

  def perform
    Subscriber.in_batches(of: 1000) { |batch| batch.ids.each_slice(1000) do |slice|
      NewsletterDeliveryWorker.perform_bulk(slice.map { |id| [id] })
    end }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: pluck-several-columns (invalid)
# note: Several columns per row: a warning.
class MailingListWorker
  include Sidekiq::Job

  def perform
    rows = Subscriber.where(confirmed: true).pluck(:email, :name)
    #                                        ^^^^^^^^^^^^^^^^^^^^ `Subscriber.where(...).pluck(:email, :name)` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, batch the work with `in_batches`, or bound the query with `limit`
    MailingList.sync(rows)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: to-a-each (invalid)
# note: `to_a.each` is `each`: the suggestion is find_each.
class RemindWorker
  include Sidekiq::Job

  def perform
    Subscriber.where(confirmed: false).to_a.each do |subscriber|
    #                                  ^^^^ `Subscriber.where(...).to_a` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, iterate with `find_each`, or bound the query with `limit`
      subscriber.remind!
    end
  end
end

# fixed:
class RemindWorker
  include Sidekiq::Job

  def perform
    Subscriber.where(confirmed: false).find_each do |subscriber|
      subscriber.remind!
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: every-row-older-than-a-day (invalid)
# note: Every row older than a day is not a window: the older the table, the more rows.
class StaleWorker
  include Sidekiq::Job

  def perform
    Subscriber.where("confirmed_at < ?", 1.day.ago).pluck(:id, :email).each_slice(100) do |rows|
    #                                               ^^^^^^^^^^^^^^^^^^ `Subscriber.where(...).pluck(:id, :email)` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, batch the work with `in_batches`, or bound the query with `limit`
      StaleReminder.deliver(rows)
    end
  end
end

# fixed:
class StaleWorker
  include Sidekiq::Job

  def perform
    Subscriber.where("confirmed_at < ?", 1.day.ago).in_batches(of: 1000) { |batch| batch.pluck(:id, :email).each_slice(100) do |rows|
      StaleReminder.deliver(rows)
    end }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: all-to-json (invalid)
# note: Serializing the whole table into one payload.
class SnapshotWorker
  include Sidekiq::Job

  def perform
    payload = Subscriber.all.to_json
    #                        ^^^^^^^ `Subscriber.all.to_json` serializes every matching row into one string in memory at once; serialize batch by batch with `in_batches`, or bound the query with `limit`
    Storage.put("subscribers.json", payload)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: pluck-fed-back-into-sql (invalid)
# note: A pluck fed back into SQL: a subquery does it in the database.
class PurgeWorker
  include Sidekiq::Job

  def perform
    Delivery.where(subscriber_id: Subscriber.where(confirmed: false).pluck(:id)).delete_all
    #                                                                ^^^^^^^^^^ `Subscriber.where(...).pluck(:id)` loads one value for every matching row into memory at once; pass a subquery instead (`select(...)` in place of `pluck(...)`)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: ordered-chain-without-a-suggestion (invalid)
# note: An ordered chain: batches would ignore the order, so no edit is suggested.
class RankWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed.order(:created_at).pluck(:id).each_with_index do |id, rank|
    #                                       ^^^^^^^^^^ `Subscriber.confirmed.order(...).pluck(:id)` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
      Leaderboard.set(id, rank)
    end
  end
end

# fixed:
class RankWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed.order(:created_at).pluck(:id).each_with_index do |id, rank|
      Leaderboard.set(id, rank)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: unknown-constant-with-a-query-method (invalid)
# note: An unknown constant counts when the chain has a real query method.
class LegacyDumpWorker
  include Sidekiq::Job

  def perform
    Legacy::Customer.where(migrated: false).load.as_json
    #                                       ^^^^ `Legacy::Customer.where(...).load` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Legacy::Customer`, so this is a note; if the set can grow, iterate with `find_each`, or bound the query with `limit`
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: helper-class-beside-the-workers (invalid)
# note: A helper class beside the workers is worker code too.
# file: app/workers/newsletters/audience.rb
module Newsletters
  class Audience
    def emails
      Subscriber.joins(:deliveries).distinct.pluck(:email)
      #                                      ^^^^^^^^^^^^^ `Subscriber.joins(...).distinct.pluck(:email)` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
    end

    def records
      Subscriber.confirmed.records
      #                    ^^^^^^^ `Subscriber.confirmed.records` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, iterate with `find_each`, or bound the query with `limit`
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: bounded-by-limit-ids-or-scope (valid)
# note: Bounded by limit, by a where on the primary key, by a scope that limits itself.
class DigestWorker
  include Sidekiq::Job

  def perform(subscriber_ids)
    Subscriber.confirmed.order(:id).limit(500).pluck(:email)
    Subscriber.where(id: subscriber_ids).to_a
    Subscriber.newest.as_json
    Subscriber.where(confirmed: true).first(10).to_json
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: not-relations-named-load-or-all (valid)
# note: Sidekiq::Queue.all is not a relation; YAML.load and Kernel#load are not Relation#load.
class QueueSnapshotWorker
  include Sidekiq::Job

  def perform(path)
    Sidekiq::Queue.all.to_a.map(&:name)
    Sidekiq::ScheduledSet.new.to_a
    YAML.load(File.read(path))
    load(path)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: association-of-one-record (valid)
# note: An association through a local is scoped to one parent record.
class AccountExportWorker
  include Sidekiq::Job

  def perform(account_id)
    account = Account.find(account_id)
    account.subscribers.pluck(:email)
    account.subscribers.to_a
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: relation-local-and-sql-aggregates (valid)
# note: A local reassigned before its use is not followed; aggregates are computed in SQL.
class CountWorker
  include Sidekiq::Job

  def perform(recent_only)
    scope = Subscriber.where(confirmed: true)
    scope = scope.newest if recent_only
    scope.pluck(:id)
    Subscriber.where(confirmed: true).count
    Subscriber.where(confirmed: true).maximum(:id)
    Subscriber.where(confirmed: true).exists?
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: already-batched (valid)
# note: Already batched.
class BatchedWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed.in_batches(of: 1000) do |batch|
      NewsletterDeliveryWorker.perform_bulk(batch.pluck(:id).map { |id| [id] })
    end
    Subscriber.confirmed.find_in_batches { |group| group.to_json }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: non-model-class-and-one-record-to-json (valid)
# note: Feed is a project class but not a model; the record's own to_json is one row.
class FeedWorker
  include Sidekiq::Job

  def perform(subscriber_id)
    Feed.where(kind: "rss").to_a
    Subscriber.find(subscriber_id).to_json
    Subscriber.to_json
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: model-method-outside-worker-code (valid)
# note: Not worker code: a model method outside the worker folders.
# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  def self.export
    where(confirmed: true).to_a
    Subscriber.where(confirmed: true).pluck(:email, :name)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: unknown-constant-with-all-only (valid)
# note: An unknown constant with only `all` is not a relation (Stripe's API, not ActiveRecord).
class StripeSyncWorker
  include Sidekiq::Job

  def perform
    Stripe::Customer.all.to_a
    Stripe::Customer.all.as_json
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: rolling-window-and-distinct-subset (valid)
# note: A rolling window of recent rows is bounded by the write rate, not the table size; the
# note: distinct values of a column filtered by a list are a subset of that list.
class RecentWorker
  include Sidekiq::Job

  def perform(emails)
    Subscriber.where("created_at > ?", 1.hour.ago).to_a
    Subscriber.where("confirmed_at BETWEEN ? AND ?", 2.days.ago, Time.current).pluck(:id)
    Subscriber.where(confirmed_at: (1.day.ago..)).ids
    Subscriber.distinct.where(email: emails).pluck(:email)
    Subscriber.where(email: emails.first).pluck(:id).first
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed, -> { where(confirmed: true) }
  scope :newest, -> { order(id: :desc).limit(50) }
  has_many :deliveries
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/feed.rb
class Feed
  def self.where(*) = []
end

# case: relation-in-a-local (invalid)
# note: A local assigned a relation chain once in the method is that chain.
class ExportWorker
  include Sidekiq::Job

  def perform
    confirmed = Subscriber.where(confirmed: true)
    confirmed.pluck(:id, :email).each_slice(100) { |rows| Export.write(rows) }
    #         ^^^^^^^^^^^^^^^^^^ `confirmed.pluck(:id, :email)` (`Subscriber.where(...)`, line 5) loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, batch the work with `in_batches`, or bound the query with `limit`
  end
end

# fixed:
class ExportWorker
  include Sidekiq::Job

  def perform
    confirmed = Subscriber.where(confirmed: true)
    confirmed.in_batches(of: 1000) { |batch| batch.pluck(:id, :email).each_slice(100) { |rows| Export.write(rows) } }
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
end

# case: enum-and-concern-scopes (invalid)
# note: Scopes generated by `enum` and scopes of an included concern make relation chains.
class PurgeWorker
  include Sidekiq::Job

  def perform
    Subscriber.bounced.pluck(:email)
    #                  ^^^^^^^^^^^^^ `Subscriber.bounced.pluck(:email)` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
    Subscriber.not_bounced.alive.to_a
    #                            ^^^^ `Subscriber.not_bounced.alive.to_a` loads every matching row into memory at once; how many is not known: the chain is filtered and nothing in the project batches `Subscriber`, so this is a note; if the set can grow, iterate with `find_each`, or bound the query with `limit`
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/concerns/soft_deletable.rb
module SoftDeletable
  extend ActiveSupport::Concern

  included do
    scope :alive, -> { where(deleted_at: nil) }
  end
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  include SoftDeletable

  enum :delivery, { delivered: 0, bounced: 1 }, suffix: false
end

# case: ids-staggered-by-index (invalid)
# note: The loop delays each job by its index: batches would restart the index (and the delays),
# note: so no batched form is suggested.
class RefreshAllWorker
  include Sidekiq::Job

  def perform
    Subscriber.pluck(:id).each_with_index do |id, index|
    #          ^^^^^^^^^^ `Subscriber.pluck(:id)` loads one value for every matching row into memory at once; the loop staggers its jobs by the index (line 6), which batches would restart: bound the query with `limit`, or carry the offset across batches
      RefreshWorker.perform_in((index * 5).seconds, id)
    end
    Subscriber.where(confirmed: true).ids.each.with_index do |id, i|
    #                                 ^^^ `Subscriber.where(...).ids` loads one value for every matching row into memory at once; the loop staggers its jobs by the index (line 9), which batches would restart: bound the query with `limit`, or carry the offset across batches
      RefreshWorker.set(wait: i.minutes).perform_async(id)
    end
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
end

# case: scoped-or-bounded-by-a-list (valid)
# note: Scoped to one parent (a foreign key or `belongs_to` equal to one value), or bounded by a
# note: list that is a job argument or a local from a bounded chain.
class NotifyWorker
  include Sidekiq::Job

  def perform(account_id, emails)
    account = Account.find(account_id)
    Subscriber.where(account_id: account_id).pluck(:email)
    Subscriber.where(account: account).to_a
    Subscriber.where(email: emails).pluck(:id, :email)
    latest = Subscriber.order(id: :desc).limit(20).pluck(:email)
    Delivery.where(email: latest).pluck(:id)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :subscribers
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  belongs_to :account
end

# file: app/models/delivery.rb
class Delivery < ApplicationRecord
end

# case: window-scope-and-local-window (valid)
# note: A scope bounding a time column by its argument, called with a time relative to now, and a
# note: local range starting relative to now, keep a rolling window.
class RecentWorker
  include Sidekiq::Job

  def perform
    Subscriber.confirmed_after(2.days.ago).pluck(:id)
    period = 1.day.ago..Time.current
    Subscriber.where(confirmed_at: period).ids
    Subscriber.where("confirmed_at > NOW() - INTERVAL '1 day'").to_a
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/subscriber.rb
class Subscriber < ApplicationRecord
  scope :confirmed_after, ->(time) { where("subscribers.confirmed_at >= ?", time) }
end

# case: filtered-model-batched-elsewhere-is-a-warning (invalid)
# note: A filtered chain of a model another file batches (find_each): the project treats it as many.
class ExportWorker
  include Sidekiq::Job

  def perform
    rows = Subscriber.where(confirmed: true).to_a
    #                                        ^^^^ `Subscriber.where(...).to_a` loads every matching row into memory at once; iterate with `find_each`, or bound the query with `limit`
    rows.size
  end
end

# file: app/models/subscriber.rb
class Subscriber < ActiveRecord::Base
end

# file: app/services/newsletter.rb
class Newsletter
  def self.deliver_all
    Subscriber.where(confirmed: true).find_each { |subscriber| subscriber.deliver! }
  end
end

# case: whole-table-is-a-warning (invalid)
# note: A chain with no filter (all, order, includes) is every row of the table: a warning.
class ExportWorker
  include Sidekiq::Job

  def perform
    rows = Subscriber.order(:id).to_a
    #                            ^^^^ `Subscriber.order(...).to_a` loads every matching row into memory at once; iterate with `find_each`, or bound the query with `limit`
    rows.size
  end
end

# file: app/models/subscriber.rb
class Subscriber < ActiveRecord::Base
end

# case: filtered-model-batched-with-a-limit (valid)
# note: A filtered chain with a limit is bounded, whatever the project batches.
class ExportWorker
  include Sidekiq::Job

  def perform
    Subscriber.where(confirmed: true).limit(100).to_a
  end
end

# file: app/models/subscriber.rb
class Subscriber < ActiveRecord::Base
end

# case: scope-bounded-by-the-list-it-is-given (valid)
# note: A scope holding a column to one of its parameters (`where(channel_id: channel_ids)`) is bounded
# note: when called with a bounded list in that position, as `where(channel_id: ids)` written in the chain
# note: is: here a slice of `each_slice`, and the ids of a relation bounded by that slice (`map` of a
# note: bounded collection). A scope passing its parameter on to such a scope is bounded the same way.
class ReindexWorker
  include Sidekiq::Job

  def perform
    listed_channel_ids.each_slice(100) do |ids|
      channels = Channel.where(id: ids).to_a
      Post.latest_per_channel(20, channels.map(&:id)).pluck(:channel_id, :title)
      Post.for_channels(ids).to_a
      Post.published_in(ids).to_a
    end
  end

  private

  def listed_channel_ids
    ChannelDirectory.listed_ids
  end
end

# file: app/models/post.rb
class Post < ActiveRecord::Base
  scope :latest_per_channel, ->(n, channel_ids) { where("posts_rank <= ?", n).where(channel_id: channel_ids) }
  scope :for_channels, ->(channel_ids) { where(channel_id: channel_ids) }
  scope :published_in, ->(channel_ids) { for_channels(channel_ids).where(published: true) }
end

# file: app/models/channel.rb
class Channel < ActiveRecord::Base
end

# file: lib/tasks/posts.rake
task posts: :environment do
  Post.where(indexed: false).find_each { |post| PostIndex.write(post) }
end

# case: scope-given-a-list-that-is-not-bounded (invalid)
# note: The same scope called with a list that nothing bounds (a method's result, the ids of a filtered
# note: relation) or a value derived from its parameter in the scope (`ids.first`, not the list it is
# note: given) bounds nothing: the chain is reported as any other.
class ReindexWorker
  include Sidekiq::Job

  def perform
    Post.for_channels(listed_channel_ids).to_a
    #                                     ^^^^ `Post.for_channels(...).to_a` loads every matching row into memory at once; iterate with `find_each`, or bound the query with `limit`
    Post.for_channels(Channel.where(listed: true).ids).to_a
    #                                             ^^^ `Channel.where(...).ids` loads one value for every matching row into memory at once; batch the work with `in_batches`, or bound the query with `limit`
    #                                                  ^^^^ `Post.for_channels(...).to_a` loads every matching row into memory at once; iterate with `find_each`, or bound the query with `limit`
    Post.after_first(listed_channel_ids.first(10)).to_a
    #                                              ^^^^ `Post.after_first(...).to_a` loads every matching row into memory at once; iterate with `find_each`, or bound the query with `limit`
  end

  private

  def listed_channel_ids
    ChannelDirectory.listed_ids
  end
end

# file: app/models/post.rb
class Post < ActiveRecord::Base
  scope :for_channels, ->(channel_ids) { where(channel_id: channel_ids) }
  scope :after_first, ->(channel_ids) { where("channel_id > ?", channel_ids.first) }
end

# file: app/models/channel.rb
class Channel < ActiveRecord::Base
end

# file: lib/tasks/posts.rake
task posts: :environment do
  Post.where(indexed: false).find_each { |post| PostIndex.write(post) }
end
