from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from workerlint import FolderCheck, Level, Rule
from workerlint.formats.values import Source, Value, node_source
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_options import (
    DEFAULT_MAX_RETRIES,
    Resolved,
    backoff_seconds,
    class_calls,
    describe_duration,
    max_retries_target,
    resolve,
    retry_count,
)
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.project.context import FileContext, ProjectContext
from workerlint.project.frameworks.sidekiq.report import report_at_source

if TYPE_CHECKING:
    from tree_sitter import Node


class ExcessiveRetries(Rule):
    """## What it does
    Reports a retry count above `max-retries` (default 25, Sidekiq's own default):

    - `retry: N` in `sidekiq_options` (a worker, a project base class, or an ActiveJob class:
      Sidekiq's adapter honours `sidekiq_options` from 6.0) or in
      `Sidekiq.default_job_options`;
    - `max_retries` in the Sidekiq YAML (top level or the section of a checked environment),
      or `config[:max_retries] =` in `Sidekiq.configure_server` (also `Sidekiq.options[...]`,
      `Sidekiq.default_configuration[...]`): the count every job with `retry: true` gets.

    Numbers given by a project constant (`retry: MAX_RETRIES`) are resolved through the project
    index and the finding points at the constant; an ENV template's default counts and is named
    in the message. A job that gets its `retry` from a base class is reported once, at the base
    class. `retry: true` (the default count), `retry: false`, and options that also set
    `retry_for:` (the time window bounds the retries) are not reported. The message gives the
    time the retries take with Sidekiq's default backoff (`count**4 + 15` seconds plus jitter
    before retry `count`): 25 retries take about 20 days, 50 about 688 days.

    In Python it reports, on a task's decorator keyword or class attribute:

    - Celery: `max_retries=None` on a task that retries (`autoretry_for`, or a `self.retry(...)`
      / `<task>.retry(...)` call in its body): retried forever; a `max_retries`,
      `retry_kwargs={"max_retries": N}` or `self.retry(max_retries=N)` above `max-retries`
      (Celery's default is 3; `self.retry(max_retries=None)` means that default, not forever);
    - Dramatiq: `max_retries` on an actor or on the `Retries` middleware above `max-retries`, or
      `None` (forever); the default is 20; an actor with `retry_when` is not reported;
    - Huey: `retries` above `max-retries` (the default is 0);
    - RQ: `Retry(max=N)` above `max-retries` (RQ does not retry by default);
    - arq: `max_tries` on `func(...)` or a `WorkerSettings` class: it counts the first run, so
      `max_tries` above `max-retries` + 1 (the default is 5 tries).

    A `max_retries` on a Celery task that neither sets `autoretry_for` nor calls `retry` on itself
    is not reported (`--verbose` says so): nothing retries it there.

    ## Why is this bad?
    Every failure of a job comes back again and again. When a dependency is down, each
    failing job keeps being retried for weeks or years, so an outage turns into a retry storm
    that multiplies the load on the queue and on the service that failed, and the retry set
    fills with jobs that will never succeed. Past 25 retries the gap between two attempts is
    already more than four days: more retries add load, not a real chance of success.

    ## Example
    ```ruby
    class WebhookWorker
      include Sidekiq::Job
      sidekiq_options retry: 50
    end
    ```

    ```python
    @shared_task(autoretry_for=(RequestException,), max_retries=None)
    def deliver_webhook(url, payload):
        requests.post(url, json=payload, timeout=10)
    ```

    Use instead:
    ```ruby
    class WebhookWorker
      include Sidekiq::Job
      sidekiq_options retry: 20
    end
    ```
    ```python
    @shared_task(autoretry_for=(RequestException,), max_retries=20, retry_backoff=True)
    def deliver_webhook(url, payload):
        requests.post(url, json=payload, timeout=10)
    ```

    ## Options
    - `max-retries` (integer, default 25): the most retries a job may have.
    """

    code = "WL604"
    name = "excessive-retries"
    level = Level.WARNING
    summary = "A job is retried more times than max-retries."
    tags = ("retries",)
    targets = frozenset({"ruby", "project"})
    worker_code_only = False
    call_methods = frozenset({"sidekiq_options", "default_job_options", "default_worker_options"})
    node_types = frozenset({"element_reference"})
    # The gate: of element references it reads only `Sidekiq.options[:max_retries] = n`.
    gate_words = call_methods | {"max_retries"}
    option_defaults: ClassVar[dict[str, Any]] = {"max-retries": 25}
    python = FolderCheck("RetriesCheck")

    @property
    def limit(self) -> int:
        return int(self.options["max-retries"])

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type == "element_reference":
            self._config(node, ctx)
            return
        options = job_options(node)
        if options is None or "retry" not in options.pairs or "retry_for" in options.pairs:
            return
        if not options.complete:
            ctx.skip(f"{ctx.relpath}:{node.start_point[0] + 1}: a **splat may override retry")
            return
        scope = ctx.class_scope
        if options.kind == "class":
            if scope is None:
                return
            name = scope.facts.name
            if ctx.index.is_foreign_job(name):
                return  # an ActiveJob class whose adapter is not Sidekiq
        target = nodes.pair_value(options.pairs["retry"])
        if target is None:
            return
        value = resolve(target, ctx)
        count = self._count(value, target, ctx)
        if count is None:
            return
        own_backoff = (
            options.kind == "class"
            and scope is not None
            and bool(class_calls(scope, "sidekiq_retry_in"))
        )
        message = (
            f"`retry` is {_shown(count, value)} in {options.label}, above max-retries "
            f"{self.limit}: {_consequence(count, own_backoff)}"
        )
        ctx.report(target, message)

    def _count(self, value: Resolved, target: Node, ctx: FileContext) -> int | None:
        if not value.known:
            line = target.start_point[0] + 1
            ctx.skip(f"{ctx.relpath}:{line}: retry count unknown ({value.note})")
            return None
        count = retry_count(value.value)
        return count if count is not None and count > self.limit else None

    def _config(self, node: Node, ctx: FileContext) -> None:
        parent = node.parent
        if parent is None or parent.type != "assignment":
            return
        if parent.child_by_field_name("left") != node or not max_retries_target(node):
            return
        target = parent.child_by_field_name("right")
        if target is None:
            return
        value = resolve(target, ctx)
        count = self._count(value, target, ctx)
        if count is None:
            return
        message = (
            f"`max_retries` is {_shown(count, value)} in the Sidekiq configuration, above "
            f"max-retries {self.limit}: every job with `retry: true` (the default) gets it; "
            f"{_consequence(count, False)}"
        )
        ctx.report(target, message)

    def check_project(self, ctx: ProjectContext) -> None:
        found: dict[Source, Value] = {}
        for yaml_file in ctx.setup.yaml_files:
            if yaml_file.root is None:
                continue
            for environment in ctx.setup.environments:
                _, node = yaml_file.get("max_retries", environment)
                if node is None or node.kind != "scalar":
                    continue
                source = node_source(yaml_file.relpath, node)
                if node.status == "unknown":
                    ctx.skip(f"{source.where}: max_retries unknown")
                    continue
                found[source] = Value(node.value, node.status, source, node.variables)
        for source, value in found.items():
            count = retry_count(value.value)
            if count is None or count <= self.limit:
                continue
            message = (
                f"`max_retries` is {value.describe()}, above max-retries {self.limit}: every "
                f"job with `retry: true` (the default) gets it; {_consequence(count, False)}"
            )
            report_at_source(ctx, source, message)


def _shown(count: int, value: Resolved) -> str:
    return f"{count} ({value.note})" if value.note else str(count)


def _consequence(count: int, own_backoff: bool) -> str:
    if own_backoff:
        timing = "(the class's `sidekiq_retry_in` sets the delays)"
    else:
        timing = (
            f"over {describe_duration(backoff_seconds(count))} with Sidekiq's backoff "
            f"({DEFAULT_MAX_RETRIES} retries take "
            f"{describe_duration(backoff_seconds(DEFAULT_MAX_RETRIES))})"
        )
    return (
        f"a failing job is retried {count} times {timing}; during an outage every failing job "
        "keeps coming back, multiplying the load"
    )
