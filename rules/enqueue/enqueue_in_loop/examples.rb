# WL601 enqueue-in-loop: its examples (format: workerlint/app/examples.py)

# case: perform-async-in-each (invalid)
class NightlyWorker
  include Sidekiq::Job

  def perform
    stale_ids = Sidekiq.redis { |conn| conn.call("SMEMBERS", "stale") }
    stale_ids.each { |id| SyncWorker.perform_async(id) }
    #                                ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `stale_ids.each` enqueues one job per iteration over `stale_ids` (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# fixed:
class NightlyWorker
  include Sidekiq::Job

  def perform
    stale_ids = Sidekiq.redis { |conn| conn.call("SMEMBERS", "stale") }
    SyncWorker.perform_bulk(stale_ids.map { |id| [id] })
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: find-each-in-a-controller (invalid)
# note: Anywhere in application code: a controller, with find_each.
# file: app/controllers/resyncs_controller.rb
class ResyncsController < ApplicationController
  def create
    Account.active.find_each do |account|
      SyncWorker.perform_async(account.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.active.find_each` (line 3) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
  end
end

# fixed:
class ResyncsController < ApplicationController
  def create
    Account.active.in_batches { |batch| SyncWorker.perform_bulk(batch.map { |account| [account.id] }) }
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: active-job-perform-later-in-each-with-index (invalid)
# note: ActiveJob: perform_later, with ActiveJob.perform_all_later as the bulk form.
# file: app/models/account.rb
class Account < ApplicationRecord
  def self.welcome_all(ids)
    ids.each_with_index { |id, i| WelcomeJob.set(wait: i.seconds).perform_later(id) }
    #                                                             ^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `ids.each_with_index` enqueues one job per iteration over `ids` (its size is not known), one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
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

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: push-bulk-before-sidekiq-6-3 (invalid)
# note: Before Sidekiq 6.3 there is no perform_bulk: Sidekiq::Client.push_bulk.
class FanOutWorker
  include Sidekiq::Worker

  def perform(ids)
    ids.each { |id| SyncWorker.perform_async(id, "fan-out") }
    #                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `ids.each` enqueues one job per iteration over `ids`, a job argument (a list of any length), one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args)` (`perform_bulk` needs Sidekiq 6.3, this is Sidekiq 6.2.1)
  end
end

# fixed:
class FanOutWorker
  include Sidekiq::Worker

  def perform(ids)
    Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => ids.map { |id| [id, "fan-out"] })
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.2.1)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: scheduled-pushes-in-each-with-index (invalid)
# note: Scheduled pushes: push_bulk with "at".
class ReminderWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each.with_index do |id, i|
      SyncWorker.perform_in(i * 10, id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_in` inside `ids.each.with_index` (line 5) schedules one job per iteration over `ids`, a job argument (a list of any length), each later than the last (a stagger), one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args, "at" => times)`
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: while-loop-times-upto-and-for (invalid)
# note: Loops: while, until, loop, times, upto, for. A count that is a job argument is large; the
# note: `perform_at` scheduled by the step number is a stagger: a note.
class PollWorker
  include Sidekiq::Job

  def perform(count)
    while (id = queue.pop)
      SyncWorker.perform_async(id)
      #          ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `while` loop (line 5) enqueues one job per iteration over a `while` loop that no small literal bounds, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
    loop { SyncWorker.perform_async(next_id) or break }
    #                 ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `loop` block enqueues one job per iteration over a `loop` that no small literal bounds, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    count.times { |n| SyncWorker.perform_at(n.hours.from_now, n) }
    #                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_at` inside `count.times` schedules one job per iteration over `count`, a count that no small literal bounds, each later than the last (a stagger), one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args, "at" => times)`
    for id in pending do SyncWorker.perform_async(id) end
    #                               ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `for` loop enqueues one job per iteration over `pending` (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: innermost-loop-is-named (invalid)
# note: The innermost loop is named; blocks that do not iterate do not hide the loop around them.
class ShardWorker
  include Sidekiq::Job

  def perform(ids)
    Account.active.in_batches do |batch|
      batch.each do |account|
        Sidekiq::Client.via(POOL) { self.class.perform_async(account.id) }
        #                                      ^^^^^^^^^^^^^^^^^^^^^^^^^ `ShardWorker.perform_async` inside `batch.each` (line 6) within `Account.active.in_batches` (line 5) enqueues one job per iteration over `in_batches` batches (many rows), one Redis round trip each; push them together with `ShardWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: worker-through-a-local (invalid)
# note: A worker enqueued through a local (the class is not visible).
class RecoverWorker
  include Sidekiq::Job

  def perform(worker_name, args_list)
    worker = worker_name.constantize
    args_list.each_slice(2) { |args| worker.perform_async(*args) }
    #                                       ^^^^^^^^^^^^^^^^^^^^ `worker.perform_async` inside `args_list.each_slice` enqueues one job per iteration over `args_list`, a job argument (a list of any length), one Redis round trip each; push them together with `worker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: until-loop-in-a-model (invalid)
# note: until, in a model's class method.
# file: app/models/account.rb
class Account < ApplicationRecord
  def self.drain(queue)
    until queue.empty?
      WelcomeJob.perform_later(queue.shift)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside an `until` loop (line 3) enqueues one job per iteration over an `until` loop that no small literal bounds, one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
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

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: select-block-iterates (invalid)
# note: select with a block iterates too.
# file: app/controllers/imports_controller.rb
class ImportsController < ApplicationController
  def create
    rows = CSV.parse(params[:file].read)
    rows.select { |row| row[0].present? && SyncWorker.perform_async(row[0]) }
    #                                                 ^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `rows.select` enqueues one job per element of request input, `params[:file].read` (line 3): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: perform-all-later-and-used-loop-value (invalid)
# note: ActiveJob: ActiveJob.perform_all_later; a loop whose value is used gets no rewrite.
# file: app/controllers/welcomes_controller.rb
class WelcomesController < ApplicationController
  def create
    params[:user_ids].each do |user_id|
      WelcomeJob.perform_later(user_id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `params[:user_ids].each` (line 3) enqueues one job per element of request input, `params[:user_ids]` (line 3): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
    end
    jobs = params[:user_ids].map { |user_id| WelcomeJob.perform_later(user_id) }
    #                                                   ^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `params[:user_ids].map` enqueues one job per element of request input, `params[:user_ids]` (line 6): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
  end
end

# fixed:
class WelcomesController < ApplicationController
  def create
    ActiveJob.perform_all_later(params[:user_ids].map { |user_id| WelcomeJob.new(user_id) })
    jobs = params[:user_ids].map { |user_id| WelcomeJob.perform_later(user_id) }
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: unbounded-relation-through-a-local-is-a-warning (invalid)
# note: A local assigned once from `pluck` of an unbounded relation: large, a warning.
class ReindexWorker
  include Sidekiq::Job

  def perform
    ids = Account.where(plan: "pro").pluck(:id)
    ids.each { |id| SyncWorker.perform_async(id) }
    #                          ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `ids.each` enqueues one job per iteration over `ids`, `Account.where(plan: "pro").pluck(:id)`, one value per row (`Account.where(...)`, a filtered relation whose size is not known: nothing in the project batches `Account`), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# fixed:
class ReindexWorker
  include Sidekiq::Job

  def perform
    ids = Account.where(plan: "pro").pluck(:id)
    SyncWorker.perform_bulk(ids.map { |id| [id] })
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: association-of-a-record-is-a-note (invalid)
# note: An association through a local: its size is not known, a note.
# file: app/models/team.rb
class Team < ApplicationRecord
  def resync(account)
    account.users.each { |user| SyncWorker.perform_async(user.id) }
    #                                      ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `account.users.each` enqueues one job per iteration over `account.users` (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# fixed:
class Team < ApplicationRecord
  def resync(account)
    SyncWorker.perform_bulk(account.users.map { |user| [user.id] })
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: nested-loops-take-the-largest (invalid)
# note: A loop over locales inside `find_each`: the enqueue takes the largest evidence, a warning.
class DigestWorker
  include Sidekiq::Job

  def perform
    Account.active.find_each do |account|
      I18n.available_locales.each do |locale|
        SyncWorker.perform_async(account.id, locale.to_s)
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `I18n.available_locales.each` (line 6) within `Account.active.find_each` (line 5) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: request-input-through-a-job-argument (invalid)
# note: The worker iterates its job argument, and the controller enqueues it with request input:
# note: job flooding, an error (CWE-770).
class FanOutWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each { |id| SyncWorker.perform_async(id) }
    #                          ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `ids.each` enqueues one job per element of request input, the job argument `ids`: `params[:ids]` in app/controllers/syncs_controller.rb:3 -> `FanOutWorker.perform_async` -> `perform(ids)`: one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`
  end
end

# fixed:
class FanOutWorker
  include Sidekiq::Job

  def perform(ids)
    SyncWorker.perform_bulk(ids.map { |id| [id] })
  end
end

# file: app/controllers/syncs_controller.rb
class SyncsController < ApplicationController
  def create
    FanOutWorker.perform_async(params[:ids])
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: client-push-and-mailer-deliveries (invalid)
# note: `Sidekiq::Client.push` and a mailer's `deliver_later` in a loop enqueue one job each. A
# note: pushed item whose class the code does not show gets `push_bulk` per class, not a name.
# file: app/services/reminders.rb
class Reminders
  def call(accounts)
    accounts.each do |account|
      Sidekiq::Client.push("class" => SyncWorker, "args" => [account.id])
      #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Sidekiq::Client.push` inside `accounts.each` (line 3) enqueues one job per iteration over `accounts` (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      AccountMailer.reminder(account).deliver_later
      #                               ^^^^^^^^^^^^^ `AccountMailer.reminder(...).deliver_later` inside `accounts.each` (line 3) enqueues one job per iteration over `accounts` (its size is not known), one Redis round trip each; collect the mails and enqueue them together with `ActionMailer.deliver_all_later(mails)` (Rails 8.1+), or send them from one job that loops over the recipients
    end
  end

  def replay(items)
    items.each { |item| Sidekiq::Client.push(item) }
    #                                   ^^^^^^^^^^ `Sidekiq::Client.push` inside `items.each` enqueues one job per iteration over `items` (its size is not known), one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => klass, "args" => args)`, one call per job class
  end
end

# file: app/mailers/account_mailer.rb
class AccountMailer < ApplicationMailer
  def reminder(account); end
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: rake-task-over-every-account (invalid)
# note: `.rake` files are application code.
# file: lib/tasks/resync.rake
namespace :accounts do
  task resync: :environment do
    Account.find_each { |account| SyncWorker.perform_async(account.id) }
    #                                        ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.find_each` enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# fixed:
namespace :accounts do
  task resync: :environment do
    Account.in_batches { |batch| SyncWorker.perform_bulk(batch.map { |account| [account.id] }) }
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: find-in-batches-gets-a-bulk-push-per-batch (invalid)
# note: An `each` over the batch of `find_in_batches`: one bulk push per batch.
class ArchiveWorker
  include Sidekiq::Job

  def perform
    Account.where(archived: false).find_in_batches do |batch|
      batch.each { |account| SyncWorker.perform_async(account.id) }
      #                                 ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `batch.each` within `Account.where(archived: false).find_in_batches` (line 5) enqueues one job per iteration over `find_in_batches` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
  end
end

# fixed:
class ArchiveWorker
  include Sidekiq::Job

  def perform
    Account.where(archived: false).find_in_batches do |batch|
      SyncWorker.perform_bulk(batch.map { |account| [account.id] })
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: staggered-batches-are-a-note (invalid)
# note: A delay that grows with the index of the loop is a deliberate stagger: a note, even over
# note: the batches of `find_each` (whose enumerator `with_index` numbers).
class VerifyDomainsWorker
  include Sidekiq::Job

  def perform
    Account.active.find_each.with_index do |account, index|
      SyncWorker.perform_in(index * 5, account.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_in` inside `Account.active.find_each.with_index` (line 5) schedules one job per iteration over `Account.active.find_each` batches (many rows), each later than the last (a stagger), one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args, "at" => times)`
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: literal-filled-later-is-not-small (invalid)
# note: A local assigned a literal that the method then fills is not small: its size is not
# note: known, a note.
class DispatchWorker
  include Sidekiq::Job

  def perform(rows)
    queues = {}
    rows.each { |row| (queues[row["queue"]] ||= []) << row["id"] }
    queues.each do |queue, ids|
      SyncWorker.set(queue: queue).perform_async(ids)
      #                            ^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `queues.each` (line 7) enqueues one job per iteration over `queues` (filled after it is assigned), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: admin-controller-is-a-note (invalid)
# note: Request input sizes the loop, but only an administrator can send the request (a class in
# note: an `Admin::` namespace): it floods only if an administrator asks for it, a note, not an
# note: error.
# file: app/controllers/admin/syncs_controller.rb
module Admin
  class SyncsController < Admin::BaseController
    def create
      params[:ids].each { |id| SyncWorker.perform_async(id) }
      #                                   ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `params[:ids].each` enqueues one job per element of request input, `params[:ids]` (line 4): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`; only an administrator can send it (`Admin::SyncsController`), so it floods only if an administrator asks for it: a note
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: admin-folder-controller-is-a-note (invalid)
# note: A controller file in `app/controllers/admin/` is an admin controller whatever its class
# note: is named: a note too.
# file: app/controllers/admin/resyncs_controller.rb
class ResyncsController < AdminController
  def create
    params[:ids].each { |id| SyncWorker.perform_async(id) }
    #                                   ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `params[:ids].each` enqueues one job per element of request input, `params[:ids]` (line 3): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`; only an administrator can send it (`app/controllers/admin/`), so it floods only if an administrator asks for it: a note
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: authenticated-sender-is-a-warning (invalid)
# note: A `before_action` that authenticates the caller covers `create`; `except:` leaves `open`
# note: out, which stays an error.
# file: app/controllers/team_syncs_controller.rb
class TeamSyncsController < ApplicationController
  before_action :authenticate_user!, except: :open

  def create
    params[:ids].each { |id| SyncWorker.perform_async(id) }
    #                                   ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `params[:ids].each` enqueues one job per element of request input, `params[:ids]` (line 5): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`; only an authenticated sender can send it (`before_action :authenticate_user!`, line 2)
  end

  def open
    params[:ids].each { |id| SyncWorker.perform_async(id) }
    #                                   ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `params[:ids].each` enqueues one job per element of request input, `params[:ids]` (line 9): one request can push any number of jobs (job flooding); cap its size where the request is read, and push them together with `SyncWorker.perform_bulk(args)`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: active-job-on-another-adapter (valid)
# note: perform_later while the ActiveJob adapter is not Sidekiq: the job never reaches Sidekiq.
# file: app/models/signup_batch.rb
class WelcomeJob < ActiveJob::Base
  def perform(id) = id
end

class SignupBatch
  def self.welcome(ids)
    ids.each { |id| WelcomeJob.perform_later(id) }
  end
end

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.active_job.queue_adapter = :good_job
  end
end

# case: perform-bulk-after-building-the-lists (valid)
# note: perform_bulk next to the loop that builds its argument lists.
class NightlyWorker
  include Sidekiq::Job

  def perform
    args = Account.active.pluck(:id).map { |id| [id] }
    SyncWorker.perform_bulk(args)
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: perform-bulk-per-batch (valid)
# note: perform_bulk inside in_batches is one push per batch of 1,000.
class BackfillWorker
  include Sidekiq::Job

  def perform
    Account.active.in_batches do |batch|
      SyncWorker.perform_bulk(batch.ids.map { [_1] })
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: enqueue-after-a-loop (valid)
# note: An enqueue outside any loop, after one.
# file: app/controllers/accounts_controller.rb
class AccountsController < ApplicationController
  def update
    params[:tags].each { |tag| @account.tags << tag }
    SyncWorker.perform_async(@account.id)
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: blocks-that-do-not-iterate (valid)
# note: Blocks that do not iterate: a transaction, a Redis pool switch, tap, then.
# file: app/models/account.rb
class Account < ApplicationRecord
  def close!
    transaction do
      update!(closed: true)
      SyncWorker.perform_async(id)
    end
    Sidekiq::Client.via(SHARD_POOL) { SyncWorker.perform_in(5.minutes, id) }
    tap { WelcomeJob.perform_later(id) }
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

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: loop-condition-and-enqueue-after-the-loop (valid)
# note: The loop's condition is evaluated once per iteration, but only the body enqueues here,
# note: and the enqueue after the loop is outside it.
class DrainWorker
  include Sidekiq::Job

  def perform
    while (batch = next_batch)
      process(batch)
    end
    SyncWorker.perform_async("done")
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: lambda-or-proc-built-in-a-loop (valid)
# note: A lambda or proc built in a loop runs later, not once per iteration.
class HooksWorker
  include Sidekiq::Job

  def perform(ids)
    hooks = ids.map { |id| -> { SyncWorker.perform_async(id) } }
    callbacks = ids.map { |id| proc { WelcomeJob.perform_later(id) } }
    hooks.first&.call
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: perform-now-and-direct-perform (valid)
# note: perform_now and deliver_later are not Sidekiq pushes of a job class method named here.
class ReplayWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each { |id| WelcomeJob.perform_now(id) }
    ids.each { |id| SyncWorker.new.perform(id) }
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: data-migration-under-db (valid)
# note: Data migrations and seeds under db/ run once.
# file: db/data_migration/20250101000000_resync_legacy_accounts.rb
Account.where(legacy: true).find_each do |account|
  SyncWorker.perform_async(account.id)
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: perform-bulk-per-slice (valid)
# note: perform_bulk per slice: one push per 1,000 jobs.
class ReindexWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each_slice(1_000) { |slice| SyncWorker.perform_bulk(slice.map { |id| [id] }) }
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
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: methods-defined-in-a-loop (valid)
# note: Methods defined in a loop enqueue when they are called, not once per iteration.
# file: app/models/account.rb
class Account < ApplicationRecord
  %w[sync resync].each do |name|
    define_method("#{name}_later") { SyncWorker.perform_async(id) }
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

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: small-literal-collections-are-silent (valid)
# note: A literal list, a constant holding one, the available locales, a small literal count,
# note: a small limit, and a `while` bounded by a small literal: nothing.
class WarmupWorker
  include Sidekiq::Job

  REGIONS = %w[eu us ap].freeze

  def perform
    %w[daily weekly].each { |period| SyncWorker.perform_async(period) }
    REGIONS.each { |region| SyncWorker.perform_async(region) }
    I18n.available_locales.each { |locale| SyncWorker.perform_async(locale.to_s) }
    3.times { |n| SyncWorker.perform_in(n.minutes, n) }
    Account.order(:id).limit(10).each { |account| SyncWorker.perform_async(account.id) }
    attempts = 0
    while attempts < 3
      SyncWorker.perform_async(attempts)
      attempts += 1
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: batches-over-a-rolling-window-are-a-note (invalid)
# note: Batching says "many rows" only while nothing else bounds the chain: a rolling time window
# note: (the last hour) decides, and its size is not known. The same holds for a window written
# note: in a method of the class, or returned by a class method read through `self.class`.
class RecentSyncWorker
  include Sidekiq::Job

  def perform
    Account.where(created_at: 1.hour.ago..).find_each do |account|
      SyncWorker.perform_async(account.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 5) enqueues one job per iteration over `Account.where(...)`, a rolling time window (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
    recently_opened.find_each { |account| SyncWorker.perform_async(account.id) }
    #                                                ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `recently_opened.find_each` enqueues one job per iteration over `Account.where(...)`, a rolling time window (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Account.where(closed_at: self.class.period).pluck(:id).each { |id| SyncWorker.perform_async(id) }
    #                                                                             ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside an `each` block enqueues one job per iteration over `Account.where(closed_at: self.class...)`, one value per row (`Account.where(...)`, a rolling time window (its size is not known)), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end

  def self.period
    1.week.ago..1.day.ago
  end

  private

  def recently_opened
    Account
      .where(opened_at: 1.hour.ago..Time.current)
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: batches-of-one-parent-are-a-note (invalid)
# note: A batched chain scoped to one parent (a foreign key equal to one value) and an
# note: association read from one record are one parent's rows: their size is not known.
class OwnerSyncWorker
  include Sidekiq::Job

  def perform(owner_id)
    Account.where(owner_id: owner_id).find_each { |account| SyncWorker.perform_async(account.id) }
    #                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Account.where(...)`, scoped to one parent, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    owner = Owner.find(owner_id)
    owner.accounts.find_each { |account| SyncWorker.perform_async(account.id) }
    #                                               ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `owner.accounts.find_each` enqueues one job per iteration over `owner.accounts`, an association (scoped to one parent), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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

# file: app/models/owner.rb
class Owner < ApplicationRecord
  has_many :accounts
end

# file: app/models/account.rb
class Account < ApplicationRecord
  belongs_to :owner
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: batches-under-a-small-limit (valid)
# note: `limit(50)` bounds the batched chain to at most 50 rows: small, nothing to report.
class FirstAccountsWorker
  include Sidekiq::Job

  def perform
    Account.active.limit(50).find_each { |account| SyncWorker.perform_async(account.id) }
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: mail-per-recipient-before-rails-8-1 (invalid)
# note: Rails before 8.1 has no `ActionMailer.deliver_all_later`: one job per mail is all it can
# note: do, so a mail per row of a large set is a note, and the message says why. The mail
# note: is named as written, `.with(...)` included.
class ExpiringCardsWorker
  include Sidekiq::Job

  def perform
    Account.active.find_each do |account|
      AccountMailer.with(account: account).expiring.deliver_later
      #                                             ^^^^^^^^^^^^^ `AccountMailer.with(...).expiring.deliver_later` inside `Account.active.find_each` (line 5) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; Rails 7.1.3 has no bulk mail enqueue (`ActionMailer.deliver_all_later` is Rails 8.1+), so one job per mail is inherent; if the count grows, send the mails from one job that loops over the recipients
    end
  end
end

# file: app/mailers/account_mailer.rb
class AccountMailer < ApplicationMailer
  def expiring; end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.1.3)
#     rails (7.1.3)
#     sidekiq (7.2.4)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  scope :active, -> { where(active: true) }
end

# case: mail-per-recipient-on-rails-8-1 (invalid)
# note: Rails 8.1 enqueues mails in bulk: a mail per row of a large set is a warning.
class ExpiringCardsWorker
  include Sidekiq::Job

  def perform
    Account.active.find_each do |account|
      AccountMailer.expiring(account).deliver_later
      #                               ^^^^^^^^^^^^^ `AccountMailer.expiring(...).deliver_later` inside `Account.active.find_each` (line 5) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; collect the mails and enqueue them together with `ActionMailer.deliver_all_later(mails)` (Rails 8.1+), or send them from one job that loops over the recipients
    end
  end
end

# file: app/mailers/account_mailer.rb
class AccountMailer < ApplicationMailer
  def expiring(account); end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (8.1.0)
#     rails (8.1.0)
#     sidekiq (7.2.4)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  scope :active, -> { where(active: true) }
end

# case: chain-written-one-call-a-line (invalid)
# note: A chain written one call a line is shown as the code means it, without the line breaks;
# note: `uniq` after `pluck` keeps the evidence of the plucked chain.
class OwnersSyncWorker
  include Sidekiq::Job

  def perform
    Account
      .active
      .pluck(:owner_id)
      .uniq
      .each { |owner_id| SyncWorker.perform_async(owner_id) }
      #                             ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside an `each` block (line 5) enqueues one job per iteration over `Account.active.pluck(:owner_id)`, one value per row (`Account.active`, a filtered relation whose size is not known: nothing in the project batches `Account`), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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
  scope :active, -> { where(active: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: batches-of-an-association-in-a-concern (invalid)
# note: Inside a model (or a concern beside the models), a plural association read from `self`,
# note: narrowed by query methods, is one record's rows: a note.
# file: app/models/concerns/reindexed.rb
module Reindexed
  extend ActiveSupport::Concern

  def reindex_accounts
    accounts.select(:id).find_each { |account| SyncWorker.perform_async(account.id) }
    #                                                     ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `accounts.select(:id).find_each` enqueues one job per iteration over `accounts.select(:id)`, an association (scoped to one parent), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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

# file: app/models/owner.rb
class Owner < ApplicationRecord
  include Reindexed
  has_many :accounts
end

# file: app/models/account.rb
class Account < ApplicationRecord
  belongs_to :owner
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: active-job-per-row-before-rails-7-1 (invalid)
# note: `ActiveJob.perform_all_later` came with Rails 7.1: before it one push per ActiveJob job is
# note: all Rails can do, so a large loop is a note, with no bulk suggestion.
class NightlyJob < ApplicationJob
  def perform
    Account.active.find_each { |account| WelcomeJob.perform_later(account.id) }
    #                                               ^^^^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `Account.active.find_each` enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; Rails 7.0.8 has no bulk enqueue for ActiveJob (`ActiveJob.perform_all_later` is Rails 7.1+), so one push per job is inherent; if the count grows, enqueue one job that loops over the elements
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     activejob (7.0.8)
#     rails (7.0.8)
#     sidekiq (7.2.4)

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# file: app/models/account.rb
class Account < ApplicationRecord
  scope :active, -> { where(active: true) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/welcome_job.rb
class WelcomeJob < ApplicationJob
  def perform(id); end
end

# case: pending-set-drained-by-the-loop (invalid)
# note: A loop that moves each row out of its own filter (sets the filtered column to another value, or
# note: destroys the row) drains a pending set: each run sees only the rows that arrived since the last,
# note: so its size is the arrival rate, not known: a note. Without that update it stays a warning.
# file: app/workers/reminder_worker.rb
class ReminderWorker
  include Sidekiq::Job

  def perform
    Invoice.where(reminded_at: nil).find_each do |invoice|
      SyncWorker.perform_async(invoice.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 5) enqueues one job per iteration over `Invoice.where(...)`, a pending set: the loop moves each row out of it (`invoice.update!(reminded_at: Time.current)`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      invoice.update!(reminded_at: Time.current)
    end
    Invoice.where(state: "expired").find_each do |invoice|
      SyncWorker.perform_async(invoice.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 9) enqueues one job per iteration over `Invoice.where(...)`, a pending set: the loop moves each row out of it (`invoice.destroy!`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      invoice.destroy!
    end
    Invoice.where(reminded_at: nil).find_each do |invoice|
      SyncWorker.perform_async(invoice.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 13) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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

# file: app/models/invoice.rb
class Invoice < ApplicationRecord
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: rows-sharing-one-runtime-value (invalid)
# note: A column that is not a key, equal to one runtime value (a record's attribute, a local), selects
# note: the rows sharing one entity's value: how many is not known, a note. Equal to a literal it selects a
# note: whole category of rows and stays a warning. Equal to a time relative to now it is a slice of time
# note: (one day's rows), whose size is not known: a note.
# file: app/workers/phone_worker.rb
class PhoneWorker
  include Sidekiq::Job

  def perform(user_id)
    user = User.find(user_id)
    Bike.where(owner_phone: user.phone).find_each { |bike| SyncWorker.perform_async(bike.id) }
    #                                                                 ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Bike.where(...)`, the rows sharing one value of `owner_phone` (how many is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Bike.where(state: "stolen").find_each { |bike| SyncWorker.perform_async(bike.id) }
    #                                                         ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Bike.where(state: "stolen").find_each` enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Bike.where(registered_on: Date.today).find_each { |bike| SyncWorker.perform_async(bike.id) }
    #                                                                   ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Bike.where(...)`, a slice of time relative to now (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: association-of-one-record-through-calls (invalid)
# note: An association of one record reached through its parent (`announcement.event.followers`), a record
# note: found by a query (`User.find(id).posts`) or a model's `belongs_to` (`link.sales` in a model), and
# note: narrowed by scopes of any kind, is that record's children: a note. `unscoped` drops the association's
# note: own condition: a warning.
# file: app/models/product_file.rb
class ProductFile < ApplicationRecord
  belongs_to :link

  def restamp
    link.sales.successful.tagged_with("pdf").find_each { |sale| SyncWorker.perform_async(sale.id) }
    #                                                                      ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `link.sales.successful.tagged_with("pdf")`, an association (scoped to one parent), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end

  def notify(announcement)
    announcement.event.followers.find_each { |user| SyncWorker.perform_async(user.id) }
    #                                                          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `announcement.event.followers.find_each` enqueues one job per iteration over `announcement.event.followers`, an association (scoped to one parent), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    User.find(announcement.user_id).posts.find_each { |post| SyncWorker.perform_async(post.id) }
    #                                                                   ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `User.find(announcement.user_id).posts`, an association (scoped to one parent), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    link.sales.unscoped.find_each { |sale| SyncWorker.perform_async(sale.id) }
    #                                                 ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `link.sales.unscoped.find_each` enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
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

# file: app/models/user.rb
class User < ApplicationRecord
  has_many :posts
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: one-time-code-is-a-note (invalid)
# note: One-time code (a folder named `onetime`, `one_time`, `one_time_jobs`, `oneoffs`, `one_offs`,
# note: `backfills` or `data_migrations`, or a `lib/tasks` file named `*one_time*`) runs once, by hand, and
# note: someone watches it: a note at most, and the message says why.
# file: app/jobs/backfills/resync_accounts_job.rb
class ResyncAccountsJob
  include Sidekiq::Job

  def perform
    Account.find_each { |account| SyncWorker.perform_async(account.id) }
    #                                        ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.find_each` enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`; this is one-time code (`app/jobs/backfills/`): it runs once, by hand, and someone watches it, so this is a note
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

# case: filtered-model-never-batched-is-a-note (invalid)
# note: A filtered chain of a model the project never batches: its size is not known, a note.
class PlanSyncWorker
  include Sidekiq::Job

  def perform
    Account.where(plan: "pro").each { |account| SyncWorker.perform_async(account.id) }
    #                                                      ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.where(plan: "pro").each` enqueues one job per iteration over `Account.where(...)`, a filtered relation whose size is not known: nothing in the project batches `Account`, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/account.rb
class Account < ActiveRecord::Base
end

# case: filtered-model-batched-elsewhere-is-a-warning (invalid)
# note: The same loop is a warning when the project batches the model elsewhere.
class PlanSyncWorker
  include Sidekiq::Job

  def perform
    Account.where(plan: "pro").each { |account| SyncWorker.perform_async(account.id) }
    #                                                      ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.where(plan: "pro").each` enqueues one job per iteration over `Account.where(...)`, an unbounded relation, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/account.rb
class Account < ActiveRecord::Base
  def self.reindex_all
    find_in_batches { |batch| SearchIndex.write(batch) }
  end
end

# case: whole-table-is-a-warning (invalid)
# note: A chain with no filter is every row of the table: a warning.
class PlanSyncWorker
  include Sidekiq::Job

  def perform
    Account.all.each { |account| SyncWorker.perform_async(account.id) }
    #                                       ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.all.each` enqueues one job per iteration over `Account.all`, an unbounded relation, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/account.rb
class Account < ActiveRecord::Base
end

# case: pending-set-of-a-state (invalid)
# note: The filter of a pending set may sit in the model: a scope holding a column to a literal, an
# note: AASM state's scope, an enum value's scope. The block moves the row out with an AASM event whose
# note: transitions from that state lead elsewhere, the enum's bang method for another value, or an
# note: assignment of another value followed by `save`. An event that cannot start from the filtered
# note: state moves nothing: that loop keeps its warning.
# file: app/workers/payout_sweep_worker.rb
class PayoutSweepWorker
  include Sidekiq::Job

  def perform
    Payout.settled.find_each do |payout|
      SyncWorker.perform_async(payout.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Payout.settled.find_each` (line 5) enqueues one job per iteration over `Payout.settled`, a pending set: the loop moves each row out of it (`payout.mark_sent!`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      payout.mark_sent!
    end
    Ticket.open.find_each do |ticket|
      SyncWorker.perform_async(ticket.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Ticket.open.find_each` (line 9) enqueues one job per iteration over `Ticket.open`, a pending set: the loop moves each row out of it (`ticket.closed!`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      ticket.closed!
    end
    Ticket.unsent.find_each do |ticket|
      SyncWorker.perform_async(ticket.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Ticket.unsent.find_each` (line 13) enqueues one job per iteration over `Ticket.unsent`, a pending set: the loop moves each row out of it (`ticket.sent = true` then `ticket.save!`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      ticket.sent = true
      ticket.save!
    end
    Payout.failed.find_each do |payout|
      SyncWorker.perform_async(payout.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Payout.failed.find_each` (line 18) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      payout.mark_sent!
    end
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

  aasm column: :status do
    state :pending, initial: true
    state :settled
    state :sent
    state :failed

    event :mark_sent do
      transitions from: :settled, to: :sent
    end
  end
end

# file: app/models/ticket.rb
class Ticket < ActiveRecord::Base
  enum :state, { open: 0, closed: 1 }
  scope :unsent, -> { where(sent: false) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: state-scopes-turned-off (invalid)
# note: `create_scopes: false` makes AASM define no scopes: `settled` is then no query method of the
# note: model, and the batches keep their warning.
# file: app/workers/payout_sweep_worker.rb
class PayoutSweepWorker
  include Sidekiq::Job

  def perform
    Payout.settled.find_each do |payout|
      SyncWorker.perform_async(payout.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Payout.settled.find_each` (line 5) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      payout.mark_sent!
    end
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

  aasm :delivery, create_scopes: false do
    state :settled, initial: true
    state :sent

    event :mark_sent do
      transitions from: :settled, to: :sent
    end
  end
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: comparison-cleared-to-nil (invalid)
# note: A SQL comparison is never true for NULL: a loop that sets the compared column to nil (assigned
# note: then saved, or updated) moves each row out of its filter, a pending set.
# file: app/workers/export_cleanup_worker.rb
class ExportCleanupWorker
  include Sidekiq::Job

  def perform
    User.where("exported_at < ?", 14.days.ago).find_each do |user|
      SyncWorker.perform_async(user.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 5) enqueues one job per iteration over `User.where(...)`, a pending set: the loop moves each row out of it (`user.exported_at = nil` then `user.save`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      user.exported_at = nil
      user.save
    end
    User.where("exported_at < ?", 14.days.ago).find_each do |user|
      SyncWorker.perform_async(user.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 10) enqueues one job per iteration over `User.where(...)`, a pending set: the loop moves each row out of it (`user.update(exported_at: nil)`), so each run sees only the rows that arrived since the last (how many is the arrival rate, not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      user.update(exported_at: nil)
    end
    User.where("exported_at < ?", 14.days.ago).find_each do |user|
      SyncWorker.perform_async(user.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 14) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      user.update(exported_at: Time.current)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/user.rb
class User < ActiveRecord::Base
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: enqueue-on-the-error-path (invalid)
# note: An enqueue in a `rescue` clause (or after a `rescue` modifier) inside the loop runs only for the
# note: rows whose step raises, not once per row: a note whatever the loop's size, and the message says
# note: so. An enqueue after the `rescue` (in its `else`, or after the `begin`) runs for every row.
# file: app/workers/charge_sweep_worker.rb
class ChargeSweepWorker
  include Sidekiq::Job

  def perform
    Account.find_each do |account|
      begin
        account.charge!
      rescue Stripe::CardError
        AlertWorker.perform_async(account.id)
        #           ^^^^^^^^^^^^^^^^^^^^^^^^^ `AlertWorker.perform_async` inside `Account.find_each` (line 5) enqueues only when the code its `rescue` (line 8) guards raises `Stripe::CardError`: one job per failing iteration over `find_each` batches (many rows), not one per iteration; if many can fail at once, push them together with `AlertWorker.perform_bulk(args)`
      else
        SyncWorker.perform_async(account.id)
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.find_each` (line 5) enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
      end
      account.refresh! rescue AlertWorker.perform_async(account.id)
      #                                   ^^^^^^^^^^^^^^^^^^^^^^^^^ `AlertWorker.perform_async` inside `Account.find_each` (line 5) enqueues only when the code its `rescue` modifier (line 13) guards raises an error: one job per failing iteration over `find_each` batches (many rows), not one per iteration; if many can fail at once, push them together with `AlertWorker.perform_bulk(args)`
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/account.rb
class Account < ActiveRecord::Base
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# file: app/workers/alert_worker.rb
class AlertWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: slice-of-time (invalid)
# note: A scope holding a time column equal to its parameter (`= ?`, `= DATE(?)`), called with a time
# note: relative to now, keeps one day's rows: a slice narrower than a rolling window, so its size is not
# note: known. The same condition written in the chain is the same slice. `BETWEEN ? AND ?` of bounds
# note: derived from the parameter, a scope passing its parameter on to such a scope, and a window on a
# note: joined table's column are windows. A time column equal to a fixed date, a number taken from today
# note: (its year), and an upper bound alone (every older row) are no slice of now and keep their warning.
# file: app/workers/expiry_worker.rb
class ExpiryWorker
  include Sidekiq::Job

  def perform
    Grant.expires_on(3.days.from_now).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Grant.expires_on(...)`, a slice of time relative to now (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.approved_for(Date.today).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                             ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Grant.approved_for(Date.today).find_each` enqueues one job per iteration over `Grant.approved_for(...)`, a rolling time window (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.includes(:claims).where("claims.created_at > ?", 1.month.ago).references(:claims).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                                                                      ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Grant.includes(...).where(...).references(...)`, a rolling time window (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.expires_on(Date.new(2024, 1, 1)).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                     ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.where("grants.expires_at = DATE(?)", 3.days.from_now).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                                          ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Grant.where(...)`, a slice of time relative to now (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.where(created_at: Date.yesterday.all_day).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                              ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `Grant.where(...)`, a slice of time relative to now (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.where(issued_year: Date.today.year).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                        ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    Grant.where("created_at < ?", 1.day.ago).find_each { |grant| SyncWorker.perform_async(grant.id) }
    #                                                                       ^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block enqueues one job per iteration over `find_each` batches (many rows), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/grant.rb
class Grant < ActiveRecord::Base
  scope :expires_on, ->(date) { where("grants.expires_at = DATE(?)", date) }
  scope :issued_in_month, ->(date) { where("grants.created_at BETWEEN ? AND ?", date.beginning_of_month, date.end_of_month) }
  scope :approved_for, ->(date) { issued_in_month(date).where(approved: true) }
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end

# case: rows-of-a-windowed-sub-query (invalid)
# note: `where(id: <relation>)` has one row per row of that relation: a sub-query bounded by a rolling
# note: time window gives its evidence. `has_flags` (flag_shih_tzu) defines a scope per flag and a `not_`
# note: one, so `User.not_announced` is a relation chain.
# file: app/workers/milestone_worker.rb
class MilestoneWorker
  include Sidekiq::Job

  def perform
    seller_ids = Sale.where(created_at: 2.weeks.ago..).select(:seller_id).distinct
    User.not_announced.where(id: seller_ids).find_each do |user|
      SyncWorker.perform_async(user.id)
      #          ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `find_each` block (line 6) enqueues one job per iteration over `User.not_announced.where(...)`, one row per element of `seller_ids`, `Sale.where(...).select(...).distinct`, a rolling time window (its size is not known), one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/models/user.rb
class User < ActiveRecord::Base
  has_flags 1 => :announced, 2 => :verified, column: "flags"
end

# file: app/models/sale.rb
class Sale < ActiveRecord::Base
end

# file: app/workers/sync_worker.rb
class SyncWorker
  include Sidekiq::Job

  def perform(id); end
end
