"""WL605's check: a Celery countdown, ETA or retry delay longer than the broker's visibility
timeout (PYTHON.md §4, §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import Value, int_value
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY
from workerlint.lang.python.libraries import celery_calls, durations, task_options

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.libraries.task_options import TaskDefinition
    from workerlint.project.context import PythonFileContext
    from workerlint.project.frameworks.celery.model import CelerySetup

BROKERS = {"redis": "Redis", "sqs": "SQS"}
CELERY_MAX_RETRIES = 3  # celery/app/task.py


class EtaCheck(LanguageCheck):
    node_types = frozenset({"function_definition", "class_definition"})
    call_names = frozenset({"apply_async", "retry", "set"})
    worker_code_only = False
    # The gate: a definition is read only when it is a task's; elsewhere only the calls.
    gate_words_without_worker_classes = call_names

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if node.type == "call":
            self._call(node, ctx)
            return
        definition = task_options.task_definition(node, ctx)
        if definition is not None and definition.task.framework == CELERY:
            self._task(definition, ctx)

    # -- calls -------------------------------------------------------------------------------

    def _call(self, call: Node, ctx: PythonFileContext) -> None:
        name = nodes.call_name(call)
        owner = nodes.receiver(call)
        if name == "retry":
            if not _own_retry(call, ctx):
                return
        elif name == "set":
            if not celery_calls.is_canvas(owner, ctx):
                return
        elif celery_calls.task_named(owner, ctx) is None and not celery_calls.is_canvas(owner, ctx):
            return
        keywords = nodes.keywords(call)
        countdown = keywords.get("countdown")
        if countdown is not None:
            self._check(countdown, durations.seconds(countdown, ctx), "`countdown`", ctx)
        eta = keywords.get("eta")
        if eta is not None:
            self._check(eta, durations.eta_seconds(eta, ctx), "`eta`", ctx)

    # -- task options ------------------------------------------------------------------------

    def _task(self, definition: TaskDefinition, ctx: PythonFileContext) -> None:
        autoretry = definition.option("autoretry_for")
        calls = task_options.retry_calls(definition)
        if autoretry is None and not calls:
            return
        backoff = definition.option("retry_backoff")
        factor = _backoff_factor(backoff)
        if autoretry is not None and factor:
            self._backoff(definition, factor, ctx)
        elif autoretry is not None or any(_uses_default_delay(c) for c in calls):
            delay = definition.option("default_retry_delay")
            if delay is not None:
                self._check(
                    delay, durations.seconds(delay, ctx), "`default_retry_delay`", ctx, retry=True
                )

    def _backoff(self, definition: TaskDefinition, factor: int, ctx: PythonFileContext) -> None:
        """The largest backoff Celery reaches within ``max_retries``: ``min(retry_backoff_max,
        factor * 2 ** (max_retries - 1))`` (celery/utils/time.py), jitter drawing up to it."""
        ceiling = definition.option("retry_backoff_max")
        if ceiling is None:
            return  # 600 s: below every default visibility timeout
        maximum = durations.seconds(ceiling, ctx)
        if maximum is None:
            return
        count = definition.option("max_retries")
        retries = CELERY_MAX_RETRIES if count is None else nodes.literal(count)
        if retries is None:
            reached = maximum
        elif isinstance(retries, int) and not isinstance(retries, bool) and retries > 0:
            reached = min(maximum, factor * 2.0 ** (retries - 1))
        else:
            return
        self._check(ceiling, reached, "`retry_backoff_max`", ctx, retry=True, backoff=True)

    # -- the comparison ----------------------------------------------------------------------

    def _check(
        self,
        node: Node,
        value: float | None,
        what: str,
        ctx: PythonFileContext,
        *,
        retry: bool = False,
        backoff: bool = False,
    ) -> None:
        line = nodes.line_of(node)
        if value is None:
            ctx.skip(f"{ctx.relpath}:{line}: {what} is not a constant")
            return
        timeout = _visibility(ctx.celery, ctx, f"{ctx.relpath}:{line}")
        if timeout is None:
            return
        kind, seconds, origin = timeout
        if value <= seconds:
            return
        shown = durations.describe(value)
        if backoff:
            head = f"{what} lets the retry backoff reach {shown}"
        elif retry:
            head = f"{what} delays each retry by {shown}"
        else:
            head = f"{what} delays the task by {shown}"
        ctx.report(
            node,
            f"{head}, beyond the {BROKERS[kind]} visibility timeout of {seconds} s ({origin}): "
            f"the message waits unacknowledged on a worker for its ETA, {BROKERS[kind]} hands it "
            f"out again every {seconds} s, and the task runs more than once",
        )


def _visibility(
    celery: CelerySetup, ctx: PythonFileContext, where: str
) -> tuple[str, int, str] | None:
    """(broker kind, visibility timeout, where it comes from), or None (and why, to
    ``--verbose``) when the broker is not a known Redis or SQS one."""
    if not celery.found:
        ctx.skip(f"{where}: no Celery app found: the broker is unknown")
        return None
    kind = celery.broker_kind
    if kind not in BROKERS:
        transport = celery.value("broker_transport")
        why = (
            "a custom transport"
            if isinstance(transport.value, str) and "." in transport.value
            else f"the broker is {kind}"
        )
        ctx.skip(f"{where}: {why}: no visibility timeout to compare with")
        return None
    value: Value | None = celery.visibility_timeout
    seconds = int_value(value) if value is not None else None
    if value is None or seconds is None:
        ctx.skip(f"{where}: the visibility timeout is unknown")
        return None
    return kind, seconds, value.origin()


def _own_retry(call: Node, ctx: PythonFileContext) -> bool:
    """``self.retry(...)`` in a bound Celery task, or ``<task>.retry(...)``."""
    task = ctx.task
    owner = nodes.receiver(call)
    if owner is None or owner.type != "identifier":
        return False
    if celery_calls.task_named(owner, ctx) is not None:
        return True
    function = ctx.function
    if task is None or task.framework != CELERY or function is None:
        return False
    params = nodes.parameters(function.node)
    bound = task.options.get("bind") is True or "." in task.body
    return bound and bool(params) and params[0][0] == nodes.text(owner)


def _uses_default_delay(call: Node) -> bool:
    keywords = nodes.keywords(call)
    return "countdown" not in keywords and "eta" not in keywords and not nodes.has_splat(call, True)


def _backoff_factor(node: Node | None) -> int:
    """``retry_backoff=True`` is a factor of 1; a number is the factor; else 0 (off)."""
    if node is None:
        return 0
    value = nodes.literal(node)
    if value is True:
        return 1
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return int(max(1.0, value))
    return 0
