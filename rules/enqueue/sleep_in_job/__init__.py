from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.iteration import is_iteration
from workerlint.lang.ruby.lifetime import BARE_CONTAINERS, bare_identifiers, defines_method
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

_INSTEAD = (
    "counted against Sidekiq's concurrency while it waits: schedule the work for later with "
    "`perform_in`, or raise and let Sidekiq's retry wait"
)


_THREAD_STARTS = frozenset({"Thread.new", "Thread.start", "Thread.fork", "Process.fork", "fork"})


_LOOP_NODES = {
    "while": "the `while` loop",
    "until": "the `until` loop",
    "while_modifier": "the `while` loop",
    "until_modifier": "the `until` loop",
    "for": "the `for` loop",
}


def _context(node: Node) -> tuple[bool, str | None]:
    """(in the block of `Thread.new`/`fork`, so not on the job's thread; the innermost loop)."""
    loop: str | None = None
    current = node.parent
    while current is not None and current.type not in ("method", "singleton_method", "class"):
        if loop is None and current.type in _LOOP_NODES:
            loop = _LOOP_NODES[current.type]
        if current.type in ("block", "do_block") and current.parent is not None:
            call = current.parent
            receiver = nodes.receiver(call)
            name = nodes.method_name(call) or ""
            constant = (nodes.constant_path(receiver) or "").removeprefix("::")
            if (f"{constant}.{name}" if constant else name) in _THREAD_STARTS:
                return True, None
            if loop is None and is_iteration(name):
                written = nodes.text(receiver)
                short = receiver is None or (len(written) <= 30 and "\n" not in written)
                loop = f"`{written}.{name}`" if receiver is not None and short else f"`{name}`"
        current = current.parent
    return False, loop


class SleepInJob(Rule):
    """## What it does
    Reports `sleep` in worker code: with or without a duration, written bare (`sleep 2`,
    `sleep(rand)`, `sleep if busy?`) or as `Kernel.sleep`.

    Not reported: `sleep` called on another object (`throttle.sleep`), a local variable or a method
    of the class named `sleep`, other names (`sleep_time`), `sleep 0` (which only yields the
    thread), and a `sleep` inside the block of `Thread.new`/`Thread.start`/`fork`, which does not
    run on the job's thread (WL502 reports the thread). The message names the duration, and the
    loop the `sleep` repeats in (`on each pass of 20.times`).

    ## Why is this bad?
    A Sidekiq process runs at most `concurrency` jobs at once. A job that sleeps holds one of
    those threads doing nothing: a few sleeping jobs (waiting out a rate limit, polling for a
    result) are enough to stop a queue, and a sleep longer than the shutdown timeout is cut off
    by a deploy. `sleep` with no duration blocks until another thread wakes it.

    ## Example
    ```ruby
    class ExportStatusWorker
      include Sidekiq::Job

      def perform(export_id)
        export = Export.find(export_id)
        sleep 30 until export.reload.finished?
        export.notify!
      end
    end
    ```

    Use instead:
    ```ruby
    class ExportStatusWorker
      include Sidekiq::Job

      def perform(export_id)
        export = Export.find(export_id)
        return self.class.perform_in(30, export_id) unless export.finished?

        export.notify!
      end
    end
    ```
    """

    code = "WL602"
    name = "sleep-in-job"
    level = Level.WARNING
    summary = "A `sleep` in worker code holds a Sidekiq thread while doing nothing."
    tags = ("threads",)
    call_methods = frozenset({"sleep"})
    node_types = BARE_CONTAINERS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type not in ("call", "identifier"):
            for identifier in bare_identifiers(node, "sleep", ctx.semantic):
                self._check(identifier, ctx)
            return
        receiver = nodes.receiver(node)
        if receiver is not None and nodes.text(receiver).removeprefix("::") != "Kernel":
            return
        self._check(node, ctx)

    def _check(self, node: Node, ctx: FileContext) -> None:
        if nodes.receiver(node) is None and defines_method(ctx, "sleep"):
            return
        in_thread, loop = _context(node)
        if in_thread:
            return
        each_pass = f" on each pass of {loop}" if loop else ""
        args = [a for a in nodes.arguments(node) if a.type != "block_argument"]
        span = Span(*nodes.call_span(node))
        label = "Kernel.sleep" if nodes.receiver(node) is not None else "sleep"
        if not args:
            message = (
                f"`{label}` with no duration blocks this worker thread until another thread "
                f"wakes it{each_pass}, {_INSTEAD}"
            )
        else:
            value = nodes.literal_value(args[0])
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if value == 0:
                    return
                duration = f"{value:g} s"
            else:
                duration = f"`{nodes.text(args[0])}`"
            message = f"`{label}` blocks this worker thread for {duration}{each_pass}, {_INSTEAD}"
        if _class_method_outside_jobs(ctx):
            message += (
                " (a note: it is in a class method of the worker that no instance method calls, "
                "which may run outside Sidekiq, from a rake task or an enqueue helper)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        ctx.report(span, message)


def _class_method_outside_jobs(ctx: FileContext) -> bool:
    """A class method of a worker class that none of its instance methods calls: the worker's
    own `perform` does not reach it, so it may run anywhere (a rake task, an enqueue helper)."""
    scope, method = ctx.class_scope, ctx.method
    if (
        scope is None
        or not nodes.is_class_method(method)
        or not ctx.index.is_worker(scope.facts.name)
    ):
        return False
    assert method is not None
    name = nodes.text(method.child_by_field_name("name"))
    called = re.compile(rb"(?<![\w@$:])" + re.escape(name.encode()) + rb"(?![\w?!=])")
    return not any(
        called.search(other.text or b"")
        for others in scope.methods.values()
        for other in others
        if other.type == "method" and not nodes.is_class_method(other)
    )


_BASE = {
    "app/workers/application_worker.rb": "class ApplicationWorker\n  include Sidekiq::Job\nend\n",
    "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
}
_WAIT = "counted against Sidekiq's concurrency while it waits: schedule the work for later with `perform_in`, or raise and let Sidekiq's retry wait"


def _expand(code: str) -> str:
    return code.replace("<WAIT>", _WAIT)


SleepInJob.VALID = (
    # An ActiveJob class in app/jobs while the adapter is not Sidekiq is another queue's job.
    Valid(
        """\
class PollStatusJob < ActiveJob::Base
  def perform(id)
    sleep 5
  end
end
""",
        path="app/jobs/poll_status_job.rb",
        files={
            "config/application.rb": (
                "module Shop\n  class Application < Rails::Application\n"
                "    config.active_job.queue_adapter = :good_job\n  end\nend\n"
            ),
        },
    ),
    # Rescheduled instead of waiting.
    Valid(
        """\
class ExportStatusWorker < ApplicationWorker
  def perform(export_id)
    export = Export.find(export_id)
    return self.class.perform_in(30, export_id) unless export.finished?

    export.notify!
  end
end
""",
        files=_BASE,
    ),
    # `sleep` on another object, and other names.
    Valid(
        """\
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
""",
        files=_BASE,
    ),
    # Not worker code.
    Valid(
        """\
class RateLimitedClient
  def get(path)
    sleep 1
    Kernel.sleep(0.5)
  end
end
""",
        path="app/services/rate_limited_client.rb",
    ),
    # Sidekiq's retry delay block computes a delay; it does not sleep.
    Valid(
        """\
class PollWorker < ApplicationWorker
  sidekiq_retry_in do |count, _exception|
    10 * (count + 1)
  end

  def perform(id)
    Poll.find(id).refresh!
  end
end
""",
        files=_BASE,
    ),
    # `sleep 0` only yields the thread.
    Valid(
        """\
class YieldingWorker < ApplicationWorker
  def perform(ids)
    ids.each_slice(100) do |slice|
      Item.where(id: slice).update_all(touched_at: Time.current)
      sleep 0
    end
  end
end
""",
        files=_BASE,
    ),
    # A sleep in a background thread does not run on the job's thread.
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
    # The class defines its own `sleep`.
    Valid(
        """\
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
""",
        files=_BASE,
    ),
    # A local variable named `sleep`, and the symbol `:sleep`.
    Valid(
        """\
class ScheduleWorker < ApplicationWorker
  def perform(options)
    sleep = options.fetch("sleep", false)
    return unless sleep

    Device.find(options["id"]).update!(mode: :sleep)
  end
end
""",
        files=_BASE,
    ),
)

SleepInJob.VALID += (
    # A sleep in a thread or child process the job starts runs off the job's thread (WL502
    # reports the thread).
    Valid(
        """\
class WatchdogWorker < ApplicationWorker
  def perform(export_id)
    watchdog = Thread.new { sleep 600; Export.find(export_id).flag_slow! }
    fork { sleep 1; Export.find(export_id).warm_cache! }
    Export.find(export_id).run!
  ensure
    watchdog&.kill
  end
end
""",
        files=_BASE,
    ),
    # A model is not worker code, even when a job calls it.
    Valid(
        """\
class Export < ApplicationRecord
  def wait_until_ready
    Kernel.sleep(1) until reload.ready?
  end
end
""",
        path="app/models/export.rb",
    ),
)

SleepInJob.INVALID = (
    Invalid(
        _expand(
            """\
class WebhookWorker < ApplicationWorker
  class RateLimited < StandardError; end

  def perform(url, body)
    response = HTTParty.post(url, body: body, timeout: 10)
    return unless response.code == 429

    sleep 2
    ^^^^^^^ `sleep` blocks this worker thread for 2 s, <WAIT>
    raise RateLimited
  end
end
"""
        ),
        files=_BASE,
    ),
    Invalid(
        _expand(
            """\
class JitterWorker < ApplicationWorker
  def perform(id)
    sleep(rand(1..5))
    ^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `rand(1..5)`, <WAIT>
    Item.find(id).sync!
  end
end
"""
        ),
        files=_BASE,
    ),
    # Polling until something is ready.
    Invalid(
        _expand(
            """\
class ExportStatusWorker < ApplicationWorker
  def perform(export_id)
    export = Export.find(export_id)
    sleep 30 until export.reload.finished?
    ^^^^^^^^ `sleep` blocks this worker thread for 30 s on each pass of the `until` loop, <WAIT>
    export.notify!
  end
end
"""
        ),
        files=_BASE,
    ),
    Invalid(
        _expand(
            """\
class WaitForSignalWorker < ApplicationWorker
  def perform
    sleep if Signal.pending?
    ^^^^^ `sleep` with no duration blocks this worker thread until another thread wakes it, <WAIT>
  end
end
"""
        ),
        files=_BASE,
    ),
    Invalid(
        _expand(
            """\
class BackoffWorker < ApplicationWorker
  def perform(id)
    Kernel.sleep(0.5)
           ^^^^^^^^^^ `Kernel.sleep` blocks this worker thread for 0.5 s, <WAIT>
    Item.find(id).retry!
  end
end
"""
        ),
        files=_BASE,
    ),
    # A helper beside the workers runs inside them.
    Invalid(
        _expand(
            """\
module Backoff
  def self.wait(attempt)
    sleep(2**attempt)
    ^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `2**attempt`, <WAIT>
  end
end
"""
        ),
        path="app/workers/backoff.rb",
    ),
    # ActiveJob callback blocks run with every job.
    Invalid(
        _expand(
            """\
class SyncJob < ApplicationJob
  rescue_from ActiveRecord::RecordNotFound do |exception|
    sleep(1)
    ^^^^^^^^ `sleep` blocks this worker thread for 1 s, <WAIT>
    retry_job
  end

  def perform(id)
    Item.find(id).sync!
  end
end
"""
        ),
        path="app/jobs/sync_job.rb",
        files=_BASE,
    ),
    # A class method of a worker is a job method.
    Invalid(
        _expand(
            """\
class BulkMailWorker < ApplicationWorker
  def self.deliver_all(users)
    users.each do |user|
      UserMailer.digest(user).deliver_now
      sleep 1.second
      ^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `1.second` on each pass of `users.each`, <WAIT>
    end
  end

  def perform(user_ids)
    self.class.deliver_all(User.where(id: user_ids))
  end
end
"""
        ),
        files=_BASE,
    ),
    # A class method of the worker that no instance method calls (a rake task's helper): a note.
    Invalid(
        _expand(
            """\
class ReindexWorker < ApplicationWorker
  def self.wait_until_drained
    sleep 1 while Sidekiq::Queue.new("reindex").size.positive?
    ^^^^^^^ `sleep` blocks this worker thread for 1 s on each pass of the `while` loop, <WAIT> (a note: it is in a class method of the worker that no instance method calls, which may run outside Sidekiq, from a rake task or an enqueue helper)
  end

  def perform(id)
    Document.find(id).reindex!
  end
end
"""
        ),
        files=_BASE,
    ),
    # Backing off before `retry` in a rescue clause.
    Invalid(
        _expand(
            """\
class SyncContactWorker < ApplicationWorker
  def perform(contact_id)
    attempts = 0
    begin
      Crm.sync(Contact.find(contact_id))
    rescue Crm::Busy
      attempts += 1
      sleep(2**attempts)
      ^^^^^^^^^^^^^^^^^^ `sleep` blocks this worker thread for `2**attempts`, <WAIT>
      retry if attempts < 5
    end
  end
end
"""
        ),
        files=_BASE,
    ),
    Invalid(
        _expand(
            """\
class PaceWorker < ApplicationWorker
  def perform(interval, id)
    pause = interval.to_f
    sleep pause
    ^^^^^^^^^^^ `sleep` blocks this worker thread for `pause`, <WAIT>
    Item.find(id).touch
  end
end
"""
        ),
        files=_BASE,
    ),
)
