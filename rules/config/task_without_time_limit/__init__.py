from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class TaskWithoutTimeLimit(Rule):
    """## What it does
    Reports a Celery task that has no hard time limit and makes an HTTP (or SMTP) request with
    no timeout, the request `http-call-without-timeout` (WL201) reports, directly in its body. A
    time limit counts when it is the task's `time_limit` option (decorator keyword or class
    attribute), the `task_time_limit` setting (`CELERY_TASK_TIME_LIMIT` under the `CELERY`
    namespace), or `--time-limit` on the project's worker commands. A `soft_time_limit` alone
    does not count: it raises `SoftTimeLimitExceeded` inside the task, which the task (or a
    broad `except Exception`) may catch and go on. With `task_annotations` set, or a limit that cannot be read, nothing is reported
    (`--verbose` says why). The finding points at the task's decorator.

    ## Why is this bad?
    Celery sets no time limit by default. A task stuck on a server that never answers keeps its
    worker process (or thread) forever: a few of them and the worker stops taking tasks, while
    its monitoring shows it alive. A hard time limit makes the pool kill the stuck process and
    start a new one; the request's timeout (WL201's fix) is the better cure, the limit the
    guard for every call that has none.

    ## Example
    ```python
    @shared_task
    def deliver_webhook(url, payload):
        requests.post(url, json=payload)
    ```

    Use instead:
    ```python
    @shared_task(time_limit=60)
    def deliver_webhook(url, payload):
        requests.post(url, json=payload, timeout=10)
    ```
    (or `task_time_limit` for every task).
    """

    code = "WL112"
    name = "task-without-time-limit"
    level = Level.NOTE
    summary = "A task with no time limit makes a request with no timeout."
    tags = ("configuration", "external-calls")
    targets = frozenset({"python"})
    python = FolderCheck("TimeLimitCheck")
