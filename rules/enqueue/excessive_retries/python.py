"""WL604's Python check: a task retried forever or more than ``max-retries`` times (PYTHON.md §2,
§9): Celery ``max_retries`` (``None`` with ``autoretry_for`` or a ``retry`` call is forever),
``retry_kwargs={"max_retries": N}`` and ``self.retry(max_retries=N)``; Dramatiq ``max_retries``
on an actor or the ``Retries`` middleware (``None`` is forever); Huey ``retries``; RQ
``Retry(max=N)``; arq ``max_tries`` (tries, so one more than the retries) on ``func(...)`` or a
``WorkerSettings`` class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY, DRAMATIQ, HUEY
from workerlint.lang.python.libraries import task_options
from workerlint.lang.python.libraries.task_options import TaskDefinition

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

OUTAGE = "during an outage every failing task keeps coming back, multiplying the load"
_RQ_RETRY = frozenset({"rq.Retry", "rq.job.Retry", "rq.retry.Retry"})
_ARQ_FUNC = frozenset({"arq.func", "arq.worker.func"})
_DRAMATIQ_RETRIES = frozenset(
    {"dramatiq.middleware.Retries", "dramatiq.middleware.retries.Retries"}
)


class RetriesCheck(LanguageCheck):
    node_types = frozenset({"function_definition", "class_definition"})
    call_names = frozenset({"Retry", "func", "Retries"})
    worker_code_only = False
    # The gate: a definition is read only when it is a task's, or an arq settings class
    # (``max_tries`` among its attributes); elsewhere only the calls.
    gate_words_without_worker_classes = call_names | {"max_tries"}

    @property
    def limit(self) -> int:
        return int(self.options["max-retries"])

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if node.type == "call":
            self._call(node, ctx)
            return
        definition = task_options.task_definition(node, ctx)
        if definition is None:
            if node.type == "class_definition":
                self._arq_settings(node, ctx)
            return
        framework = definition.task.framework
        if framework == CELERY:
            self._celery(definition, ctx)
        elif framework == DRAMATIQ:
            if definition.option("retry_when") is not None:
                return  # retry_when decides instead of the count
            self._count(definition.option("max_retries"), "`max_retries`", ctx, forever=True)
        elif framework == HUEY:
            self._count(definition.option("retries"), "`retries`", ctx, forever=False)

    # -- Celery ------------------------------------------------------------------------------

    def _celery(self, definition: TaskDefinition, ctx: PythonFileContext) -> None:
        calls = task_options.retry_calls(definition)
        autoretry = definition.option("autoretry_for")
        if autoretry is not None and nodes.literal(autoretry) == ():
            autoretry = None
        if autoretry is not None:
            how = "`autoretry_for`"
        elif calls:
            how = f"`{nodes.text(nodes.callee(calls[0]))}` on line {nodes.line_of(calls[0])}"
        else:
            how = None
        value = definition.option("max_retries")
        if value is not None:
            if how is None:
                ctx.skip(
                    f"{ctx.relpath}:{nodes.line_of(value)}: `max_retries` is set but the task "
                    "neither sets `autoretry_for` nor calls `retry` on itself here"
                )
            else:
                self._celery_count(value, how, ctx)
        if autoretry is not None:
            kwargs = definition.option("retry_kwargs")
            count = task_options.dictionary_value(kwargs, "max_retries")
            if count is not None and task_options.constant(count, ctx) is not None:
                self._count(count, '`retry_kwargs["max_retries"]`', ctx, forever=False)
        for call in calls:
            count = nodes.keywords(call).get("max_retries")
            if count is not None and task_options.constant(count, ctx) is not None:
                self._count(count, "`max_retries` of this `retry`", ctx, forever=False)

    def _celery_count(self, value: Node, how: str, ctx: PythonFileContext) -> None:
        literal = task_options.constant(value, ctx)
        if literal is None:
            ctx.report(
                value,
                f"`max_retries` is None and the task retries ({how}): a failing task is retried "
                f"forever; {OUTAGE}",
            )
            return
        self._count(value, "`max_retries`", ctx, forever=False)

    # -- counts ------------------------------------------------------------------------------

    def _count(
        self,
        value: Node | None,
        what: str,
        ctx: PythonFileContext,
        *,
        forever: bool,
        tries: bool = False,
    ) -> None:
        """Report ``value`` when it is None (``forever``: the library retries without end) or a
        count above the limit. ``tries``: the value counts the first run too (arq)."""
        if value is None:
            return
        literal = task_options.constant(value, ctx)
        if literal is None and forever:
            ctx.report(value, f"{what} is None: a failing task is retried forever; {OUTAGE}")
            return
        if literal is NOT_LITERAL or isinstance(literal, bool) or not isinstance(literal, int):
            if literal is NOT_LITERAL:
                ctx.skip(f"{ctx.relpath}:{nodes.line_of(value)}: {what} is not a literal")
            return
        retries = literal - 1 if tries else literal
        if retries <= self.limit:
            return
        counted = f"{literal} (so {retries} retries)" if tries else str(literal)
        if nodes.literal(value) is NOT_LITERAL:
            counted += f" (`{nodes.text(value)}`)"
        ctx.report(
            value,
            f"{what} is {counted}, above max-retries {self.limit}: a failing task is retried "
            f"{retries} times; {OUTAGE}",
        )

    # -- calls: RQ's Retry, arq's func, Dramatiq's Retries middleware ------------------------

    def _call(self, call: Node, ctx: PythonFileContext) -> None:
        qualified = ctx.semantic.qualified_name(nodes.callee(call))
        keywords = nodes.keywords(call)
        if qualified in _RQ_RETRY:
            self._count(keywords.get("max"), "`Retry(max=...)`", ctx, forever=False)
        elif qualified in _ARQ_FUNC:
            self._count(keywords.get("max_tries"), "`max_tries`", ctx, forever=False, tries=True)
        elif qualified in _DRAMATIQ_RETRIES:
            value = keywords.get("max_retries")
            self._count(value, "`max_retries` of the `Retries` middleware", ctx, forever=True)

    def _arq_settings(self, cls: Node, ctx: PythonFileContext) -> None:
        """``max_tries`` in an arq ``WorkerSettings``-style class (one listing ``functions``)."""
        attributes = task_options.class_attributes(cls)
        if "functions" not in attributes or "max_tries" not in attributes:
            return
        facts = ctx.index.files.get(ctx.relpath)
        if facts is None or not any(q == "arq" or q.startswith("arq.") for _, q in facts.imports):
            return
        self._count(attributes["max_tries"], "`max_tries`", ctx, forever=False, tries=True)
