from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class ScheduledTaskUnknown(Rule):
    """## What it does
    Reports a Celery beat entry (`beat_schedule` / `CELERY_BEAT_SCHEDULE`, in a settings module,
    `app.conf.beat_schedule` or `app.conf.update(beat_schedule=...)`) whose `"task"` names no
    task the project registers: a task is registered under its `name=` or, by default,
    `module.function` (`module.Class` for a class task). Celery's built-in tasks (`celery.*`)
    are registered. `app.send_task("name")` on a Celery app naming no such task is a **note**:
    the task may live in another service.

    Nothing is reported for a name outside the project's packages (a task of an installed
    package), for a function the project defines under that name that is not recognised as a
    task (a decorator from a package: see the `task-decorators` setting), or when some task's
    `name=` is not a literal; `--verbose` says which.

    ## Why is this bad?
    Beat sends the message by name, whatever the worker knows. A worker that has no task of that
    name logs "Received unregistered task of type '...'. The message has been ignored and
    discarded." each time the entry is due: the periodic job silently never runs, typically
    after a task was renamed or moved to another module.

    ## Example
    ```python
    CELERY_BEAT_SCHEDULE = {
        "nightly-digest": {"task": "shop.tasks.send_digests", "schedule": crontab(hour=3)},
    }
    ```

    Use instead:
    ```python
    CELERY_BEAT_SCHEDULE = {
        "nightly-digest": {"task": "shop.tasks.send_digest", "schedule": crontab(hour=3)},
    }
    ```
    """

    code = "WL113"
    name = "scheduled-task-unknown"
    level = Level.ERROR
    summary = "A beat entry or send_task names a task that no module registers."
    tags = ("configuration", "queues")
    targets = frozenset({"python", "project"})
    python = FolderCheck("ScheduleCheck")
