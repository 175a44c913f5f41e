from __future__ import annotations

from typing import Any, ClassVar

from workerlint import FolderCheck, Level, Rule


class ShutdownTimeoutTooLong(Rule):
    """## What it does
    Reports a shutdown `timeout` (in the Sidekiq YAML, or `-t` in a Procfile) at or above the
    platform's grace period (`grace-period`, default 30 seconds: Heroku's, and Kubernetes'
    default `terminationGracePeriodSeconds`). Sidekiq's own default (8 s in 5.x, 25 s from 6.0)
    is not reported.

    For Python: Celery's `worker_soft_shutdown_timeout` (seconds; 0 by default), and a Dramatiq
    worker command's `--worker-shutdown-timeout` (milliseconds; unset is Dramatiq's default of
    600 s, which is reported) at or above the grace period.

    ## Why is this bad?
    On shutdown Sidekiq waits `timeout` seconds for running jobs, then pushes the unfinished
    ones back to Redis. The platform sends SIGKILL when its grace period ends: with a timeout at
    or above it, Sidekiq is killed before it can push the jobs back, so they are lost until a
    reliable fetch recovers them, or run again from the start.

    ## Example
    ```yaml
    :timeout: 60
    ```

    Use instead:
    ```yaml
    :timeout: 25
    ```

    ## Options
    - `grace-period` (integer, default 30): seconds between SIGTERM and SIGKILL on your platform.
    """

    code = "WL108"
    name = "shutdown-timeout-too-long"
    level = Level.WARNING
    summary = "The workers' shutdown timeout is not below the platform's grace period."
    tags = ("configuration", "shutdown")
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqShutdownCheck")
    python = FolderCheck("PythonShutdownCheck")
    option_defaults: ClassVar[dict[str, Any]] = {"grace-period": 30}
