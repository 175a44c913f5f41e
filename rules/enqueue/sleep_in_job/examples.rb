# WL602 sleep-in-job: its examples (format: workerlint/app/examples.py)

# case: sleep-before-raising (invalid)
class WebhookWorker < ApplicationWorker
  class RateLimited < StandardError; end

  def perform(url, body)
    response = HTTParty.post(url, body: body, timeout: 10)
    return unless response.code == 429

    sleep 2
  # ^^^^^^^ `sleep` blocks this worker thread for 2 s, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    raise RateLimited
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: random-jitter (invalid)
class JitterWorker < ApplicationWorker
  def perform(id)
    sleep(rand(1..5))
  # ^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `rand(1..5)`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    Item.find(id).sync!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: polling-until-ready (invalid)
# note: Polling until something is ready.
class ExportStatusWorker < ApplicationWorker
  def perform(export_id)
    export = Export.find(export_id)
    sleep 30 until export.reload.finished?
  # ^^^^^^^^ `sleep` blocks this worker thread for 30 s on each pass of the `until` loop, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    export.notify!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sleep-without-a-duration (invalid)
class WaitForSignalWorker < ApplicationWorker
  def perform
    sleep if Signal.pending?
  # ^^^^^ `sleep` with no duration blocks this worker thread until another thread wakes it, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: kernel-sleep (invalid)
class BackoffWorker < ApplicationWorker
  def perform(id)
    Kernel.sleep(0.5)
    #      ^^^^^^^^^^ `Kernel.sleep` blocks this worker thread for 0.5 s, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    Item.find(id).retry!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: helper-beside-the-workers (invalid)
# note: A helper beside the workers runs inside them.
# file: app/workers/backoff.rb
module Backoff
  def self.wait(attempt)
    sleep(2**attempt)
  # ^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `2**attempt`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
  end
end

# case: active-job-rescue-from-block (invalid)
# note: ActiveJob callback blocks run with every job.
# file: app/jobs/sync_job.rb
class SyncJob < ApplicationJob
  rescue_from ActiveRecord::RecordNotFound do |exception|
    sleep(1)
  # ^^^^^^^^ `sleep` blocks this worker thread for 1 s, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    retry_job
  end

  def perform(id)
    Item.find(id).sync!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-method-called-by-perform (invalid)
# note: A class method of a worker is a job method.
class BulkMailWorker < ApplicationWorker
  def self.deliver_all(users)
    users.each do |user|
      UserMailer.digest(user).deliver_now
      sleep 1.second
    # ^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `1.second` on each pass of `users.each`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    end
  end

  def perform(user_ids)
    self.class.deliver_all(User.where(id: user_ids))
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-method-no-instance-calls (invalid)
# note: A class method of the worker that no instance method calls (a rake task's helper): a note.
class ReindexWorker < ApplicationWorker
  def self.wait_until_drained
    sleep 1 while Sidekiq::Queue.new("reindex").size.positive?
  # ^^^^^^^ `sleep` blocks this worker thread for 1 s on each pass of the `while` loop, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: it is in a class method of the worker that no instance method calls, which may run outside Sidekiq, from a rake task or an enqueue helper)
  end

  def perform(id)
    Document.find(id).reindex!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: backoff-before-retry (invalid)
# note: Backing off before `retry` in a rescue clause.
class SyncContactWorker < ApplicationWorker
  def perform(contact_id)
    attempts = 0
    begin
      Crm.sync(Contact.find(contact_id))
    rescue Crm::Busy
      attempts += 1
      sleep(2**attempts)
    # ^^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `2**attempts` only on the error path: each time it rescues `Crm::Busy` (line 6) and retries, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
      retry if attempts < 5
    end
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: backoff-in-a-rescue-inside-a-loop (invalid)
# note: The rescue clause is inside the loop: the sleep runs only when a pass fails, not on each
# note: pass, and the message says so. A literal sleep of at most 1 s before a `retry` that a
# note: counter compared with a literal of at most 10 bounds is a note (see
# note: `short-bounded-waits-are-notes`).
class ReportWorker < ApplicationWorker
  def perform(purchase_ids)
    purchase_ids.each do |id|
      retries = 0
      begin
        TaxApi.create_order(Purchase.find(id))
      rescue TaxApi::GatewayTimeout, TaxApi::ServerError => e
        retries += 1
        if retries < 3
          sleep(1)
        # ^^^^^^^^ `sleep` blocks this worker thread for 1 s only on the error path: each time it rescues `TaxApi::GatewayTimeout` or `TaxApi::ServerError` (line 7) and retries, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: a short wait repeated at most 3 times, 3 s at worst)
          retry
        else
          raise e
        end
      end
    end
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# case: rescue-clause-of-a-method-and-a-rescue-modifier (invalid)
# note: A bare rescue of the method body, and a rescue modifier, in a loop around them.
class PollWorker < ApplicationWorker
  def perform(ids)
    ids.each do |id|
      Remote.fetch(id) rescue sleep(2)
      #                       ^^^^^^^^ `sleep` blocks this worker thread for 2 s only on the error path: each time it rescues an error (line 4), counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    end
  rescue
    3.times { sleep 5 }
    #         ^^^^^^^ `sleep` blocks this worker thread for 5 s on each pass of `3.times`, only on the error path: each time it rescues an error (line 6), counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# case: short-bounded-waits-are-notes (invalid)
# note: A sleep of a known duration repeated at most 10 times (a literal `times`, a `while`
# note: compared with a literal, a `retry` counter compared with a local or constant holding a
# note: literal), adding up to at most 10 s: a note. The duration may be a constant. Longer
# note: in total (20 x 1 s, 2 x 6 s, 3 x a 5 s constant) stays a warning.
class IndexWorker < ApplicationWorker
  MAX_TRIES = 5
  RETRY_DELAY = 2
  PAUSE = 5

  def perform(id)
    3.times do
      break if Search.ready?
      sleep 0.5
    # ^^^^^^^^^ `sleep` blocks this worker thread for 0.5 s on each pass of `3.times`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: a short wait repeated at most 3 times, 1.5 s at worst)
    end
    tries = 0
    while tries < MAX_TRIES
      tries += 1
      sleep 1
    # ^^^^^^^ `sleep` blocks this worker thread for 1 s on each pass of the `while` loop, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: a short wait repeated at most 5 times, 5 s at worst)
    end
    attempts = 0
    limit = 10
    begin
      Search.index(id)
    rescue Search::Conflict
      attempts += 1
      raise if attempts == limit
      sleep 1
    # ^^^^^^^ `sleep` blocks this worker thread for 1 s only on the error path: each time it rescues `Search::Conflict` (line 20) and retries, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: a short wait repeated at most 10 times, 10 s at worst)
      retry
    end
    20.times { sleep 1 }
    #          ^^^^^^^ `sleep` blocks this worker thread for 1 s on each pass of `20.times`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    2.times { sleep 6 }
    #         ^^^^^^^ `sleep` blocks this worker thread for 6 s on each pass of `2.times`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    3.times { sleep PAUSE }
    #         ^^^^^^^^^^^ `sleep` blocks this worker thread for `PAUSE` on each pass of `3.times`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    fetched = 0
    begin
      fetched += 1
      Search.fetch(id)
    rescue Search::Timeout
      raise if fetched >= 3
      sleep RETRY_DELAY
    # ^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `RETRY_DELAY` only on the error path: each time it rescues `Search::Timeout` (line 33) and retries, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait (a note: a short wait of 2 s repeated at most 3 times, 6 s at worst)
      retry
    end
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# case: sleep-for-an-argument (invalid)
class PaceWorker < ApplicationWorker
  def perform(interval, id)
    pause = interval.to_f
    sleep pause
  # ^^^^^^^^^^^ `sleep` blocks this worker thread for `pause`, counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait
    Item.find(id).touch
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: active-job-on-another-adapter (valid)
# note: An ActiveJob class in app/jobs while the adapter is not Sidekiq is another queue's job.
# file: app/jobs/poll_status_job.rb
class PollStatusJob < ActiveJob::Base
  def perform(id)
    sleep 5
  end
end

# file: config/application.rb
module Shop
  class Application < Rails::Application
    config.active_job.queue_adapter = :good_job
  end
end

# case: rescheduled-instead-of-waiting (valid)
# note: Rescheduled instead of waiting.
class ExportStatusWorker < ApplicationWorker
  def perform(export_id)
    export = Export.find(export_id)
    return self.class.perform_in(30, export_id) unless export.finished?

    export.notify!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sleep-on-another-object (valid)
# note: `sleep` on another object, and other names.
class ThrottledSyncWorker < ApplicationWorker
  def perform(account_id)
    throttle = Throttle.for(account_id)
    throttle.sleep(1)
    sleep_time = throttle.backoff
    device = Device.find_by(account_id: account_id)
    device.sleep
    Rails.logger.info("backoff #{sleep_time}")
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: not-worker-code (valid)
# note: Not worker code.
# file: app/services/rate_limited_client.rb
class RateLimitedClient
  def get(path)
    sleep 1
    Kernel.sleep(0.5)
  end
end

# case: sidekiq-retry-in-block (valid)
# note: Sidekiq's retry delay block computes a delay; it does not sleep.
class PollWorker < ApplicationWorker
  sidekiq_retry_in do |count, _exception|
    10 * (count + 1)
  end

  def perform(id)
    Poll.find(id).refresh!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sleep-zero-yields (valid)
# note: `sleep 0` only yields the thread.
class YieldingWorker < ApplicationWorker
  def perform(ids)
    ids.each_slice(100) do |slice|
      Item.where(id: slice).update_all(touched_at: Time.current)
      sleep 0
    end
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sleep-in-a-background-thread (valid)
# note: A sleep in a background thread does not run on the job's thread.
class MetricsWorker < ApplicationWorker
  def self.flusher
    @flusher ||= Thread.new do
      loop do
        Metrics.flush
        sleep 10
      end
    end
  end

  def perform(name, value)
    self.class.flusher
    Metrics.add(name, value)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-defines-its-own-sleep (valid)
# note: The class defines its own `sleep`.
class DeviceSleepWorker < ApplicationWorker
  def perform(device_id)
    @device = Device.find(device_id)
    sleep
  end

  private

  def sleep
    @device.update!(state: "sleeping")
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: local-variable-and-symbol-named-sleep (valid)
# note: A local variable named `sleep`, and the symbol `:sleep`.
class ScheduleWorker < ApplicationWorker
  def perform(options)
    sleep = options.fetch("sleep", false)
    return unless sleep

    Device.find(options["id"]).update!(mode: :sleep)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sleep-in-a-thread-or-child-process (valid)
# note: A sleep in a thread or child process the job starts runs off the job's thread (WL502
# note: reports the thread).
class WatchdogWorker < ApplicationWorker
  def perform(export_id)
    watchdog = Thread.new { sleep 600; Export.find(export_id).flag_slow! }
    fork { sleep 1; Export.find(export_id).warm_cache! }
    Export.find(export_id).run!
  ensure
    watchdog&.kill
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: model-method-called-by-a-job (valid)
# note: A model is not worker code, even when a job calls it.
# file: app/models/export.rb
class Export < ApplicationRecord
  def wait_until_ready
    Kernel.sleep(1) until reload.ready?
  end
end

# case: block-parameter-named-sleep (valid)
# note: A block parameter named `sleep` is a local variable, not a call of Kernel#sleep.
class NapReportWorker
  include Sidekiq::Job

  def perform(durations)
    durations.each { |sleep| Rails.logger.info(sleep) }
    for sleep in durations
      sleep
    end
  end
end
