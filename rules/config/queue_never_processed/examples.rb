# WL107 queue-never-processed: its examples (format: workerlint/app/examples.py)

# case: sidekiq-options-queue-not-listed (invalid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  #                      ^^^^^^^^^ Queue `reports` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: queue-as-a-symbol-not-listed (invalid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: :critical
  #                      ^^^^^^^^^ Queue `critical` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: queue-from-a-class-constant (invalid)
class ReportWorker
  include Sidekiq::Job
  QUEUE = "reports"
  sidekiq_options queue: QUEUE
  #                      ^^^^^ Queue `reports` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: set-queue-on-enqueue-not-listed (invalid)
# file: app/services/report.rb
ReportWorker.set(queue: "reports").perform_async(1)
#                       ^^^^^^^^^ Queue `reports` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: client-push-to-an-unlisted-queue (invalid)
# file: app/services/report.rb
Sidekiq::Client.push("class" => "X", "queue" => "bulk", "args" => [])
#                                               ^^^^^^ Queue `bulk` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: enqueue-to-an-unlisted-queue (invalid)
# file: app/services/report.rb
Sidekiq::Client.enqueue_to("bulk", ReportWorker, 1)
#                          ^^^^^^ Queue `bulk` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: active-job-queue-as-not-listed (invalid)
# file: app/jobs/mailer.rb
class Mailer < ActiveJob::Base
  queue_as :reports
  #        ^^^^^^^^ Queue `reports` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: active-job-queue-name-prefix (invalid)
# file: app/jobs/mailer.rb
class Mailer < ActiveJob::Base
  queue_as :mailers
  #        ^^^^^^^^ Queue `shop_mailers` (`mailers` with queue_name_prefix) is not processed: the Sidekiq processes listen to `default` and `mailers` (config/sidekiq.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# file: config/application.rb
module App
  class Application
    config.active_job.queue_name_prefix = "shop"
  end
end

# case: procfile-without-queues-listens-to-default (invalid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "mailers"
  #                      ^^^^^^^^^ Queue `mailers` is not processed: the Sidekiq processes listen to `default` (none named); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
  def perform; end
end

# file: Procfile
# worker: bundle exec sidekiq -c 5

# case: queue-missing-from-a-config-file-of-any-name (invalid)
# note: The file a Procfile passes with -C is read whatever its name: `reports` is not in it.
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  #                      ^^^^^^^^^ Queue `reports` is not processed: the Sidekiq processes listen to `default` and `mailers` (config/workers/default.yml:1); jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list it in `extra-queues`)
  def perform; end
end

# file: config/workers/default.yml
# :queues:
#   - default
#   - mailers

# file: Procfile
# worker: bundle exec sidekiq -C config/workers/default.yml

# case: queue-listed-in-the-yaml (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "mailers"
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: default-queue-as-a-symbol (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: :default
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: no-sidekiq-configuration (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  def perform; end
end

# case: queue-named-in-extra-queues (valid)
# settings: { extra-queues = ["reports"] }
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: queue-from-an-unknown-constant (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: QUEUE_NAME
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: queue-listed-in-the-procfile (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  def perform; end
end

# file: Procfile
# worker: bundle exec sidekiq -q default -q reports

# case: worker-without-a-queue-option (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options retry: 3
  def perform; end
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: active-job-queue-listed (valid)
# file: app/jobs/mailer.rb
class Mailer < ActiveJob::Base
  queue_as :mailers
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: set-queue-on-enqueue-listed (valid)
# file: app/services/report.rb
ReportWorker.set(queue: "default").perform_async(1)

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# case: queues-from-an-erb-env-variable (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  def perform; end
end

# file: config/sidekiq.yml
# :queues: <%= ENV['QUEUES'] %>

# case: active-job-on-another-adapter (valid)
# file: app/jobs/mailer.rb
class Mailer < ActiveJob::Base
  queue_as :reports
end

# file: config/sidekiq.yml
# :queues:
#   - default
#   - mailers

# file: config/application.rb
module App
  class Application
    config.active_job.queue_adapter = :good_job
  end
end

# case: queue-of-the-default-capsule (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "default"
  def perform; end
end

# file: config/sidekiq.yml
# :concurrency: 5
# capsules:
#   solo:
#     concurrency: 1
#     queues: [ledger]

# case: queue-of-a-ruby-configured-capsule (valid)
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "ledger"
  def perform; end
end

# file: config/sidekiq.yml
# :queues: [default]

# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.capsule("solo") { |cap| cap.queues = %w[ledger] }
end

# case: only-development-procfiles (valid)
# note: The repository defines Sidekiq processes for development only: the production ones are
# note: defined elsewhere, and their queues are not known.
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"
  def perform; end
end

# file: Procfile.dev
# web: bin/rails server
# jobs: bundle exec sidekiq -q default
