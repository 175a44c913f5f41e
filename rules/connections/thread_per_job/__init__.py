from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.lifetime import (
    BARE_CONTAINERS,
    Lifetime,
    bare_identifiers,
    core_constant,
    defines_method,
    lifetime,
    where_it_runs,
)
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

_THREAD_METHODS = frozenset({"new", "start", "fork"})
_FORK_RECEIVERS = frozenset({"Process", "Kernel"})
_UNCOUNTED = (
    "; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the "
    "work as jobs of their own instead"
)


class ThreadPerJob(Rule):
    """## What it does
    Reports starting a thread or a process in worker code: `Thread.new`, `Thread.start` (and its
    alias `Thread.fork`), a bare `fork`, `Process.fork` and `Kernel.fork`.

    Not reported: a thread kept for the process (`@@flusher ||= Thread.new { ... }`, a constant,
    or an instance variable assigned in a class method), `fork` called on another object
    (`repo.fork`, `github.fork(name)`), a local variable or a method of the class named `fork`,
    `Thread.current`, and a project class named `Thread` (`Forum::Thread.new`). An `@ivar` of a
    helper object beside the workers, or a lambda, may live for the process: not reported either.
    Thread pools and futures from other libraries (`Concurrent::Future`, `Parallel.map`) are not
    covered.

    ## Why is this bad?
    Sidekiq bounds the work a process does with its `concurrency` setting. A thread started by a
    job runs beside those threads without being counted, so a busy queue starts threads without
    limit; they share the process's database and Redis pools, sized for `concurrency`
    connections, and Sidekiq does not wait for them when it shuts down, so their work is lost on
    every deploy. `fork` copies the whole Sidekiq process, with its memory and connections.

    ## Example
    ```ruby
    class ImportWorker
      include Sidekiq::Job

      def perform(batch_ids)
        threads = batch_ids.map { |id| Thread.new { Batch.find(id).import! } }
        threads.each(&:join)
      end
    end
    ```

    Use instead:
    ```ruby
    class ImportWorker
      include Sidekiq::Job

      def perform(batch_ids)
        BatchImportWorker.perform_bulk(batch_ids.map { |id| [id] })
      end
    end
    ```
    """

    code = "WL502"
    name = "thread-per-job"
    level = Level.WARNING
    summary = "A thread or process started in worker code, outside Sidekiq's concurrency limit."
    tags = ("threads",)
    call_methods = frozenset({*_THREAD_METHODS, "fork"})
    node_types = BARE_CONTAINERS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type != "call" and node.type != "identifier":
            for identifier in bare_identifiers(node, "fork", ctx.semantic):
                self._check(identifier, "fork", ctx)
            return
        label = self._label(node, ctx)
        if label is not None:
            self._check(node, label, ctx)

    def _label(self, node: Node, ctx: FileContext) -> str | None:
        name = nodes.method_name(node)
        if node.type == "identifier":
            return "fork" if name == "fork" else None
        receiver = nodes.receiver(node)
        if receiver is None:
            return "fork" if name == "fork" else None
        constant = core_constant(receiver, ctx)
        if constant == "Thread" and name in _THREAD_METHODS:
            return f"Thread.{name}"
        if constant in _FORK_RECEIVERS and name == "fork":
            return f"{constant}.fork"
        return None

    def _check(self, node: Node, label: str, ctx: FileContext) -> None:
        if label == "fork" and defines_method(ctx, "fork"):
            return
        held = lifetime(node, ctx)
        if held.lifetime is Lifetime.INSTANCE:
            scope = ctx.class_scope
            if scope is None or not ctx.index.is_worker(scope.facts.name):
                return
        elif held.lifetime is not Lifetime.CALL:
            return
        if node.type == "identifier":
            span = Span(node.start_byte, node.end_byte)
        else:
            method = node.child_by_field_name("method")
            args = nodes.argument_list(node)
            assert method is not None
            span = Span(method.start_byte, (args or method).end_byte)
        where = where_it_runs(ctx)
        if label.startswith("Thread."):
            message = f"`{label}` starts a thread {where}{_UNCOUNTED}"
        else:
            message = (
                f"`{label}` starts a child process {where}, a copy of the whole Sidekiq "
                f"process{_UNCOUNTED}"
            )
        ctx.report(span, message)


_BASE = {
    "app/workers/application_worker.rb": "class ApplicationWorker\n  include Sidekiq::Job\nend\n",
    "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
}
_THREAD = "; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the work as jobs of their own instead"
_FORK = f", a copy of the whole Sidekiq process{_THREAD}"


def _expand(code: str) -> str:
    return code.replace("<THREAD>", _THREAD).replace("<FORK>", _FORK)


ThreadPerJob.VALID = (
    # `fork` on another receiver: a GitHub API call, a model method.
    Valid(
        """\
class ForkRepoWorker < ApplicationWorker
  def perform(repo_name)
    repo = Repository.find_by!(name: repo_name)
    github.fork(repo.full_name)
    repo.fork.sync!
  end
end
""",
        files=_BASE,
    ),
    # Thread-local state, a local named `thread`, Thread::Queue and Mutex start nothing.
    Valid(
        """\
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
""",
        files=_BASE,
    ),
    # Not worker code: a service outside the worker folders.
    Valid(
        """\
class Prefetcher
  def call(urls)
    urls.map { |url| Thread.new { Net::HTTP.get(URI(url)) } }.map(&:value)
  end
end
""",
        path="app/services/prefetcher.rb",
    ),
    # One background thread per process, memoised in class-level state.
    Valid(
        """\
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
""",
        files=_BASE,
    ),
    Valid(
        """\
class HeartbeatWorker < ApplicationWorker
  def perform
    @@beat ||= Thread.new { loop { Heartbeat.ping && sleep(30) } }
  end
end
""",
        files=_BASE,
    ),
    # The class defines its own `fork`: the bare call is that method.
    Valid(
        """\
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
""",
        files=_BASE,
    ),
    # A local variable named `fork`.
    Valid(
        """\
class SyncForkWorker < ApplicationWorker
  def perform(repo_id)
    fork = Repository.find(repo_id).upstream_fork
    fork && fork.sync!
  end
end
""",
        files=_BASE,
    ),
    # Other names: `forks`, `fork_count`, `Thread.list`.
    Valid(
        """\
class RepoStatsWorker < ApplicationWorker
  def perform(repo_id)
    repo = Repository.find(repo_id)
    repo.update!(fork_count: repo.forks.count, threads: Thread.list.size)
  end
end
""",
        files=_BASE,
    ),
)

ThreadPerJob.VALID += (
    # The class body runs once, when the class is loaded: not worker code.
    Valid(
        """\
class CacheSweepWorker < ApplicationWorker
  SWEEPER = Thread.new do
    loop { CacheEntry.sweep_expired && sleep(60) }
  end

  def perform(key)
    CacheEntry.delete(key)
  end
end
""",
        files=_BASE,
    ),
    # A model of the project named Thread is not Ruby's Thread.
    Valid(
        """\
module Forum
  class ReplyWorker
    include Sidekiq::Job

    def perform(topic_id, body)
      Thread.new(topic_id: topic_id, body: body).save!
    end
  end
end
""",
        path="app/workers/forum/reply_worker.rb",
        files={
            "app/models/forum/thread.rb": "module Forum\n  class Thread < ApplicationRecord\n  end\nend\n"
        },
    ),
    # An @ivar of a helper object beside the workers: how long it lives is unknown.
    Valid(
        """\
class BatchFlusher
  def start
    @thread ||= Thread.new { loop { flush && sleep(1) } }
  end
end
""",
        path="app/workers/support/batch_flusher.rb",
    ),
)

ThreadPerJob.INVALID = (
    Invalid(
        _expand("""\
class ImportWorker < ApplicationWorker
  def perform(batch_ids)
    threads = batch_ids.map { |id| Thread.new { Batch.find(id).import! } }
                                          ^^^ `Thread.new` starts a thread on every job run<THREAD>
    threads.each(&:join)
  end
end
"""),
        files=_BASE,
    ),
    Invalid(
        _expand("""\
class PrefetchWorker < ApplicationWorker
  def perform(urls)
    urls.each { |url| ::Thread.start(url) { |u| Cache.warm(u) } }
                               ^^^^^^^^^^ `Thread.start` starts a thread on every job run<THREAD>
  end
end
"""),
        files=_BASE,
    ),
    Invalid(
        _expand("""\
class ReportRenderWorker < ApplicationWorker
  def perform(report_id)
    fork do
    ^^^^ `fork` starts a child process on every job run<FORK>
      Report.find(report_id).render!
    end
    Process.wait
  end
end
"""),
        files=_BASE,
    ),
    Invalid(
        _expand("""\
class ConvertWorker < ApplicationWorker
  def perform(path)
    pid = fork
          ^^^^ `fork` starts a child process on every job run<FORK>
    exec("convert", path, "#{path}.pdf") if pid.nil?
    Process.wait(pid)
  end
end
"""),
        files=_BASE,
    ),
    Invalid(
        _expand("""\
class SandboxWorker < ApplicationWorker
  def perform(script_id)
    pid = Process.fork { Sandbox.run(script_id) }
                  ^^^^ `Process.fork` starts a child process on every job run<FORK>
    Process.detach(pid)
  end
end
"""),
        files=_BASE,
    ),
    # A helper beside the workers runs inside them.
    Invalid(
        _expand("""\
module Concurrently
  def self.each(items, &block)
    items.map { |item| Thread.fork(item, &block) }.each(&:join)
                              ^^^^^^^^^^^^^^^^^^ `Thread.fork` starts a thread on every call of `Concurrently.each`<THREAD>
  end
end
"""),
        path="app/workers/concurrently.rb",
    ),
    # An instance variable of a job instance lives for one job.
    Invalid(
        _expand("""\
class LongExportWorker < ApplicationWorker
  def perform(export_id)
    @watchdog = Thread.new { sleep 600; Export.find(export_id).flag_slow! }
                       ^^^ `Thread.new` starts a thread on every job run<THREAD>
    Export.find(export_id).run!
  ensure
    @watchdog&.kill
  end
end
"""),
        files=_BASE,
    ),
    # A callback block runs around every job.
    Invalid(
        _expand("""\
class MonitoredJob < ApplicationJob
  around_perform do |job, block|
    beat = Thread.new { loop { Heartbeat.ping(job.job_id) && sleep(5) } }
                  ^^^ `Thread.new` starts a thread on every job run<THREAD>
    block.call
  ensure
    beat&.kill
  end
end
"""),
        path="app/jobs/monitored_job.rb",
        files=_BASE,
    ),
    # A class method returning a new thread, called from perform.
    Invalid(
        _expand("""\
class AsyncAuditWorker < ApplicationWorker
  def self.async(&block) = Thread.new(&block)
                                  ^^^^^^^^^^^ `Thread.new` starts a thread on every job run<THREAD>

  def perform(event)
    self.class.async { AuditLog.write(event) }
  end
end
"""),
        files=_BASE,
    ),
    Invalid(
        _expand("""\
class DaemonWorker < ApplicationWorker
  def perform
    Kernel.fork { Daemon.start }
           ^^^^ `Kernel.fork` starts a child process on every job run<FORK>
  end
end
"""),
        files=_BASE,
    ),
)
