from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class IgnoredConfigKey(Rule):
    """## What it does
    Reports a key of the Sidekiq YAML that Sidekiq ignores or removed, for the detected version:
    `redis` (never read: the pool is set in `Sidekiq.configure_server`), `namespace`, `strict`
    (from 6.2), `pidfile`, `logfile`, `daemon` (from 6.0), `on_complex_arguments` (from 7.0).

    For Celery (Python), it reports an old (pre-4.0) setting name in a settings module Celery
    reads with `app.config_from_object("django.conf:settings", namespace="CELERY")`:
    `CELERYD_CONCURRENCY`, `CELERYBEAT_SCHEDULE`, `BROKER_URL`, `CELERY_ALWAYS_EAGER`,
    `CELERY_QUEUES`. With a namespace Celery reads only new names with the prefix
    (`CELERY_WORKER_CONCURRENCY`); `CELERY_IMPORTS` and `CELERY_TIMEZONE` are new names too and
    are not reported. In a `celeryconfig.py` (no namespace) old names still work: WL106 reports
    them only when mixed with new ones.

    ## Why is this bad?
    The setting looks configured but does nothing: a `redis:` block with a pool size or URL is
    never used, so the process connects to the default Redis with the default pool; a
    `daemon: true` process stays in the foreground.

    ## Example
    ```yaml
    :concurrency: 10
    :redis:
      url: redis://redis.internal:6379/0
    ```

    ```python
    # shopsite/settings.py, read with namespace="CELERY"
    CELERYD_CONCURRENCY = 4
    ```

    Use instead:
    ```ruby
    # config/initializers/sidekiq.rb
    Sidekiq.configure_server do |config|
      config.redis = { url: "redis://redis.internal:6379/0" }
    end
    ```
    ```python
    CELERY_WORKER_CONCURRENCY = 4
    ```
    """

    code = "WL105"
    name = "ignored-config-key"
    level = Level.WARNING
    summary = "A configuration key that the job framework ignores or removed."
    tags = ("configuration",)
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqIgnoredKeys")
    python = FolderCheck("CeleryIgnoredKeys")
