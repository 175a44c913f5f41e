"""WL604's Ruby check: a job retried more times than max-retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import Value, node_source
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_options import (
    DEFAULT_MAX_RETRIES,
    backoff_seconds,
    class_calls,
    describe_duration,
    max_retries_target,
    resolve,
    retry_count,
)
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.project.frameworks.sidekiq.report import report_at_source

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.formats.values import Source
    from workerlint.lang.ruby.job_options import Resolved
    from workerlint.project.context import FileContext, ProjectContext


class RubyRetriesCheck(LanguageCheck):
    worker_code_only = False
    call_names = frozenset({"sidekiq_options", "default_job_options", "default_worker_options"})
    node_types = frozenset({"element_reference"})
    # The gate: of element references it reads only `Sidekiq.options[:max_retries] = n`.
    gate_words = call_names | {"max_retries"}

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
