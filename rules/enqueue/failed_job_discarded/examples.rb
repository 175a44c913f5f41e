# WL603 failed-job-discarded: its examples (format: workerlint/app/examples.py)

# case: retries-with-dead-false (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 5, dead: false
  #                         ^^^^^^^^^^^ `dead: false` with retries on (`retry: 5`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# case: default-retries-with-dead-false (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options dead: false
  #               ^^^^^^^^^^^ `dead: false` with retries on (Sidekiq's default `retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# case: retry-true-with-dead-false (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: true, dead: false, queue: "low"
  #                            ^^^^^^^^^^^ `dead: false` with retries on (`retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# case: retry-zero-with-string-key-dead (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 0, "dead" => false
  #                         ^^^^^^^^^^^^^^^ `dead: false` with `retry: 0`: a job that fails is discarded at once instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# case: retry-from-the-base-class (invalid)
# note: The retry comes from the base class.
class AuditLogWorker < ApplicationWorker
  sidekiq_options dead: false
  #               ^^^^^^^^^^^ `dead: false` with retries on (`retry: 10` inherited from ApplicationWorker (app/workers/application_worker.rb:1)): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
  sidekiq_options retry: 10
end

# case: dead-false-in-the-base-class (invalid)
# note: dead: false in the base class applies to every subclass.
# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
  sidekiq_options dead: false
  #               ^^^^^^^^^^^ `dead: false` with retries on (Sidekiq's default `retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
end

# case: retry-in-another-sidekiq-options-call (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 3
  sidekiq_options dead: false
  #               ^^^^^^^^^^^ `dead: false` with retries on (`retry: 3` at line 3): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
  def perform(id); end
end

# case: retry-from-a-constant (invalid)
class AuditLogWorker
  include Sidekiq::Job
  RETRIES = 8
  sidekiq_options retry: RETRIES, dead: false
  #                               ^^^^^^^^^^^ `dead: false` with retries on (`retry: RETRIES` (8, constant RETRIES)): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
  def perform(id); end
end

# case: retry-from-the-initializer-defaults (invalid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options dead: false
  #               ^^^^^^^^^^^ `dead: false` with retries on (`retry: 3` in Sidekiq.default_job_options (config/initializers/sidekiq.rb:1)): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

  def perform(id); end
end

# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { retry: 3 }

# case: default-job-options-with-dead-false (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { dead: false }
#                               ^^^^^^^^^^^ `dead: false` with retries on (Sidekiq's default `retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried

# case: default-job-options-merge-in-configure-server (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  Sidekiq.default_job_options.merge!(dead: false)
  #                                  ^^^^^^^^^^^ `dead: false` with retries on (Sidekiq's default `retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
end

# case: active-job-with-sidekiq-options (invalid)
# note: An ActiveJob class: Sidekiq's adapter honours sidekiq_options.
# file: app/jobs/audit_job.rb
class AuditJob < ActiveJob::Base
  sidekiq_options retry: 2, dead: false
  #                         ^^^^^^^^^^^ `dead: false` with retries on (`retry: 2`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
  def perform; end
end

# case: subclass-turns-retries-back-on (invalid)
# note: Retries off in the base class, back on in a subclass that inherits `dead: false`.
# file: app/workers/quiet_worker.rb
class QuietWorker
  include Sidekiq::Job
  sidekiq_options retry: false, dead: false
  #                             ^^^^^^^^^^^ `dead: false` with retries on (`retry: 3` in subclass PingWorker (app/workers/ping_worker.rb:1), which inherits it): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
end

# file: app/workers/ping_worker.rb
class PingWorker < QuietWorker
  sidekiq_options retry: 3

  def perform(id); end
end

# case: concern-included-block (invalid)
# note: A concern's `included` block.
# file: app/workers/concerns/discardable.rb
module Discardable
  extend ActiveSupport::Concern
  included do
    sidekiq_options dead: false
    #               ^^^^^^^^^^^ `dead: false` with retries on (Sidekiq's default `retry: true`): a job that exhausts its retries is discarded instead of kept in the Dead set, where it can be inspected and retried
  end
end

# case: retries-off-and-dead-false (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: false, dead: false

  def perform(id); end
end

# case: retries-without-dead-false (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 5

  def perform(id); end
end

# case: dead-true (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 5, dead: true

  def perform(id); end
end

# case: string-keys-with-retries-off (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options "retry" => false, "dead" => false

  def perform(id); end
end

# case: retries-off-in-the-base-class (valid)
# note: Retries turned off in the base class: the job never reaches the Dead set.
class AuditLogWorker < ApplicationWorker
  sidekiq_options dead: false

  def perform(id); end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
  sidekiq_options retry: false
end

# case: retries-off-in-another-sidekiq-options-call (valid)
# note: ... or in another sidekiq_options call of the same class.
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: false
  sidekiq_options dead: false

  def perform(id); end
end

# case: retries-off-for-every-job-in-the-initializer (valid)
# note: ... or for every job, in the initializer.
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options dead: false

  def perform(id); end
end

# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { retry: false }

# case: default-job-options-with-retries-off (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { retry: false, dead: false }

# case: retry-the-index-cannot-know (valid)
# note: A retry the index cannot know: skipped.
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: Settings.audit_retries, dead: false

  def perform(id); end
end

# case: retry-nil (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: nil, dead: false

  def perform(id); end
end

# case: dead-from-an-env-check (valid)
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options dead: ENV.key?("KEEP_DEAD")

  def perform(id); end
end

# case: active-job-on-another-adapter (valid)
# note: An ActiveJob class whose adapter is not Sidekiq.
# file: app/jobs/audit_job.rb
class AuditJob < ActiveJob::Base
  sidekiq_options dead: false
end

# file: config/application.rb
module Shop
  class Application
    config.active_job.queue_adapter = :good_job
  end
end

# case: retries-exhausted-handler (valid)
# note: The class deals with exhausted jobs itself.
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options retry: 3, dead: false
  sidekiq_retries_exhausted { |job, error| AuditFailure.record(job, error) }

  def perform(id); end
end

# case: retries-exhausted-handler-in-a-concern (valid)
# note: ... also in a concern's `included` block.
# file: app/workers/concerns/import_stage.rb
module ImportStage
  extend ActiveSupport::Concern
  included do
    sidekiq_options dead: false, retry: 6
    sidekiq_retries_exhausted { |job, error| ImportFailure.track(job, error) }
  end
end

# case: options-splat-may-turn-retries-off (valid)
# note: A **splat may set retry: false.
class AuditLogWorker
  include Sidekiq::Job
  sidekiq_options dead: false, **QUIET_OPTIONS

  def perform(id); end
end

# case: concern-included-only-without-retries (valid)
# note: A concern included only by classes that turn retries off.
# file: app/workers/concerns/discardable.rb
module Discardable
  extend ActiveSupport::Concern
  included do
    sidekiq_options dead: false
  end
end

# file: app/workers/ping_worker.rb
class PingWorker
  include Sidekiq::Job
  include Discardable
  sidekiq_options retry: false

  def perform(id); end
end
