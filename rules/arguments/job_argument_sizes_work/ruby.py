"""WL402's Ruby check: a job argument sizing a loop, allocation, query limit or sleep, unbounded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.lang.ruby.job_arguments import analyse_class
from workerlint.lang.ruby.provenance.analysis import argument_position

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope
    from workerlint.project.context import FileContext
    from workerlint.taint import Finding


class RubySizesWorkCheck(LanguageCheck):
    worker_code_only = False
    node_types = frozenset({"class"})
    # The gate: it reports only on a worker class (the index decides which).
    gate_worker_classes = True

    def visit(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if scope is None or scope.node != node or not ctx.index.is_worker(scope.facts.name):
            return
        for finding in analyse_class(scope, ctx):
            if finding.use != "size":
                continue
            message = _msg(
                finding.origin.arg, finding.origin.describe(), finding.label, finding.subject
            )
            why = _chosen_by_the_app(finding, scope, ctx)
            level = None
            if why is not None:
                message = f"{message}; but {why}"
                level = Level.NOTE
            ctx.report(Span(finding.start, finding.end), message, level=level)


def _chosen_by_the_app(finding: Finding, scope: ClassScope, ctx: FileContext) -> str | None:
    """Why no flow of the app sizes the argument, when none does: no code of the project
    enqueues the worker (only a person gives its arguments). None otherwise. (An internal
    provenance does not count: a number from the request is internal to WL401, which it cannot
    inject into, but it sizes work.)"""
    entry = finding.origin.path[0].split("(", 1)[0] if finding.origin.path else "perform"
    position = argument_position(scope, entry, finding.origin.arg)
    if position is None:
        return None
    index, keyword = position
    found = ctx.index.provenance.of(scope.facts.name, index, keyword)
    if found.unreached:
        return f"no code of the project enqueues `{scope.facts.name}` (only a person gives it)"
    return None


def _msg(arg: str, path: str, label: str, subject: str = "") -> str:
    return (
        f"job argument `{arg}` sizes work without a bound: {path} -> `{label}`; clamp it "
        f"(`{subject or arg}.clamp(1, MAX)`) or return/raise when it is above a maximum"
    )
