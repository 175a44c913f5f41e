"""WL107's Ruby check: a queue that Sidekiq jobs go to and no Sidekiq process listens to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.lang.ruby.nodes import NOT_LITERAL
from workerlint.lang.ruby.semantic import lexical
from workerlint.project.frameworks.sidekiq.queues import (
    active_job_uses_sidekiq,
    listened_queues,
    queue_prefix,
)
from workerlint.project.frameworks.sidekiq.report import join

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext


WORKER = "app/workers/example_worker.rb"
_CLIENT = frozenset({"Sidekiq::Client", "::Sidekiq::Client"})


class SidekiqQueueCheck(LanguageCheck):
    worker_code_only = False
    call_names = frozenset({"sidekiq_options", "queue_as", "set", "push", "enqueue_to"})

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
