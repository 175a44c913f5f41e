from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from workerlint import Invalid, Level, Rule, Valid
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
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

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

    Use instead:
    ```ruby
    class WebhookWorker
      include Sidekiq::Job
      sidekiq_options retry: 20
    end
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
    option_defaults: ClassVar[dict[str, Any]] = {"max-retries": 25}

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


_V7 = gemfile_lock("7.2.0")
YAML = "config/sidekiq.yml"
INIT = "config/initializers/sidekiq.rb"


def _msg(shown: str, where: str, tail: str, limit: int = 25) -> str:
    return f"`retry` is {shown} in {where}, above max-retries {limit}: {tail}"


def _tail(count: int, own_backoff: bool = False) -> str:
    return _consequence(count, own_backoff)


def _yaml_msg(shown: str, count: int, limit: int = 25) -> str:
    return (
        f"`max_retries` is {shown}, above max-retries {limit}: every job with `retry: true` "
        f"(the default) gets it; {_consequence(count, False)}"
    )


def _job(line: str, name: str = "WebhookWorker", base: str = "") -> str:
    head = f"class {name}{base}\n" + ("" if base else "  include Sidekiq::Job\n")
    return f"{head}{line}\n\n  def perform(id); end\nend\n"


_BASE = {
    "app/workers/application_worker.rb": (
        "class ApplicationWorker\n  include Sidekiq::Job\n  sidekiq_options retry: 40\nend\n"
    )
}

ExcessiveRetries.VALID = (
    Valid(_job("  sidekiq_options retry: 25")),
    Valid(_job("  sidekiq_options retry: true")),
    Valid(_job("  sidekiq_options retry: false, dead: false")),
    Valid(_job('  sidekiq_options queue: "webhooks", retry: 10')),
    # The base class's retry is reported once, in the base class, not in each subclass.
    Valid(_job("  # inherits retry: 40", base=" < ApplicationWorker"), files=_BASE),
    # A time window bounds the retries.
    Valid(_job("  sidekiq_options retry: 50, retry_for: 2.days")),
    # A **splat may override the retry.
    Valid(_job("  sidekiq_options retry: 50, **RETRY_POLICY")),
    # The limit is a setting.
    Valid(_job("  sidekiq_options retry: 40"), options={"max-retries": 40}),
    # A constant whose value the index cannot know.
    Valid(_job("  sidekiq_options retry: Settings.webhook_retries")),
    Valid(_job('  sidekiq_options retry: ENV["WEBHOOK_RETRIES"].to_i')),
    Valid("Sidekiq.default_job_options = { retry: 10, backtrace: true }\n", INIT),
    Valid(":max_retries: 20\n:concurrency: 5\n", YAML, _V7),
    # Development is not a checked environment.
    Valid(":concurrency: 5\ndevelopment:\n  :max_retries: 100\n", YAML, _V7),
    # The production section overrides the top level in every checked environment.
    Valid(":max_retries: 60\nproduction:\n  :max_retries: 10\n", YAML, _V7),
    Valid(":max_retries: <%= ENV['SIDEKIQ_MAX_RETRIES'] %>\n", YAML, _V7),
    Valid("Sidekiq.configure_client do |config|\n  config[:max_retries] = 50\nend\n", INIT),
    # Sidekiq's options are keyed by Symbol: a String key is never read.
    Valid('Sidekiq.options["max_retries"] = 50\n', INIT),
    # A job that merely reads the option.
    Valid("class Probe\n  include Sidekiq::Job\n  def perform\n"
          "    limit = Sidekiq[:max_retries]\n  end\nend\n"),
    # An ActiveJob class whose adapter is not Sidekiq.
    Valid("class ReportJob < ActiveJob::Base\n  sidekiq_options retry: 40\nend\n",
          "app/jobs/report_job.rb",
          files={"config/application.rb": "module Shop\n  class Application\n"
                 "    config.active_job.queue_adapter = :good_job\n  end\nend\n"}),
)  # fmt: skip

ExcessiveRetries.INVALID = (
    Invalid(_job("  sidekiq_options retry: 50\n"
                 "                         ^^ " + _msg("50", "sidekiq_options", _tail(50)))),
    Invalid(_job('  sidekiq_options queue: "webhooks", retry: 26, backtrace: true\n'
                 "                                            ^^ "
                 + _msg("26", "sidekiq_options", _tail(26)))),
    Invalid(_job('  sidekiq_options "retry" => 100\n'
                 "                             ^^^ "
                 + _msg("100", "sidekiq_options", _tail(100)))),
    # Through a project constant: the finding points at the constant.
    Invalid("class WebhookWorker\n  include Sidekiq::Job\n  MAX_RETRIES = 60\n"
            "  sidekiq_options retry: MAX_RETRIES\n"
            "                         ^^^^^^^^^^^ "
            + _msg("60 (constant MAX_RETRIES)", "sidekiq_options", _tail(60)) + "\n"
            "  def perform(id); end\nend\n"),
    # A base class: reported there, once.
    Invalid("class ApplicationWorker\n  include Sidekiq::Job\n  sidekiq_options retry: 40\n"
            "                         ^^ " + _msg("40", "sidekiq_options", _tail(40)) + "\nend\n",
            "app/workers/application_worker.rb",
            files={"app/workers/a_worker.rb": _job("", "AWorker", " < ApplicationWorker")}),
    # An ActiveJob class: Sidekiq's adapter honours sidekiq_options.
    Invalid("class ReportJob < ApplicationJob\n  sidekiq_options retry: 30\n"
            "                         ^^ " + _msg("30", "sidekiq_options", _tail(30)) + "\n"
            "  def perform; end\nend\n", "app/jobs/report_job.rb",
            files={"app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n"}),
    Invalid(_job("  sidekiq_options retry: 30\n"
                 "                         ^^ "
                 + _msg("30", "sidekiq_options", _consequence(30, False), 20)),
            options={"max-retries": 20}),
    Invalid("class WebhookWorker\n  include Sidekiq::Job\n  sidekiq_options retry: 35\n"
            "                         ^^ "
            + _msg("35", "sidekiq_options", _tail(35, own_backoff=True)) + "\n"
            "  sidekiq_retry_in { |count| 60 * (count + 1) }\nend\n"),
    Invalid("Sidekiq.default_job_options = { retry: 40 }\n"
            "                                       ^^ "
            + _msg("40", "Sidekiq.default_job_options", _tail(40)) + "\n", INIT),
    Invalid("Sidekiq.default_job_options.merge!(retry: 30)\n"
            "                                          ^^ "
            + _msg("30", "Sidekiq.default_job_options", _tail(30)) + "\n", INIT),
    Invalid(_job('  sidekiq_options retry: ENV.fetch("WEBHOOK_RETRIES", 45).to_i\n'
                 "                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ "
                 + _msg("45 (the default of WEBHOOK_RETRIES)", "sidekiq_options", _tail(45)))),
    Invalid("Sidekiq.configure_server do |config|\n  config[:max_retries] = 40\n"
            "                         ^^ `max_retries` is 40 in the Sidekiq configuration, above "
            "max-retries 25: every job with `retry: true` (the default) gets it; "
            + _tail(40) + "\nend\n", INIT),
    Invalid(":concurrency: 10\n:max_retries: 50\n              ^^ "
            + _yaml_msg("50 (config/sidekiq.yml:2)", 50) + "\n", YAML, _V7),
    Invalid(":max_retries: 10\nproduction:\n  :max_retries: 30\n                ^^ "
            + _yaml_msg("30 (config/sidekiq.yml:3)", 30) + "\n", YAML, _V7),
    # An anchor merged into a checked environment's section.
    Invalid("defaults: &defaults\n  :max_retries: 30\n                ^^ "
            + _yaml_msg("30 (config/sidekiq.yml:2)", 30) + "\n"
            ":concurrency: 5\nproduction:\n  <<: *defaults\n", YAML, _V7),
    Invalid(':max_retries: <%= ENV.fetch("SIDEKIQ_MAX_RETRIES") { 40 } %>\n'
            "              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ "
            + _yaml_msg("40 (config/sidekiq.yml:1, default of SIDEKIQ_MAX_RETRIES)", 40) + "\n",
            YAML, _V7),
)  # fmt: skip
