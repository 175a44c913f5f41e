from __future__ import annotations

from typing import Any, ClassVar

from workerlint import FolderCheck, Level, Rule


class ConcurrencyTooHigh(Rule):
    """## What it does
    Reports a Sidekiq process whose total job threads (its concurrency, or on Sidekiq 7+ the sum
    of its capsules' concurrencies) exceed `max-concurrency` (default 50). It points at the
    concurrency value that makes it so: the largest one written in a file (the YAML value, a
    capsule's concurrency, or `-c` in a Procfile). Findings at the same place for several
    processes or environments are merged.

    The processes are the project's `sidekiq` commands (`Procfile*`, and trivially shaped
    scripts in `bin/`), each reading the YAML file its `-C` names whatever the file's name, or
    one default process reading `config/sidekiq.yml`. A `Procfile.*` variant with a
    dot-separated part `dev`, `development`, `debug`, `local`, `test` or `sample`
    (`Procfile.dev`, `Procfile.debug`, `Procfile.dev.sample`) runs in development only, which is
    not checked. `--verbose` says which file each process reads, and when it cannot.

    For Celery (Python), it reports a worker whose prefork or threads pool runs more than
    `max-concurrency` processes or threads: `-c`/`--concurrency`, the `--autoscale` maximum, or
    `worker_concurrency` (an unset concurrency is the CPU count, unknown: silent). gevent and
    eventlet pools are silent (hundreds of greenlets are normal).

    ## Why is this bad?
    Ruby threads share one interpreter lock: more threads add contention, memory and database
    and Redis connections, not throughput. Sidekiq's own guidance is to keep concurrency at or
    below 50 per process and to run more processes instead.

    ## Example
    ```yaml
    :concurrency: 100
    ```

    Use instead:
    ```yaml
    :concurrency: 25   # and run more processes
    ```

    ## Options
    - `max-concurrency` (integer, default 50): the most job threads a process may run.
    """

    code = "WL103"
    name = "concurrency-too-high"
    level = Level.WARNING
    summary = "A worker process runs more jobs at once than max-concurrency."
    tags = ("configuration", "threads")
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqConcurrencyCheck")
    python = FolderCheck("CeleryConcurrencyCheck")
    option_defaults: ClassVar[dict[str, Any]] = {"max-concurrency": 50}
