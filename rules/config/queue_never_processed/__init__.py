from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class QueueNeverProcessed(Rule):
    """## What it does
    Reports a queue named in worker classes (`sidekiq_options queue:`, ActiveJob `queue_as` with
    the app's `queue_name_prefix` applied) or at enqueue sites anywhere in the project
    (`.set(queue:)`, `Sidekiq::Client.push("queue" => ...)`, `Sidekiq::Client.enqueue_to`) that
    no Sidekiq process listens to. Processes listen to their YAML `queues`, their capsules'
    queues, their `-q` flags, the `extra-queues` setting, and only `default` when none of these
    name any.

    The rule is active only when the repository holds a Sidekiq YAML or a Procfile `sidekiq`
    command outside development (a `Procfile.dev` or `Procfile.debug` alone does not count);
    otherwise the processes are defined elsewhere and it stays silent. Queue names
    given by constants are resolved through the project index; other expressions are skipped,
    and so is every queue when some process's queues cannot be read (a queue name built by ERB
    that cannot be evaluated, `-q $QUEUE`, `config.queues =` something other than a literal
    list): an unknown name is never compared. `--verbose` says which process and why.

    For Python, it compares the queues tasks are sent to with the queues the project's worker
    commands consume (Procfile, compose `command:`, Dockerfile `CMD`, systemd, supervisord, s6
    `run`), and only when such a command is found: Celery task `queue=`, `task_routes` and beat
    `options["queue"]`, and the default queue (`task_default_queue`, `celery`) of tasks that
    name none, against `-Q`/`-X` (else `task_queues`, else the default queue); RQ `@job("q")`
    against `rq worker`/`rqworker` arguments (else `default`); Dramatiq `queue_name=` against
    `-Q` (a worker without `-Q` consumes every queue).

    ## Why is this bad?
    Sidekiq only fetches from the queues its processes list. A job pushed to any other queue
    stays in Redis and never runs, with no error anywhere.

    ## Example
    ```ruby
    # config/sidekiq.yml lists `default` and `mailers`
    class ReportWorker
      include Sidekiq::Job
      sidekiq_options queue: "reports"
    end
    ```

    Use instead:
    ```ruby
    class ReportWorker
      include Sidekiq::Job
      sidekiq_options queue: "mailers"
    end
    ```
    (or add `reports` to the `queues` of a process, or to the `extra-queues` setting when a
    process defined outside the repository serves it)
    """

    code = "WL107"
    name = "queue-never-processed"
    level = Level.ERROR
    summary = "Jobs go to a queue that no worker process listens to."
    tags = ("configuration", "queues")
    # A project rule: its findings depend on the configuration, so a change to a configuration
    # input (pre-commit passing only config/sidekiq.yml) re-checks every file with it.
    targets = frozenset({"ruby", "project"})
    ruby = FolderCheck("SidekiqQueueCheck")
    python = FolderCheck("QueueCheck")
