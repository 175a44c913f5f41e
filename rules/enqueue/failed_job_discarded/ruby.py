"""WL603's Ruby check: jobs that exhaust their retries discarded instead of kept for inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_options import class_calls, resolve, retries_on, retry_count
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.lang.ruby.nodes import NOT_LITERAL, Symbol

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.job_options import Resolved
    from workerlint.lang.ruby.libraries.sidekiq import JobOptions
    from workerlint.lang.ruby.model import ClassFacts, ClassScope
    from workerlint.project.context import FileContext


@record(frozen=True)
class _Retry:
    """The ``retry`` a job ends up with, and where it comes from (for the message)."""

    value: object
    origin: str


class RubyDiscardedCheck(LanguageCheck):
    worker_code_only = False
    call_names = frozenset({"sidekiq_options", "default_job_options", "default_worker_options"})

    def visit(self, node: Node, ctx: FileContext) -> None:
        options = job_options(node)
        if options is None or "dead" not in options.pairs:
            return
        pair = options.pairs["dead"]
        if resolve(nodes.pair_value(pair), ctx).value is not False:
            return
        if options.kind == "class":
            scope = ctx.class_scope
            if scope is None:
                return
            name = scope.facts.name
            if ctx.index.is_foreign_job(name):
                return  # an ActiveJob class whose adapter is not Sidekiq
            if _handles_exhaustion(node, scope):
                ctx.skip(f"{_where(ctx, pair)}: {name} handles exhaustion itself")
                return
            found = self._class_retry(node, options, scope, ctx)
            if found is not None and not retries_on(found.value):
                found = _subclass_retry(name, ctx)
        else:
            found = self._default_retry(options, ctx)
        if found is None or not retries_on(found.value):
            return
        if retry_count(found.value) == 0:
            message = (
                f"`dead: false` with {found.origin}: a job that fails is discarded at once "
                "instead of kept in the Dead set, where it can be inspected and retried"
            )
        else:
            message = (
                f"`dead: false` with retries on ({found.origin}): a job that exhausts its "
                "retries is discarded instead of kept in the Dead set, where it can be "
                "inspected and retried"
            )
        ctx.report(pair, message)

    def _class_retry(
        self, call: Node, options: JobOptions, scope: ClassScope, ctx: FileContext
    ) -> _Retry | None:
        if not options.complete:
            ctx.skip(f"{_where(ctx, call)}: `dead: false` beside a **splat that may set retry")
            return None
        if "retry" in options.pairs:
            return self._written(options.pairs["retry"], "", ctx)
        own = None
        for other in class_calls(scope, "sidekiq_options"):
            found = job_options(other)
            if other != call and found is not None and "retry" in found.pairs:
                own = found.pairs["retry"]
        if own is not None:
            return self._written(own, f" at line {own.start_point[0] + 1}", ctx)
        index = ctx.index
        for position, ancestor in enumerate(index.ancestors(scope.facts.name)):
            facts = [
                cls
                for cls in index.classes.get(ancestor, ())
                if "retry" in dict(cls.options) and (position or cls.path != ctx.relpath)
            ]
            if not facts:
                continue
            values = {repr(dict(cls.options)["retry"]) for cls in facts}
            value = dict(facts[0].options)["retry"]
            if len(values) > 1 or value is NOT_LITERAL:
                ctx.skip(f"{_where(ctx, call)}: the retry set in {ancestor} is not a literal")
                return None
            how = "inherited from " + ancestor if position else "set"
            return _Retry(value, f"`retry: {_ruby(value)}` {how} ({_at(facts[0])})")
        if scope.facts.kind == "module" and not self._includers_retry(scope, call, ctx):
            return None
        return self._default_retry(None, ctx)

    def _includers_retry(self, scope: ClassScope, call: Node, ctx: FileContext) -> bool:
        """For a module (a concern's ``included do``): False (skip) when the classes including
        it turn retries off or set them in a way the index cannot read."""
        short = scope.facts.name.rsplit("::", 1)[-1]
        includers = [
            name
            for name, classes in ctx.index.classes.items()
            if any(inc.rsplit("::", 1)[-1] == short for cls in classes for inc in cls.includes)
        ]
        for name in includers:
            for ancestor in ctx.index.ancestors(name):
                values = [
                    dict(cls.options)["retry"]
                    for cls in ctx.index.classes.get(ancestor, ())
                    if "retry" in dict(cls.options)
                ]
                if values:
                    if any(v is NOT_LITERAL or not retries_on(v) for v in values):
                        ctx.skip(f"{_where(ctx, call)}: {name} includes {short} and sets retry")
                        return False
                    break
        return True

    def _default_retry(self, options: JobOptions | None, ctx: FileContext) -> _Retry | None:
        if options is not None and not options.complete:
            ctx.skip(f"{options.label}: `dead: false` beside a **splat that may set retry")
            return None
        if options is not None and "retry" in options.pairs:
            return self._written(options.pairs["retry"], "", ctx)
        for key, value in ctx.setup.ruby.default_job_options:
            if key != "retry":
                continue
            where = value.source.where if value.source is not None else "config"
            if value.status == "unknown":
                ctx.skip(f"Sidekiq.default_job_options retry unknown ({value.origin()})")
                return None
            return _Retry(
                value.value,
                f"`retry: {_ruby(value.value)}` in Sidekiq.default_job_options ({where})",
            )
        return _Retry(True, "Sidekiq's default `retry: true`")

    def _written(self, pair: Node, where: str, ctx: FileContext) -> _Retry | None:
        target = nodes.pair_value(pair)
        value: Resolved = resolve(target, ctx)
        if not value.known:
            ctx.skip(f"{_where(ctx, pair)}: retry unknown ({value.note})")
            return None
        shown = nodes.text(target)
        if value.note:
            shown += f"` ({_ruby(value.value)}, {value.note})"
        else:
            shown += "`"
        return _Retry(value.value, f"`retry: {shown}{where}")


def _subclass_retry(base: str, ctx: FileContext) -> _Retry | None:
    """A base class with retries off passes `dead: false` down: the project subclasses that turn
    retries back on (without setting `dead` themselves) discard their failed jobs."""
    index = ctx.index
    found: list[tuple[str, ClassFacts, object]] = []
    for name, classes in index.classes.items():
        chain = index.ancestors(name)
        if name == base or base not in chain:
            continue
        retry: object = NOT_LITERAL
        for ancestor in chain[: chain.index(base)]:
            options = [dict(cls.options) for cls in index.classes.get(ancestor, ())]
            if any("dead" in option for option in options):
                break  # the subclass decides about the Dead set itself
            values = [option["retry"] for option in options if "retry" in option]
            if values:
                retry = values[0]
                break
        if retry is not NOT_LITERAL and retries_on(retry):
            found.append((name, classes[0], retry))
    if not found:
        return None
    name, cls, retry = min(found, key=lambda item: (item[1].path, item[1].line))
    others = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return _Retry(
        retry, f"`retry: {_ruby(retry)}` in subclass {name} ({_at(cls)}){others}, which inherits it"
    )


def _handles_exhaustion(call: Node, scope: ClassScope) -> bool:
    """A ``sidekiq_retries_exhausted`` block in the class body, or beside the call (a concern's
    ``included do``)."""
    siblings = call.parent.named_children if call.parent is not None else []
    return bool(class_calls(scope, "sidekiq_retries_exhausted")) or any(
        node.type == "call" and nodes.method_name(node) == "sidekiq_retries_exhausted"
        for node in siblings
    )


def _where(ctx: FileContext, node: Node) -> str:
    return f"{ctx.relpath}:{node.start_point[0] + 1}"


def _at(cls: ClassFacts) -> str:
    return f"{cls.path}:{cls.line}"


def _ruby(value: object) -> str:
    if value is True or value is False:
        return str(value).lower()
    if value is None:
        return "nil"
    if isinstance(value, Symbol):
        return f":{value}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
