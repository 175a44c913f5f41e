# WL402 job-argument-sizes-work: its examples (format: workerlint/app/examples.py)

# case: count-times (invalid)
class SeedWorker
  include Sidekiq::Job

  def perform(count)
    count.times { Sample.create! }
    #     ^^^^^ job argument `count` sizes work without a bound: `perform(count)` -> `count.times`; clamp it (`count.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `SeedWorker` (only a person gives it)
  end
end

# case: count-divides-a-long-expression (invalid)
# note: The receiver is shortened at a token boundary: no name is cut in the message.
class FetchMembersWorker
  include Sidekiq::Job

  def perform(list, count)
    (mailing_integration.total_members_count / count).times do |page|
    #                                                 ^^^^^ job argument `count` sizes work without a bound: `perform(count)` -> `(mailing_integration...).times`; clamp it (`count.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `FetchMembersWorker` (only a person gives it)
      FetchMembersPageWorker.perform_async(list, page, count)
    end
  end
end

# case: limit-from-a-hash-argument (invalid)
# note: to_i keeps it a job argument for WL402.
class DigestWorker
  include Sidekiq::Job

  def perform(user_id, options)
    limit = options.fetch("limit", 20).to_i
    Post.where(user_id: user_id).order(:created_at).limit(limit).each(&:mark_sent!)
    #                                               ^^^^^^^^^^^^ job argument `options` sizes work without a bound: `perform(options)` -> `Post.where(...).order(...).limit`; clamp it (`limit.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `DigestWorker` (only a person gives it)
  end
end

# case: guard-after-the-use (invalid)
# note: A guard after the use does not bound it.
class ProbeWorker
  include Sidekiq::Job

  def perform(attempts)
    1.upto(attempts) { |i| Probe.ping(i) }
    # ^^^^^^^^^^^^^^ job argument `attempts` sizes work without a bound: `perform(attempts)` -> `1.upto`; clamp it (`attempts.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `ProbeWorker` (only a person gives it)
    raise ArgumentError if attempts > 10
  end
end

# case: guard-in-another-branch (invalid)
# note: A guard in one branch does not bound the other.
class CrawlWorker
  include Sidekiq::Job

  def perform(pages, strict)
    if strict
      return if pages > 20
    else
      Rails.logger.info("crawling #{pages} pages")
    end
    (1..pages).map { |page| Crawler.fetch(page) }
    #          ^^^ job argument `pages` sizes work without a bound: `perform(pages)` -> `(1..pages).map`; clamp it (`pages.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `CrawlWorker` (only a person gives it)
  end
end

# case: lower-bound-only (invalid)
# note: A lower bound is not a bound.
class AllocWorker
  include Sidekiq::Job

  def perform(size)
    return if size < 1

    buffer = Array.new(size, 0)
    #              ^^^^^^^^^^^^ job argument `size` sizes work without a bound: `perform(size)` -> `Array.new`; clamp it (`size.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `AllocWorker` (only a person gives it)
    buffer.sum
  end
end

# case: batch-size-passed-to-a-helper (invalid)
# note: Passed on to a helper method of the class.
class ExportWorker
  include Sidekiq::Job

  def perform(account_id, batch)
    export(Account.find(account_id), batch)
  end

  private

  def export(account, batch_size)
    account.orders.in_batches(of: batch_size) { |orders| Exporter.call(orders) }
    #              ^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `batch` sizes work without a bound: `perform(batch)` -> `export(batch_size)` -> `account.orders.in_batches`; clamp it (`batch_size.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `ExportWorker` (only a person gives it)
  end
end

# case: sleep-in-an-active-job (invalid)
# note: sleep with a job argument; ActiveJob arguments count.
# file: app/jobs/backoff_job.rb
class BackoffJob < ApplicationJob
  def perform(seconds)
    sleep(seconds * 2)
  # ^^^^^^^^^^^^^^^^^^ job argument `seconds` sizes work without a bound: `perform(seconds)` -> `sleep`; clamp it (`seconds.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `BackoffJob` (only a person gives it)
  end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: max-is-a-lower-bound (invalid)
# note: Derived from a Hash argument; [n, 1].max is a lower bound only.
class TopWorker
  include Sidekiq::Job

  def perform(params)
    n = [params["n"].to_i, 1].max
    Score.order(points: :desc).first(n).each(&:award!)
    #                          ^^^^^^^^ job argument `params` sizes work without a bound: `perform(params)` -> `Score.order(...).first`; clamp it (`n.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `TopWorker` (only a person gives it)
  end
end

# case: each-element-sizes-a-loop (invalid)
# note: Each element of an argument array sizes the work in the loop.
class RepeatWorker
  include Sidekiq::Job

  def perform(counts)
    counts.each do |count|
      count.times { Beacon.emit }
      #     ^^^^^ job argument `counts` sizes work without a bound: `perform(counts)` -> `count.times`; clamp it (`count.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `RepeatWorker` (only a person gives it)
    end
  end
end

# case: each-slice-of-a-relation (invalid)
# note: each_slice with an argument size on a relation.
class SliceWorker
  include Sidekiq::Job

  def perform(slice)
    Subscriber.where(active: true).pluck(:id).each_slice(slice) { |ids| Mailer.send_to(ids) }
    #                                         ^^^^^^^^^^^^^^^^^ job argument `slice` sizes work without a bound: `perform(slice)` -> `Subscriber.where(...).pluck(...).each_slice`; clamp it (`slice.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `SliceWorker` (only a person gives it)
  end
end

# case: count-downto (invalid)
class CountdownWorker
  include Sidekiq::Job

  def perform(count)
    count.downto(1) { |i| Countdown.tick(i) }
    #     ^^^^^^^^^ job argument `count` sizes work without a bound: `perform(count)` -> `count.downto`; clamp it (`count.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `CountdownWorker` (only a person gives it)
  end
end

# case: limit-kept-in-an-instance-variable (invalid)
# note: Kept in an instance variable and used by a helper method of the class.
class LeaderboardWorker
  include Sidekiq::Job

  def perform(limit)
    @limit = limit
    publish(top_rows)
  end

  private

  def top_rows
    Score.order(points: :desc).take(@limit)
    #                          ^^^^^^^^^^^^ job argument `limit` sizes work without a bound: `perform(limit)` -> `Score.order(...).take`; clamp it (`@limit.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `LeaderboardWorker` (only a person gives it)
  end
end

# case: lookup-guard-bounds-nothing (invalid)
# note: A lookup keyed by the count validates a name for WL401, but bounds no number: a plan with
# note: any number of seats may exist.
class SeatWorker
  include Sidekiq::Job

  def perform(seats)
    return unless Plan.find_by(seats: seats)

    seats.times { Seat.create! }
    #     ^^^^^ job argument `seats` sizes work without a bound: `perform(seats)` -> `seats.times`; clamp it (`seats.clamp(1, MAX)`) or return/raise when it is above a maximum; but no code of the project enqueues `SeatWorker` (only a person gives it)
  end
end

# case: clamped-count (valid)
class SeedWorker
  include Sidekiq::Job

  MAX_SAMPLES = 1_000

  def perform(count)
    count.clamp(0, MAX_SAMPLES).times { Sample.create! }
  end
end

# case: min-bound-through-a-local (valid)
# note: [n, MAX].min bounds it, also through a local.
class DigestWorker
  include Sidekiq::Job

  def perform(user_id, limit)
    size = [limit.to_i, 50].min
    Post.where(user_id: user_id).order(created_at: :desc).limit(size).each(&:mark_sent!)
  end
end

# case: early-return-on-a-comparison (valid)
# note: An early return on a comparison dominates the use.
class RetryProbeWorker
  include Sidekiq::Job

  def perform(attempts)
    return if attempts > 10

    attempts.times { |i| Probe.ping(i) }
  end
end

# case: capped-in-place (valid)
# note: Capped in place: the path where it was not above the cap is bounded too.
class PageWorker
  include Sidekiq::Job

  def perform(pages)
    pages = 20 if pages > 20
    (1..pages).each { |page| Crawler.fetch(page) }
  end
end

# case: range-in-a-where-condition (valid)
# note: A range passed to where is a condition, not iteration.
class RangeWorker
  include Sidekiq::Job

  def perform(from_id, to_id)
    Order.where(id: from_id..to_id).find_each(&:reconcile!)
  end
end

# case: raise-unless-and-between-guards (valid)
# note: raise unless ... <= MAX, and between? as a guard.
class BackfillWorker
  include Sidekiq::Job

  MAX_BATCH = 5_000

  def perform(batch_size, delay)
    raise ArgumentError, "batch too large" unless batch_size <= MAX_BATCH
    Account.in_batches(of: batch_size) { |batch| batch.touch_all }
    sleep(delay) if delay.between?(0, 5)
  end
end

# case: bounded-by-the-payload (valid)
# note: first(n) on an array that is itself a job argument is bounded by the payload; so is its size.
class FanoutWorker
  include Sidekiq::Job

  def perform(ids, n)
    ids.first(n).each { |id| Notifier.call(id) }
    ids.size.times { |i| Notifier.tick(i) }
  end
end

# case: membership-check-and-record-attribute (valid)
# note: A membership check validates it; a record's attribute is not a job argument.
class SampleWorker
  include Sidekiq::Job

  def perform(size, report_id)
    return unless [10, 50, 100].include?(size)

    Array.new(size) { Sample.build }
    report = Report.find(report_id)
    report.rows_count.times { |i| report.render_row(i) }
  end
end

# case: not-a-worker-class (valid)
# note: Not a worker class.
# file: lib/seeder.rb
class Seeder
  def run(count)
    count.times { Sample.create! }
  end
end

# case: case-when-on-literals (valid)
# note: A case/when on literals bounds it in those branches.
class PlanWorker
  include Sidekiq::Job

  def perform(seats)
    case seats
    when 1, 5, 10
      seats.times { Seat.create! }
    end
  end
end

# case: database-number-and-slices (valid)
# note: A number read from the database is not a job argument; slicing an argument array is bounded.
class ExportDaysWorker
  include Sidekiq::Job

  def perform(account_id, ids, size)
    account = Account.find(account_id)
    account.export_days.times { |day| Export.for(account, day) }
    ids.each_slice(size) { |slice| Export.batch(slice) }
  end
end

# case: both-ends-checked-in-the-branch (valid)
# note: Both ends checked in the branch that uses it.
class TokenWorker
  include Sidekiq::Job

  def perform(n)
    if n.positive? && n <= 100
      Array.new(n) { Token.generate }
    end
  end
end

# case: count-from-the-request-is-a-warning (invalid)
# note: A controller passes a request parameter: whoever sends the request sizes the work, a
# note: warning. With no enqueue site in the project (the cases above) only a person gives the
# note: argument: a note.
class SeedWorker
  include Sidekiq::Job

  def perform(count)
    count.times { Sample.create! }
    #     ^^^^^ job argument `count` sizes work without a bound: `perform(count)` -> `count.times`; clamp it (`count.clamp(1, MAX)`) or return/raise when it is above a maximum
  end
end

# file: app/controllers/samples_controller.rb
class SamplesController < ApplicationController
  def create
    SeedWorker.perform_async(params[:count].to_i)
  end
end
