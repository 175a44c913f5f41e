"""WL502's Ruby check: a thread or a process started in worker code, uncounted by Sidekiq."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.lifetime import (
    BARE_CONTAINERS,
    Lifetime,
    bare_identifiers,
    core_constant,
    defines_method,
    lifetime,
    where_it_runs,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext

_THREAD_METHODS = frozenset({"new", "start", "fork"})
_FORK_RECEIVERS = frozenset({"Process", "Kernel"})
_UNCOUNTED = (
    "; Sidekiq neither counts it against its concurrency nor waits for it at shutdown: push the "
    "work as jobs of their own instead"
)


class RubyThreadPerJobCheck(LanguageCheck):
    call_names = frozenset({*_THREAD_METHODS, "fork"})
    node_types = BARE_CONTAINERS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type != "call" and node.type != "identifier":
            for identifier in bare_identifiers(node, "fork", ctx.semantic):
                self._check(identifier, "fork", ctx)
            return
        label = self._label(node, ctx)
        if label is not None:
            self._check(node, label, ctx)

    def _label(self, node: Node, ctx: FileContext) -> str | None:
        name = nodes.method_name(node)
        if node.type == "identifier":
            return "fork" if name == "fork" else None
        receiver = nodes.receiver(node)
        if receiver is None:
            return "fork" if name == "fork" else None
        constant = core_constant(receiver, ctx)
        if constant == "Thread" and name in _THREAD_METHODS:
            return f"Thread.{name}"
        if constant in _FORK_RECEIVERS and name == "fork":
            return f"{constant}.fork"
        return None

    def _check(self, node: Node, label: str, ctx: FileContext) -> None:
        if label == "fork" and defines_method(ctx, "fork"):
            return
        held = lifetime(node, ctx)
        if held.lifetime is Lifetime.INSTANCE:
            scope = ctx.class_scope
            if scope is None or not ctx.index.is_worker(scope.facts.name):
                return
        elif held.lifetime is not Lifetime.CALL:
            return
        if node.type == "identifier":
            span = Span(node.start_byte, node.end_byte)
        else:
            method = node.child_by_field_name("method")
            args = nodes.argument_list(node)
            assert method is not None
            span = Span(method.start_byte, (args or method).end_byte)
        where = where_it_runs(ctx)
        if label.startswith("Thread."):
            message = f"`{label}` starts a thread {where}{_UNCOUNTED}"
        else:
            message = (
                f"`{label}` starts a child process {where}, a copy of the whole Sidekiq "
                f"process{_UNCOUNTED}"
            )
        ctx.report(span, message)
