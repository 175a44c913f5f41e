from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.libraries.iteration import enclosing_loop
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.project.context import FileContext
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

if TYPE_CHECKING:
    from tree_sitter import Node

# One-off scripts: data migrations and seeds (RULES.md lists db/ among the default excludes).
SKIPPED = ("db/",)


def _loop_label(loop: Node) -> str:
    if loop.type == "call":
        recv = nodes.receiver(loop)
        name = method_name(loop) or ""
        shown = enqueue.describe(recv, 30) if recv is not None else ""
        if recv is None or shown != " ".join(text(recv).split()):
            return f"{'an' if name[:1] in 'aeiou' else 'a'} `{name}` block"
        return f"`{shown}.{name}`"
    keyword = loop.type.removesuffix("_modifier")
    return f"{'an' if keyword == 'until' else 'a'} `{keyword}` loop"


class EnqueueInLoop(Rule):
    """## What it does
    Reports `perform_async`, `perform_in`, `perform_at`, or ActiveJob's `perform_later`, called
    inside the block of an iteration method (`each` and every `each_*`, `each.with_index`,
    `map`, `flat_map`, `select`, `find_each`, `find_in_batches`, `in_batches`, `times`, `upto`,
    `step`, `loop`, ...) or in the body of a `while`, `until` or `for` loop, anywhere in the
    application code (controllers, models and services enqueue as much as workers do).

    Blocks that are not iterations (`transaction do`, `Sidekiq::Client.via(pool) do`, `tap`),
    lambdas and procs defined in a loop, and `perform_bulk` are not reported, nor files under
    `db/` (data migrations and seeds run once).

    ## Why is this bad?
    Each `perform_async` is one round trip to Redis. Enqueueing one job per element of a
    collection costs one round trip per element: thousands of them for a batch that one
    `perform_bulk` call would push 1,000 at a time, and a crash half way leaves half the jobs
    pushed. Pushing in bulk is faster and puts less load on Redis.

    ## Example
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        Account.active.pluck(:id).each { |id| AccountSyncWorker.perform_async(id) }
      end
    end
    ```

    Use instead:
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        AccountSyncWorker.perform_bulk(Account.active.pluck(:id).map { |id| [id] })
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: push the jobs with one `perform_bulk` call (Sidekiq 6.3+;
    `Sidekiq::Client.push_bulk` before 6.3, also for `perform_in`/`perform_at`, with `"at"`), or
    `ActiveJob.perform_all_later` for ActiveJob classes (Rails 7.1+). When the loop is a
    statement `each` whose block only enqueues, the suggestion rewrites it
    (`ids.each { |id| Job.perform_async(id) }` -> `Job.perform_bulk(ids.map { |id| [id] })`;
    a `find_each` becomes `in_batches` with one bulk push per batch). It is never applied by
    `--fix`: a bulk push fails or succeeds for the whole batch, and the block's other effects
    (counters, logging, `set(...)` options) need a person to carry over.
    """

    code = "WL601"
    name = "enqueue-in-loop"
    level = Level.WARNING
    summary = "A job enqueued once per iteration of a loop: one Redis round trip per job."
    fix_availability = "always"
    suggestion_only = True
    tags = ("enqueue", "redis", "performance")
    worker_code_only = False
    call_methods = enqueue.SIDEKIQ_ONE | enqueue.ACTIVE_JOB_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if ctx.relpath.startswith(SKIPPED):
            return
        found = enqueue.classify(node, ctx)
        if found is None:
            return
        loop = enclosing_loop(node)
        if loop is None:
            return
        span = Span(*nodes.call_span(node))
        bulk = _bulk(found, ctx)
        line = loop.start_point[0] + 1
        where = f"inside {_loop_label(loop)}" + (
            "" if _same_line(loop, node) else f" (line {line})"
        )
        message = (
            f"`{found.label}` {where} enqueues one job per iteration, one Redis round trip "
            f"each; push them together with {bulk}"
        )
        edit = _suggestion(found, loop, node, ctx)
        if edit is not None:
            title = f"push them in one call: `{' '.join(edit.content.split())}`"
            fix = Fix(Applicability.DISPLAY_ONLY, title, (edit,))
        else:
            fix = Fix(Applicability.DISPLAY_ONLY, f"collect the arguments and use {bulk}", ())
        ctx.report(span, message, fix=fix)


def _suggestion(found: enqueue.Enqueue, loop: Node, call: Node, ctx: FileContext) -> Edit | None:
    """``xs.each { |x| Job.perform_async(x) }`` -> ``Job.perform_bulk(xs.map { |x| [x] })``.

    Only for a statement ``each``/``find_each`` whose block does nothing but enqueue; a
    ``find_each`` becomes ``in_batches`` with one bulk push per batch of 1,000.
    """
    name = method_name(loop)
    recv = nodes.receiver(loop)
    parent = loop.parent
    if name not in ("each", "find_each") or recv is None or nodes.arguments(loop):
        return None
    if parent is None or parent.type not in nodes.STATEMENT_PARENTS:
        return None  # the loop's value is used
    block = nodes.block(loop)
    body = nodes.block_body(block)
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    params_node = block.child_by_field_name("parameters") if block is not None else None
    row = enqueue.args_source(call)
    if len(statements) != 1 or statements[0] != call or params_node is None or row is None:
        return None
    params = text(params_node).strip().strip("|").strip()
    if name == "each":
        new = enqueue.bulk_push(found, ctx, text(recv), params, row)
    else:
        batch = "batch" if "batch" not in params else "records"
        inner = enqueue.bulk_push(found, ctx, batch, params, row)
        new = f"{text(recv)}.in_batches {{ |{batch}| {inner} }}" if inner else None
    return Edit(loop.start_byte, loop.end_byte, new) if new else None


def _same_line(a: Node, b: Node) -> bool:
    return a.start_point[0] == b.start_point[0]


def _bulk(found: enqueue.Enqueue, ctx: FileContext) -> str:
    hint = enqueue.bulk_hint(found, ctx, args="args", jobs="jobs", times="times")
    if found.active_job:
        hint += f" (`jobs` = `{found.job or 'Job'}.new(...)` each, Rails 7.1+)"
    return hint


_FILES = {
    **gemfile_lock("7.2.4"),
    "app/models/application_record.rb": (
        "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n"
    ),
    "app/models/account.rb": "class Account < ApplicationRecord\n  scope :active, -> { where(active: true) }\nend\n",
    "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
    "app/jobs/welcome_job.rb": "class WelcomeJob < ApplicationJob\n  def perform(id); end\nend\n",
    "app/workers/sync_worker.rb": (
        "class SyncWorker\n  include Sidekiq::Job\n\n  def perform(id); end\nend\n"
    ),
}

EnqueueInLoop.VALID = (
    # perform_later while the ActiveJob adapter is not Sidekiq: the job never reaches Sidekiq.
    Valid(
        """\
class WelcomeJob < ActiveJob::Base
  def perform(id) = id
end

class SignupBatch
  def self.welcome(ids)
    ids.each { |id| WelcomeJob.perform_later(id) }
  end
end
""",
        path="app/models/signup_batch.rb",
        files={
            "config/application.rb": (
                "module Shop\n  class Application < Rails::Application\n"
                "    config.active_job.queue_adapter = :good_job\n  end\nend\n"
            ),
        },
    ),
    # perform_bulk next to the loop that builds its argument lists.
    Valid(
        """\
class NightlyWorker
  include Sidekiq::Job

  def perform
    args = Account.active.pluck(:id).map { |id| [id] }
    SyncWorker.perform_bulk(args)
  end
end
""",
        files=_FILES,
    ),
    # perform_bulk inside in_batches is one push per batch of 1,000.
    Valid(
        """\
class BackfillWorker
  include Sidekiq::Job

  def perform
    Account.active.in_batches do |batch|
      SyncWorker.perform_bulk(batch.ids.map { [_1] })
    end
  end
end
""",
        files=_FILES,
    ),
    # An enqueue outside any loop, after one.
    Valid(
        """\
class AccountsController < ApplicationController
  def update
    params[:tags].each { |tag| @account.tags << tag }
    SyncWorker.perform_async(@account.id)
  end
end
""",
        path="app/controllers/accounts_controller.rb",
        files=_FILES,
    ),
    # Blocks that do not iterate: a transaction, a Redis pool switch, tap, then.
    Valid(
        """\
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
""",
        path="app/models/account.rb",
        files={k: v for k, v in _FILES.items() if k != "app/models/account.rb"},
    ),
    # The loop's condition is evaluated once per iteration, but only the body enqueues here,
    # and the enqueue after the loop is outside it.
    Valid(
        """\
class DrainWorker
  include Sidekiq::Job

  def perform
    while (batch = next_batch)
      process(batch)
    end
    SyncWorker.perform_async("done")
  end
end
""",
        files=_FILES,
    ),
    # A lambda or proc built in a loop runs later, not once per iteration.
    Valid(
        """\
class HooksWorker
  include Sidekiq::Job

  def perform(ids)
    hooks = ids.map { |id| -> { SyncWorker.perform_async(id) } }
    callbacks = ids.map { |id| proc { WelcomeJob.perform_later(id) } }
    hooks.first&.call
  end
end
""",
        files=_FILES,
    ),
    # perform_now and deliver_later are not Sidekiq pushes of a job class method named here.
    Valid(
        """\
class ReplayWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each { |id| WelcomeJob.perform_now(id) }
    ids.each { |id| SyncWorker.new.perform(id) }
  end
end
""",
        files=_FILES,
    ),
    # Data migrations and seeds under db/ run once.
    Valid(
        """\
Account.where(legacy: true).find_each do |account|
  SyncWorker.perform_async(account.id)
end
""",
        path="db/data_migration/20250101000000_resync_legacy_accounts.rb",
        files=_FILES,
    ),
    # perform_bulk per slice: one push per 1,000 jobs.
    Valid(
        """\
class ReindexWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each_slice(1_000) { |slice| SyncWorker.perform_bulk(slice.map { |id| [id] }) }
  end
end
""",
        files=_FILES,
    ),
    # Methods defined in a loop enqueue when they are called, not once per iteration.
    Valid(
        """\
class Account < ApplicationRecord
  %w[sync resync].each do |name|
    define_method("#{name}_later") { SyncWorker.perform_async(id) }
  end
end
""",
        path="app/models/account.rb",
        files={k: v for k, v in _FILES.items() if k != "app/models/account.rb"},
    ),
)

EnqueueInLoop.INVALID = (
    Invalid(
        """\
class NightlyWorker
  include Sidekiq::Job

  def perform
    stale_ids = Sidekiq.redis { |conn| conn.call("SMEMBERS", "stale") }
    stale_ids.each { |id| SyncWorker.perform_async(id) }
                                     ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `stale_ids.each` enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end
""",
        files=_FILES,
        fixed="""\
class NightlyWorker
  include Sidekiq::Job

  def perform
    stale_ids = Sidekiq.redis { |conn| conn.call("SMEMBERS", "stale") }
    SyncWorker.perform_bulk(stale_ids.map { |id| [id] })
  end
end
""",
    ),
    # Anywhere in application code: a controller, with find_each.
    Invalid(
        """\
class ResyncsController < ApplicationController
  def create
    Account.active.find_each do |account|
      SyncWorker.perform_async(account.id)
                 ^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `Account.active.find_each` (line 3) enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
  end
end
""",
        path="app/controllers/resyncs_controller.rb",
        files=_FILES,
        fixed="""\
class ResyncsController < ApplicationController
  def create
    Account.active.in_batches { |batch| SyncWorker.perform_bulk(batch.map { |account| [account.id] }) }
  end
end
""",
    ),
    # ActiveJob: perform_later, with ActiveJob.perform_all_later as the bulk form.
    Invalid(
        """\
class Account < ApplicationRecord
  def self.welcome_all(ids)
    ids.each_with_index { |id, i| WelcomeJob.set(wait: i.seconds).perform_later(id) }
                                                                  ^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `ids.each_with_index` enqueues one job per iteration, one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
  end
end
""",
        path="app/models/account.rb",
        files={k: v for k, v in _FILES.items() if k != "app/models/account.rb"},
    ),
    # Before Sidekiq 6.3 there is no perform_bulk: Sidekiq::Client.push_bulk.
    Invalid(
        """\
class FanOutWorker
  include Sidekiq::Worker

  def perform(ids)
    ids.each { |id| SyncWorker.perform_async(id, "fan-out") }
                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `ids.each` enqueues one job per iteration, one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args)` (`perform_bulk` needs Sidekiq 6.3, this is Sidekiq 6.2.1)
  end
end
""",
        files={**_FILES, **gemfile_lock("6.2.1")},
        fixed="""\
class FanOutWorker
  include Sidekiq::Worker

  def perform(ids)
    Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => ids.map { |id| [id, "fan-out"] })
  end
end
""",
    ),
    # Scheduled pushes: push_bulk with "at".
    Invalid(
        """\
class ReminderWorker
  include Sidekiq::Job

  def perform(ids)
    ids.each.with_index do |id, i|
      SyncWorker.perform_in(i * 10, id)
                 ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_in` inside `ids.each.with_index` (line 5) enqueues one job per iteration, one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args, "at" => times)`
    end
  end
end
""",
        files=_FILES,
    ),
    # Loops: while, until, loop, times, upto, for.
    Invalid(
        """\
class PollWorker
  include Sidekiq::Job

  def perform(count)
    while (id = queue.pop)
      SyncWorker.perform_async(id)
                 ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `while` loop (line 5) enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    end
    loop { SyncWorker.perform_async(next_id) or break }
                      ^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `loop` block enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
    3.times { |n| SyncWorker.perform_at(n.hours.from_now, n) }
                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_at` inside `3.times` enqueues one job per iteration, one Redis round trip each; push them together with `Sidekiq::Client.push_bulk("class" => SyncWorker, "args" => args, "at" => times)`
    for id in pending do SyncWorker.perform_async(id) end
                                    ^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside a `for` loop enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end
""",
        files=_FILES,
    ),
    # The innermost loop is named; blocks that do not iterate do not hide the loop around them.
    Invalid(
        """\
class ShardWorker
  include Sidekiq::Job

  def perform(ids)
    Account.active.in_batches do |batch|
      batch.each do |account|
        Sidekiq::Client.via(POOL) { self.class.perform_async(account.id) }
                                               ^^^^^^^^^^^^^^^^^^^^^^^^^ `ShardWorker.perform_async` inside `batch.each` (line 6) enqueues one job per iteration, one Redis round trip each; push them together with `ShardWorker.perform_bulk(args)`
      end
    end
  end
end
""",
        files=_FILES,
    ),
    # A worker enqueued through a local (the class is not visible).
    Invalid(
        """\
class RecoverWorker
  include Sidekiq::Job

  def perform(worker_name, args_list)
    worker = worker_name.constantize
    args_list.each_slice(2) { |args| worker.perform_async(*args) }
                                            ^^^^^^^^^^^^^^^^^^^^ `worker.perform_async` inside `args_list.each_slice` enqueues one job per iteration, one Redis round trip each; push them together with `worker.perform_bulk(args)`
  end
end
""",
        files=_FILES,
    ),
    # until, in a model's class method.
    Invalid(
        """\
class Account < ApplicationRecord
  def self.drain(queue)
    until queue.empty?
      WelcomeJob.perform_later(queue.shift)
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside an `until` loop (line 3) enqueues one job per iteration, one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
    end
  end
end
""",
        path="app/models/account.rb",
        files={k: v for k, v in _FILES.items() if k != "app/models/account.rb"},
    ),
    # select with a block iterates too.
    Invalid(
        """\
class ImportsController < ApplicationController
  def create
    rows = CSV.parse(params[:file].read)
    rows.select { |row| row[0].present? && SyncWorker.perform_async(row[0]) }
                                                      ^^^^^^^^^^^^^^^^^^^^^ `SyncWorker.perform_async` inside `rows.select` enqueues one job per iteration, one Redis round trip each; push them together with `SyncWorker.perform_bulk(args)`
  end
end
""",
        path="app/controllers/imports_controller.rb",
        files=_FILES,
    ),
    # ActiveJob: ActiveJob.perform_all_later; a loop whose value is used gets no rewrite.
    Invalid(
        """\
class WelcomesController < ApplicationController
  def create
    params[:user_ids].each do |user_id|
      WelcomeJob.perform_later(user_id)
                 ^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `params[:user_ids].each` (line 3) enqueues one job per iteration, one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
    end
    jobs = params[:user_ids].map { |user_id| WelcomeJob.perform_later(user_id) }
                                                        ^^^^^^^^^^^^^^^^^^^^^^ `WelcomeJob.perform_later` inside `params[:user_ids].map` enqueues one job per iteration, one Redis round trip each; push them together with `ActiveJob.perform_all_later(jobs)` (`jobs` = `WelcomeJob.new(...)` each, Rails 7.1+)
  end
end
""",
        path="app/controllers/welcomes_controller.rb",
        files=_FILES,
        fixed="""\
class WelcomesController < ApplicationController
  def create
    ActiveJob.perform_all_later(params[:user_ids].map { |user_id| WelcomeJob.new(user_id) })
    jobs = params[:user_ids].map { |user_id| WelcomeJob.perform_later(user_id) }
  end
end
""",
    ),
)
