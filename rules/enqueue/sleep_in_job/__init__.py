from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class SleepInJob(Rule):
    """## What it does
    Reports `sleep` in worker code: with or without a duration, written bare (`sleep 2`,
    `sleep(rand)`, `sleep if busy?`) or as `Kernel.sleep`.

    Not reported: `sleep` called on another object (`throttle.sleep`), a local variable or a method
    of the class named `sleep`, other names (`sleep_time`), `sleep 0` (which only yields the
    thread), and a `sleep` inside the block of `Thread.new`/`Thread.start`/`fork`, which does not
    run on the job's thread (WL502 reports the thread). The message names the duration, the
    loop the `sleep` repeats in (`on each pass of 20.times`), and, when the `sleep` is in a
    `rescue` clause (or a `rescue` modifier), that it runs only on that error path: which errors
    the clause rescues, and whether it retries after the `sleep` (a loop around the `rescue`
    is then not named: the `sleep` does not run on each of its passes).

    A **short, bounded wait** is a note: a `sleep` of a known duration that repeats at most 10
    times, because a `retry` after it is bounded by a counter compared with a number of at
    most 10 in its rescue clause (`raise if tries == 10`, `retry if attempts < 3`), or because
    it is in `N.times` or a `while`/`until` compared with such a number, and whose repeats add
    up to at most 10 s (`sleep 1` ten times, `sleep RETRY_DELAY` of 2 s three times). The
    duration and the number are each a literal, a local assigned one, or a constant of the
    project holding one. At worst the thread waits 10 s, a deliberate back-off (an
    Elasticsearch version conflict, a gateway timeout) rather than a thread parked. The
    message says how many tries and how long.

    ## Python
    In task code: `time.sleep(n)` (through any import of it) in a sync function. Not reported:
    `asyncio.sleep` and any sleep in an `async def` (it waits on the task's event loop; a
    blocking call there is Ruff's ASYNC251), `time.sleep(0)`, and other objects' `sleep`. The
    message names the duration, the loop it repeats in, and, in an `except` clause, that it runs
    only on that error path (and whether a loop around tries again); the advice names the
    framework's delayed form (`self.retry(countdown=...)`/`apply_async(countdown=...)` for
    Celery, `enqueue_in` for RQ, `send_with_options(delay=...)` for Dramatiq).

    ```python
    @shared_task(bind=True)
    def poll_export(self, export_id):
        while not Export.objects.get(pk=export_id).ready:
            time.sleep(5)  # WL602
    ```

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
    ruby = FolderCheck("RubySleepInJobCheck")
    python = FolderCheck("SleepInJobCheck")
    name = "sleep-in-job"
    level = Level.WARNING
    summary = "A `sleep` in worker code holds a worker thread while doing nothing."
    tags = ("threads",)
