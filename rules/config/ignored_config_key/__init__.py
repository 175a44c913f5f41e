from __future__ import annotations

from workerlint import FolderCheck, Level, Rule
from workerlint.formats.values import node_source
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.keys import (
    UNTIL,
    config_mappings,
    ignored_keys,
    own_pairs,
)
from workerlint.project.frameworks.sidekiq.report import report_at_source

_WHY = {
    "redis": "Sidekiq never reads `redis` from its YAML file (in any version): set the pool in "
    "`Sidekiq.configure_server { |config| config.redis = { ... } }`",
    "namespace": "Sidekiq ignores `namespace` in its YAML file (and redis-namespace support was "
    "removed in 7.0): use a separate Redis database instead",
    "strict": "`strict` is dropped when the file is loaded from Sidekiq 6.2: list the queues with "
    "weights to get weighted order",
    "pidfile": "`pidfile` was removed in Sidekiq 6.0: let the process manager track the process",
    "logfile": "`logfile` was removed in Sidekiq 6.0: Sidekiq logs to standard output",
    "daemon": "`daemon` was removed in Sidekiq 6.0: let the process manager (systemd, Docker) run "
    "Sidekiq in the background",
    "on_complex_arguments": "`on_complex_arguments` is ignored in the YAML from Sidekiq 7.0: call "
    "`Sidekiq.strict_args!` in an initializer",
}


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
    python = FolderCheck("CeleryIgnoredKeys")

    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        ignored = ignored_keys(setup.effective_version)
        for mapping in config_mappings(setup):
            if mapping.kind == "capsule":
                continue
            for name, key, _ in own_pairs(mapping):
                if name not in ignored:
                    continue
                message = f"{_WHY[name]} ({setup.version_label})"
                if name in UNTIL:
                    message = f"{_WHY[name]}; {setup.version_label} ignores it"
                source = node_source(mapping.yaml.relpath, key)
                report_at_source(ctx, source, message)
