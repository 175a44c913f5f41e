from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class WaitOnSubtask(Rule):
    """## What it does
    Reports a Celery task that waits for another task's result: `.get()` (also `.join()`,
    `.join_native()`, `.wait()`) on a result handle inside a task body. A result handle is what
    `delay(...)`, `apply_async(...)` (on a project task or a signature), calling a canvas
    (`group(...)()`, `chord(...)(...)`), `app.send_task(...)`, `AsyncResult(task_id)` and
    `GroupResult.restore(...)` return, followed through locals.

    The level follows the pool of the workers that consume the task's queue (its `queue=`,
    else the first matching `task_routes` entry, else `task_default_queue`, against each worker
    command's `-Q`/`-X`); every worker the project starts counts when that queue cannot be read
    or no worker consumes it, and `worker_pool` when there is no worker command. Under prefork (the default), threads and solo, and when the pool is unknown,
    an **error**; under gevent or eventlet, or when waiting is allowed with
    `disable_sync_subtasks=False` or inside `with allow_join_result():`, a **warning**.

    ## Why is this bad?
    The prefork, threads and solo pools forbid it: Celery raises `RuntimeError: Never call
    result.get() within a task!` at the call, so the task fails every time it gets there.
    Where it is allowed, the waiting task holds its worker slot until the other task has run;
    when every slot of the worker waits on a task that only a free slot could run, nothing moves
    again (a deadlock), and at best the pool runs at a fraction of its size.

    ## Example
    ```python
    @shared_task
    def publish_catalog(shop_id):
        export = build_feed.delay(shop_id)
        upload_feed.delay(export.get())
    ```

    Use instead:
    ```python
    @shared_task
    def publish_catalog(shop_id):
        chain(build_feed.s(shop_id), upload_feed.s()).apply_async()
    ```
    (a chain passes each result to the next task; a chord runs a callback once a group is done).
    """

    code = "WL503"
    name = "wait-on-subtask"
    level = Level.ERROR
    summary = "A Celery task waits for the result of another task."
    tags = ("threads", "concurrency")
    targets = frozenset({"python"})
    python = FolderCheck("WaitCheck")
