from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby.flow import analyse_class
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node


class JobArgumentSizesWork(Rule):
    """## What it does
    Follows each job argument of a worker class (as WL401 does; here numeric conversions such as
    `to_i` and `Integer()` keep the value a job argument, since a number is exactly what sizes
    work) and reports it, when no bound dominates the use, used as an iteration count or a size:
    `n.times`, `n.upto`/`downto`/`step`, a range with it as an end that is iterated (`(1..n).each`,
    `map`, `step`, `to_a`; not a range given to `where`), `Array.new(n)`, `limit(n)`,
    `each_slice(n)`, `first(n)`/`take(n)`/`last(n)` on a query (a chain on a constant or with a
    query method: `Post.order(:id).first(n)`; on an Array they only slice what is there),
    `in_batches(of: n)`, and `sleep(n)`.

    Bounds that count: `n.clamp(...)`, `[n, MAX].min`, a comparison that returns, raises or caps
    before the use (`return if n > 1000`, `n = 100 if n > 100`, `raise unless n <= MAX`,
    `n.between?(1, 100)`), a membership check or `case`/`when` on literals. Slicing a job argument
    (`ids.first(n)`, `ids.each_slice(n)`) is bounded by that argument and not reported; neither is
    the size of a job argument (`ids.size.times`), which the payload already bounds.

    ## Why is this bad?
    Whoever enqueues the job (a controller passing a request parameter, an API client, another
    service pushing to the same Redis) decides how much work it does: `count.times` with a count of
    10,000,000 holds a worker thread for hours, `Array.new(n)` allocates until the process is
    killed for memory, and `sleep(n)` parks a thread indefinitely. Every other job sharing the
    process waits or dies with it.

    ## Example
    ```ruby
    class SeedWorker
      include Sidekiq::Job

      def perform(count)
        count.times { Sample.create! }
      end
    end
    ```

    Use instead:
    ```ruby
    class SeedWorker
      include Sidekiq::Job

      MAX_SAMPLES = 1_000

      def perform(count)
        count.clamp(0, MAX_SAMPLES).times { Sample.create! }
      end
    end
    ```
    """

    code = "WL402"
    name = "job-argument-sizes-work"
    level = Level.WARNING
    summary = "A job argument sizes a loop, an allocation, a query limit or a sleep, unbounded."
    fix_availability = "none"
    precision = "medium"
    tags = ("security", "arguments", "memory")
    cwe = (770,)  # allocation of resources without limits or throttling
    # Medium: CVSS 3.1 AV:N/AC:L/PR:L/UI:N/C:N/I:N/A:H scores 6.5, a worker thread or process
    # exhausted by whoever can enqueue the job; nothing leaks or changes.
    security_severity = 6.5
    worker_code_only = False
    node_types = frozenset({"class"})

    def visit(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if scope is None or scope.node != node or not ctx.index.is_worker(scope.facts.name):
            return
        for finding in analyse_class(scope, ctx):
            if finding.use != "size":
                continue
            message = _msg(
                finding.origin.arg, finding.origin.describe(), finding.label, finding.subject
            )
            ctx.report(Span(finding.start, finding.end), message)


def _msg(arg: str, path: str, label: str, subject: str = "") -> str:
    return (
        f"job argument `{arg}` sizes work without a bound: {path} -> `{label}`; clamp it "
        f"(`{subject or arg}.clamp(1, MAX)`) or return/raise when it is above a maximum"
    )


JobArgumentSizesWork.VALID = (
    Valid(
        """\
class SeedWorker
  include Sidekiq::Job

  MAX_SAMPLES = 1_000

  def perform(count)
    count.clamp(0, MAX_SAMPLES).times { Sample.create! }
  end
end
"""
    ),
    # [n, MAX].min bounds it, also through a local.
    Valid(
        """\
class DigestWorker
  include Sidekiq::Job

  def perform(user_id, limit)
    size = [limit.to_i, 50].min
    Post.where(user_id: user_id).order(created_at: :desc).limit(size).each(&:mark_sent!)
  end
end
"""
    ),
    # An early return on a comparison dominates the use.
    Valid(
        """\
class RetryProbeWorker
  include Sidekiq::Job

  def perform(attempts)
    return if attempts > 10

    attempts.times { |i| Probe.ping(i) }
  end
end
"""
    ),
    # Capped in place: the path where it was not above the cap is bounded too.
    Valid(
        """\
class PageWorker
  include Sidekiq::Job

  def perform(pages)
    pages = 20 if pages > 20
    (1..pages).each { |page| Crawler.fetch(page) }
  end
end
"""
    ),
    # A range passed to where is a condition, not iteration.
    Valid(
        """\
class RangeWorker
  include Sidekiq::Job

  def perform(from_id, to_id)
    Order.where(id: from_id..to_id).find_each(&:reconcile!)
  end
end
"""
    ),
    # raise unless ... <= MAX, and between? as a guard.
    Valid(
        """\
class BackfillWorker
  include Sidekiq::Job

  MAX_BATCH = 5_000

  def perform(batch_size, delay)
    raise ArgumentError, "batch too large" unless batch_size <= MAX_BATCH
    Account.in_batches(of: batch_size) { |batch| batch.touch_all }
    sleep(delay) if delay.between?(0, 5)
  end
end
"""
    ),
    # first(n) on an array that is itself a job argument is bounded by the payload; so is its size.
    Valid(
        """\
class FanoutWorker
  include Sidekiq::Job

  def perform(ids, n)
    ids.first(n).each { |id| Notifier.call(id) }
    ids.size.times { |i| Notifier.tick(i) }
  end
end
"""
    ),
    # A membership check validates it; a record's attribute is not a job argument.
    Valid(
        """\
class SampleWorker
  include Sidekiq::Job

  def perform(size, report_id)
    return unless [10, 50, 100].include?(size)

    Array.new(size) { Sample.build }
    report = Report.find(report_id)
    report.rows_count.times { |i| report.render_row(i) }
  end
end
"""
    ),
    # Not a worker class.
    Valid(
        """\
class Seeder
  def run(count)
    count.times { Sample.create! }
  end
end
""",
        path="lib/seeder.rb",
    ),
    # A case/when on literals bounds it in those branches.
    Valid(
        """\
class PlanWorker
  include Sidekiq::Job

  def perform(seats)
    case seats
    when 1, 5, 10
      seats.times { Seat.create! }
    end
  end
end
"""
    ),
)

JobArgumentSizesWork.VALID += (
    # A number read from the database is not a job argument; slicing an argument array is bounded.
    Valid(
        """\
class ExportDaysWorker
  include Sidekiq::Job

  def perform(account_id, ids, size)
    account = Account.find(account_id)
    account.export_days.times { |day| Export.for(account, day) }
    ids.each_slice(size) { |slice| Export.batch(slice) }
  end
end
"""
    ),
    # Both ends checked in the branch that uses it.
    Valid(
        """\
class TokenWorker
  include Sidekiq::Job

  def perform(n)
    if n.positive? && n <= 100
      Array.new(n) { Token.generate }
    end
  end
end
"""
    ),
)

JobArgumentSizesWork.INVALID = (
    Invalid(
        f"""\
class SeedWorker
  include Sidekiq::Job

  def perform(count)
    count.times {{ Sample.create! }}
          ^^^^^ {_msg("count", "`perform(count)`", "count.times")}
  end
end
"""
    ),
    # to_i keeps it a job argument for WL402.
    Invalid(
        f"""\
class DigestWorker
  include Sidekiq::Job

  def perform(user_id, options)
    limit = options.fetch("limit", 20).to_i
    Post.where(user_id: user_id).order(:created_at).limit(limit).each(&:mark_sent!)
                                                    ^^^^^^^^^^^^ {_msg("options", "`perform(options)`", "Post.where(...).order(...).limit", "limit")}
  end
end
"""
    ),
    # A guard after the use does not bound it.
    Invalid(
        f"""\
class ProbeWorker
  include Sidekiq::Job

  def perform(attempts)
    1.upto(attempts) {{ |i| Probe.ping(i) }}
      ^^^^^^^^^^^^^^ {_msg("attempts", "`perform(attempts)`", "1.upto")}
    raise ArgumentError if attempts > 10
  end
end
"""
    ),
    # A guard in one branch does not bound the other.
    Invalid(
        f"""\
class CrawlWorker
  include Sidekiq::Job

  def perform(pages, strict)
    if strict
      return if pages > 20
    else
      Rails.logger.info("crawling #{{pages}} pages")
    end
    (1..pages).map {{ |page| Crawler.fetch(page) }}
               ^^^ {_msg("pages", "`perform(pages)`", "(1..pages).map")}
  end
end
"""
    ),
    # A lower bound is not a bound.
    Invalid(
        f"""\
class AllocWorker
  include Sidekiq::Job

  def perform(size)
    return if size < 1

    buffer = Array.new(size, 0)
                   ^^^^^^^^^^^^ {_msg("size", "`perform(size)`", "Array.new")}
    buffer.sum
  end
end
"""
    ),
    # Passed on to a helper method of the class.
    Invalid(
        f"""\
class ExportWorker
  include Sidekiq::Job

  def perform(account_id, batch)
    export(Account.find(account_id), batch)
  end

  private

  def export(account, batch_size)
    account.orders.in_batches(of: batch_size) {{ |orders| Exporter.call(orders) }}
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^ {_msg("batch", "`perform(batch)` -> `export(batch_size)`", "account.orders.in_batches", "batch_size")}
  end
end
"""
    ),
    # sleep with a job argument; ActiveJob arguments count.
    Invalid(
        f"""\
class BackoffJob < ApplicationJob
  def perform(seconds)
    sleep(seconds * 2)
    ^^^^^^^^^^^^^^^^^^ {_msg("seconds", "`perform(seconds)`", "sleep")}
  end
end
""",
        path="app/jobs/backoff_job.rb",
        files={"app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n"},
    ),
    # Derived from a Hash argument; [n, 1].max is a lower bound only.
    Invalid(
        f"""\
class TopWorker
  include Sidekiq::Job

  def perform(params)
    n = [params["n"].to_i, 1].max
    Score.order(points: :desc).first(n).each(&:award!)
                               ^^^^^^^^ {_msg("params", "`perform(params)`", "Score.order(...).first", "n")}
  end
end
"""
    ),
    # Each element of an argument array sizes the work in the loop.
    Invalid(
        f"""\
class RepeatWorker
  include Sidekiq::Job

  def perform(counts)
    counts.each do |count|
      count.times {{ Beacon.emit }}
            ^^^^^ {_msg("counts", "`perform(counts)`", "count.times", "count")}
    end
  end
end
"""
    ),
    # each_slice with an argument size on a relation.
    Invalid(
        f"""\
class SliceWorker
  include Sidekiq::Job

  def perform(slice)
    Subscriber.where(active: true).pluck(:id).each_slice(slice) {{ |ids| Mailer.send_to(ids) }}
                                              ^^^^^^^^^^^^^^^^^ {_msg("slice", "`perform(slice)`", "Subscriber.where(...).pluck(...).each_slice")}
  end
end
"""
    ),
    Invalid(
        f"""\
class CountdownWorker
  include Sidekiq::Job

  def perform(count)
    count.downto(1) {{ |i| Countdown.tick(i) }}
          ^^^^^^^^^ {_msg("count", "`perform(count)`", "count.downto", "count")}
  end
end
"""
    ),
    # Kept in an instance variable and used by a helper method of the class.
    Invalid(
        f"""\
class LeaderboardWorker
  include Sidekiq::Job

  def perform(limit)
    @limit = limit
    publish(top_rows)
  end

  private

  def top_rows
    Score.order(points: :desc).take(@limit)
                               ^^^^^^^^^^^^ {_msg("limit", "`perform(limit)`", "Score.order(...).take", "@limit")}
  end
end
"""
    ),
)
