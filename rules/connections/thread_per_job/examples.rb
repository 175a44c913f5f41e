# WL502 thread-per-job: its examples (format: workerlint/app/examples.py)

# case: thread-new-per-batch (invalid)
class ImportWorker < ApplicationWorker
  def perform(batch_ids)
    threads = batch_ids.map { |id| Thread.new { Batch.find(id).import! } }
    #                                     ^^^ `Thread.new` starts a thread on every job run; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
    threads.each(&:join)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: thread-start (invalid)
class PrefetchWorker < ApplicationWorker
  def perform(urls)
    urls.each { |url| ::Thread.start(url) { |u| Cache.warm(u) } }
    #                          ^^^^^^^^^^ `Thread.start` starts a thread on every job run; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: fork-with-a-block (invalid)
class ReportRenderWorker < ApplicationWorker
  def perform(report_id)
    fork do
  # ^^^^ `fork` starts a child process on every job run, a copy of the whole Sidekiq process; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
      Report.find(report_id).render!
    end
    Process.wait
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: bare-fork-then-exec (invalid)
class ConvertWorker < ApplicationWorker
  def perform(path)
    pid = fork
    #     ^^^^ `fork` starts a child process on every job run, a copy of the whole Sidekiq process; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
    exec("convert", path, "#{path}.pdf") if pid.nil?
    Process.wait(pid)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: process-fork (invalid)
class SandboxWorker < ApplicationWorker
  def perform(script_id)
    pid = Process.fork { Sandbox.run(script_id) }
    #             ^^^^ `Process.fork` starts a child process on every job run, a copy of the whole Sidekiq process; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
    Process.detach(pid)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: thread-fork-in-a-helper (invalid)
# note: A helper beside the workers runs inside them.
# file: app/workers/concurrently.rb
module Concurrently
  def self.each(items, &block)
    items.map { |item| Thread.fork(item, &block) }.each(&:join)
    #                         ^^^^^^^^^^^^^^^^^^ `Thread.fork` starts a thread on every call of `Concurrently.each`; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
  end
end

# case: watchdog-in-an-instance-variable (invalid)
# note: An instance variable of a job instance lives for one job.
class LongExportWorker < ApplicationWorker
  def perform(export_id)
    @watchdog = Thread.new { sleep 600; Export.find(export_id).flag_slow! }
    #                  ^^^ `Thread.new` starts a thread on every job run; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
    Export.find(export_id).run!
  ensure
    @watchdog&.kill
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: around-perform-callback (invalid)
# note: A callback block runs around every job.
# file: app/jobs/monitored_job.rb
class MonitoredJob < ApplicationJob
  around_perform do |job, block|
    beat = Thread.new { loop { Heartbeat.ping(job.job_id) && sleep(5) } }
    #             ^^^ `Thread.new` starts a thread on every job run; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
    block.call
  ensure
    beat&.kill
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-method-returning-a-new-thread (invalid)
# note: A class method returning a new thread, called from perform.
class AsyncAuditWorker < ApplicationWorker
  def self.async(&block) = Thread.new(&block)
  #                               ^^^^^^^^^^^ `Thread.new` starts a thread on every job run; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead

  def perform(event)
    self.class.async { AuditLog.write(event) }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: kernel-fork (invalid)
class DaemonWorker < ApplicationWorker
  def perform
    Kernel.fork { Daemon.start }
    #      ^^^^ `Kernel.fork` starts a child process on every job run, a copy of the whole Sidekiq process; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: fork-on-another-receiver (valid)
# note: `fork` on another receiver: a GitHub API call, a model method.
class ForkRepoWorker < ApplicationWorker
  def perform(repo_name)
    repo = Repository.find_by!(name: repo_name)
    github.fork(repo.full_name)
    repo.fork.sync!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: thread-local-state-queue-and-mutex (valid)
# note: Thread-local state, a local named `thread`, Thread::Queue and Mutex start nothing.
class TraceWorker < ApplicationWorker
  LOCK = Mutex.new

  def perform(trace_id)
    Thread.current[:trace_id] = trace_id
    queue = Thread::Queue.new
    thread = Thread.current
    Rails.logger.info([thread.name, queue.size])
    LOCK.synchronize { Trace.record(trace_id) }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: service-outside-worker-code (valid)
# note: Not worker code: a service outside the worker folders.
# file: app/services/prefetcher.rb
class Prefetcher
  def call(urls)
    urls.map { |url| Thread.new { Net::HTTP.get(URI(url)) } }.map(&:value)
  end
end

# case: memoised-thread-per-process (valid)
# note: One background thread per process, memoised in class-level state.
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

# case: thread-in-a-class-variable (valid)
class HeartbeatWorker < ApplicationWorker
  def perform
    @@beat ||= Thread.new { loop { Heartbeat.ping && sleep(30) } }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-defines-its-own-fork (valid)
# note: The class defines its own `fork`: the bare call is that method.
class ProjectCopyWorker < ApplicationWorker
  def perform(project_id)
    @project = Project.find(project_id)
    fork
  end

  private

  def fork
    @project.dup.tap { |copy| copy.update!(name: "#{@project.name} (copy)") }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: local-variable-named-fork (valid)
# note: A local variable named `fork`.
class SyncForkWorker < ApplicationWorker
  def perform(repo_id)
    fork = Repository.find(repo_id).upstream_fork
    fork && fork.sync!
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: other-names-with-fork-and-thread (valid)
# note: Other names: `forks`, `fork_count`, `Thread.list`.
class RepoStatsWorker < ApplicationWorker
  def perform(repo_id)
    repo = Repository.find(repo_id)
    repo.update!(fork_count: repo.forks.count, threads: Thread.list.size)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: thread-started-in-the-class-body (valid)
# note: The class body runs once, when the class is loaded: not worker code.
class CacheSweepWorker < ApplicationWorker
  SWEEPER = Thread.new do
    loop { CacheEntry.sweep_expired && sleep(60) }
  end

  def perform(key)
    CacheEntry.delete(key)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: project-model-named-thread (valid)
# note: A model of the project named Thread is not Ruby's Thread.
# file: app/workers/forum/reply_worker.rb
module Forum
  class ReplyWorker
    include Sidekiq::Job

    def perform(topic_id, body)
      Thread.new(topic_id: topic_id, body: body).save!
    end
  end
end

# file: app/models/forum/thread.rb
module Forum
  class Thread < ApplicationRecord
  end
end

# case: ivar-of-a-helper-object (valid)
# note: An @ivar of a helper object beside the workers: how long it lives is unknown.
# file: app/workers/support/batch_flusher.rb
class BatchFlusher
  def start
    @thread ||= Thread.new { loop { flush && sleep(1) } }
  end
end

# case: multiple-assignment-named-fork (valid)
# note: `a, fork = ...` makes `fork` a local variable: the bare `fork` after it reads it.
class BranchWorker
  include Sidekiq::Job

  def perform(repo)
    main, fork = repo.split(":")
    fork
    begin
      Git.clone(main)
    rescue => fork
      fork
    end
  end
end
