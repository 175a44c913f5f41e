"""WL603's Python check: failed jobs dropped (almost) at once (PYTHON.md §2, §9): RQ's
``failure_ttl`` on an enqueue call or ``@job`` below an hour (0 deletes a failed job at once;
RQ keeps it a year by default), Dramatiq's ``RedisBroker(dead_message_ttl=...)`` below an hour
(milliseconds; 7 days by default). Celery's default ``acks_late=False`` is not reported (§9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries import task_options

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

TINY_SECONDS = 3600  # a failure kept less than an hour is gone before anyone looks
_RQ_CALLS = frozenset({"enqueue", "enqueue_call", "enqueue_in", "enqueue_at", "prepare_data"})
_RQ_DECORATORS = frozenset(
    {"rq.decorators.job", "rq.job", "django_rq.job", "django_rq.decorators.job"}
)
_RQ_MODULES = ("rq", "django_rq")
_DRAMATIQ_REDIS = frozenset({"dramatiq.brokers.redis.RedisBroker"})


class DiscardedCheck(LanguageCheck):
    call_names = _RQ_CALLS | {"job", "RedisBroker"}
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        name = nodes.call_name(node)
        keywords = nodes.keywords(node)
        if name == "RedisBroker":
            value = keywords.get("dead_message_ttl")
            if value is not None and ctx.semantic.qualified_name(nodes.callee(node)) in (
                _DRAMATIQ_REDIS
            ):
                self._dramatiq(value, ctx)
            return
        value = keywords.get("failure_ttl")
        if value is None:
            return
        if name == "job":
            if ctx.semantic.qualified_name(nodes.callee(node)) not in _RQ_DECORATORS:
                return
        elif not _imports_rq(ctx):
            return
        self._rq(value, ctx)

    def _rq(self, value: Node, ctx: PythonFileContext) -> None:
        seconds = _number(value, ctx, "failure_ttl")
        if seconds is None or seconds < 0 or seconds >= TINY_SECONDS:
            return  # negative: kept forever
        if seconds == 0:
            kept = "a job that fails is deleted at once"
        else:
            kept = f"a failed job is deleted after {_duration(seconds)}"
        ctx.report(
            value,
            f"`failure_ttl` is {nodes.text(value)}: {kept} instead of kept in RQ's "
            "FailedJobRegistry (a year by default), where it can be inspected and requeued",
        )

    def _dramatiq(self, value: Node, ctx: PythonFileContext) -> None:
        milliseconds = _number(value, ctx, "dead_message_ttl")
        if milliseconds is None or milliseconds >= TINY_SECONDS * 1000:
            return
        ctx.report(
            value,
            f"`dead_message_ttl` is {nodes.text(value)} milliseconds: a message that exhausts "
            f"its retries is dropped from the dead-letter queue after "
            f"{_duration(milliseconds / 1000)} instead of kept 7 days (Dramatiq's default), "
            "where it can be inspected and requeued",
        )


def _number(value: Node, ctx: PythonFileContext, what: str) -> float | None:
    literal = task_options.constant(value, ctx)
    if literal is NOT_LITERAL:
        ctx.skip(f"{ctx.relpath}:{nodes.line_of(value)}: `{what}` is not a literal")
        return None
    if isinstance(literal, bool) or not isinstance(literal, (int, float)):
        return None
    return literal


def _imports_rq(ctx: PythonFileContext) -> bool:
    facts = ctx.index.files.get(ctx.relpath)
    if facts is None:
        return False
    return any(
        qualified == module or qualified.startswith(f"{module}.")
        for _, qualified in facts.imports
        for module in _RQ_MODULES
    )


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "less than a second"
    if seconds < 120:
        whole = round(seconds)
        return f"{whole} second{'s' if whole != 1 else ''}"
    return f"{int(seconds // 60)} minutes"
