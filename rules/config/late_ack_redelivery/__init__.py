from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class LateAckRedelivery(Rule):
    """## What it does
    Reports `acks_late` turned on for Celery tasks on a Redis or SQS broker when a task can run
    longer than the broker's visibility timeout: its hard time limit (`time_limit=` on the task,
    else `task_time_limit`, else `--time-limit` on every worker command) is not below the
    timeout, or it has none. The visibility timeout is
    `broker_transport_options["visibility_timeout"]`, else the transport's default (3600 s for
    Redis, 1800 s for SQS).

    The finding points at the `acks_late` value that makes it so: the task's own
    `acks_late=True`, or the global `task_acks_late` setting (`CELERY_TASK_ACKS_LATE` in
    Django settings read with `namespace="CELERY"`) with the tasks it exposes. A broker that
    is unknown (a URL from the environment without a default), RabbitMQ, or a custom transport
    class keeps the rule silent, as do limits that cannot be read; `--verbose` says why.

    ## Why is this bad?
    With late acknowledgement the message stays unacknowledged while the task runs. Redis and
    SQS hand an unacknowledged message to another worker once the visibility timeout passes,
    so a task still running after it is delivered again and runs twice, concurrently (charges,
    e-mails and exports done twice: celery/celery #5306, #5935). Messages a worker prefetched
    age unacknowledged too.

    ## Example
    ```python
    # shopsite/settings.py (Redis broker, no time limit)
    CELERY_BROKER_URL = "redis://redis:6379/0"
    CELERY_TASK_ACKS_LATE = True
    ```

    Use instead:
    ```python
    CELERY_BROKER_URL = "redis://redis:6379/0"
    CELERY_TASK_ACKS_LATE = True
    CELERY_TASK_TIME_LIMIT = 1800  # below the 3600 s visibility timeout
    ```
    """

    code = "WL110"
    name = "late-ack-redelivery"
    level = Level.ERROR
    summary = "Late acknowledgement lets a task outlive the visibility timeout and run twice."
    tags = ("configuration", "celery")
    targets = frozenset({"project"})
    python = FolderCheck("LateAckCheck")
