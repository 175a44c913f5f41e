from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class QueueStarvation(Rule):
    """## What it does
    Reports a process (or a 7+ capsule) that listens to three or more queues in strict order:
    no weights, or every weight 0. Points at the `queues` key, or at the first `-q` of a
    Procfile command. A list with a weight that is unknown (ERB that cannot be evaluated, or an
    unset variable with no default) is not checked; `--verbose` names it.

    The processes are the project's `sidekiq` commands (`Procfile*`, and trivially shaped
    scripts in `bin/`), each reading the YAML file its `-C` names whatever the file's name, or
    one default process reading `config/sidekiq.yml`. A `Procfile.*` variant with a
    dot-separated part `dev`, `development`, `debug`, `local`, `test` or `sample`
    (`Procfile.dev`, `Procfile.debug`, `Procfile.dev.sample`) runs in development only, which is
    not checked. `--verbose` says which file each process reads, and when it cannot.

    For Python, it reports an RQ worker given three or more queues (`rq worker high default
    low`, `manage.py rqworker ...`) without `--dequeue-strategy round_robin` or `random`, and
    Celery's Redis transport with `broker_transport_options = {"queue_order_strategy":
    "priority"}` when a worker consumes three or more queues (`-Q a,b,c`).

    ## Why is this bad?
    In strict order Sidekiq fetches from the first queue whenever it has a job, and looks at the
    next one only when it is empty: a flood in the first queue (a backfill, a retry storm)
    starves every queue after it until it drains. Weights (`[critical, 3]`) make every queue
    progress, the heavier ones more often. Strict order can be deliberate, hence a note.

    ## Example
    ```yaml
    :queues:
      - critical
      - default
      - low
    ```

    Use instead:
    ```yaml
    :queues:
      - [critical, 6]
      - [default, 3]
      - [low, 1]
    ```
    """

    code = "WL109"
    name = "queue-starvation"
    level = Level.NOTE
    summary = "Strict ordering over three or more queues lets the first starve the rest."
    tags = ("configuration", "queues")
    targets = frozenset({"project"})
    ruby = FolderCheck("SidekiqStarvationCheck")
    python = FolderCheck("PythonStarvationCheck")
