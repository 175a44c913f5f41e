from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class UnknownConfigKey(Rule):
    """## What it does
    Reports a key of the Sidekiq YAML (top level, environment sections, capsules) that neither
    Sidekiq, for the detected version, nor a known add-on reads. Keys Sidekiq ignores on
    purpose or removed are WL105's. A top-level key whose value is a mapping is an environment
    section when its name is an environment of the project (a section of `database.yml`, a file
    of `config/environments/`, or `development`, `test`, `staging`, `production`); otherwise it
    is an unknown key. When exactly one key Sidekiq reads is within edit distance 2, the message
    suggests it.

    Add-on keys are not reported: `schedule`, `scheduler`, `dynamic`, `enabled`... of
    sidekiq-scheduler, `limits`, `process_limits`, `blocking`, `global` of sidekiq-limit_fetch,
    `cron`, `lifecycle_events`.

    For Celery (Python), it reports a key Celery does not know in its configuration: a
    `CELERY_` key of Django settings read with `namespace="CELERY"` (`CELERY_WORKER_CONCURENCY`,
    `CELERY_CONCURRENCY`), a lower-case name in a `celeryconfig` module, or a key given to
    `app.conf.update(...)` / `app.conf.x = ...`, with the closest real name. Old names are
    WL105's; a key the project reads itself (named in another module: `settings.X`,
    `getattr(settings, "X")`) and add-on keys (`CELERY_REDBEAT_*`, `CELERY_ONCE`, Flower's) are
    not reported.

    ## Why is this bad?
    Sidekiq ignores keys it does not know without a word: a typo such as `concurency` leaves
    the process at the default concurrency, and a section named `prod` is never applied.

    ## Example
    ```yaml
    :concurency: 20
    ```

    Use instead:
    ```yaml
    :concurrency: 20
    ```

    ## Fix safety
    The fix renames the key when exactly one candidate exists and the mapping does not already
    set it. It is unsafe: it switches on a setting Sidekiq was ignoring (more threads, other
    queues).
    """

    code = "WL104"
    name = "unknown-config-key"
    level = Level.WARNING
    summary = "A configuration key that the job framework and its known add-ons never read."
    fix_availability = "sometimes"
    tags = ("configuration",)
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqUnknownKeys")
    python = FolderCheck("CeleryUnknownKeys")
