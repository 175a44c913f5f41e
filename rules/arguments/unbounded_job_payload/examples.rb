# WL404 unbounded-job-payload: its examples (format: workerlint/app/examples.py)

# case: pluck-ids-of-a-where (invalid)
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.where(status: "unpaid").pluck(:id))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.where(status: "unpaid").pluck(:id)` (one value per row of `Invoice.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })` (`ids` = the argument)
  end
end

# fixed:
class ReminderScheduler
  def call
    RemindWorker.perform_bulk(Invoice.where(status: "unpaid").pluck(:id).each_slice(100).map { |slice| [slice] })
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: through-a-local-and-after-uniq (invalid)
# note: Through a local of the same method, and after uniq/compact.
# file: app/controllers/invoices_controller.rb
class InvoicesController < ApplicationController
  def remind_all
    ids = Invoice.unpaid.ids
    RemindWorker.perform_async(ids)
    #            ^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `ids` (one value per row of `Invoice.unpaid`, line 3) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`
    RemindWorker.set(queue: "low").perform_in(1.hour, Invoice.unpaid.pluck(:account_id).uniq)
    #                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_in` passes `Invoice.unpaid.pluck(:account_id).uniq` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => Invoice.unpaid.pluck(:account_id).uniq.each_slice(100).map { |slice| [slice] }, "at" => 1.hour.from_now.to_f)`
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: map-and-to-a-load-every-row (invalid)
# note: map and to_a load every row; the payload holds them all.
class ExportWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Invoice.all.map(&:id), "export")
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.all.map(&:id)` (one value per row of `Invoice.all`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(Invoice.all.map(&:id).each_slice(100).map { |slice| [slice] })`
    RemindWorker.perform_async(Invoice.unpaid.to_a.map(&:number))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.unpaid.to_a.map(&:number)` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(Invoice.unpaid.to_a.map(&:number).each_slice(100).map { |slice| [slice] })`
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: active-job-perform-later-from-a-model (invalid)
# note: ActiveJob payloads sit in Redis too (with the Sidekiq adapter).
# file: app/models/account.rb
class Account < ApplicationRecord
  def export_everything
    ExportJob.perform_later(Invoice.where(status: "open").pluck(:id))
    #         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ExportJob.perform_later` passes `Invoice.where(status: "open").pluck(:id)` (one value per row of `Invoice.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `ActiveJob.perform_all_later(Invoice.where(status: "open").pluck(:id).each_slice(100).map { |slice| ExportJob.new(slice) })`
  end
end

# fixed:
class Account < ApplicationRecord
  def export_everything
    ActiveJob.perform_all_later(Invoice.where(status: "open").pluck(:id).each_slice(100).map { |slice| ExportJob.new(slice) })
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: literal-with-more-than-100-elements (invalid)
# note: A literal with more than 100 elements.
class BackfillWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101])
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes a literal Array of 101 elements (more than 100) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })` (`ids` = the argument)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: push-bulk-before-sidekiq-6-3 (invalid)
# note: Before Sidekiq 6.3: Sidekiq::Client.push_bulk.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.pluck(:id))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Invoice.unpaid.pluck(:id)` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => Invoice.unpaid.pluck(:id).each_slice(100).map { |slice| [slice] })` (`perform_bulk` needs Sidekiq 6.3, this is Sidekiq 6.2.1)
  end
end

# fixed:
class ReminderScheduler
  def call
    Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => Invoice.unpaid.pluck(:id).each_slice(100).map { |slice| [slice] })
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

# file: app/models/invoice.rb
class Invoice < ApplicationRecord
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: unknown-constant-with-a-query (invalid)
# note: A model that is not defined in the project counts when the chain has a real query.
class LegacyWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Legacy::Customer.where(active: true).pluck(:id))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `Legacy::Customer.where(active: true).pluck(:id)` (one value per row of `Legacy::Customer.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })` (`ids` = the argument)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: client-push-args (invalid)
# note: Sidekiq::Client.push with the collection inside "args".
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    Sidekiq::Client.push("class" => RemindWorker, "args" => [Invoice.unpaid.ids])
    #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Sidekiq::Client.push` passes `Invoice.unpaid.ids` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(Invoice.unpaid.ids.each_slice(100).map { |slice| [slice] })`
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: perform-at-every-record (invalid)
# note: Scheduled: push_bulk with "at"; every record of the relation in one payload.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_at(Date.tomorrow.noon, Invoice.unpaid.to_a)
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_at` passes `Invoice.unpaid.to_a` (one value per row of `Invoice.unpaid`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `Sidekiq::Client.push_bulk("class" => RemindWorker, "args" => Invoice.unpaid.to_a.each_slice(100).map { |slice| [slice] }, "at" => Date.tomorrow.noon.to_f)`
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: active-job-through-a-local-and-set-wait (invalid)
# note: ActiveJob through a local and set(wait:).
# file: app/controllers/invoices_controller.rb
class InvoicesController < ApplicationController
  def export
    ids = Invoice.unpaid.order(:created_at).pluck(:id).compact
    ExportJob.set(wait: 1.minute).perform_later(ids)
    #                             ^^^^^^^^^^^^^^^^^^ `ExportJob.perform_later` passes `ids` (one value per row of `Invoice.unpaid.order(...)`, line 3) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `ActiveJob.perform_all_later(ids.each_slice(100).map { |slice| ExportJob.new(slice) })`
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: request-body-and-a-value-parsed-from-it (invalid)
# note: The raw body, and a part of the JSON parsed from it, passed with no size check.
# file: app/controllers/webhooks_controller.rb
class WebhooksController < ApplicationController
  def create
    RemindWorker.perform_async(request.raw_post)
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `request.raw_post` (line 3), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
    payload = JSON.parse(request.body.read)
    RemindWorker.perform_async(payload["events"])
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `request.body.read` (line 4), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
    head :ok
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: request-parameters-used-as-a-list (invalid)
# note: A list parameter (`permit(ids: [])`, `split`, `Array()`), also through a method of the
# note: class, and the whole parameters.
# file: app/controllers/bulk_reminders_controller.rb
class BulkRemindersController < ApplicationController
  def create
    RemindWorker.perform_async(bulk_params[:ids])
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `params.require(:reminder).permit(ids: [])` (line 16), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
    remind(params[:emails].split(","))
    RemindWorker.perform_async(Array(params[:account_ids]))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `params[:account_ids]` (line 5), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
    RemindWorker.perform_async(params.to_unsafe_h)
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `params.to_unsafe_h` (line 6), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
  end

  private

  def remind(emails)
    RemindWorker.perform_async(emails)
    #            ^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes request input of any size, `params[:emails].split(",")` (line 4), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
  end

  def bulk_params
    params.require(:reminder).permit(ids: [])
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: signed-webhook-sender-is-a-note (invalid)
# note: An action behind a `before_action` that verifies the webhook's signature reads a body only
# note: the signed sender sizes: a note. The action the filter leaves out (`only:`), and one behind
# note: a conditional filter (`if:`), stay warnings.
# file: app/controllers/hooks_controller.rb
class HooksController < ApplicationController
  skip_before_action :verify_authenticity_token
  before_action :verify_signature!, only: [:signed]
  before_action :check_token, if: -> { params[:token].present? }

  def signed
    EventWorker.perform_async(request.raw_post)
    #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `EventWorker.perform_async` passes request input of any size, `request.raw_post` (line 7), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices; only an authenticated sender can send it (`before_action :verify_signature!`, line 3)
  end

  def unsigned
    EventWorker.perform_async(request.raw_post)
    #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `EventWorker.perform_async` passes request input of any size, `request.raw_post` (line 11), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices
  end

  private

  def verify_signature!
    expected = OpenSSL::HMAC.hexdigest("SHA256", ENV.fetch("HOOK_SECRET"), request.raw_post)
    head :unauthorized unless ActiveSupport::SecurityUtils.secure_compare(expected, request.headers["X-Signature"].to_s)
  end

  def check_token
    head :unauthorized unless ActiveSupport::SecurityUtils.secure_compare(params[:token].to_s, ENV.fetch("HOOK_TOKEN"))
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/event_worker.rb
class EventWorker
  include Sidekiq::Job

  def perform(body); end
end

# case: signed-in-sender-is-a-note (invalid)
# note: Devise's `authenticate_user!` as a `before_action`: only a signed-in user sizes it.
# file: app/controllers/feedback_controller.rb
class FeedbackController < ApplicationController
  before_action :authenticate_user!

  def create
    FeedbackWorker.perform_async(params.to_unsafe_h)
    #              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `FeedbackWorker.perform_async` passes request input of any size, `params.to_unsafe_h` (line 5), with no size check before it: whoever sends the request sizes the job payload, which sits in Redis for every retry; check its size first (`.size`/`.bytesize` against a limit) or cap it (`first(100)`), or enqueue slices; only an authenticated sender can send it (`before_action :authenticate_user!`, line 2)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/feedback_worker.rb
class FeedbackWorker
  include Sidekiq::Job

  def perform(form); end
end

# case: one-job-per-slice-in-bulk (valid)
# note: One job per id, pushed in bulk.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    ids = Invoice.unpaid.pluck(:id)
    RemindWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: bounded-chains (valid)
# note: Bounded chains: limit, a bounded scope, a where on the primary key, batches.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call(ids)
    RemindWorker.perform_async(Invoice.unpaid.limit(500).pluck(:id))
    RemindWorker.perform_async(Invoice.recent.ids)
    RemindWorker.perform_async(Invoice.where(id: ids).pluck(:id))
    Invoice.unpaid.in_batches(of: 500) { |batch| RemindWorker.perform_bulk([[batch.ids]]) }
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: association-of-one-record-and-unknown-local (valid)
# note: Associations through a local are scoped to one record; a local collection is not known.
# file: app/controllers/accounts_controller.rb
class AccountsController < ApplicationController
  def remind
    account = Account.find(params[:id])
    RemindWorker.perform_async(account.invoices.pluck(:id))
    RemindWorker.perform_async(params[:invoice_ids])
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: single-value-or-count (valid)
# note: A single value from a relation, or a count.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.count)
    RemindWorker.perform_async(Invoice.unpaid.maximum(:id))
    RemindWorker.perform_async(Invoice.unpaid.pick(:id))
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: small-literal (valid)
# note: A literal of 100 elements or fewer.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  CODES = %w[a b c].freeze

  def call
    RemindWorker.perform_async([1, 2, 3], CODES)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: local-reassigned-to-a-slice (valid)
# note: A local reassigned to a slice before the enqueue.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    ids = Invoice.unpaid.pluck(:id)
    ids = ids.first(100)
    RemindWorker.perform_async(ids)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: api-list-and-constant-list (valid)
# note: Not a relation: an API's list call, a constant list.
class StripeSyncWorker
  include Sidekiq::Job

  def perform
    RemindWorker.perform_async(Stripe::Invoice.all.map(&:id))
    RemindWorker.perform_async(Invoice::STATUSES.to_a)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: schedule-argument-and-perform-bulk (valid)
# note: The schedule of perform_in is not a job argument; perform_bulk takes lists by design.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_in(5.minutes, "all")
    RemindWorker.perform_bulk(Invoice.unpaid.pluck(:id).map { |id| [id] })
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: size-and-slices-enqueued-one-by-one (valid)
# note: A size, and slices enqueued one by one (WL601's business, not a whole collection each).
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    RemindWorker.perform_async(Invoice.unpaid.pluck(:id).size)
    Invoice.unpaid.pluck(:id).each_slice(100) { |ids| RemindWorker.perform_async(ids) }
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: not-a-job-class-and-method-result (valid)
# note: An enqueue on an object that is not a job class: the local comes from another method.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def ids
    Invoice.unpaid.pluck(:id)
  end

  def call
    queue.push(Invoice.unpaid.pluck(:id))
    RemindWorker.perform_async(ids)
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
  scope :unpaid, -> { where(status: "unpaid") }
  scope :recent, -> { order(created_at: :desc).limit(50) }
end

# file: app/models/account.rb
class Account < ApplicationRecord
  has_many :invoices
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: relation-in-a-local (invalid)
# note: A local assigned a relation chain once in the method is that chain.
# file: app/services/reminder_scheduler.rb
class ReminderScheduler
  def call
    open_invoices = Invoice.where(status: "open")
    RemindWorker.perform_async(open_invoices.pluck(:id))
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RemindWorker.perform_async` passes `open_invoices.pluck(:id)` (one value per row of `Invoice.where(...)`) as one argument: the job payload grows with the table and sits in Redis for every retry; enqueue slices of ids with `RemindWorker.perform_bulk(open_invoices.pluck(:id).each_slice(100).map { |slice| [slice] })`
  end
end

# fixed:
class ReminderScheduler
  def call
    open_invoices = Invoice.where(status: "open")
    RemindWorker.perform_bulk(open_invoices.pluck(:id).each_slice(100).map { |slice| [slice] })
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

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end

# case: chain-scoped-to-one-parent (valid)
# note: A chain scoped to one parent (a foreign key equal to one value) is like an association
# note: through a local: its size is not known, and it is not reported.
# file: app/models/account.rb
class Account < ApplicationRecord
  def export_everything
    ExportJob.perform_later(Invoice.where(account_id: id).pluck(:id))
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
  belongs_to :account
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/jobs/export_job.rb
class ExportJob < ApplicationJob
  def perform(ids); end
end

# case: scalar-parameters-and-size-checks (valid)
# note: Scalar parameters are not payloads; a size check before the enqueue (an early return, a
# note: guard), or a truncation, bounds a list.
# file: app/controllers/bulk_reminders_controller.rb
class BulkRemindersController < ApplicationController
  def create
    RemindWorker.perform_async(params[:kind], params[:id].to_i)
    ids = params.require(:reminder).permit(ids: [])[:ids]
    return head(:payload_too_large) if ids.size > 1000

    RemindWorker.perform_async(ids)
    RemindWorker.perform_async(params[:emails].split(",").first(100))
    body = request.raw_post
    RemindWorker.perform_async(body) if body.bytesize <= 10_000
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: app/workers/remind_worker.rb
class RemindWorker
  include Sidekiq::Job

  def perform(ids); end
end
