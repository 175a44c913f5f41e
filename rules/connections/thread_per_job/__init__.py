from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


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

    ## Python
    In task code: `threading.Thread`, `threading.Timer`, `ThreadPoolExecutor`, `ThreadPool`
    (threads), `multiprocessing.Process`/`Pool`, `ProcessPoolExecutor` (processes) and
    `os.fork()`, unless kept for the process (module level, memoised, a `global`, a class
    attribute). Under a Celery prefork pool a pool process is daemonic, so a `multiprocessing`
    child raises `AssertionError: daemonic processes are not allowed to have children`
    (celery/celery #1709, #4525, #5231): an **error** when the worker's pool is known to be
    prefork. While the pool is not known (no worker command or `worker_pool` setting read), it is
    a warning whose message says what happens under prefork, Celery's default; under another
    pool, and for other frameworks, a warning.

    ```python
    @shared_task
    def render_pages(doc_id):
        with ProcessPoolExecutor() as pool:  # WL502
            pool.map(render_page, pages_of(doc_id))
    ```

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
    ruby = FolderCheck("RubyThreadPerJobCheck")
    python = FolderCheck("ThreadPerJobCheck")
    name = "thread-per-job"
    level = Level.WARNING
    summary = "A thread or process started in worker code, outside Sidekiq's concurrency limit."
    tags = ("threads",)
