from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class LoopWithoutExit(Rule):
    """## What it does
    Reports `loop do ... end` (and `loop { }`), `while true`, `until false` and their modifier
    forms (`begin ... end while true`) in worker code when nothing inside can end them: no
    `break` that belongs to that loop, no `return`, no `raise`/`fail`, no `throw`, no
    `exit`/`abort`, and, inside `loop`, no `.next` on an enumerator (whose `StopIteration` ends
    `loop`: the idiom for walking an external enumerator).

    A `break` inside a nested loop or a nested block (`items.each { break }`) belongs to that
    inner construct and does not count. A `return` counts anywhere but inside a lambda (it leaves
    the method), and a `raise` anywhere. Only literal conditions are considered: `while 1` and
    `while true` are endless, `while running?` is not reported. A loop inside a
    `Timeout.timeout { }` block is ended by the timeout and is not reported.

    ## Python
    In task code: `while True:` and `while 1:` (any literal true condition) with no `break` of
    that loop (a `break` in a nested `for`/`while` ends that one), no `return` or `raise`
    outside a nested function, no `sys.exit()`/`os._exit()`, and no `yield` (a generator's
    caller decides how many steps run). A loop in a Celery task with a `time_limit` or
    `soft_time_limit` option is ended by the limit and not reported (see `--verbose`).

    ```python
    @shared_task
    def consume_events():
        while True:  # WL303
            for event in inbox.fetch():
                handle_event.delay(event.id)
    ```

    ## Why is this bad?
    A loop that cannot end holds its worker thread for as long as the process lives: one thread
    fewer for every other job, and the job never finishes. At shutdown Sidekiq stops it and
    pushes it back to its queue, so the next process picks it up and the loop starts again.
    Long-running polling belongs in a scheduled job that does one round and re-enqueues itself.

    ## Example
    ```ruby
    class InboxPollWorker
      include Sidekiq::Job

      def perform
        loop do
          Inbox.fetch_new.each { |message| MessageWorker.perform_async(message.id) }
          sleep 5
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class InboxPollWorker
      include Sidekiq::Job

      def perform
        Inbox.fetch_new.each { |message| MessageWorker.perform_async(message.id) }
        InboxPollWorker.perform_in(5)
      end
    end
    ```
    """

    code = "WL303"
    ruby = FolderCheck("RubyLoopWithoutExitCheck")
    python = FolderCheck("LoopWithoutExitCheck")
    name = "loop-without-exit"
    level = Level.WARNING
    summary = "A loop in worker code with nothing that can end it holds its thread forever."
    tags = ("concurrency",)
