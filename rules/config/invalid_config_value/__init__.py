from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class InvalidConfigValue(Rule):
    """## What it does
    Reports values of the Sidekiq YAML that Sidekiq rejects or misreads:

    - `concurrency` or `timeout` that is not a positive integer: 0 or less (rejected at boot),
      a quoted number such as `"10"` (Sidekiq 6.4 dies at boot with a TypeError), or a value
      that looks like a unit slip (`"25s"`); the same for `-c` and `-t` in a Procfile;
    - `queues` that is not a list, or a queue weight that is not a non-negative integer;
    - a queue listed twice (Sidekiq 6.5 raises at boot; reported as a note on other versions,
      where the repetition only changes the weights);
    - a capsule declared in the YAML (7+) without `concurrency`: Sidekiq gives it nil and fails
      at boot (a capsule made in Ruby inherits the process's concurrency);
    - a file whose top level is a list or a single value instead of a mapping.

    Values that cannot be known statically (ERB without a default, or ERB workerlint cannot
    evaluate, such as `` <%= `hostname` %> ``) are not checked; a queue name built that way is
    never compared with the others (`--verbose` names it).

    For Celery (Python), errors: old and new setting names mixed in a configuration module
    without a namespace (`celeryconfig.py`: Celery refuses to start with "Cannot mix new and
    old setting keys" unless both names of that setting are given), a negative worker
    concurrency (setting or `-c`: billiard's pool refuses it, "Number of processes must be at
    least 0", and the worker does not start; 0 is not reported, since Celery then runs one
    process per CPU), a soft time limit at or above the hard one (the settings', or a
    task's own `soft_time_limit`/`time_limit` options, which override them), and
    `task_serializer = "pickle"` with an `accept_content` that lacks pickle.

    ## Why is this bad?
    Each of these stops Sidekiq at boot or silently changes what it processes.

    ## Example
    ```yaml
    :concurrency: "10"
    :timeout: 25s
    ```

    Use instead:
    ```yaml
    :concurrency: 10
    :timeout: 25
    ```
    """

    code = "WL106"
    name = "invalid-config-value"
    level = Level.ERROR
    summary = "A configuration value that the job framework rejects or misreads."
    tags = ("configuration",)
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqInvalidValues")
    python = FolderCheck("CeleryInvalidValues")
