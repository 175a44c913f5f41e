from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


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
    the size of a job argument (`ids.size.times`), which the payload already bounds. A lookup
    guard, which validates a name for WL401 (`return unless Plan.find_by(seats: n)`), bounds
    nothing: a record or a registry entry keyed by any large number may exist.

    A worker that no code of the project enqueues (no enqueue site, and no enqueue whose job
    class is not known) gets its arguments only from a person (a console, a manual push): its
    findings are notes.

    In Python: `range(n)`, `[x] * n`, a query sliced by it (`Order.objects.filter(...)[:n]`),
    `time.sleep(n)`, `islice(it, n)`, `chunked(it, n)`, `.iterator(chunk_size=n)`,
    `bulk_create(batch_size=n)`, `.chunks(it, n)`. Bounds that count: `min(n, MAX)` with a
    literal or an upper-case constant, a comparison that returns or raises before the use
    (`if n > 1000: return`), `assert n <= MAX`, a membership check or `match` on literals;
    `len(arg)` and slices of an argument are bounded by the payload. The level follows WL401's
    "other sinks" row: an error when the argument comes from the request, a warning when it
    comes from stored data or from where is not known, a note for internal values.

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
    ruby = FolderCheck("RubySizesWorkCheck")
    python = FolderCheck("SizesWorkCheck")
