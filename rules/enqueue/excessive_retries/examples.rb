# WL604 excessive-retries: its examples (format: workerlint/app/examples.py)

# case: retry-above-the-maximum (invalid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 50
  #                      ^^ `retry` is 50 in sidekiq_options, above max-retries 25: a failing job is retried 50 times over about 688 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

  def perform(id); end
end

# case: retry-among-other-options (invalid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options queue: "webhooks", retry: 26, backtrace: true
  #                                         ^^ `retry` is 26 in sidekiq_options, above max-retries 25: a failing job is retried 26 times over about 25 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

  def perform(id); end
end

# case: string-key-retry (invalid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options "retry" => 100
  #                          ^^^ `retry` is 100 in sidekiq_options, above max-retries 25: a failing job is retried 100 times over about 61.8 years with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

  def perform(id); end
end

# case: retry-from-a-constant (invalid)
# note: Through a project constant: the finding points at the constant.
class WebhookWorker
  include Sidekiq::Job
  MAX_RETRIES = 60
  sidekiq_options retry: MAX_RETRIES
  #                      ^^^^^^^^^^^ `retry` is 60 (constant MAX_RETRIES) in sidekiq_options, above max-retries 25: a failing job is retried 60 times over about 4.7 years with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load
  def perform(id); end
end

# case: base-class-retry-reported-once (invalid)
# note: A base class: reported there, once.
# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
  sidekiq_options retry: 40
  #                      ^^ `retry` is 40 in sidekiq_options, above max-retries 25: a failing job is retried 40 times over about 223 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load
end

# file: app/workers/a_worker.rb
class AWorker < ApplicationWorker


  def perform(id); end
end

# case: active-job-with-sidekiq-options (invalid)
# note: An ActiveJob class: Sidekiq's adapter honours sidekiq_options.
# file: app/jobs/report_job.rb
class ReportJob < ApplicationJob
  sidekiq_options retry: 30
  #                      ^^ `retry` is 30 in sidekiq_options, above max-retries 25: a failing job is retried 30 times over about 52 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load
  def perform; end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: lowered-max-retries-option (invalid)
# options: { max-retries = 20 }
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 30
  #                      ^^ `retry` is 30 in sidekiq_options, above max-retries 20: a failing job is retried 30 times over about 52 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

  def perform(id); end
end

# case: retry-with-a-custom-delay (invalid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 35
  #                      ^^ `retry` is 35 in sidekiq_options, above max-retries 25: a failing job is retried 35 times (the class's `sidekiq_retry_in` sets the delays); during an outage every failing job keeps coming back, multiplying the load
  sidekiq_retry_in { |count| 60 * (count + 1) }
end

# case: default-job-options (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { retry: 40 }
#                                      ^^ `retry` is 40 in Sidekiq.default_job_options, above max-retries 25: a failing job is retried 40 times over about 223 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

# case: default-job-options-merge (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options.merge!(retry: 30)
#                                         ^^ `retry` is 30 in Sidekiq.default_job_options, above max-retries 25: a failing job is retried 30 times over about 52 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

# case: env-fetch-default (invalid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: ENV.fetch("WEBHOOK_RETRIES", 45).to_i
  #                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `retry` is 45 (the default of WEBHOOK_RETRIES) in sidekiq_options, above max-retries 25: a failing job is retried 45 times over about 404 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load

  def perform(id); end
end

# case: configure-server-max-retries (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config[:max_retries] = 40
  #                      ^^ `max_retries` is 40 in the Sidekiq configuration, above max-retries 25: every job with `retry: true` (the default) gets it; a failing job is retried 40 times over about 223 days with Sidekiq's backoff (25 retries take about 20 days); during an outage every failing job keeps coming back, multiplying the load
end

# case: retry-at-the-maximum (valid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 25

  def perform(id); end
end

# case: retry-true-uses-the-default (valid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: true

  def perform(id); end
end

# case: retries-off (valid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: false, dead: false

  def perform(id); end
end

# case: retry-below-the-maximum (valid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options queue: "webhooks", retry: 10

  def perform(id); end
end

# case: inherited-retry-reported-in-the-base (valid)
# note: The base class's retry is reported once, in the base class, not in each subclass.
class WebhookWorker < ApplicationWorker
  # inherits retry: 40

  def perform(id); end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
  sidekiq_options retry: 40
end

# case: retry-for-bounds-the-time (valid)
# note: A time window bounds the retries.
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 50, retry_for: 2.days

  def perform(id); end
end

# case: options-splat-may-override-the-retry (valid)
# note: A **splat may override the retry.
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 50, **RETRY_POLICY

  def perform(id); end
end

# case: raised-max-retries-option (valid)
# note: The limit is a setting.
# options: { max-retries = 40 }
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: 40

  def perform(id); end
end

# case: retry-the-index-cannot-know (valid)
# note: A constant whose value the index cannot know.
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: Settings.webhook_retries

  def perform(id); end
end

# case: retry-from-an-env-variable (valid)
class WebhookWorker
  include Sidekiq::Job
  sidekiq_options retry: ENV["WEBHOOK_RETRIES"].to_i

  def perform(id); end
end

# case: default-job-options-below-the-maximum (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.default_job_options = { retry: 10, backtrace: true }

# case: configure-client-max-retries (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_client do |config|
  config[:max_retries] = 50
end

# case: string-key-never-read (valid)
# note: Sidekiq's options are keyed by Symbol: a String key is never read.
# file: config/initializers/sidekiq.rb
Sidekiq.options["max_retries"] = 50

# case: job-reading-the-option (valid)
# note: A job that merely reads the option.
class Probe
  include Sidekiq::Job
  def perform
    limit = Sidekiq[:max_retries]
  end
end

# case: active-job-on-another-adapter (valid)
# note: An ActiveJob class whose adapter is not Sidekiq.
# file: app/jobs/report_job.rb
class ReportJob < ActiveJob::Base
  sidekiq_options retry: 40
end

# file: config/application.rb
module Shop
  class Application
    config.active_job.queue_adapter = :good_job
  end
end
