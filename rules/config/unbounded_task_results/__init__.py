from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class UnboundedTaskResults(Rule):
    """## What it does
    Reports a Celery result backend whose stored results never go away:

    - `result_expires` set to `None` or `0` (Celery's default is one day);
    - a database or file-system backend (`db+postgresql://…`, `django-db`, `file://…`,
      MongoDB, CouchDB, S3), which expire results only when Celery beat runs the built-in
      `celery.backend_cleanup` task, in a project whose worker commands start no beat
      (`celery beat`, or a worker with `-B`). Without any worker command found the rule is
      silent (beat may run elsewhere).

    A project that ignores results globally (`task_ignore_result = True`), or has no result
    backend, is not reported.

    ## Why is this bad?
    Every task run stores a row, key or file. Without expiry the table or keyspace grows with
    every task ever run: Redis memory fills up, the results table becomes the largest in the
    database and slows every query on it.

    ## Example
    ```python
    # shopsite/settings.py
    CELERY_RESULT_BACKEND = "django-db"
    # Procfile: only `worker: celery -A shopsite worker`
    ```

    Use instead:
    ```python
    CELERY_RESULT_BACKEND = "django-db"
    # Procfile: `beat: celery -A shopsite beat` beside the worker
    ```
    """

    code = "WL114"
    name = "unbounded-task-results"
    level = Level.NOTE
    summary = "Task results are stored without expiry and grow without bound."
    tags = ("configuration", "celery")
    targets = frozenset({"project"})
    python = FolderCheck("ResultsCheck")
