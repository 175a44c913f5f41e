from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import FolderCheck, Level, Rule
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.lang.ruby.nodes import NOT_LITERAL
from workerlint.lang.ruby.semantic import lexical
from workerlint.project.context import FileContext
from workerlint.project.frameworks.sidekiq.queues import (
    active_job_uses_sidekiq,
    listened_queues,
    queue_prefix,
)
from workerlint.project.frameworks.sidekiq.report import join

if TYPE_CHECKING:
    from tree_sitter import Node

WORKER = "app/workers/example_worker.rb"
_CLIENT = frozenset({"Sidekiq::Client", "::Sidekiq::Client"})


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
    python = FolderCheck("QueueCheck")
    worker_code_only = False
    call_methods = frozenset({"sidekiq_options", "queue_as", "set", "push", "enqueue_to"})

    def visit(self, node: Node, ctx: FileContext) -> None:
        if not ctx.setup.has_sidekiq_definition:
            return
        method = nodes.method_name(node)
        args = nodes.arguments(node)
        prefix = ""
        if method in ("sidekiq_options", "set"):
            options = job_options(node) if method == "sidekiq_options" else None
            if method == "sidekiq_options" and options is None:
                return
            pairs = options.pairs if options is not None else nodes.option_pairs(args)[0]
            target = nodes.pair_value(pairs["queue"]) if "queue" in pairs else None
            receiver = nodes.constant_path(nodes.receiver(node))
            if method == "set" and receiver and ctx.index.is_active_job(receiver):
                prefix = self._prefix(ctx)
        elif method == "push":
            if nodes.constant_path(nodes.receiver(node)) not in _CLIENT:
                return
            pairs, _ = nodes.option_pairs(args)
            target = nodes.pair_value(pairs["queue"]) if "queue" in pairs else None
        elif method == "enqueue_to":
            if nodes.constant_path(nodes.receiver(node)) not in _CLIENT or not args:
                return
            target = args[0]
        else:  # queue_as
            if not args or nodes.receiver(node) is not None or nodes.block(node) is not None:
                return
            if not active_job_uses_sidekiq(ctx.setup):
                return
            target = args[0]
            prefix = self._prefix(ctx)
        if target is None or prefix is None:
            return
        self._check(node, target, prefix, ctx)

    def _prefix(self, ctx: FileContext) -> str | None:
        value = queue_prefix(ctx.setup)
        if value is None:
            return ""
        if value.status == "unknown" or not isinstance(value.value, str):
            ctx.skip(f"queue_name_prefix unknown ({value.origin()})")
            return None
        return f"{value.value}_" if value.value else ""

    def _check(self, node: Node, target: Node, prefix: str, ctx: FileContext) -> None:
        name = nodes.literal_value(target)
        if name is NOT_LITERAL:
            path = nodes.constant_path(target)
            if path is None:
                return
            name = ctx.index.constant(path, lexical(ctx.class_scope))
        if not isinstance(name, str) or not name:
            return
        queue = prefix + str(name)
        listened = listened_queues(ctx.setup, ctx.settings.extra_queues)
        if not listened.complete:
            ctx.skip(f"queue `{queue}`: the queues of {join(listened.unknown)} are unknown")
            return
        if queue in listened.names:
            return
        shown = join(f"`{q}`" for q in sorted(listened.names))
        origin = f" ({', '.join(listened.sources)})" if listened.sources else " (none named)"
        named = f"`{queue}`" + (f" (`{name}` with queue_name_prefix)" if prefix else "")
        message = (
            f"Queue {named} is not processed: the Sidekiq processes listen to {shown}{origin}; "
            f"{_TAIL}"
        )
        ctx.report(target, message)


_TAIL = (
    "jobs pushed to it stay in Redis and never run (if another app's Sidekiq processes it, list "
    "it in `extra-queues`)"
)
