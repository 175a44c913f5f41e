from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class PrefetchWithLongTasks(Rule):
    """## What it does
    Reports a Celery prefetch multiplier above 1 (`worker_prefetch_multiplier`, or
    `--prefetch-multiplier` on a worker command; Celery's default is 4) in a project whose
    tasks run long or acknowledge late: `task_acks_late` on, or a hard time limit of 60 s or
    more (the global `task_time_limit`, a worker's `--time-limit`, or a task's `time_limit=`),
    or a task with `acks_late=True`.

    The finding points at the multiplier; when the multiplier is Celery's default (set
    nowhere), at the late-ack or time-limit setting that makes prefetching costly.

    ## Why is this bad?
    Each worker process reserves `multiplier` messages ahead. A process busy with a long task
    holds the short tasks it reserved until it is done, while other processes idle: short
    tasks wait minutes (celery/celery #3434). With late acknowledgement the reserved messages
    also age towards the visibility timeout. Projects with long tasks set the multiplier to 1
    (Saleor did in saleor#16488).

    ## Example
    ```python
    # shopsite/settings.py
    CELERY_TASK_ACKS_LATE = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 4
    ```

    Use instead:
    ```python
    CELERY_TASK_ACKS_LATE = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1
    ```
    """

    code = "WL111"
    name = "prefetch-with-long-tasks"
    level = Level.NOTE
    summary = "A prefetch multiplier above 1 makes short tasks wait behind long ones."
    tags = ("configuration", "celery")
    targets = frozenset({"project"})
    python = FolderCheck("PrefetchCheck")
